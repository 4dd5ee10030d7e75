/* loader_uf2.c - UF2 files, checked the way the RP2350 boot ROM's UF2 download
 * checks them (rp2350-facts.md section 3): 512-byte blocks with both start
 * magics and the end magic, a family ID, 256-byte payloads at 256-byte aligned
 * targets in flash or SRAM, and block numbers 0..num_blocks-1 forming complete
 * transfers. Blocks carrying the RP2 "ignore block" extension (the RP2350-E10
 * workaround block) and NOT_MAIN_FLASH blocks are skipped, as the ROM does. */
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

#define MAX_TRANSFERS 16

typedef struct {
    uint32_t family, num_blocks, seen;
    uint8_t *got;   /* one per block number */
} transfer;

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

/* 1 if the block's extension tags include the RP2 "ignore block" tag */
static int has_ignore_tag(const uint8_t *b, uint32_t payload_size)
{
    uint32_t off = 32 + ((payload_size + 3) & ~3u);
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

static transfer *find_transfer(transfer *tr, int *ntr, uint32_t family, uint32_t num_blocks)
{
    for (int i = 0; i < *ntr; i++)
        if (tr[i].family == family && tr[i].num_blocks == num_blocks) return &tr[i];
    if (*ntr >= MAX_TRANSFERS) return NULL;
    transfer *t = &tr[(*ntr)++];
    t->family = family;
    t->num_blocks = num_blocks;
    t->seen = 0;
    t->got = calloc(num_blocks, 1);
    return t->got ? t : NULL;
}

static void note_family(load_target *t, uint32_t family)
{
    const char *name = family_name(family);
    if (!name || strstr(t->family, name)) return;
    size_t used = strlen(t->family);
    snprintf(t->family + used, sizeof(t->family) - used, "%s%s", used ? "," : "", name);
}

/* checks one block's header; 1 = write it, 0 = error, -1 = skip */
static int check_block(const uint8_t *b, uint32_t n, load_target *t, char *err, size_t errlen)
{
    if (rd32(b) != UF2_MAGIC_START0 || rd32(b + 4) != UF2_MAGIC_START1 ||
        rd32(b + 508) != UF2_MAGIC_END) {
        snprintf(err, errlen, "block %u (file offset 0x%x): bad magic (not a UF2 block)", n,
                 n * UF2_BLOCK);
        return 0;
    }
    uint32_t flags = rd32(b + 8), addr = rd32(b + 12), psize = rd32(b + 16);
    if (flags & UF2_FLAG_NOT_MAIN_FLASH) {
        t->skipped_other++;
        return -1;
    }
    if (!(flags & UF2_FLAG_FAMILY_ID_PRESENT)) {
        snprintf(err, errlen, "block %u: no family ID (flag 0x2000 missing); the RP2350 boot ROM "
                 "needs one", n);
        return 0;
    }
    if ((flags & UF2_FLAG_EXTENSION_FLAGS_PRESENT) && has_ignore_tag(b, psize)) {
        t->skipped_e10++;
        return -1;
    }
    if (!check_family(rd32(b + 28), n, err, errlen)) return 0;
    if (psize != 256) {
        snprintf(err, errlen, "block %u: payload size %u (the RP2350 boot ROM takes 256)", n, psize);
        return 0;
    }
    if (addr % 256 != 0) {
        snprintf(err, errlen, "block %u: target address 0x%08x is not 256-byte aligned", n, addr);
        return 0;
    }
    return 1;
}

static int check_numbering(const uint8_t *b, uint32_t n, transfer *tr, int *ntr, char *err,
                           size_t errlen)
{
    uint32_t block_no = rd32(b + 20), num_blocks = rd32(b + 24), family = rd32(b + 28);
    if (num_blocks == 0 || block_no >= num_blocks) {
        snprintf(err, errlen, "block %u: block number %u is not below the block count %u", n,
                 block_no, num_blocks);
        return 0;
    }
    if (num_blocks > MAX_TRANSFER_BLOCKS) { /* before anything is sized by it */
        snprintf(err, errlen, "block %u: block count %u is more than 16 MB of flash takes", n,
                 num_blocks);
        return 0;
    }
    transfer *x = find_transfer(tr, ntr, family, num_blocks);
    if (!x) {
        snprintf(err, errlen, "block %u: too many transfers in one file", n);
        return 0;
    }
    if (x->got[block_no]) {
        snprintf(err, errlen, "block %u: block number %u of %u appears twice", n, block_no,
                 num_blocks);
        return 0;
    }
    x->got[block_no] = 1;
    x->seen++;
    return 1;
}

static int check_complete(transfer *tr, int ntr, char *err, size_t errlen)
{
    for (int i = 0; i < ntr; i++) {
        if (tr[i].seen == tr[i].num_blocks) continue;
        uint32_t missing = 0;
        while (missing < tr[i].num_blocks && tr[i].got[missing]) missing++;
        snprintf(err, errlen, "incomplete transfer: %u of %u blocks of family %s (first missing "
                 "block number %u)",
                 tr[i].seen, tr[i].num_blocks, family_name(tr[i].family), missing);
        return 0;
    }
    return 1;
}

int uf2_load(const uint8_t *data, size_t len, load_target *t, char *err, size_t errlen)
{
    if (len == 0 || len % UF2_BLOCK != 0) {
        snprintf(err, errlen, "size %zu is not a multiple of 512 bytes (not a UF2 file, or "
                 "truncated)", len);
        return 0;
    }
    transfer tr[MAX_TRANSFERS];
    int ntr = 0, ok = 1;
    uint32_t nblocks = (uint32_t)(len / UF2_BLOCK);
    for (uint32_t n = 0; n < nblocks && ok; n++) {
        const uint8_t *b = data + (size_t)n * UF2_BLOCK;
        int r = check_block(b, n, t, err, errlen);
        if (r < 0) continue;
        ok = r && check_numbering(b, n, tr, &ntr, err, errlen);
        if (!ok) break;
        char werr[200];
        if (!loader_write(t, rd32(b + 12), b + 32, 256, werr, sizeof(werr))) {
            snprintf(err, errlen, "block %u: target %s", n, werr);
            ok = 0;
            break;
        }
        note_family(t, rd32(b + 28));
        t->blocks++;
    }
    if (ok && t->blocks == 0) {
        snprintf(err, errlen, "no block to write (all %u blocks skipped)", nblocks);
        ok = 0;
    }
    if (ok) ok = check_complete(tr, ntr, err, errlen);
    for (int i = 0; i < ntr; i++) free(tr[i].got);
    return ok;
}
