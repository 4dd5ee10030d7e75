/* dev_xip.c - XIP windows, XIP_CTRL, XIP_AUX, maintenance, cache-as-SRAM and
 * streaming (see dev_xip.h; datasheet 4.4, rp2350-facts.md 1.2 and 8). */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "machine.h"
#include "regs/qmi.h"

enum { KIND_CACHED = 0, KIND_NOCACHE = 1, KIND_NOTRANSLATE = 2, KIND_COUNT = 3 };
static const uint32_t kind_base[KIND_COUNT] = {XIP_CACHED_BASE, XIP_NOCACHE_BASE, XIP_NOTRANSLATE_BASE};

/* what is mapped in each core's engine: [core][kind][cs] */
static int mapped[2][KIND_COUNT][2];
static int mapped_valid[2];

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

void xip_request_remap(machine *m)
{
    m->remap_pending = 1;
    machine_kick(m);
}

/* the mode window (kind, cs) should have now */
/* Nothing answers in a window of this kind: QMI is in direct mode, or
 * XIP_CTRL turns the kind off. */
static int window_off(machine *m, int kind)
{
    uint32_t ctrl = m->xip.ctrl;
    return qmi_direct_enabled(m) ||
           (kind == KIND_NOCACHE && (ctrl & XIP_CTRL_NO_UNCACHED_SEC)) ||
           (kind == KIND_NOTRANSLATE && (ctrl & XIP_CTRL_NO_UNTRANSLATED_SEC));
}

static int window_mode(machine *m, int kind, int cs)
{
    xip_dev *x = &m->xip;
    if (window_off(m, kind)) return XIP_MAP_NONE;
    if (kind != KIND_NOTRANSLATE && !qmi_atrans_identity(m)) return XIP_MAP_SLOW;
    if (!qmi_xip_read_ok(m, cs, NULL)) return XIP_MAP_SLOW;
    uint32_t wbit = cs ? XIP_CTRL_WRITABLE_M1 : XIP_CTRL_WRITABLE_M0;
    if ((x->ctrl & wbit) && cs == 1 && qmi_xip_write_ok(m, cs, NULL)) return XIP_MAP_RW;
    return XIP_MAP_RO;   /* writes: dropped, or played on the bus by the prot hook */
}

/* ---- slow path (MMIO on the windows) ---- */

static int slow_target(machine *m, uint32_t addr, int *cs, uint32_t *off)
{
    int kind;
    uint32_t woff;
    if (!window_of(addr, &kind, cs, &woff)) return 0;
    if (kind == KIND_NOTRANSLATE) {
        *off = woff;
        return 1;
    }
    return qmi_translate(m, (uint32_t)*cs * XIP_WINDOW_SIZE + woff, cs, off);
}

uint8_t *xip_chip_mem(machine *m, int cs, uint32_t *size)
{
    *size = cs ? m->psram_size : m->flash_size;
    return cs ? m->psram : m->flash;
}

/* the chip's contents at a chip offset (smaller chips mirror) */
static uint32_t chip_contents(machine *m, int cs, uint32_t off, int size)
{
    uint32_t csize, v = 0;
    uint8_t *mem = xip_chip_mem(m, cs, &csize);
    if (!mem) return ~0u;
    for (int i = 0; i < size; i++) v |= (uint32_t)mem[(off + (uint32_t)i) % csize] << (8 * i);
    return v;
}

static void warn_slow(machine *m, int cs, uint32_t addr, uint32_t value, int is_write)
{
    xip_dev *x = &m->xip;
    if (x->warned_slow[cs]) return;
    x->warned_slow[cs] = 1;
    const char *why;
    qmi_xip_read_ok(m, cs, &why);
    sim_warn("XIP %s of 0x%08x (QMI CS%d, %s) while %s: %s the QSPI bus (0x%08x), not the "
             "chip's contents", is_write ? "write" : "read", addr, cs, cs ? "PSRAM" : "flash",
             why ? why : "the window's formats do not match the chip", is_write ? "it reaches" : "it returns what is on",
             value);
}

static uint64_t window_read(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
    (void)uc;
    cpu_port *p = user;
    machine *m = p->m;
    uint32_t addr = p->dev->base + (uint32_t)offset, off;
    int cs;
    if (!slow_target(m, addr, &cs, &off)) {
        machine_bad_access(m, p->core, addr, 0, (int)size, "XIP address not mapped by QMI ATRANS");
        return 0;
    }
    uint32_t v = qmi_xip_read(m, cs, off, (int)size);
    if (qmi_xip_read_ok(m, cs, NULL)) xip_request_remap(m);   /* it has become steady */
    else if (v != chip_contents(m, cs, off, (int)size)) warn_slow(m, cs, addr, v, 0);
    return v;
}

static void window_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *user)
{
    cpu_port *p = user;
    machine *m = p->m;
    uint32_t addr = p->dev->base + (uint32_t)offset, off;
    int cs;
    (void)uc;
    if (!slow_target(m, addr, &cs, &off)) {
        machine_bad_access(m, p->core, addr, 1, (int)size, "XIP address not mapped by QMI ATRANS");
        return;
    }
    sim_core *c = &m->core[p->core];
    if (!xip_write_dropped(m, p->core, addr)) {
        core_stall(c, xc_write(m, p->core, addr, (int)size, c->cycles + c->slice_used));
        qmi_xip_write(m, cs, off, (int)size, (uint32_t)value);
        warn_slow(m, cs, addr, (uint32_t)value, 1);
    } else {
        core_stall(c, xc_read(m, p->core, addr, (int)size, c->cycles + c->slice_used));
    }
}

/* ---- mapping windows into the engines ---- */

static sim_device window_dev[KIND_COUNT][2];
static cpu_port window_port[2][KIND_COUNT][2];

static void unmap_window(machine *m, int core, int kind, int cs)
{
    uc_engine *uc = m->core[core].uc;
    uint32_t base = kind_base[kind] + (uint32_t)cs * XIP_WINDOW_SIZE;
    if (mapped[core][kind][cs] != XIP_MAP_NONE) uc_mem_unmap(uc, base, XIP_WINDOW_SIZE);
    core_memory_changed();
    mapped[core][kind][cs] = XIP_MAP_NONE;
}

static int map_window(machine *m, int core, int kind, int cs, int mode)
{
    uc_engine *uc = m->core[core].uc;
    uint32_t base = kind_base[kind] + (uint32_t)cs * XIP_WINDOW_SIZE;
    uc_err e = UC_ERR_OK;
    if (mode == XIP_MAP_SLOW) {
        cpu_port *p = &window_port[core][kind][cs];
        p->m = m;
        p->core = core;
        p->dev = &window_dev[kind][cs];
        p->dev->base = base;
        p->dev->name = cs ? "XIP CS1" : "XIP CS0";
        e = uc_mmio_map(uc, base, XIP_WINDOW_SIZE, window_read, p, window_write, p);
    } else if (mode != XIP_MAP_NONE) {
        uint32_t size;
        uint8_t *mem = xip_chip_mem(m, cs, &size);
        /* no write permission even for XIP_MAP_RW: every store then reaches
         * the write-protection hook (xip_prot_write), which stores it and
         * times it through the XIP cache model */
        uint32_t perms = UC_PROT_READ | UC_PROT_EXEC;
        /* smaller chips ignore the high address bits: mirror them */
        for (uint32_t a = 0; a < XIP_WINDOW_SIZE && e == UC_ERR_OK; a += size)
            e = uc_mem_map_ptr(uc, base + a, size, perms, mem);
    }
    core_memory_changed();
    if (e != UC_ERR_OK) {
        machine_stop(m, STOP_FAULT, SIM_EXIT_FAULT, "internal: cannot map XIP window 0x%08x: %s",
                     base, uc_strerror(e));
        return 0;
    }
    mapped[core][kind][cs] = mode;
    return 1;
}

static const char *mode_name(int mode)
{
    static const char *n[] = {"unmapped (bus fault)", "bus-level (slow)", "read-only", "read/write"};
    return n[mode];
}

void xip_remap(machine *m)
{
    xip_dev *x = &m->xip;
    m->remap_pending = 0;
    int want[KIND_COUNT][2];
    for (int k = 0; k < KIND_COUNT; k++)
        for (int cs = 0; cs < 2; cs++) want[k][cs] = window_mode(m, k, cs);
    for (int cs = 0; cs < 2; cs++) {
        if (want[KIND_CACHED][cs] != x->mode[cs]) {
            const char *why = NULL;
            if (want[KIND_CACHED][cs] == XIP_MAP_SLOW) qmi_xip_read_ok(m, cs, &why);
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
                if (mapped_valid[core] && mapped[core][k][cs] == want[k][cs]) continue;
                if (mapped_valid[core]) unmap_window(m, core, k, cs);
                if (!map_window(m, core, k, cs, want[k][cs])) return;
                core_flush_code(&m->core[core], kind_base[k] + (uint32_t)cs * XIP_WINDOW_SIZE,
                               XIP_WINDOW_SIZE);
            }
        }
        mapped_valid[core] = 1;
    }
}

int xip_window_mapped(machine *m, int core, uint32_t addr)
{
    int kind, cs;
    uint32_t off;
    (void)m;
    return window_of(addr, &kind, &cs, &off) && mapped[core][kind][cs] != XIP_MAP_NONE;
}

int xip_write_dropped(machine *m, int core, uint32_t addr)
{
    xip_dev *x = &m->xip;
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
static void direct_store(machine *m, int cs, uint32_t off, int size, uint64_t value)
{
    uint32_t csize;
    uint8_t *mem = xip_chip_mem(m, cs, &csize);
    for (int i = 0; i < size; i++) mem[(off + (uint32_t)i) % csize] = (uint8_t)(value >> (8 * i));
}

int xip_prot_write(machine *m, int core, uint32_t addr, int size, uint64_t value)
{
    int kind, cs, ccs;
    uint32_t off, coff;
    if (!window_of(addr, &kind, &cs, &off)) return 0;
    xip_cache *xc = &m->xc;
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
    sim_core *c = &m->core[core];
    uint64_t now = c->cycles + c->slice_used;
    if (xip_write_dropped(m, core, addr)) {
        core_stall(c, xc_read(m, core, addr, size, now));   /* downgraded to a read */
        return 1;
    }
    if (!slow_target(m, addr, &ccs, &coff)) return 0;
    core_stall(c, xc_write(m, core, addr, size, now));
    if (mapped[core][kind][cs] == XIP_MAP_RW) {
        direct_store(m, ccs, coff, size, value);
        return 1;
    }
    /* writable, but the fast path cannot take it: play it on the bus */
    qmi_xip_write(m, ccs, coff, size, (uint32_t)value);
    if (qmi_xip_write_ok(m, ccs, NULL)) xip_request_remap(m);
    else warn_slow(m, ccs, addr, (uint32_t)value, 1);
    return 1;
}

const char *xip_describe_fault(machine *m, uint32_t addr)
{
    static char buf[200];
    int kind, cs;
    uint32_t off;
    if (!window_of(addr, &kind, &cs, &off)) return NULL;
    int mode = mapped[m->cur_core >= 0 ? m->cur_core : 0][kind][cs];
    if (mode == XIP_MAP_NONE) {
        if (qmi_direct_enabled(m))
            snprintf(buf, sizeof(buf), "XIP CS%d window while QMI direct mode is enabled "
                     "(DIRECT_CSR.EN=1): memory-mapped accesses bus-fault", cs);
        else
            snprintf(buf, sizeof(buf), "XIP CS%d window disabled for Secure accesses by XIP_CTRL "
                     "(NO_UNCACHED_SEC / NO_UNTRANSLATED_SEC)", cs);
        return buf;
    }
    if (mode == XIP_MAP_SLOW) {
        const char *why;
        qmi_xip_read_ok(m, cs, &why);
        snprintf(buf, sizeof(buf), "XIP CS%d window: its QMI format does not return the %s's "
                 "contents (%s), so no code can run from it", cs, cs ? "PSRAM" : "flash",
                 why ? why : "format mismatch");
        return buf;
    }
    return NULL;
}

/* ---- fixed XIP regions: maintenance and cache-as-SRAM ---- */

static void maintenance(machine *m, int master, uint32_t addr)
{
    xip_dev *x = &m->xip;
    if (master <= BUS_MASTER_CORE1) {
        sim_core *c = &m->core[master];
        core_stall(c, xc_maintain(m, master, addr, c->cycles + c->slice_used));
    } else {
        xc_maintain(m, master, addr, machine_now_cycles(m));
    }
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

static uint64_t maint_read(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
    (void)uc;
    cpu_port *p = user;
    machine_bad_access(p->m, p->core, XIP_MAINT_BASE + (uint32_t)offset, 0, (int)size,
                       "XIP cache maintenance window is write-only");
    return 0;
}

static void maint_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t v, void *user)
{
    (void)uc;
    (void)size;
    (void)v;
    cpu_port *p = user;
    maintenance(p->m, p->core, XIP_MAINT_BASE + (uint32_t)offset);
}

static int sram_line_ok(machine *m, uint32_t off, int size)
{
    return m->xip.pinned[off / 8] && m->xip.pinned[(off + (uint32_t)size - 1) / 8];
}

static uint64_t xsram_read(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
    (void)uc;
    cpu_port *p = user;
    machine *m = p->m;
    if (!sram_line_ok(m, (uint32_t)offset, (int)size)) {
        machine_bad_access(m, p->core, XIP_SRAM_BASE + (uint32_t)offset, 0, (int)size,
                           "XIP cache-as-SRAM: this cache line is not pinned");
        return 0;
    }
    uint32_t v = 0;
    memcpy(&v, m->xip.sram + offset, size);
    return v;
}

static void xsram_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t v, void *user)
{
    (void)uc;
    cpu_port *p = user;
    machine *m = p->m;
    if (!sram_line_ok(m, (uint32_t)offset, (int)size)) {
        machine_bad_access(m, p->core, XIP_SRAM_BASE + (uint32_t)offset, 1, (int)size,
                           "XIP cache-as-SRAM: this cache line is not pinned");
        return;
    }
    memcpy(m->xip.sram + offset, &v, size);
}

static sim_device maint_dev = {.name = "XIP maintenance", .base = XIP_MAINT_BASE};
static sim_device xsram_dev = {.name = "XIP SRAM", .base = XIP_SRAM_BASE};
static cpu_port fixed_port[2][2];

int xip_map_fixed(machine *m, int core)
{
    uc_engine *uc = m->core[core].uc;
    cpu_port *pm = &fixed_port[core][0], *ps = &fixed_port[core][1];
    pm->m = ps->m = m;
    pm->core = ps->core = core;
    pm->dev = &maint_dev;
    ps->dev = &xsram_dev;
    if (uc_mmio_map(uc, XIP_MAINT_BASE, 0x04000000u, maint_read, pm, maint_write, pm) != UC_ERR_OK ||
        uc_mmio_map(uc, XIP_SRAM_BASE, XIP_SRAM_SIZE, xsram_read, ps, xsram_write, ps) != UC_ERR_OK) {
        core_memory_changed();
        sim_error("cannot map the XIP maintenance/SRAM windows");
        return 0;
    }
    mapped_valid[core] = 0;
    core_memory_changed();
    return 1;
}

/* ---- DMA / sim access ---- */

int xip_bus_read(machine *m, int master, uint32_t addr, int size, uint32_t *v)
{
    int kind, cs;
    uint32_t off;
    if (addr >= XIP_SRAM_BASE && addr < XIP_SRAM_BASE + XIP_SRAM_SIZE) {
        *v = 0;
        if (!sram_line_ok(m, addr - XIP_SRAM_BASE, size)) return 0;
        memcpy(v, m->xip.sram + (addr - XIP_SRAM_BASE), (size_t)size);
        return 1;
    }
    if (!window_of(addr, &kind, &cs, &off) || window_off(m, kind)) {
        char desc[160];
        machine_bad_access(m, master, addr, 0, size, bus_describe(m, addr, desc, sizeof(desc)));
        return 0;
    }
    if (!slow_target(m, addr, &cs, &off)) return 0;
    if (m->xip.mode[cs] >= XIP_MAP_RO && qmi_atrans_identity(m)) {
        *v = chip_contents(m, cs, off, size);
        return 1;
    }
    *v = qmi_xip_read(m, cs, off, size);
    return 1;
}

int xip_bus_write(machine *m, int master, uint32_t addr, int size, uint32_t v)
{
    int kind, cs;
    uint32_t off;
    if (addr >= XIP_MAINT_BASE && addr < XIP_MAINT_BASE + 0x04000000u) {
        maintenance(m, master, addr);
        return 1;
    }
    if (addr >= XIP_SRAM_BASE && addr < XIP_SRAM_BASE + XIP_SRAM_SIZE) {
        if (!sram_line_ok(m, addr - XIP_SRAM_BASE, size)) return 0;
        memcpy(m->xip.sram + (addr - XIP_SRAM_BASE), &v, (size_t)size);
        return 1;
    }
    if (!window_of(addr, &kind, &cs, &off) || window_off(m, kind)) {
        char desc[160];
        machine_bad_access(m, master, addr, 1, size, bus_describe(m, addr, desc, sizeof(desc)));
        return 0;
    }
    if (xip_write_dropped(m, master <= 1 ? master : 0, addr)) return 1;
    if (!slow_target(m, addr, &cs, &off)) return 0;
    qmi_xip_write(m, cs, off, size, v);
    return 1;
}

/* ---- streaming ----
 * The stream engine reads ahead while its 2-entry FIFO has room; each word
 * is a QSPI transfer (sequential words chain), so words arrive at the QSPI
 * rate: stream_due is when the word in flight reaches the FIFO. */

static void stream_request(machine *m, uint64_t t)
{
    xip_dev *x = &m->xip;
    x->stream_due = xc_stream_read(m, x->stream_addr, t);
    x->stream_inflight = 1;
}

static void stream_fill(machine *m, uint64_t now)
{
    xip_dev *x = &m->xip;
    while (x->stream_inflight && x->stream_due <= now && x->fifo_count < 2 &&
           !qmi_direct_enabled(m)) {
        uint32_t v = 0;
        xip_bus_read(m, BUS_MASTER_SIM, x->stream_addr, 4, &v);
        x->fifo[x->fifo_count++] = v;
        x->stream_addr += 4;
        x->stream_ctr--;
        x->stream_inflight = 0;
        if (x->stream_ctr && x->fifo_count < 2) stream_request(m, x->stream_due);
    }
}

static uint32_t stream_pop(machine *m, uint64_t now)
{
    xip_dev *x = &m->xip;
    stream_fill(m, now);
    if (!x->fifo_count) return 0;
    uint32_t v = x->fifo[0];
    x->fifo[0] = x->fifo[1];
    x->fifo_count--;
    if (!x->stream_inflight && x->stream_ctr) stream_request(m, now);
    stream_fill(m, now);
    return v;
}

int xip_stream_ready(machine *m, uint64_t t)
{
    stream_fill(m, t);
    return m->xip.fifo_count > 0;
}

uint64_t xip_stream_due(machine *m)
{
    xip_dev *x = &m->xip;
    return x->stream_inflight && x->fifo_count < 2 ? x->stream_due : 0;
}

/* ---- XIP_CTRL / XIP_AUX registers ---- */

static int ctrl_read(void *st, bus_access *a, uint32_t *v)
{
    machine *m = st;
    xip_dev *x = &m->xip;
    switch (a->offset) {
    case XIP_CTRL: *v = x->ctrl; return BUS_OK;
    case XIP_STAT:
        stream_fill(m, machine_now_cycles(m));
        *v = (x->fifo_count == 2 ? XIP_STAT_FIFO_FULL : 0) | (x->fifo_count == 0 ? XIP_STAT_FIFO_EMPTY : 0);
        return BUS_OK;
    case XIP_CTR_HIT: *v = xc_ctr(m, 1); return BUS_OK;
    case XIP_CTR_ACC: *v = xc_ctr(m, 0); return BUS_OK;
    case XIP_STREAM_ADDR: *v = x->stream_addr; return BUS_OK;
    case XIP_STREAM_CTR: *v = x->stream_ctr; return BUS_OK;
    case XIP_STREAM_FIFO: *v = stream_pop(m, machine_now_cycles(m)); return BUS_OK;
    }
    return BUS_HOLE;
}

static int ctrl_write(void *st, bus_access *a, uint32_t v)
{
    machine *m = st;
    xip_dev *x = &m->xip;
    switch (a->offset) {
    case XIP_CTRL: {
        uint32_t old = x->ctrl;
        x->ctrl = bus_alias_apply(old, v, a->alias) & 0xFFBu;
        if (x->ctrl & XIP_CTRL_POWER_DOWN) x->ctrl &= ~3u;
        if ((old ^ x->ctrl) & (XIP_CTRL_WRITABLE_M0 | XIP_CTRL_WRITABLE_M1 |
                               XIP_CTRL_NO_UNCACHED_SEC | XIP_CTRL_NO_UNTRANSLATED_SEC))
            xip_request_remap(m);
        return BUS_OK;
    }
    case XIP_STAT: return BUS_OK;
    case XIP_CTR_HIT: xc_ctr_clear(m, 1); return BUS_OK;
    case XIP_CTR_ACC: xc_ctr_clear(m, 0); return BUS_OK;
    case XIP_STREAM_ADDR: x->stream_addr = bus_alias_apply(x->stream_addr, v, a->alias) & ~3u; return BUS_OK;
    case XIP_STREAM_CTR:
        x->stream_ctr = bus_alias_apply(x->stream_ctr, v, a->alias) & 0x3FFFFF;
        if (!x->stream_ctr) x->stream_inflight = 0;   /* abort */
        else if (!x->stream_inflight && x->fifo_count < 2) stream_request(m, machine_now_cycles(m));
        return BUS_OK;
    case XIP_STREAM_FIFO: return BUS_OK;
    }
    return BUS_HOLE;
}

static int aux_read(void *st, bus_access *a, uint32_t *v)
{
    machine *m = st;
    switch (a->offset) {
    case XIP_AUX_STREAM: *v = stream_pop(m, a->master == BUS_MASTER_DMA ? m->dma.now : machine_now_cycles(m)); return BUS_OK;
    case XIP_AUX_QMI_DIRECT_TX: *v = 0; return BUS_OK;
    case XIP_AUX_QMI_DIRECT_RX: *v = qmi_aux_rx(m); return BUS_OK;
    }
    return BUS_HOLE;
}

static int aux_write(void *st, bus_access *a, uint32_t v)
{
    machine *m = st;
    switch (a->offset) {
    case XIP_AUX_STREAM: return BUS_OK;
    case XIP_AUX_QMI_DIRECT_TX: qmi_aux_tx(m, v); return BUS_OK;
    case XIP_AUX_QMI_DIRECT_RX: return BUS_OK;
    }
    return BUS_HOLE;
}

void xip_flash_modified(machine *m, uint32_t offset, uint32_t len)
{
    for (int core = 0; core < 2; core++)
        for (int k = 0; k < KIND_COUNT; k++)
            for (uint32_t a = 0; a < XIP_WINDOW_SIZE; a += m->flash_size)
                core_flush_code(&m->core[core], kind_base[k] + a + offset, len);
    timing_cache_flush(&m->tcache);
}

void xip_reset(machine *m)
{
    xip_dev *x = &m->xip;
    sim_device c = x->dev_ctrl, a = x->dev_aux;
    int modes[2] = {x->mode[0], x->mode[1]};
    memset(x, 0, sizeof(*x));
    x->dev_ctrl = c;
    x->dev_aux = a;
    x->mode[0] = modes[0];
    x->mode[1] = modes[1];
    x->ctrl = 0x83;
    xip_request_remap(m);
}

void xip_setup(machine *m)
{
    xip_dev *x = &m->xip;
    bus_dev_setup(&x->dev_ctrl, "XIP_CTRL", XIP_CTRL_BASE, 0x4000, 1, -1, m, ctrl_read, ctrl_write);
    bus_dev_setup(&x->dev_aux, "XIP_AUX", XIP_AUX_BASE, 0x4000, 1, -1, m, aux_read, aux_write);
    bus_add_device(&m->bus, &x->dev_ctrl);
    bus_add_device(&m->bus, &x->dev_aux);
}
