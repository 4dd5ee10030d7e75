/* dev_sio.c - SIO (see dev_sio.h): per-core CPUID and FIFO views, GPIO
 * output registers with their SET/CLR/XOR registers, spinlocks (including
 * erratum RP2350-E2: writes at 0x180..0x1FC also release spinlock k),
 * doorbells. Interpolators, MTIME and the TMDS encoder are kept as
 * plain storage and reported once as unmodelled. */
#include <string.h>

#include "log.h"
#include "machine.h"
#include "regs/sio.h"

static int core_of(bus_access *a) { return a->master == BUS_MASTER_CORE1 ? 1 : 0; }

int sio_fifo_push(machine *m, int to, uint32_t v)
{
    sio_dev *s = &m->sio;
    if (s->count[to] >= SIO_FIFO_DEPTH) return 0;
    s->fifo[to][(s->head[to] + s->count[to]) % SIO_FIFO_DEPTH] = v;
    s->count[to]++;
    return 1;
}

int sio_fifo_pop(machine *m, int core, uint32_t *v)
{
    sio_dev *s = &m->sio;
    if (!s->count[core]) return 0;
    *v = s->fifo[core][s->head[core]];
    s->head[core] = (s->head[core] + 1) % SIO_FIFO_DEPTH;
    s->count[core]--;
    return 1;
}

static uint32_t gpio_in_word(machine *m, int hi)
{
    uint32_t v = 0;
    int base = hi ? 32 : 0, n = hi ? 16 : 32;
    for (int i = 0; i < n; i++)
        if (base + i < GPIO_COUNT && gpio_in(m, base + i)) v |= 1u << i;
    /* GPIO_HI_IN [31:24]: QSPI SD3..SD0 idle high (pull-ups), CSn high, SCK
     * low, USB DM low, DP high (full-speed J state) */
    if (hi) v |= 0xF9000000u;
    return v;
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

static int sio_read(void *st, bus_access *a, uint32_t *v)
{
    machine *m = st;
    sio_dev *s = &m->sio;
    int c = core_of(a);
    uint32_t off = a->offset;
    switch (off) {
    case SIO_CPUID: *v = (uint32_t)c; return BUS_OK;
    case SIO_GPIO_IN: *v = gpio_in_word(m, 0); return BUS_OK;
    case SIO_GPIO_HI_IN: *v = gpio_in_word(m, 1); return BUS_OK;
    case SIO_FIFO_ST:
        *v = (s->count[c] ? SIO_FIFO_ST_VLD : 0) |
             (s->count[1 - c] < SIO_FIFO_DEPTH ? SIO_FIFO_ST_RDY : 0) |
             (s->wof[c] ? SIO_FIFO_ST_WOF : 0) | (s->roe[c] ? SIO_FIFO_ST_ROE : 0);
        return BUS_OK;
    case SIO_FIFO_WR: *v = 0; return BUS_OK;
    case SIO_FIFO_RD:
        if (!sio_fifo_pop(m, c, v)) {
            s->roe[c] = 1;
            *v = 0;
        } else if (c == 0 && m->c1rom.active) {
            bootrom_core1_poll(m);   /* room for the ROM's reply */
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
    machine *m = st;
    sio_dev *s = &m->sio;
    int c = core_of(a);
    uint32_t off = a->offset;
    if (off >= SIO_GPIO_OUT && off < SIO_FIFO_ST) {
        int op;
        uint32_t *r = gpio_reg(s, off, &op);
        uint32_t mask = ((off - SIO_GPIO_OUT) >> 2) & 1 ? SIO_GPIO_HI_MASK : 0xFFFFFFFFu;
        static const int alias_of_op[4] = {BUS_ALIAS_NONE, BUS_ALIAS_SET, BUS_ALIAS_CLR, BUS_ALIAS_XOR};
        *r = bus_alias_apply(*r, v, alias_of_op[op]) & mask;
        return BUS_OK;
    }
    switch (off) {
    case SIO_CPUID: case SIO_GPIO_IN: case SIO_GPIO_HI_IN: case SIO_FIFO_RD: case SIO_SPINLOCK_ST:
        return BUS_OK;
    case SIO_FIFO_ST:
        s->wof[c] = 0;   /* WOF and ROE are write-to-clear (any write) */
        s->roe[c] = 0;
        return BUS_OK;
    case SIO_FIFO_WR:
        if (!sio_fifo_push(m, 1 - c, v)) s->wof[c] = 1;
        else if (c == 0 && m->c1rom.active) bootrom_core1_poll(m);
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
        case SIO_DOORBELL_OUT_SET: s->doorbell[1 - c] |= v & 0xFF; return BUS_OK;
        case SIO_DOORBELL_OUT_CLR: s->doorbell[1 - c] &= ~(v & 0xFF); return BUS_OK;
        case SIO_DOORBELL_IN_SET: s->doorbell[c] |= v & 0xFF; return BUS_OK;
        case SIO_DOORBELL_IN_CLR: s->doorbell[c] &= ~(v & 0xFF); return BUS_OK;
        }
    }
    return BUS_UNMODELLED;
}

void sio_reset(machine *m)
{
    sio_dev *s = &m->sio;
    sim_device d = s->dev;
    memset(s, 0, sizeof(*s));
    s->dev = d;
}

void sio_setup(machine *m)
{
    sio_dev *s = &m->sio;
    bus_dev_setup(&s->dev, "SIO", SIO_BASE, 0x1000, 0, -1, m, sio_read, sio_write);
    bus_add_device(&m->bus, &s->dev);
}
