/* xosc.h - crystal oscillator (facts 4.1; SDK regs/xosc.h). */
#ifndef PICOLLAMA_FW_REGS_XOSC_H
#define PICOLLAMA_FW_REGS_XOSC_H

#include "reg.h"

#define XOSC_BASE 0x40048000u

typedef struct {
    io_rw_32 ctrl;
    io_rw_32 status;
    io_rw_32 dormant;
    io_rw_32 startup;
    io_rw_32 count;
} xosc_hw_t;
REG_CHECK(xosc_hw_t, count, 0x10);

#define xosc_hw ((xosc_hw_t *)XOSC_BASE)

#define XOSC_CTRL_ENABLE_LSB 12
#define XOSC_CTRL_ENABLE_VALUE_ENABLE 0xFABu
#define XOSC_CTRL_FREQ_RANGE_VALUE_1_15MHZ 0xAA0u
#define XOSC_STATUS_STABLE (1u << 31)
#define XOSC_STARTUP_DELAY_LSB 0 /* units of 256 XOSC cycles */

#endif
