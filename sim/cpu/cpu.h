/* cpu.h - one Cortex-M33 core of the virtual board: a Unicorn engine
 * (UC_CPU_ARM_CORTEX_M33, Thumb + M-class) sharing the board's memories with
 * the other core, run in slices of modelled clk_sys cycles.
 *
 * Cycle accounting uses a UC_HOOK_BLOCK per executed block (cost from
 * timing.c); no per-instruction hooks in the default path. Faults surface as:
 * unmapped access -> UC_ERR_*_UNMAPPED (precise PC from Unicorn), undefined
 * instruction -> UC_HOOK_INSN_INVALID, other exceptions -> UC_HOOK_INTR; WFE
 * and WFI end the core's slice (Unicorn stops on them).
 *
 * The functions are named core_*, not cpu_*: libunicorn exports QEMU's own
 * cpu_* symbols, and a same-named function here would interpose on them.
 */
#ifndef SIM_CPU_H
#define SIM_CPU_H

#include <stdint.h>
#include <unicorn/unicorn.h>

#include "timing.h"

typedef struct machine machine;
typedef struct sim_device sim_device;

typedef timing_flow core_flow;

/* one (core, device) pair: the user data of a Unicorn MMIO mapping */
typedef struct {
    machine *m;
    sim_device *dev;
    int core;
} cpu_port;

#define CPU_MAX_PORTS 72

typedef struct sim_core {
    machine *m;
    int id;
    uc_engine *uc;
    int running;            /* executes firmware (core 1: after the FIFO launch) */
    int halted_forever;     /* returned from its entry function etc. */
    uint64_t slice_budget;  /* cycles allowed in this slice */
    uint64_t slice_used;    /* cycles charged so far in this slice */
    uint64_t insns;         /* instructions executed since power-on */
    uint64_t cycles;        /* cycles charged since power-on */
    uint64_t idle_cycles;   /* cycles spent in WFE/WFI */
    uint32_t blk_start, blk_size;   /* block being executed */
    uint32_t prev_blk_start;  /* the block before it (fetch-fault messages) */
    int wfx_stop;           /* slice ended in WFE/WFI */
    int stop_requested;     /* the slice must end now (state change, stop) */
    int event_latch;        /* SEV from the other core */
    int precise;            /* per-instruction hook active (--trace-mmio) */
    uint32_t insn_pc;       /* address of the executing instruction when precise */
    const timing_block *last_charge;   /* the block charged last (precise mode) */
    uint32_t last_charge_cycles;       /* what that charge added */
    uint64_t stall_cycles;  /* cycles spent waiting for the XIP cache / QSPI since power-on */
    core_flow flow;         /* the previous block, for branch and result-delay costs */
    core_flow flow_before;  /* flow before the last charge (precise mode undoes it) */
    int32_t cur_func;       /* profiler: the function of the block being executed */
    cpu_port ports[CPU_MAX_PORTS];
    int nports;
} sim_core;

int core_init(sim_core *c, machine *m, int id);
void core_free(sim_core *c);
/* Maps ROM, SRAM and every bus device into this core's engine. */
int core_map_fixed(sim_core *c);

/* Runs until budget cycles are charged, a stop is requested, or WFE/WFI.
 * Returns 0 normally, -1 if the machine was stopped. */
int core_run_slice(sim_core *c, uint64_t budget);

uint32_t core_reg(sim_core *c, int reg);
void core_set_reg(sim_core *c, int reg, uint32_t v);
uint32_t core_pc(sim_core *c);
/* Resets the core's architectural state for a fresh boot. */
void core_reset(sim_core *c);

/* Best knowledge of the PC of the instruction doing the current access to
 * addr (exact in --trace-mmio mode; decoded from the current block
 * otherwise). *exact says which. */
uint32_t core_access_pc(sim_core *c, uint32_t addr, int is_write, int size, int *exact);

/* Asks the core's engine to stop at the next block boundary. */
void core_request_stop(sim_core *c);

/* Enables the per-instruction PC hook (for exact PCs in traces). */
void core_set_precise(sim_core *c, int on);

/* Invalidates translated code in [addr, addr+len) (after code changed). */
void core_flush_code(sim_core *c, uint32_t addr, uint32_t len);

/* The core waits cycles (XIP cache miss, QSPI transfer) in the middle of
 * its current block: time, the profile and the stall counters advance. */
void core_stall(sim_core *c, uint32_t cycles);

/* Unicorn's mappings changed (uc_mem_map*, uc_mmio_map, uc_mem_unmap,
 * uc_close): forget cached lookups (uc_memcache.c). */
void core_memory_changed(void);

/* 1 if data reads from the XIP windows reach the timing model without a
 * global read hook (uc_xipwatch.c), after the start-up check */
int core_xip_watch_works(void);

#endif
