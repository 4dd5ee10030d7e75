/* core_regs.h - a core as one of its coprocessors sees it (coproc.h):
 * r0-r14, APSR.NZCV, and the core's own SIO registers (the GPIO
 * coprocessor's port, gpioc.c). Lets the coprocessor models run alone in
 * the unit tests (tests/sim/test_coproc.c). */
#ifndef SIM_CORE_REGS_H
#define SIM_CORE_REGS_H

#include <stdint.h>

typedef struct {
    void *ctx;
    uint32_t (*read)(void *ctx, int n);             /* r0-r14 */
    void (*write)(void *ctx, int n, uint32_t v);    /* r0-r14 */
    void (*write_nzcv)(void *ctx, uint32_t nzcv);   /* MRC to PC: APSR.NZCV = bits 31:28 */
    /* a 32-bit access to the core's SIO at this offset (regs/sio.h) */
    uint32_t (*sio_read)(void *ctx, uint32_t offset);
    void (*sio_write)(void *ctx, uint32_t offset, uint32_t v);
} core_regs;

#endif
