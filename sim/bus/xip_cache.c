/* xip_cache.c - the XIP cache and QSPI transfer timing (see xip_cache.h).
 *
 * QSPI transfer time, from the window's registers as programmed
 * (rp2350-facts.md 8.1; datasheet 12.14.2-12.14.3, QMI_Mx_TIMING field
 * descriptions). Times are clk_sys cycles:
 *
 *   T    = CLKDIV (0 means 256)              one SCK period
 *   h    = ceil(T / 2)                       half an SCK period, rounded up
 *   rx   = ceil(RXDELAY / 2)                 read sample delay (half-cycle units)
 *   N    = SCK cycles of the phases, each len / width (width 1, 2 or 4 lines;
 *          DTR halves address, suffix and data, not prefix and dummy):
 *            prefix  PREFIX_LEN ? 8 : 0       at PREFIX_WIDTH
 *            address 24                       at ADDR_WIDTH
 *            suffix  SUFFIX_LEN == 2 ? 8 : 0  at SUFFIX_WIDTH
 *            dummy   4 * DUMMY_LEN            at DUMMY_WIDTH
 *            data    8 * bytes                at DATA_WIDTH
 *
 *   new transfer, chip select asserted at s:
 *        end   = s + SELECT_SETUP + N * T     (last SCK falling edge)
 *   chained transfer (COOLDOWN): the QMI appends SCK cycles to the burst
 *        end   = max(request, previous end) + Ndata * T
 *   read data at the QMI  = end + h + rx     (the capture point of the last,
 *                                             suppressed, SCK pulse + RXDELAY)
 *   read data to the master = that + XC_FILL_CYCLES
 *   a write is done at end.
 *
 *   Chaining needs (COOLDOWN field text and 12.14.2.1): COOLDOWN > 0, the
 *   same window and direction, the address right after the previous
 *   transfer's data, the previous transfer not ending on a PAGEBREAK
 *   boundary, the burst not past MAX_SELECT * 64 cycles, and the request
 *   within 64 * COOLDOWN + h cycles of the previous end.
 *   Otherwise the previous chip select is released at
 *        end + h + SELECT_HOLD                (no cooldown)
 *        max(that, min(request, end + 64 * COOLDOWN + h))   (cooldown: held
 *                                              until the next access or expiry)
 *   and the next chip select may assert h + MIN_DESELECT cycles after it.
 *
 * The bus is one timeline for every master: transfers are kept in time
 * order and a new one takes the first gap at or after its request (two
 * cores run in alternating slices, so core 1 can book earlier times than
 * core 0's latest transfer; a transfer fitted in between does not re-time
 * the ones after it, which keep the chaining they were charged with).
 */
#include "xip_cache.h"

#include <stddef.h>
#include <string.h>

#include "device.h"
#include "regs/memmap.h"
#include "regs/qmi.h"

static const int width_lines[4] = {1, 2, 4, 4};

int xc_region(uint32_t addr)
{
    if (addr < SIM_ROM_BASE + SIM_ROM_SIZE) return XR_ROM;
    if (addr >= SIM_SRAM_BASE && addr < SIM_SRAM_BASE + SIM_SRAM_SIZE) return XR_SRAM;
    if (addr >= XIP_SRAM_BASE && addr < XIP_SRAM_BASE + XIP_SRAM_SIZE) return XR_XIPSRAM;
    if (xip_in_space(addr)) {
        uint32_t k = (addr >> 26) & 3, off = addr & 0x03FFFFFFu;
        if (k == 2) return XR_OTHER;   /* maintenance */
        if (off < 0x01000000u) return XR_FLASH;
        if (off < 0x02000000u) return XR_PSRAM;
        return XR_OTHER;
    }
    return XR_OTHER;
}

/* ---- transfer parameters of a window ---- */

static uint32_t ceil_div(uint32_t a, uint32_t b) { return (a + b - 1) / b; }

static void parse_params(xip_cache *c, int cs, int write, xfer_params *p)
{
    uint32_t t = c->qmi.regs->m[cs][0], f = c->qmi.regs->m[cs][write ? 3 : 1];
    p->T = QMI_TIMING_CLKDIV(t) ? QMI_TIMING_CLKDIV(t) : 256;
    p->h = (p->T + 1) / 2;
    p->rx = write ? 0 : ceil_div((t >> 8) & 7, 2);
    p->setup = (t >> 25) & 1;
    p->hold = (t >> 23) & 3;
    p->min_deselect = (t >> 12) & 0x1F;
    p->cooldown = 64u * (t >> 30);
    p->max_select = 64u * QMI_TIMING_MAX_SELECT(t);
    static const uint32_t pages[4] = {0, 256, 1024, 4096};
    p->page = pages[QMI_TIMING_PAGEBREAK(t)];
    p->dtr = (f & QMI_FMT_DTR) != 0;
    uint32_t ddr = p->dtr ? 2 : 1;
    uint32_t n = 0;
    if (QMI_FMT_PREFIX_LEN(f)) n += 8 / width_lines[QMI_FMT_PREFIX_WIDTH(f)];
    n += ceil_div(24 / width_lines[QMI_FMT_ADDR_WIDTH(f)], ddr);
    if (QMI_FMT_SUFFIX_LEN(f) == 2) n += ceil_div(8 / width_lines[QMI_FMT_SUFFIX_WIDTH(f)], ddr);
    n += QMI_FMT_DUMMY_LEN(f) * 4 / width_lines[QMI_FMT_DUMMY_WIDTH(f)];
    p->sck_cmd = n;
    static const uint32_t lines_log2[4] = {0, 1, 2, 2};
    p->data_shift = lines_log2[QMI_FMT_DATA_WIDTH(f)] + (p->dtr ? 1u : 0u);
}

static void refresh(xip_cache *c)
{
    if (c->gen == c->qmi.regs->gen + 1) return;
    for (int cs = 0; cs < 2; cs++)
        for (int w = 0; w < 2; w++) parse_params(c, cs, w, &c->params[cs][w]);
    c->identity = c->qmi.atrans_identity(c->qmi.qmi);
    c->gen = c->qmi.regs->gen + 1;
}

static const xfer_params *params(xip_cache *c, int cs, int write)
{
    refresh(c);
    return &c->params[cs][write];
}

static uint32_t data_sck(const xfer_params *p, int nbytes)
{
    return (8u * (uint32_t)nbytes + (1u << p->data_shift) - 1) >> p->data_shift;
}

uint32_t xc_transfer_cycles(xip_cache *c, int cs, int write, int nbytes, int chained)
{
    const xfer_params *p = params(c, cs, write);
    uint32_t n = data_sck(p, nbytes);
    uint32_t end = chained ? n * p->T : p->setup + (p->sck_cmd + n) * p->T;
    return write ? end : end + p->h + p->rx + XC_FILL_CYCLES;
}

/* ---- the bus timeline ---- */

static xc_xfer *xf_at(xip_cache *c, int i) { return &c->xf[(c->xf_head + i) & (XC_XFERS - 1)]; }

/* the time chip select may assert (or chaining continue) after p, for a
 * transfer requested at t; *chain says whether it chains onto p */
static uint64_t after(const xc_xfer *p, int cs, int write, uint32_t addr, uint64_t t, int *chain)
{
    *chain = 0;
    if (!p) return t;
    uint64_t a = t > p->end ? t : p->end;
    if (p->can_chain && p->cs == cs && p->write == write && p->next == addr &&
        a <= p->end + p->cooldown + p->half) {
        *chain = 1;
        return a;
    }
    uint64_t release = p->end + p->half + p->hold;
    if (p->can_chain) {
        uint64_t expiry = p->end + p->cooldown + p->half;
        uint64_t held = a < expiry ? a : expiry;
        if (held > release) release = held;
    }
    uint64_t next_assert = release + p->half + p->min_deselect;
    return a > next_assert ? a : next_assert;
}

/* books one transfer; returns the time its data is at the QMI (read) or it
 * is done (write) */
static uint64_t transfer(xip_cache *c, int cs, int write, uint32_t addr, int nbytes, uint64_t t)
{
    const xfer_params *p = params(c, cs, write);
    uint32_t n = data_sck(p, nbytes);
    /* the transfer the new one follows: the latest that started at or before t */
    int i = c->xf_count - 1;
    while (i >= 0 && xf_at(c, i)->start > t) i--;
    uint64_t s, end, sel;
    int chain;
    for (;;) {
        xc_xfer *prev = i >= 0 ? xf_at(c, i) : NULL;
        s = after(prev, cs, write, addr, t, &chain);
        end = chain ? s + n * p->T : s + p->setup + (p->sck_cmd + n) * p->T;
        sel = chain ? prev->sel_start : s;
        if (i + 1 >= c->xf_count) break;
        /* a later transfer (the other core's) is in the way: go after it */
        xc_xfer *next = xf_at(c, i + 1);
        if (end + p->h + p->hold + p->h + p->min_deselect <= next->start) break;
        i++;
    }
    /* insert after index i */
    if (c->xf_count == XC_XFERS) {
        c->xf_head = (c->xf_head + 1) & (XC_XFERS - 1);
        c->xf_count--;
        i--;
    }
    for (int k = c->xf_count; k > i + 1; k--) *xf_at(c, k) = *xf_at(c, k - 1);
    c->xf_count++;
    xc_xfer *x = xf_at(c, i + 1);
    x->start = s;
    x->end = end;
    x->sel_start = sel;
    x->next = addr + (uint32_t)nbytes;
    x->cs = (uint8_t)cs;
    x->write = (uint8_t)write;
    x->half = (uint16_t)p->h;
    x->hold = (uint16_t)p->hold;
    x->min_deselect = (uint16_t)p->min_deselect;
    x->cooldown = p->cooldown;
    x->can_chain = p->cooldown > 0 && !(p->page && (x->next & (p->page - 1)) == 0) &&
                   !(p->max_select && end - sel >= p->max_select);
    xc_region_stats *st = &c->st[cs ? XR_PSRAM : XR_FLASH];
    st->transfers++;
    st->chained += (uint64_t)chain;
    if (write) st->qspi_write_bytes += (uint64_t)nbytes;
    else st->qspi_read_bytes += (uint64_t)nbytes;
    return write ? end : end + p->h + p->rx;
}

/* ---- addresses ---- */

enum { K_CACHED = 0, K_NOCACHE = 1, K_MAINT = 2, K_NOTRANSLATE = 3 };

/* XIP address -> (cs, chip offset); 0 if no QMI window is there */
static int to_chip(xip_cache *c, uint32_t addr, int *cs, uint32_t *off)
{
    uint32_t k = (addr >> 26) & 3, x = addr & 0x03FFFFFFu;
    if (x >= 2 * XIP_WINDOW_SIZE) return 0;
    refresh(c);
    if (k == K_NOTRANSLATE || c->identity) {
        *cs = x >= XIP_WINDOW_SIZE;
        *off = x & (XIP_WINDOW_SIZE - 1);
        return 1;
    }
    return c->qmi.translate(c->qmi.qmi, x, cs, off);
}

static uint32_t rnd(xip_cache *c)
{
    uint32_t x = c->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return c->rng = x;
}

static void count_access(xc_region_stats *st, int kind)
{
    if (kind == 0) st->fetches++;
    else if (kind == 1) st->reads++;
    else st->writes++;
}

/* the wait of a request made at now and served at done (cores' waits are
 * counted against the region) */
static uint32_t waited(xc_region_stats *st, int master, uint64_t done, uint64_t now)
{
    uint32_t wait = done > now ? (uint32_t)(done - now) : 0;
    if (master <= BUS_MASTER_CORE1) st->stall_cycles += wait;
    return wait;
}

/* the access played on the QSPI bus as it is, at chip offset off of cs */
static uint32_t direct(xip_cache *c, xc_region_stats *st, int master, int cs, uint32_t off, int size,
                       int kind, uint64_t now)
{
    st->uncached++;
    uint64_t done = transfer(c, cs, kind == 2, off, size, now);
    if (kind != 2) done += XC_FILL_CYCLES;
    return waited(st, master, done, now);
}

/* an access that goes to the QSPI bus as it is: kind 0 fetch, 1 read, 2 write */
static uint32_t uncached(xip_cache *c, int master, uint32_t addr, int size, int kind, uint64_t now)
{
    int cs;
    uint32_t off;
    if (!to_chip(c, addr, &cs, &off)) return 0;
    xc_region_stats *st = &c->st[cs ? XR_PSRAM : XR_FLASH];
    count_access(st, kind);
    return direct(c, st, master, cs, off, size, kind, now);
}

/* an access through the cached window */
static uint32_t cached(xip_cache *c, int master, uint32_t addr, int size, int kind, uint64_t now)
{
    if (!xc_enabled(*c->xip_ctrl)) return uncached(c, master, addr, size, kind, now);
    uint32_t x = addr & 0x03FFFFF8u;
    uint32_t line = x >> 3, set = line & (XC_SETS - 1);
    int region = xc_region(0x10000000u | x);
    xc_region_stats *st = &c->st[region];
    count_access(st, kind);
    int way = xc_lookup(c, addr);
    if (way >= 0) {
        if (kind == 2 && !c->pinned[way][set]) c->dirty[way][set] = 1;
        return 0;
    }
    int cs;
    uint32_t off;
    if (!to_chip(c, x, &cs, &off)) return 0;   /* not backed by the QMI: nothing to time */
    st->misses++;
    int victim;
    if (!(c->tag[0][set] & XC_VALID)) victim = 0;
    else if (!(c->tag[1][set] & XC_VALID)) victim = 1;
    else victim = (int)(rnd(c) & 1);   /* "eviction policy is random", one attempt */
    if (c->pinned[victim][set]) {
        /* evicting a pinned line fails: the access is demoted to uncached */
        st->misses--;
        return direct(c, st, master, cs, off + (addr & 7), size, kind, now);
    }
    uint64_t t = now;
    if ((c->tag[victim][set] & XC_VALID) && c->dirty[victim][set]) {
        /* the dirty line goes downstream before the line is reused */
        int vcs;
        uint32_t voff;
        uint32_t vaddr = (c->tag[victim][set] & ~XC_VALID) << 3;
        if (to_chip(c, vaddr, &vcs, &voff)) t = transfer(c, vcs, 1, voff, 8, t);
    }
    /* a miss reads the whole line, for a write too (it merges the write data) */
    uint64_t done = transfer(c, cs, 0, off, 8, t) + XC_FILL_CYCLES;
    c->tag[victim][set] = line | XC_VALID;
    c->dirty[victim][set] = kind == 2;
    return waited(st, master, done, now);
}

static uint32_t xip_access(xip_cache *c, int master, uint32_t addr, int size, int kind, uint64_t now)
{
    if (addr >= XIP_SRAM_BASE && addr < XIP_SRAM_BASE + XIP_SRAM_SIZE) return 0;   /* pinned lines */
    uint32_t k = (addr >> 26) & 3;
    if (k == K_CACHED) {
        if (((addr & 7) + (uint32_t)size) > 8)   /* spans two lines */
            return cached(c, master, addr, size, kind, now) +
                   cached(c, master, (addr + 8) & ~7u, size, kind, now);
        return cached(c, master, addr, size, kind, now);
    }
    if (k == K_MAINT) return 0;
    return uncached(c, master, addr, size, kind, now);
}

uint32_t xc_fetch(xip_cache *c, int master, uint32_t addr, uint64_t now)
{
    return xip_access(c, master, addr & ~7u, 8, 0, now);
}

uint32_t xc_read(xip_cache *c, int master, uint32_t addr, int size, uint64_t now)
{
    return xip_access(c, master, addr, size, 1, now);
}

uint32_t xc_write(xip_cache *c, int master, uint32_t addr, int size, uint64_t now)
{
    return xip_access(c, master, addr, size, 2, now);
}

uint64_t xc_stream_read(xip_cache *c, uint32_t addr, uint64_t now)
{
    int cs;
    uint32_t off;
    if (!to_chip(c, addr, &cs, &off)) return now;
    c->st[cs ? XR_PSRAM : XR_FLASH].streamed++;
    return transfer(c, cs, 0, off, 4, now) + XC_FILL_CYCLES;
}

uint32_t xc_maintain(xip_cache *c, int master, uint32_t addr, uint64_t now)
{
    uint32_t op = addr & 7, x = addr & 0x03FFFFF8u;
    uint32_t line = x >> 3, set = line & (XC_SETS - 1);
    int way = -1;
    if (op == 0 || op == 1 || op == 7) way = (int)((x >> 13) & 1);   /* by set/way (bit 13) */
    else if (op == 2 || op == 3) way = xc_lookup(c, x);              /* by address */
    if (op == 7) {
        /* pin: implicit invalidate by address, then this set/way takes the address */
        int old = xc_lookup(c, x);
        if (old >= 0 && old != way) c->tag[old][set] = 0;
        c->tag[way][set] = line | XC_VALID;
        c->pinned[way][set] = 1;
        c->dirty[way][set] = 0;
        return 0;
    }
    if (way < 0 || !(c->tag[way][set] & XC_VALID)) return 0;
    uint32_t wait = 0;
    if ((op == 1 || op == 3) && c->dirty[way][set]) {
        int cs;
        uint32_t off;
        uint32_t vaddr = (c->tag[way][set] & ~XC_VALID) << 3;
        if (to_chip(c, vaddr, &cs, &off)) {
            uint64_t done = transfer(c, cs, 1, off, 8, now);
            wait = done > now ? (uint32_t)(done - now) : 0;
        }
        c->dirty[way][set] = 0;
    }
    if (op == 0 || op == 2) {
        c->tag[way][set] = 0;   /* invalidate (also unpins) */
        c->dirty[way][set] = 0;
        c->pinned[way][set] = 0;
    } else if (op == 1 && !c->pinned[way][set]) {
        /* SDK: clean by set/way also invalidates non-pinned lines (RP2350-E11) */
        c->tag[way][set] = 0;
    }
    (void)master;
    return wait;
}

static void totals(const xip_cache *c, int64_t *acc, int64_t *hit)
{
    *acc = *hit = 0;
    for (int r = 0; r < XR_COUNT; r++) {
        const xc_region_stats *s = &c->st[r];
        int64_t a = (int64_t)(s->fetches + s->reads + s->writes);
        *acc += a;
        *hit += a - (int64_t)(s->misses + s->uncached);
    }
}

uint32_t xc_ctr(xip_cache *c, int hits)
{
    int64_t acc, hit;
    totals(c, &acc, &hit);
    int64_t v = hits ? hit - c->ctr_hit_base : acc - c->ctr_acc_base;
    return v < 0 ? 0 : v > 0xFFFFFFFFll ? 0xFFFFFFFFu : (uint32_t)v;
}

void xc_ctr_clear(xip_cache *c, int hits)
{
    int64_t acc, hit;
    totals(c, &acc, &hit);
    if (hits) c->ctr_hit_base = hit;
    else c->ctr_acc_base = acc;
}

void xc_stats_reset(xip_cache *c)
{
    /* the CTR registers keep counting across a profile reset */
    int64_t acc, hit;
    totals(c, &acc, &hit);
    c->ctr_acc_base -= acc;
    c->ctr_hit_base -= hit;
    memset(c->st, 0, sizeof(c->st));
}

void xc_reset(xip_cache *c)
{
    xc_region_stats st[XR_COUNT];
    memcpy(st, c->st, sizeof(st));
    int64_t acc, hit;
    totals(c, &acc, &hit);
    memset(c, 0, offsetof(xip_cache, qmi));   /* the wiring stays */
    memcpy(c->st, st, sizeof(st));
    c->ctr_acc_base = acc;   /* the counters restart from 0 at a reset */
    c->ctr_hit_base = hit;
    c->rng = 0x2350CAC4u;
}

void xc_init(xip_cache *c, xip_qmi_port qmi, const uint32_t *xip_ctrl)
{
    memset(c, 0, sizeof(*c));
    c->qmi = qmi;
    c->xip_ctrl = xip_ctrl;
    xc_reset(c);
}
