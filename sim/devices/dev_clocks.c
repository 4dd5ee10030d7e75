/* dev_clocks.c - XOSC, PLLs, ROSC and the CLOCKS generators (datasheet
 * chapter 8, rp2350-facts.md 4).
 *
 * Each source is STOPPED, UNSTABLE (powered but not yet stable/locked: it
 * ticks, at an unreliable rate, so the sim uses the nominal one and warns)
 * or RUNNING. Frequencies are recomputed after every write; clk_sys changes
 * re-anchor the board's modelled time. Selecting a stopped source for
 * clk_sys stops the chip, which the sim reports as a fault. */
#include "dev_clocks.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "regs/resets.h"
#include "simtime.h"

enum { SRC_STOPPED = 0, SRC_UNSTABLE, SRC_RUNNING };

/* XOSC: startup after DELAY*256 crystal cycles (x4 with X4), datasheet 8.2.4 */
#define PLL_LOCK_US 20   /* modelled lock time after power-up (not a datasheet figure) */

typedef struct {
    uint64_t hz;
    int state;
    const char *name;
} clk_src;

static uint64_t now_ps(clocks_dev *k) { return svc_now_ps(k->svc); }

/* ---------------- XOSC ---------------- */

static uint64_t xosc_stable_at(clocks_dev *k)
{
    xosc_state *x = &k->xosc;
    uint64_t cycles = (uint64_t)(x->startup & 0x3FFF) * 256 * ((x->startup >> 20) & 1 ? 4 : 1);
    return x->enabled_at_ps + clk_cycles_to_ps(cycles, k->xosc_hz);
}

static clk_src xosc_src(clocks_dev *k)
{
    xosc_state *x = &k->xosc;
    clk_src s = {k->xosc_hz, SRC_STOPPED, "XOSC"};
    if (!x->enabled) return (clk_src){0, SRC_STOPPED, "XOSC"};
    s.state = now_ps(k) >= xosc_stable_at(k) ? SRC_RUNNING : SRC_UNSTABLE;
    return s;
}


static int xosc_read(void *st, bus_access *a, uint32_t *v)
{
    clocks_dev *k = st;
    xosc_state *x = &k->xosc;
    switch (a->offset) {
    case XOSC_CTRL: *v = x->ctrl; return BUS_OK;
    case XOSC_STATUS: {
        clk_src s = xosc_src(k);
        *v = (x->ctrl & 3) | (x->enabled ? XOSC_STATUS_ENABLED : 0) |
             (x->badwrite ? XOSC_STATUS_BADWRITE : 0) |
             (s.state == SRC_RUNNING ? XOSC_STATUS_STABLE : 0);
        return BUS_OK;
    }
    case XOSC_DORMANT: *v = XOSC_WAKE_VALUE; return BUS_OK;   /* dormant is not modelled */
    case XOSC_STARTUP: *v = x->startup; return BUS_OK;
    case XOSC_COUNT: {
        /* down-counter at the crystal rate */
        uint64_t ticks = x->enabled ? ps_to_clk_cycles(now_ps(k) - x->count_at_ps, k->xosc_hz) : 0;
        *v = ticks >= x->count ? 0 : x->count - (uint32_t)ticks;
        return BUS_OK;
    }
    }
    return BUS_HOLE;
}

static void xosc_write_ctrl(clocks_dev *k, uint32_t v)
{
    xosc_state *x = &k->xosc;
    uint32_t en = (v >> XOSC_CTRL_ENABLE_LSB) & 0xFFF, range = v & 0xFFF;
    if (range < 0xAA0 || range > 0xAA3) x->badwrite = 1;
    if (en == XOSC_ENABLE_MAGIC && !x->enabled) {
        x->enabled = 1;
        x->enabled_at_ps = now_ps(k);
    } else if (en == XOSC_DISABLE_MAGIC) {
        x->enabled = 0;
    } else if (en != XOSC_ENABLE_MAGIC && en != XOSC_DISABLE_MAGIC && en != 0) {
        x->badwrite = 1;
    }
    x->ctrl = v & 0x00FFFFFF;
}

static int xosc_write(void *st, bus_access *a, uint32_t v)
{
    clocks_dev *k = st;
    xosc_state *x = &k->xosc;
    switch (a->offset) {
    case XOSC_CTRL: xosc_write_ctrl(k, bus_alias_apply(x->ctrl, v, a->alias)); break;
    case XOSC_STATUS:
        if (bus_wc_bits(v, a->alias) & XOSC_STATUS_BADWRITE) x->badwrite = 0;
        break;
    case XOSC_DORMANT:
        if (v == XOSC_DORMANT_VALUE)
            sim_warn("XOSC DORMANT written: dormant mode is not modelled (the chip would sleep "
                     "until a wake-up event)");
        else if (v != XOSC_WAKE_VALUE)
            x->badwrite = 1;
        break;
    case XOSC_STARTUP: x->startup = bus_alias_apply(x->startup, v, a->alias) & 0x103FFF; break;
    case XOSC_COUNT:
        x->count = v & 0xFFFF;
        x->count_at_ps = now_ps(k);
        break;
    default: return BUS_HOLE;
    }
    clocks_update(k);
    return BUS_OK;
}

/* ---------------- PLLs ---------------- */

static uint32_t pll_refdiv(const pll_state *p) { return p->cs & 0x3F; }
static uint32_t pll_pd1(const pll_state *p) { return (p->prim >> 16) & 7; }
static uint32_t pll_pd2(const pll_state *p) { return (p->prim >> 12) & 7; }

/* why the PLL cannot lock with these settings, or NULL (datasheet 8.6) */
static const char *pll_bad_params(clocks_dev *k, const pll_state *p)
{
    uint64_t ref = k->xosc_hz;
    uint32_t refdiv = pll_refdiv(p), fb = p->fbdiv & 0xFFF;
    if (refdiv == 0) return "REFDIV is 0";
    if (fb < 16 || fb > 320) return "FBDIV_INT outside 16..320";
    uint64_t vco = ref / refdiv * fb;
    if (vco < 750000000ull || vco > 1600000000ull) return "VCO outside 750..1600 MHz";
    if (ref / refdiv > vco / 16) return "reference above VCO/16";
    return NULL;
}

static int pll_powered(const pll_state *p)
{
    return !(p->pwr & (PLL_PWR_PD | PLL_PWR_VCOPD));
}

static int pll_locked(clocks_dev *k, int i)
{
    pll_state *p = &k->pll[i];
    if (!pll_powered(p) || p->lock_at_ps == 0) return 0;
    if (xosc_src(k).state == SRC_STOPPED) return 0;
    return now_ps(k) >= p->lock_at_ps;
}

static clk_src pll_src(clocks_dev *k, int i)
{
    pll_state *p = &k->pll[i];
    clk_src s = {0, SRC_STOPPED, p->name};
    if (probe_read(&k->pll_held[i], 0)) return s;
    clk_src ref = xosc_src(k);
    if (ref.state == SRC_STOPPED) return s;
    if (p->cs & PLL_CS_BYPASS) return (clk_src){ref.hz, ref.state, p->name};
    if (!pll_powered(p) || (p->pwr & PLL_PWR_POSTDIVPD) || pll_bad_params(k, p)) return s;
    uint32_t d1 = pll_pd1(p), d2 = pll_pd2(p);
    if (d1 == 0 || d2 == 0) return s;
    s.hz = ref.hz / pll_refdiv(p) * (p->fbdiv & 0xFFF) / (d1 * d2);
    s.state = pll_locked(k, i) && ref.state == SRC_RUNNING ? SRC_RUNNING : SRC_UNSTABLE;
    return s;
}

/* a change of power or dividers (re)starts the lock timer */
static void pll_relock(clocks_dev *k, int i)
{
    pll_state *p = &k->pll[i];
    if (pll_powered(p) && !pll_bad_params(k, p))
        p->lock_at_ps = now_ps(k) + PLL_LOCK_US * 1000000ull;
    else
        p->lock_at_ps = 0;
}

static void pll_reset(clocks_dev *k, int i)
{
    pll_state *p = &k->pll[i];
    p->cs = 1;      /* REFDIV 1 */
    p->pwr = 0x2D;  /* everything powered down */
    p->fbdiv = 0;
    p->prim = 0x00077000;
    p->inte = p->intf = p->intr = 0;
    p->lock_at_ps = 0;
}

static int pll_read(void *st, bus_access *a, uint32_t *v)
{
    clocks_dev *k = st;
    int i = (a->addr & ~0x3FFFu) == PLL_SYS_BASE ? 0 : 1;
    pll_state *p = &k->pll[i];
    int locked = pll_locked(k, i);
    switch (a->offset) {
    case PLL_CS:
        /* LOCK_N: sticky "lost lock" flag; set until written (modelled as
         * "not locked yet" while powered up) */
        *v = (p->cs & 0x13F) | (locked ? PLL_CS_LOCK : 0) |
             (pll_powered(p) && !locked ? PLL_CS_LOCK_N : 0);
        return BUS_OK;
    case PLL_PWR: *v = p->pwr; return BUS_OK;
    case PLL_FBDIV_INT: *v = p->fbdiv; return BUS_OK;
    case PLL_PRIM: *v = p->prim; return BUS_OK;
    case PLL_INTR: *v = p->intr; return BUS_OK;
    case PLL_INTE: *v = p->inte; return BUS_OK;
    case PLL_INTF: *v = p->intf; return BUS_OK;
    case PLL_INTS: *v = (p->intr | p->intf) & p->inte; return BUS_OK;
    }
    return BUS_HOLE;
}

static int pll_write(void *st, bus_access *a, uint32_t v)
{
    clocks_dev *k = st;
    int i = (a->addr & ~0x3FFFu) == PLL_SYS_BASE ? 0 : 1;
    pll_state *p = &k->pll[i];
    switch (a->offset) {
    case PLL_CS: p->cs = bus_alias_apply(p->cs, v, a->alias) & 0x13F; pll_relock(k, i); break;
    case PLL_PWR: p->pwr = bus_alias_apply(p->pwr, v, a->alias) & 0x2D; pll_relock(k, i); break;
    case PLL_FBDIV_INT: p->fbdiv = bus_alias_apply(p->fbdiv, v, a->alias) & 0xFFF; pll_relock(k, i); break;
    case PLL_PRIM: p->prim = bus_alias_apply(p->prim, v, a->alias) & 0x77000; break;
    case PLL_INTR: p->intr &= ~bus_wc_bits(v, a->alias); break;
    case PLL_INTE: p->inte = bus_alias_apply(p->inte, v, a->alias) & 1; break;
    case PLL_INTF: p->intf = bus_alias_apply(p->intf, v, a->alias) & 1; break;
    default: return BUS_HOLE;
    }
    const char *bad = pll_powered(p) ? pll_bad_params(k, p) : NULL;
    if (bad && a->offset == PLL_PWR)
        sim_warn("%s powered up with invalid settings (%s): it will not lock", p->name, bad);
    clocks_update(k);
    return BUS_OK;
}

/* ---------------- CLOCKS ---------------- */

static uint64_t divide(uint64_t hz, uint32_t div_int, uint32_t div_frac, uint32_t int_max)
{
    uint64_t i = div_int ? div_int : (uint64_t)int_max + 1;
    /* divisor = INT + FRAC/65536 */
    uint64_t d = i * 65536 + div_frac;
    return hz * 65536 / d;
}

static clk_src rosc_src(void) { return (clk_src){ROSC_NOMINAL_HZ, SRC_RUNNING, "ROSC"}; }
static clk_src off_src(const char *name) { return (clk_src){0, SRC_STOPPED, name}; }

static clk_src ref_source(clocks_dev *k, uint32_t src, uint32_t aux)
{
    switch (src) {
    case 0: return rosc_src();
    case 1:
        /* AUXSRC: PLL_USB, GPIN0, GPIN1, PLL_USB primary reference (OPCG) */
        return aux == 0 || aux == 3 ? pll_src(k, 1) : off_src("GPIN");
    case 2: return xosc_src(k);
    default: return (clk_src){LPOSC_NOMINAL_HZ, SRC_RUNNING, "LPOSC"};
    }
}

static clk_src sys_aux(clocks_dev *k, uint32_t aux)
{
    switch (aux) {
    case 0: return pll_src(k, 0);
    case 1: return pll_src(k, 1);
    case 2: return rosc_src();
    case 3: return xosc_src(k);
    default: return off_src("GPIN");
    }
}

/* AUXSRC mux of clk_peri / clk_usb / clk_adc / clk_hstx */
static clk_src peri_aux(clocks_dev *k, int clk, uint32_t aux, uint64_t sys_hz)
{
    clk_src sys = {sys_hz, sys_hz ? SRC_RUNNING : SRC_STOPPED, "clk_sys"};
    if (clk == CLK_PERI) {
        clk_src t[] = {sys, pll_src(k, 0), pll_src(k, 1), rosc_src(), xosc_src(k)};
        return aux < 5 ? t[aux] : off_src("GPIN");
    }
    if (clk == CLK_HSTX) {
        clk_src t[] = {sys, pll_src(k, 0), pll_src(k, 1)};
        return aux < 3 ? t[aux] : off_src("GPIN");
    }
    clk_src t[] = {pll_src(k, 1), pll_src(k, 0), rosc_src(), xosc_src(k)};
    return aux < 4 ? t[aux] : off_src("GPIN");
}

static const char *clk_names[CLK_COUNT] = {"clk_gpout0", "clk_gpout1", "clk_gpout2",
                                           "clk_gpout3", "clk_ref",    "clk_sys",
                                           "clk_peri",   "clk_hstx",   "clk_usb",
                                           "clk_adc"};

static void report(clocks_dev *k, int clk, uint64_t hz, const char *src)
{
    clocks_state *c = &k->c;
    if (c->reported[clk] == hz + 1) return;
    c->reported[clk] = hz + 1;
    if (hz)
        sim_info("%s = %.3f MHz (from %s)", clk_names[clk], (double)hz / 1e6, src);
    else
        sim_info("%s stopped", clk_names[clk]);
}

static uint64_t compute_ref(clocks_dev *k, clk_src *out)
{
    clocks_state *c = &k->c;
    clk_src s = ref_source(k, c->sel_ref, (c->ctrl[CLK_REF] >> 5) & 3);
    *out = s;
    return divide(s.hz, (c->div[CLK_REF] >> 16) & 0xFF, 0, 255);
}

static uint64_t compute_sys(clocks_dev *k, uint64_t ref_hz, clk_src *out)
{
    clocks_state *c = &k->c;
    clk_src s = c->sel_sys ? sys_aux(k, (c->ctrl[CLK_SYS] >> 5) & 7)
                           : (clk_src){ref_hz, ref_hz ? SRC_RUNNING : SRC_STOPPED, "clk_ref"};
    *out = s;
    return divide(s.hz, c->div[CLK_SYS] >> 16, c->div[CLK_SYS] & 0xFFFF, 65535);
}

static uint64_t compute_aux_clock(clocks_dev *k, int clk, uint64_t sys_hz, clk_src *out)
{
    clocks_state *c = &k->c;
    if (!(c->ctrl[clk] & CLK_CTRL_ENABLE_BIT) || (c->ctrl[clk] & CLK_CTRL_KILL_BIT)) {
        *out = off_src("disabled");
        return 0;
    }
    clk_src s = peri_aux(k, clk, (c->ctrl[clk] >> 5) & 7, sys_hz);
    *out = s;
    uint32_t maxint = clk == CLK_PERI || clk == CLK_HSTX ? 3 : 15;
    return divide(s.hz, (c->div[clk] >> 16) & maxint, 0, maxint);
}

void clocks_update(clocks_dev *k)
{
    clocks_state *c = &k->c;
    clk_src src;
    c->hz[CLK_REF] = compute_ref(k, &src);
    report(k, CLK_REF, c->hz[CLK_REF], src.name);
    c->hz[CLK_SYS] = compute_sys(k, c->hz[CLK_REF], &src);
    if (c->hz[CLK_SYS] == 0) {
        c->lost_src = src.name;
        signal_set(&k->sys_lost, 1);   /* the chip would stop: nothing more to evaluate */
        return;
    }
    report(k, CLK_SYS, c->hz[CLK_SYS], src.name);
    const int aux_clocks[] = {CLK_PERI, CLK_HSTX, CLK_USB, CLK_ADC};
    for (int i = 0; i < 4; i++) {
        int clk = aux_clocks[i];
        c->hz[clk] = compute_aux_clock(k, clk, c->hz[CLK_SYS], &src);
        if (clk != CLK_HSTX && clk != CLK_ADC) report(k, clk, c->hz[clk], src.name);
    }
    if (c->hz[CLK_SYS] != k->sys_hz_out) {
        k->sys_hz_out = c->hz[CLK_SYS];
        signal_set(&k->sys_hz, (uint32_t)c->hz[CLK_SYS]);
    }
    signal_set(&k->changed, 0);
}

uint64_t clocks_freq_hz(const clocks_dev *k, int clk) { return k->c.hz[clk]; }

/* glitchless mux: the switch completes only if the new source ticks */
static void switch_glitchless(clocks_dev *k, int clk, uint32_t new_src)
{
    clocks_state *c = &k->c;
    clk_src s = clk == CLK_REF ? ref_source(k, new_src, (c->ctrl[CLK_REF] >> 5) & 3)
                               : (new_src ? sys_aux(k, (c->ctrl[CLK_SYS] >> 5) & 7)
                                          : (clk_src){c->hz[CLK_REF], SRC_RUNNING, "clk_ref"});
    if (s.state == SRC_UNSTABLE)
        sim_warn("%s switched to %s before it was stable/locked", clk_names[clk], s.name);
    if (s.state == SRC_STOPPED && clk == CLK_REF) {
        sim_warn("clk_ref switched to %s, which is not running: the glitchless mux cannot "
                 "complete the switch (CLK_REF_SELECTED stays 0)", s.name);
        c->sel_ref = 0xFF;
        return;
    }
    if (clk == CLK_REF) c->sel_ref = new_src;
    else c->sel_sys = new_src;
}

static void clk_ctrl_write(clocks_dev *k, int clk, uint32_t v)
{
    clocks_state *c = &k->c;
    uint32_t old = c->ctrl[clk];
    uint32_t auxmask = clk == CLK_REF ? 0x60 : (clk <= CLK_GPOUT3 ? 0x1E0 : 0xE0);
    int selected_aux = clk == CLK_SYS ? (old & 1) : clk == CLK_REF ? ((old & 3) == 1)
                                                  : (old & CLK_CTRL_ENABLE_BIT) != 0;
    if (((old ^ v) & auxmask) && selected_aux && !c->warned_aux_glitch[clk]) {
        c->warned_aux_glitch[clk] = 1;
        sim_warn("%s AUXSRC changed while in use (glitches on silicon: switch away / disable "
                 "first)", clk_names[clk]);
    }
    c->ctrl[clk] = v;
    if (clk == CLK_REF && ((old ^ v) & 3)) switch_glitchless(k, CLK_REF, v & 3);
    if (clk == CLK_SYS && ((old ^ v) & 1)) switch_glitchless(k, CLK_SYS, v & 1);
}

static uint32_t ctrl_mask(int clk)
{
    switch (clk) {
    case CLK_REF: return 0x63;
    case CLK_SYS: return 0xE1;
    case CLK_PERI: return 0x0CE0;
    case CLK_HSTX: case CLK_USB: case CLK_ADC: return 0x130CE0;
    default: return 0x131DE0;
    }
}

static uint32_t div_mask(int clk)
{
    switch (clk) {
    case CLK_REF: return 0x00FF0000;
    case CLK_SYS: return 0xFFFFFFFF;
    case CLK_PERI: case CLK_HSTX: return 0x00030000;
    case CLK_USB: case CLK_ADC: return 0x000F0000;
    default: return 0xFFFFFFFF;
    }
}

static uint32_t selected_value(clocks_dev *k, int clk)
{
    clocks_state *c = &k->c;
    if (clk == CLK_REF) return c->sel_ref > 3 ? 0 : 1u << c->sel_ref;
    if (clk == CLK_SYS) return 1u << c->sel_sys;
    return 1;   /* hardwired for the other generators */
}

static int clocks_read(void *st, bus_access *a, uint32_t *v)
{
    clocks_dev *k = st;
    clocks_state *c = &k->c;
    uint32_t off = a->offset;
    if (off < 0x78) {
        int clk = (int)(off / 12);
        switch (off % 12) {
        case 0:
            *v = c->ctrl[clk];
            if (clk != CLK_REF && clk != CLK_SYS && (c->ctrl[clk] & CLK_CTRL_ENABLE_BIT))
                *v |= CLK_CTRL_ENABLED_BIT;
            return BUS_OK;
        case 4: *v = c->div[clk]; return BUS_OK;
        default: *v = selected_value(k, clk); return BUS_OK;
        }
    }
    if (off == CLK_SYS_RESUS_CTRL) { *v = c->resus_ctrl; return BUS_OK; }
    if (off == CLK_SYS_RESUS_STATUS) { *v = 0; return BUS_OK; }
    if (off >= 0xAC && off <= 0xB8) { *v = c->plain[(off - 0xAC) / 4]; return BUS_OK; }
    if (off == 0xBC) { *v = 0xFFFFFFFF; return BUS_OK; }   /* ENABLED0: all clocks running */
    if (off == 0xC0) { *v = 0x7FFFFFFF; return BUS_OK; }   /* ENABLED1 */
    return BUS_UNMODELLED;
}

static int clocks_write(void *st, bus_access *a, uint32_t v)
{
    clocks_dev *k = st;
    clocks_state *c = &k->c;
    uint32_t off = a->offset;
    if (off < 0x78) {
        int clk = (int)(off / 12);
        switch (off % 12) {
        case 0: clk_ctrl_write(k, clk, bus_alias_apply(c->ctrl[clk], v, a->alias) & ctrl_mask(clk)); break;
        case 4: c->div[clk] = bus_alias_apply(c->div[clk], v, a->alias) & div_mask(clk); break;
        default: return BUS_OK;   /* SELECTED is read-only */
        }
        clocks_update(k);
        return BUS_OK;
    }
    if (off == CLK_SYS_RESUS_CTRL) {
        c->resus_ctrl = bus_alias_apply(c->resus_ctrl, v, a->alias) & 0x111FF;
        if (c->resus_ctrl & (1u << 8))
            sim_warn("clk_sys resus enabled: the resuscitation circuit is not modelled");
        return BUS_OK;
    }
    if (off >= 0xAC && off <= 0xB8) {
        c->plain[(off - 0xAC) / 4] = bus_alias_apply(c->plain[(off - 0xAC) / 4], v, a->alias);
        return BUS_OK;
    }
    return BUS_UNMODELLED;
}

void clocks_reset(clocks_dev *k)
{
    memset(&k->xosc, 0, sizeof(k->xosc));
    pll_reset(k, 0);
    pll_reset(k, 1);
    clocks_state *c = &k->c;
    uint64_t reported[CLK_COUNT];
    memcpy(reported, c->reported, sizeof(reported));
    memset(c, 0, sizeof(*c));
    for (int i = 0; i < CLK_COUNT; i++) c->div[i] = 0x10000;
    /* reset values from the SDK 2.2.0 header: CLK_SYS_CTRL 0x41 (clk_sys from
     * the ROSC through the aux mux), CLK_REF_CTRL 0 (ROSC_PH) */
    c->ctrl[CLK_SYS] = 0x41;
    c->sel_sys = 1;
    c->sel_ref = 0;
    c->resus_ctrl = 0xFF;
    c->plain[0] = c->plain[2] = 0xFFFFFFFF;   /* WAKE_EN0, SLEEP_EN0 */
    c->plain[1] = c->plain[3] = 0x7FFFFFFF;   /* WAKE_EN1, SLEEP_EN1 */
    memcpy(c->reported, reported, sizeof(reported));
}

uint64_t clocks_next_event(clocks_dev *k)
{
    uint64_t now = now_ps(k), next = 0;
    for (int i = 0; i < 2; i++) {
        uint64_t t = k->pll[i].lock_at_ps;
        if (t > now && (!next || t < next)) next = t;
    }
    if (k->xosc.enabled) {
        uint64_t t = xosc_stable_at(k);
        if (t > now && (!next || t < next)) next = t;
    }
    return next;
}

void clocks_init(clocks_dev *k, uint64_t xosc_hz, const board_services *svc)
{
    memset(k, 0, sizeof(*k));
    k->xosc_hz = xosc_hz;
    k->svc = svc;
    k->pll[0].name = "PLL_SYS";
    k->pll[1].name = "PLL_USB";
    bus_dev_setup(&k->dev_clocks, "CLOCKS", CLOCKS_BASE, 0x4000, 1, -1, k, clocks_read, clocks_write);
    bus_dev_setup(&k->dev_xosc, "XOSC", XOSC_BASE, 0x4000, 1, -1, k, xosc_read, xosc_write);
    bus_dev_setup(&k->dev_pll[0], "PLL_SYS", PLL_SYS_BASE, 0x4000, 1, RST_PLL_SYS, k,
                  pll_read, pll_write);
    bus_dev_setup(&k->dev_pll[1], "PLL_USB", PLL_USB_BASE, 0x4000, 1, RST_PLL_USB, k,
                  pll_read, pll_write);
}
