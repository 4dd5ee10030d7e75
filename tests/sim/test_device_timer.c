/* test_device_timer.c - TICKS and TIMER0 driven alone, as a board file
 * would wire them, with no cores and no machine: a fake board supplies
 * modelled time and clk_ref, the test reads and writes the registers through
 * the devices' bus handlers and records the alarm interrupt lines.
 * Facts (datasheet 8.5, 12.8): a tick every CYCLES clk_ref cycles; the timer
 * counts ticks of its generator; an alarm fires when the low 32 bits of the
 * count reach ALARMn, sets INTR bit n, and INTS = (INTR | INTF) & INTE. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dev_timer.h"
#include "regs/clocks.h"
#include "simtime.h"

/* ---- a board with a settable clock ---- */

typedef struct {
    uint64_t now_ps;
    uint64_t clk_ref_hz, clk_sys_hz;
    int slices_ended;
} fake_board;

static uint64_t fb_now_ps(void *b) { return ((fake_board *)b)->now_ps; }
static uint64_t fb_now_cycles(void *b)
{
    fake_board *f = b;
    return ps_to_clk_cycles(f->now_ps, f->clk_sys_hz);
}
static uint64_t fb_cycles_to_ps(void *b, uint64_t n)
{
    return clk_cycles_to_ps(n, ((fake_board *)b)->clk_sys_hz);
}
static uint64_t fb_clk_hz(void *b, int clk)
{
    fake_board *f = b;
    return clk == CLK_REF ? f->clk_ref_hz : f->clk_sys_hz;
}
static void fb_end_slice(void *b) { ((fake_board *)b)->slices_ended++; }
static void fb_stop(void *b, int stop, int code, const char *msg)
{
    (void)b, (void)stop, (void)code;
    fail_msg("the timer stopped the run: %s", msg);
}
static void fb_bad_access(void *b, int master, uint32_t addr, int w, int size, const char *why)
{
    (void)b, (void)master, (void)w, (void)size;
    fail_msg("bad access at 0x%08x: %s", addr, why);
}

/* ---- the devices under test and what their lines carry ---- */

static fake_board board;
static board_services svc;
static ticks_dev ticks;
static timer_dev timer;
static uint32_t irq_level[4];
static int irq_edges[4];

static void record_irq(void *ctx, int n, uint32_t level)
{
    (void)ctx;
    if (level != irq_level[n]) irq_edges[n]++;
    irq_level[n] = level;
}

static void reg_write(sim_device *d, uint32_t offset, uint32_t v)
{
    bus_access a = {BUS_MASTER_SIM, d->base + offset, offset, BUS_ALIAS_NONE, 4};
    assert_int_equal(d->write(d->state, &a, v), BUS_OK);
}

static uint32_t reg_read(sim_device *d, uint32_t offset)
{
    bus_access a = {BUS_MASTER_SIM, d->base + offset, offset, BUS_ALIAS_NONE, 4};
    uint32_t v = 0xDEADBEEFu;
    assert_int_equal(d->read(d->state, &a, &v), BUS_OK);
    return v;
}

#define US (1000000ull)   /* ps */

/* TIMER0 counting microseconds: clk_ref 12 MHz, TICKS.TIMER0 every 12 */
static int setup(void **state)
{
    (void)state;
    memset(&board, 0, sizeof(board));
    board.clk_ref_hz = 12000000;
    board.clk_sys_hz = 150000000;
    svc = (board_services){&board, fb_now_ps, fb_now_cycles, fb_cycles_to_ps, fb_clk_hz,
                           fb_end_slice, fb_stop, fb_bad_access};
    memset(irq_level, 0, sizeof(irq_level));
    memset(irq_edges, 0, sizeof(irq_edges));
    ticks_init(&ticks, &svc);
    timer_init(&timer, 0, &svc);
    timer.tick = ticks_output(&ticks, TICK_TIMER0);
    for (int k = 0; k < 4; k++) signal_connect(&timer.irq[k], record_irq, NULL, k);
    ticks_reset(&ticks);
    timer_reset(&timer);
    reg_write(&ticks.dev, TICK_TIMER0 * 12 + 4, 12);                 /* CYCLES */
    reg_write(&ticks.dev, TICK_TIMER0 * 12 + 0, TICKS_CTRL_ENABLE);  /* CTRL */
    return 0;
}

static void advance_to(uint64_t ps)
{
    board.now_ps = ps;
    timer_poll(&timer);
}

static void counts_microseconds_of_its_tick_generator(void **state)
{
    (void)state;
    assert_int_equal(reg_read(&timer.dev, TIMER_TIMERAWL), 0);
    advance_to(1234 * US + US / 2);
    assert_int_equal(reg_read(&timer.dev, TIMER_TIMERAWL), 1234);
    /* TIMELR latches the high word TIMEHR then returns */
    timer.base = 0x100000000ull;   /* as if TIMEHW/LW had been written */
    assert_int_equal(reg_read(&timer.dev, TIMER_TIMELR), 1234);
    assert_int_equal(reg_read(&timer.dev, TIMER_TIMEHR), 1);
}

static void an_enabled_alarm_raises_its_line_when_due(void **state)
{
    (void)state;
    reg_write(&timer.dev, TIMER_INTE, 1u << 2);
    reg_write(&timer.dev, TIMER_ALARM0 + 2 * 4, 100);
    assert_int_equal(reg_read(&timer.dev, TIMER_ARMED), 1u << 2);
    /* the scheduler is told when: 100 ticks of 12 clk_ref cycles = 100 us */
    assert_int_equal(timer_next_event(&timer), 100 * US);
    advance_to(100 * US - 1);
    assert_int_equal(irq_level[2], 0);
    advance_to(100 * US);
    assert_int_equal(irq_level[2], 1);
    assert_int_equal(irq_edges[2], 1);
    assert_int_equal(reg_read(&timer.dev, TIMER_ARMED), 0);
    assert_int_equal(reg_read(&timer.dev, TIMER_INTS), 1u << 2);
    assert_int_equal(timer_next_event(&timer), 0);
    /* writing INTR's bit clears it and lowers the line */
    reg_write(&timer.dev, TIMER_INTR, 1u << 2);
    assert_int_equal(irq_level[2], 0);
    assert_int_equal(irq_level[0] | irq_level[1] | irq_level[3], 0);
}

static void a_masked_alarm_sets_intr_but_no_line_and_no_event(void **state)
{
    (void)state;
    reg_write(&timer.dev, TIMER_ALARM0, 50);
    assert_int_equal(timer_next_event(&timer), 0);   /* polled alarms cost the scheduler nothing */
    advance_to(60 * US);
    assert_int_equal(reg_read(&timer.dev, TIMER_INTR), 1);
    assert_int_equal(irq_edges[0], 0);
    /* enabling the interrupt afterwards raises the line at once */
    reg_write(&timer.dev, TIMER_INTE, 1);
    assert_int_equal(irq_level[0], 1);
    /* INTF forces a line without an alarm */
    reg_write(&timer.dev, TIMER_INTE, 0xF);
    reg_write(&timer.dev, TIMER_INTF, 1u << 3);
    assert_int_equal(irq_level[3], 1);
}

static void the_alarm_compares_only_the_low_32_bits(void **state)
{
    (void)state;
    timer.base = 0xFFFFFFF0ull;            /* 16 us before the low word wraps */
    reg_write(&timer.dev, TIMER_INTE, 1);
    reg_write(&timer.dev, TIMER_ALARM0, 4); /* reached after the wrap: 20 us from now */
    assert_int_equal(timer_next_event(&timer), 20 * US);
    advance_to(19 * US);
    assert_int_equal(irq_level[0], 0);
    advance_to(20 * US);
    assert_int_equal(irq_level[0], 1);
}

static void reset_line_clears_alarms_and_lowers_lines(void **state)
{
    (void)state;
    reg_write(&timer.dev, TIMER_INTE, 1);
    reg_write(&timer.dev, TIMER_INTF, 1);
    assert_int_equal(irq_level[0], 1);
    reg_write(&timer.dev, TIMER_ALARM0 + 4, 10);
    timer_reset_line(&timer, 0, 1);
    assert_int_equal(irq_level[0], 0);
    assert_int_equal(reg_read(&timer.dev, TIMER_ARMED), 0);
    assert_int_equal(reg_read(&timer.dev, TIMER_INTE), 0);
    assert_int_equal(reg_read(&timer.dev, TIMER_DBGPAUSE), 6);
}

static void source_clk_sys_counts_cycles(void **state)
{
    (void)state;
    reg_write(&timer.dev, TIMER_SOURCE, 1);
    reg_write(&timer.dev, TIMER_INTE, 1);
    reg_write(&timer.dev, TIMER_ALARM0, 1500);   /* 1500 cycles of 150 MHz = 10 us */
    assert_int_equal(timer_next_event(&timer), 10 * US);
    advance_to(10 * US);
    assert_int_equal(irq_level[0], 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(counts_microseconds_of_its_tick_generator, setup),
        cmocka_unit_test_setup(an_enabled_alarm_raises_its_line_when_due, setup),
        cmocka_unit_test_setup(a_masked_alarm_sets_intr_but_no_line_and_no_event, setup),
        cmocka_unit_test_setup(the_alarm_compares_only_the_low_32_bits, setup),
        cmocka_unit_test_setup(reset_line_clears_alarms_and_lowers_lines, setup),
        cmocka_unit_test_setup(source_clk_sys_counts_cycles, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
