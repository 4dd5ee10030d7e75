/* dev_timer.c - TICKS and TIMER0/TIMER1 (see dev_timer.h).
 *
 * A tick generator counts clk_ref cycles and emits a tick every CYCLES of
 * them while ENABLE is set (datasheet 8.5). The TIMERs count ticks of their
 * generator (SOURCE=0) or clk_sys cycles (SOURCE=1); alarms compare the low
 * 32 bits (datasheet 12.8). */
#include <string.h>

#include "log.h"
#include "machine.h"
#include "regs/clocks.h"
#include "regs/resets.h"

/* ---------------- TICKS ---------------- */

static uint64_t ref_cycles_since(tick_gen *g, uint64_t now_ps)
{
    if (!g->f_ref || now_ps <= g->anchor_ps) return 0;
    return ps_to_clk_cycles(now_ps - g->anchor_ps, g->f_ref);
}

static int gen_running(tick_gen *g) { return (g->ctrl & TICKS_CTRL_ENABLE) && g->cycles && g->f_ref; }

/* folds the elapsed clk_ref cycles into the tick count and re-anchors */
static void gen_anchor(machine *m, tick_gen *g)
{
    uint64_t now = machine_now_ps(m);
    if (gen_running(g)) {
        uint64_t rc = ref_cycles_since(g, now);
        uint64_t total = g->rem + rc;
        g->ticks_base += total / g->cycles;
        g->rem = total % g->cycles;
        g->anchor_ps += clk_cycles_to_ps(rc, g->f_ref);
    } else {
        g->anchor_ps = now;
    }
    g->f_ref = clocks_hz(m, CLK_REF);
}

uint64_t ticks_count(machine *m, int gi)
{
    tick_gen *g = &m->ticks.gen[gi];
    if (!gen_running(g)) return g->ticks_base;
    uint64_t rc = ref_cycles_since(g, machine_now_ps(m));
    return g->ticks_base + (g->rem + rc) / g->cycles;
}

int ticks_running(machine *m, int gi) { return gen_running(&m->ticks.gen[gi]); }

uint64_t ticks_time_of(machine *m, int gi, uint64_t n)
{
    tick_gen *g = &m->ticks.gen[gi];
    if (!gen_running(g)) return 0;
    if (n <= g->ticks_base) return g->anchor_ps;
    uint64_t rc = (n - g->ticks_base) * g->cycles - g->rem;
    return g->anchor_ps + clk_cycles_to_ps_up(rc, g->f_ref);
}

void ticks_clock_changed(machine *m)
{
    uint64_t f = clocks_hz(m, CLK_REF);
    for (int i = 0; i < TICK_COUNT; i++)
        if (m->ticks.gen[i].f_ref != f) gen_anchor(m, &m->ticks.gen[i]);
}

static int ticks_read(void *st, bus_access *a, uint32_t *v)
{
    machine *m = st;
    uint32_t gi = a->offset / 12;
    if (gi >= TICK_COUNT) return BUS_HOLE;
    tick_gen *g = &m->ticks.gen[gi];
    switch (a->offset % 12) {
    case 0: *v = (g->ctrl & 1) | (gen_running(g) ? TICKS_CTRL_RUNNING : 0); return BUS_OK;
    case 4: *v = g->cycles; return BUS_OK;
    default: {
        uint64_t rc = gen_running(g) ? g->rem + ref_cycles_since(g, machine_now_ps(m)) : 0;
        *v = g->cycles ? g->cycles - 1 - (uint32_t)(rc % g->cycles) : 0;   /* counts down */
        return BUS_OK;
    }
    }
}

static int ticks_write(void *st, bus_access *a, uint32_t v)
{
    machine *m = st;
    uint32_t gi = a->offset / 12;
    if (gi >= TICK_COUNT) return BUS_HOLE;
    tick_gen *g = &m->ticks.gen[gi];
    gen_anchor(m, g);
    switch (a->offset % 12) {
    case 0: g->ctrl = bus_alias_apply(g->ctrl, v, a->alias) & 1; break;
    case 4: g->cycles = bus_alias_apply(g->cycles, v, a->alias) & 0x1FF; g->rem = 0; break;
    default: break;
    }
    return BUS_OK;
}

void ticks_reset(machine *m)
{
    memset(m->ticks.gen, 0, sizeof(m->ticks.gen));
    for (int i = 0; i < TICK_COUNT; i++) m->ticks.gen[i].anchor_ps = machine_now_ps(m);
}

void ticks_setup(machine *m)
{
    bus_dev_setup(&m->ticks.dev, "TICKS", TICKS_BASE, 0x4000, 1, -1, m, ticks_read, ticks_write);
    bus_add_device(&m->bus, &m->ticks.dev);
}

/* ---------------- TIMERs ---------------- */

static uint64_t timer_source(machine *m, timer_dev *t)
{
    if (t->source & 1) return machine_now_cycles(m);
    return ticks_count(m, t->index ? TICK_TIMER1 : TICK_TIMER0);
}

uint64_t timer_now(machine *m, int i)
{
    timer_dev *t = &m->timer[i];
    if (t->pause & 1) return t->base;
    return t->base + (timer_source(m, t) - t->src_anchor);
}

/* freezes the current value as the new base (before SOURCE/PAUSE/TIME changes) */
static void timer_rebase(machine *m, timer_dev *t)
{
    t->base = timer_now(m, t->index);
    t->src_anchor = timer_source(m, t);
}

/* an armed alarm fires when the low 32 bits reach its value */
static void timer_check_alarms(machine *m, timer_dev *t)
{
    if (!t->armed) return;
    uint32_t now_lo = (uint32_t)timer_now(m, t->index);
    for (int k = 0; k < 4; k++) {
        if (!(t->armed & (1u << k))) continue;
        if ((uint32_t)(now_lo - t->armed_lo[k]) >= (uint32_t)(t->alarm[k] - t->armed_lo[k])) {
            t->armed &= ~(1u << k);
            t->intr |= 1u << k;
        }
    }
}

static int timer_read(void *st, bus_access *a, uint32_t *v)
{
    timer_dev *t = st;
    machine *m = a->m;
    uint64_t now = timer_now(m, t->index);
    switch (a->offset) {
    case TIMER_TIMEHR: *v = t->latched_hi; return BUS_OK;
    case TIMER_TIMELR: t->latched_hi = (uint32_t)(now >> 32); *v = (uint32_t)now; return BUS_OK;
    case TIMER_TIMERAWH: *v = (uint32_t)(now >> 32); return BUS_OK;
    case TIMER_TIMERAWL: *v = (uint32_t)now; return BUS_OK;
    case TIMER_ARMED: timer_check_alarms(m, t); *v = t->armed; return BUS_OK;
    case TIMER_DBGPAUSE: *v = t->dbgpause; return BUS_OK;
    case TIMER_PAUSE: *v = t->pause; return BUS_OK;
    case TIMER_LOCKED: *v = t->locked; return BUS_OK;
    case TIMER_SOURCE: *v = t->source; return BUS_OK;
    case TIMER_INTR: timer_check_alarms(m, t); *v = t->intr; return BUS_OK;
    case TIMER_INTE: *v = t->inte; return BUS_OK;
    case TIMER_INTF: *v = t->intf; return BUS_OK;
    case TIMER_INTS: timer_check_alarms(m, t); *v = (t->intr | t->intf) & t->inte; return BUS_OK;
    case TIMER_TIMEHW: case TIMER_TIMELW: *v = 0; return BUS_OK;
    }
    if (a->offset >= TIMER_ALARM0 && a->offset < TIMER_ALARM0 + 16) {
        *v = t->alarm[(a->offset - TIMER_ALARM0) / 4];
        return BUS_OK;
    }
    return BUS_HOLE;
}

static int timer_write(void *st, bus_access *a, uint32_t v)
{
    timer_dev *t = st;
    machine *m = a->m;
    if (a->offset >= TIMER_ALARM0 && a->offset < TIMER_ALARM0 + 16) {
        int k = (int)(a->offset - TIMER_ALARM0) / 4;
        t->alarm[k] = bus_alias_apply(t->alarm[k], v, a->alias);
        t->armed |= 1u << k;
        t->armed_lo[k] = (uint32_t)timer_now(m, t->index);
        return BUS_OK;
    }
    switch (a->offset) {
    case TIMER_TIMELW:
        if (!t->locked) t->lw_pending = v;
        return BUS_OK;
    case TIMER_TIMEHW:
        if (!t->locked) {
            t->base = (uint64_t)v << 32 | t->lw_pending;
            t->src_anchor = timer_source(m, t);
        }
        return BUS_OK;
    case TIMER_ARMED: timer_check_alarms(m, t); t->armed &= ~bus_wc_bits(v, a->alias); return BUS_OK;
    case TIMER_DBGPAUSE: t->dbgpause = bus_alias_apply(t->dbgpause, v, a->alias) & 6; return BUS_OK;
    case TIMER_PAUSE:
        timer_rebase(m, t);
        t->pause = bus_alias_apply(t->pause, v, a->alias) & 1;
        timer_rebase(m, t);
        return BUS_OK;
    case TIMER_LOCKED: t->locked |= v & 1; return BUS_OK;
    case TIMER_SOURCE:
        timer_rebase(m, t);
        t->source = bus_alias_apply(t->source, v, a->alias) & 1;
        t->src_anchor = timer_source(m, t);
        return BUS_OK;
    case TIMER_INTR: timer_check_alarms(m, t); t->intr &= ~bus_wc_bits(v, a->alias); return BUS_OK;
    case TIMER_INTE:
        t->inte = bus_alias_apply(t->inte, v, a->alias) & 0xF;
        return BUS_OK;
    case TIMER_INTF: t->intf = bus_alias_apply(t->intf, v, a->alias) & 0xF; return BUS_OK;
    case TIMER_TIMEHR: case TIMER_TIMELR: case TIMER_TIMERAWH: case TIMER_TIMERAWL: case TIMER_INTS:
        return BUS_OK;
    }
    return BUS_HOLE;
}

void timer_reset(machine *m, int i)
{
    timer_dev *t = &m->timer[i];
    sim_device d = t->dev;
    memset(t, 0, sizeof(*t));
    t->dev = d;
    t->index = i;
    t->dbgpause = 0x6;
    t->src_anchor = timer_source(m, t);
}

static void timer_reset_hook0(machine *m, int asserted) { if (asserted) timer_reset(m, 0); }
static void timer_reset_hook1(machine *m, int asserted) { if (asserted) timer_reset(m, 1); }

void timers_setup(machine *m)
{
    static const char *names[2] = {"TIMER0", "TIMER1"};
    for (int i = 0; i < 2; i++) {
        m->timer[i].index = i;
        bus_dev_setup(&m->timer[i].dev, names[i], i ? TIMER1_BASE : TIMER0_BASE, 0x4000, 1,
                      i ? RST_TIMER1 : RST_TIMER0, &m->timer[i], timer_read, timer_write);
        bus_add_device(&m->bus, &m->timer[i].dev);
    }
    resets_set_hook(m, RST_TIMER0, timer_reset_hook0);
    resets_set_hook(m, RST_TIMER1, timer_reset_hook1);
}
