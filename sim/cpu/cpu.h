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
 * Signals: in event (SEV from the other core: core_event_line); out sev.
 * Everything else the core reaches (the bus, the XIP block and cache, the
 * PPB, the boot ROM's native functions, the profiler, stopping the run)
 * comes in a core_env from the board.
 *
 * The functions are named core_*, not cpu_*: libunicorn exports QEMU's own
 * cpu_* symbols, and a same-named function here would interpose on them.
 */
#ifndef SIM_CPU_H
#define SIM_CPU_H

#include <stdint.h>
#include <unicorn/unicorn.h>

#include "bus.h"
#include "coproc.h"
#include "profile.h"
#include "signals.h"
#include "timing.h"
#include "xip_cache.h"

typedef struct sim_core sim_core;

typedef timing_flow core_flow;

/* What a core needs of the XIP block and its cache: the windows are mapped
 * into the core's engine by the XIP block, instruction fetches and data
 * reads from them go through the XIP cache. The cache's tags and
 * statistics are read in place (hits cost no call); misses, remaps and
 * faults are calls. */
typedef struct {
    void *ctx;
    const uint32_t *ctrl;          /* XIP_CTRL: is the cache on (xc_enabled) */
    xip_cache *cache;              /* tags (xc_lookup) and per-region statistics */
    /* the wait for an instruction fetch of the 8-byte line at addr / a data
     * read, both issued at cycle now (xc_fetch, xc_read) */
    uint32_t (*fetch)(void *ctx, int core, uint32_t line, uint64_t now);
    uint32_t (*read)(void *ctx, int core, uint32_t addr, int size, uint64_t now);
    /* a store hit a read-only window mapping: 1 if the XIP block handled it */
    int (*prot_write)(void *ctx, int core, uint32_t addr, int size, uint64_t value);
    /* window mappings to be rebuilt (a QMI/XIP change), and rebuilding them */
    int (*remap_pending)(void *ctx);
    void (*remap)(void *ctx);
    /* addr lies in a window mapped in core's engine now */
    int (*window_mapped)(void *ctx, int core, uint32_t addr);
    /* maps the XIP regions that never move into core's engine; 1 = ok */
    int (*map_fixed)(void *ctx, int core);
    /* why an access to addr faulted, if it is an XIP reason (else NULL) */
    const char *(*describe_fault)(void *ctx, uint32_t addr);
} core_xip_port;

/* The core's System Control Space registers it consults while executing,
 * kept by the PPB model: read in place (the FPU check is on every block
 * with a floating-point instruction). FPCCR and FPCAR are also written by
 * the core, as the hardware does when it reserves and fills a lazy FP
 * frame (cpu_exception.c). */
typedef struct {
    const uint32_t *cpacr;         /* this core's CPACR (coprocessor access) */
    uint32_t *fpccr, *fpcar;       /* its FP context control and address */
} core_ppb_port;

/* The core's NVIC (kept by the PPB model): which exception to take, and
 * what the core tells it when it enters and leaves one. */
typedef struct {
    void *ctx;
    const uint32_t *vtor;          /* this core's VTOR, read in place */
    /* something is pending and enabled (cheap: asked before every run) */
    int (*waiting)(void *ctx, int core);
    /* the exception to take now given the core's masks; 0 = none */
    int (*to_take)(void *ctx, int core, uint32_t primask, uint32_t basepri, uint32_t faultmask);
    void (*entered)(void *ctx, int core, int exc);
    void (*returned)(void *ctx, int core, int exc);
    /* pends a synchronous exception (SVCall, a fault); returns what was
     * pended (a disabled fault's handler escalates to HardFault) */
    int (*raise)(void *ctx, int core, int exc);
    /* exc beats the execution priority the masks and active exceptions set */
    int (*can_preempt)(void *ctx, int core, int exc, uint32_t primask, uint32_t basepri,
                       uint32_t faultmask);
    void (*unpend)(void *ctx, int core, int exc);
    /* records a fault's cause in CFSR (HFSR.FORCED when escalated; the
     * faulting address in BFAR when CFSR.BFARVALID) */
    void (*fault_status)(void *ctx, int core, uint32_t cfsr, int forced, uint32_t bfar);
} core_nvic_port;

/* The boot ROM's functions the simulator runs natively: a block starting in
 * [start, end) calls run (bootrom.c). */
typedef struct {
    void *ctx;
    uint32_t start, end;
    void (*run)(void *ctx, sim_core *c, uint32_t addr);
} core_rom_natives;

/* Everything a core reaches outside itself, given to core_init by the board
 * (wiring.c) and kept by value in the core. */
typedef struct {
    const board_services *svc;     /* stopping the run */
    const int *stopped;            /* the board's STOP_* (non-zero: the run is over) */
    sim_bus *bus;                  /* ROM, SRAM and the devices to map; access names */
    timing_cache *tcache;          /* block costs, shared by the cores */
    profiler *prof;                /* --profile */
    core_xip_port xip;
    core_ppb_port ppb;
    core_nvic_port nvic;
    core_rom_natives rom;
} core_env;

/* one (core, device) pair: the user data of a Unicorn MMIO mapping */
typedef struct {
    sim_bus *bus;
    sim_device *dev;
    int core;
} core_mmio_port;

#define CPU_MAX_PORTS 72

#define CORE_EVENTS 64   /* the SDK's spin_unlock sends one each: room for bursts */

struct sim_core {
    core_env env;
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
    /* SEVs from the other core (input: core_event_line) no WFE has taken
     * yet: when each came, on the cores' common clock, in order (the other
     * core may run ahead: a WFE sleeps until the first of them) */
    uint64_t event_at[CORE_EVENTS];
    int events;
    int asleep;             /* the slice ended in WFE/WFI with nothing to wake the core:
                               the scheduler says until when (core_sleep_until) */
    sim_signal sev;         /* output: this core executed SEV (to the other core) */
    int precise;            /* per-instruction hook active (--trace-mmio) */
    uint32_t insn_pc;       /* address of the executing instruction when precise */
    const timing_block *last_charge;   /* the block charged last (precise mode) */
    uint32_t last_charge_cycles;       /* what that charge added */
    uint64_t stall_cycles;  /* cycles spent waiting for the XIP cache / QSPI since power-on */
    core_flow flow;         /* the previous block, for branch and result-delay costs */
    core_flow flow_before;  /* flow before the last charge (precise mode undoes it) */
    int32_t cur_func;       /* profiler: the function of the block being executed */
    core_mmio_port ports[CPU_MAX_PORTS];
    int nports;
    coproc cop;             /* the RP2350's coprocessors seen by this core (DCP) */
    int in_fault;           /* a fault handler runs (its `b .` is watched for) */
    int unmasked;           /* the last block may have lowered the masks */
    char fault_report[320]; /* what the simulator reports if the fault ends in lockup */
    sim_signal locked_up;   /* output: the core locked up (fault_report says why) */
    int strict_access;      /* a bad access stops the run instead of raising BusFault */
    int bus_fault_pending;  /* a bad access met in the middle of a run (core_bus_fault) */
    /* an FP instruction that needs the core first (CPACR does not grant
     * it: NOCP; or a lazily reserved FP frame is to be filled), found by
     * the block hook: the instructions before it in the block starting at
     * fp_block run first, then the core acts at fp_stop_pc */
    uint32_t fp_stop_pc, fp_block;
    uint32_t bus_fault_pc, bus_fault_addr;
    /* a store into the read-only boot ROM: the engine performs it after the
     * protection hook, so the bytes it overwrote are put back at the next
     * block (the ROM ignores writes) */
    uint32_t rom_undo_addr;
    int rom_undo_size;
    uint8_t rom_undo[8];
};

int core_init(sim_core *c, int id, const core_env *env);
void core_free(sim_core *c);
/* Maps ROM, SRAM and every bus device into this core's engine. */
int core_map_fixed(sim_core *c);

/* Runs until budget cycles are charged, a stop is requested, or WFE/WFI.
 * Returns 0 normally, -1 if the machine was stopped. A WFE/WFI with
 * nothing to wake the core ends the slice with c->asleep set and the rest
 * of the budget unspent: how long the core sleeps depends on the other
 * core, which the scheduler runs next (core_sleep_until). */
int core_run_slice(sim_core *c, uint64_t budget);
/* An asleep core's time passes, idle, until cycle t (if later). */
void core_sleep_until(sim_core *c, uint64_t t);
/* The events that came by cycle t are taken, as the WFE they wake does
 * (it clears the one event register, however many events set it). */
void core_take_events(sim_core *c, uint64_t t);

uint32_t core_reg(sim_core *c, int reg);
void core_set_reg(sim_core *c, int reg, uint32_t v);
uint32_t core_pc(sim_core *c);
/* Resets the core's architectural state for a fresh boot. */
void core_reset(sim_core *c);

/* --- exceptions (cpu_exception.c; Armv8-M ARM B3.17-B3.20) --- */
/* Enters the exception the NVIC says this core takes now, if any (at an
 * instruction boundary, outside the engine's run); 1 = entered, -1 = the
 * entry failed and the run stopped. */
int core_take_exception(sim_core *c);
/* SVC executed (the engine reported it after the instruction): SVCall is
 * pended and taken. */
int core_supervisor_call(sim_core *c);
/* A branch to an EXC_RETURN value in handler mode: unstacks and returns,
 * then tail-chains to whatever is pending. */
int core_exception_return(sim_core *c, uint32_t exc_return);

/* B3.22: the handler's first FP instruction while FPCCR.LSPACT is set:
 * the FP state goes to the frame space FPCAR names, LSPACT clears.
 * 1 = done, 0 = the space could not be written (the run stopped). */
int core_fill_lazy_fp_state(sim_core *c);
/* A synchronous fault at return_pc (the faulting instruction): taken by the
 * firmware's handler as on silicon (exc = EXC_USAGEFAULT/EXC_HARDFAULT,
 * cfsr = its CFSR cause bits). report is what the simulator says if it ends
 * in lockup: a fault the core cannot take (in HardFault or NMI already),
 * or a fault handler that loops forever. 1 = the handler runs. */
int core_fault(sim_core *c, int exc, uint32_t cfsr, uint32_t return_pc, const char *report);
/* A bad access by the running core (a hole on the bus, an unmapped XIP
 * address): a precise BusFault for the instruction at pc, taken when the
 * engine has stopped; report as for core_fault. */
void core_bus_fault(sim_core *c, uint32_t addr, uint32_t pc, const char *report);
/* The core stops for good (architectural lockup): it raises locked_up. */
void core_lockup(sim_core *c, const char *why);

/* Best knowledge of the PC of the instruction doing the current access to
 * addr (exact in --trace-mmio mode; decoded from the current block
 * otherwise). *exact says which. */
uint32_t core_access_pc(sim_core *c, uint32_t addr, int is_write, int size, int *exact);

/* Asks the core's engine to stop at the next block boundary. */
void core_request_stop(sim_core *c);

/* Input: the other core executed SEV (a signal_handler; ctx = the core). */
void core_event_line(void *core, int n, uint32_t value);

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
