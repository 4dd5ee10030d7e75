/* loader.h - puts firmware into the virtual board's memories before power-on:
 * UF2 files (as the RP2350 boot ROM's UF2 download writes them to flash or
 * SRAM, one file after another like drag-and-drop) and ELF files (as a
 * debugger loads them). Loaders work on memory buffers so they can be tested
 * without a board. */
#ifndef SIM_LOADER_H
#define SIM_LOADER_H

#include <stddef.h>
#include <stdint.h>

#define LOADER_XIP_BASE 0x10000000u
#define LOADER_SRAM_BASE 0x20000000u
#define LOADER_PAGE 256u
#define LOADER_SECTOR 4096u           /* what the ROM erases before a UF2 writes */
#define LOADER_ROM_FLASH_SPAN (16u << 20) /* QMI CS0 as the ROM addresses it */

#define LOADER_MAX_RANGES 64

typedef struct {
    uint32_t start, end;        /* [start, end) bus addresses */
} load_range;

/* Where loaded bytes go, and what was written (for reports and overlaps).
 * The report fields describe the last file loaded. */
typedef struct {
    uint8_t *flash;
    uint32_t flash_size;
    uint8_t *sram;
    uint32_t sram_size;
    uint8_t *flash_written;     /* one byte per 256-byte flash page: who wrote it */
    uint8_t *sram_written;      /* one byte per 256-byte SRAM page */
    load_range ranges[LOADER_MAX_RANGES];   /* written, the E10 block's page left out */
    int nranges;
    load_range erased[LOADER_MAX_RANGES];   /* sectors where an earlier file's pages were erased */
    int nerased;
    uint32_t blocks, bytes;     /* written, the E10 block left out */
    uint32_t skipped_other;     /* NOT_MAIN_FLASH blocks: the ROM ignores them */
    uint32_t e10_blocks;        /* RP2350-E10 workaround blocks written ... */
    uint32_t e10_target, e10_addr;   /* ... the last one's target and where it landed */
    uint32_t repeated;          /* block numbers seen again within a transfer: not rewritten */
    uint32_t abandoned;         /* transfers (the E10 one aside) cut off before complete */
    char abandoned_what[128];   /* the first of them */
    uint32_t after_reboot;      /* blocks after the completed transfer: not written */
    uint32_t first_after_reboot;/* file block index of the first of them */
    uint32_t wrapped;           /* blocks (the E10 one aside) wrapped onto a smaller chip */
    uint32_t wrap_from, wrap_to;/* the first of them: target and where it landed */
    int overlaps;               /* pages an earlier file wrote that this file rewrote */
    int erased_lost;            /* pages an earlier file wrote that this file erased, not rewrote */
    char family[64];            /* families seen, for the report */
} load_target;

/* Allocates the written-page maps for t (flash/sram set by the caller). */
int loader_target_init(load_target *t);
void loader_target_free(load_target *t);
/* Clears the per-file report fields before loading the next file. */
void loader_begin_file(load_target *t);

/* Loads a UF2 image from data[len]. 1 = ok; 0 = rejected, err says why. */
int uf2_load(const uint8_t *data, size_t len, load_target *t, char *err, size_t errlen);
/* Loads an ELF file's PT_LOAD segments (by physical address). */
int elf_load(const uint8_t *data, size_t len, load_target *t, char *err, size_t errlen);

/* Copies len bytes to bus address addr (flash or SRAM), as a debugger
 * would: no erase. 1 = ok. */
int loader_write(load_target *t, uint32_t addr, const uint8_t *src, uint32_t len, char *err,
                 size_t errlen);

/* What the ROM's UF2 download does to the flash chip, at byte offsets into
 * it: a 4 KB sector erase (to 0xFF), and a page program (NOR flash only
 * clears bits, so the page becomes old AND new). Both keep the page map. */
void loader_flash_erase_sector(load_target *t, uint32_t offset);
/* filler = the E10 workaround page: not counted as data written (a later
 * file's own E10 page or data over it is no loss worth a warning) */
void loader_flash_program_page(load_target *t, uint32_t offset, const uint8_t *src, int filler);
/* After a UF2 file: counts the earlier file's pages it erased and did not
 * rewrite (erased_lost) and lists their sectors (erased). */
void loader_account_erased(load_target *t);

/* 1 if any flash / SRAM byte was written by any file so far. */
int loader_has_flash(const load_target *t);
uint32_t loader_lowest_sram(const load_target *t);   /* 0 if none */

#endif
