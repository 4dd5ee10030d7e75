/* resets.h - RESETS block (facts 5; SDK regs/resets.h). */
#ifndef PICOLLAMA_FW_REGS_RESETS_H
#define PICOLLAMA_FW_REGS_RESETS_H

#include "reg.h"

#define RESETS_BASE 0x40020000u

typedef struct {
    io_rw_32 reset;      /* 1 = block held in reset */
    io_rw_32 wdsel;
    io_ro_32 reset_done; /* 1 = block out of reset */
} resets_hw_t;
REG_CHECK(resets_hw_t, reset_done, 0x08);

#define resets_hw ((resets_hw_t *)RESETS_BASE)

#define RESETS_RESET_ADC (1u << 0)
#define RESETS_RESET_DMA (1u << 2)
#define RESETS_RESET_HSTX (1u << 3)
#define RESETS_RESET_IO_BANK0 (1u << 6)
#define RESETS_RESET_IO_QSPI (1u << 7)
#define RESETS_RESET_PADS_BANK0 (1u << 9)
#define RESETS_RESET_PADS_QSPI (1u << 10)
#define RESETS_RESET_PLL_SYS (1u << 14)
#define RESETS_RESET_PLL_USB (1u << 15)
#define RESETS_RESET_SPI0 (1u << 18)
#define RESETS_RESET_SPI1 (1u << 19)
#define RESETS_RESET_SYSCFG (1u << 20)
#define RESETS_RESET_SYSINFO (1u << 21)
#define RESETS_RESET_TIMER0 (1u << 23)
#define RESETS_RESET_UART0 (1u << 26)
#define RESETS_RESET_UART1 (1u << 27)
#define RESETS_RESET_USBCTRL (1u << 28)
#define RESETS_RESET_ALL 0x1FFFFFFFu /* bits 0-28: every block (the reset value) */

#endif
