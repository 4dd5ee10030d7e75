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

/* Who put what is in a page, for the overlap and erase reports. */
enum {
    PAGE_BLANK = 0,         /* never written, or erased */
    PAGE_EARLIER,           /* data of an earlier file */
    PAGE_THIS_FILE,         /* data of the file being loaded */
    PAGE_EARLIER_ERASED,    /* an earlier file's data, erased by this file (not rewritten yet) */
    PAGE_FILLER             /* an RP2350-E10 workaround page: not data anyone needs */
};

/* once a file is done its pages become "written by an earlier file" */
static void settle(uint8_t *map, uint32_t pages)
{
    for (uint32_t p = 0; p < pages; p++)
        if (map[p] == PAGE_THIS_FILE) map[p] = PAGE_EARLIER;
}

void loader_begin_file(load_target *t)
{
    settle(t->flash_written, t->flash_size / LOADER_PAGE);
    settle(t->sram_written, t->sram_size / LOADER_PAGE);
    t->nranges = t->nerased = 0;
    t->blocks = t->bytes = t->skipped_other = 0;
    t->e10_blocks = t->e10_target = t->e10_addr = 0;
    t->repeated = t->abandoned = t->after_reboot = t->first_after_reboot = 0;
    t->wrapped = t->wrap_from = t->wrap_to = 0;
    t->overlaps = t->erased_lost = 0;
    t->abandoned_what[0] = t->family[0] = '\0';
}

static void add_to(load_range *r, int *n, uint32_t start, uint32_t end)
{
    for (int i = 0; i < *n; i++) {
        if (r[i].end == start) {
            r[i].end = end;
            return;
        }
    }
    if (*n < LOADER_MAX_RANGES) {
        r[*n].start = start;
        r[*n].end = end;
        (*n)++;
    }
}

static void add_range(load_target *t, uint32_t start, uint32_t end)
{
    add_to(t->ranges, &t->nranges, start, end);
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
            if (t->flash_written[p] == PAGE_EARLIER) t->overlaps++;
            t->flash_written[p] = PAGE_THIS_FILE;
        }
        memcpy(t->flash + off, src, len);
    } else if (addr >= LOADER_SRAM_BASE && end <= (uint64_t)LOADER_SRAM_BASE + t->sram_size) {
        uint32_t off = addr - LOADER_SRAM_BASE;
        for (uint32_t p = off / LOADER_PAGE; p <= (off + len - 1) / LOADER_PAGE; p++) {
            if (t->sram_written[p] == PAGE_EARLIER) t->overlaps++;
            t->sram_written[p] = PAGE_THIS_FILE;
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

void loader_flash_erase_sector(load_target *t, uint32_t offset)
{
    offset &= ~(LOADER_SECTOR - 1);
    memset(t->flash + offset, 0xFF, LOADER_SECTOR);
    for (uint32_t p = offset / LOADER_PAGE; p < (offset + LOADER_SECTOR) / LOADER_PAGE; p++) {
        uint8_t *page = &t->flash_written[p];
        /* an earlier file's page is remembered until the file ends (lost unless
         * rewritten); this file's own, erased by a later transfer in it, is blank */
        *page = *page == PAGE_EARLIER || *page == PAGE_EARLIER_ERASED ? PAGE_EARLIER_ERASED
                                                                      : PAGE_BLANK;
    }
}

void loader_flash_program_page(load_target *t, uint32_t offset, const uint8_t *src, int filler)
{
    uint8_t *dst = t->flash + offset, *page = &t->flash_written[offset / LOADER_PAGE];
    for (uint32_t i = 0; i < LOADER_PAGE; i++) dst[i] &= src[i];   /* NOR: only 1 -> 0 */
    if (*page == PAGE_EARLIER || *page == PAGE_EARLIER_ERASED) t->overlaps++;
    if (filler) {
        if (*page != PAGE_THIS_FILE) *page = PAGE_FILLER;
        return;
    }
    *page = PAGE_THIS_FILE;
    t->bytes += LOADER_PAGE;
    add_range(t, LOADER_XIP_BASE + offset, LOADER_XIP_BASE + offset + LOADER_PAGE);
}

void loader_account_erased(load_target *t)
{
    for (uint32_t p = 0; p < t->flash_size / LOADER_PAGE; p++) {
        if (t->flash_written[p] != PAGE_EARLIER_ERASED) continue;
        t->flash_written[p] = PAGE_BLANK;
        t->erased_lost++;
        uint32_t sector = LOADER_XIP_BASE + p * LOADER_PAGE / LOADER_SECTOR * LOADER_SECTOR;
        int n = t->nerased;
        if (n && t->erased[n - 1].end > sector) continue;   /* sector listed already */
        add_to(t->erased, &t->nerased, sector, sector + LOADER_SECTOR);
    }
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

