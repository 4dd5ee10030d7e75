/* dev_dma.h - the 16-channel DMA controller: READ/WRITE_ADDR, TRANS_COUNT
 * (with reload value and the RP2350 count modes), CTRL (data size,
 * increments, ring, chaining, TREQ pacing), the register aliases and trigger
 * semantics, MULTI_CHAN_TRIGGER, CHAN_ABORT and the IRQ status registers
 * (DMA_IRQ_n lines driven, not yet delivered to the cores).
 *
 * Channels make progress in modelled time: one bus transfer per clk_sys
 * cycle for the DMA as a whole, caught up lazily whenever the firmware looks
 * at the DMA or at slice boundaries; an access to an XIP window takes as long
 * as the XIP cache / QSPI bus make it (xip_cache.c), and DREQ_XIP_STREAM
 * follows the stream FIFO's QSPI-paced words.
 *
 * Signals: in  the bus it masters (bus, device.h), the XIP side (xip: what
 *              an XIP access costs, DREQ_XIP_STREAM), the transfer requests
 *              of the peripherals (probes dreq[DREQ number]: UART TX/RX), the
 *              RESETS line (dma_reset_line);
 *          out DMA_IRQ_0..3 (irq[n]: INTSn != 0).
 * `now` (the DMA's own time while it catches up) is read by the XIP stream
 * FIFO model (dev_xip.c): a stream word the DMA pops is taken at that time. */
#ifndef SIM_DEV_DMA_H
#define SIM_DEV_DMA_H

#include <stdint.h>

#include "device.h"
#include "services.h"
#include "signals.h"

#define DMA_CHANNELS 16
#define DMA_DREQS 64

typedef struct {
    uint32_t read_addr, write_addr, trans_count, reload, ctrl;
    int busy;
    int left_over;               /* still running from before a warm reset of the cores */
} dma_chan;

/* What the DMA sees of the XIP side (the board connects it to the XIP cache,
 * QSPI bus and stream FIFO). Times are clk_sys cycles. */
typedef struct {
    void *ctx;
    /* cycles an access at addr costs beyond its one bus cycle, made at time
     * t (the XIP cache / QSPI bus; 0 outside the XIP windows) */
    uint32_t (*access_cycles)(void *ctx, uint32_t addr, int size, int is_write, uint64_t t);
    /* DREQ_XIP_STREAM: data waiting in the stream FIFO at time t */
    int (*stream_ready)(void *ctx, uint64_t t);
    /* when the stream's next word arrives (0: none in flight) */
    uint64_t (*stream_due)(void *ctx);
} dma_xip_port;

typedef struct {
    dma_chan ch[DMA_CHANNELS];
    uint32_t intr, inte[4], intf[4], timer[4];
    uint32_t sniff_ctrl, sniff_data;
    uint32_t seccfg[21], plain[0x40];
    uint64_t caught_up;          /* machine cycles up to which transfers were made */
    uint64_t now;                /* the DMA's own time while catching up (read by dev_xip) */
    int rr;                      /* round-robin position */
    int warned_irq;
    int warned_left_over;
    uint32_t irq_level;          /* what the interrupt lines carry now */
    uint32_t sram_base, sram_size;   /* where a left-over channel's writes are checked */
    uint32_t *sram_then;         /* SRAM's words at the last warm reset with channels left over,
                                    updated by their writes (dma_cores_reset; dma_free) */
    const board_services *svc;
    bus_master_port bus;         /* in: the bus */
    dma_xip_port xip;            /* in: the XIP side */
    sim_probe dreq[DMA_DREQS];   /* in: peripherals' transfer requests (unconnected: not modelled) */
    sim_signal irq[4];           /* out: DMA_IRQ_n */
    sim_device dev;
} dma_dev;

void dma_init(dma_dev *d, const board_services *svc);
void dma_reset(dma_dev *d);
/* the RESETS input */
void dma_reset_line(void *dma, int n, uint32_t asserted);
/* makes the transfers due up to now */
void dma_catch_up(dma_dev *d);
int dma_active(dma_dev *d);
/* The cores are reset but the DMA is not (a debugger's warm reset): the
 * channels still running belong to the previous run, and the simulator
 * reports when one of them writes over SRAM the new run has written. */
void dma_cores_reset(dma_dev *d);
/* frees what dma_cores_reset kept */
void dma_free(dma_dev *d);

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
