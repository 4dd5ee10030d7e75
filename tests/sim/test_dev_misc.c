/* test_dev_misc.c - WATCHDOG, RESETS and BOOTRAM (devices/dev_misc.c) driven alone
 * through their register interface and signals: no cores, no machine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "dev_misc.h"
#include "regs/misc.h"
#include "regs/resets.h"

/* ---- what the board would connect ---- */

static uint64_t ticks_now;          /* the watchdog generator's tick count */
static int pending;                 /* a reboot is already pending */
static int reboots;
static uint32_t reboot_reason;

static uint64_t fake_count(void *ctx, int gen) { (void)ctx, (void)gen; return ticks_now; }
static int fake_running(void *ctx, int gen) { (void)ctx, (void)gen; return 1; }
/* one tick per microsecond */
static uint64_t fake_time_of(void *ctx, int gen, uint64_t n) { (void)ctx, (void)gen; return n * 1000000ull; }
static uint32_t fake_pending(void *ctx, int n) { (void)ctx, (void)n; return (uint32_t)pending; }

static void on_reboot(void *ctx, int n, uint32_t reason)
{
    (void)ctx, (void)n;
    reboots++;
    reboot_reason = reason;
}

static int reg_write(sim_device *d, uint32_t offset, int alias, uint32_t v)
{
    bus_access a = {BUS_MASTER_CORE0, d->base + offset + ((uint32_t)alias << 12), offset, alias, 4};
    return d->write(d->state, &a, v);
}

static uint32_t reg_read(sim_device *d, uint32_t offset)
{
    bus_access a = {BUS_MASTER_CORE0, d->base + offset, offset, BUS_ALIAS_NONE, 4};
    uint32_t v = 0;
    assert_int_equal(d->read(d->state, &a, &v), BUS_OK);
    return v;
}

static watchdog_dev *new_watchdog(watchdog_dev *w)
{
    ticks_now = 0;
    pending = reboots = 0;
    reboot_reason = 0;
    watchdog_init(w);
    w->tick = (sim_tick_input){NULL, 0, fake_count, fake_running, fake_time_of};
    probe_connect(&w->reboot_pending, fake_pending, NULL, 0);
    signal_connect(&w->reboot, on_reboot, NULL, 0);
    watchdog_reset(w, 1);
    return w;
}

/* LOAD ticks after enabling, the watchdog asks for a reboot with REASON
 * TIMER; its next event is the moment the count runs out */
static void watchdog_expires_into_a_reboot_request(void **state)
{
    (void)state;
    watchdog_dev w;
    new_watchdog(&w);
    ticks_now = 10;
    assert_int_equal(reg_write(&w.dev, WATCHDOG_LOAD, 0, 100), BUS_OK);
    assert_int_equal(reg_write(&w.dev, WATCHDOG_CTRL, BUS_ALIAS_SET, WATCHDOG_CTRL_ENABLE), BUS_OK);
    assert_int_equal(watchdog_next_event(&w), 110 * 1000000ull);
    ticks_now = 109;
    watchdog_poll(&w);
    assert_int_equal(reboots, 0);
    assert_int_equal(reg_read(&w.dev, WATCHDOG_CTRL) & 0xFFFFFF, 1);
    ticks_now = 110;
    watchdog_poll(&w);
    assert_int_equal(reboots, 1);
    assert_int_equal(reboot_reason, WATCHDOG_REASON_TIMER);
    assert_int_equal(reg_read(&w.dev, WATCHDOG_REASON), WATCHDOG_REASON_TIMER);
}

/* while a reboot is pending, a forced trigger neither asks again nor
 * overwrites REASON; SCRATCH survives all but a power-on reset */
static void watchdog_first_request_wins_and_scratch_survives(void **state)
{
    (void)state;
    watchdog_dev w;
    new_watchdog(&w);
    assert_int_equal(reg_write(&w.dev, WATCHDOG_SCRATCH0 + 16, 0, 0xB007C0D3u), BUS_OK);
    pending = 1;
    assert_int_equal(reg_write(&w.dev, WATCHDOG_CTRL, BUS_ALIAS_SET, WATCHDOG_CTRL_TRIGGER), BUS_OK);
    assert_int_equal(reboots, 0);
    assert_int_equal(reg_read(&w.dev, WATCHDOG_REASON), 0);
    pending = 0;
    assert_int_equal(reg_write(&w.dev, WATCHDOG_CTRL, BUS_ALIAS_SET, WATCHDOG_CTRL_TRIGGER), BUS_OK);
    assert_int_equal(reboots, 1);
    assert_int_equal(reboot_reason, WATCHDOG_REASON_FORCE);
    watchdog_reset(&w, 0);
    assert_int_equal(w.scratch[4], 0xB007C0D3u);
    assert_int_equal(reg_read(&w.dev, WATCHDOG_REASON), WATCHDOG_REASON_FORCE);
    watchdog_reset(&w, 1);
    assert_int_equal(w.scratch[4], 0);
}

/* ---- RESETS ---- */

static char events[64][16];
static int n_events;

static void on_line(void *ctx, int n, uint32_t v)
{
    (void)ctx;
    snprintf(events[n_events++ % 64], 16, "line%d=%u", n, v);
}

static void on_block_reset(void *ctx, int n, uint32_t bit)
{
    (void)ctx, (void)n;
    snprintf(events[n_events++ % 64], 16, "block%u", bit);
}

/* a RESET write drives each changed line; a line going into reset is
 * followed by block_reset naming it (the board then resets the registers
 * the bus keeps); the RESET mask reads back through the probe */
static void resets_drive_lines_on_change(void **state)
{
    (void)state;
    resets_dev r;
    resets_init(&r, NULL);
    resets_reset(&r);
    signal_connect(&r.reset_out[RST_TIMER0], on_line, NULL, RST_TIMER0);
    signal_connect(&r.reset_out[RST_UART0], on_line, NULL, RST_UART0);
    signal_connect(&r.block_reset, on_block_reset, NULL, 0);
    n_events = 0;
    assert_int_equal(reg_write(&r.dev, RESETS_RESET, BUS_ALIAS_CLR, 1u << RST_TIMER0 | 1u << RST_UART0),
                     BUS_OK);
    assert_int_equal(n_events, 2);
    assert_string_equal(events[0], "line23=0");
    assert_string_equal(events[1], "line26=0");
    assert_int_equal(resets_line(&r, RST_TIMER0), 0);
    assert_int_equal(resets_line(&r, RST_PLL_SYS), 1);
    assert_int_equal(resets_line(&r, -1), 0);
    n_events = 0;
    assert_int_equal(reg_write(&r.dev, RESETS_RESET, BUS_ALIAS_SET, 1u << RST_UART0), BUS_OK);
    assert_int_equal(reg_write(&r.dev, RESETS_RESET, BUS_ALIAS_SET, 1u << RST_UART0), BUS_OK);
    assert_int_equal(n_events, 2);
    assert_string_equal(events[0], "line26=1");
    assert_string_equal(events[1], "block26");
    assert_int_equal(resets_held_mask(&r), RESETS_ALL & ~(1u << RST_TIMER0));
    assert_int_equal(reg_read(&r.dev, RESETS_RESET), RESETS_ALL & ~(1u << RST_TIMER0));
}

/* ---- BOOTRAM: boot locks and WRITE_ONCE (SDK hardware/regs/bootram.h) ---- */

static void bootlocks_claim_on_read_and_free_on_write(void **state)
{
    (void)state;
    static bootram_dev b;
    bootram_init(&b);
    bootram_reset(&b, 1);
    sim_device *d = &b.dev;
    const uint32_t lock3 = BOOTRAM_BOOTLOCK0 + 3 * 4;
    assert_int_equal(reg_read(d, BOOTRAM_BOOTLOCK_STAT), 0xFF);   /* all unclaimed */
    assert_int_equal(reg_read(d, lock3), 1u << 3);                /* claimed: 1 << n */
    assert_int_equal(reg_read(d, lock3), 0);                      /* already claimed */
    assert_int_equal(reg_read(d, BOOTRAM_BOOTLOCK_STAT), 0xFF & ~(1u << 3));
    assert_int_equal(reg_read(d, BOOTRAM_BOOTLOCK0 + 7 * 4), 1u << 7);   /* others free */
    assert_int_equal(reg_write(d, lock3, BUS_ALIAS_NONE, 0), BUS_OK);   /* any write frees */
    assert_int_equal(reg_read(d, BOOTRAM_BOOTLOCK_STAT), 0xFF & ~(1u << 7));
    assert_int_equal(reg_read(d, lock3), 1u << 3);
    /* WRITE_ONCE ORs writes in until a reset */
    reg_write(d, BOOTRAM_WRITE_ONCE0, BUS_ALIAS_NONE, 0x5);
    reg_write(d, BOOTRAM_WRITE_ONCE0, BUS_ALIAS_NONE, 0x2);
    assert_int_equal(reg_read(d, BOOTRAM_WRITE_ONCE0), 0x7);
    /* a reset frees the locks and clears WRITE_ONCE; the memory survives
     * all but a power-on */
    reg_write(d, 0x10, BUS_ALIAS_NONE, 0xCAFEF00Du);
    bootram_reset(&b, 0);
    assert_int_equal(reg_read(d, BOOTRAM_BOOTLOCK_STAT), 0xFF);
    assert_int_equal(reg_read(d, BOOTRAM_WRITE_ONCE0), 0);
    assert_int_equal(reg_read(d, 0x10), 0xCAFEF00Du);
    /* the memory takes the XOR alias (SDK flash_devinfo_update_field) */
    reg_write(d, 0x10, BUS_ALIAS_XOR, 0x0000000Fu);
    assert_int_equal(reg_read(d, 0x10), 0xCAFEF002u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(watchdog_expires_into_a_reboot_request),
        cmocka_unit_test(watchdog_first_request_wins_and_scratch_survives),
        cmocka_unit_test(resets_drive_lines_on_change),
        cmocka_unit_test(bootlocks_claim_on_read_and_free_on_write),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
