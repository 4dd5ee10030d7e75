/* dev_timer.c - TICKS and TIMER0/TIMER1 (see dev_timer.h).
 *
 * A tick generator counts clk_ref cycles and emits a tick every CYCLES of
 * them while ENABLE is set (datasheet 8.5). The TIMERs count ticks of their
 * generator (SOURCE=0) or clk_sys cycles (SOURCE=1); alarms compare the low
 * 32 bits (datasheet 12.8). */
#include <string.h>

#include "dev_timer.h"

#include "log.h"
#include "regs/clocks.h"
#include "regs/resets.h"
#include "simtime.h"

/* ---------------- TICKS ---------------- */

static uint64_t ref_cycles_since(tick_gen *g, uint64_t now_ps)
{
    if (!g->f_ref || now_ps <= g->anchor_ps) return 0;
    return ps_to_clk_cycles(now_ps - g->anchor_ps, g->f_ref);
}

static int gen_running(tick_gen *g) { return (g->ctrl & TICKS_CTRL_ENABLE) && g->cycles && g->f_ref; }

/* folds the elapsed clk_ref cycles into the tick count and re-anchors */
static void gen_anchor(ticks_dev *t, tick_gen *g)
{
    uint64_t now = svc_now_ps(t->svc);
    if (gen_running(g)) {
        uint64_t rc = ref_cycles_since(g, now);
        uint64_t total = g->rem + rc;
        g->ticks_base += total / g->cycles;
        g->rem = total % g->cycles;
        g->anchor_ps += clk_cycles_to_ps(rc, g->f_ref);
    } else {
        g->anchor_ps = now;
    }
    g->f_ref = svc_clk_hz(t->svc, CLK_REF);
}

static uint64_t ticks_count(void *ticks, int gi)
{
    ticks_dev *t = ticks;
    tick_gen *g = &t->gen[gi];
    if (!gen_running(g)) return g->ticks_base;
    uint64_t rc = ref_cycles_since(g, svc_now_ps(t->svc));
    return g->ticks_base + (g->rem + rc) / g->cycles;
}

static int ticks_running(void *ticks, int gi) { return gen_running(&((ticks_dev *)ticks)->gen[gi]); }

static uint64_t ticks_time_of(void *ticks, int gi, uint64_t n)
{
    tick_gen *g = &((ticks_dev *)ticks)->gen[gi];
    if (!gen_running(g)) return 0;
    if (n <= g->ticks_base) return g->anchor_ps;
    uint64_t rc = (n - g->ticks_base) * g->cycles - g->rem;
    return g->anchor_ps + clk_cycles_to_ps_up(rc, g->f_ref);
}

sim_tick_input ticks_output(ticks_dev *t, int gen)
{
    return (sim_tick_input){t, gen, ticks_count, ticks_running, ticks_time_of};
}

void ticks_clock_changed(void *ticks, int n, uint32_t unused)
{
    (void)n, (void)unused;
    ticks_dev *t = ticks;
    uint64_t f = svc_clk_hz(t->svc, CLK_REF);
    for (int i = 0; i < TICK_COUNT; i++)
        if (t->gen[i].f_ref != f) gen_anchor(t, &t->gen[i]);
}

static int ticks_read(void *st, bus_access *a, uint32_t *v)
{
    ticks_dev *t = st;
    uint32_t gi = a->offset / 12;
    if (gi >= TICK_COUNT) return BUS_HOLE;
    tick_gen *g = &t->gen[gi];
    switch (a->offset % 12) {
    case 0: *v = (g->ctrl & 1) | (gen_running(g) ? TICKS_CTRL_RUNNING : 0); return BUS_OK;
    case 4: *v = g->cycles; return BUS_OK;
    default: {
        uint64_t rc = gen_running(g) ? g->rem + ref_cycles_since(g, svc_now_ps(t->svc)) : 0;
        *v = g->cycles ? g->cycles - 1 - (uint32_t)(rc % g->cycles) : 0;   /* counts down */
        return BUS_OK;
    }
    }
}

static int ticks_write(void *st, bus_access *a, uint32_t v)
{
    ticks_dev *t = st;
    uint32_t gi = a->offset / 12;
    if (gi >= TICK_COUNT) return BUS_HOLE;
    tick_gen *g = &t->gen[gi];
    gen_anchor(t, g);
    switch (a->offset % 12) {
    case 0: g->ctrl = bus_alias_apply(g->ctrl, v, a->alias) & 1; break;
    case 4: g->cycles = bus_alias_apply(g->cycles, v, a->alias) & 0x1FF; g->rem = 0; break;
    default: break;
    }
    return BUS_OK;
}

void ticks_reset(ticks_dev *t)
{
    memset(t->gen, 0, sizeof(t->gen));
    for (int i = 0; i < TICK_COUNT; i++) t->gen[i].anchor_ps = svc_now_ps(t->svc);
}

void ticks_init(ticks_dev *t, const board_services *svc)
{
    memset(t, 0, sizeof(*t));
    t->svc = svc;
    bus_dev_setup(&t->dev, "TICKS", TICKS_BASE, 0x4000, 1, -1, t, ticks_read, ticks_write);
}

/* ---------------- TIMERs ---------------- */

static uint64_t timer_source(timer_dev *t)
{
    if (t->source & 1) return svc_now_cycles(t->svc);
    return tick_count(&t->tick);
}

uint64_t timer_now(timer_dev *t)
{
    if (t->pause & 1) return t->base;
    return t->base + (timer_source(t) - t->src_anchor);
}

/* freezes the current value as the new base (before SOURCE/PAUSE/TIME changes) */
static void timer_rebase(timer_dev *t)
{
    t->base = timer_now(t);
    t->src_anchor = timer_source(t);
}

/* the interrupt lines follow INTS */
static void timer_update_irq(timer_dev *t)
{
    uint32_t ints = (t->intr | t->intf) & t->inte;
    for (int k = 0; k < 4; k++)
        if ((ints ^ t->irq_level) & (1u << k)) signal_set(&t->irq[k], (ints >> k) & 1);
    t->irq_level = ints;
}

/* an armed alarm fires when the low 32 bits reach its value */
static void timer_check_alarms(timer_dev *t)
{
    if (!t->armed) return;
    uint32_t now_lo = (uint32_t)timer_now(t);
    for (int k = 0; k < 4; k++) {
        if (!(t->armed & (1u << k))) continue;
        if ((uint32_t)(now_lo - t->armed_lo[k]) >= (uint32_t)(t->alarm[k] - t->armed_lo[k])) {
            t->armed &= ~(1u << k);
            t->intr |= 1u << k;
        }
    }
    timer_update_irq(t);
}

void timer_poll(timer_dev *t) { timer_check_alarms(t); }

/* when the source reaches count n (ps) */
static uint64_t source_time_of(timer_dev *t, uint64_t n)
{
    if (!(t->source & 1)) return tick_time_of(&t->tick, n);
    uint64_t now = svc_now_cycles(t->svc);
    return svc_now_ps(t->svc) + (n > now ? svc_cycles_to_ps(t->svc, n - now) : 0);
}

/* Only alarms whose interrupt is enabled are events: a polled alarm is seen
 * when the firmware reads the timer, and costs the scheduler nothing. */
uint64_t timer_next_event(timer_dev *t)
{
    uint32_t watched = t->armed & t->inte;
    if (!watched || (t->pause & 1)) return 0;
    uint64_t now = timer_now(t), best = 0;
    for (int k = 0; k < 4; k++) {
        if (!(watched & (1u << k))) continue;
        uint64_t due = now + (uint32_t)(t->alarm[k] - (uint32_t)now);
        uint64_t at = source_time_of(t, t->src_anchor + (due - t->base));
        if (at && (!best || at < best)) best = at;
    }
    return best;
}

static int timer_read(void *st, bus_access *a, uint32_t *v)
{
    timer_dev *t = st;
    uint64_t now = timer_now(t);
    switch (a->offset) {
    case TIMER_TIMEHR: *v = t->latched_hi; return BUS_OK;
    case TIMER_TIMELR: t->latched_hi = (uint32_t)(now >> 32); *v = (uint32_t)now; return BUS_OK;
    case TIMER_TIMERAWH: *v = (uint32_t)(now >> 32); return BUS_OK;
    case TIMER_TIMERAWL: *v = (uint32_t)now; return BUS_OK;
    case TIMER_ARMED: timer_check_alarms(t); *v = t->armed; return BUS_OK;
    case TIMER_DBGPAUSE: *v = t->dbgpause; return BUS_OK;
    case TIMER_PAUSE: *v = t->pause; return BUS_OK;
    case TIMER_LOCKED: *v = t->locked; return BUS_OK;
    case TIMER_SOURCE: *v = t->source; return BUS_OK;
    case TIMER_INTR: timer_check_alarms(t); *v = t->intr; return BUS_OK;
    case TIMER_INTE: *v = t->inte; return BUS_OK;
    case TIMER_INTF: *v = t->intf; return BUS_OK;
    case TIMER_INTS: timer_check_alarms(t); *v = (t->intr | t->intf) & t->inte; return BUS_OK;
    case TIMER_TIMEHW: case TIMER_TIMELW: *v = 0; return BUS_OK;
    }
    if (a->offset >= TIMER_ALARM0 && a->offset < TIMER_ALARM0 + 16) {
        *v = t->alarm[(a->offset - TIMER_ALARM0) / 4];
        return BUS_OK;
    }
    return BUS_HOLE;
}

static int timer_write_reg(timer_dev *t, bus_access *a, uint32_t v)
{
    if (a->offset >= TIMER_ALARM0 && a->offset < TIMER_ALARM0 + 16) {
        int k = (int)(a->offset - TIMER_ALARM0) / 4;
        t->alarm[k] = bus_alias_apply(t->alarm[k], v, a->alias);
        t->armed |= 1u << k;
        t->armed_lo[k] = (uint32_t)timer_now(t);
        return BUS_OK;
    }
    switch (a->offset) {
    case TIMER_TIMELW:
        if (!t->locked) t->lw_pending = v;
        return BUS_OK;
    case TIMER_TIMEHW:
        if (!t->locked) {
            t->base = (uint64_t)v << 32 | t->lw_pending;
            t->src_anchor = timer_source(t);
        }
        return BUS_OK;
    case TIMER_ARMED: timer_check_alarms(t); t->armed &= ~bus_wc_bits(v, a->alias); return BUS_OK;
    case TIMER_DBGPAUSE: t->dbgpause = bus_alias_apply(t->dbgpause, v, a->alias) & 6; return BUS_OK;
    case TIMER_PAUSE:
        timer_rebase(t);
        t->pause = bus_alias_apply(t->pause, v, a->alias) & 1;
        timer_rebase(t);
        return BUS_OK;
    case TIMER_LOCKED: t->locked |= v & 1; return BUS_OK;
    case TIMER_SOURCE:
        timer_rebase(t);
        t->source = bus_alias_apply(t->source, v, a->alias) & 1;
        t->src_anchor = timer_source(t);
        return BUS_OK;
    case TIMER_INTR: timer_check_alarms(t); t->intr &= ~bus_wc_bits(v, a->alias); return BUS_OK;
    case TIMER_INTE:
        t->inte = bus_alias_apply(t->inte, v, a->alias) & 0xF;
        return BUS_OK;
    case TIMER_INTF: t->intf = bus_alias_apply(t->intf, v, a->alias) & 0xF; return BUS_OK;
    case TIMER_TIMEHR: case TIMER_TIMELR: case TIMER_TIMERAWH: case TIMER_TIMERAWL: case TIMER_INTS:
        return BUS_OK;
    }
    return BUS_HOLE;
}

static int timer_write(void *st, bus_access *a, uint32_t v)
{
    timer_dev *t = st;
    int r = timer_write_reg(t, a, v);
    timer_update_irq(t);
    if (t->armed & t->inte) svc_end_slice(t->svc);   /* the scheduler must see the new alarm */
    return r;
}

/* the registers to their reset values; the wiring (services, tick input,
 * interrupt lines, bus device) stays */
void timer_reset(timer_dev *t)
{
    timer_dev keep = *t;
    memset(t, 0, sizeof(*t));
    t->dev = keep.dev;
    t->svc = keep.svc;
    t->tick = keep.tick;
    memcpy(t->irq, keep.irq, sizeof(t->irq));
    t->index = keep.index;
    t->dbgpause = 0x6;
    t->src_anchor = timer_source(t);
    t->irq_level = keep.irq_level;
    timer_update_irq(t);
}

void timer_reset_line(void *timer, int n, uint32_t asserted)
{
    (void)n;
    if (asserted) timer_reset(timer);
}

void timer_init(timer_dev *t, int index, const board_services *svc)
{
    static const char *names[2] = {"TIMER0", "TIMER1"};
    memset(t, 0, sizeof(*t));
    t->index = index;
    t->svc = svc;
    bus_dev_setup(&t->dev, names[index], index ? TIMER1_BASE : TIMER0_BASE, 0x4000, 1,
                  index ? RST_TIMER1 : RST_TIMER0, t, timer_read, timer_write);
}
