/* dev_sio.c - SIO (see dev_sio.h): per-core CPUID and FIFO views, GPIO
 * output registers with their SET/CLR/XOR registers, spinlocks (including
 * erratum RP2350-E2: writes at 0x180..0x1FC also release spinlock k),
 * doorbells. Interpolators, MTIME and the TMDS encoder are kept as
 * plain storage and reported once as unmodelled. */
#include "dev_sio.h"

#include <string.h>

#include "regs/sio.h"

static int core_of(bus_access *a) { return a->master == BUS_MASTER_CORE1 ? 1 : 0; }

/* each core's SIO_IRQ_FIFO (VLD | WOF | ROE of its FIFO_ST, SDK regs/sio.h
 * FIFO_ST description) and SIO_IRQ_BELL (a doorbell pending) follow the state */
static void update_irqs(sio_dev *s)
{
    uint32_t level = 0;
    for (int c = 0; c < 2; c++) {
        if (s->count[c] || s->wof[c] || s->roe[c]) level |= 1u << c;
        if (s->doorbell[c]) level |= 4u << c;
    }
    uint32_t changed = level ^ s->irq_level;
    s->irq_level = level;
    for (int c = 0; c < 2; c++) {
        if (changed & (1u << c)) signal_set(&s->irq_fifo[c], (level >> c) & 1);
        if (changed & (4u << c)) signal_set(&s->irq_bell[c], (level >> (2 + c)) & 1);
    }
}

int sio_fifo_push(sio_dev *s, int to, uint32_t v)
{
    if (s->count[to] >= SIO_FIFO_DEPTH) return 0;
    int slot = (s->head[to] + s->count[to]) % SIO_FIFO_DEPTH;
    s->fifo[to][slot] = v;
    s->written[to][slot] = svc_now_cycles(s->svc);
    s->count[to]++;
    update_irqs(s);
    return 1;
}

/* Whether core c's FIFO holds a word written by now (the reading core's
 * time). */
static int readable(const sio_dev *s, int c)
{
    return s->count[c] && s->written[c][s->head[c]] <= svc_now_cycles(s->svc);
}

int sio_fifo_pop(sio_dev *s, int core, uint32_t *v)
{
    if (!s->count[core]) return 0;
    *v = s->fifo[core][s->head[core]];
    s->head[core] = (s->head[core] + 1) % SIO_FIFO_DEPTH;
    s->count[core]--;
    update_irqs(s);
    return 1;
}

static uint32_t pins_in_word(sio_dev *s, int hi)
{
    uint32_t v = probe_read(&s->gpio_in[hi], 0);
    /* GPIO_HI_IN [31:24]: QSPI SD3..SD0 idle high (pull-ups), CSn high, SCK
     * low, USB DM low, DP high (full-speed J state) */
    if (hi) v |= 0xF9000000u;
    return v;
}

/* core 0 moved a FIFO word: if core 1 waits in the ROM, the ROM model answers */
static void kick_rom(sio_dev *s)
{
    if (probe_read(&s->core1_in_rom, 0)) signal_set(&s->core1_rom_kick, 1);
}

static uint32_t *gpio_reg(sio_dev *s, uint32_t off, int *op)
{
    /* 0x10..0x2C: OUT family, 0x30..0x4C: OE family; op 0 write, 1 set, 2 clr, 3 xor */
    int oe = off >= SIO_GPIO_OE;
    uint32_t rel = off - (oe ? SIO_GPIO_OE : SIO_GPIO_OUT);
    int hi = (rel >> 2) & 1;
    *op = (int)(rel >> 3);
    if (oe) return hi ? &s->gpio_hi_oe : &s->gpio_oe;
    return hi ? &s->gpio_hi_out : &s->gpio_out;
}

/* which output word (OUT, HI_OUT, OE, HI_OE: the GPIO input's order) a
 * GPIO register at off changes */
static int gpio_word_index(uint32_t off)
{
    int oe = off >= SIO_GPIO_OE;
    int hi = (int)((off - (oe ? SIO_GPIO_OE : SIO_GPIO_OUT)) >> 2) & 1;
    return 2 * oe + hi;
}

static int sio_read(void *st, bus_access *a, uint32_t *v)
{
    sio_dev *s = st;
    int c = core_of(a);
    uint32_t off = a->offset;
    switch (off) {
    case SIO_CPUID: *v = (uint32_t)c; return BUS_OK;
    case SIO_GPIO_IN: *v = pins_in_word(s, 0); return BUS_OK;
    case SIO_GPIO_HI_IN: *v = pins_in_word(s, 1); return BUS_OK;
    case SIO_FIFO_ST:
        *v = (readable(s, c) ? SIO_FIFO_ST_VLD : 0) |
             (s->count[1 - c] < SIO_FIFO_DEPTH ? SIO_FIFO_ST_RDY : 0) |
             (s->wof[c] ? SIO_FIFO_ST_WOF : 0) | (s->roe[c] ? SIO_FIFO_ST_ROE : 0);
        return BUS_OK;
    case SIO_FIFO_WR: *v = 0; return BUS_OK;
    case SIO_FIFO_RD:
        if (!readable(s, c) || !sio_fifo_pop(s, c, v)) {
            s->roe[c] = 1;
            update_irqs(s);
            *v = 0;
        } else if (c == 0) {
            kick_rom(s);   /* room for the ROM's reply */
        }
        return BUS_OK;
    case SIO_SPINLOCK_ST: *v = s->spinlock; return BUS_OK;
    case SIO_DOORBELL_OUT_SET: case SIO_DOORBELL_OUT_CLR: *v = s->doorbell[1 - c]; return BUS_OK;
    case SIO_DOORBELL_IN_SET: case SIO_DOORBELL_IN_CLR: *v = s->doorbell[c]; return BUS_OK;
    }
    if (off >= SIO_GPIO_OUT && off < SIO_FIFO_ST) {
        int op;
        *v = *gpio_reg(s, off, &op);
        return BUS_OK;
    }
    if (off >= SIO_SPINLOCK0 && off < SIO_SPINLOCK0 + 128) {
        uint32_t bit = 1u << ((off - SIO_SPINLOCK0) / 4);
        if (s->spinlock & bit) {
            *v = 0;
        } else {
            s->spinlock |= bit;
            *v = bit;
        }
        return BUS_OK;
    }
    return BUS_UNMODELLED;
}

static int sio_write(void *st, bus_access *a, uint32_t v)
{
    sio_dev *s = st;
    int c = core_of(a);
    uint32_t off = a->offset;
    if (off >= SIO_GPIO_OUT && off < SIO_FIFO_ST) {
        int op;
        uint32_t *r = gpio_reg(s, off, &op);
        uint32_t mask = ((off - SIO_GPIO_OUT) >> 2) & 1 ? SIO_GPIO_HI_MASK : 0xFFFFFFFFu;
        static const int alias_of_op[4] = {BUS_ALIAS_NONE, BUS_ALIAS_SET, BUS_ALIAS_CLR, BUS_ALIAS_XOR};
        uint32_t old = *r;
        *r = bus_alias_apply(*r, v, alias_of_op[op]) & mask;
        if (*r != old) signal_set(&s->gpio_word[gpio_word_index(off)], *r);
        return BUS_OK;
    }
    switch (off) {
    case SIO_CPUID: case SIO_GPIO_IN: case SIO_GPIO_HI_IN: case SIO_FIFO_RD: case SIO_SPINLOCK_ST:
        return BUS_OK;
    case SIO_FIFO_ST:
        s->wof[c] = 0;   /* WOF and ROE are write-to-clear (any write) */
        s->roe[c] = 0;
        update_irqs(s);
        return BUS_OK;
    case SIO_FIFO_WR:
        if (!sio_fifo_push(s, 1 - c, v)) {
            s->wof[c] = 1;
            update_irqs(s);
        } else if (c == 0) {
            kick_rom(s);
        }
        return BUS_OK;
    }
    if (off >= SIO_SPINLOCK0 && off < SIO_SPINLOCK0 + 128) {
        s->spinlock &= ~(1u << ((off - SIO_SPINLOCK0) / 4));
        return BUS_OK;
    }
    if (off >= 0x180 && off < 0x200) {
        /* RP2350-E2: decoded as a write to the spinlock 0x80 below as well */
        s->spinlock &= ~(1u << ((off - 0x180) / 4));
        switch (off) {
        case SIO_DOORBELL_OUT_SET: s->doorbell[1 - c] |= v & 0xFF; break;
        case SIO_DOORBELL_OUT_CLR: s->doorbell[1 - c] &= ~(v & 0xFF); break;
        case SIO_DOORBELL_IN_SET: s->doorbell[c] |= v & 0xFF; break;
        case SIO_DOORBELL_IN_CLR: s->doorbell[c] &= ~(v & 0xFF); break;
        default: return BUS_UNMODELLED;
        }
        update_irqs(s);
        return BUS_OK;
    }
    return BUS_UNMODELLED;
}

/* the registers to their reset values; the wiring stays. The GPIO words
 * and interrupt lines are driven with their reset levels. */
void sio_reset(sio_dev *s)
{
    sio_dev keep = *s;
    memset(s, 0, sizeof(*s));
    s->dev = keep.dev;
    s->svc = keep.svc;
    memcpy(s->gpio_in, keep.gpio_in, sizeof(s->gpio_in));
    s->core1_in_rom = keep.core1_in_rom;
    memcpy(s->gpio_word, keep.gpio_word, sizeof(s->gpio_word));
    memcpy(s->irq_fifo, keep.irq_fifo, sizeof(s->irq_fifo));
    memcpy(s->irq_bell, keep.irq_bell, sizeof(s->irq_bell));
    s->core1_rom_kick = keep.core1_rom_kick;
    for (int i = 0; i < 4; i++) signal_set(&s->gpio_word[i], 0);
    s->irq_level = keep.irq_level;
    update_irqs(s);
}

void sio_init(sio_dev *s, const board_services *svc)
{
    memset(s, 0, sizeof(*s));
    s->svc = svc;
    bus_dev_setup(&s->dev, "SIO", SIO_BASE, 0x1000, 0, -1, s, sio_read, sio_write);
}
