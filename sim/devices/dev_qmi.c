/* dev_qmi.c - the QMI (see dev_qmi.h; datasheet 12.14, rp2350-facts.md 8).
 *
 * Direct mode: each DIRECT_TX record is clocked onto the bus at once (8 or 16
 * bits, LSB byte first, each byte MSB first, at IWIDTH) and BUSY stays high
 * for the modelled SCK time. AUTO_CSxN keeps the chip selected while BUSY, so
 * software must keep the TX FIFO fed to hold CS low across bytes, as on
 * silicon. Memory-mapped transfers are built from the window's formats and
 * played on the same bus. */
#include "dev_qmi.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "regs/clocks.h"
#include "regs/gpio.h"
#include "regs/qmi.h"

static const int width_of[4] = {1, 2, 4, 4};

/* lanes nobody drives read their PADS_QSPI pull (SD0/SD1 pull down, SD2/SD3
 * pull up at reset) */
static uint8_t idle_lanes(qmi_dev *q)
{
    uint8_t idle = 0;
    for (int i = 0; i < 4; i++) {
        uint32_t pad = probe_read(&q->pad_sd[i], 0);
        if ((pad & PADS_PUE) && !(pad & PADS_PDE)) idle |= (uint8_t)(1u << i);
    }
    return idle;
}

/* the chip on chip select cs as the bus sees it (NULL = nothing answers) */
static qspi_chip *qmi_chip(qmi_dev *q, int cs)
{
    if (cs == 0) return q->chip[0].chip;   /* QSPI_SS is a dedicated pin */
    if (!q->chip[1].chip || !q->cs1_pin.routed || !q->cs1_pin.routed(q->cs1_pin.ctx)) return NULL;
    return q->chip[1].chip;
}

static int direct_enabled(qmi_dev *q) { return (q->csr & QMI_CSR_EN) != 0; }

static uint64_t sck_ps(qmi_dev *q, uint32_t clkdiv)
{
    return svc_cycles_to_ps(q->svc, clkdiv ? clkdiv : 256);
}

/* drives the chip-select lines to the state DIRECT_CSR asks for */
static void set_cs(qmi_dev *q, int cs, int want)
{
    if (q->selected[cs] == want) return;
    q->selected[cs] = want;
    qspi_chip *c = qmi_chip(q, cs);
    if (!c) return;
    if (want) c->select(c);
    else c->deselect(c);
}

/* ends an AUTO_CSxN frame once BUSY has dropped */
static void direct_sync(qmi_dev *q)
{
    int busy = svc_now_ps(q->svc) < q->busy_until_ps;
    for (int cs = 0; cs < 2; cs++) {
        int assert = (q->csr & (cs ? QMI_CSR_ASSERT_CS1N : QMI_CSR_ASSERT_CS0N)) != 0;
        if (!busy) q->auto_frame[cs] = 0;
        set_cs(q, cs, assert || q->auto_frame[cs]);
    }
}

static uint32_t shift_bits(qmi_dev *q, int nbits, int width, uint32_t out, int oe)
{
    qspi_chip *c = NULL;
    if (q->selected[0]) c = qmi_chip(q, 0);
    else if (q->selected[1]) c = qmi_chip(q, 1);
    if (q->selected[0] && q->selected[1] && !q->warned_cs1_pin) {
        q->warned_cs1_pin = 1;
        sim_warn("QMI: both chip selects asserted at once: bus contention on the QSPI data lines");
    }
    return qspi_shift(c, width, nbits, out, oe, idle_lanes(q));
}

/* clocks out one TX record; returns the RX data */
static uint16_t direct_record(qmi_dev *q, uint32_t tx)
{
    int width = width_of[(tx >> QMI_TX_IWIDTH_LSB) & 3];
    int oe = (tx & QMI_TX_OE) != 0, sixteen = (tx & QMI_TX_DWIDTH) != 0;
    uint64_t now = svc_now_ps(q->svc);
    int was_busy = now < q->busy_until_ps;
    for (int cs = 0; cs < 2; cs++)
        if (q->csr & (cs ? QMI_CSR_AUTO_CS1N : QMI_CSR_AUTO_CS0N)) {
            if (!was_busy) q->auto_frame[cs] = 0;
            set_cs(q, cs, 1);
            q->auto_frame[cs] = 1;
        }
    uint16_t rx = (uint16_t)shift_bits(q, 8, width, tx & 0xFF, oe);
    if (sixteen) rx |= (uint16_t)(shift_bits(q, 8, width, (tx >> 8) & 0xFF, oe) << 8);
    uint32_t clocks = (uint32_t)(sixteen ? 16 : 8) / (uint32_t)width;
    uint64_t start = was_busy ? q->busy_until_ps : now;
    uint32_t clkdiv = (q->csr >> QMI_CSR_CLKDIV_LSB) & 0xFF;
    q->busy_until_ps = start + clocks * sck_ps(q, clkdiv) + sck_ps(q, clkdiv) / 2;
    return rx;
}

/* moves TX records to the bus while the RX FIFO has room for their data */
static void direct_run(qmi_dev *q)
{
    while (q->tx_count) {
        uint32_t tx = q->tx[0];
        int push = !(tx & QMI_TX_NOPUSH);
        if (push && q->rx_count >= QMI_FIFO_DEPTH) return;   /* stalls on a full RX FIFO */
        uint16_t rx = direct_record(q, tx);
        memmove(q->tx, q->tx + 1, sizeof(q->tx[0]) * (size_t)--q->tx_count);
        if (push) {
            q->rx[(q->rx_head + q->rx_count) % QMI_FIFO_DEPTH] = rx;
            q->rx_count++;
        }
    }
}

static void direct_tx(qmi_dev *q, uint32_t v)
{
    direct_sync(q);
    if (q->tx_count >= QMI_FIFO_DEPTH) return;   /* "that data will be ignored" */
    if (!(q->csr & QMI_CSR_EN) && !(q->csr & (QMI_CSR_ASSERT_CS0N | QMI_CSR_ASSERT_CS1N))) {
        static int warned;
        if (!warned) {
            warned = 1;
            sim_warn("QMI DIRECT_TX written while direct mode is disabled (DIRECT_CSR.EN=0)");
        }
    }
    q->tx[q->tx_count++] = v & 0x1FFFFF;
    direct_run(q);
}

static uint32_t direct_rx(qmi_dev *q)
{
    if (!q->rx_count) return 0;   /* "the value returned is undefined" */
    uint32_t v = q->rx[q->rx_head];
    q->rx_head = (q->rx_head + 1) % QMI_FIFO_DEPTH;
    q->rx_count--;
    direct_run(q);
    return v;
}

static uint32_t read_csr(qmi_dev *q)
{
    direct_sync(q);
    uint32_t v = q->csr & QMI_CSR_RW_MASK;
    if (svc_now_ps(q->svc) < q->busy_until_ps || q->tx_count) v |= QMI_CSR_BUSY;
    v |= (uint32_t)q->tx_count << 12;
    if (!q->tx_count) v |= QMI_CSR_TXEMPTY;
    if (q->tx_count >= QMI_FIFO_DEPTH) v |= QMI_CSR_TXFULL;
    v |= (uint32_t)q->rx_count << 18;
    if (!q->rx_count) v |= QMI_CSR_RXEMPTY;
    if (q->rx_count >= QMI_FIFO_DEPTH) v |= QMI_CSR_RXFULL;
    return v;
}

static int qmi_read(void *st, bus_access *a, uint32_t *v)
{
    qmi_dev *q = st;
    uint32_t off = a->offset;
    if (off == QMI_DIRECT_CSR) { *v = read_csr(q); return BUS_OK; }
    if (off == QMI_DIRECT_TX) { *v = 0; return BUS_OK; }
    if (off == QMI_DIRECT_RX) { *v = direct_rx(q); return BUS_OK; }
    if (off >= QMI_M0_TIMING && off < QMI_ATRANS0) {
        uint32_t i = (off - QMI_M0_TIMING) / QMI_M_STRIDE, k = (off - QMI_M0_TIMING) % QMI_M_STRIDE / 4;
        *v = q->win.m[i][k];
        return BUS_OK;
    }
    if (off >= QMI_ATRANS0 && off < QMI_ATRANS0 + 4 * QMI_ATRANS_COUNT) {
        *v = q->win.atrans[(off - QMI_ATRANS0) / 4];
        return BUS_OK;
    }
    return BUS_HOLE;
}

static int qmi_write(void *st, bus_access *a, uint32_t v)
{
    qmi_dev *q = st;
    uint32_t off = a->offset;
    if (off == QMI_DIRECT_CSR) {
        uint32_t old = q->csr;
        q->csr = bus_alias_apply(old, v, a->alias) & QMI_CSR_RW_MASK;
        direct_sync(q);
        if ((old ^ q->csr) & (QMI_CSR_EN | QMI_CSR_ASSERT_CS0N | QMI_CSR_ASSERT_CS1N))
            signal_set(&q->windows_changed, 1);
        return BUS_OK;
    }
    if (off == QMI_DIRECT_TX) { direct_tx(q, v); return BUS_OK; }
    if (off == QMI_DIRECT_RX) return BUS_OK;
    if (off >= QMI_M0_TIMING && off < QMI_ATRANS0) {
        uint32_t i = (off - QMI_M0_TIMING) / QMI_M_STRIDE, k = (off - QMI_M0_TIMING) % QMI_M_STRIDE / 4;
        static const uint32_t mask[5] = {0xF3FFF7FFu, 0x1007D3FFu, 0xFFFFu, 0x1007D3FFu, 0xFFFFu};
        q->win.m[i][k] = bus_alias_apply(q->win.m[i][k], v, a->alias) & mask[k];
        q->win.gen++;
        signal_set(&q->windows_changed, 1);
        return BUS_OK;
    }
    if (off >= QMI_ATRANS0 && off < QMI_ATRANS0 + 4 * QMI_ATRANS_COUNT) {
        uint32_t *r = &q->win.atrans[(off - QMI_ATRANS0) / 4];
        *r = bus_alias_apply(*r, v, a->alias) & 0x07FF0FFFu;
        q->win.gen++;
        signal_set(&q->windows_changed, 1);
        return BUS_OK;
    }
    return BUS_HOLE;
}

/* ---- memory-mapped transfers ---- */

/* one transfer through window formats fmt/cmd on chip c */
static uint32_t xfer(qmi_dev *q, qspi_chip *c, uint32_t fmt, uint32_t cmd, uint32_t addr, int size,
                     int write, uint32_t wdata)
{
    uint8_t idle = idle_lanes(q);
    if (fmt & QMI_FMT_DTR) {
        if (!q->warned_dtr) {
            q->warned_dtr = 1;
            sim_warn("QMI window format has DTR set: double transfer rate is not modelled");
        }
    }
    if (c) c->select(c);
    if (QMI_FMT_PREFIX_LEN(fmt))
        qspi_shift(c, width_of[QMI_FMT_PREFIX_WIDTH(fmt)], 8, cmd & 0xFF, 1, idle);
    qspi_shift(c, width_of[QMI_FMT_ADDR_WIDTH(fmt)], 24, addr & 0xFFFFFF, 1, idle);
    if (QMI_FMT_SUFFIX_LEN(fmt) == 2)
        qspi_shift(c, width_of[QMI_FMT_SUFFIX_WIDTH(fmt)], 8, (cmd >> 8) & 0xFF, 1, idle);
    int dummy = (int)QMI_FMT_DUMMY_LEN(fmt) * 4;
    if (dummy) {
        int w = width_of[QMI_FMT_DUMMY_WIDTH(fmt)];
        qspi_shift(c, w, dummy - dummy % w, 0, 0, idle);
    }
    int dw = width_of[QMI_FMT_DATA_WIDTH(fmt)];
    uint32_t v = 0;
    for (int i = 0; i < size; i++) {
        uint32_t byte = qspi_shift(c, dw, 8, write ? (wdata >> (8 * i)) & 0xFF : 0, write, idle);
        v |= byte << (8 * i);
    }
    if (c) c->deselect(c);
    return v;
}

static uint32_t xip_read(void *qmi, int cs, uint32_t offset, int size)
{
    qmi_dev *q = qmi;
    return xfer(q, qmi_chip(q, cs), q->win.m[cs][1], q->win.m[cs][2], offset, size, 0, 0);
}

static void xip_write(void *qmi, int cs, uint32_t offset, int size, uint32_t value)
{
    qmi_dev *q = qmi;
    xfer(q, qmi_chip(q, cs), q->win.m[cs][3], q->win.m[cs][4], offset, size, 1, value);
}

/* ---- fast-path checks: play a probe transfer on a copy of the chip ---- */

#define PROBE_OFF 0x1000u
static const uint8_t probe_pattern[8] = {0x3C, 0xA5, 0x0F, 0xF0, 0x5A, 0x96, 0xC3, 0x69};

static int general_problem(qmi_dev *q, int cs, const char **why)
{
    if (q->csr & QMI_CSR_EN) {
        *why = "QMI direct mode is enabled (DIRECT_CSR.EN=1)";
        return 1;
    }
    if (q->csr & (QMI_CSR_ASSERT_CS0N | QMI_CSR_ASSERT_CS1N)) {
        *why = "a chip select is forced by DIRECT_CSR.ASSERT_CSxN";
        return 1;
    }
    if (q->win.m[cs][1] & QMI_FMT_DTR) {
        *why = "DTR transfers are not modelled";
        return 1;
    }
    if (!qmi_chip(q, cs)) {
        if (cs == 1 && !q->chip[1].chip) *why = "no PSRAM is fitted on this board";
        else if (cs == 1) {
            static char buf[160];
            const char *p = q->cs1_pin.problem ? q->cs1_pin.problem(q->cs1_pin.ctx) : NULL;
            snprintf(buf, sizeof(buf), "QMI CS1 does not reach the PSRAM's CE# (%s)",
                     p ? p : "not routed");
            *why = buf;
        }
        return 1;
    }
    return 0;
}

/* plays a transfer on a copy of chip cs's state (memory restored after):
 * PROBE_OK = right data and the chip left as it was; PROBE_DATA = wrong
 * data; PROBE_MODE = right data, but the chip changed mode (e.g. entered
 * continuous read), so the next transfer may differ */
enum { PROBE_OK = 0, PROBE_DATA, PROBE_MODE };

static int probe(qmi_dev *q, int cs, int write)
{
    qmi_chip_port *port = &q->chip[cs];
    uint8_t *mem = port->mem;
    uint32_t off = PROBE_OFF % port->size;
    uint8_t saved[8];
    memcpy(saved, mem + off, 8);
    memcpy(mem + off, probe_pattern, 8);
    qspi_chip *copy = port->scratch(port->ctx);
    uint32_t v = xfer(q, copy, q->win.m[cs][1], q->win.m[cs][2], off, 4, 0, 0);
    int data_ok = memcmp(&v, probe_pattern, 4) == 0;
    if (data_ok && write) {
        xfer(q, copy, q->win.m[cs][3], q->win.m[cs][4], off, 4, 1, 0x01234567u);
        data_ok = memcmp(mem + off, "\x67\x45\x23\x01", 4) == 0;
    }
    int mode_ok = port->scratch_same_mode(port->ctx);
    memcpy(mem + off, saved, 8);
    return !data_ok ? PROBE_DATA : !mode_ok ? PROBE_MODE : PROBE_OK;
}

/* The fastest flash SCK the boot ROM uses is clk_sys / 3, "50 MHz at max
 * clk_sys of 150 MHz" (BOOTROM_SPI_CLKDIV_FLASH_BOOT_MIN), with PADS_QSPI as
 * reset leaves it: SCLK at 4 mA, slow slew, Schmitt triggers on. The SDK's
 * boot2 for clk_sys / 2 (75 MHz) first sets SCLK to 8 mA with fast slew and
 * takes the Schmitt triggers off SD0-SD3 (boot2_w25q080.S, _pad_config). So
 * above 50 MHz on the flash the pads should be at least what boot2 sets;
 * below it the reset pads are what stock SDK firmware runs
 * with (the ROM's clk_sys / 3), so no warning there. A warning, not a stop:
 * an SDK firmware that raises clk_sys past 150 MHz without boot2 gets it too,
 * and may well work on a given board. CS1 shares the pad but is not judged:
 * stock PSRAM drivers run it at clk_sys / 2 without touching the pads.
 * Judged with the other limits whenever the flash window is (re)mapped,
 * i.e. after QMI or PADS_QSPI writes (a clk_sys change alone is not seen). */
#define FLASH_SCK_MAX_RESET_PADS_HZ 50000000ull

/* the data lanes with their input Schmitt trigger on, as a bit mask */
static unsigned schmitt_lanes(qmi_dev *q)
{
    unsigned lanes = 0;
    for (unsigned i = 0; i < 4; i++)
        if (probe_read(&q->pad_sd[i], 0) & PADS_SCHMITT) lanes |= 1u << i;
    return lanes;
}

static void flash_pad_warning(qmi_dev *q, uint64_t sck, uint32_t div)
{
    uint32_t sclk = probe_read(&q->pad_sclk, 0);
    int weak_clock = PADS_DRIVE(sclk) < PADS_DRIVE_8MA || !(sclk & PADS_SLEWFAST);
    unsigned schmitt = schmitt_lanes(q);
    if (q->warned_pads || sck <= FLASH_SCK_MAX_RESET_PADS_HZ || (!weak_clock && !schmitt)) return;
    q->warned_pads = 1;
    static const char *ma[4] = {"2", "4", "8", "12"};
    sim_warn("QMI M0 SCK = %.1f MHz (clk_sys / CLKDIV %u) with the QSPI SCLK pad at %s mA, "
             "%s slew, Schmitt triggers %s on SD0-SD3: above 50 MHz the SDK's boot2 first sets "
             "PADS_QSPI GPIO_QSPI_SCLK to 8 mA, fast slew, and takes the Schmitt triggers off",
             sck / 1e6, div, ma[PADS_DRIVE(sclk)], (sclk & PADS_SLEWFAST) ? "fast" : "slow",
             schmitt == 0xF ? "all" : schmitt ? "some" : "not");
}

/* once a window is in real use: its SCK and (PSRAM) select time limits */
static void timing_warnings(qmi_dev *q, int cs)
{
    uint32_t t = q->win.m[cs][0], div = QMI_TIMING_CLKDIV(t) ? QMI_TIMING_CLKDIV(t) : 256;
    uint64_t f_sys = svc_clk_hz(q->svc, CLK_SYS);
    uint64_t sck = f_sys / div;
    static uint64_t warned_sck[2];
    if (sck > 133000000ull && warned_sck[cs] != sck) {
        warned_sck[cs] = sck;
        sim_warn("QMI M%d SCK = %.1f MHz (clk_sys / CLKDIV %u) exceeds the %s's 133 MHz limit", cs,
                 sck / 1e6, div, cs ? "PSRAM" : "flash");
    }
    if (cs == 0) flash_pad_warning(q, sck, div);
    if (cs == 1 && !q->warned_psram_timing) {
        uint32_t ms = QMI_TIMING_MAX_SELECT(t);
        uint64_t max_ps = svc_cycles_to_ps(q->svc, (uint64_t)ms * 64);
        if (ms == 0 || max_ps > 8000000ull) {
            q->warned_psram_timing = 1;
            sim_warn("QMI M1_TIMING.MAX_SELECT=%u does not keep CS# low below the APS6404L's "
                     "8 us tCEM limit at clk_sys %.1f MHz", ms, f_sys / 1e6);
        }
    }
}

static int xip_read_ok(void *qmi, int cs, const char **why)
{
    qmi_dev *q = qmi;
    const char *dummy;
    if (!why) why = &dummy;
    *why = NULL;
    if (general_problem(q, cs, why)) return 0;
    int p = probe(q, cs, 0);
    if (p == PROBE_DATA) {
        *why = cs ? "M1_RFMT/M1_RCMD do not read the PSRAM in its current mode"
                  : "M0_RFMT/M0_RCMD do not read the flash in its current mode";
        return 0;
    }
    if (p == PROBE_MODE) {
        *why = cs ? "a read through M1 changes the PSRAM's mode"
                  : "a read through M0 changes the flash's mode (e.g. enters continuous read)";
        return 0;
    }
    if (cs == 0) timing_warnings(q, 0);   /* PSRAM: checked once writable (set-up done) */
    return 1;
}

static int xip_write_ok(void *qmi, int cs, const char **why)
{
    qmi_dev *q = qmi;
    const char *dummy;
    if (!why) why = &dummy;
    *why = NULL;
    if (general_problem(q, cs, why)) return 0;
    if (cs == 0) {
        *why = "the flash cannot be written through XIP";
        return 0;
    }
    if (probe(q, cs, 1) != PROBE_OK) {
        *why = "M1_WFMT/M1_WCMD do not write the PSRAM in its current mode";
        return 0;
    }
    timing_warnings(q, cs);
    return 1;
}

static int atrans_identity(void *qmi)
{
    qmi_dev *q = qmi;
    for (uint32_t i = 0; i < QMI_ATRANS_COUNT; i++)
        if (q->win.atrans[i] != (0x04000000u | 0x400u * i)) return 0;
    return 1;
}

static int translate(void *qmi, uint32_t xip_off, int *cs, uint32_t *chip_off)
{
    qmi_dev *q = qmi;
    uint32_t win = xip_off >> 22;               /* 4 MB windows */
    if (win >= QMI_ATRANS_COUNT) return 0;
    uint32_t at = q->win.atrans[win];
    uint32_t size = (at >> 16) & 0x7FF, base = at & 0xFFF;   /* 4 KB units */
    uint32_t rel = xip_off & 0x3FFFFF;
    if (rel >= size * 4096u) return 0;
    uint32_t phys = base * 4096u + rel;
    *cs = win >= 4;
    *chip_off = phys & 0xFFFFFF;
    return 1;
}

/* ---- reset ---- */

void qmi_reset(qmi_dev *q)
{
    for (int cs = 0; cs < 2; cs++)
        if (q->selected[cs]) set_cs(q, cs, 0);
    uint32_t gen = q->win.gen;
    memset(q, 0, offsetof(qmi_dev, dev));   /* the wiring stays */
    q->win.gen = gen + 1;
    q->csr = 0x01800000u;
    for (int i = 0; i < 2; i++) {
        q->win.m[i][0] = 0x40000004u;
        q->win.m[i][1] = 0x00001000u;
        q->win.m[i][2] = 0x0000A003u;
        q->win.m[i][3] = 0x00001000u;
        q->win.m[i][4] = 0x0000A002u;
    }
    for (uint32_t i = 0; i < QMI_ATRANS_COUNT; i++) q->win.atrans[i] = 0x04000000u | 0x400u * i;
}

void qmi_boot_state(qmi_dev *q)
{
    /* rp2350-facts.md 2.4: M0 and M1 as the ROM's first successful mode
     * (EBh quad at CLKDIV 3, no continuous read); direct mode off. TIMING as
     * flash_select_xip_read_mode (varm_generic_flash.c) writes it: COOLDOWN
     * 1, PAGEBREAK 1024 (field value 2), MIN_DESELECT 7, RXDELAY 2, CLKDIV 3 */
    for (int i = 0; i < 2; i++) {
        q->win.m[i][0] = 0x60007203u;
        q->win.m[i][1] = 0x000492A8u;
        q->win.m[i][2] = 0x000000EBu;
    }
    q->csr = 3u << QMI_CSR_CLKDIV_LSB;
    q->win.gen++;
    signal_set(&q->windows_changed, 1);
}

void qmi_init(qmi_dev *q, const board_services *svc)
{
    memset(q, 0, sizeof(*q));
    q->svc = svc;
    bus_dev_setup(&q->dev, "QMI", QMI_BASE, 0x4000, 1, -1, q, qmi_read, qmi_write);
}

/* ---- the memory-mapped side, for the XIP block and the XIP cache ---- */

static int xip_direct_enabled(void *qmi) { return direct_enabled(qmi); }

/* XIP_AUX routes the direct FIFOs too */
static void aux_tx(void *qmi, uint32_t v) { direct_tx(qmi, v); }
static uint32_t aux_rx(void *qmi) { return direct_rx(qmi); }

xip_qmi_port qmi_xip_port(qmi_dev *q)
{
    return (xip_qmi_port){q, &q->win, xip_direct_enabled, atrans_identity, translate, xip_read,
                          xip_write, xip_read_ok, xip_write_ok, aux_tx, aux_rx};
}
