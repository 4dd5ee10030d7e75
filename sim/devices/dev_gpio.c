/* dev_gpio.c - IO_BANK0, PADS_BANK0 (and plain IO_QSPI/PADS_QSPI, whose pad
 * settings the QMI reads) with the pin-level model (see dev_gpio.h; datasheet
 * chapter 9). */
#include "dev_gpio.h"

#include <stdio.h>
#include <string.h>

#include "regs/gpio.h"
#include "regs/resets.h"

int gpio_funcsel(gpio_dev *g, int n) { return (int)(g->ctrl[n] & 0x1F); }

int gpio_pad_passes_output(gpio_dev *g, int n)
{
    return n < g->bonded && !(g->pads[n] & (PADS_ISO | PADS_OD));
}

int gpio_pad_passes_input(gpio_dev *g, int n)
{
    return n < g->bonded && (g->pads[n] & PADS_IE) && !(g->pads[n] & PADS_ISO);
}

/* what the selected function drives: *oe, return = out */
static int func_output(gpio_dev *g, int n, int *oe)
{
    int f = gpio_funcsel(g, n);
    *oe = 0;
    if (f == GPIO_FUNC_SIO) {
        uint32_t out = g->sio_word[n < 32 ? GPIO_SIO_OUT : GPIO_SIO_HI_OUT];
        uint32_t en = g->sio_word[n < 32 ? GPIO_SIO_OE : GPIO_SIO_HI_OE];
        *oe = (en >> (n & 31)) & 1;
        return (out >> (n & 31)) & 1;
    }
    if ((f == GPIO_FUNC_UART && n % 4 == 0) || (f == GPIO_FUNC_UART_AUX && n % 4 == 2)) {
        *oe = 1;    /* TX idles high */
        return 1;
    }
    if (f == GPIO_FUNC_XIP_CS1 && (n == 0 || n == 8 || n == 19 || n == 47)) {
        *oe = 1;
        return !probe_read(&g->cs1_selected, 0);
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
static int pin_output(gpio_dev *g, int n, int *oe)
{
    uint32_t ctrl = g->ctrl[n];
    int out = apply_over(func_output(g, n, oe), (int)(ctrl >> 12) & 3);
    *oe = apply_over(*oe, (int)(ctrl >> 14) & 3);
    if (!gpio_pad_passes_output(g, n)) *oe = 0;
    return out;
}

/* the electrical level on the pad */
static int pad_level(gpio_dev *g, int n)
{
    if (n >= g->bonded) return 0;
    if (g->ext[n] >= 0) return g->ext[n];
    int oe, out = pin_output(g, n, &oe);
    if (oe) return out;
    uint32_t pad = g->pads[n];
    if ((pad & PADS_PUE) && !(pad & PADS_PDE)) return 1;
    return 0;   /* pulled down, bus keeper or floating: reads 0 */
}

/* the level the core sees on GPIOn (after pad enable/isolation and INOVER) */
static int gpio_in(gpio_dev *g, int n)
{
    int v = gpio_pad_passes_input(g, n) ? pad_level(g, n) : 0;
    return apply_over(v, (int)(g->ctrl[n] >> 16) & 3);
}

uint32_t gpio_in_word(void *gpio, int hi)
{
    gpio_dev *g = gpio;
    uint32_t v = 0;
    int base = hi ? 32 : 0, n = hi ? 16 : 32;
    for (int i = 0; i < n; i++)
        if (base + i < GPIO_COUNT && gpio_in(g, base + i)) v |= 1u << i;
    return v;
}

/* ---- interrupts (datasheet 9.11: INTR, PROCn_INTE/INTF/INTS) ---- */

/* INTR r: the level bits from the inputs now, the edge bits latched */
static uint32_t intr_word(gpio_dev *g, int r)
{
    uint32_t v = g->edges[r];
    for (int i = 0; i < 8; i++) {
        int n = r * 8 + i;
        if (n >= g->bonded) break;
        v |= (gpio_in(g, n) ? IO_INT_LEVEL_HIGH : IO_INT_LEVEL_LOW) << (4 * i);
    }
    return v;
}

static uint32_t *proc_reg(gpio_dev *g, uint32_t base, int proc, int r)
{
    return &g->io_irq[(base + (uint32_t)proc * (IO_PROC1_INTE0 - IO_PROC0_INTE0) + 4u * (uint32_t)r -
                       IO_IRQ_BASE) / 4];
}

static uint32_t ints_word(gpio_dev *g, int proc, int r)
{
    return (intr_word(g, r) | *proc_reg(g, IO_PROC0_INTF0, proc, r)) &
           *proc_reg(g, IO_PROC0_INTE0, proc, r);
}

/* each processor's IO_IRQ_BANK0 follows its INTS */
static void update_irq(gpio_dev *g)
{
    for (int p = 0; p < 2; p++) {
        uint32_t any = 0;
        for (int r = 0; r < IO_INT_REGS && !any; r++) any = ints_word(g, p, r);
        uint32_t level = any ? 1u : 0u;
        if (level != ((g->irq_level >> p) & 1)) signal_set(&g->irq[p], level);
        g->irq_level = (g->irq_level & ~(1u << p)) | level << p;
    }
}

/* an input may have changed: latch its edge, bring the lines up to date */
static void sense_inputs(gpio_dev *g)
{
    for (int n = 0; n < g->bonded; n++) {
        uint64_t bit = 1ull << n;
        int now = gpio_in(g, n), was = (g->last_in & bit) != 0;
        if (now == was) continue;
        g->edges[n / 8] |= (now ? IO_INT_EDGE_HIGH : IO_INT_EDGE_LOW) << (4 * (n % 8));
        g->last_in ^= bit;
    }
    update_irq(g);
}

/* after a reset: what the inputs are now is no edge */
static void resync_inputs(gpio_dev *g)
{
    g->last_in = 0;
    for (int n = 0; n < g->bonded; n++)
        if (gpio_in(g, n)) g->last_in |= 1ull << n;
    update_irq(g);
}

void gpio_set_external(gpio_dev *g, int n, int level)
{
    if (n >= 0 && n < GPIO_COUNT) g->ext[n] = level;
    sense_inputs(g);
}

void gpio_sio_output(void *gpio, int n, uint32_t word)
{
    ((gpio_dev *)gpio)->sio_word[n] = word;
    sense_inputs(gpio);
}

const char *gpio_pin_problem(gpio_dev *g, int n, int f, int output)
{
    static char buf[160];
    if (n >= g->bonded) {
        snprintf(buf, sizeof(buf), "GPIO%d is not bonded out on the %s", n, g->package);
        return buf;
    }
    if (gpio_funcsel(g, n) != f) {
        snprintf(buf, sizeof(buf), "GPIO%d FUNCSEL is %d, not %d", n, gpio_funcsel(g, n), f);
        return buf;
    }
    if (output && !gpio_pad_passes_output(g, n)) {
        snprintf(buf, sizeof(buf), "GPIO%d pad is %s", n,
                 (g->pads[n] & PADS_ISO) ? "isolated (PADS_BANK0 ISO=1)" : "output-disabled (OD=1)");
        return buf;
    }
    return NULL;
}

/* ---- the pin multiplexer as peripherals see it (pins.h) ---- */

static int mux_count(void *gpio) { return ((gpio_dev *)gpio)->bonded; }
static int mux_funcsel(void *gpio, int pin) { return gpio_funcsel(gpio, pin); }

static uint32_t mux_pad(void *gpio, int pin)
{
    gpio_dev *g = gpio;
    return (gpio_pad_passes_output(g, pin) ? PIN_PAD_OUTPUT : 0) |
           (gpio_pad_passes_input(g, pin) ? PIN_PAD_INPUT : 0) |
           (g->pads[pin] & PADS_ISO ? PIN_PAD_ISOLATED : 0);
}

pin_mux gpio_pin_mux(gpio_dev *g) { return (pin_mux){g, mux_count, mux_funcsel, mux_pad}; }

/* ---- IO_BANK0 ---- */

static int io_read(void *st, bus_access *a, uint32_t *v)
{
    gpio_dev *g = st;
    uint32_t off = a->offset;
    if (off < 8 * GPIO_COUNT) {
        int n = (int)(off / 8);
        if (off & 4) {
            *v = g->ctrl[n];
        } else {
            int oe, out = pin_output(g, n, &oe);
            int in = gpio_pad_passes_input(g, n) ? pad_level(g, n) : 0;
            *v = (out ? IO_STATUS_OUTTOPAD : 0) | (oe ? IO_STATUS_OETOPAD : 0) |
                 (in ? IO_STATUS_INFROMPAD : 0);
        }
        return BUS_OK;
    }
    if (off >= IO_INTR0 && off < IO_INTR0 + 4 * IO_INT_REGS) {
        *v = intr_word(g, (int)(off - IO_INTR0) / 4);
        return BUS_OK;
    }
    for (int p = 0; p < 2; p++) {
        uint32_t ints = IO_PROC0_INTS0 + (uint32_t)p * (IO_PROC1_INTE0 - IO_PROC0_INTE0);
        if (off >= ints && off < ints + 4 * IO_INT_REGS) {
            *v = ints_word(g, p, (int)(off - ints) / 4);
            return BUS_OK;
        }
    }
    if (off >= IO_IRQ_BASE && off < IO_IRQ_BASE + 4 * 0x80 && regtable_find(g->dev_io.regs, off, NULL)) {
        *v = g->io_irq[(off - IO_IRQ_BASE) / 4];
        return BUS_OK;
    }
    return BUS_HOLE;
}

static int io_write(void *st, bus_access *a, uint32_t v)
{
    gpio_dev *g = st;
    uint32_t off = a->offset;
    if (off < 8 * GPIO_COUNT) {
        int n = (int)(off / 8);
        if (off & 4) {
            uint32_t old = g->ctrl[n];
            g->ctrl[n] = bus_alias_apply(old, v, a->alias) & IO_GPIO_CTRL_MASK;
            if ((old ^ g->ctrl[n]) & 0x1F) signal_set(&g->routing_changed, 1);   /* CS1 routing may change */
            sense_inputs(g);   /* INOVER may change what the core sees */
        }
        return BUS_OK;
    }
    if (off >= IO_INTR0 && off < IO_INTR0 + 4 * IO_INT_REGS) {   /* the edges: write 1 to clear */
        g->edges[(off - IO_INTR0) / 4] &= ~(bus_wc_bits(v, a->alias) & 0xCCCCCCCCu);
        update_irq(g);
        return BUS_OK;
    }
    if (off >= IO_IRQ_BASE && off < IO_IRQ_BASE + 4 * 0x80 && regtable_find(g->dev_io.regs, off, NULL)) {
        uint32_t *r = &g->io_irq[(off - IO_IRQ_BASE) / 4];
        *r = bus_alias_apply(*r, v, a->alias);
        update_irq(g);   /* INTE / INTF */
        return BUS_OK;
    }
    return BUS_HOLE;
}

/* ---- PADS_BANK0 ---- */

static uint32_t *pad_reg(gpio_dev *g, uint32_t off)
{
    if (off == PADS_VOLTAGE_SELECT) return &g->pads_voltage;
    if (off >= 4 && off < 4 + 4 * GPIO_COUNT) return &g->pads[(off - 4) / 4];
    if (off == PADS_SWCLK) return &g->pads_swclk;
    if (off == PADS_SWD) return &g->pads_swd;
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
    gpio_dev *g = st;
    uint32_t *r = pad_reg(g, a->offset);
    if (!r) return BUS_HOLE;
    uint32_t mask = a->offset == PADS_VOLTAGE_SELECT ? 1u : 0x1FFu;
    uint32_t old = *r;
    *r = bus_alias_apply(old, v, a->alias) & mask;
    if (old != *r) {
        signal_set(&g->routing_changed, 1);
        sense_inputs(g);   /* IE, ISO and the pulls decide the input */
    }
    return BUS_OK;
}

void gpio_reset_bank0(gpio_dev *g)
{
    for (int n = 0; n < GPIO_COUNT; n++) g->ctrl[n] = 0x1F;
    memset(g->io_irq, 0, sizeof(g->io_irq));
    memset(g->edges, 0, sizeof(g->edges));
    resync_inputs(g);
}

void gpio_reset_pads(gpio_dev *g)
{
    for (int n = 0; n < GPIO_COUNT; n++) g->pads[n] = PADS_GPIO_RESET;
    g->pads_voltage = 0;
    g->pads_swclk = g->pads_swd = PADS_SW_RESET;
    resync_inputs(g);
}

void gpio_reset_line(void *gpio, int n, uint32_t asserted)
{
    if (!asserted) return;
    if (n == GPIO_RESET_IO_BANK0) gpio_reset_bank0(gpio);
    else gpio_reset_pads(gpio);
}

/* ---- IO_QSPI, PADS_QSPI: plain registers the bus keeps; the QMI reads the pads ---- */

uint32_t gpio_qspi_pad_reg(gpio_dev *g, uint32_t offset)
{
    sim_device *d = &g->dev_padsqspi;
    int idx;
    return regtable_find(d->regs, offset, &idx) ? d->stub_values[idx] : 0;
}

static int padsqspi_write(void *st, bus_access *a, uint32_t v)
{
    (void)a;
    (void)v;
    /* the QMI judges its SCK against the SCLK pad (dev_qmi.c) */
    signal_set(&((gpio_dev *)st)->routing_changed, 1);
    return BUS_UNMODELLED;   /* the bus stores the value */
}

void gpio_reset_qspi(gpio_dev *g)
{
    device_stored_reset(&g->dev_ioqspi);
    device_stored_reset(&g->dev_padsqspi);
}

void gpio_init(gpio_dev *g, int bonded, const char *package)
{
    memset(g, 0, sizeof(*g));
    g->bonded = bonded;
    g->package = package;
    for (int n = 0; n < GPIO_COUNT; n++) g->ext[n] = -1;
    bus_dev_setup(&g->dev_io, "IO_BANK0", IO_BANK0_BASE, 0x4000, 1, RST_IO_BANK0, g, io_read, io_write);
    bus_dev_setup(&g->dev_pads, "PADS_BANK0", PADS_BANK0_BASE, 0x4000, 1, RST_PADS_BANK0, g,
                  pads_read, pads_write);
    bus_dev_setup(&g->dev_ioqspi, "IO_QSPI", IO_QSPI_BASE, 0x4000, 1, RST_IO_QSPI, g,
                  device_stored_read, device_stored_write);
    bus_dev_setup(&g->dev_padsqspi, "PADS_QSPI", PADS_QSPI_BASE, 0x4000, 1, RST_PADS_QSPI, g,
                  device_stored_read, padsqspi_write);
    g->dev_ioqspi.quiet = g->dev_padsqspi.quiet = 1;
}
