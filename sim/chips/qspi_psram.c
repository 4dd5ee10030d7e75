/* qspi_psram.c - AP Memory APS6404L, clock by clock (see qspi_psram.h).
 * Commands as used by the RP2350 PSRAM drivers cited in rp2350-facts.md 9:
 * SPI mode: 03h read, 0Bh fast read (8 wait clocks), EBh quad read (quad
 * address, 6 wait clocks), 02h write, 38h quad write, 35h enter QPI, 66h/99h
 * reset, 9Fh read ID (24 address bits, then MFID 0Dh, KGD 5Dh, EID).
 * QPI mode: everything quad: 0Bh (4 wait clocks), EBh (6), 02h/38h writes,
 * F5h exit QPI, 66h/99h. Read ID is not available in QPI mode. The EID
 * byte and the size are the board's, or --psram-eid / --psram-mb. */
#include "qspi_psram.h"

#include <string.h>

enum { PH_CMD = 0, PH_ADDR, PH_WAIT, PH_OUT, PH_IN, PH_IGNORE };

static qspi_psram *P(qspi_chip *c) { return c->ctx; }

static void expect(qspi_psram *p, int phase, int width)
{
    p->phase = phase;
    p->width = width;
    p->acc = 0;
    p->acc_bits = 0;
}

static void psram_select(qspi_chip *c)
{
    qspi_psram *p = P(c);
    p->count = 0;
    p->reset_enabled = p->cmd == 0x66 && p->reset_enabled;
    expect(p, PH_CMD, p->qpi ? 4 : 1);
}

static void psram_deselect(qspi_chip *c)
{
    qspi_psram *p = P(c);
    if (p->phase == PH_IN || p->phase == PH_IGNORE) {
        switch (p->cmd) {
        case 0x35: if (!p->qpi && p->phase == PH_IGNORE) p->qpi = 1; break;
        case 0xF5: if (p->qpi) p->qpi = 0; break;
        case 0x66: p->reset_enabled = 1; break;
        case 0x99:
            if (p->reset_enabled) p->qpi = 0;   /* back to SPI mode */
            p->reset_enabled = 0;
            break;
        default: break;
        }
    }
    p->phase = PH_IGNORE;
}

static void start_command(qspi_psram *p, int cmd)
{
    p->cmd = cmd;
    int w = p->qpi ? 4 : 1;
    switch (cmd) {
    case 0x03: case 0x0B: case 0x02: case 0x9F:
        if (p->qpi && (cmd == 0x03 || cmd == 0x9F)) { expect(p, PH_IGNORE, 4); break; }
        expect(p, PH_ADDR, w);
        break;
    case 0xEB: case 0x38: expect(p, PH_ADDR, 4); break;
    case 0x35: case 0xF5: case 0x66: case 0x99: case 0xC0: expect(p, PH_IGNORE, w); break;
    default: expect(p, PH_IGNORE, w); p->cmd = -1; break;
    }
}

static int wait_clocks(qspi_psram *p)
{
    switch (p->cmd) {
    case 0x0B: return p->qpi ? 4 : 8;
    case 0xEB: return 6;
    default: return 0;
    }
}

static void after_address(qspi_psram *p, uint32_t addr)
{
    p->addr = addr;
    p->count = 0;
    switch (p->cmd) {
    case 0x02: case 0x38: expect(p, PH_IN, p->qpi || p->cmd == 0x38 ? 4 : 1); return;
    case 0x9F: expect(p, PH_OUT, 1); return;
    default: break;
    }
    int wc = wait_clocks(p);
    int w = (p->cmd == 0xEB || p->qpi) ? 4 : 1;
    if (wc) {
        expect(p, PH_WAIT, w);
        p->count = wc;
    } else {
        expect(p, PH_OUT, w);
    }
}

static uint8_t out_byte(qspi_psram *p)
{
    int n = p->count++;
    if (p->cmd == 0x9F) {
        /* MFID, KGD, EID, then the rest of the unique ID (made up) */
        const uint8_t id[8] = {PSRAM_MFID, PSRAM_KGD, p->eid, 0x5A, 0x21, 0x3C, 0x90, 0x11};
        return id[n % 8];
    }
    return p->mem[(p->addr + (uint32_t)n) % p->size];
}

static uint8_t psram_clock(qspi_chip *c, uint8_t out, uint8_t host_oe, uint8_t *chip_oe)
{
    qspi_psram *p = P(c);
    *chip_oe = 0;
    switch (p->phase) {
    case PH_CMD:
    case PH_ADDR:
    case PH_IN: {
        p->acc = p->acc << p->width | qspi_sample(out, host_oe, p->width);
        p->acc_bits += p->width;
        int need = p->phase == PH_ADDR ? 24 : 8;
        if (p->acc_bits < need) return 0;
        uint32_t v = p->acc;
        p->acc = 0;
        p->acc_bits = 0;
        if (p->phase == PH_CMD) start_command(p, (int)v);
        else if (p->phase == PH_ADDR) after_address(p, v & 0xFFFFFF);
        else p->mem[(p->addr + (uint32_t)p->count++) % p->size] = (uint8_t)v;
        return 0;
    }
    case PH_WAIT:
        if (--p->count == 0) expect(p, PH_OUT, p->width);
        return 0;
    case PH_OUT:
        if (p->acc_bits == 0) {
            p->acc = out_byte(p);
            p->acc_bits = 8;
        }
        p->acc_bits -= p->width;
        return qspi_drive((p->acc >> p->acc_bits) & ((1u << p->width) - 1), p->width, chip_oe);
    default: return 0;
    }
}

void qspi_psram_init(qspi_psram *p, uint8_t *mem, uint32_t size, uint8_t eid)
{
    memset(p, 0, sizeof(*p));
    p->mem = mem;
    p->size = size;
    p->eid = eid;
    p->chip.name = "psram";
    p->chip.ctx = p;
    p->chip.select = psram_select;
    p->chip.deselect = psram_deselect;
    p->chip.clock = psram_clock;
    qspi_psram_power_on(p);
}

void qspi_psram_power_on(qspi_psram *p)
{
    p->qpi = 0;
    p->reset_enabled = 0;
    p->phase = PH_IGNORE;
}
