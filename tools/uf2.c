/* uf2.c - UF2 block writer (see uf2.h for the rules it follows). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "uf2.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../engine/image.h"
#include "hostio.h"

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
 * never complete), so the real blocks that follow start a fresh transfer.
 * The A2 ROM does not know the ignore tag and writes it (0xEF over the last
 * page of flash, its sector erased: rp2350-facts.md 3.3). */
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

uint64_t uf2_pages_end(const uf2_segment *s)
{
    return (uint64_t)s->target + (uint64_t)pages(s->len) * UF2_PAYLOAD_SIZE;
}

int uf2_find_overlap(const uf2_segment *segments, int count, int *first, int *second)
{
    for (int i = 0; i < count; i++) {
        for (int k = 0; k < i; k++) {
            if (segments[i].target < uf2_pages_end(&segments[k]) &&
                segments[k].target < uf2_pages_end(&segments[i])) {
                *first = k;
                *second = i;
                return 1;
            }
        }
    }
    return 0;
}

static int segments_ok(const uf2_segment *segments, int count)
{
    int a, b;
    for (int i = 0; i < count; i++)
        if (!segment_ok(&segments[i])) return 0;
    return !uf2_find_overlap(segments, count, &a, &b);
}

static int write_segments(FILE *stream, const uf2_segment *segments, int count, uint32_t family)
{
    uint32_t blocks = 0;
    for (int i = 0; i < count; i++) blocks += pages(segments[i].len);
    if (family != UF2_FAMILY_ABSOLUTE && !write_e10_block(stream)) return 0;
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

uint64_t uf2_chain_next(const uf2_segment *s)
{
    uint64_t end = (uint64_t)s->target + s->len;
    return (end + RP2350_FLASH_SECTOR - 1) / RP2350_FLASH_SECTOR * RP2350_FLASH_SECTOR;
}

static int writes_page(const uf2_segment *segments, int count, uint64_t page)
{
    for (int i = 0; i < count; i++) {
        uint64_t start = segments[i].target;
        if (page >= start && page < start + (uint64_t)pages(segments[i].len) * UF2_PAYLOAD_SIZE)
            return 1;
    }
    return 0;
}

/* The segments followed by an end-of-chain page for each model image whose
 * chain no segment goes on with. The firmware walks the chain until a 4 KB
 * boundary without an image magic; the ROM erases only the sectors a UF2
 * touches, so without this page an image written there by an older UF2
 * (the q8 after an f32, say) would become part of this one's chain. No end
 * page goes into the last 4 KB sector: that is the E10 block's, erased by
 * every UF2 that carries one (rp2350-facts.md 3.3), and no image is ever
 * placed there, nor does the firmware look there. Returns the new count
 * (*out malloc'd), or -1. */
static int with_chain_ends(const uf2_segment *segments, int count, uf2_segment **out)
{
    static const uint8_t end_page[UF2_PAYLOAD_SIZE]; /* zeros: no image magic */
    uf2_segment *all = malloc((2 * (size_t)count + 1) * sizeof(*all));
    if (!all) return -1;
    memcpy(all, segments, (size_t)count * sizeof(*all));
    int n = count;
    for (int i = 0; i < count; i++) {
        if (!pl_image_is_image(segments[i].data, segments[i].len)) continue;
        uint64_t next = uf2_chain_next(&segments[i]);
        if (next >= RP2350_FLASH_LAST_SECTOR || writes_page(all, n, next)) continue;
        all[n++] = (uf2_segment){end_page, sizeof(end_page), (uint32_t)next};
    }
    *out = all;
    return n;
}

int uf2_write_file(const char *path, const uf2_segment *segments, int count, uint32_t family)
{
    uf2_segment *all = NULL;
    int n = with_chain_ends(segments, count, &all);
    if (n < 0) return host_error("%s: out of memory", path), 0;
    if (!segments_ok(all, n)) {
        free(all);
        return host_error("%s: internal error: misplaced or overlapping UF2 segments", path), 0;
    }
    FILE *f = host_open_output(path);
    int ok = f && host_close_output(f, path, write_segments(f, all, n, family));
    free(all);
    return ok;
}

int uf2_check_4mb_board(const char *command, const char *name, const uf2_segment *s)
{
    int model = pl_image_is_image(s->data, s->len);
    uint64_t end = model ? uf2_chain_next(s) + UF2_PAYLOAD_SIZE : (uint64_t)s->target + s->len;
    if (end <= RP2350_4MB_FLASH_LAST_SECTOR) return 1;
    const char *why = end > RP2350_XIP_BASE + 4u * 1024 * 1024
                          ? "flashing it there overwrites the firmware (the boot ROM wraps "
                            "addresses past 4 MB onto low flash)"
                          : "its last 4 KB sector there is the one the RP2350-E10 block erases";
    fprintf(stderr,
            "picollama: %s: warning: %s ends at 0x%08llx%s: it does not fit a 4 MB board "
            "(Raspberry Pi Pico 2); %s\n",
            command, name, (unsigned long long)end, model ? " with its end-of-chain page" : "",
            why);
    return 0;
}

/* path as a shell word: quoted when it holds anything but plain characters */
static void print_shell_word(const char *path)
{
    if (strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_./+-@:,=") ==
        strlen(path)) {
        fputs(path, stdout);
        return;
    }
    putchar('\'');
    for (const char *p = path; *p; p++) {
        if (*p == '\'') fputs("'\\''", stdout);
        else putchar(*p);
    }
    putchar('\'');
}

void uf2_print_flash_command(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) return; /* /dev/null, a pipe: nothing to flash */
    char *full = realpath(path, NULL);
    const char *p = full ? full : path;
    fputs("  flash it: make flash MODEL=", stdout);
    print_shell_word(p);
    fputs("   (or: picotool load -f -x ", stdout);
    print_shell_word(p);
    fputs(")\n", stdout);
    free(full);
}
