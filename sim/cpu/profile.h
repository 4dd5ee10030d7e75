/* profile.h - the cycle profiler (--profile): modelled clk_sys cycles per
 * function (the firmware ELF's symbols, read with libelf), per function
 * class, each split by core, and per memory region with the XIP cache and QSPI traffic, printed
 * sorted like `perf report`. Cycles are attributed when a block is charged
 * (its instructions, branch and result-delay costs, instruction-fetch
 * misses) and when a data access waits for the XIP cache / QSPI bus. */
#ifndef SIM_PROFILE_H
#define SIM_PROFILE_H

#include <stdint.h>
#include <stdio.h>

#include "xip_cache.h"

/* buckets after the symbols: code outside any symbol, by region, and idle */
enum { PROF_NOSYM_ROM = 0, PROF_NOSYM_SRAM, PROF_NOSYM_FLASH, PROF_NOSYM_PSRAM, PROF_NOSYM_XIPSRAM,
       PROF_NOSYM_OTHER, PROF_IDLE, PROF_EXTRA };

typedef struct {
    uint32_t addr, size;
    char *name;
} prof_sym;

typedef struct {
    int on;
    prof_sym *syms;
    int nsyms;
    uint64_t *cycles, *stall, *insns;   /* nsyms + PROF_EXTRA entries */
    uint64_t *core_cycles[2];           /* the same cycles split by the core that ran them */
    uint64_t start_cycles[2];           /* each core's cycles at the last reset */
    uint64_t start_ps;
    char elf[1024];
} profiler;

/* Loads the symbols of elf_path (NULL: none). Returns 0 with a message in
 * err on failure. */
int prof_init(profiler *p, const char *elf_path, char *err, size_t errlen);
void prof_free(profiler *p);
/* the entry (symbol index or PROF_* bucket after them) for code at addr */
int32_t prof_func_of(const profiler *p, uint32_t addr);
/* Starts counting from now: each core's cycles and the modelled time (ps)
 * now. (The board zeroes the XIP statistics with it.) */
void prof_restart(profiler *p, const uint64_t core_cycles[2], uint64_t now_ps);

/* What the report shows of the board besides the profile itself. */
typedef struct {
    uint64_t now_ps;                  /* modelled time now */
    uint64_t f_sys;                   /* clk_sys, Hz */
    const xc_region_stats *regions;   /* XR_COUNT entries: the XIP cache statistics */
} prof_board_view;

/* The report. */
void prof_report(const profiler *p, const prof_board_view *board, FILE *f);
/* The class a function belongs to (the table in profile.c). */
const char *prof_class_of(const char *name);

static inline void prof_add(profiler *p, int core, int32_t f, uint64_t cycles, uint64_t stall,
                            uint64_t insns)
{
    p->cycles[f] += cycles;
    p->core_cycles[core][f] += cycles;
    p->stall[f] += stall;
    p->insns[f] += insns;
}

#endif
