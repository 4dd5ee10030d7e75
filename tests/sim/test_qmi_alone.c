/* test_qmi_alone.c - the QMI model driven alone through its interface
 * (registers, chip port, signals), with no machine, no cores and no other
 * device: what issue 15 makes possible. A fake chip on CS0 records the bits
 * clocked to it and answers on SD1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "dev_qmi.h"
#include "regs/qmi.h"

/* ---- a board of one QMI: time, clk_sys at 150 MHz ---- */

static uint64_t now_ps;
static uint64_t t_now_ps(void *b) { (void)b; return now_ps; }
static uint64_t t_now_cycles(void *b) { (void)b; return now_ps * 3 / 20000; }
static uint64_t t_cycles_to_ps(void *b, uint64_t n) { (void)b; return n * 20000 / 3; }
static uint64_t t_clk_hz(void *b, int clk) { (void)b, (void)clk; return 150000000u; }
static void t_end_slice(void *b) { (void)b; }
static void t_stop(void *b, int stop, int code, const char *msg)
{
    (void)b, (void)stop, (void)code, (void)msg;
}
static void t_bad_access(void *b, int master, uint32_t addr, int is_write, int size,
                         const char *why)
{
    (void)b, (void)master, (void)addr, (void)is_write, (void)size, (void)why;
}
static const board_services svc = {NULL, t_now_ps, t_now_cycles, t_cycles_to_ps, t_clk_hz,
                                   t_end_slice, t_stop, t_bad_access};

/* ---- a chip that records what it sees ---- */

typedef struct {
    int selects, deselects;
    uint32_t seen;          /* SD0 bits clocked in, MSB first */
    int nbits;
    uint8_t reply;          /* shifted out on SD1, MSB first */
} fake_chip;

static void fake_select(qspi_chip *c) { ((fake_chip *)c->ctx)->selects++; }
static void fake_deselect(qspi_chip *c) { ((fake_chip *)c->ctx)->deselects++; }
static uint8_t fake_clock(qspi_chip *c, uint8_t out, uint8_t host_oe, uint8_t *chip_oe)
{
    fake_chip *f = c->ctx;
    f->seen = f->seen << 1 | (uint32_t)(out & host_oe & 1);
    int bit = (f->reply >> (7 - f->nbits % 8)) & 1;
    f->nbits++;
    *chip_oe = 2;
    return (uint8_t)(bit << 1);
}

static int changes;
static void count_change(void *ctx, int n, uint32_t v) { (void)ctx, (void)n, (void)v; changes++; }

static qmi_dev q;
static fake_chip chip;
static qspi_chip chip_port = {"fake", &chip, fake_select, fake_deselect, fake_clock};

static int setup(void **state)
{
    (void)state;
    now_ps = 1000000;
    memset(&chip, 0, sizeof(chip));
    changes = 0;
    qmi_init(&q, &svc);
    q.chip[0].chip = &chip_port;
    signal_connect(&q.windows_changed, count_change, NULL, 0);
    qmi_reset(&q);
    return 0;
}

static uint32_t reg_read(uint32_t off)
{
    bus_access a = {BUS_MASTER_CORE0, QMI_BASE + off, off, BUS_ALIAS_NONE, 4};
    uint32_t v = 0;
    assert_int_equal(q.dev.read(q.dev.state, &a, &v), BUS_OK);
    return v;
}

static void reg_write(uint32_t off, uint32_t v)
{
    bus_access a = {BUS_MASTER_CORE0, QMI_BASE + off, off, BUS_ALIAS_NONE, 4};
    assert_int_equal(q.dev.write(q.dev.state, &a, v), BUS_OK);
}

/* a direct-mode byte goes out MSB first on SD0 with CS0 held, the chip's
 * answer lands in the RX FIFO, and BUSY lasts the modelled SCK time */
static void direct_mode_byte(void **state)
{
    (void)state;
    chip.reply = 0xA5;
    /* EN, ASSERT_CS0N, CLKDIV 4 */
    reg_write(QMI_DIRECT_CSR, QMI_CSR_EN | QMI_CSR_ASSERT_CS0N | 4u << QMI_CSR_CLKDIV_LSB);
    assert_int_equal(chip.selects, 1);
    assert_int_equal(q.selected[0], 1);
    reg_write(QMI_DIRECT_TX, 0x9F);
    assert_int_equal(chip.nbits, 8);
    assert_int_equal(chip.seen & 0xFF, 0x9F);
    assert_true(reg_read(QMI_DIRECT_CSR) & QMI_CSR_BUSY);
    /* 8 SCK of 4 clk_sys cycles + half an SCK: 34 cycles at 150 MHz */
    now_ps += 34 * 20000 / 3 + 1;
    uint32_t csr = reg_read(QMI_DIRECT_CSR);
    assert_false(csr & QMI_CSR_BUSY);
    assert_false(csr & QMI_CSR_RXEMPTY);
    assert_int_equal(reg_read(QMI_DIRECT_RX), 0xA5);
    reg_write(QMI_DIRECT_CSR, 0);
    assert_int_equal(chip.deselects, 1);
    assert_int_equal(q.selected[0], 0);
}

/* window registers and direct mode drive the windows_changed output */
static void window_changes_are_signalled(void **state)
{
    (void)state;
    reg_write(QMI_M0_TIMING + 4, 0x000492A8u);   /* M0_RFMT */
    assert_int_equal(changes, 1);
    reg_write(QMI_ATRANS0 + 4, 0x04000400u);
    assert_int_equal(changes, 2);
    reg_write(QMI_DIRECT_CSR, QMI_CSR_EN);
    assert_int_equal(changes, 3);
    reg_write(QMI_DIRECT_CSR, QMI_CSR_EN);         /* no change, no signal */
    assert_int_equal(changes, 3);
}

/* the XIP side's view: direct mode, ATRANS, and why CS1 cannot be used */
static void xip_port_answers(void **state)
{
    (void)state;
    xip_qmi_port p = qmi_xip_port(&q);
    assert_true(p.atrans_identity(p.qmi));
    int cs;
    uint32_t off;
    assert_true(p.translate(p.qmi, 0x01000010u, &cs, &off));
    assert_int_equal(cs, 1);
    assert_int_equal(off, 0x10);
    const char *why;
    assert_false(p.read_ok(p.qmi, 1, &why));
    assert_string_equal(why, "no PSRAM is fitted on this board");
    reg_write(QMI_DIRECT_CSR, QMI_CSR_EN);
    assert_true(p.direct_enabled(p.qmi));
    assert_false(p.read_ok(p.qmi, 0, &why));
    assert_string_equal(why, "QMI direct mode is enabled (DIRECT_CSR.EN=1)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(direct_mode_byte, setup),
        cmocka_unit_test_setup(window_changes_are_signalled, setup),
        cmocka_unit_test_setup(xip_port_answers, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
