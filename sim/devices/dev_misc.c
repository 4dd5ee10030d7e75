/* dev_misc.c - RESETS, PSM, WATCHDOG, POWMAN, SYSINFO, OTP_DATA, plain
 * blocks and the generic stubs (see dev_misc.h). */
#include "dev_misc.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "regs/clocks.h"
#include "regs/misc.h"
#include "regs/resets.h"

/* ---------------- RESETS ---------------- */

uint32_t resets_held_mask(const resets_dev *r) { return r->reset; }

uint32_t resets_line(void *resets, int n)
{
    return n >= 0 && (((resets_dev *)resets)->reset >> n) & 1;
}

/* RESET_DONE needs the block's clock: UART/SPI run on clk_peri, USB on
 * clk_usb, ADC on clk_adc, HSTX on clk_hstx; the rest on clk_sys/clk_ref */
static uint32_t clocked_blocks(resets_dev *r)
{
    uint32_t mask = RESETS_ALL;
    if (!svc_clk_hz(r->svc, CLK_PERI))
        mask &= ~(1u << RST_UART0 | 1u << RST_UART1 | 1u << RST_SPI0 | 1u << RST_SPI1);
    if (!svc_clk_hz(r->svc, CLK_USB)) mask &= ~(1u << RST_USBCTRL);
    if (!svc_clk_hz(r->svc, CLK_ADC)) mask &= ~(1u << RST_ADC);
    if (!svc_clk_hz(r->svc, CLK_HSTX)) mask &= ~(1u << RST_HSTX);
    return mask;
}

static int resets_read(void *st, bus_access *a, uint32_t *v)
{
    resets_dev *r = st;
    switch (a->offset) {
    case RESETS_RESET: *v = r->reset; return BUS_OK;
    case RESETS_WDSEL: *v = r->wdsel; return BUS_OK;
    case RESETS_RESET_DONE: *v = ~r->reset & clocked_blocks(r) & RESETS_ALL; return BUS_OK;
    }
    return BUS_HOLE;
}

static void resets_apply(resets_dev *r, uint32_t nv)
{
    uint32_t old = r->reset;
    r->reset = nv & RESETS_ALL;
    uint32_t changed = old ^ r->reset;
    for (int b = 0; b < 29; b++) {
        if (!((changed >> b) & 1)) continue;
        int asserted = (r->reset >> b) & 1;
        signal_set(&r->reset_out[b], asserted);
        if (asserted) signal_set(&r->block_reset, (uint32_t)b);
    }
}

static int resets_write(void *st, bus_access *a, uint32_t v)
{
    resets_dev *r = st;
    switch (a->offset) {
    case RESETS_RESET: resets_apply(r, bus_alias_apply(r->reset, v, a->alias)); return BUS_OK;
    case RESETS_WDSEL: r->wdsel = bus_alias_apply(r->wdsel, v, a->alias) & RESETS_ALL; return BUS_OK;
    case RESETS_RESET_DONE: return BUS_OK;
    }
    return BUS_HOLE;
}

/* ---------------- PSM ---------------- */

static int psm_read(void *st, bus_access *a, uint32_t *v)
{
    psm_dev *p = st;
    switch (a->offset) {
    case PSM_FRCE_ON: *v = p->frce_on; return BUS_OK;
    case PSM_FRCE_OFF: *v = p->frce_off; return BUS_OK;
    case PSM_WDSEL: *v = p->wdsel; return BUS_OK;
    case PSM_DONE: *v = PSM_ALL & ~p->frce_off; return BUS_OK;
    }
    return BUS_HOLE;
}

static int psm_write(void *st, bus_access *a, uint32_t v)
{
    psm_dev *p = st;
    switch (a->offset) {
    case PSM_FRCE_ON: p->frce_on = bus_alias_apply(p->frce_on, v, a->alias) & PSM_ALL; return BUS_OK;
    case PSM_FRCE_OFF: {
        uint32_t old = p->frce_off;
        p->frce_off = bus_alias_apply(old, v, a->alias) & PSM_ALL;
        if ((p->frce_off & ~old) & PSM_PROC1) {
            signal_set(&p->proc1_off, 1);
            sim_info("core 1 powered off by PSM FRCE_OFF");
        }
        if ((old & ~p->frce_off) & PSM_PROC1) signal_set(&p->proc1_off, 0);   /* back to the ROM loop */
        if (p->frce_off & ~PSM_PROC1 & PSM_ALL)
            sim_warn("PSM FRCE_OFF 0x%08x: powering off domains other than PROC1 is not modelled",
                     p->frce_off);
        svc_end_slice(p->svc);
        return BUS_OK;
    }
    case PSM_WDSEL: p->wdsel = bus_alias_apply(p->wdsel, v, a->alias) & PSM_ALL; return BUS_OK;
    case PSM_DONE: return BUS_OK;
    }
    return BUS_HOLE;
}

/* ---------------- WATCHDOG ---------------- */

static uint32_t wd_time(watchdog_dev *w)
{
    if (!w->running) return w->load;
    uint64_t gone = tick_count(&w->tick) - w->load_tick;
    return gone >= w->load ? 0 : w->load - (uint32_t)gone;
}

/* re-bases the countdown at now (pause/resume keep the remaining time) */
static void wd_rebase(watchdog_dev *w, uint32_t load, int running)
{
    w->load = load & 0xFFFFFF;
    w->load_tick = tick_count(&w->tick);
    w->running = running;
}

/* the first reboot request wins: REASON tells the boot ROM why it runs */
static void wd_fire(watchdog_dev *w, uint32_t reason)
{
    if (probe_read(&w->reboot_pending, 0)) return;
    w->reason = reason;
    signal_set(&w->reboot, reason);
}

static int wd_read(void *st, bus_access *a, uint32_t *v)
{
    watchdog_dev *w = st;
    if (a->offset >= WATCHDOG_SCRATCH0 && a->offset < WATCHDOG_SCRATCH0 + 32) {
        *v = w->scratch[(a->offset - WATCHDOG_SCRATCH0) / 4];
        return BUS_OK;
    }
    switch (a->offset) {
    case WATCHDOG_CTRL: *v = (w->ctrl & ~0xFFFFFFu & ~WATCHDOG_CTRL_TRIGGER) | wd_time(w); return BUS_OK;
    case WATCHDOG_LOAD: *v = 0; return BUS_OK;
    case WATCHDOG_REASON: *v = w->reason; return BUS_OK;
    }
    return BUS_HOLE;
}

static int wd_write(void *st, bus_access *a, uint32_t v)
{
    watchdog_dev *w = st;
    if (a->offset >= WATCHDOG_SCRATCH0 && a->offset < WATCHDOG_SCRATCH0 + 32) {
        uint32_t *s = &w->scratch[(a->offset - WATCHDOG_SCRATCH0) / 4];
        *s = bus_alias_apply(*s, v, a->alias);
        return BUS_OK;
    }
    switch (a->offset) {
    case WATCHDOG_CTRL: {
        uint32_t nv = bus_alias_apply(w->ctrl, v, a->alias);
        int was = (w->ctrl & WATCHDOG_CTRL_ENABLE) != 0, now = (nv & WATCHDOG_CTRL_ENABLE) != 0;
        w->ctrl = nv & 0x47000000u;
        if (was != now) wd_rebase(w, wd_time(w), now);
        if (nv & WATCHDOG_CTRL_TRIGGER) wd_fire(w, WATCHDOG_REASON_FORCE);
        return BUS_OK;
    }
    case WATCHDOG_LOAD: wd_rebase(w, v, (w->ctrl & WATCHDOG_CTRL_ENABLE) != 0); return BUS_OK;
    case WATCHDOG_REASON: return BUS_OK;
    }
    return BUS_HOLE;
}

uint64_t watchdog_next_event(watchdog_dev *w)
{
    if (!w->running || !tick_running(&w->tick)) return 0;
    return tick_time_of(&w->tick, w->load_tick + w->load);
}

void watchdog_poll(watchdog_dev *w)
{
    if (w->running && wd_time(w) == 0) {
        sim_info("watchdog timer expired: rebooting the board");
        wd_fire(w, WATCHDOG_REASON_TIMER);
    }
}

/* ---------------- POWMAN ---------------- */

static int powman_read(void *st, bus_access *a, uint32_t *v)
{
    powman_dev *p = st;
    if (a->offset >= 0x100) return BUS_HOLE;
    switch (a->offset) {
    case POWMAN_BADPASSWD: *v = (uint32_t)p->badpasswd; return BUS_OK;
    case POWMAN_VREG: {
        uint32_t busy = svc_now_ps(p->svc) < p->vreg_done_ps ? POWMAN_VREG_UPDATE_IN_PROGRESS : 0;
        *v = (p->regs[a->offset / 4] & ~POWMAN_VREG_UPDATE_IN_PROGRESS) | busy;
        return BUS_OK;
    }
    }
    const sim_regdef *r = regtable_find(p->dev.regs, a->offset, NULL);
    if (!r) return BUS_HOLE;
    *v = p->regs[a->offset / 4];
    return BUS_OK;
}

static const char *vsel_volts(uint32_t vsel)
{
    static const char *t[] = {"0.55", "0.60", "0.65", "0.70", "0.75", "0.80", "0.85", "0.90",
                              "0.95", "1.00", "1.05", "1.10", "1.15", "1.20", "1.25", "1.30",
                              "1.35", "1.40", "1.50", "1.60", "1.65", "1.70", "1.80", "1.90",
                              "2.00", "2.35", "2.50", "2.65", "2.80", "3.00", "3.15", "3.30"};
    return t[vsel & 31];
}

static int powman_write(void *st, bus_access *a, uint32_t v)
{
    powman_dev *p = st;
    const sim_regdef *r = regtable_find(p->dev.regs, a->offset, NULL);
    if (!r) return BUS_HOLE;
    if (a->offset <= POWMAN_LAST_PROTECTED && (v >> 16) != POWMAN_PASSWORD) {
        /* "writes that don't include the password are ignored, setting a flag
         * in the BADPASSWD register" (datasheet 6.4) */
        if (a->offset == POWMAN_BADPASSWD) return BUS_OK;
        p->badpasswd = 1;
        sim_warn("POWMAN.%s written without the 0x5AFE password: ignored (BADPASSWD set)", r->name);
        return BUS_OK;
    }
    if (a->offset == POWMAN_BADPASSWD) {
        if (v & 1) p->badpasswd = 0;
        return BUS_OK;
    }
    uint32_t *reg = &p->regs[a->offset / 4];
    uint32_t nv = bus_alias_apply(*reg, v & 0xFFFF, a->alias) & r->bits;
    if (a->offset == POWMAN_VREG) {
        if (!(p->regs[POWMAN_VREG_CTRL / 4] & POWMAN_VREG_CTRL_UNLOCK)) {
            sim_warn("POWMAN.VREG written while VREG_CTRL.UNLOCK is 0: ignored");
            return BUS_OK;
        }
        uint32_t vsel = (nv & POWMAN_VREG_VSEL_MASK) >> POWMAN_VREG_VSEL_LSB;
        uint32_t limit = (p->regs[POWMAN_VREG_CTRL / 4] & (1u << 8)) ? 31 : 0x0F;
        if (vsel > limit) {
            vsel = limit;   /* clamped to 1.30 V without DISABLE_VOLTAGE_LIMIT */
            nv = (nv & ~POWMAN_VREG_VSEL_MASK) | vsel << POWMAN_VREG_VSEL_LSB;
        }
        sim_info("core voltage (VREG) set to %s V", vsel_volts(vsel));
        p->vreg_done_ps = svc_now_ps(p->svc) + 100000000ull;   /* 100 us settling (model) */
    }
    if (a->offset == POWMAN_VREG_CTRL && (*reg & POWMAN_VREG_CTRL_UNLOCK))
        nv |= POWMAN_VREG_CTRL_UNLOCK;   /* cannot be relocked */
    *reg = nv;
    return BUS_OK;
}

/* ---------------- SYSINFO ---------------- */

static int sysinfo_read(void *st, bus_access *a, uint32_t *v)
{
    sysinfo_dev *s = st;
    switch (a->offset) {
    /* REVISION 2 (A2), PART 0x0004, MANUFACTURER 0x493, STOP_BIT (JEP-106
     * layout; value by analogy with RP2040's 0x?0002927: UNVERIFIED) */
    case SYSINFO_CHIP_ID: *v = 0x20004927u; return BUS_OK;
    case SYSINFO_PACKAGE_SEL: *v = s->rp2350b ? 0 : 1; return BUS_OK;
    case SYSINFO_PLATFORM: *v = 0x2; return BUS_OK;   /* ASIC */
    case SYSINFO_GITREF_RP2350: *v = 0; return BUS_OK;
    }
    return BUS_HOLE;
}

static int sysinfo_write(void *st, bus_access *a, uint32_t v)
{
    (void)st;
    (void)v;
    return a->offset <= SYSINFO_GITREF_RP2350 ? BUS_OK : BUS_HOLE;
}

/* ---------------- plain blocks and stubs ---------------- */

/* ---------------- BOOTRAM ----------------
 * 1 KB of memory, then registers (SDK hardware/regs/bootram.h): WRITE_ONCE0/1
 * "always ORs writes into its current contents; once a bit is set, it can
 * only be cleared by a reset"; BOOTLOCK_STAT "1=unclaimed, 0=claimed. These
 * locks function identically to the SIO spinlocks"; BOOTLOCKn "Read to claim
 * and check. Write to unclaim. The value returned on successful claim is
 * 1 << n, and on failed claim is zero." */

static int bootlock_of(uint32_t offset)
{
    if (offset < BOOTRAM_BOOTLOCK0) return -1;
    uint32_t n = (offset - BOOTRAM_BOOTLOCK0) / 4;
    return n < BOOTRAM_BOOTLOCK_COUNT ? (int)n : -1;
}

static int bootram_read(void *st, bus_access *a, uint32_t *v)
{
    bootram_dev *b = st;
    uint32_t off = a->offset;
    if (off < BOOTRAM_SIZE) {
        memcpy(v, b->mem + off, 4);
        return BUS_OK;
    }
    if (off == BOOTRAM_WRITE_ONCE0 || off == BOOTRAM_WRITE_ONCE0 + 4) {
        *v = b->write_once[(off - BOOTRAM_WRITE_ONCE0) / 4];
        return BUS_OK;
    }
    if (off == BOOTRAM_BOOTLOCK_STAT) {
        *v = (uint8_t)~b->claimed;
        return BUS_OK;
    }
    int n = bootlock_of(off);
    if (n < 0) return BUS_HOLE;
    uint8_t bit = (uint8_t)(1u << n);
    *v = b->claimed & bit ? 0 : bit;   /* the read is the claim */
    b->claimed |= bit;
    return BUS_OK;
}

static int bootram_write(void *st, bus_access *a, uint32_t v)
{
    bootram_dev *b = st;
    uint32_t off = a->offset;
    if (off < BOOTRAM_SIZE) {
        /* memory: narrow writes really are narrow (and take the atomic
         * aliases as the SDK's flash_devinfo_update_field uses them) */
        uint32_t lane = a->addr & 3, old = 0;
        memcpy(&old, b->mem + off + lane, (size_t)a->size);
        uint32_t nv = bus_alias_apply(old, v, a->alias);
        memcpy(b->mem + off + lane, &nv, (size_t)a->size);
        return BUS_OK;
    }
    if (off == BOOTRAM_WRITE_ONCE0 || off == BOOTRAM_WRITE_ONCE0 + 4) {
        uint32_t *w = &b->write_once[(off - BOOTRAM_WRITE_ONCE0) / 4];
        *w |= v;   /* bits set stay set until a reset */
        return BUS_OK;
    }
    /* BOOTLOCK_STAT is status only, as the SIO's SPINLOCK_ST it mirrors */
    if (off == BOOTRAM_BOOTLOCK_STAT) return BUS_OK;
    int n = bootlock_of(off);
    if (n < 0) return BUS_HOLE;
    b->claimed &= (uint8_t)~(1u << n);   /* any write frees the lock */
    return BUS_OK;
}

/* ---------------- OTP_DATA: the ECC-read window of the OTP ----------------
 * 16 bits per row at a 2-byte stride (SDK regs/addressmap.h OTP_DATA_BASE,
 * regs/otp_data.h). Only CHIPID0..3 (rows 0-3, the chip's 64-bit ID, least
 * significant row first) hold data; the other rows read as blank (0). */
#define OTP_DATA_SIZE 0x2000u /* 4096 rows */

static uint16_t otp_row(otp_data_dev *o, uint32_t row)
{
    return row < 4 ? (uint16_t)(o->chip_id >> (16 * row)) : 0;
}

static int otp_data_read(void *st, bus_access *a, uint32_t *v)
{
    otp_data_dev *o = st;
    uint32_t row = a->offset / 2; /* the word holds this row and the next */
    *v = otp_row(o, row) | (uint32_t)otp_row(o, row + 1) << 16;
    return BUS_OK;
}

static int otp_data_write(void *st, bus_access *a, uint32_t v)
{
    (void)st;
    (void)a;
    (void)v;
    return BUS_HOLE; /* read-only: OTP is programmed through the OTP block */
}

/* ---------------- stubs for every other real block ---------------- */

void stub_init(sim_device *d, const char *name, uint32_t base, int aliases, int reset_bit)
{
    bus_dev_setup(d, name, base, aliases ? 0x4000 : 0x1000, aliases, reset_bit, NULL,
                  device_stored_read, device_stored_write);
}

void stubs_reset(stub_dev *s)
{
    for (int i = 0; i < s->count; i++) device_stored_reset(&s->dev[i]);
}

/* ---------------- init / reset ---------------- */

void resets_init(resets_dev *r, const board_services *svc)
{
    memset(r, 0, sizeof(*r));
    r->svc = svc;
    bus_dev_setup(&r->dev, "RESETS", RESETS_BASE, 0x4000, 1, -1, r, resets_read, resets_write);
}

void resets_reset(resets_dev *r)
{
    r->reset = RESETS_ALL;
    r->wdsel = 0;
}

void psm_init(psm_dev *p, const board_services *svc)
{
    memset(p, 0, sizeof(*p));
    p->svc = svc;
    bus_dev_setup(&p->dev, "PSM", PSM_BASE, 0x4000, 1, -1, p, psm_read, psm_write);
}

void psm_reset(psm_dev *p) { p->frce_on = p->frce_off = p->wdsel = 0; }

void watchdog_init(watchdog_dev *w)
{
    memset(w, 0, sizeof(*w));
    bus_dev_setup(&w->dev, "WATCHDOG", WATCHDOG_BASE, 0x4000, 1, -1, w, wd_read, wd_write);
}

void watchdog_reset(watchdog_dev *w, int power_on)
{
    w->ctrl = 0x07000000u;
    w->running = 0;
    w->load = 0;
    if (power_on) {   /* otherwise SCRATCH0-7 and REASON survive the reset */
        memset(w->scratch, 0, sizeof(w->scratch));
        w->reason = 0;
    }
}

void powman_init(powman_dev *p, const board_services *svc)
{
    memset(p, 0, sizeof(*p));
    p->svc = svc;
    bus_dev_setup(&p->dev, "POWMAN", POWMAN_BASE, 0x4000, 1, -1, p, powman_read, powman_write);
}

void powman_power_on(powman_dev *p)
{
    memset(p->regs, 0, sizeof(p->regs));
    for (int r = 0; r < p->dev.regs->count; r++)
        if (p->dev.regs->regs[r].offset < 0x100)
            p->regs[p->dev.regs->regs[r].offset / 4] = p->dev.regs->regs[r].reset;
    p->badpasswd = 0;
}

void sysinfo_init(sysinfo_dev *s, int rp2350b)
{
    memset(s, 0, sizeof(*s));
    s->rp2350b = rp2350b;
    bus_dev_setup(&s->dev, "SYSINFO", SYSINFO_BASE, 0x4000, 1, RST_SYSINFO, s, sysinfo_read,
                  sysinfo_write);
}

void otp_data_init(otp_data_dev *o, uint64_t chip_id)
{
    memset(o, 0, sizeof(*o));
    o->chip_id = chip_id;
    bus_dev_setup(&o->dev, "OTP_DATA", OTP_DATA_BASE, OTP_DATA_SIZE, 0, -1, o, otp_data_read,
                  otp_data_write);
}

void syscfg_init(plain_dev *p)
{
    memset(p, 0, sizeof(*p));
    bus_dev_setup(&p->dev, "SYSCFG", SYSCFG_BASE, 0x4000, 1, RST_SYSCFG, p,
                  device_stored_read, device_stored_write);
    p->dev.quiet = 1;
}

void plain_reset(plain_dev *p) { device_stored_reset(&p->dev); }

void bootram_init(bootram_dev *b)
{
    memset(b, 0, sizeof(*b));
    bus_dev_setup(&b->dev, "BOOTRAM", BOOTRAM_BASE, 0x4000, 1, -1, b, bootram_read, bootram_write);
}

void bootram_reset(bootram_dev *b, int power_on)
{
    if (power_on) memset(b->mem, 0, sizeof(b->mem));
    b->write_once[0] = b->write_once[1] = 0;
    b->claimed = 0;
}
