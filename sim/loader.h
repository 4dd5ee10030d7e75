/* loader.h - puts firmware into the virtual board's memories before power-on:
 * UF2 files (as the RP2350 boot ROM's UF2 download writes them to flash or
 * SRAM) and ELF files (as a debugger loads them). Loaders work on memory
 * buffers so they can be tested without a board. */
#ifndef SIM_LOADER_H
#define SIM_LOADER_H

#include <stddef.h>
#include <stdint.h>

#define LOADER_XIP_BASE 0x10000000u
#define LOADER_SRAM_BASE 0x20000000u
#define LOADER_PAGE 256u

#define LOADER_MAX_RANGES 64

typedef struct {
    uint32_t start, end;        /* [start, end) bus addresses written */
} load_range;

/* Where loaded bytes go, and what was written (for reports and overlaps). */
typedef struct {
    uint8_t *flash;
    uint32_t flash_size;
    uint8_t *sram;
    uint32_t sram_size;
    uint8_t *flash_written;     /* one byte per 256-byte flash page */
    uint8_t *sram_written;      /* one byte per 256-byte SRAM page */
    load_range ranges[LOADER_MAX_RANGES];   /* of the last file loaded */
    int nranges;
    uint32_t blocks, skipped_e10, skipped_other;
    uint32_t bytes;
    int overlaps;               /* pages written again by this file */
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

/* Copies len bytes to bus address addr (flash or SRAM). 1 = ok. */
int loader_write(load_target *t, uint32_t addr, const uint8_t *src, uint32_t len, char *err,
                 size_t errlen);

/* 1 if any flash / SRAM byte was written by any file so far. */
int loader_has_flash(const load_target *t);
uint32_t loader_lowest_sram(const load_target *t);   /* 0 if none */

#endif
