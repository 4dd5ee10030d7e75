/* timing.h - the instruction cost model: how many clk_sys cycles a block of
 * guest code costs, from the RP2350 datasheet's Cortex-M33 execution timing
 * (section 3.7.4.9), in ONE place (timing.c, the cost table there names the
 * datasheet rule each row implements), plus the per-block facts the CPU
 * loop needs (instructions, floating-point / WFE / SEV inside).
 *
 * A block is decoded once with capstone and cached (direct-mapped by
 * address). Its static cost assumes the block is entered sequentially, its
 * final branch is not taken and every memory access is single-cycle (SRAM,
 * ROM, XIP cache hit). What depends on how the block runs is applied by the
 * CPU loop (cpu.c) from the small per-block facts below:
 *   - the final branch taken: taken_extra (2 + L - (K&F) instead of 1 - F)
 *     plus U when the target is a 32-bit instruction at a halfword address;
 *   - entered by a taken branch: the fold of the final branch may be lost
 *     (its PrevInst was branched to and is not word-aligned);
 *   - result delays still pending at the block's end against the first uses
 *     in the next block (exit / entry lists, FPU occupancy);
 *   - XIP cache and QSPI time (xip_cache.c).
 */
#ifndef SIM_TIMING_H
#define SIM_TIMING_H

#include <stddef.h>
#include <stdint.h>

/* flags of a block */
#define TB_HAS_FP 0x01    /* contains a floating-point (coprocessor 10/11) instruction */
#define TB_HAS_SEV 0x02   /* contains SEV */
#define TB_UNMASKS 0x04   /* contains CPSIE or an MSR to PRIMASK/BASEPRI/FAULTMASK */
#define TB_BRANCH 0x08    /* last instruction can change the PC */
#define TB_U_OK 0x10      /* U may apply to the final branch (PrevInst not PUSH/POP) */
#define TB_WIDE_UNALIGNED 0x20  /* first instruction is 32-bit at a non-word-aligned address */
#define TB_XIP 0x40       /* the code is in an XIP window: fetches go through the XIP cache */

#define TB_MAX_EXIT 4     /* pending result delays kept at a block's end */
#define TB_MAX_ENTRY 6    /* early register uses kept at a block's start */

/* What the next block needs to know about the one before it: a block's
 * own copy is what it leaves behind when entered sequentially. */
typedef struct {
    uint32_t end;         /* address after the block */
    uint16_t flags;       /* its TB_* flags */
    uint8_t taken_extra;  /* added if its final branch turns out taken */
    uint8_t fpu_tail;     /* FPU still busy this many cycles after the block */
    uint8_t n_exit;       /* result delays still pending at the block's end: */
    uint8_t exit_reg[TB_MAX_EXIT], exit_left[TB_MAX_EXIT];
} timing_flow;

typedef struct {
    uint32_t addr;        /* guest address of the first instruction */
    uint32_t size;        /* bytes */
    uint32_t insns;       /* instructions */
    uint32_t cycles;      /* static cost (see above) */
    uint16_t flags;       /* TB_* */
    uint16_t fp_offset;   /* byte offset of the first FP instruction */
    timing_flow flow;     /* taken_extra: final branch taken instead of not taken */
    uint8_t taken_extra_br;  /* the same when the block was entered by a taken branch */
    uint8_t entry_br_extra;  /* entered by a taken branch: the final branch loses its fold */
    uint8_t entry_fpu;    /* issue offset of the first FPU instruction (255: none) */
    uint8_t n_entry;
    uint8_t region;       /* XR_* of the code (xip_cache.h) */
    uint8_t lines;        /* 8-byte lines the block's code spans */
    uint8_t entry_reg[TB_MAX_ENTRY], entry_off[TB_MAX_ENTRY];
    int32_t func;         /* profiler: symbol index, -1 unknown, -2 not looked up yet */
} timing_block;

/* Reads guest code bytes for the cost function (returns 0 if unreadable). */
typedef int (*timing_fetch_fn)(void *ctx, uint32_t addr, void *buf, size_t len);

#define TIMING_CACHE_BITS 16

typedef struct {
    timing_block *slots;  /* direct-mapped by address */
    uint64_t misses;
} timing_cache;

void timing_cache_init(timing_cache *c);
void timing_cache_free(timing_cache *c);
/* Forgets every block (after guest code changed, e.g. flash reprogrammed). */
void timing_cache_flush(timing_cache *c);

/* The cost of the block at addr (size bytes of Thumb code): fills b. */
void timing_block_cycles(const uint8_t *code, uint32_t addr, uint32_t size, timing_block *b);

/* One row of the cost table, for documentation and tests. */
typedef struct {
    const char *name;     /* instructions of the class */
    uint8_t core;         /* cycles the integer pipeline is busy issuing it */
    uint8_t latency;      /* cycles from issue until its result can be used */
    uint8_t fpu;          /* cycles the FPU is occupied (0: does not use the FPU) */
    uint8_t acc_need;     /* the accumulate operand is needed this many cycles after issue */
    const char *rule;     /* the datasheet rule (3.7.4.9.x) or the assumption made */
} timing_cost_row;

extern const timing_cost_row timing_cost_table[];
extern const int timing_cost_rows;
/* SDIV/UDIV: 4 + n/4 with n operand-dependent; the model assumes this n */
#define TIMING_DIV_ASSUMED_N 16

/* Fills slot with the block at addr (the miss path of timing_lookup). */
const timing_block *timing_fill(timing_cache *c, timing_block *slot, uint32_t addr, uint32_t size,
                                timing_fetch_fn fetch, void *ctx);

/* Cached lookup; computes the block on a miss using fetch. */
static inline const timing_block *timing_lookup(timing_cache *c, uint32_t addr, uint32_t size,
                                                timing_fetch_fn fetch, void *ctx)
{
    timing_block *slot = &c->slots[(addr >> 1) & ((1u << TIMING_CACHE_BITS) - 1)];
    if (slot->addr == addr && slot->size == size) return slot;
    return timing_fill(c, slot, addr, size, fetch, ctx);
}

/* Length in bytes of the Thumb instruction whose first halfword is hw. */
static inline int thumb_insn_len(uint16_t hw)
{
    return (hw >> 11) >= 0x1D ? 4 : 2;
}

#endif
