/* regs/uart.h - PL011 UART register facts (rp2350-facts.md 7; SDK uart.h). */
#ifndef SIM_REGS_UART_H
#define SIM_REGS_UART_H

#define UART0_BASE 0x40070000u
#define UART1_BASE 0x40078000u
#define UARTDR 0x000u
#define UARTRSR 0x004u
#define UARTFR 0x018u
#define UARTILPR 0x020u
#define UARTIBRD 0x024u
#define UARTFBRD 0x028u
#define UARTLCR_H 0x02Cu
#define UARTCR 0x030u
#define UARTIFLS 0x034u
#define UARTIMSC 0x038u
#define UARTRIS 0x03Cu
#define UARTMIS 0x040u
#define UARTICR 0x044u
#define UARTDMACR 0x048u
#define UARTPERIPHID0 0xFE0u

#define UARTFR_TXFE (1u << 7)
#define UARTFR_RXFF (1u << 6)
#define UARTFR_TXFF (1u << 5)
#define UARTFR_RXFE (1u << 4)
#define UARTFR_BUSY (1u << 3)
#define UARTLCR_H_WLEN(v) ((((v) >> 5) & 3) + 5)
#define UARTLCR_H_FEN (1u << 4)
#define UARTLCR_H_STP2 (1u << 3)
#define UARTLCR_H_EPS (1u << 2)
#define UARTLCR_H_PEN (1u << 1)
#define UARTCR_UARTEN (1u << 0)
#define UARTCR_TXE (1u << 8)
#define UARTCR_RXE (1u << 9)
#define UARTDR_OE (1u << 11)
#define UART_RIS_RX (1u << 4)
#define UART_RIS_TX (1u << 5)
#define UART_RIS_OE (1u << 10)

#endif
