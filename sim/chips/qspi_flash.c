/* qspi_flash.c - W25Q-class serial NOR flash, clock by clock (see
 * qspi_flash.h). Command set and timings follow the Winbond W25Q128JV /
 * W25Q32JV datasheets (typical program/erase times); the SFDP table is a
 * JESD216B basic parameter table synthesized for this part (not a byte copy
 * of a real chip's). */
#include "qspi_flash.h"

#include <stdio.h>
#include <string.h>

#include "log.h"

enum {
    PH_CMD = 0,   /* collecting the 8-bit command on SD0 */
    PH_ADDR,      /* collecting a 24-bit address */
    PH_MODE,      /* mode bits (BBh/EBh) */
    PH_DUMMY,     /* dummy clocks */
    PH_OUT,       /* driving data */
    PH_IN,        /* receiving data */
    PH_IGNORE     /* rest of the transaction is ignored */
};

#define SR1_BUSY 0x01
#define SR1_WEL 0x02
#define SR2_QE 0x02

/* typical W25Q128JV timings */
#define T_PAGE_PROGRAM_US 400
#define T_SECTOR_ERASE_US 45000
#define T_BLOCK32_ERASE_US 120000
#define T_BLOCK64_ERASE_US 150000
#define T_CHIP_ERASE_US 40000000

static uint8_t sfdp[256];

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static void build_sfdp(uint32_t size)
{
    memset(sfdp, 0xFF, sizeof(sfdp));
    memcpy(sfdp, "SFDP", 4);
    sfdp[4] = 0x06;                   /* JESD216B minor */
    sfdp[5] = 0x01;                   /* major */
    sfdp[6] = 0x00;                   /* one parameter header */
    sfdp[7] = 0xFF;
    /* parameter header 0: basic flash parameters, 16 dwords at 0x80 */
    const uint8_t ph[8] = {0x00, 0x06, 0x01, 0x10, 0x80, 0x00, 0x00, 0xFF};
    memcpy(sfdp + 8, ph, 8);
    uint8_t *t = sfdp + 0x80;
    put32(t + 0, 0xFFF120E5u);        /* 4 KB erase (20h), 1-1-2, 1-2-2, 1-4-4, 1-1-4 reads, 3-byte addresses */
    put32(t + 4, size * 8 - 1);       /* density in bits - 1 */
    put32(t + 8, 0x6B08EB44u);        /* 1-4-4: EBh, 2 mode + 4 dummy clocks; 1-1-4: 6Bh, 8 dummy */
    put32(t + 12, 0xBB803B08u);       /* 1-1-2: 3Bh, 8 dummy; 1-2-2: BBh, 4 mode clocks */
    put32(t + 16, 0xFFFFFFEEu);       /* no 2-2-2 / 4-4-4 */
    put32(t + 20, 0xFF00FFFFu);
    put32(t + 24, 0xFF00FFFFu);
    put32(t + 28, 0x520F200Cu);       /* erase types: 4 KB 20h, 32 KB 52h */
    put32(t + 32, 0x0000D810u);       /* 64 KB D8h */
    memset(t + 36, 0, 64 - 36);
}

static qspi_flash *F(qspi_chip *c) { return c->ctx; }

static uint64_t now_ps(qspi_flash *f) { return f->now_ps ? f->now_ps(f->env) : 0; }
static int busy(qspi_flash *f) { return now_ps(f) < f->busy_until_ps; }

static void set_busy(qspi_flash *f, uint64_t us) { f->busy_until_ps = now_ps(f) + us * 1000000ull; }

static void expect(qspi_flash *f, int phase, int width, int bits)
{
    f->phase = phase;
    f->width = width;
    f->acc = 0;
    f->acc_bits = 0;
    f->count = bits;
}

static uint8_t status(qspi_flash *f, int which)
{
    if (which == 0) return (uint8_t)((f->sr[0] & ~SR1_BUSY) | (busy(f) ? SR1_BUSY : 0));
    return f->sr[which];
}

/* what the command byte starts (SPI command mode) */
static void start_command(qspi_flash *f, int cmd)
{
    f->cmd = cmd;
    f->count = 0;
    f->page_len = 0;
    if (f->powered_down && cmd != 0xAB) {
        expect(f, PH_IGNORE, 1, 0);
        return;
    }
    if (busy(f) && cmd != 0x05 && cmd != 0x35 && cmd != 0x15) {
        expect(f, PH_IGNORE, 1, 0);   /* only status reads while busy */
        return;
    }
    switch (cmd) {
    case 0x9F: case 0x05: case 0x35: case 0x15: expect(f, PH_OUT, 1, 0); break;
    case 0x03: case 0x0B: case 0x3B: case 0x6B: case 0x5A: case 0x02: case 0x32:
    case 0x20: case 0x52: case 0xD8: case 0x90:
        expect(f, PH_ADDR, 1, 24);
        break;
    case 0xBB: expect(f, PH_ADDR, 2, 24); break;
    case 0xEB:
        if (!(f->sr[1] & SR2_QE)) { expect(f, PH_IGNORE, 1, 0); break; }
        expect(f, PH_ADDR, 4, 24);
        break;
    case 0xAB: f->powered_down = 0; expect(f, PH_DUMMY, 1, 24); break;
    case 0x4B: expect(f, PH_DUMMY, 1, 32); break;
    case 0x06: f->sr[0] |= SR1_WEL; expect(f, PH_IGNORE, 1, 0); break;
    case 0x04: f->sr[0] &= ~SR1_WEL; expect(f, PH_IGNORE, 1, 0); break;
    case 0x50: f->wel_volatile = 1; expect(f, PH_IGNORE, 1, 0); break;
    case 0x01: case 0x31: case 0x11: case 0xC7: case 0x60:
    case 0x66: case 0x99: case 0xB9:
        expect(f, PH_IN, 1, 0);   /* acted on at CS# rising */
        break;
    case 0xFF: expect(f, PH_IGNORE, 1, 0); break;   /* continuous-read reset pattern */
    default:
        if (!f->warned) {
            f->warned = 1;
            sim_warn("flash: unsupported command 0x%02x (ignored)", cmd);
        }
        expect(f, PH_IGNORE, 1, 0);
        break;
    }
}

static void after_address(qspi_flash *f)
{
    switch (f->cmd) {
    case 0x03: expect(f, PH_OUT, 1, 0); break;
    case 0x0B: case 0x5A: case 0x3B: case 0x6B: expect(f, PH_DUMMY, 1, 8); break;   /* 8 dummy clocks */
    case 0xBB: expect(f, PH_MODE, 2, 8); break;                   /* 4 clocks of mode bits */
    case 0xEB: expect(f, PH_MODE, 4, 8); break;                   /* 2 clocks of mode bits */
    case 0x02: f->page_addr = f->addr; expect(f, PH_IN, 1, 0); break;
    case 0x32:
        f->page_addr = f->addr;
        expect(f, PH_IN, (f->sr[1] & SR2_QE) ? 4 : 1, 0);
        break;
    case 0x90: expect(f, PH_OUT, 1, 0); break;
    default: expect(f, PH_IN, 1, 0); break;   /* erases: act at CS# rising */
    }
}

static int data_width(int cmd)
{
    switch (cmd) {
    case 0x3B: case 0xBB: return 2;
    case 0x6B: case 0xEB: return 4;
    default: return 1;
    }
}

static uint8_t out_byte(qspi_flash *f)
{
    int n = f->count++;
    switch (f->cmd) {
    case 0x9F: return f->jedec[n % 3];
    case 0x90: return n % 2 ? (uint8_t)(f->jedec[2] - 1) : f->jedec[0];
    case 0xAB: return (uint8_t)(f->jedec[2] - 1);
    case 0x4B: return (uint8_t)(0xD0 + n % 8);          /* unique ID */
    case 0x05: return status(f, 0);
    case 0x35: return status(f, 1);
    case 0x15: return status(f, 2);
    case 0x5A: return sfdp[(f->addr + (uint32_t)n) & 0xFF];
    default: return f->mem[(f->addr + (uint32_t)n) % f->size];
    }
}

static void in_byte(qspi_flash *f, uint8_t b)
{
    if (f->cmd == 0x02 || f->cmd == 0x32) {
        /* page program: data wraps inside the 256-byte page */
        if (f->page_len < 256) f->page_len++;
        f->page_buf[(f->page_addr + (uint32_t)f->count) & 0xFF] = b;
        f->count++;
        return;
    }
    if (f->count < 3) f->page_buf[f->count] = b;   /* status register bytes */
    f->count++;
}

static void finish(qspi_flash *f)
{
    int wel = (f->sr[0] & SR1_WEL) != 0;
    uint32_t sector = 0, len = 0;
    switch (f->cmd) {
    case 0x01: case 0x31: case 0x11:
        if (f->count && (wel || f->wel_volatile)) {
            if (f->cmd == 0x01) {
                f->sr[0] = (uint8_t)((f->page_buf[0] & 0xFC) | (f->sr[0] & 3));
                if (f->count > 1) f->sr[1] = f->page_buf[1];
            } else {
                f->sr[f->cmd == 0x31 ? 1 : 2] = f->page_buf[0];
            }
            if (!f->wel_volatile) set_busy(f, 10000);
        }
        f->wel_volatile = 0;
        f->sr[0] &= ~SR1_WEL;
        return;
    case 0x02: case 0x32:
        if (!wel || !f->page_len) return;
        for (int i = 0; i < 256; i++) {
            uint32_t a = (f->page_addr & ~0xFFu) + (uint32_t)i;
            uint32_t rel = (uint32_t)i - (f->page_addr & 0xFF);
            if ((rel & 0xFF) < (uint32_t)f->page_len)
                f->mem[a % f->size] &= f->page_buf[i];   /* NOR: only 1 -> 0 */
        }
        f->sr[0] &= ~SR1_WEL;
        set_busy(f, T_PAGE_PROGRAM_US);
        if (f->modified) f->modified(f->env, (f->page_addr & ~0xFFu) % f->size, 256);
        return;
    case 0x20: len = 4096; break;
    case 0x52: len = 32768; break;
    case 0xD8: len = 65536; break;
    case 0xC7: case 0x60: len = f->size; break;
    case 0x66: f->reset_enabled = 1; return;
    case 0x99:
        if (f->reset_enabled) {
            f->continuous = 0;
            f->sr[0] &= ~SR1_WEL;
            f->busy_until_ps = 0;
        }
        f->reset_enabled = 0;
        return;
    case 0xB9: f->powered_down = 1; return;
    default: return;
    }
    if (!wel) return;
    if (f->cmd == 0x20 || f->cmd == 0x52 || f->cmd == 0xD8) sector = (f->addr % f->size) & ~(len - 1);
    memset(f->mem + sector % f->size, 0xFF, len > f->size ? f->size : len);
    f->sr[0] &= ~SR1_WEL;
    set_busy(f, len == 4096 ? T_SECTOR_ERASE_US : len == 32768 ? T_BLOCK32_ERASE_US
                : len == 65536 ? T_BLOCK64_ERASE_US : T_CHIP_ERASE_US);
    if (f->modified) f->modified(f->env, sector % f->size, len > f->size ? f->size : len);
}

static void flash_select(qspi_chip *c)
{
    qspi_flash *f = F(c);
    f->count = 0;
    f->reset_enabled = f->cmd == 0x66 && f->reset_enabled;
    if (f->continuous) {
        /* continuous read: the transaction starts with the address */
        f->cmd = f->continuous;
        expect(f, PH_ADDR, f->continuous == 0xEB ? 4 : 2, 24);
    } else {
        expect(f, PH_CMD, 1, 8);
    }
}

static void flash_deselect(qspi_chip *c)
{
    qspi_flash *f = F(c);
    if (f->phase == PH_IN) finish(f);   /* writes, erases and resets act at CS# rising */
    f->phase = PH_IGNORE;
}

static uint8_t flash_clock(qspi_chip *c, uint8_t out, uint8_t host_oe, uint8_t *chip_oe)
{
    qspi_flash *f = F(c);
    *chip_oe = 0;
    switch (f->phase) {
    case PH_CMD:
    case PH_ADDR:
    case PH_MODE:
    case PH_IN: {
        f->acc = f->acc << f->width | qspi_sample(out, host_oe, f->width);
        f->acc_bits += f->width;
        int need = f->phase == PH_ADDR ? 24 : 8;
        if (f->acc_bits < need) return 0;
        uint32_t v = f->acc;
        f->acc = 0;
        f->acc_bits = 0;
        if (f->phase == PH_CMD) start_command(f, (int)v);
        else if (f->phase == PH_ADDR) {
            f->addr = v;
            after_address(f);
        } else if (f->phase == PH_MODE) {
            /* M5-4 = 10: stay in continuous-read mode */
            f->continuous = ((v >> 4) & 3) == 2 ? f->cmd : 0;
            if (f->cmd == 0xEB) expect(f, PH_DUMMY, 4, 16);   /* 4 dummy clocks */
            else expect(f, PH_OUT, 2, 0);
        } else {
            in_byte(f, (uint8_t)v);
        }
        return 0;
    }
    case PH_DUMMY: {
        f->acc_bits += f->cmd == 0xEB ? 4 : 1;
        if (f->acc_bits >= f->count) {
            int w = (f->cmd == 0xAB || f->cmd == 0x4B || f->cmd == 0x5A) ? 1 : data_width(f->cmd);
            expect(f, PH_OUT, w, 0);
        }
        return 0;
    }
    case PH_OUT: {
        if (f->acc_bits == 0) {
            f->acc = out_byte(f);
            f->acc_bits = 8;
        }
        f->acc_bits -= f->width;
        uint32_t bits = (f->acc >> f->acc_bits) & ((1u << f->width) - 1);
        return qspi_drive(bits, f->width, chip_oe);
    }
    default: return 0;
    }
}

void qspi_flash_init(qspi_flash *f, uint8_t *mem, uint32_t size, const uint8_t jedec[3])
{
    memset(f, 0, sizeof(*f));
    f->mem = mem;
    f->size = size;
    memcpy(f->jedec, jedec, 3);
    f->chip.name = "flash";
    f->chip.ctx = f;
    f->chip.select = flash_select;
    f->chip.deselect = flash_deselect;
    f->chip.clock = flash_clock;
    build_sfdp(size);
    qspi_flash_power_on(f);
}

void qspi_flash_power_on(qspi_flash *f)
{
    f->sr[0] = 0x00;
    f->sr[1] = SR2_QE;    /* quad enable set, as on "IQ" parts shipped for XIP */
    f->sr[2] = 0x60;
    f->continuous = 0;
    f->powered_down = 0;
    f->busy_until_ps = 0;
    f->phase = PH_IGNORE;
}

void qspi_flash_exit_xip(qspi_flash *f)
{
    f->continuous = 0;
    f->powered_down = 0;
    f->phase = PH_IGNORE;
}
