/* dev_sio.h - the single-cycle IO block: CPUID, GPIO output/enable and input
 * registers, the two inter-core FIFOs, spinlocks and doorbells (datasheet
 * 3.1; rp2350-facts.md 12.1). SIO has no atomic aliases. */
#ifndef SIM_DEV_SIO_H
#define SIM_DEV_SIO_H

#include <stdint.h>

#include "bus.h"

#define SIO_FIFO_DEPTH 8

typedef struct {
    uint32_t gpio_out, gpio_hi_out, gpio_oe, gpio_hi_oe;
    uint32_t fifo[2][SIO_FIFO_DEPTH];   /* fifo[c]: words waiting for core c */
    int head[2], count[2];
    int wof[2], roe[2];                 /* sticky error flags, per reading/writing core */
    uint32_t spinlock;                  /* bit k: lock k held */
    uint32_t doorbell[2];               /* doorbells pending for core c */
    sim_device dev;
} sio_dev;

void sio_setup(machine *m);
void sio_reset(machine *m);
/* FIFO operations also used by the core-1 ROM model (c = receiving core) */
int sio_fifo_push(machine *m, int to_core, uint32_t v);   /* 0 if full */
int sio_fifo_pop(machine *m, int core, uint32_t *v);       /* 0 if empty */

#endif
