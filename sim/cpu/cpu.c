/* cpu.c - the cores of the virtual board on Unicorn (see cpu.h). */
#include "cpu.h"

#include <capstone/capstone.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "regs/ppb.h"
#include "regs/qmi.h"
#include "regs/sio.h"

/* what ended a uc_emu_start, recorded by the hooks */
enum { EV_NONE = 0, EV_INSN_INVALID, EV_INTR, EV_MEM };

typedef struct {
    int kind;
    uint32_t intno;
    uint32_t pc;
    int mem_type;           /* uc_mem_type */
    uint32_t addr;
    int size;
} cpu_event;

static cpu_event events[2];

static uint16_t read16(sim_core *c, uint32_t addr);

static int fetch_code(void *ctx, uint32_t addr, void *buf, size_t len)
{
    sim_core *c = ctx;
    return uc_mem_read(c->uc, addr, buf, len) == UC_ERR_OK;
}

uint32_t core_reg(sim_core *c, int reg)
{
    uint32_t v = 0;
    uc_reg_read(c->uc, reg, &v);
    return v;
}

void core_set_reg(sim_core *c, int reg, uint32_t v) { uc_reg_write(c->uc, reg, &v); }

uint32_t core_pc(sim_core *c) { return core_reg(c, UC_ARM_REG_PC) & ~1u; }

void core_request_stop(sim_core *c)
{
    c->stop_requested = 1;   /* taken at the next block boundary (see hook_block) */
}

/* An event (the other core's SEV) reaches this core at the signalling
 * core's time: a WFE returns when that time comes (run_once). If this core
 * sleeps meanwhile, the signalling core ends its slice here, so that the
 * sleeper wakes when it was woken (the scheduler, sim.c). */
void core_event_line(void *core, int n, uint32_t value)
{
    (void)n;
    sim_core *c = core;
    if (!value) return;
    uint64_t now = svc_now_cycles(c->env.svc);
    int i = c->events < CORE_EVENTS ? c->events++ : CORE_EVENTS - 1; /* full: the last moves */
    while (i > 0 && c->event_at[i - 1] > now) { /* in order (the ROM model's come at core 0's time) */
        c->event_at[i] = c->event_at[i - 1];
        i--;
    }
    c->event_at[i] = now;
    if (c->asleep) svc_end_slice(c->env.svc);
}

void core_take_events(sim_core *c, uint64_t t)
{
    int k = 0;
    while (k < c->events && c->event_at[k] <= t) k++;
    memmove(c->event_at, c->event_at + k, (size_t)(c->events - k) * sizeof(c->event_at[0]));
    c->events -= k;
}

/* n cycles the core spends asleep */
static void count_idle(sim_core *c, uint64_t n)
{
    c->idle_cycles += n;
    if (c->env.prof->on) prof_add(c->env.prof, c->id, c->env.prof->nsyms + PROF_IDLE, n, 0, 0);
}

/* n cycles of the running slice pass asleep */
static void sleep_in_slice(sim_core *c, uint64_t n)
{
    count_idle(c, n);
    c->slice_used += n;
}

void core_sleep_until(sim_core *c, uint64_t t)
{
    c->asleep = 0; /* the sleep is settled: an SEV need not end the sender's slice */
    if (t <= c->cycles) return;
    count_idle(c, t - c->cycles);
    c->cycles = t;
}

/* CPACR.CP10 grants the FPU: privileged or full access (the firmware runs
 * privileged) */
static inline int fpu_granted(uint32_t cpacr)
{
    uint32_t cp10 = (cpacr >> CPACR_CP10_SHIFT) & 3;
    return cp10 == 1 || cp10 == 3;
}

/* the core acts before an FP instruction runs: CPACR does not grant the
 * FPU (NOCP), or a lazily reserved FP frame waits for the state (B3.22) */
static int fp_needs_the_core(const sim_core *c)
{
    const core_ppb_port *ppb = &c->env.ppb;
    return !fpu_granted(*ppb->cpacr) || (ppb->fpccr && (*ppb->fpccr & FPCCR_LSPACT));
}

/* ---- time ---- */

/* The previous block ended with a branch taken (or the run jumped): what
 * its result delays still cost the first instructions of b (timing.h). */
static uint32_t cross_stall(const core_flow *f, const timing_block *b, uint32_t gap)
{
    int stall = 0;
    for (int i = 0; i < f->n_exit; i++) {
        int left = (int)f->exit_left[i] - (int)gap;
        if (left <= 0) continue;
        for (int j = 0; j < b->n_entry; j++)
            if (b->entry_reg[j] == f->exit_reg[i] && left - b->entry_off[j] > stall)
                stall = left - b->entry_off[j];
    }
    if (f->fpu_tail > gap && b->entry_fpu != 255) {
        int s = (int)f->fpu_tail - (int)gap - b->entry_fpu;
        if (s > stall) stall = s;
    }
    return (uint32_t)stall;
}

/* the XIP cache lookups of a block's instruction fetches: hits inline, the
 * rest in xip_cache.c */
static uint32_t fetch_lines(sim_core *c, const timing_block *b, uint64_t now)
{
    const core_xip_port *x = &c->env.xip;
    xip_cache *xc = x->cache;
    uint32_t stall = 0, l = b->addr & ~7u;
    if (xc_enabled(*x->ctrl) && l < XIP_NOCACHE_BASE) {
        /* hits are counted as accesses that were no miss (xip_cache.h) */
        xc->st[b->region].fetches += b->lines;
        for (int i = 0; i < b->lines; i++, l += 8)
            if (xc_lookup(xc, l) < 0) {
                xc->st[b->region].fetches--;   /* xc_fetch counts it */
                stall += x->fetch(x->ctx, c->id, l, now + stall);
            }
        return stall;
    }
    for (int i = 0; i < b->lines; i++, l += 8) stall += x->fetch(x->ctx, c->id, l, now + stall);
    return stall;
}

void core_stall(sim_core *c, uint32_t cycles)
{
    if (!cycles) return;
    profiler *prof = c->env.prof;
    c->slice_used += cycles;
    c->stall_cycles += cycles;
    if (prof->on && c->cur_func >= 0) prof_add(prof, c->id, c->cur_func, cycles, cycles, 0);
}

/* Runs at the start of every translation block. Stopping here is the only
 * clean way to end a slice: Unicorn then leaves the block unexecuted and runs
 * it on the next start. (uc_emu_stop from inside an MMIO callback instead
 * makes Unicorn re-run the whole block, repeating its MMIO side effects, so
 * device models only set stop_requested and the stop happens here.)
 *
 * The block is charged its static cost (timing.c) plus what depends on the
 * run: the previous block's final branch taken (it went somewhere else than
 * here), this block entered by a branch, result delays carried over, and
 * the XIP cache for instruction fetches from flash. */
/* the ROM bytes a store overwrote back (see rom_undo in cpu.h) */
static void undo_rom_write(sim_core *c)
{
    const bus_memory *rom = &c->env.bus->rom;
    memcpy(rom->data + (c->rom_undo_addr - rom->base), c->rom_undo, (size_t)c->rom_undo_size);
    c->rom_undo_size = 0;
}

static void hook_block(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
    sim_core *c = user;
    const core_env *env = &c->env;
    if (c->rom_undo_size) undo_rom_write(c);
    if (size == 0) return;
    if (c->unmasked) {   /* an interrupt held back by the masks is taken now */
        c->unmasked = 0;
        if (env->nvic.waiting && env->nvic.waiting(env->nvic.ctx, c->id)) c->stop_requested = 1;
    }
    if (c->in_fault && size == 2 && read16(c, (uint32_t)addr) == 0xE7FE) {   /* b . */
        char why[sizeof(c->fault_report) + 80];
        snprintf(why, sizeof(why), "%s; the firmware's fault handler then loops forever at 0x%08x",
                 c->fault_report, (uint32_t)addr);
        core_lockup(c, why);
        uc_emu_stop(uc);
        return;
    }
    if (c->slice_used >= c->slice_budget || c->stop_requested || *env->stopped != STOP_NONE) {
        if (!c->precise) {
            uc_emu_stop(uc);
            return;   /* not executed now: not charged */
        }
        /* precise mode: the instruction hook stops (the PC is only right there) */
    }
    timing_block *b = (timing_block *)timing_lookup(env->tcache, (uint32_t)addr, size, fetch_code, c);
    if ((b->flags & TB_HAS_FP) && !c->fp_stop_pc && fp_needs_the_core(c)) {
        /* not executed now: run_once acts at the FP instruction */
        c->fp_block = (uint32_t)addr;
        c->fp_stop_pc = (uint32_t)addr + b->fp_offset;
        uc_emu_stop(uc);
        return;
    }
    if (b->flags & TB_UNMASKS) c->unmasked = 1;
    /* the synthesized ROM's functions run natively (see bootrom.c). A
     * UC_HOOK_CODE would do, but any code hook stops Unicorn from syncing the
     * PC when a slice ends, so the block hook does it. */
    if (addr >= env->rom.start && addr < env->rom.end) env->rom.run(env->rom.ctx, c, (uint32_t)addr);
    uint32_t a = (uint32_t)addr;
    core_flow *f = &c->flow;
    uint32_t extra = 0;
    int jumped = a != f->end;
    if (jumped) {
        if (f->flags & TB_BRANCH) {
            extra = f->taken_extra;
            if ((b->flags & TB_WIDE_UNALIGNED) && (f->flags & TB_U_OK)) extra++;   /* U */
        }
        if (f->n_exit || f->fpu_tail) extra += cross_stall(f, b, extra);
        extra += b->entry_br_extra;
    } else if (f->n_exit || f->fpu_tail) {
        extra = cross_stall(f, b, 0);
    }
    if (c->precise) c->flow_before = *f;
    *f = b->flow;
    if (jumped) f->taken_extra = b->taken_extra_br;
    uint32_t cycles = b->cycles + extra, stall = 0;
    if (b->flags & TB_XIP) stall = fetch_lines(c, b, c->cycles + c->slice_used);
    c->prev_blk_start = c->blk_start;
    c->blk_start = a;
    c->blk_size = size;
    c->slice_used += cycles + stall;
    c->stall_cycles += stall;
    c->insns += b->insns;
    c->last_charge = b;
    c->last_charge_cycles = cycles + stall;
    env->xip.cache->st[b->region].exec_cycles += cycles;
    /* the block's SEV carries the block's end time: the time of its stores
     * too (a FIFO word written before the SEV), which the hook charges
     * before the block runs */
    if (b->flags & TB_HAS_SEV) signal_set(&c->sev, 1);
    profiler *prof = env->prof;
    if (prof->on) {
        if (b->func == -2) b->func = prof_func_of(prof, a);
        c->cur_func = b->func;
        prof_add(prof, c->id, b->func, cycles + stall, stall, b->insns);
    }
}

/* data reads from the XIP windows (flagged pages, uc_xipwatch.c) */
static void hook_xip_read(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value,
                          void *user)
{
    (void)uc;
    (void)type;
    (void)value;
    sim_core *c = user;
    const core_xip_port *x = &c->env.xip;
    uint32_t a = (uint32_t)addr;
    if ((a & 0x03FFFFFFu) >= 0x02000000u || ((a >> 26) & 3) == 2) return;   /* not a QMI window */
    if (a < XIP_NOCACHE_BASE && xc_enabled(*x->ctrl) && ((a & 7) + (uint32_t)size) <= 8 &&
        xc_lookup(x->cache, a) >= 0) {
        x->cache->st[(a & 0x01000000u) ? XR_PSRAM : XR_FLASH].reads++;
        return;
    }
    core_stall(c, x->read(x->ctx, c->id, a, size, c->cycles + c->slice_used));
}

extern void sim_memcache_flush(void) __attribute__((weak));

void core_memory_changed(void)
{
    if (sim_memcache_flush) sim_memcache_flush();
}

/* ---- can XIP data reads be seen without a global read hook? ---- */

extern const int sim_xip_watch_linked __attribute__((weak));
extern int sim_xip_watch_on __attribute__((weak));
static int watch_state;   /* 0 unknown, 1 works, -1 fall back */
static int probe_reads;

static void probe_hook(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value,
                       void *user)
{
    (void)uc;
    (void)type;
    (void)size;
    (void)value;
    (void)user;
    if (addr == 0x10000100u) probe_reads++;
}

/* a scratch engine loads from a flagged XIP page: does the hook see it? */
static int probe_watch(void)
{
    if (!&sim_xip_watch_linked || !&sim_xip_watch_on) return 0;
    sim_xip_watch_on = 1;
    uc_engine *uc;
    if (uc_open(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS, &uc) != UC_ERR_OK) return 0;
    uc_ctl_set_cpu_model(uc, UC_CPU_ARM_CORTEX_M33);
    static uint8_t code[1024], data[1024];
    /* ldr r0, [r1]; ldr r0, [r1]; b . */
    const uint8_t prog[] = {0x08, 0x68, 0x08, 0x68, 0xFE, 0xE7};
    memcpy(code, prog, sizeof(prog));
    uc_mem_map_ptr(uc, 0x20000000u, sizeof(code), UC_PROT_ALL, code);
    uc_mem_map_ptr(uc, 0x10000000u, sizeof(data), UC_PROT_READ | UC_PROT_EXEC, data);
    uc_hook h;
    uc_hook_add(uc, &h, UC_HOOK_MEM_READ_AFTER, probe_hook, NULL, 0x10000000u, 0x1FFFFFFFu);
    uint32_t r1 = 0x10000100u;
    uc_reg_write(uc, UC_ARM_REG_R1, &r1);
    probe_reads = 0;
    uc_emu_start(uc, 0x20000000u | 1, 0xFFFFFFFFull, 0, 3);
    uc_close(uc);
    core_memory_changed();
    return probe_reads == 2;
}

int core_xip_watch_works(void)
{
    if (!watch_state) watch_state = probe_watch() ? 1 : -1;
    return watch_state > 0;
}

/* --trace-mmio: the exact PC of every instruction. With any code hook,
 * Unicorn syncs the PC before each instruction and not at block exits, so
 * the slice also ends here, at the first instruction of a block. */
static void hook_code_precise(uc_engine *uc, uint64_t addr, uint32_t size, void *user)
{
    (void)size;
    sim_core *c = user;
    c->insn_pc = (uint32_t)addr;
    if ((uint32_t)addr == c->blk_start && c->last_charge &&
        (c->slice_used - c->last_charge_cycles >= c->slice_budget || c->stop_requested ||
         *c->env.stopped != STOP_NONE)) {
        /* the block was charged on entry but will only run after the stop */
        c->slice_used -= c->last_charge_cycles;
        c->insns -= c->last_charge->insns;
        c->flow = c->flow_before;
        c->last_charge = NULL;
        uc_emu_stop(uc);
    }
}

static bool hook_insn_invalid(uc_engine *uc, void *user)
{
    sim_core *c = user;
    cpu_event *e = &events[c->id];
    e->kind = EV_INSN_INVALID;
    e->pc = core_pc(c);
    (void)uc;
    return true;
}

static void hook_intr(uc_engine *uc, uint32_t intno, void *user)
{
    sim_core *c = user;
    cpu_event *e = &events[c->id];
    e->kind = EV_INTR;
    e->intno = intno;
    e->pc = core_pc(c);
    uc_emu_stop(uc);
}

static bool hook_mem_invalid(uc_engine *uc, uc_mem_type type, uint64_t addr, int size,
                             int64_t value, void *user)
{
    (void)uc;
    sim_core *c = user;
    const core_xip_port *x = &c->env.xip;
    /* writes to a read-only XIP window are downgraded to reads on silicon */
    if (type == UC_MEM_WRITE_PROT && xip_in_space((uint32_t)addr) &&
        x->prot_write(x->ctx, c->id, (uint32_t)addr, size, (uint64_t)value))
        return true;
    /* a QMI/XIP change mapped a window back in, but the slice has not ended
     * yet (e.g. code in SRAM left direct mode and returns to flash at once):
     * mapping memory here is what this hook is for; Unicorn then retries */
    if ((type == UC_MEM_FETCH_UNMAPPED || type == UC_MEM_READ_UNMAPPED ||
         type == UC_MEM_WRITE_UNMAPPED) && xip_in_space((uint32_t)addr) &&
        x->remap_pending(x->ctx)) {
        x->remap(x->ctx);
        if (x->window_mapped(x->ctx, c->id, (uint32_t)addr)) return true;
    }
    /* the boot ROM ignores writes (a store through a NULL pointer, as
     * TinyUSB 0.18 does for EP0, works on silicon): warned once, undone */
    const bus_memory *rom = &c->env.bus->rom;
    if (type == UC_MEM_WRITE_PROT && size <= 8 && addr - rom->base + (uint64_t)size <= rom->size &&
        bus_rom_write_ignored(c->env.bus, c->id, (uint32_t)addr, size, (uint32_t)value)) {
        if (c->rom_undo_size) undo_rom_write(c);
        c->rom_undo_addr = (uint32_t)addr;
        c->rom_undo_size = size;
        memcpy(c->rom_undo, rom->data + (addr - rom->base), (size_t)size);
        return true;
    }
    cpu_event *e = &events[c->id];
    e->kind = EV_MEM;
    e->mem_type = type;
    e->addr = (uint32_t)addr;
    e->size = size;
    return false;
}

/* ---- MMIO ports ---- */

/* A failed access has stopped the machine; the block hook ends the slice.
 * (No uc_emu_stop here: see hook_block.) */
static uint64_t port_read(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
    (void)uc;
    core_mmio_port *p = user;
    uint32_t v = 0;
    bus_dev_read(p->bus, p->dev, p->core, p->dev->base + (uint32_t)offset, (int)size, &v);
    return v;
}

static void port_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value, void *user)
{
    (void)uc;
    core_mmio_port *p = user;
    bus_dev_write(p->bus, p->dev, p->core, p->dev->base + (uint32_t)offset, (int)size,
                  (uint32_t)value);
}

static int map_device(sim_core *c, sim_device *d)
{
    if (c->nports >= CPU_MAX_PORTS) return 0;
    core_mmio_port *p = &c->ports[c->nports++];
    p->bus = c->env.bus;
    p->dev = d;
    p->core = c->id;
    uint32_t size = (d->size + 0xFFF) & ~0xFFFu;
    uc_err e = uc_mmio_map(c->uc, d->base, size, port_read, p, port_write, p);
    core_memory_changed();
    if (e != UC_ERR_OK) {
        sim_error("cannot map %s at 0x%08x: %s", d->name, d->base, uc_strerror(e));
        return 0;
    }
    return 1;
}

int core_map_fixed(sim_core *c)
{
    sim_bus *bus = c->env.bus;
    uc_err e = uc_mem_map_ptr(c->uc, bus->rom.base, bus->rom.size, UC_PROT_READ | UC_PROT_EXEC,
                              bus->rom.data);
    if (e == UC_ERR_OK)
        e = uc_mem_map_ptr(c->uc, bus->sram.base, bus->sram.size, UC_PROT_ALL, bus->sram.data);
    core_memory_changed();
    if (e != UC_ERR_OK) {
        sim_error("cannot map memory: %s", uc_strerror(e));
        return 0;
    }
    for (int i = 0; i < bus->count; i++)
        if (!map_device(c, bus->dev[i])) return 0;
    return c->env.xip.map_fixed(c->env.xip.ctx, c->id);
}

int core_init(sim_core *c, int id, const core_env *env)
{
    memset(c, 0, sizeof(*c));
    c->env = *env;
    c->id = id;
    uc_err e = uc_open(UC_ARCH_ARM, UC_MODE_THUMB | UC_MODE_MCLASS, &c->uc);
    if (e == UC_ERR_OK) e = uc_ctl_set_cpu_model(c->uc, UC_CPU_ARM_CORTEX_M33);
    if (e != UC_ERR_OK) {
        sim_error("Unicorn: cannot create a Cortex-M33: %s", uc_strerror(e));
        return 0;
    }
    uc_hook h;
    uc_hook_add(c->uc, &h, UC_HOOK_BLOCK, hook_block, c, 1, 0);
    uc_hook_add(c->uc, &h, UC_HOOK_INSN_INVALID, hook_insn_invalid, c, 1, 0);
    uc_hook_add(c->uc, &h, UC_HOOK_INTR, hook_intr, c, 1, 0);
    uc_hook_add(c->uc, &h, UC_HOOK_MEM_INVALID, hook_mem_invalid, c, 1, 0);
    /* XIP data reads for the cache model (uc_xipwatch.c) */
    if (core_xip_watch_works()) {
        uc_hook_add(c->uc, &h, UC_HOOK_MEM_READ_AFTER, hook_xip_read, c, XIP_CACHED_BASE, 0x1FFFFFFFu);
    } else {
        static int warned;
        if (!warned) {
            warned = 1;
            sim_warn("this Unicorn build does not let the XIP cache model see flash/PSRAM reads "
                     "cheaply: using a global read hook (slower)");
        }
        uc_hook_add(c->uc, &h, UC_HOOK_MEM_READ, hook_xip_read, c, XIP_CACHED_BASE, 0x1FFFFFFFu);
    }
    c->cur_func = -1;
    return 1;
}

void core_set_precise(sim_core *c, int on)
{
    if (on && !c->precise) {
        uc_hook h;
        uc_hook_add(c->uc, &h, UC_HOOK_CODE, hook_code_precise, c, 1, 0);
        c->precise = 1;
    }
}

void core_free(sim_core *c)
{
    if (c->uc) uc_close(c->uc);
    core_memory_changed();
    c->uc = NULL;
}

void core_reset(sim_core *c)
{
    for (int r = UC_ARM_REG_R0; r <= UC_ARM_REG_R12; r++) core_set_reg(c, r, 0);
    core_set_reg(c, UC_ARM_REG_LR, 0xFFFFFFFFu);
    core_set_reg(c, UC_ARM_REG_XPSR, 1u << 24);   /* Thumb: the M33 has no ARM state */
    c->slice_used = 0;
    c->blk_start = c->blk_size = 0;
    c->events = 0;
    c->asleep = 0;
    c->halted_forever = 0;
    c->in_fault = 0;
    c->bus_fault_pending = 0;
    c->fp_stop_pc = 0;
    coproc_reset(&c->cop);
    memset(&c->flow, 0, sizeof(c->flow));
    c->cur_func = -1;
    memset(&events[c->id], 0, sizeof(events[c->id]));
}

void core_flush_code(sim_core *c, uint32_t addr, uint32_t len)
{
    if (c->uc) uc_ctl_remove_cache(c->uc, addr, (uint64_t)addr + len);
}

/* ---- finding the PC of an access (MMIO callbacks do not sync the PC) ---- */

static int uc_reg_of(arm_reg r)
{
    if (r >= ARM_REG_R0 && r <= ARM_REG_R12) return UC_ARM_REG_R0 + (r - ARM_REG_R0);
    if (r == ARM_REG_SP) return UC_ARM_REG_SP;
    if (r == ARM_REG_LR) return UC_ARM_REG_LR;
    return -1;
}

static uint32_t reg_value(sim_core *c, arm_reg r, uint32_t insn_addr)
{
    if (r == ARM_REG_PC) return (insn_addr + 4) & ~3u;
    int u = uc_reg_of(r);
    return u < 0 ? 0 : core_reg(c, u);
}

/* the bytes [lo, hi) an instruction would access with the current registers */
static int insn_range(sim_core *c, const cs_insn *in, uint32_t *lo, uint32_t *hi)
{
    const cs_arm *arm = &in->detail->arm;
    for (int i = 0; i < arm->op_count; i++) {
        const cs_arm_op *op = &arm->operands[i];
        if (op->type != ARM_OP_MEM) continue;
        uint32_t base = reg_value(c, op->mem.base, (uint32_t)in->address);
        uint32_t ea = base;
        int post = i + 1 < arm->op_count;   /* post-indexed: offset follows the [base] */
        if (!post) {
            if (op->mem.index != ARM_REG_INVALID) {
                uint32_t idx = reg_value(c, op->mem.index, (uint32_t)in->address) << op->mem.lshift;
                ea += op->mem.scale < 0 ? (uint32_t)-idx : idx;
            }
            ea += (uint32_t)op->mem.disp;
        }
        *lo = ea;
        *hi = ea + 8;
        return 1;
    }
    /* LDM/STM/PUSH/POP: a register list around the base */
    const char *mn = in->mnemonic;
    if (!strncmp(mn, "push", 4) || !strncmp(mn, "pop", 3) || !strncmp(mn, "ldm", 3) ||
        !strncmp(mn, "stm", 3) || !strncmp(mn, "vpush", 5) || !strncmp(mn, "vpop", 4)) {
        uint32_t base = (!strncmp(mn, "push", 4) || !strncmp(mn, "pop", 3) || mn[0] == 'v')
                            ? core_reg(c, UC_ARM_REG_SP)
                            : reg_value(c, arm->operands[0].reg, (uint32_t)in->address);
        uint32_t span = 4u * (uint32_t)arm->op_count * 2u;
        *lo = base - span;
        *hi = base + span;
        return 1;
    }
    return 0;
}

static int insn_is_store(const char *mn)
{
    return !strncmp(mn, "st", 2) || !strncmp(mn, "push", 4) || !strncmp(mn, "vst", 3) ||
           !strncmp(mn, "vpush", 5);
}

static int insn_is_load(const char *mn)
{
    return !strncmp(mn, "ld", 2) || !strncmp(mn, "pop", 3) || !strncmp(mn, "vld", 3) ||
           !strncmp(mn, "vpop", 4) || !strncmp(mn, "tbb", 3) || !strncmp(mn, "tbh", 3);
}

uint32_t core_access_pc(sim_core *c, uint32_t addr, int is_write, int size, int *exact)
{
    (void)size;
    if (c->precise) {
        *exact = 1;
        return c->insn_pc;
    }
    *exact = 0;
    if (c->blk_size == 0 || c->blk_size > 4096) return c->blk_start;
    static csh cs;
    static int cs_ok = -1;
    if (cs_ok < 0) {
        cs_ok = cs_open(CS_ARCH_ARM, CS_MODE_THUMB | CS_MODE_MCLASS | CS_MODE_V8, &cs) == CS_ERR_OK;
        if (cs_ok) cs_option(cs, CS_OPT_DETAIL, CS_OPT_ON);
    }
    if (!cs_ok) return c->blk_start;
    uint8_t code[4096];
    if (uc_mem_read(c->uc, c->blk_start, code, c->blk_size) != UC_ERR_OK) return c->blk_start;
    cs_insn *insn = NULL;
    size_t n = cs_disasm(cs, code, c->blk_size, c->blk_start, 0, &insn);
    uint32_t found = c->blk_start, last_dir = 0;
    int matches = 0, have_dir = 0;
    for (size_t i = 0; i < n; i++) {
        const char *mn = insn[i].mnemonic;
        int dir_ok = is_write ? insn_is_store(mn) : insn_is_load(mn);
        if (!dir_ok) continue;
        if (!have_dir) last_dir = (uint32_t)insn[i].address;
        have_dir = 1;
        uint32_t lo, hi;
        if (insn_range(c, &insn[i], &lo, &hi) && addr >= lo && addr < hi) {
            if (!matches) found = (uint32_t)insn[i].address;
            matches++;
        }
    }
    if (n) cs_free(insn, n);
    if (matches) {
        *exact = matches == 1;
        return found;
    }
    return have_dir ? last_dir : c->blk_start;
}

/* ---- running ---- */

static const char *intr_reason(uint32_t intno)
{
    switch (intno) {
    case 7: return "BKPT with no debugger attached";
    case 17: return "UsageFault NOCP: coprocessor instruction for a coprocessor that is absent or "
                    "disabled";
    case 18: return "UsageFault INVSTATE: execution in ARM state (branch target with bit 0 clear)";
    case 19: return "UsageFault STKOF: stack pointer below MSPLIM";
    case 22: return "UsageFault UNALIGNED: unaligned access not permitted by this instruction";
    case 3: return "MemManage/BusFault on instruction fetch";
    case 4: return "MemManage/BusFault on data access";
    default: return "exception";
    }
}

/* an access to nothing: a BusFault the firmware takes, or (strict) the end of the run */
static int bad_access(sim_core *c, uint32_t addr, uint32_t pc, int fetch, const char *report)
{
    if (c->strict_access) {
        svc_stop(c->env.svc, STOP_FAULT, SIM_EXIT_FAULT, "%s", report);
        return 0;
    }
    c->bus_fault_addr = addr;
    return core_fault(c, EXC_BUSFAULT, fetch ? CFSR_IBUSERR : CFSR_PRECISERR | CFSR_BFARVALID, pc,
                      report);
}

/* a bad access met by the bus during the run (core_bus_fault) */
static int take_bus_fault(sim_core *c)
{
    c->bus_fault_pending = 0;
    char report[sizeof(c->fault_report)];
    memcpy(report, c->fault_report, sizeof(report));
    return core_fault(c, EXC_BUSFAULT, CFSR_PRECISERR | CFSR_BFARVALID, c->bus_fault_pc, report);
}

static int report_mem_event(sim_core *c, cpu_event *e)
{
    const core_env *env = &c->env;
    char desc[200];
    int is_write = e->mem_type == UC_MEM_WRITE_UNMAPPED || e->mem_type == UC_MEM_WRITE_PROT;
    int fetch = e->mem_type == UC_MEM_FETCH_UNMAPPED || e->mem_type == UC_MEM_FETCH_PROT;
    const char *why = env->xip.describe_fault(env->xip.ctx, e->addr);
    if (!why) why = bus_describe_addr(env->bus, e->addr, desc, sizeof(desc));
    if (e->mem_type == UC_MEM_WRITE_PROT && e->addr - env->bus->rom.base < env->bus->rom.size)
        why = "boot ROM is read-only";
    char report[sizeof(c->fault_report)];
    if (fetch) {
        snprintf(report, sizeof(report), "bad access: PC=0x%08x addr=0x%08x (%s; instruction "
                 "fetch, branched to from the block at 0x%08x)", e->addr, e->addr, why,
                 c->prev_blk_start);
        return bad_access(c, e->addr, e->addr, 1, report);
    }
    /* the engine reports the block's start: the decoder finds the access */
    int exact = 1;
    uint32_t pc = core_access_pc(c, e->addr, is_write, e->size, &exact);
    snprintf(report, sizeof(report), "bad access: PC=0x%08x addr=0x%08x (%s %s)%s", pc, e->addr,
             is_write ? "write:" : "read:", why,
             exact ? "" : " [PC found by decoding the block: approximate]");
    return bad_access(c, e->addr, pc, 0, report);
}

static uint16_t read16(sim_core *c, uint32_t addr)
{
    uint16_t v = 0;
    uc_mem_read(c->uc, addr, &v, 2);
    return v;
}

/* at the FP instruction: the NOCP UsageFault (B3.15), or the lazy FP
 * state filled in; 1 = go on, 0 = slice over, -1 = machine stopped */
static int fp_instruction_reached(sim_core *c)
{
    c->fp_stop_pc = 0;
    if (fpu_granted(*c->env.ppb.cpacr)) {
        if (core_fill_lazy_fp_state(c)) return 1;
        return -1;
    }
    char report[300];
    snprintf(report, sizeof(report),
             "HardFault: PC=0x%08x UsageFault NOCP: floating-point instruction on core %d while "
             "CPACR.CP10 does not grant access (CPACR=0x%08x; each core must enable CP10/CP11 "
             "before using the FPU)", core_pc(c), c->id, *c->env.ppb.cpacr);
    if (core_fault(c, EXC_USAGEFAULT, CFSR_NOCP, core_pc(c), report)) return 1;
    return *c->env.stopped != STOP_NONE ? -1 : 0;
}

/* did the engine stop right after a WFI (it halts without telling us)? */
static int after_wfi(sim_core *c)
{
    uint32_t pc = core_pc(c);
    return read16(c, pc - 2) == 0xBF30 || (read16(c, pc - 4) == 0xF3AF && read16(c, pc - 2) == 0x8003);
}


static uint32_t usage_fault_cause(uint32_t intno)
{
    switch (intno) {
    case 17: return CFSR_NOCP;
    case 18: return CFSR_INVSTATE;
    case 19: return CFSR_STKOF;
    case 22: return CFSR_UNALIGNED;
    default: return 0;
    }
}

/* an undefined instruction: UsageFault UNDEFINSTR, taken by the firmware */
static int fault_invalid(sim_core *c, cpu_event *e, uc_err err)
{
    char report[200];
    if (err == UC_ERR_EXCEPTION) {
        snprintf(report, sizeof(report), "HardFault: PC=0x%08x %s", e->pc, intr_reason(18));
        return core_fault(c, EXC_USAGEFAULT, CFSR_INVSTATE, e->pc, report);
    }
    uint16_t hw1 = read16(c, e->pc), hw2 = read16(c, e->pc + 2);
    if (thumb_insn_len(hw1) == 4)
        snprintf(report, sizeof(report), "undefined instruction at PC=0x%08x: %04x %04x (core %d)",
                 e->pc, hw1, hw2, c->id);
    else
        snprintf(report, sizeof(report), "undefined instruction at PC=0x%08x: %04x (core %d)",
                 e->pc, hw1, c->id);
    return core_fault(c, EXC_USAGEFAULT, CFSR_UNDEFINSTR, e->pc, report);
}

/* a fault the engine raised (BKPT, a UsageFault): taken by the firmware.
 * BKPT with no debugger escalates to HardFault (Armv8-M ARM C1.5). */
static int fault_event(sim_core *c, cpu_event *e)
{
    char report[200];
    snprintf(report, sizeof(report), "HardFault: PC=0x%08x %s (core %d)", e->pc,
             intr_reason(e->intno), c->id);
    uint32_t cause = usage_fault_cause(e->intno);
    return core_fault(c, cause ? EXC_USAGEFAULT : EXC_HARDFAULT, cause, e->pc, report);
}

/* the engine's exception events that the core handles itself: SVC and
 * exception return; 1 = handled (carry on), -1 = the run stopped */
enum { EXCP_SWI = 2, EXCP_EXCEPTION_EXIT = 8, EXCP_NOCP = 17 };

/* the core's registers as a coprocessor transfer sees them (coproc.h) */
static int cop_uc_reg(int n) { return n == 13 ? UC_ARM_REG_SP : n == 14 ? UC_ARM_REG_LR : UC_ARM_REG_R0 + n; }
static uint32_t cop_read(void *core, int n) { return core_reg(core, cop_uc_reg(n)); }
static void cop_write(void *core, int n, uint32_t v) { core_set_reg(core, cop_uc_reg(n), v); }
static void cop_write_nzcv(void *core, uint32_t nzcv) { core_set_reg(core, UC_ARM_REG_APSR_NZCV, nzcv); }

/* the GPIO coprocessor's port: the core's own SIO, as its bus accesses see it */
static uint32_t cop_sio_read(void *core, uint32_t offset)
{
    sim_core *c = core;
    uint32_t v = 0;
    bus_master_read(c->env.bus, c->id, SIO_BASE + offset, 4, &v);
    return v;
}

static void cop_sio_write(void *core, uint32_t offset, uint32_t v)
{
    sim_core *c = core;
    bus_master_write(c->env.bus, c->id, SIO_BASE + offset, 4, v);
}

/* A coprocessor instruction the engine refused (NOCP): the RP2350's own
 * coprocessors run it when CPACR grants them (as for the FPU: privileged
 * or full access). 1 = executed (one cycle, datasheet 3.6.2.2 for the DCP;
 * taken as the same for the GPIO coprocessor, UNVERIFIED), 0 = the
 * fault stands. */
static int run_coprocessor(sim_core *c, uint32_t pc)
{
    uint32_t insn = (uint32_t)read16(c, pc) << 16 | read16(c, pc + 2);
    int n = coproc_number(insn);
    if (n < 0 || n > 7) return 0;
    uint32_t access = (*c->env.ppb.cpacr >> (2 * n)) & 3;
    if (access != 1 && access != 3) return 0;
    core_regs regs = {c, cop_read, cop_write, cop_write_nzcv, cop_sio_read, cop_sio_write};
    if (!coproc_execute(&c->cop, insn, &regs)) return 0;
    core_set_reg(c, UC_ARM_REG_PC, (pc + 4) | 1);
    c->slice_used += 1;
    return 1;
}

static int handle_exception_event(sim_core *c, const cpu_event *e)
{
    if (e->intno == EXCP_SWI) return core_supervisor_call(c);
    return core_exception_return(c, e->pc | 1);   /* the engine reports EXC_RETURN & ~1 */
}

/* one uc_emu_start; 1 = go on, 0 = slice over, -1 = machine stopped */
static int run_once(sim_core *c)
{
    const core_env *env = &c->env;
    cpu_event *e = &events[c->id];
    memset(e, 0, sizeof(*e));
    if (core_take_exception(c) < 0) return -1;
    /* a branch with bit 0 clear left the core in ARM state: restarting the
     * engine at pc | 1 would hide it, the next instruction faults instead */
    if (!(core_reg(c, UC_ARM_REG_XPSR) & (1u << 24))) {
        char report[200];
        snprintf(report, sizeof(report), "HardFault: PC=0x%08x %s (core %d)", core_pc(c),
                 intr_reason(18), c->id);
        return core_fault(c, EXC_USAGEFAULT, CFSR_INVSTATE, core_pc(c), report) ? 1 : 0;
    }
    uint32_t pc = core_pc(c);
    if (c->fp_stop_pc && pc == c->fp_stop_pc) return fp_instruction_reached(c);
    /* the instructions before that FP instruction run first: the engine
     * stops at an 'until' address only in blocks it translates after being
     * told, so the cached ones over it go, before and after */
    int to_fp = c->fp_stop_pc != 0;
    if (to_fp) uc_ctl_remove_cache(c->uc, c->fp_block, c->fp_stop_pc + 4);
    uc_err err = uc_emu_start(c->uc, pc | 1, to_fp ? c->fp_stop_pc : 0xFFFFFFFFull, 0, 0);
    if (c->rom_undo_size) undo_rom_write(c);
    if (to_fp) {
        uc_ctl_remove_cache(c->uc, c->fp_block, c->fp_stop_pc + 4);
        if (e->kind == EV_NONE && err == UC_ERR_OK && !c->bus_fault_pending && !c->stop_requested &&
            *env->stopped == STOP_NONE && core_pc(c) == c->fp_stop_pc)
            return fp_instruction_reached(c);
        c->fp_stop_pc = 0;   /* cut short: found again by the block hook */
    }
    if (*env->stopped != STOP_NONE) return -1;
    int wfx = 0;
    if (c->bus_fault_pending) {
        if (!take_bus_fault(c)) return *env->stopped != STOP_NONE ? -1 : 0;
    } else if (e->kind == EV_INSN_INVALID && err == UC_ERR_OK && e->pc == c->blk_start + c->blk_size) {
        wfx = 1;   /* WFE/YIELD: Unicorn stops after them */
    } else if (e->kind == EV_INSN_INVALID) {
        if (!fault_invalid(c, e, err)) return *env->stopped != STOP_NONE ? -1 : 0;
    } else if (e->kind == EV_INTR && (e->intno == EXCP_SWI || e->intno == EXCP_EXCEPTION_EXIT)) {
        if (handle_exception_event(c, e) < 0) return -1;
    } else if (e->kind == EV_INTR && e->intno == EXCP_NOCP && run_coprocessor(c, e->pc)) {
        /* carry on after the coprocessor instruction */
    } else if (e->kind == EV_INTR && (e->intno == 7 || usage_fault_cause(e->intno))) {
        if (!fault_event(c, e)) return *env->stopped != STOP_NONE ? -1 : 0;
    } else if (e->kind == EV_INTR) {
        svc_stop(env->svc, STOP_FAULT, SIM_EXIT_FAULT, "HardFault: PC=0x%08x %s (core %d)", e->pc,
                 intr_reason(e->intno), c->id);
        return -1;
    } else if (e->kind == EV_MEM) {
        if (!report_mem_event(c, e)) return *env->stopped != STOP_NONE ? -1 : 0;
    } else if (err != UC_ERR_OK) {
        svc_stop(env->svc, STOP_FAULT, SIM_EXIT_FAULT, "emulation error: PC=0x%08x %s (core %d)",
                 core_pc(c), uc_strerror(err), c->id);
        return -1;
    } else if (c->slice_used < c->slice_budget && !c->stop_requested && after_wfi(c)) {
        wfx = 1;
    }
    if (c->slice_used >= c->slice_budget || c->stop_requested) return 0;
    /* WFI/WFE wake for a pending interrupt even when the masks hold it back */
    if (wfx && env->nvic.waiting && env->nvic.waiting(env->nvic.ctx, c->id)) return 1;
    if (wfx && c->events) {
        /* an event is pending: WFE returns at once, or, when the other core
         * (running ahead) sent it later than now, then */
        uint64_t now = c->cycles + c->slice_used, left = c->slice_budget - c->slice_used;
        uint64_t at = c->event_at[0];
        if (at > now && at - now > left) {
            sleep_in_slice(c, left);   /* not in this slice: WFE again in the next one */
            c->wfx_stop = 1;
            return 0;
        }
        if (at > now) sleep_in_slice(c, at - now);
        core_take_events(c, c->cycles + c->slice_used);
        return 1;
    }
    if (wfx) {
        c->wfx_stop = 1;
        c->asleep = 1;   /* until the scheduler says (core_sleep_until) */
        return 0;
    }
    return 1;   /* stopped for another reason (e.g. a hook): carry on */
}

int core_run_slice(sim_core *c, uint64_t budget)
{
    if (c->halted_forever) {   /* locked up or halted: time passes, nothing runs */
        c->idle_cycles += budget;
        c->cycles += budget;
        return 0;
    }
    c->slice_budget = budget;
    c->slice_used = 0;
    c->wfx_stop = 0;
    c->asleep = 0;
    c->stop_requested = 0;
    int r;
    do {
        r = run_once(c);
    } while (r > 0);
    c->cycles += c->slice_used;
    return r < 0 ? -1 : 0;
}
