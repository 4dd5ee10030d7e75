/* watchdog.h - WATCHDOG and its scratch registers (facts 14.3; SDK
 * regs/watchdog.h). */
#ifndef PICOLLAMA_FW_REGS_WATCHDOG_H
#define PICOLLAMA_FW_REGS_WATCHDOG_H

#include "reg.h"

#define WATCHDOG_BASE 0x400D8000u

typedef struct {
    io_rw_32 ctrl;
    io_wo_32 load;
    io_ro_32 reason;
    io_rw_32 scratch[8];
} watchdog_hw_t;
REG_CHECK(watchdog_hw_t, scratch[7], 0x28);

#define watchdog_hw ((watchdog_hw_t *)WATCHDOG_BASE)

#define WATCHDOG_CTRL_TRIGGER (1u << 31)
#define WATCHDOG_CTRL_ENABLE (1u << 30)

#endif
