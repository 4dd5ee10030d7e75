/* test_devices.c - device models of the virtual board driven alone through
 * their interface (bus/device.h register handlers, board/services.h,
 * board/signals.h): no cores, no machine. A fake board gives them a clock
 * the test sets and clock frequencies; connected signal handlers record
 * what the devices drive. Expected values come from the datasheet (RP2350
 * datasheet 12.1 for the PL011 UART, 3.1 for SIO), not from the models.
 *
 *   UART: 32-deep TX and RX FIFOs, TXFF/TXFE/RXFF/RXFE, the overrun flag,
 *         and a byte written to UARTDR reaching the terminal one frame
 *         (10 bits at the IBRD/FBRD baud) later.
 *   SIO:  8-deep FIFOs each way, FIFO_ST VLD/RDY/WOF/ROE with sticky,
 *         write-to-clear WOF/ROE, the SIO_IRQ_FIFO line, and the GPIO
 *         output words pushed on change. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dev_sio.h"
#include "dev_uart.h"
#include "regs/clocks.h"
#include "regs/sio.h"
#include "regs/uart.h"
#include "simtime.h"

/* ---- a fake board: a clock the test sets ---- */

typedef struct {
    uint64_t now_ps;
    uint64_t clk_hz[CLK_COUNT];
    int stops;
} fake_board;

static uint64_t fb_now_ps(void *b) { return ((fake_board *)b)->now_ps; }
/* clk_sys at 1 GHz (the UART and SIO do not count clk_sys cycles) */
static uint64_t fb_now_cycles(void *b) { return ((fake_board *)b)->now_ps / 1000; }
static uint64_t fb_cycles_to_ps(void *b, uint64_t n) { (void)b; return n * 1000; }
static uint64_t fb_clk_hz(void *b, int clk) { return ((fake_board *)b)->clk_hz[clk]; }
static void fb_end_slice(void *b) { (void)b; }

static void fb_stop(void *b, int stop, int code, const char *msg)
{
    (void)stop, (void)code, (void)msg;
    ((fake_board *)b)->stops++;
}

static void fb_bad_access(void *b, int master, uint32_t addr, int is_write, int size, const char *why)
{
    (void)master, (void)addr, (void)is_write, (void)size, (void)why;
    ((fake_board *)b)->stops++;
}

static board_services fake_services(fake_board *b)
{
    return (board_services){b, fb_now_ps, fb_now_cycles, fb_cycles_to_ps, fb_clk_hz, fb_end_slice,
                            fb_stop, fb_bad_access};
}

/* ---- register access through the device's own handlers ---- */

static uint32_t reg_read(sim_device *d, int master, uint32_t offset)
{
    bus_access a = {master, d->base + offset, offset, BUS_ALIAS_NONE, 4};
    uint32_t v = 0xDEADBEEFu;
    assert_int_equal(d->read(d->state, &a, &v), BUS_OK);
    return v;
}

static void reg_write(sim_device *d, int master, uint32_t offset, uint32_t value)
{
    bus_access a = {master, d->base + offset, offset, BUS_ALIAS_NONE, 4};
    assert_int_equal(d->write(d->state, &a, value), BUS_OK);
}

/* a signal's receiver: how often it was driven and its last value */
typedef struct {
    int calls;
    uint32_t value;
} line_probe;

static void record_line(void *ctx, int n, uint32_t value)
{
    (void)n;
    line_probe *l = ctx;
    l->calls++;
    l->value = value;
}

/* ================= UART ================= */

#define PL011_FIFO_DEPTH 32   /* datasheet 12.1: 32-entry TX and RX FIFOs */

/* the pins: UART0 TX on GPIO0, RX on GPIO1 (FUNCSEL 2), both pads pass */
static int pins_count(void *ctx) { (void)ctx; return 30; }
static int pins_funcsel(void *ctx, int pin) { (void)ctx; return pin < 2 ? GPIO_FUNC_UART : GPIO_FUNC_NULL; }
static uint32_t pins_pad(void *ctx, int pin) { (void)ctx, (void)pin; return PIN_PAD_OUTPUT | PIN_PAD_INPUT; }

/* the terminal at the far end of the line */
typedef struct {
    uint8_t bytes[256];
    uint64_t at_ps[256];
    int n;
    fake_board *board;
} fake_terminal;

static void terminal_sent(void *ctx, int uart, uint8_t byte)
{
    fake_terminal *t = ctx;
    assert_int_equal(uart, 0);
    assert_true(t->n < 256);
    t->at_ps[t->n] = t->board->now_ps;
    t->bytes[t->n++] = byte;
}

typedef struct {
    fake_board board;
    board_services svc;
    fake_terminal term;
    serial_terminal serial;
    line_probe irq;
    uart_dev u;
} uart_fixture;

#define TERMINAL_BAUD 250000u   /* as fast as the UART below: no mismatch warning */

static int uart_fixture_setup(void **state)
{
    uart_fixture *f = test_calloc(1, sizeof(*f));
    f->board.now_ps = 1000000;   /* 1 us */
    f->board.clk_hz[CLK_PERI] = 50000000;
    f->svc = fake_services(&f->board);
    f->term.board = &f->board;
    f->serial = (serial_terminal){&f->term, TERMINAL_BAUD, terminal_sent};
    uart_init(&f->u, 0, &f->svc);
    f->u.pins = (pin_mux){NULL, pins_count, pins_funcsel, pins_pad};
    f->u.serial = &f->serial;
    signal_connect(&f->u.irq, record_line, &f->irq, 0);
    uart_reset(&f->u);
    *state = f;
    return 0;
}

static int uart_fixture_teardown(void **state)
{
    test_free(*state);
    return 0;
}

/* 8 data bits, FIFOs on; the divisors latch on this LCR_H write */
#define LCR_H_8BIT_FIFO 0x70u
#define CR_UARTEN_TXE_RXE 0x301u
#define CR_UARTEN_RXE 0x201u

static void uart_configure(uart_fixture *f, uint32_t ibrd, uint32_t fbrd, uint32_t cr)
{
    reg_write(&f->u.dev, BUS_MASTER_CORE0, UARTIBRD, ibrd);
    reg_write(&f->u.dev, BUS_MASTER_CORE0, UARTFBRD, fbrd);
    reg_write(&f->u.dev, BUS_MASTER_CORE0, UARTLCR_H, LCR_H_8BIT_FIFO);
    reg_write(&f->u.dev, BUS_MASTER_CORE0, UARTCR, cr);
}

static uint32_t uart_fr(uart_fixture *f) { return reg_read(&f->u.dev, BUS_MASTER_CORE0, UARTFR); }

/* TX: with the transmitter off nothing drains, so the FIFO takes exactly 32
 * bytes; TXFF comes with the 32nd, TXFE goes with the 1st; the 33rd is lost */
static void uart_tx_fifo_is_32_deep(void **state)
{
    uart_fixture *f = *state;
    uart_configure(f, 12, 32, CR_UARTEN_RXE);
    uint32_t fr = uart_fr(f);
    assert_true(fr & UARTFR_TXFE);
    assert_false(fr & UARTFR_TXFF);
    for (int i = 0; i < PL011_FIFO_DEPTH - 1; i++)
        reg_write(&f->u.dev, BUS_MASTER_CORE0, UARTDR, (uint32_t)('a' + i % 26));
    fr = uart_fr(f);
    assert_false(fr & UARTFR_TXFE);
    assert_false(fr & UARTFR_TXFF);
    reg_write(&f->u.dev, BUS_MASTER_CORE0, UARTDR, 'Y');   /* the 32nd fills it */
    assert_true(uart_fr(f) & UARTFR_TXFF);
    reg_write(&f->u.dev, BUS_MASTER_CORE0, UARTDR, 'Z');   /* lost */
    /* the transmitter on: everything that was taken leaves, one frame each */
    reg_write(&f->u.dev, BUS_MASTER_CORE0, UARTCR, CR_UARTEN_TXE_RXE);
    f->board.now_ps += 100 * PS_PER_MS;
    uart_poll(&f->u);
    assert_int_equal(f->term.n, PL011_FIFO_DEPTH);
    assert_int_equal(f->term.bytes[PL011_FIFO_DEPTH - 1], 'Y');
    assert_true(uart_fr(f) & UARTFR_TXFE);
}

/* the time one character takes on the terminal's 8N1 line, rounded up */
static uint64_t terminal_char_ps(void) { return (10 * PS_PER_S + TERMINAL_BAUD - 1) / TERMINAL_BAUD; }

/* RX: 32 characters fill the FIFO (RXFF); the 33rd overruns: UARTRIS.OERIS
 * and the OE bit of the data register, and it is not stored */
static void uart_rx_fifo_is_32_deep_and_overruns(void **state)
{
    uart_fixture *f = *state;
    uart_configure(f, 12, 32, CR_UARTEN_TXE_RXE);
    assert_true(uart_fr(f) & UARTFR_RXFE);
    for (int i = 0; i < PL011_FIFO_DEPTH; i++) {
        assert_int_equal(uart_rx_offer(&f->u, (uint8_t)(0x40 + i)), 1);
        assert_false(uart_fr(f) & UARTFR_RXFE);
        if (i < PL011_FIFO_DEPTH - 1) assert_false(uart_fr(f) & UARTFR_RXFF);
        assert_false(reg_read(&f->u.dev, BUS_MASTER_CORE0, UARTRIS) & UART_RIS_OE);
        /* the next character is on the line one character time later */
        assert_int_equal(uart_rx_offer(&f->u, 0), 0);
        f->board.now_ps += terminal_char_ps();
    }
    assert_true(uart_fr(f) & UARTFR_RXFF);
    assert_int_equal(uart_rx_offer(&f->u, 0x7E), 1);   /* arrives, no room */
    assert_true(reg_read(&f->u.dev, BUS_MASTER_CORE0, UARTRIS) & UART_RIS_OE);
    for (int i = 0; i < PL011_FIFO_DEPTH; i++) {
        uint32_t dr = reg_read(&f->u.dev, BUS_MASTER_CORE0, UARTDR);
        assert_int_equal(dr & 0xFF, 0x40 + i);
        /* the overrun is flagged with the last character the FIFO holds */
        assert_int_equal((dr & UARTDR_OE) != 0, i == PL011_FIFO_DEPTH - 1);
    }
    assert_true(uart_fr(f) & UARTFR_RXFE);
    /* UARTICR clears the overrun interrupt */
    reg_write(&f->u.dev, BUS_MASTER_CORE0, UARTICR, UART_RIS_OE);
    assert_false(reg_read(&f->u.dev, BUS_MASTER_CORE0, UARTRIS) & UART_RIS_OE);
}

/* The frame time by the datasheet: the baud rate divisor is
 * clk_peri / (16 * baud) = IBRD + FBRD / 64, and an 8N1 character is 10
 * bits (start, 8 data, stop). In picoseconds:
 * 10 * 16 * (64 * IBRD + FBRD) * 1e12 / (64 * clk_peri). */
static uint64_t datasheet_frame_ps(uint64_t clk_peri, uint32_t ibrd, uint32_t fbrd)
{
    unsigned __int128 num = (unsigned __int128)10 * 16 * (64ull * ibrd + fbrd) * PS_PER_S;
    unsigned __int128 den = (unsigned __int128)64 * clk_peri;
    assert_true(num % den == 0);   /* the settings below give a whole number of ps */
    return (uint64_t)(num / den);
}

static void uart_byte_reaches_the_terminal_one_frame_later(void **state)
{
    uart_fixture *f = *state;
    const uint32_t ibrd = 12, fbrd = 32;   /* 250000 baud at clk_peri 50 MHz */
    uint64_t frame = datasheet_frame_ps(f->board.clk_hz[CLK_PERI], ibrd, fbrd);
    assert_int_equal(frame, 40000000);     /* 40 us */
    uart_configure(f, ibrd, fbrd, CR_UARTEN_TXE_RXE);
    uint64_t t0 = f->board.now_ps;
    reg_write(&f->u.dev, BUS_MASTER_CORE0, UARTDR, 'A');
    reg_write(&f->u.dev, BUS_MASTER_CORE0, UARTDR, 'B');
    assert_int_equal(uart_next_event(&f->u), t0 + frame);
    f->board.now_ps = t0 + frame - 1;
    uart_poll(&f->u);
    assert_int_equal(f->term.n, 0);
    assert_true(uart_fr(f) & UARTFR_BUSY);
    f->board.now_ps = t0 + frame;
    uart_poll(&f->u);
    assert_int_equal(f->term.n, 1);
    assert_int_equal(f->term.bytes[0], 'A');
    /* the second follows back to back */
    assert_int_equal(uart_next_event(&f->u), t0 + 2 * frame);
    f->board.now_ps = t0 + 2 * frame - 1;
    uart_poll(&f->u);
    assert_int_equal(f->term.n, 1);
    f->board.now_ps = t0 + 2 * frame;
    uart_poll(&f->u);
    assert_int_equal(f->term.n, 2);
    assert_int_equal(f->term.bytes[1], 'B');
    assert_false(uart_fr(f) & UARTFR_BUSY);
    assert_int_equal(uart_next_event(&f->u), 0);
}

/* the interrupt line follows UARTMIS: RX interrupt enabled, a byte arrives */
static void uart_irq_line_follows_mis(void **state)
{
    uart_fixture *f = *state;
    uart_configure(f, 12, 32, CR_UARTEN_TXE_RXE);
    reg_write(&f->u.dev, BUS_MASTER_CORE0, UARTIMSC, UART_RIS_RX);
    assert_int_equal(f->irq.value, 0);
    assert_int_equal(uart_rx_offer(&f->u, 'x'), 1);
    assert_int_equal(f->irq.value, 1);
    assert_int_equal(reg_read(&f->u.dev, BUS_MASTER_CORE0, UARTDR) & 0xFF, 'x');
    assert_int_equal(f->irq.value, 0);
}

/* ================= SIO ================= */

#define SIO_DEPTH 8   /* datasheet 3.1.5: two FIFOs, 32 bits wide and 8 deep */

typedef struct {
    fake_board board;
    board_services svc;
    sio_dev s;
    line_probe fifo_irq[2];
    line_probe gpio_word[4];
} sio_fixture;

static int sio_fixture_setup(void **state)
{
    sio_fixture *f = test_calloc(1, sizeof(*f));
    f->svc = fake_services(&f->board);
    sio_init(&f->s, &f->svc);
    for (int c = 0; c < 2; c++) signal_connect(&f->s.irq_fifo[c], record_line, &f->fifo_irq[c], c);
    for (int i = 0; i < 4; i++) signal_connect(&f->s.gpio_word[i], record_line, &f->gpio_word[i], i);
    sio_reset(&f->s);
    *state = f;
    return 0;
}

static int sio_fixture_teardown(void **state)
{
    test_free(*state);
    return 0;
}

static uint32_t fifo_st(sio_fixture *f, int core)
{
    return reg_read(&f->s.dev, core ? BUS_MASTER_CORE1 : BUS_MASTER_CORE0, SIO_FIFO_ST);
}

/* core 0 -> core 1: 8 words fit; RDY drops with the 8th, the 9th sets WOF
 * (sticky) and is lost; core 1 sees VLD, reads the 8 in order, then a read
 * of the empty FIFO sets its ROE; a write to FIFO_ST clears the flags */
static void sio_fifo_is_8_deep_with_sticky_flags(void **state)
{
    sio_fixture *f = *state;
    assert_int_equal(fifo_st(f, 0), SIO_FIFO_ST_RDY);   /* reset value: RDY only */
    assert_int_equal(fifo_st(f, 1), SIO_FIFO_ST_RDY);
    for (uint32_t i = 1; i <= SIO_DEPTH; i++) {
        reg_write(&f->s.dev, BUS_MASTER_CORE0, SIO_FIFO_WR, 100 + i);
        assert_int_equal(fifo_st(f, 0) & SIO_FIFO_ST_RDY, i < SIO_DEPTH ? SIO_FIFO_ST_RDY : 0);
        assert_int_equal(fifo_st(f, 1), SIO_FIFO_ST_VLD | SIO_FIFO_ST_RDY);
    }
    assert_int_equal(f->fifo_irq[1].value, 1);   /* core 1's SIO_IRQ_FIFO: VLD */
    assert_int_equal(f->fifo_irq[0].value, 0);
    reg_write(&f->s.dev, BUS_MASTER_CORE0, SIO_FIFO_WR, 999);   /* full: lost */
    assert_int_equal(fifo_st(f, 0), SIO_FIFO_ST_WOF);
    assert_int_equal(f->fifo_irq[0].value, 1);   /* WOF raises core 0's line */
    for (uint32_t i = 1; i <= SIO_DEPTH; i++)
        assert_int_equal(reg_read(&f->s.dev, BUS_MASTER_CORE1, SIO_FIFO_RD), 100 + i);
    assert_int_equal(fifo_st(f, 1), SIO_FIFO_ST_RDY);
    assert_int_equal(f->fifo_irq[1].value, 0);
    assert_int_equal(fifo_st(f, 0), SIO_FIFO_ST_RDY | SIO_FIFO_ST_WOF);   /* sticky */
    reg_read(&f->s.dev, BUS_MASTER_CORE1, SIO_FIFO_RD);   /* empty */
    assert_int_equal(fifo_st(f, 1), SIO_FIFO_ST_RDY | SIO_FIFO_ST_ROE);
    assert_int_equal(f->fifo_irq[1].value, 1);
    assert_int_equal(fifo_st(f, 1), SIO_FIFO_ST_RDY | SIO_FIFO_ST_ROE);   /* still there */
    reg_write(&f->s.dev, BUS_MASTER_CORE1, SIO_FIFO_ST, 0);
    assert_int_equal(fifo_st(f, 1), SIO_FIFO_ST_RDY);
    assert_int_equal(f->fifo_irq[1].value, 0);
    reg_write(&f->s.dev, BUS_MASTER_CORE0, SIO_FIFO_ST, 0);
    assert_int_equal(fifo_st(f, 0), SIO_FIFO_ST_RDY);
    assert_int_equal(f->fifo_irq[0].value, 0);
}

/* the other direction through the functions the core-1 ROM model uses */
static void sio_fifo_push_pop_to_core0(void **state)
{
    sio_fixture *f = *state;
    for (uint32_t i = 0; i < SIO_DEPTH; i++) assert_int_equal(sio_fifo_push(&f->s, 0, i), 1);
    assert_int_equal(sio_fifo_push(&f->s, 0, 77), 0);
    assert_int_equal(fifo_st(f, 1) & SIO_FIFO_ST_RDY, 0);   /* core 1's TX side is full */
    assert_int_equal(fifo_st(f, 0) & SIO_FIFO_ST_VLD, SIO_FIFO_ST_VLD);
    uint32_t v;
    for (uint32_t i = 0; i < SIO_DEPTH; i++) {
        assert_int_equal(sio_fifo_pop(&f->s, 0, &v), 1);
        assert_int_equal(v, i);
    }
    assert_int_equal(sio_fifo_pop(&f->s, 0, &v), 0);
    assert_int_equal(fifo_st(f, 0), SIO_FIFO_ST_RDY);
}

/* A FIFO word is readable from the time it was written: a core that runs
 * behind the writer (the cores run in turns) sees neither VLD nor the word
 * before then; a read then is a read of an empty FIFO (ROE). */
static void sio_fifo_word_readable_from_its_write_time(void **state)
{
    sio_fixture *f = *state;
    f->board.now_ps = 5000 * 1000;   /* cycle 5000: core 0 writes */
    reg_write(&f->s.dev, BUS_MASTER_CORE0, SIO_FIFO_WR, 42);
    f->board.now_ps = 4999 * 1000;   /* core 1, a cycle behind */
    assert_int_equal(fifo_st(f, 1), SIO_FIFO_ST_RDY);
    assert_int_equal(reg_read(&f->s.dev, BUS_MASTER_CORE1, SIO_FIFO_RD), 0);
    assert_int_equal(fifo_st(f, 1), SIO_FIFO_ST_RDY | SIO_FIFO_ST_ROE);
    reg_write(&f->s.dev, BUS_MASTER_CORE1, SIO_FIFO_ST, 0);
    f->board.now_ps = 5000 * 1000;   /* core 1 at the write's time */
    assert_int_equal(fifo_st(f, 1), SIO_FIFO_ST_VLD | SIO_FIFO_ST_RDY);
    assert_int_equal(reg_read(&f->s.dev, BUS_MASTER_CORE1, SIO_FIFO_RD), 42);
    assert_int_equal(fifo_st(f, 1), SIO_FIFO_ST_RDY);
}

/* GPIO_OUT / GPIO_OE and their SET/CLR/XOR aliases: the words reach the
 * GPIO input on change only */
static void sio_gpio_words_are_pushed_on_change(void **state)
{
    sio_fixture *f = *state;
    int calls = f->gpio_word[0].calls;
    reg_write(&f->s.dev, BUS_MASTER_CORE0, SIO_GPIO_OUT + 0x8, 1u << 25);    /* GPIO_OUT_SET */
    assert_int_equal(f->gpio_word[0].calls, calls + 1);
    assert_int_equal(f->gpio_word[0].value, 1u << 25);
    reg_write(&f->s.dev, BUS_MASTER_CORE0, SIO_GPIO_OUT + 0x8, 1u << 25);    /* no change */
    assert_int_equal(f->gpio_word[0].calls, calls + 1);
    reg_write(&f->s.dev, BUS_MASTER_CORE0, SIO_GPIO_OE + 0x8, 1u << 25);     /* GPIO_OE_SET */
    assert_int_equal(f->gpio_word[2].value, 1u << 25);
    reg_write(&f->s.dev, BUS_MASTER_CORE0, SIO_GPIO_OUT + 0x1C, 1u << 3);    /* GPIO_HI_OUT_XOR */
    assert_int_equal(f->gpio_word[1].value, 1u << 3);
    reg_write(&f->s.dev, BUS_MASTER_CORE0, SIO_GPIO_OUT + 0x10, 1u << 25);   /* GPIO_OUT_CLR */
    assert_int_equal(f->gpio_word[0].value, 0);
}

#define UART_TEST(t) cmocka_unit_test_setup_teardown(t, uart_fixture_setup, uart_fixture_teardown)
#define SIO_TEST(t) cmocka_unit_test_setup_teardown(t, sio_fixture_setup, sio_fixture_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        UART_TEST(uart_tx_fifo_is_32_deep),
        UART_TEST(uart_rx_fifo_is_32_deep_and_overruns),
        UART_TEST(uart_byte_reaches_the_terminal_one_frame_later),
        UART_TEST(uart_irq_line_follows_mis),
        SIO_TEST(sio_fifo_is_8_deep_with_sticky_flags),
        SIO_TEST(sio_fifo_push_pop_to_core0),
        SIO_TEST(sio_fifo_word_readable_from_its_write_time),
        SIO_TEST(sio_gpio_words_are_pushed_on_change),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
