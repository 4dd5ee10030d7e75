/* gpioc.h - the GPIO coprocessor (coprocessor 0, datasheet 3.6.1), see
 * gpioc.c. It sees the core only through core_regs: its registers and its
 * own SIO's GPIO registers. */
#ifndef SIM_GPIOC_H
#define SIM_GPIOC_H

#include <stdint.h>

#include "core_regs.h"

/* executes one coprocessor-0 instruction: 1 = done, 0 = not one the SDK's
 * gpio_coproc.h defines (the core keeps its NOCP fault) */
int gpioc_execute(uint32_t insn, const core_regs *r);

#endif
