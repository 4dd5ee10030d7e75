/* sysinfo.h - SYSINFO: chip identification (SDK regs/sysinfo.h; datasheet
 * 12.15.1: PACKAGE_SEL reads 0 on QFN-80 (RP2350B), 1 on QFN-60 (RP2350A)). */
#ifndef PICOLLAMA_FW_REGS_SYSINFO_H
#define PICOLLAMA_FW_REGS_SYSINFO_H

#include "reg.h"

#define SYSINFO_BASE 0x40000000u

typedef struct {
    io_ro_32 chip_id;
    io_ro_32 package_sel;
    io_ro_32 platform;
} sysinfo_hw_t;
REG_CHECK(sysinfo_hw_t, package_sel, 0x04);

#define sysinfo_hw ((sysinfo_hw_t *)SYSINFO_BASE)

#define SYSINFO_PACKAGE_SEL_QFN60 1u

#endif
