/* loader_uf2.c - UF2 files, written the way the RP2350 A2 boot ROM writes a
 * file dropped on its USB drive (rp2350-facts.md section 3; ROM source
 * src/nsboot/usb_virtual_disk.c: vd_write_block, _update_current_uf2_info,
 * _write_uf2_page, write_uf2_page_complete):
 *  - a run of blocks with one family ID and one block count is a transfer; a
 *    change of either starts a new transfer and forgets the old one;
 *  - within a transfer each block number is written once (a repeat is
 *    ignored), and each 4 KB flash sector is erased on the transfer's first
 *    write to it; SRAM targets are written as they are;
 *  - the board reboots 500 ms after the first transfer completes, so one
 *    file loads one transfer and the blocks after it are not written;
 *  - flash is addressed as 16 MB (0x10000000-0x10FFFFFF): a smaller chip
 *    sees the address modulo its size.
 * The RP2350-E10 workaround block (ABSOLUTE family, 0x10FFFF00, 2 blocks) is
 * therefore written: the ROM does not know its "ignore block" extension tag.
 * It is a transfer of its own that never completes. NOT_MAIN_FLASH blocks
 * are ignored, as the ROM does. Blocks the ROM would ignore as malformed (bad
 * magic, no family ID, payload not 256, misaligned, ...) are refused with
 * the reason, as is a file where no transfer completes (the board would stay
 * in BOOTSEL). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

#define UF2_BLOCK 512u
#define MAX_TRANSFER_BLOCKS 65536u /* 16 MB of flash in 256-byte payloads */
#define UF2_MAGIC_START0 0x0A324655u
#define UF2_MAGIC_START1 0x9E5D5157u
#define UF2_MAGIC_END 0x0AB16F30u
#define UF2_FLAG_NOT_MAIN_FLASH 0x00000001u
#define UF2_FLAG_FAMILY_ID_PRESENT 0x00002000u
#define UF2_FLAG_EXTENSION_FLAGS_PRESENT 0x00008000u
#define UF2_EXT_RP2_IGNORE_BLOCK 0x9957E3u  /* tag type; the word is 0x9957E304 */

#define FAMILY_RP2040 0xE48BFF56u
#define FAMILY_ABSOLUTE 0xE48BFF57u
#define FAMILY_DATA 0xE48BFF58u
#define FAMILY_RP2350_ARM_S 0xE48BFF59u
#define FAMILY_RP2350_RISCV 0xE48BFF5Au
#define FAMILY_RP2350_ARM_NS 0xE48BFF5Bu

#define ROM_SECTORS (LOADER_ROM_FLASH_SPAN / LOADER_SECTOR)

/* What the ROM keeps of the transfer under way (its _uf2_info). A file
 * starts with none: the board reboots between two files. */
typedef struct {
    uint32_t family, num_blocks;   /* num_blocks 0: no transfer yet */
    int ram;                       /* targets SRAM: nothing to erase */
    int only_e10;                  /* every block so far was an E10 workaround block */
    uint32_t valid_count;
    uint8_t valid[MAX_TRANSFER_BLOCKS];        /* block numbers written */
    uint8_t erased[ROM_SECTORS / 8];           /* sectors erased, as the ROM numbers them */
    int done;                      /* a transfer completed: the board is about to reboot */
    uint32_t done_family, done_blocks;
} rom_state;

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static const char *family_name(uint32_t f)
{
    switch (f) {
    case FAMILY_RP2040: return "RP2040";
    case FAMILY_ABSOLUTE: return "ABSOLUTE";
    case FAMILY_DATA: return "DATA";
    case FAMILY_RP2350_ARM_S: return "RP2350_ARM_S";
    case FAMILY_RP2350_RISCV: return "RP2350_RISCV";
    case FAMILY_RP2350_ARM_NS: return "RP2350_ARM_NS";
    default: return NULL;
    }
}

/* 1 if the block carries the RP2 "ignore block" extension tag: the
 * RP2350-E10 workaround block. Only for the report - the A2 ROM never
 * looks at extension tags. */
static int is_e10_block(const uint8_t *b)
{
    if (!(rd32(b + 8) & UF2_FLAG_EXTENSION_FLAGS_PRESENT)) return 0;
    uint32_t off = 32 + ((rd32(b + 16) + 3) & ~3u);
    while (off + 4 <= 508) {
        uint32_t tag = rd32(b + off);
        uint32_t size = tag & 0xFF;
        if (tag == 0 || size < 4) break;
        if ((tag >> 8) == UF2_EXT_RP2_IGNORE_BLOCK) return 1;
        off += (size + 3) & ~3u;
    }
    return 0;
}

static int check_family(uint32_t family, uint32_t n, char *err, size_t errlen)
{
    switch (family) {
    case FAMILY_RP2350_ARM_S:
    case FAMILY_ABSOLUTE:
    case FAMILY_DATA:
        return 1;
    case FAMILY_RP2040:
        snprintf(err, errlen, "block %u: family RP2040 (0x%08x) is not for the RP2350", n, family);
        return 0;
    case FAMILY_RP2350_RISCV:
        snprintf(err, errlen,
                 "block %u: family RP2350_RISCV (0x%08x): the virtual board runs ARM cores only", n,
                 family);
        return 0;
    case FAMILY_RP2350_ARM_NS:
        snprintf(err, errlen,
                 "block %u: family RP2350_ARM_NS (0x%08x): Non-secure images are not bootable here "
                 "(no partition table support)",
                 n, family);
        return 0;
    default:
        snprintf(err, errlen, "block %u: unknown family ID 0x%08x", n, family);
        return 0;
    }
}

static int in_flash(uint32_t addr)
{
    return addr >= LOADER_XIP_BASE && addr - LOADER_XIP_BASE < LOADER_ROM_FLASH_SPAN;
}

static int in_sram(const load_target *t, uint32_t addr)
{
    return addr >= LOADER_SRAM_BASE && addr - LOADER_SRAM_BASE < t->sram_size;
}

static int check_target(const uint8_t *b, uint32_t n, const load_target *t, char *err,
                        size_t errlen)
{
    uint32_t addr = rd32(b + 12);
    if (addr % LOADER_PAGE != 0) {
        snprintf(err, errlen, "block %u: target address 0x%08x is not 256-byte aligned", n, addr);
        return 0;
    }
    if (in_flash(addr) || in_sram(t, addr)) return 1;  /* aligned: the whole page is inside */
    snprintf(err, errlen,
             "block %u: target 0x%08x..0x%08x is outside flash (0x%08x..0x%08x, the 16 MB the "
             "boot ROM writes) and SRAM (0x%08x..0x%08x)",
             n, addr, addr + LOADER_PAGE - 1, LOADER_XIP_BASE,
             LOADER_XIP_BASE + LOADER_ROM_FLASH_SPAN - 1, LOADER_SRAM_BASE,
             LOADER_SRAM_BASE + t->sram_size - 1);
    return 0;
}

static int check_numbering(const uint8_t *b, uint32_t n, char *err, size_t errlen)
{
    uint32_t block_no = rd32(b + 20), num_blocks = rd32(b + 24);
    if (num_blocks == 0 || block_no >= num_blocks) {
        snprintf(err, errlen, "block %u: block number %u is not below the block count %u", n,
                 block_no, num_blocks);
        return 0;
    }
    if (num_blocks > MAX_TRANSFER_BLOCKS) {
        snprintf(err, errlen, "block %u: block count %u is more than 16 MB of flash takes", n,
                 num_blocks);
        return 0;
    }
    return 1;
}

/* checks one block on its own; 1 = a block for the ROM, 0 = error, -1 = skip */
static int check_block(const uint8_t *b, uint32_t n, load_target *t, char *err, size_t errlen)
{
    if (rd32(b) != UF2_MAGIC_START0 || rd32(b + 4) != UF2_MAGIC_START1 ||
        rd32(b + 508) != UF2_MAGIC_END) {
        snprintf(err, errlen, "block %u (file offset 0x%x): bad magic (not a UF2 block)", n,
                 n * UF2_BLOCK);
        return 0;
    }
    uint32_t flags = rd32(b + 8), psize = rd32(b + 16);
    if (flags & UF2_FLAG_NOT_MAIN_FLASH) {
        t->skipped_other++;
        return -1;
    }
    if (!(flags & UF2_FLAG_FAMILY_ID_PRESENT)) {
        snprintf(err, errlen, "block %u: no family ID (flag 0x2000 missing); the RP2350 boot ROM "
                 "needs one", n);
        return 0;
    }
    if (!check_family(rd32(b + 28), n, err, errlen)) return 0;
    if (psize != 256) {
        snprintf(err, errlen, "block %u: payload size %u (the RP2350 boot ROM takes 256)", n, psize);
        return 0;
    }
    return check_target(b, n, t, err, errlen) && check_numbering(b, n, err, errlen);
}

static void note_family(load_target *t, uint32_t family)
{
    const char *name = family_name(family);
    if (!name || strstr(t->family, name)) return;
    size_t used = strlen(t->family);
    snprintf(t->family + used, sizeof(t->family) - used, "%s%s", used ? "," : "", name);
}

static void describe_transfer(const rom_state *rom, char *out, size_t outlen)
{
    uint32_t missing = 0;
    while (missing < rom->num_blocks && rom->valid[missing]) missing++;
    snprintf(out, outlen, "%u of %u blocks of family %s (first missing block number %u)",
             rom->valid_count, rom->num_blocks, family_name(rom->family), missing);
}

/* A change of family or block count: the ROM resets its transfer state
 * (written block numbers and erased sectors) and starts over. */
static void start_transfer(rom_state *rom, load_target *t, const uint8_t *b)
{
    if (rom->num_blocks && !rom->only_e10) {
        if (!t->abandoned++)
            describe_transfer(rom, t->abandoned_what, sizeof(t->abandoned_what));
    }
    rom->family = rd32(b + 28);
    rom->num_blocks = rd32(b + 24);
    rom->ram = in_sram(t, rd32(b + 12));
    rom->only_e10 = 1;
    rom->valid_count = 0;
    memset(rom->valid, 0, rom->num_blocks);
    memset(rom->erased, 0, sizeof(rom->erased));
}

/* a flash page as the ROM writes it: erase its sector on the transfer's first
 * write there, then program; the chip sees the 16 MB address modulo its size */
static void write_flash_page(rom_state *rom, load_target *t, uint32_t addr, const uint8_t *src,
                             int e10)
{
    uint32_t rom_off = addr - LOADER_XIP_BASE, sector = rom_off / LOADER_SECTOR;
    uint32_t off = rom_off % t->flash_size;
    if (!(rom->erased[sector / 8] & 1u << (sector % 8))) {
        rom->erased[sector / 8] |= (uint8_t)(1u << (sector % 8));
        loader_flash_erase_sector(t, off);
    }
    loader_flash_program_page(t, off, src, e10);
    if (e10) {
        t->e10_target = addr;
        t->e10_addr = LOADER_XIP_BASE + off;
    } else if (off != rom_off && !t->wrapped++) {
        t->wrap_from = addr;
        t->wrap_to = LOADER_XIP_BASE + off;
    }
}

/* one block the ROM takes, in file order; 1 = ok */
static int rom_block(rom_state *rom, const uint8_t *b, uint32_t n, load_target *t, char *err,
                     size_t errlen)
{
    uint32_t family = rd32(b + 28), num_blocks = rd32(b + 24), addr = rd32(b + 12);
    if (rom->done) {
        /* the board reboots 500 ms after the transfer completed */
        if (family == rom->done_family && num_blocks == rom->done_blocks) t->repeated++;
        else if (!t->after_reboot++) t->first_after_reboot = n;
        return 1;
    }
    if (family != rom->family || num_blocks != rom->num_blocks) start_transfer(rom, t, b);
    if (in_sram(t, addr) != rom->ram) {
        /* the ROM ignores it, so its transfer can never complete */
        snprintf(err, errlen, "block %u: target 0x%08x is in %s but its transfer (family %s, %u "
                 "blocks) began in %s: the boot ROM ignores such a block, so the transfer never "
                 "completes", n, addr, rom->ram ? "flash" : "SRAM", family_name(family), num_blocks,
                 rom->ram ? "SRAM" : "flash");
        return 0;
    }
    uint32_t block_no = rd32(b + 20);
    if (rom->valid[block_no]) {
        t->repeated++;   /* "Ignore duplicate write" */
        return 1;
    }
    rom->valid[block_no] = 1;
    rom->valid_count++;
    int e10 = is_e10_block(b);
    if (rom->ram) {
        if (!loader_write(t, addr, b + 32, LOADER_PAGE, err, errlen)) return 0;
        if (e10) t->e10_target = t->e10_addr = addr;
    } else {
        write_flash_page(rom, t, addr, b + 32, e10);
    }
    if (e10) {
        t->e10_blocks++;
    } else {
        rom->only_e10 = 0;
        note_family(t, family);
        t->blocks++;
    }
    if (rom->valid_count == rom->num_blocks) {
        rom->done = 1;
        rom->done_family = family;
        rom->done_blocks = num_blocks;
    }
    return 1;
}

/* the end of a file where no transfer completed: what is missing */
static void no_transfer_completed(const rom_state *rom, const load_target *t, uint32_t nblocks,
                                  char *err, size_t errlen)
{
    static const char cut[] = "cut off by a change of family or block count";
    char what[300];
    if (!rom->num_blocks) {
        snprintf(err, errlen, "no block to write (all %u blocks skipped)", nblocks);
        return;
    }
    if (!rom->only_e10) {
        char now[128];
        describe_transfer(rom, now, sizeof(now));
        snprintf(what, sizeof(what), "%s%s%s%s", now, t->abandoned ? "; an earlier one was " : "",
                 t->abandoned ? cut : "", t->abandoned ? ": " : "");
        if (t->abandoned)
            snprintf(what + strlen(what), sizeof(what) - strlen(what), "%s", t->abandoned_what);
    } else if (t->abandoned) {
        snprintf(what, sizeof(what), "%s, %s", t->abandoned_what, cut);
    } else {
        snprintf(what, sizeof(what), "the file holds only the RP2350-E10 workaround block");
    }
    snprintf(err, errlen, "incomplete transfer: %s; no transfer completes, so the board would stay "
             "in BOOTSEL", what);
}

int uf2_load(const uint8_t *data, size_t len, load_target *t, char *err, size_t errlen)
{
    if (len == 0 || len % UF2_BLOCK != 0) {
        snprintf(err, errlen, "size %zu is not a multiple of 512 bytes (not a UF2 file, or "
                 "truncated)", len);
        return 0;
    }
    rom_state *rom = calloc(1, sizeof(*rom));
    if (!rom) {
        snprintf(err, errlen, "out of memory");
        return 0;
    }
    int ok = 1;
    uint32_t nblocks = (uint32_t)(len / UF2_BLOCK);
    for (uint32_t n = 0; n < nblocks && ok; n++) {
        const uint8_t *b = data + (size_t)n * UF2_BLOCK;
        int r = check_block(b, n, t, err, errlen);
        if (r < 0) continue;
        ok = r && rom_block(rom, b, n, t, err, errlen);
    }
    if (ok && !rom->done) {
        no_transfer_completed(rom, t, nblocks, err, errlen);
        ok = 0;
    }
    loader_account_erased(t);
    free(rom);
    return ok;
}
