/* dev_gpio.c - IO_BANK0, PADS_BANK0 (and plain IO_QSPI/PADS_QSPI, whose pad
 * settings the QMI reads) with the pin-level model (see dev_gpio.h; datasheet
 * chapter 9). */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "machine.h"
#include "regs/gpio.h"
#include "regs/resets.h"

int gpio_func(machine *m, int n) { return (int)(m->gpio.ctrl[n] & 0x1F); }

int gpio_pad_output_ok(machine *m, int n)
{
    return n < m->board->gpio_count && !(m->gpio.pads[n] & (PADS_ISO | PADS_OD));
}

int gpio_pad_input_ok(machine *m, int n)
{
    return n < m->board->gpio_count && (m->gpio.pads[n] & PADS_IE) && !(m->gpio.pads[n] & PADS_ISO);
}

/* what the selected function drives: *oe, return = out */
static int func_output(machine *m, int n, int *oe)
{
    int f = gpio_func(m, n);
    *oe = 0;
    if (f == GPIO_FUNC_SIO) {
        uint32_t out = n < 32 ? m->sio.gpio_out : m->sio.gpio_hi_out;
        uint32_t en = n < 32 ? m->sio.gpio_oe : m->sio.gpio_hi_oe;
        *oe = (en >> (n & 31)) & 1;
        return (out >> (n & 31)) & 1;
    }
    if ((f == GPIO_FUNC_UART && n % 4 == 0) || (f == GPIO_FUNC_UART_AUX && n % 4 == 2)) {
        *oe = 1;    /* TX idles high */
        return 1;
    }
    if (f == GPIO_FUNC_XIP_CS1 && (n == 0 || n == 8 || n == 19 || n == 47)) {
        *oe = 1;
        return !m->qmi.selected[1];
    }
    return 0;
}

static int apply_over(int v, int over)
{
    switch (over) {
    case 1: return !v;
    case 2: return 0;
    case 3: return 1;
    default: return v;
    }
}

/* out and oe after the overrides and the pad */
static int pin_output(machine *m, int n, int *oe)
{
    uint32_t ctrl = m->gpio.ctrl[n];
    int out = apply_over(func_output(m, n, oe), (int)(ctrl >> 12) & 3);
    *oe = apply_over(*oe, (int)(ctrl >> 14) & 3);
    if (!gpio_pad_output_ok(m, n)) *oe = 0;
    return out;
}

/* the electrical level on the pad */
static int pad_level(machine *m, int n)
{
    if (n >= m->board->gpio_count) return 0;
    if (m->gpio.ext[n] >= 0) return m->gpio.ext[n];
    int oe, out = pin_output(m, n, &oe);
    if (oe) return out;
    uint32_t pad = m->gpio.pads[n];
    if ((pad & PADS_PUE) && !(pad & PADS_PDE)) return 1;
    return 0;   /* pulled down, bus keeper or floating: reads 0 */
}

int gpio_in(machine *m, int n)
{
    int v = gpio_pad_input_ok(m, n) ? pad_level(m, n) : 0;
    return apply_over(v, (int)(m->gpio.ctrl[n] >> 16) & 3);
}

void gpio_set_external(machine *m, int n, int level)
{
    if (n >= 0 && n < GPIO_COUNT) m->gpio.ext[n] = level;
}

const char *gpio_function_problem(machine *m, int n, int f, int output)
{
    static char buf[160];
    if (n >= m->board->gpio_count) {
        snprintf(buf, sizeof(buf), "GPIO%d is not bonded out on the %s", n,
                 m->board->rp2350b ? "RP2350B" : "RP2350A");
        return buf;
    }
    if (gpio_func(m, n) != f) {
        snprintf(buf, sizeof(buf), "GPIO%d FUNCSEL is %d, not %d", n, gpio_func(m, n), f);
        return buf;
    }
    if (output && !gpio_pad_output_ok(m, n)) {
        snprintf(buf, sizeof(buf), "GPIO%d pad is %s", n,
                 (m->gpio.pads[n] & PADS_ISO) ? "isolated (PADS_BANK0 ISO=1)" : "output-disabled (OD=1)");
        return buf;
    }
    return NULL;
}

/* ---- IO_BANK0 ---- */

static int io_read(void *st, bus_access *a, uint32_t *v)
{
    machine *m = st;
    uint32_t off = a->offset;
    if (off < 8 * GPIO_COUNT) {
        int n = (int)(off / 8);
        if (off & 4) {
            *v = m->gpio.ctrl[n];
        } else {
            int oe, out = pin_output(m, n, &oe);
            int in = gpio_pad_input_ok(m, n) ? pad_level(m, n) : 0;
            *v = (out ? IO_STATUS_OUTTOPAD : 0) | (oe ? IO_STATUS_OETOPAD : 0) |
                 (in ? IO_STATUS_INFROMPAD : 0);
        }
        return BUS_OK;
    }
    if (off >= IO_IRQ_BASE && off < IO_IRQ_BASE + 4 * 0x80 && bus_regdef(m->gpio.dev_io.regs, off, NULL)) {
        *v = m->gpio.io_irq[(off - IO_IRQ_BASE) / 4];
        return BUS_OK;
    }
    return BUS_HOLE;
}

static int io_write(void *st, bus_access *a, uint32_t v)
{
    machine *m = st;
    uint32_t off = a->offset;
    if (off < 8 * GPIO_COUNT) {
        int n = (int)(off / 8);
        if (off & 4) {
            uint32_t old = m->gpio.ctrl[n];
            m->gpio.ctrl[n] = bus_alias_apply(old, v, a->alias) & IO_GPIO_CTRL_MASK;
            if ((old ^ m->gpio.ctrl[n]) & 0x1F) xip_request_remap(m);   /* CS1 routing may change */
        }
        return BUS_OK;
    }
    if (off >= IO_IRQ_BASE && off < IO_IRQ_BASE + 4 * 0x80 && bus_regdef(m->gpio.dev_io.regs, off, NULL)) {
        uint32_t *r = &m->gpio.io_irq[(off - IO_IRQ_BASE) / 4];
        *r = bus_alias_apply(*r, v, a->alias);
        return BUS_OK;
    }
    return BUS_HOLE;
}

/* ---- PADS_BANK0 ---- */

static uint32_t *pad_reg(machine *m, uint32_t off)
{
    if (off == PADS_VOLTAGE_SELECT) return &m->gpio.pads_voltage;
    if (off >= 4 && off < 4 + 4 * GPIO_COUNT) return &m->gpio.pads[(off - 4) / 4];
    if (off == PADS_SWCLK) return &m->gpio.pads_swclk;
    if (off == PADS_SWD) return &m->gpio.pads_swd;
    return NULL;
}

static int pads_read(void *st, bus_access *a, uint32_t *v)
{
    uint32_t *r = pad_reg(st, a->offset);
    if (!r) return BUS_HOLE;
    *v = *r;
    return BUS_OK;
}

static int pads_write(void *st, bus_access *a, uint32_t v)
{
    machine *m = st;
    uint32_t *r = pad_reg(m, a->offset);
    if (!r) return BUS_HOLE;
    uint32_t mask = a->offset == PADS_VOLTAGE_SELECT ? 1u : 0x1FFu;
    uint32_t old = *r;
    *r = bus_alias_apply(old, v, a->alias) & mask;
    if (old != *r) xip_request_remap(m);
    return BUS_OK;
}

void gpio_reset_bank0(machine *m)
{
    for (int n = 0; n < GPIO_COUNT; n++) m->gpio.ctrl[n] = 0x1F;
    memset(m->gpio.io_irq, 0, sizeof(m->gpio.io_irq));
}

void gpio_reset_pads(machine *m)
{
    for (int n = 0; n < GPIO_COUNT; n++) m->gpio.pads[n] = PADS_GPIO_RESET;
    m->gpio.pads_voltage = 0;
    m->gpio.pads_swclk = m->gpio.pads_swd = PADS_SW_RESET;
}

/* ---- PADS_QSPI: plain registers the bus keeps; the QMI reads them ---- */

uint32_t gpio_qspi_pad(machine *m, uint32_t offset)
{
    sim_device *d = &m->gpio.dev_padsqspi;
    int idx;
    return bus_regdef(d->regs, offset, &idx) ? d->stub_values[idx] : 0;
}

static int padsqspi_write(void *st, bus_access *a, uint32_t v)
{
    (void)a;
    (void)v;
    xip_request_remap(st);   /* the QMI judges its SCK against the SCLK pad (dev_qmi.c) */
    return BUS_UNMODELLED;   /* the bus stores the value */
}

void gpio_reset_qspi(machine *m)
{
    misc_stub_reset(&m->gpio.dev_ioqspi);
    misc_stub_reset(&m->gpio.dev_padsqspi);
}

static void bank0_reset_hook(machine *m, int asserted) { if (asserted) gpio_reset_bank0(m); }
static void pads_reset_hook(machine *m, int asserted) { if (asserted) gpio_reset_pads(m); }

void gpio_setup(machine *m)
{
    gpio_dev *g = &m->gpio;
    for (int n = 0; n < GPIO_COUNT; n++) g->ext[n] = -1;
    bus_dev_setup(&g->dev_io, "IO_BANK0", IO_BANK0_BASE, 0x4000, 1, RST_IO_BANK0, m, io_read, io_write);
    bus_dev_setup(&g->dev_pads, "PADS_BANK0", PADS_BANK0_BASE, 0x4000, 1, RST_PADS_BANK0, m,
                  pads_read, pads_write);
    bus_dev_setup(&g->dev_ioqspi, "IO_QSPI", IO_QSPI_BASE, 0x4000, 1, RST_IO_QSPI, m,
                  misc_unmodelled_read, misc_unmodelled_write);
    bus_dev_setup(&g->dev_padsqspi, "PADS_QSPI", PADS_QSPI_BASE, 0x4000, 1, RST_PADS_QSPI, m,
                  misc_unmodelled_read, padsqspi_write);
    g->dev_ioqspi.quiet = g->dev_padsqspi.quiet = 1;
    bus_add_device(&m->bus, &g->dev_io);
    bus_add_device(&m->bus, &g->dev_pads);
    bus_add_device(&m->bus, &g->dev_ioqspi);
    bus_add_device(&m->bus, &g->dev_padsqspi);
    resets_set_hook(m, RST_IO_BANK0, bank0_reset_hook);
    resets_set_hook(m, RST_PADS_BANK0, pads_reset_hook);
}
