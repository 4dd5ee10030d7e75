/* uf2.c - UF2 block writer (see uf2.h for the rules it follows). */
#include "uf2.h"

#include <stdio.h>
#include <string.h>

static void put_u32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static int write_block(FILE *stream, uint32_t flags, uint32_t addr, uint32_t block_no,
                       uint32_t num_blocks, uint32_t family, const uint8_t *payload,
                       size_t payload_len)
{
    uint8_t b[UF2_BLOCK_SIZE] = {0};
    put_u32(b + 0, UF2_MAGIC_START0);
    put_u32(b + 4, UF2_MAGIC_START1);
    put_u32(b + 8, flags);
    put_u32(b + 12, addr);
    put_u32(b + 16, UF2_PAYLOAD_SIZE);
    put_u32(b + 20, block_no);
    put_u32(b + 24, num_blocks);
    put_u32(b + 28, family);
    memcpy(b + 32, payload, payload_len);
    put_u32(b + 508, UF2_MAGIC_END);
    return fwrite(b, 1, sizeof(b), stream) == sizeof(b);
}

/* RP2350-E10: a block of its own transfer (ABSOLUTE family, 2 blocks that
 * never complete) that the ROM ignores, so the real blocks that follow
 * start a fresh transfer. */
static int write_e10_block(FILE *stream)
{
    uint8_t payload[UF2_PAYLOAD_SIZE + 4];
    memset(payload, 0xEF, UF2_PAYLOAD_SIZE);
    put_u32(payload + UF2_PAYLOAD_SIZE, UF2_EXTENSION_RP2_IGNORE_BLOCK);
    return write_block(stream, UF2_FLAG_FAMILY_ID_PRESENT | UF2_FLAG_EXTENSION_FLAGS_PRESENT,
                       UF2_E10_BLOCK_ADDR, 0, 2, UF2_FAMILY_ABSOLUTE, payload, sizeof(payload));
}

static uint32_t pages(size_t len) { return (uint32_t)((len + UF2_PAYLOAD_SIZE - 1) / UF2_PAYLOAD_SIZE); }

static int segment_ok(const uf2_segment *s)
{
    if (s->target % UF2_PAYLOAD_SIZE != 0 || s->target < RP2350_XIP_BASE) return 0;
    return (uint64_t)s->target + s->len <= RP2350_FLASH_LAST_SECTOR; /* keep the E10 sector free */
}

static int write_segments(FILE *stream, const uf2_segment *segments, int count, uint32_t family)
{
    uint32_t blocks = 0;
    for (int i = 0; i < count; i++) {
        if (!segment_ok(&segments[i])) return 0;
        for (int k = 0; k < i; k++) {
            uint64_t a0 = segments[i].target, a1 = a0 + pages(segments[i].len) * UF2_PAYLOAD_SIZE;
            uint64_t b0 = segments[k].target, b1 = b0 + pages(segments[k].len) * UF2_PAYLOAD_SIZE;
            if (a0 < b1 && b0 < a1) return 0;
        }
        blocks += pages(segments[i].len);
    }
    if (!write_e10_block(stream)) return 0;
    uint32_t block_no = 0;
    for (int i = 0; i < count; i++) {
        const uf2_segment *s = &segments[i];
        for (uint32_t p = 0; p < pages(s->len); p++, block_no++) {
            size_t off = (size_t)p * UF2_PAYLOAD_SIZE;
            size_t n = s->len - off < UF2_PAYLOAD_SIZE ? s->len - off : UF2_PAYLOAD_SIZE;
            uint8_t page[UF2_PAYLOAD_SIZE] = {0};
            memcpy(page, s->data + off, n);
            if (!write_block(stream, UF2_FLAG_FAMILY_ID_PRESENT, s->target + (uint32_t)off,
                             block_no, blocks, family, page, sizeof(page)))
                return 0;
        }
    }
    return 1;
}

int uf2_write_file(const char *path, const uf2_segment *segments, int count, uint32_t family)
{
    FILE *f = fopen(path, "wb");
    int ok = f && write_segments(f, segments, count, family);
    if (f && fclose(f) != 0) ok = 0;
    if (!ok && f) remove(path);
    return ok;
}
