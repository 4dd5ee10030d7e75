/* loader.c - shared part of the loaders: placing bytes in flash or SRAM and
 * keeping the record of what went where. */
#include "loader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int loader_target_init(load_target *t)
{
    t->flash_written = calloc(t->flash_size / LOADER_PAGE + 1, 1);
    t->sram_written = calloc(t->sram_size / LOADER_PAGE + 1, 1);
    loader_begin_file(t);
    return t->flash_written && t->sram_written;
}

void loader_target_free(load_target *t)
{
    free(t->flash_written);
    free(t->sram_written);
    t->flash_written = t->sram_written = NULL;
}

/* pages marked 2 belong to the file being loaded; once it is done they
 * become 1 ("written by an earlier file") for overlap reports */
static void settle(uint8_t *map, uint32_t pages)
{
    for (uint32_t p = 0; p < pages; p++)
        if (map[p] == 2) map[p] = 1;
}

void loader_begin_file(load_target *t)
{
    settle(t->flash_written, t->flash_size / LOADER_PAGE);
    settle(t->sram_written, t->sram_size / LOADER_PAGE);
    t->nranges = 0;
    t->blocks = t->skipped_e10 = t->skipped_other = t->bytes = 0;
    t->overlaps = 0;
    t->family[0] = '\0';
}

static void add_range(load_target *t, uint32_t start, uint32_t end)
{
    for (int i = 0; i < t->nranges; i++) {
        if (t->ranges[i].end == start) {
            t->ranges[i].end = end;
            return;
        }
    }
    if (t->nranges < LOADER_MAX_RANGES) {
        t->ranges[t->nranges].start = start;
        t->ranges[t->nranges].end = end;
        t->nranges++;
    }
}

int loader_write(load_target *t, uint32_t addr, const uint8_t *src, uint32_t len, char *err,
                 size_t errlen)
{
    if (len == 0) return 1;
    uint64_t end = (uint64_t)addr + len;
    if (addr >= LOADER_XIP_BASE && end <= (uint64_t)LOADER_XIP_BASE + t->flash_size) {
        uint32_t off = addr - LOADER_XIP_BASE;
        /* overlap = a page an earlier file wrote */
        for (uint32_t p = off / LOADER_PAGE; p <= (off + len - 1) / LOADER_PAGE; p++) {
            if (t->flash_written[p] == 1) t->overlaps++;
            t->flash_written[p] = 2;
        }
        memcpy(t->flash + off, src, len);
    } else if (addr >= LOADER_SRAM_BASE && end <= (uint64_t)LOADER_SRAM_BASE + t->sram_size) {
        uint32_t off = addr - LOADER_SRAM_BASE;
        for (uint32_t p = off / LOADER_PAGE; p <= (off + len - 1) / LOADER_PAGE; p++) {
            if (t->sram_written[p] == 1) t->overlaps++;
            t->sram_written[p] = 2;
        }
        memcpy(t->sram + off, src, len);
    } else {
        snprintf(err, errlen,
                 "0x%08x..0x%08x is outside flash (0x%08x..0x%08x) and SRAM (0x%08x..0x%08x)",
                 addr, (uint32_t)(end - 1), LOADER_XIP_BASE, LOADER_XIP_BASE + t->flash_size - 1,
                 LOADER_SRAM_BASE, LOADER_SRAM_BASE + t->sram_size - 1);
        return 0;
    }
    t->bytes += len;
    add_range(t, addr, (uint32_t)end);
    return 1;
}

int loader_has_flash(const load_target *t)
{
    for (uint32_t p = 0; p < t->flash_size / LOADER_PAGE; p++)
        if (t->flash_written[p]) return 1;
    return 0;
}

uint32_t loader_lowest_sram(const load_target *t)
{
    for (uint32_t p = 0; p < t->sram_size / LOADER_PAGE; p++)
        if (t->sram_written[p]) return LOADER_SRAM_BASE + p * LOADER_PAGE;
    return 0;
}

