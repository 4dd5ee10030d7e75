/* dev_dma.h - the 16-channel DMA controller: READ/WRITE_ADDR, TRANS_COUNT
 * (with reload value and the RP2350 count modes), CTRL (data size,
 * increments, ring, chaining, TREQ pacing), the register aliases and trigger
 * semantics, MULTI_CHAN_TRIGGER, CHAN_ABORT and the IRQ status registers
 * (no interrupt is delivered to the cores).
 *
 * Channels make progress in modelled time: one bus transfer per clk_sys
 * cycle for the DMA as a whole, caught up lazily whenever the firmware looks
 * at the DMA or at slice boundaries; an access to an XIP window takes as long
 * as the XIP cache / QSPI bus make it (xip_cache.c), and DREQ_XIP_STREAM
 * follows the stream FIFO's QSPI-paced words. */
#ifndef SIM_DEV_DMA_H
#define SIM_DEV_DMA_H

#include <stdint.h>

#include "bus.h"

#define DMA_CHANNELS 16

typedef struct {
    uint32_t read_addr, write_addr, trans_count, reload, ctrl;
    int busy;
    int left_over;               /* still running from before a warm reset of the cores */
} dma_chan;

typedef struct {
    dma_chan ch[DMA_CHANNELS];
    uint32_t intr, inte[4], intf[4], timer[4];
    uint32_t sniff_ctrl, sniff_data;
    uint32_t seccfg[21], plain[0x40];
    uint64_t caught_up;          /* machine cycles up to which transfers were made */
    uint64_t now;                /* the DMA's own time while catching up */
    int rr;                      /* round-robin position */
    int warned_irq;
    int warned_left_over;
    sim_device dev;
} dma_dev;

void dma_setup(machine *m);
void dma_reset(machine *m);
/* makes the transfers due up to now */
void dma_catch_up(machine *m);
int dma_active(machine *m);
/* The cores are reset but the DMA is not (a debugger's warm reset): the
 * channels still running belong to the previous run, and the simulator
 * reports when one of them writes to SRAM under the new run. */
void dma_cores_reset(machine *m);

/* DREQ numbers (dreq.h) */
#define DREQ_UART0_TX 28
#define DREQ_UART0_RX 29
#define DREQ_UART1_TX 30
#define DREQ_UART1_RX 31
#define DREQ_XIP_STREAM 49
#define DREQ_XIP_QMITX 50
#define DREQ_XIP_QMIRX 51
#define DREQ_DMA_TIMER0 59
#define DREQ_FORCE 63

#endif
