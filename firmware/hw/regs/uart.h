/* uart.h - PL011 UART (facts 7; SDK regs/uart.h). */
#ifndef PICOLLAMA_FW_REGS_UART_H
#define PICOLLAMA_FW_REGS_UART_H

#include "reg.h"

#define UART0_BASE 0x40070000u

typedef struct {
    io_rw_32 dr;
    io_rw_32 rsr;
    uint32_t _pad0[4];
    io_ro_32 fr;
    uint32_t _pad1;
    io_rw_32 ilpr;
    io_rw_32 ibrd;
    io_rw_32 fbrd;
    io_rw_32 lcr_h;
    io_rw_32 cr;
    io_rw_32 ifls;
    io_rw_32 imsc;
    io_ro_32 ris;
    io_ro_32 mis;
    io_wo_32 icr;
    io_rw_32 dmacr;
} uart_hw_t;
REG_CHECK(uart_hw_t, fr, 0x018);
REG_CHECK(uart_hw_t, ibrd, 0x024);
REG_CHECK(uart_hw_t, lcr_h, 0x02C);
REG_CHECK(uart_hw_t, cr, 0x030);
REG_CHECK(uart_hw_t, dmacr, 0x048);

#define uart0_hw ((uart_hw_t *)UART0_BASE)

#define UART_UARTDR_OE (1u << 11) /* SDK hardware/regs/uart.h: UART_UARTDR_OE_BITS */
#define UART_UARTFR_TXFF (1u << 5)
#define UART_UARTFR_RXFE (1u << 4)
#define UART_UARTFR_BUSY (1u << 3)
#define UART_UARTLCR_H_WLEN_8 (3u << 5)
#define UART_UARTLCR_H_FEN (1u << 4)
#define UART_UARTCR_UARTEN (1u << 0)
#define UART_UARTCR_TXE (1u << 8)
#define UART_UARTCR_RXE (1u << 9)

#endif
