/* dev_xip.c - XIP windows, XIP_CTRL, XIP_AUX, maintenance, cache-as-SRAM and
 * streaming (see dev_xip.h; datasheet 4.4, rp2350-facts.md 1.2 and 8). */
#include "dev_xip.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "regs/qmi.h"

enum { KIND_CACHED = XIP_KIND_CACHED, KIND_NOCACHE = XIP_KIND_NOCACHE,
       KIND_NOTRANSLATE = XIP_KIND_NOTRANSLATE, KIND_COUNT = XIP_KIND_COUNT };
static const uint32_t kind_base[KIND_COUNT] = {XIP_CACHED_BASE, XIP_NOCACHE_BASE, XIP_NOTRANSLATE_BASE};

static int window_of(uint32_t addr, int *kind, int *cs, uint32_t *off)
{
    for (int k = 0; k < KIND_COUNT; k++) {
        if (addr >= kind_base[k] && addr < kind_base[k] + 2 * XIP_WINDOW_SIZE) {
            *kind = k;
            *cs = (addr - kind_base[k]) >= XIP_WINDOW_SIZE;
            *off = (addr - kind_base[k]) & (XIP_WINDOW_SIZE - 1);
            return 1;
        }
    }
    return 0;
}

void xip_request_remap(xip_dev *x) { x->board.remap_requested(x->board.ctx); }

void xip_windows_changed(void *xip, int n, uint32_t unused)
{
    (void)n, (void)unused;
    xip_request_remap(xip);
}

/* the QMI's memory-mapped side */
static int qmi_direct_enabled(xip_dev *x) { return x->qmi.direct_enabled(x->qmi.qmi); }
static int qmi_atrans_identity(xip_dev *x) { return x->qmi.atrans_identity(x->qmi.qmi); }
static int qmi_translate(xip_dev *x, uint32_t xip_off, int *cs, uint32_t *chip_off)
{
    return x->qmi.translate(x->qmi.qmi, xip_off, cs, chip_off);
}
static uint32_t qmi_xip_read(xip_dev *x, int cs, uint32_t off, int size)
{
    return x->qmi.read(x->qmi.qmi, cs, off, size);
}
static void qmi_xip_write(xip_dev *x, int cs, uint32_t off, int size, uint32_t value)
{
    x->qmi.write(x->qmi.qmi, cs, off, size, value);
}
static int qmi_xip_read_ok(xip_dev *x, int cs, const char **why)
{
    return x->qmi.read_ok(x->qmi.qmi, cs, why);
}
static int qmi_xip_write_ok(xip_dev *x, int cs, const char **why)
{
    return x->qmi.write_ok(x->qmi.qmi, cs, why);
}

/* the cores' side */
static uint64_t core_now(xip_dev *x, int core) { return x->board.core_now(x->board.ctx, core); }
static void core_stall(xip_dev *x, int core, uint32_t cycles)
{
    x->board.core_stall(x->board.ctx, core, cycles);
}

/* the mode window (kind, cs) should have now */
/* Nothing answers in a window of this kind: QMI is in direct mode, or
 * XIP_CTRL turns the kind off. */
static int window_off(xip_dev *x, int kind)
{
    uint32_t ctrl = x->ctrl;
    return qmi_direct_enabled(x) ||
           (kind == KIND_NOCACHE && (ctrl & XIP_CTRL_NO_UNCACHED_SEC)) ||
           (kind == KIND_NOTRANSLATE && (ctrl & XIP_CTRL_NO_UNTRANSLATED_SEC));
}

static int window_mode(xip_dev *x, int kind, int cs)
{
    if (window_off(x, kind)) return XIP_MAP_NONE;
    if (kind != KIND_NOTRANSLATE && !qmi_atrans_identity(x)) return XIP_MAP_SLOW;
    if (!qmi_xip_read_ok(x, cs, NULL)) return XIP_MAP_SLOW;
    uint32_t wbit = cs ? XIP_CTRL_WRITABLE_M1 : XIP_CTRL_WRITABLE_M0;
    if ((x->ctrl & wbit) && cs == 1 && qmi_xip_write_ok(x, cs, NULL)) return XIP_MAP_RW;
    return XIP_MAP_RO;   /* writes: dropped, or played on the bus by the prot hook */
}

/* ---- slow path (MMIO on the windows) ---- */

static int slow_target(xip_dev *x, uint32_t addr, int *cs, uint32_t *off)
{
    int kind;
    uint32_t woff;
    if (!window_of(addr, &kind, cs, &woff)) return 0;
    if (kind == KIND_NOTRANSLATE) {
        *off = woff;
        return 1;
    }
    return qmi_translate(x, (uint32_t)*cs * XIP_WINDOW_SIZE + woff, cs, off);
}

/* the memory behind QMI chip select cs (flash or PSRAM, NULL if none) and its size */
static uint8_t *xip_chip_mem(xip_dev *x, int cs, uint32_t *size)
{
    *size = x->mem_size[cs];
    return x->mem[cs];
}

/* the chip's contents at a chip offset (smaller chips mirror) */
static uint32_t chip_contents(xip_dev *x, int cs, uint32_t off, int size)
{
    uint32_t csize, v = 0;
    uint8_t *mem = xip_chip_mem(x, cs, &csize);
    if (!mem) return ~0u;
    for (int i = 0; i < size; i++) v |= (uint32_t)mem[(off + (uint32_t)i) % csize] << (8 * i);
    return v;
}

static void warn_slow(xip_dev *x, int cs, uint32_t addr, uint32_t value, int is_write)
{
    if (x->warned_slow[cs]) return;
    x->warned_slow[cs] = 1;
    const char *why;
    qmi_xip_read_ok(x, cs, &why);
    sim_warn("XIP %s of 0x%08x (QMI CS%d, %s) while %s: %s the QSPI bus (0x%08x), not the "
             "chip's contents", is_write ? "write" : "read", addr, cs, cs ? "PSRAM" : "flash",
             why ? why : "the window's formats do not match the chip", is_write ? "it reaches" : "it returns what is on",
             value);
}

static uint64_t window_read(void *xip, int core, uint32_t addr, unsigned size)
{
    xip_dev *x = xip;
    uint32_t off;
    int cs;
    if (!slow_target(x, addr, &cs, &off)) {
        svc_bad_access(x->svc, core, addr, 0, (int)size, "XIP address not mapped by QMI ATRANS");
        return 0;
    }
    uint32_t v = qmi_xip_read(x, cs, off, (int)size);
    if (qmi_xip_read_ok(x, cs, NULL)) xip_request_remap(x);   /* it has become steady */
    else if (v != chip_contents(x, cs, off, (int)size)) warn_slow(x, cs, addr, v, 0);
    return v;
}

static void window_write(void *xip, int core, uint32_t addr, unsigned size, uint64_t value)
{
    xip_dev *x = xip;
    uint32_t off;
    int cs;
    if (!slow_target(x, addr, &cs, &off)) {
        svc_bad_access(x->svc, core, addr, 1, (int)size, "XIP address not mapped by QMI ATRANS");
        return;
    }
    if (!xip_write_dropped(x, core, addr)) {
        core_stall(x, core, xc_write(x->xc, core, addr, (int)size, core_now(x, core)));
        qmi_xip_write(x, cs, off, (int)size, (uint32_t)value);
        warn_slow(x, cs, addr, (uint32_t)value, 1);
    } else {
        core_stall(x, core, xc_read(x->xc, core, addr, (int)size, core_now(x, core)));
    }
}

/* ---- mapping windows into the engines ---- */

static void unmap_window(xip_dev *x, int core, int kind, int cs)
{
    uint32_t base = kind_base[kind] + (uint32_t)cs * XIP_WINDOW_SIZE;
    if (x->mapped[core][kind][cs] != XIP_MAP_NONE)
        x->board.unmap(x->board.ctx, core, base, XIP_WINDOW_SIZE);
    x->mapped[core][kind][cs] = XIP_MAP_NONE;
}

static int map_window(xip_dev *x, int core, int kind, int cs, int mode)
{
    uint32_t base = kind_base[kind] + (uint32_t)cs * XIP_WINDOW_SIZE;
    int ok = 1;
    const char *err = NULL;
    if (mode == XIP_MAP_SLOW) {
        xip_mmio *io = &x->window_io[core][kind][cs];
        *io = (xip_mmio){x, core, base, window_read, window_write};
        ok = x->board.map_mmio(x->board.ctx, core, base, XIP_WINDOW_SIZE, io, &err);
    } else if (mode != XIP_MAP_NONE) {
        uint32_t size;
        uint8_t *mem = xip_chip_mem(x, cs, &size);
        /* read/execute only even for XIP_MAP_RW: every store then reaches
         * the write-protection hook (xip_prot_write), which stores it and
         * times it through the XIP cache model. Smaller chips ignore the
         * high address bits: mirror them */
        for (uint32_t a = 0; a < XIP_WINDOW_SIZE && ok; a += size)
            ok = x->board.map_memory(x->board.ctx, core, base + a, size, mem, &err);
    }
    if (!ok) {
        svc_stop(x->svc, STOP_FAULT, SIM_EXIT_FAULT, "internal: cannot map XIP window 0x%08x: %s",
                 base, err);
        return 0;
    }
    x->mapped[core][kind][cs] = mode;
    return 1;
}

static const char *mode_name(int mode)
{
    static const char *n[] = {"unmapped (bus fault)", "bus-level (slow)", "read-only", "read/write"};
    return n[mode];
}

void xip_remap(xip_dev *x)
{
    int want[KIND_COUNT][2];
    for (int k = 0; k < KIND_COUNT; k++)
        for (int cs = 0; cs < 2; cs++) want[k][cs] = window_mode(x, k, cs);
    for (int cs = 0; cs < 2; cs++) {
        if (want[KIND_CACHED][cs] != x->mode[cs]) {
            const char *why = NULL;
            if (want[KIND_CACHED][cs] == XIP_MAP_SLOW) qmi_xip_read_ok(x, cs, &why);
            if (cs == 1 || want[KIND_CACHED][cs] != XIP_MAP_RO || x->mapped_any)
                sim_info("XIP CS%d (%s) window: %s%s%s", cs, cs ? "PSRAM" : "flash",
                         mode_name(want[KIND_CACHED][cs]), why ? " - " : "", why ? why : "");
            x->mode[cs] = want[KIND_CACHED][cs];
        }
    }
    x->mapped_any = 1;
    for (int core = 0; core < 2; core++) {
        for (int k = 0; k < KIND_COUNT; k++) {
            for (int cs = 0; cs < 2; cs++) {
                if (x->mapped_valid[core] && x->mapped[core][k][cs] == want[k][cs]) continue;
                if (x->mapped_valid[core]) unmap_window(x, core, k, cs);
                if (!map_window(x, core, k, cs, want[k][cs])) return;
                x->board.flush_code(x->board.ctx, core,
                                    kind_base[k] + (uint32_t)cs * XIP_WINDOW_SIZE, XIP_WINDOW_SIZE);
            }
        }
        x->mapped_valid[core] = 1;
    }
}

int xip_window_mapped(xip_dev *x, int core, uint32_t addr)
{
    int kind, cs;
    uint32_t off;
    return window_of(addr, &kind, &cs, &off) && x->mapped[core][kind][cs] != XIP_MAP_NONE;
}

int xip_write_dropped(xip_dev *x, int core, uint32_t addr)
{
    int kind, cs;
    uint32_t off;
    (void)core;
    if (!window_of(addr, &kind, &cs, &off)) return 0;
    if (x->ctrl & (cs ? XIP_CTRL_WRITABLE_M1 : XIP_CTRL_WRITABLE_M0)) return 0;
    if (!x->warned_write[cs]) {
        x->warned_write[cs] = 1;
        sim_warn("write to XIP CS%d at 0x%08x ignored: XIP_CTRL.WRITABLE_M%d is 0 (XIP writes are "
                 "downgraded to reads)", cs, addr, cs);
    }
    return 1;
}

/* stores value (size bytes) at window offset of a fast-mapped window */
static void direct_store(xip_dev *x, int cs, uint32_t off, int size, uint64_t value)
{
    uint32_t csize;
    uint8_t *mem = xip_chip_mem(x, cs, &csize);
    for (int i = 0; i < size; i++) mem[(off + (uint32_t)i) % csize] = (uint8_t)(value >> (8 * i));
}

int xip_prot_write(xip_dev *x, int core, uint32_t addr, int size, uint64_t value)
{
    int kind, cs, ccs;
    uint32_t off, coff;
    if (!window_of(addr, &kind, &cs, &off)) return 0;
    xip_cache *xc = x->xc;
    /* Unicorn splits an unaligned store into bytes after reporting it whole:
     * the whole store was already done and timed */
    if (size == 1 && xc->last_write_left && addr - xc->last_write_addr < (uint32_t)xc->last_write_size) {
        xc->last_write_left--;
        return 1;
    }
    xc->last_write_left = 0;
    if (size > 1 && (addr & (uint32_t)(size - 1))) {
        xc->last_write_addr = addr;
        xc->last_write_size = size;
        xc->last_write_left = (uint32_t)size;
    }
    uint64_t now = core_now(x, core);
    if (xip_write_dropped(x, core, addr)) {
        core_stall(x, core, xc_read(xc, core, addr, size, now));   /* downgraded to a read */
        return 1;
    }
    if (!slow_target(x, addr, &ccs, &coff)) return 0;
    core_stall(x, core, xc_write(xc, core, addr, size, now));
    if (x->mapped[core][kind][cs] == XIP_MAP_RW) {
        direct_store(x, ccs, coff, size, value);
        return 1;
    }
    /* writable, but the fast path cannot take it: play it on the bus */
    qmi_xip_write(x, ccs, coff, size, (uint32_t)value);
    if (qmi_xip_write_ok(x, ccs, NULL)) xip_request_remap(x);
    else warn_slow(x, ccs, addr, (uint32_t)value, 1);
    return 1;
}

const char *xip_describe_fault(xip_dev *x, int core, uint32_t addr)
{
    static char buf[200];
    int kind, cs;
    uint32_t off;
    if (!window_of(addr, &kind, &cs, &off)) return NULL;
    int mode = x->mapped[core][kind][cs];
    if (mode == XIP_MAP_NONE) {
        if (qmi_direct_enabled(x))
            snprintf(buf, sizeof(buf), "XIP CS%d window while QMI direct mode is enabled "
                     "(DIRECT_CSR.EN=1): memory-mapped accesses bus-fault", cs);
        else
            snprintf(buf, sizeof(buf), "XIP CS%d window disabled for Secure accesses by XIP_CTRL "
                     "(NO_UNCACHED_SEC / NO_UNTRANSLATED_SEC)", cs);
        return buf;
    }
    if (mode == XIP_MAP_SLOW) {
        const char *why;
        qmi_xip_read_ok(x, cs, &why);
        snprintf(buf, sizeof(buf), "XIP CS%d window: its QMI format does not return the %s's "
                 "contents (%s), so no code can run from it", cs, cs ? "PSRAM" : "flash",
                 why ? why : "format mismatch");
        return buf;
    }
    return NULL;
}

/* ---- fixed XIP regions: maintenance and cache-as-SRAM ---- */

static void maintenance(xip_dev *x, int master, uint32_t addr)
{
    if (master <= BUS_MASTER_CORE1)
        core_stall(x, master, xc_maintain(x->xc, master, addr, core_now(x, master)));
    else
        xc_maintain(x->xc, master, addr, svc_now_cycles(x->svc));
    uint32_t op = addr & 7, off = addr & 0x3FFFFF8u;
    uint32_t sram_off = XIP_SRAM_BASE - XIP_CACHED_BASE;
    int in_sram = off >= sram_off && off < sram_off + XIP_SRAM_SIZE;
    uint32_t line = (off - sram_off) / 8;
    switch (op) {
    case 7:   /* pin at address */
        if (in_sram) x->pinned[line] = 1;
        break;
    case 0:   /* invalidate by set/way: the SDK's invalidate-all walks the SRAM range */
    case 2:   /* invalidate by address */
        if (in_sram) x->pinned[line] = 0;
        break;
    default: break;   /* clean: nothing to write back in this model */
    }
}

static uint64_t maint_read(void *xip, int core, uint32_t addr, unsigned size)
{
    xip_dev *x = xip;
    svc_bad_access(x->svc, core, addr, 0, (int)size, "XIP cache maintenance window is write-only");
    return 0;
}

static void maint_write(void *xip, int core, uint32_t addr, unsigned size, uint64_t v)
{
    (void)size;
    (void)v;
    maintenance(xip, core, addr);
}

static int sram_line_ok(xip_dev *x, uint32_t off, int size)
{
    return x->pinned[off / 8] && x->pinned[(off + (uint32_t)size - 1) / 8];
}

static uint64_t xsram_read(void *xip, int core, uint32_t addr, unsigned size)
{
    xip_dev *x = xip;
    uint32_t offset = addr - XIP_SRAM_BASE;
    if (!sram_line_ok(x, offset, (int)size)) {
        svc_bad_access(x->svc, core, addr, 0, (int)size,
                       "XIP cache-as-SRAM: this cache line is not pinned");
        return 0;
    }
    uint32_t v = 0;
    memcpy(&v, x->sram + offset, size);
    return v;
}

static void xsram_write(void *xip, int core, uint32_t addr, unsigned size, uint64_t v)
{
    xip_dev *x = xip;
    uint32_t offset = addr - XIP_SRAM_BASE;
    if (!sram_line_ok(x, offset, (int)size)) {
        svc_bad_access(x->svc, core, addr, 1, (int)size,
                       "XIP cache-as-SRAM: this cache line is not pinned");
        return;
    }
    memcpy(x->sram + offset, &v, size);
}

int xip_map_fixed(xip_dev *x, int core)
{
    xip_mmio *pm = &x->maint_io[core], *ps = &x->sram_io[core];
    *pm = (xip_mmio){x, core, XIP_MAINT_BASE, maint_read, maint_write};
    *ps = (xip_mmio){x, core, XIP_SRAM_BASE, xsram_read, xsram_write};
    const char *err;
    if (!x->board.map_mmio(x->board.ctx, core, XIP_MAINT_BASE, 0x04000000u, pm, &err) ||
        !x->board.map_mmio(x->board.ctx, core, XIP_SRAM_BASE, XIP_SRAM_SIZE, ps, &err)) {
        sim_error("cannot map the XIP maintenance/SRAM windows");
        return 0;
    }
    x->mapped_valid[core] = 0;
    return 1;
}

/* ---- DMA / sim access ---- */

int xip_bus_read(xip_dev *x, int master, uint32_t addr, int size, uint32_t *v)
{
    int kind, cs;
    uint32_t off;
    if (addr >= XIP_SRAM_BASE && addr < XIP_SRAM_BASE + XIP_SRAM_SIZE) {
        *v = 0;
        if (!sram_line_ok(x, addr - XIP_SRAM_BASE, size)) return 0;
        memcpy(v, x->sram + (addr - XIP_SRAM_BASE), (size_t)size);
        return 1;
    }
    if (!window_of(addr, &kind, &cs, &off) || window_off(x, kind)) {
        char desc[160];
        svc_bad_access(x->svc, master, addr, 0, size,
                       x->board.describe(x->board.ctx, addr, desc, sizeof(desc)));
        return 0;
    }
    if (!slow_target(x, addr, &cs, &off)) return 0;
    if (x->mode[cs] >= XIP_MAP_RO && qmi_atrans_identity(x)) {
        *v = chip_contents(x, cs, off, size);
        return 1;
    }
    *v = qmi_xip_read(x, cs, off, size);
    return 1;
}

int xip_bus_write(xip_dev *x, int master, uint32_t addr, int size, uint32_t v)
{
    int kind, cs;
    uint32_t off;
    if (addr >= XIP_MAINT_BASE && addr < XIP_MAINT_BASE + 0x04000000u) {
        maintenance(x, master, addr);
        return 1;
    }
    if (addr >= XIP_SRAM_BASE && addr < XIP_SRAM_BASE + XIP_SRAM_SIZE) {
        if (!sram_line_ok(x, addr - XIP_SRAM_BASE, size)) return 0;
        memcpy(x->sram + (addr - XIP_SRAM_BASE), &v, (size_t)size);
        return 1;
    }
    if (!window_of(addr, &kind, &cs, &off) || window_off(x, kind)) {
        char desc[160];
        svc_bad_access(x->svc, master, addr, 1, size,
                       x->board.describe(x->board.ctx, addr, desc, sizeof(desc)));
        return 0;
    }
    if (xip_write_dropped(x, master <= 1 ? master : 0, addr)) return 1;
    if (!slow_target(x, addr, &cs, &off)) return 0;
    qmi_xip_write(x, cs, off, size, v);
    return 1;
}

/* ---- streaming ----
 * The stream engine reads ahead while its 2-entry FIFO has room; each word
 * is a QSPI transfer (sequential words chain), so words arrive at the QSPI
 * rate: stream_due is when the word in flight reaches the FIFO. */

static void stream_request(xip_dev *x, uint64_t t)
{
    x->stream_due = xc_stream_read(x->xc, x->stream_addr, t);
    x->stream_inflight = 1;
}

static void stream_fill(xip_dev *x, uint64_t now)
{
    while (x->stream_inflight && x->stream_due <= now && x->fifo_count < 2 &&
           !qmi_direct_enabled(x)) {
        uint32_t v = 0;
        xip_bus_read(x, BUS_MASTER_SIM, x->stream_addr, 4, &v);
        x->fifo[x->fifo_count++] = v;
        x->stream_addr += 4;
        x->stream_ctr--;
        x->stream_inflight = 0;
        if (x->stream_ctr && x->fifo_count < 2) stream_request(x, x->stream_due);
    }
}

static uint32_t stream_pop(xip_dev *x, uint64_t now)
{
    stream_fill(x, now);
    if (!x->fifo_count) return 0;
    uint32_t v = x->fifo[0];
    x->fifo[0] = x->fifo[1];
    x->fifo_count--;
    if (!x->stream_inflight && x->stream_ctr) stream_request(x, now);
    stream_fill(x, now);
    return v;
}

int xip_stream_ready(xip_dev *x, uint64_t t)
{
    stream_fill(x, t);
    return x->fifo_count > 0;
}

uint64_t xip_stream_due(xip_dev *x)
{
    return x->stream_inflight && x->fifo_count < 2 ? x->stream_due : 0;
}

/* ---- XIP_CTRL / XIP_AUX registers ---- */

static int ctrl_read(void *st, bus_access *a, uint32_t *v)
{
    xip_dev *x = st;
    switch (a->offset) {
    case XIP_CTRL: *v = x->ctrl; return BUS_OK;
    case XIP_STAT:
        stream_fill(x, svc_now_cycles(x->svc));
        *v = (x->fifo_count == 2 ? XIP_STAT_FIFO_FULL : 0) | (x->fifo_count == 0 ? XIP_STAT_FIFO_EMPTY : 0);
        return BUS_OK;
    case XIP_CTR_HIT: *v = xc_ctr(x->xc, 1); return BUS_OK;
    case XIP_CTR_ACC: *v = xc_ctr(x->xc, 0); return BUS_OK;
    case XIP_STREAM_ADDR: *v = x->stream_addr; return BUS_OK;
    case XIP_STREAM_CTR: *v = x->stream_ctr; return BUS_OK;
    case XIP_STREAM_FIFO: *v = stream_pop(x, svc_now_cycles(x->svc)); return BUS_OK;
    }
    return BUS_HOLE;
}

static int ctrl_write(void *st, bus_access *a, uint32_t v)
{
    xip_dev *x = st;
    switch (a->offset) {
    case XIP_CTRL: {
        uint32_t old = x->ctrl;
        x->ctrl = bus_alias_apply(old, v, a->alias) & 0xFFBu;
        if (x->ctrl & XIP_CTRL_POWER_DOWN) x->ctrl &= ~3u;
        if ((old ^ x->ctrl) & (XIP_CTRL_WRITABLE_M0 | XIP_CTRL_WRITABLE_M1 |
                               XIP_CTRL_NO_UNCACHED_SEC | XIP_CTRL_NO_UNTRANSLATED_SEC))
            xip_request_remap(x);
        return BUS_OK;
    }
    case XIP_STAT: return BUS_OK;
    case XIP_CTR_HIT: xc_ctr_clear(x->xc, 1); return BUS_OK;
    case XIP_CTR_ACC: xc_ctr_clear(x->xc, 0); return BUS_OK;
    case XIP_STREAM_ADDR: x->stream_addr = bus_alias_apply(x->stream_addr, v, a->alias) & ~3u; return BUS_OK;
    case XIP_STREAM_CTR:
        x->stream_ctr = bus_alias_apply(x->stream_ctr, v, a->alias) & 0x3FFFFF;
        if (!x->stream_ctr) x->stream_inflight = 0;   /* abort */
        else if (!x->stream_inflight && x->fifo_count < 2) stream_request(x, svc_now_cycles(x->svc));
        return BUS_OK;
    case XIP_STREAM_FIFO: return BUS_OK;
    }
    return BUS_HOLE;
}

static int aux_read(void *st, bus_access *a, uint32_t *v)
{
    xip_dev *x = st;
    switch (a->offset) {
    case XIP_AUX_STREAM:
        *v = stream_pop(x, a->master == BUS_MASTER_DMA ? x->board.dma_now(x->board.ctx)
                                                       : svc_now_cycles(x->svc));
        return BUS_OK;
    case XIP_AUX_QMI_DIRECT_TX: *v = 0; return BUS_OK;
    case XIP_AUX_QMI_DIRECT_RX: *v = x->qmi.aux_rx(x->qmi.qmi); return BUS_OK;
    }
    return BUS_HOLE;
}

static int aux_write(void *st, bus_access *a, uint32_t v)
{
    xip_dev *x = st;
    switch (a->offset) {
    case XIP_AUX_STREAM: return BUS_OK;
    case XIP_AUX_QMI_DIRECT_TX: x->qmi.aux_tx(x->qmi.qmi, v); return BUS_OK;
    case XIP_AUX_QMI_DIRECT_RX: return BUS_OK;
    }
    return BUS_HOLE;
}

void xip_flash_modified(xip_dev *x, uint32_t offset, uint32_t len)
{
    for (int core = 0; core < 2; core++)
        for (int k = 0; k < KIND_COUNT; k++)
            for (uint32_t a = 0; a < XIP_WINDOW_SIZE; a += x->mem_size[0])
                x->board.flush_code(x->board.ctx, core, kind_base[k] + a + offset, len);
    x->board.flush_timing(x->board.ctx);
}

void xip_reset(xip_dev *x)
{
    memset(x, 0, offsetof(xip_dev, mode));   /* the mappings and the wiring stay */
    x->ctrl = 0x83;
    xip_request_remap(x);
}

void xip_init(xip_dev *x, const board_services *svc)
{
    memset(x, 0, sizeof(*x));
    x->svc = svc;
    bus_dev_setup(&x->dev_ctrl, "XIP_CTRL", XIP_CTRL_BASE, 0x4000, 1, -1, x, ctrl_read, ctrl_write);
    bus_dev_setup(&x->dev_aux, "XIP_AUX", XIP_AUX_BASE, 0x4000, 1, -1, x, aux_read, aux_write);
}
