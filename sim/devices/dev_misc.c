/* dev_misc.c - RESETS, PSM, WATCHDOG, POWMAN, SYSINFO, plain blocks and the
 * generic stubs (see dev_misc.h). */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "machine.h"
#include "regs/clocks.h"
#include "regs/misc.h"
#include "regs/resets.h"
#include "regs/timer.h"

/* ---------------- RESETS ---------------- */

int resets_held(machine *m, int bit)
{
    return bit >= 0 && (m->resets.reset >> bit) & 1;
}

void resets_set_hook(machine *m, int bit, reset_hook hook) { m->resets.hooks[bit] = hook; }

/* RESET_DONE needs the block's clock: UART/SPI run on clk_peri, USB on
 * clk_usb, ADC on clk_adc, HSTX on clk_hstx; the rest on clk_sys/clk_ref */
static uint32_t clocked_blocks(machine *m)
{
    uint32_t mask = RESETS_ALL;
    if (!clocks_hz(m, CLK_PERI))
        mask &= ~(1u << RST_UART0 | 1u << RST_UART1 | 1u << RST_SPI0 | 1u << RST_SPI1);
    if (!clocks_hz(m, CLK_USB)) mask &= ~(1u << RST_USBCTRL);
    if (!clocks_hz(m, CLK_ADC)) mask &= ~(1u << RST_ADC);
    if (!clocks_hz(m, CLK_HSTX)) mask &= ~(1u << RST_HSTX);
    return mask;
}

static int resets_read(void *st, bus_access *a, uint32_t *v)
{
    machine *m = st;
    switch (a->offset) {
    case RESETS_RESET: *v = m->resets.reset; return BUS_OK;
    case RESETS_WDSEL: *v = m->resets.wdsel; return BUS_OK;
    case RESETS_RESET_DONE: *v = ~m->resets.reset & clocked_blocks(m) & RESETS_ALL; return BUS_OK;
    }
    return BUS_HOLE;
}

static void resets_apply(machine *m, uint32_t nv)
{
    uint32_t old = m->resets.reset;
    m->resets.reset = nv & RESETS_ALL;
    uint32_t changed = old ^ m->resets.reset;
    for (int b = 0; b < 29; b++) {
        if (!((changed >> b) & 1)) continue;
        int asserted = (m->resets.reset >> b) & 1;
        if (m->resets.hooks[b]) m->resets.hooks[b](m, asserted);
        signal_set(&m->resets.reset_out[b], asserted);
        /* stub blocks go back to their reset values */
        for (int i = 0; i < m->bus.count; i++)
            if (m->bus.dev[i]->reset_bit == b && asserted) misc_stub_reset(m->bus.dev[i]);
    }
}

static int resets_write(void *st, bus_access *a, uint32_t v)
{
    machine *m = st;
    switch (a->offset) {
    case RESETS_RESET: resets_apply(m, bus_alias_apply(m->resets.reset, v, a->alias)); return BUS_OK;
    case RESETS_WDSEL: m->resets.wdsel = bus_alias_apply(m->resets.wdsel, v, a->alias) & RESETS_ALL; return BUS_OK;
    case RESETS_RESET_DONE: return BUS_OK;
    }
    return BUS_HOLE;
}

/* ---------------- PSM ---------------- */

static int psm_read(void *st, bus_access *a, uint32_t *v)
{
    machine *m = st;
    psm_dev *p = &m->psm;
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
    machine *m = st;
    psm_dev *p = &m->psm;
    switch (a->offset) {
    case PSM_FRCE_ON: p->frce_on = bus_alias_apply(p->frce_on, v, a->alias) & PSM_ALL; return BUS_OK;
    case PSM_FRCE_OFF: {
        uint32_t old = p->frce_off;
        p->frce_off = bus_alias_apply(old, v, a->alias) & PSM_ALL;
        if ((p->frce_off & ~old) & PSM_PROC1) {
            m->core[1].running = 0;
            m->c1rom.active = 0;
            sim_info("core 1 powered off by PSM FRCE_OFF");
        }
        if ((old & ~p->frce_off) & PSM_PROC1) machine_reset_core1(m);   /* back to the ROM loop */
        if (p->frce_off & ~PSM_PROC1 & PSM_ALL)
            sim_warn("PSM FRCE_OFF 0x%08x: powering off domains other than PROC1 is not modelled",
                     p->frce_off);
        machine_kick(m);
        return BUS_OK;
    }
    case PSM_WDSEL: p->wdsel = bus_alias_apply(p->wdsel, v, a->alias) & PSM_ALL; return BUS_OK;
    case PSM_DONE: return BUS_OK;
    }
    return BUS_HOLE;
}

/* ---------------- WATCHDOG ---------------- */

static uint32_t wd_time(machine *m)
{
    watchdog_dev *w = &m->wd;
    if (!w->running) return w->load;
    uint64_t gone = tick_count(&m->tick_in[TICK_WATCHDOG]) - w->load_tick;
    return gone >= w->load ? 0 : w->load - (uint32_t)gone;
}

/* re-bases the countdown at now (pause/resume keep the remaining time) */
static void wd_rebase(machine *m, uint32_t load, int running)
{
    watchdog_dev *w = &m->wd;
    w->load = load & 0xFFFFFF;
    w->load_tick = tick_count(&m->tick_in[TICK_WATCHDOG]);
    w->running = running;
}

static void wd_fire(machine *m, uint32_t reason)
{
    if (m->reboot != REBOOT_NONE) return;
    m->wd.reason = reason;
    m->reboot = REBOOT_WATCHDOG;
    machine_kick(m);
}

static int wd_read(void *st, bus_access *a, uint32_t *v)
{
    machine *m = st;
    watchdog_dev *w = &m->wd;
    if (a->offset >= WATCHDOG_SCRATCH0 && a->offset < WATCHDOG_SCRATCH0 + 32) {
        *v = w->scratch[(a->offset - WATCHDOG_SCRATCH0) / 4];
        return BUS_OK;
    }
    switch (a->offset) {
    case WATCHDOG_CTRL: *v = (w->ctrl & ~0xFFFFFFu & ~WATCHDOG_CTRL_TRIGGER) | wd_time(m); return BUS_OK;
    case WATCHDOG_LOAD: *v = 0; return BUS_OK;
    case WATCHDOG_REASON: *v = w->reason; return BUS_OK;
    }
    return BUS_HOLE;
}

static int wd_write(void *st, bus_access *a, uint32_t v)
{
    machine *m = st;
    watchdog_dev *w = &m->wd;
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
        if (was != now) wd_rebase(m, wd_time(m), now);
        if (nv & WATCHDOG_CTRL_TRIGGER) wd_fire(m, WATCHDOG_REASON_FORCE);
        return BUS_OK;
    }
    case WATCHDOG_LOAD: wd_rebase(m, v, (w->ctrl & WATCHDOG_CTRL_ENABLE) != 0); return BUS_OK;
    case WATCHDOG_REASON: return BUS_OK;
    }
    return BUS_HOLE;
}

uint64_t watchdog_next_event(machine *m)
{
    watchdog_dev *w = &m->wd;
    if (!w->running || !tick_running(&m->tick_in[TICK_WATCHDOG])) return 0;
    return tick_time_of(&m->tick_in[TICK_WATCHDOG], w->load_tick + w->load);
}

void watchdog_poll(machine *m)
{
    if (m->wd.running && wd_time(m) == 0) {
        sim_info("watchdog timer expired: rebooting the board");
        wd_fire(m, WATCHDOG_REASON_TIMER);
    }
}

/* ---------------- POWMAN ---------------- */

static int powman_read(void *st, bus_access *a, uint32_t *v)
{
    machine *m = st;
    powman_dev *p = &m->powman;
    if (a->offset >= 0x100) return BUS_HOLE;
    switch (a->offset) {
    case POWMAN_BADPASSWD: *v = (uint32_t)p->badpasswd; return BUS_OK;
    case POWMAN_VREG: {
        uint32_t busy = machine_now_ps(m) < p->vreg_done_ps ? POWMAN_VREG_UPDATE_IN_PROGRESS : 0;
        *v = (p->regs[a->offset / 4] & ~POWMAN_VREG_UPDATE_IN_PROGRESS) | busy;
        return BUS_OK;
    }
    }
    const sim_regdef *r = bus_regdef(p->dev.regs, a->offset, NULL);
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
    machine *m = st;
    powman_dev *p = &m->powman;
    const sim_regdef *r = bus_regdef(p->dev.regs, a->offset, NULL);
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
        p->vreg_done_ps = machine_now_ps(m) + 100000000ull;   /* 100 us settling (model) */
    }
    if (a->offset == POWMAN_VREG_CTRL && (*reg & POWMAN_VREG_CTRL_UNLOCK))
        nv |= POWMAN_VREG_CTRL_UNLOCK;   /* cannot be relocked */
    *reg = nv;
    return BUS_OK;
}

/* ---------------- SYSINFO ---------------- */

static int sysinfo_read(void *st, bus_access *a, uint32_t *v)
{
    machine *m = st;
    switch (a->offset) {
    /* REVISION 2 (A2), PART 0x0004, MANUFACTURER 0x493, STOP_BIT (JEP-106
     * layout; value by analogy with RP2040's 0x?0002927: UNVERIFIED) */
    case SYSINFO_CHIP_ID: *v = 0x20004927u; return BUS_OK;
    case SYSINFO_PACKAGE_SEL: *v = m->board->rp2350b ? 0 : 1; return BUS_OK;
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

int misc_unmodelled_read(void *st, bus_access *a, uint32_t *v)
{
    (void)st;
    (void)a;
    (void)v;
    return BUS_UNMODELLED;   /* the bus keeps the values (and warns unless quiet) */
}

int misc_unmodelled_write(void *st, bus_access *a, uint32_t v)
{
    (void)st;
    (void)a;
    (void)v;
    return BUS_UNMODELLED;
}

void misc_stub_reset(sim_device *d)
{
    if (!d->regs) return;
    for (int r = 0; r < d->regs->count; r++) d->stub_values[r] = d->regs->regs[r].reset;
}

/* BOOTRAM: 1 KB of memory, then registers at 0x800 */
static int bootram_read(void *st, bus_access *a, uint32_t *v)
{
    plain_dev *p = st;
    if (a->offset < BOOTRAM_SIZE) {
        memcpy(v, p->mem + a->offset, 4);
        return BUS_OK;
    }
    return BUS_UNMODELLED;
}

static int bootram_write(void *st, bus_access *a, uint32_t v)
{
    plain_dev *p = st;
    if (a->offset < BOOTRAM_SIZE) {
        /* memory: narrow writes really are narrow */
        uint32_t lane = a->addr & 3;
        memcpy(p->mem + a->offset + lane, &v, (size_t)a->size);
        return BUS_OK;
    }
    return BUS_UNMODELLED;
}

/* ---------------- OTP_DATA: the ECC-read window of the OTP ----------------
 * 16 bits per row at a 2-byte stride (SDK regs/addressmap.h OTP_DATA_BASE,
 * regs/otp_data.h). Only CHIPID0..3 (rows 0-3, the chip's 64-bit ID, least
 * significant row first) hold data; the other rows read as blank (0). */
#define OTP_DATA_SIZE 0x2000u /* 4096 rows */

static uint16_t otp_row(machine *m, uint32_t row)
{
    return row < 4 ? (uint16_t)(m->board->chip_id >> (16 * row)) : 0;
}

static int otp_data_read(void *st, bus_access *a, uint32_t *v)
{
    machine *m = st;
    uint32_t row = a->offset / 2; /* the word holds this row and the next */
    *v = otp_row(m, row) | (uint32_t)otp_row(m, row + 1) << 16;
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

static const struct {
    const char *name;
    int reset_bit;
    int aliases;
} stub_blocks[] = {
    {"ACCESSCTRL", -1, 1}, {"BUSCTRL", RST_BUSCTRL, 1}, {"SPI0", RST_SPI0, 1},
    {"SPI1", RST_SPI1, 1}, {"I2C0", RST_I2C0, 1},       {"I2C1", RST_I2C1, 1},
    {"ADC", RST_ADC, 1},   {"PWM", RST_PWM, 1},         {"HSTX_CTRL", RST_HSTX, 1},
    {"ROSC", -1, 1},       {"TRNG", RST_TRNG, 1},       {"SHA256", RST_SHA256, 1},
    {"OTP", -1, 1},        {"GLITCH_DETECTOR", -1, 1},  {"TBMAN", RST_TBMAN, 1},
    {"PIO0", RST_PIO0, 1}, {"PIO1", RST_PIO1, 1},       {"PIO2", RST_PIO2, 1},
    {"HSTX_FIFO", RST_HSTX, 1}, {"CORESIGHT_TRACE", -1, 1},
};

void stubs_setup(machine *m)
{
    stub_dev *s = &m->stubs;
    for (size_t i = 0; i < sizeof(stub_blocks) / sizeof(stub_blocks[0]) && s->count < STUB_MAX; i++) {
        const sim_blockdef *blk = NULL;
        for (int k = 0; k < sim_block_count; k++)
            if (!strcmp(sim_blocks[k].name, stub_blocks[i].name)) blk = &sim_blocks[k];
        if (!blk || bus_find_device(&m->bus, blk->base)) continue;
        sim_device *d = &s->dev[s->count++];
        bus_dev_setup(d, blk->name, blk->base, stub_blocks[i].aliases ? 0x4000 : 0x1000,
                      stub_blocks[i].aliases, stub_blocks[i].reset_bit, m, misc_unmodelled_read,
                      misc_unmodelled_write);
        bus_add_device(&m->bus, d);
    }
}

/* ---------------- setup / reset ---------------- */

void misc_setup(machine *m)
{
    bus_dev_setup(&m->resets.dev, "RESETS", RESETS_BASE, 0x4000, 1, -1, m, resets_read, resets_write);
    bus_dev_setup(&m->psm.dev, "PSM", PSM_BASE, 0x4000, 1, -1, m, psm_read, psm_write);
    bus_dev_setup(&m->wd.dev, "WATCHDOG", WATCHDOG_BASE, 0x4000, 1, -1, m, wd_read, wd_write);
    bus_dev_setup(&m->powman.dev, "POWMAN", POWMAN_BASE, 0x4000, 1, -1, m, powman_read, powman_write);
    bus_dev_setup(&m->sysinfo.dev, "SYSINFO", SYSINFO_BASE, 0x4000, 1, RST_SYSINFO, m, sysinfo_read,
                  sysinfo_write);
    bus_dev_setup(&m->syscfg.dev, "SYSCFG", SYSCFG_BASE, 0x4000, 1, RST_SYSCFG, m,
                  misc_unmodelled_read, misc_unmodelled_write);
    m->syscfg.dev.quiet = 1;
    bus_dev_setup(&m->bootram.dev, "BOOTRAM", BOOTRAM_BASE, 0x4000, 1, -1, &m->bootram,
                  bootram_read, bootram_write);
    bus_dev_setup(&m->otp_data, "OTP_DATA", OTP_DATA_BASE, OTP_DATA_SIZE, 0, -1, m, otp_data_read,
                  otp_data_write);
    m->bootram.dev.quiet = 1;
    bus_add_device(&m->bus, &m->resets.dev);
    bus_add_device(&m->bus, &m->psm.dev);
    bus_add_device(&m->bus, &m->wd.dev);
    bus_add_device(&m->bus, &m->powman.dev);
    bus_add_device(&m->bus, &m->sysinfo.dev);
    bus_add_device(&m->bus, &m->syscfg.dev);
    bus_add_device(&m->bus, &m->bootram.dev);
    bus_add_device(&m->bus, &m->otp_data);
}

void misc_reset(machine *m, int power_on)
{
    m->resets.reset = RESETS_ALL;
    m->resets.wdsel = 0;
    m->psm.frce_on = m->psm.frce_off = m->psm.wdsel = 0;
    m->wd.ctrl = 0x07000000u;
    m->wd.running = 0;
    m->wd.load = 0;
    if (power_on) {   /* otherwise SCRATCH0-7 and REASON survive the reset */
        memset(m->wd.scratch, 0, sizeof(m->wd.scratch));
        m->wd.reason = 0;
        powman_dev *p = &m->powman;
        memset(p->regs, 0, sizeof(p->regs));
        for (int r = 0; r < p->dev.regs->count; r++)
            if (p->dev.regs->regs[r].offset < 0x100)
                p->regs[p->dev.regs->regs[r].offset / 4] = p->dev.regs->regs[r].reset;
        p->badpasswd = 0;
        memset(m->bootram.mem, 0, sizeof(m->bootram.mem));
    }
    misc_stub_reset(&m->syscfg.dev);
    misc_stub_reset(&m->bootram.dev);
    for (int i = 0; i < m->stubs.count; i++) misc_stub_reset(&m->stubs.dev[i]);
}
