/* dev_dma.c - the DMA controller (see dev_dma.h; datasheet 12.6).
 *
 * Register aliases per channel (0x40 apart): READ_ADDR, WRITE_ADDR,
 * TRANS_COUNT, CTRL_TRIG; AL1 CTRL, READ, WRITE, TRANS_COUNT_TRIG; AL2 CTRL,
 * TRANS_COUNT, READ, WRITE_TRIG; AL3 CTRL, WRITE, TRANS_COUNT, READ_TRIG.
 * Writing a trigger register starts the channel (a write of 0 is a "null
 * trigger"). TRANS_COUNT writes set the reload value used at each start. */
#include "dev_dma.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "regs/resets.h"

#define DMA_BASE 0x50000000u
#define CTRL_EN (1u << 0)
#define CTRL_DATA_SIZE(c) (((c) >> 2) & 3)
#define CTRL_INCR_READ (1u << 4)
#define CTRL_INCR_READ_REV (1u << 5)
#define CTRL_INCR_WRITE (1u << 6)
#define CTRL_INCR_WRITE_REV (1u << 7)
#define CTRL_RING_SIZE(c) (((c) >> 8) & 0xF)
#define CTRL_RING_SEL (1u << 12)
#define CTRL_CHAIN_TO(c) (((c) >> 13) & 0xF)
#define CTRL_TREQ(c) (((c) >> 17) & 0x3F)
#define CTRL_IRQ_QUIET (1u << 23)
#define CTRL_BSWAP (1u << 24)
#define CTRL_BUSY (1u << 26)
#define CTRL_WRITE_ERROR (1u << 29)
#define CTRL_READ_ERROR (1u << 30)
#define CTRL_RW_MASK (0x03FFFFFFu & ~CTRL_BUSY)

#define REG_INTR 0x400u
#define REG_TIMER0 0x440u
#define REG_MULTI_CHAN_TRIGGER 0x450u
#define REG_SNIFF_CTRL 0x454u
#define REG_SNIFF_DATA 0x458u
#define REG_FIFO_LEVELS 0x460u
#define REG_CHAN_ABORT 0x464u
#define REG_N_CHANNELS 0x468u
#define REG_DBG_BASE 0x800u

static void trigger(dma_dev *d, int ch);

static uint32_t count_of(uint32_t tc) { return tc & 0x0FFFFFFFu; }
static uint32_t mode_of(uint32_t tc) { return tc >> 28; }

/* is the channel's transfer request asserted now? */
static int treq_ready(dma_dev *d, dma_chan *c, int *known)
{
    uint32_t t = CTRL_TREQ(c->ctrl);
    *known = 1;
    switch (t) {
    case DREQ_FORCE: return 1;
    case DREQ_XIP_STREAM: return d->xip.stream_ready ? d->xip.stream_ready(d->xip.ctx, d->now) : 0;
    default:
        if (t >= DREQ_DMA_TIMER0 && t < DREQ_DMA_TIMER0 + 4) return 1;   /* paced below */
        if (d->dreq[t].read) return probe_read(&d->dreq[t], 0) != 0;     /* a peripheral's level */
        *known = 0;
        return 0;
    }
}

/* clk_sys cycles an access at addr costs beyond its bus cycle (the XIP
 * cache and QSPI bus; 0 elsewhere) */
static uint32_t xip_cost(dma_dev *d, uint32_t addr, int size, int is_write, uint64_t t)
{
    return d->xip.access_cycles ? d->xip.access_cycles(d->xip.ctx, addr, size, is_write, t) : 0;
}

/* the DMA_IRQ_n lines follow INTSn */
static void update_irqs(dma_dev *d)
{
    uint32_t level = 0;
    for (int i = 0; i < 4; i++)
        if ((d->intr | d->intf[i]) & d->inte[i]) level |= 1u << i;
    uint32_t changed = level ^ d->irq_level;
    d->irq_level = level;
    for (int i = 0; i < 4; i++)
        if (changed & (1u << i)) signal_set(&d->irq[i], (level >> i) & 1);
}

static uint32_t step(uint32_t ctrl, int is_read)
{
    uint32_t size = 1u << CTRL_DATA_SIZE(ctrl);
    uint32_t incr = is_read ? CTRL_INCR_READ : CTRL_INCR_WRITE;
    uint32_t rev = is_read ? CTRL_INCR_READ_REV : CTRL_INCR_WRITE_REV;
    if (ctrl & incr) return (ctrl & rev) ? (uint32_t)-size : size;
    return (ctrl & rev) ? 2 * size : 0;
}

static uint32_t advance(uint32_t addr, uint32_t ctrl, int is_read)
{
    uint32_t next = addr + step(ctrl, is_read);
    uint32_t ring = CTRL_RING_SIZE(ctrl);
    int ring_here = ring && (((ctrl & CTRL_RING_SEL) != 0) == !is_read);
    if (ring_here) {
        uint32_t mask = (1u << ring) - 1;
        next = (addr & ~mask) | (next & mask);
    }
    return next;
}

static void complete(dma_dev *d, int ch)
{
    dma_chan *c = &d->ch[ch];
    c->busy = 0;
    if (!(c->ctrl & CTRL_IRQ_QUIET)) d->intr |= 1u << ch;
    int chain = (int)CTRL_CHAIN_TO(c->ctrl);
    if (mode_of(c->trans_count) == 1) trigger(d, ch);
    if (chain != ch) trigger(d, chain);
}


/* The SRAM word at addr through the DMA's bus port (0 if it cannot be read). */
static uint32_t sram_word(dma_dev *d, uint32_t addr)
{
    uint32_t v = 0;
    return d->bus.read(d->bus.ctx, BUS_MASTER_DMA, addr & ~3u, 4, &v) ? v : 0;
}

static int in_sram(const dma_dev *d, uint32_t addr)
{
    return addr >= d->sram_base && addr - d->sram_base < d->sram_size;
}

/* Before a left-over channel writes at addr: a word the new run has
 * already changed (it differs from the word as the warm reset left it, or
 * as a left-over channel last wrote it) is the new run's state, and the
 * write corrupts it. A word the new run has not touched is not: a copy in
 * flight goes on while the boot ROM and the new firmware's first
 * instructions run (no firmware can stop those writes), and firmware that
 * resets the DMA before setting up memory (as the SDK's
 * runtime_init_early_resets does) is safe however the channel's last words
 * fall. (A word the new run rewrote with the value it already held is not
 * seen.) */
static void check_left_over_write(dma_dev *d, int ch, uint32_t addr)
{
    if (!in_sram(d, addr) || !d->sram_then) return;
    uint32_t at = (addr - d->sram_base) / 4;
    if (d->warned_left_over || sram_word(d, addr) == d->sram_then[at]) return;
    d->warned_left_over = 1;
    sim_warn("DMA channel %d, left running by the run before the warm reset, writes to SRAM at "
             "0x%08x, which the new run has written: reset the DMA before setting up memory (as "
             "the SDK's runtime_init_early_resets does)", ch, addr);
}

/* After that write: the word as the channel left it (no longer needed once
 * the warning is given). */
static void note_left_over_write(dma_dev *d, uint32_t addr)
{
    if (!d->warned_left_over && in_sram(d, addr) && d->sram_then)
        d->sram_then[(addr - d->sram_base) / 4] = sram_word(d, addr);
}

/* one bus transfer of channel ch; 0 if it hit a bus error. *cycles: how
 * long it took (1, or the XIP cache / QSPI time) */
static int transfer(dma_dev *d, int ch, uint32_t *cycles)
{
    dma_chan *c = &d->ch[ch];
    int size = 1 << CTRL_DATA_SIZE(c->ctrl);
    uint32_t v = 0;
    uint64_t t = d->now;
    *cycles = 1;
    *cycles += xip_cost(d, c->read_addr, size, 0, t);
    *cycles += xip_cost(d, c->write_addr, size, 1, t + *cycles - 1);
    if (!d->bus.read(d->bus.ctx, BUS_MASTER_DMA, c->read_addr, size, &v)) {
        c->ctrl |= CTRL_READ_ERROR;
        return 0;
    }
    if (c->ctrl & CTRL_BSWAP) {
        if (size == 2) v = ((v & 0xFF) << 8) | ((v >> 8) & 0xFF);
        if (size == 4) v = __builtin_bswap32(v);
    }
    if (c->left_over) check_left_over_write(d, ch, c->write_addr);
    if (!d->bus.write(d->bus.ctx, BUS_MASTER_DMA, c->write_addr, size, v)) {
        c->ctrl |= CTRL_WRITE_ERROR;
        return 0;
    }
    if (c->left_over) note_left_over_write(d, c->write_addr);
    c->read_addr = advance(c->read_addr, c->ctrl, 1);
    c->write_addr = advance(c->write_addr, c->ctrl, 0);
    if (mode_of(c->trans_count) != 0xF)
        c->trans_count = (c->trans_count & 0xF0000000u) | (count_of(c->trans_count) - 1);
    if (count_of(c->trans_count) == 0 && mode_of(c->trans_count) != 0xF) complete(d, ch);
    return 1;
}

static int runnable(dma_dev *d, int ch)
{
    dma_chan *c = &d->ch[ch];
    if (!c->busy || !(c->ctrl & CTRL_EN) || (c->ctrl & (CTRL_READ_ERROR | CTRL_WRITE_ERROR))) return 0;
    int known;
    int ready = treq_ready(d, c, &known);
    if (!known && !d->warned_irq) {
        d->warned_irq = 1;
        sim_warn("DMA channel %d paced by DREQ %u, which the virtual board does not model: the "
                 "channel stalls", ch, CTRL_TREQ(c->ctrl));
    }
    return ready;
}

void dma_catch_up(dma_dev *d)
{
    uint64_t now = svc_now_cycles(d->svc);
    if (now <= d->caught_up) return;
    d->now = d->caught_up;   /* the DMA's own time: one transfer per cycle at most */
    while (d->now < now) {
        int did = 0;
        for (int k = 0; k < DMA_CHANNELS && d->now < now; k++) {
            int ch = (d->rr + k) % DMA_CHANNELS;
            if (!runnable(d, ch)) continue;
            uint32_t cycles = 1;
            if (!transfer(d, ch, &cycles)) {
                d->ch[ch].busy = 0;   /* a bus error halts the channel and raises its IRQ flag */
                d->intr |= 1u << ch;
            }
            d->now += cycles;
            did = 1;
        }
        d->rr = (d->rr + 1) % DMA_CHANNELS;
        if (!did) {
            /* nothing can move until the stream's next word arrives (if before now) */
            uint64_t due = d->xip.stream_due ? d->xip.stream_due(d->xip.ctx) : 0;
            if (due > d->now && due < now) {
                d->now = due;
                continue;
            }
            d->now = now;
        }
    }
    d->caught_up = d->now;   /* past now if a transfer is still waiting for the QSPI bus */
    update_irqs(d);
}

void dma_cores_reset(dma_dev *d)
{
    dma_catch_up(d); /* what the DMA did before the reset is done */
    int left_over = 0;
    for (int i = 0; i < DMA_CHANNELS; i++) {
        dma_chan *c = &d->ch[i];
        c->left_over = c->busy && (c->ctrl & CTRL_EN);
        left_over |= c->left_over;
        if (c->left_over) sim_info("DMA channel %d keeps running across the warm reset", i);
    }
    if (!left_over) return;
    /* SRAM as the reset leaves it, to tell the new run's writes apart */
    if (!d->sram_then) d->sram_then = malloc(d->sram_size);
    for (uint32_t i = 0; d->sram_then && i < d->sram_size / 4; i++)
        d->sram_then[i] = sram_word(d, d->sram_base + 4 * i);
}

void dma_free(dma_dev *d)
{
    free(d->sram_then);
    d->sram_then = NULL;
}

int dma_active(dma_dev *d)
{
    for (int i = 0; i < DMA_CHANNELS; i++)
        if (d->ch[i].busy && (d->ch[i].ctrl & CTRL_EN)) return 1;
    return 0;
}

static void trigger(dma_dev *d, int ch)
{
    dma_chan *c = &d->ch[ch];
    if (!(c->ctrl & CTRL_EN)) return;
    if (!c->busy) {
        c->trans_count = c->reload;
        c->busy = 1;
        if (count_of(c->trans_count) == 0 && mode_of(c->trans_count) != 0xF) complete(d, ch);
        if (count_of(c->trans_count) == 0 && mode_of(c->trans_count) == 0xF) c->busy = 0;
    }
}

/* register n (0..15) of a channel's 16 alias words */
enum { R_READ, R_WRITE, R_COUNT, R_CTRL };
static const int alias_reg[16] = {R_READ, R_WRITE, R_COUNT, R_CTRL, R_CTRL, R_READ, R_WRITE, R_COUNT,
                                  R_CTRL, R_COUNT, R_READ, R_WRITE, R_CTRL, R_WRITE, R_COUNT, R_READ};

static uint32_t ctrl_value(dma_chan *c)
{
    uint32_t v = c->ctrl & ~CTRL_BUSY;
    if (c->busy) v |= CTRL_BUSY;
    if (c->ctrl & (CTRL_READ_ERROR | CTRL_WRITE_ERROR)) v |= 1u << 31;
    return v;
}

static int dma_read(void *st, bus_access *a, uint32_t *v)
{
    dma_dev *d = st;
    dma_catch_up(d);
    uint32_t off = a->offset;
    if (off < 0x400) {
        dma_chan *c = &d->ch[off / 0x40];
        switch (alias_reg[(off % 0x40) / 4]) {
        case R_READ: *v = c->read_addr; break;
        case R_WRITE: *v = c->write_addr; break;
        case R_COUNT: *v = c->busy ? c->trans_count : c->reload; break;
        default: *v = ctrl_value(c); break;
        }
        return BUS_OK;
    }
    if (off == REG_INTR) { *v = d->intr; return BUS_OK; }
    if (off > REG_INTR && off < REG_TIMER0) {
        int irq = (int)(off - REG_INTR) / 16, r = (int)((off - REG_INTR) % 16) / 4;
        if (r == 0) return BUS_HOLE;
        if (r == 1) *v = d->inte[irq];
        else if (r == 2) *v = d->intf[irq];
        else *v = (d->intr | d->intf[irq]) & d->inte[irq];
        return BUS_OK;
    }
    if (off >= REG_TIMER0 && off < REG_TIMER0 + 16) { *v = d->timer[(off - REG_TIMER0) / 4]; return BUS_OK; }
    switch (off) {
    case REG_MULTI_CHAN_TRIGGER: case REG_CHAN_ABORT: *v = 0; return BUS_OK;
    case REG_N_CHANNELS: *v = DMA_CHANNELS; return BUS_OK;
    case REG_FIFO_LEVELS: *v = 0; return BUS_OK;
    }
    if (off >= REG_DBG_BASE && off < REG_DBG_BASE + 0x40 * DMA_CHANNELS) {
        dma_chan *c = &d->ch[(off - REG_DBG_BASE) / 0x40];
        uint32_t r = (off - REG_DBG_BASE) % 0x40;
        if (r == 0) { *v = 0; return BUS_OK; }
        if (r == 4) { *v = c->reload; return BUS_OK; }
        return BUS_HOLE;
    }
    return BUS_UNMODELLED;   /* SECCFG, MPU, sniffer: kept as written */
}

static void write_ctrl(dma_chan *c, uint32_t v, int alias)
{
    uint32_t nv = bus_alias_apply(c->ctrl, v, alias);
    uint32_t clear = bus_wc_bits(v, alias) & (CTRL_READ_ERROR | CTRL_WRITE_ERROR);
    c->ctrl = (nv & CTRL_RW_MASK) | (c->ctrl & (CTRL_READ_ERROR | CTRL_WRITE_ERROR) & ~clear);
}

static int dma_write_reg(dma_dev *d, bus_access *a, uint32_t v)
{
    uint32_t off = a->offset;
    if (off < 0x400) {
        int ch = (int)(off / 0x40), idx = (int)(off % 0x40) / 4;
        dma_chan *c = &d->ch[ch];
        c->left_over = 0; /* the new run programs it */
        switch (alias_reg[idx]) {
        case R_READ: c->read_addr = bus_alias_apply(c->read_addr, v, a->alias); break;
        case R_WRITE: c->write_addr = bus_alias_apply(c->write_addr, v, a->alias); break;
        case R_COUNT:
            c->reload = bus_alias_apply(c->reload, v, a->alias);
            break;
        default: write_ctrl(c, v, a->alias); break;
        }
        if (idx % 4 == 3) {
            if (v != 0) {
                if (alias_reg[idx] == R_COUNT && !c->busy) c->trans_count = c->reload;
                trigger(d, ch);
            } else if (c->ctrl & CTRL_IRQ_QUIET) {
                d->intr |= 1u << ch;   /* null trigger ends a quiet chain */
            }
        }
        return BUS_OK;
    }
    if (off == REG_INTR) { d->intr &= ~bus_wc_bits(v, a->alias); return BUS_OK; }
    if (off > REG_INTR && off < REG_TIMER0) {
        int irq = (int)(off - REG_INTR) / 16, r = (int)((off - REG_INTR) % 16) / 4;
        if (r == 0) return BUS_HOLE;
        if (r == 1) {
            d->inte[irq] = bus_alias_apply(d->inte[irq], v, a->alias) & 0xFFFF;
        } else if (r == 2) {
            d->intf[irq] = bus_alias_apply(d->intf[irq], v, a->alias) & 0xFFFF;
        } else {
            d->intr &= ~bus_wc_bits(v, a->alias);   /* INTS: write 1 to clear */
        }
        return BUS_OK;
    }
    if (off >= REG_TIMER0 && off < REG_TIMER0 + 16) {
        uint32_t *t = &d->timer[(off - REG_TIMER0) / 4];
        *t = bus_alias_apply(*t, v, a->alias);
        return BUS_OK;
    }
    switch (off) {
    case REG_MULTI_CHAN_TRIGGER:
        for (int ch = 0; ch < DMA_CHANNELS; ch++)
            if (v & (1u << ch)) trigger(d, ch);
        return BUS_OK;
    case REG_CHAN_ABORT:
        for (int ch = 0; ch < DMA_CHANNELS; ch++)
            if (v & (1u << ch)) d->ch[ch].busy = 0;
        return BUS_OK;
    case REG_N_CHANNELS: case REG_FIFO_LEVELS: return BUS_OK;
    }
    if (off >= REG_DBG_BASE && off < REG_DBG_BASE + 0x40 * DMA_CHANNELS) return BUS_OK;
    return BUS_UNMODELLED;
}

static int dma_write(void *st, bus_access *a, uint32_t v)
{
    dma_dev *d = st;
    dma_catch_up(d);
    int r = dma_write_reg(d, a, v);
    update_irqs(d);
    return r;
}

/* every register to 0 (CTRL_TRIG: CHAIN_TO 0 too); the wiring (services,
 * bus port, XIP port, DREQ inputs, interrupt lines, SRAM range, bus device)
 * stays */
void dma_reset(dma_dev *d)
{
    dma_dev keep = *d;
    memset(d, 0, sizeof(*d));
    d->dev = keep.dev;
    d->svc = keep.svc;
    d->bus = keep.bus;
    d->xip = keep.xip;
    memcpy(d->dreq, keep.dreq, sizeof(d->dreq));
    memcpy(d->irq, keep.irq, sizeof(d->irq));
    d->sram_base = keep.sram_base;
    d->sram_size = keep.sram_size;
    d->sram_then = keep.sram_then; /* the buffer stays; no channel is left over any more */
    d->caught_up = svc_now_cycles(d->svc);
    d->irq_level = keep.irq_level;
    update_irqs(d);
}

void dma_reset_line(void *dma, int n, uint32_t asserted)
{
    (void)n;
    if (asserted) dma_reset(dma);
}

void dma_init(dma_dev *d, const board_services *svc)
{
    memset(d, 0, sizeof(*d));
    d->svc = svc;
    bus_dev_setup(&d->dev, "DMA", DMA_BASE, 0x4000, 1, RST_DMA, d, dma_read, dma_write);
}
