/* dev_sio.h - the single-cycle IO block: CPUID, GPIO output/enable and input
 * registers, the two inter-core FIFOs, spinlocks and doorbells (datasheet
 * 3.1; rp2350-facts.md 12.1). SIO has no atomic aliases.
 *
 * Signals: in  the GPIO input levels (probes gpio_in[2]: GPIO0..31 and
 *              GPIO32..47), whether core 1 sits in the boot ROM's wait loop
 *              (probe core1_in_rom);
 *          out the GPIO_OUT / GPIO_HI_OUT / GPIO_OE / GPIO_HI_OE words
 *              (gpio_word[4], index GPIO_SIO_* order: OUT, HI_OUT, OE, HI_OE;
 *              pushed on change), each core's SIO_IRQ_FIFO (irq_fifo[c]: the
 *              OR of its VLD, WOF and ROE) and SIO_IRQ_BELL (irq_bell[c]: a
 *              doorbell pending), core1_rom_kick (pulsed when core 0 moves a
 *              FIFO word while core 1 waits in the ROM: the ROM model, which
 *              runs outside the cores, takes its turn).
 *
 * A FIFO word is readable from the time it was written on (the board's
 * clock, services.h): the cores run in turns (sim.c), and a core running
 * behind must not see a word the other core writes later in its own
 * time. */
#ifndef SIM_DEV_SIO_H
#define SIM_DEV_SIO_H

#include <stdint.h>

#include "device.h"
#include "services.h"
#include "signals.h"

#define SIO_FIFO_DEPTH 8

typedef struct {
    uint32_t gpio_out, gpio_hi_out, gpio_oe, gpio_hi_oe;
    uint32_t fifo[2][SIO_FIFO_DEPTH];   /* fifo[c]: words waiting for core c */
    uint64_t written[2][SIO_FIFO_DEPTH];  /* when each was written (clk_sys cycles) */
    int head[2], count[2];
    int wof[2], roe[2];                 /* sticky error flags, per reading/writing core */
    uint32_t spinlock;                  /* bit k: lock k held */
    uint32_t doorbell[2];               /* doorbells pending for core c */
    uint32_t irq_level;                 /* what the interrupt lines carry: bit c FIFO, 2 + c BELL */
    sim_probe gpio_in[2];               /* in: pin input levels */
    sim_probe core1_in_rom;             /* in: core 1 is in the boot ROM's FIFO wait loop */
    sim_signal gpio_word[4];            /* out: GPIO_OUT, GPIO_HI_OUT, GPIO_OE, GPIO_HI_OE */
    sim_signal irq_fifo[2];             /* out: SIO_IRQ_FIFO of core c */
    sim_signal irq_bell[2];             /* out: SIO_IRQ_BELL of core c */
    sim_signal core1_rom_kick;          /* out: the ROM model has a FIFO word to answer */
    sim_device dev;
    const board_services *svc;
} sio_dev;

void sio_init(sio_dev *s, const board_services *svc);
/* the registers to their reset values; the wiring stays */
void sio_reset(sio_dev *s);
/* FIFO operations, also used by the core-1 ROM model (through the machine) */
int sio_fifo_push(sio_dev *s, int to_core, uint32_t v);   /* 0 if full */
int sio_fifo_pop(sio_dev *s, int core, uint32_t *v);       /* 0 if empty */

#endif
