/* cpu_exception.c - a core entering and leaving exceptions, as the
 * Armv8-M ARM describes it (B3.17 exception entry, B3.18 stack frames,
 * B3.19 EXC_RETURN, B3.20 exception return). Unicorn runs the handlers but
 * keeps no NVIC: the PPB model decides which exception is taken (NVIC
 * priorities and masks), this file does what the hardware does around it:
 * push the frame on the stack the interrupted code used (the extended frame
 * when CONTROL.FPCA says the FPU is in use: S0-S15 and FPSCR written at once,
 * or with FPCCR.LSPEN only reserved, FPCAR pointing at the space and
 * FPCCR.LSPACT set, and filled when the handler first uses the FPU, B3.22),
 * enter handler mode on MSP with EXC_RETURN in LR, and undo it on return.
 * The engine reports a return as its EXCEPTION_EXIT event (a branch to
 * 0xFFFFFFxx in handler mode) and an SVC as its SWI event. */
#include "cpu.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "regs/ppb.h"

#define EXC_RETURN_PREFIX 0xFFFFFF80u
#define EXC_RETURN_S (1u << 6)        /* the frame is on a Secure stack */
#define EXC_RETURN_DCRS (1u << 5)     /* default callee register stacking */
#define EXC_RETURN_FTYPE (1u << 4)    /* 1: basic frame, 0: with FP state */
#define EXC_RETURN_MODE (1u << 3)     /* 1: return to Thread mode */
#define EXC_RETURN_SPSEL (1u << 2)    /* 1: the frame is on PSP */
#define EXC_RETURN_ES (1u << 0)       /* Secure exception */
#define CONTROL_NPRIV (1u << 0)
#define CONTROL_SPSEL (1u << 1)
#define CONTROL_FPCA (1u << 2)
#define XPSR_T (1u << 24)
#define XPSR_FRAME_ALIGN (1u << 9)    /* the stacker added 4 bytes to align to 8 */
#define BASIC_FRAME_WORDS 8
#define FP_FRAME_WORDS 18             /* S0-S15, FPSCR, reserved */

/* cycles the hardware spends stacking and fetching the vector / unstacking
 * (Cortex-M33 TRM: 12-cycle interrupt latency; the return is taken as the
 * same, UNVERIFIED) */
#define ENTRY_CYCLES 12
#define RETURN_CYCLES 12
/* the FP state's 17 words: one cycle each, whether stacked at entry or
 * when a lazily reserved frame is filled (UNVERIFIED) */
#define FP_STATE_CYCLES 17

static const int frame_regs[] = {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3,
                                 UC_ARM_REG_R12, UC_ARM_REG_LR};

static int stack_rw(sim_core *c, uint32_t addr, uint32_t *words, int n, int write)
{
    uc_err e = write ? uc_mem_write(c->uc, addr, words, (size_t)n * 4)
                     : uc_mem_read(c->uc, addr, words, (size_t)n * 4);
    if (e == UC_ERR_OK) return 1;
    svc_stop(c->env.svc, STOP_FAULT, SIM_EXIT_FAULT,
             "lockup: exception %s on core %d could not %s the stack frame at 0x%08x (%s)",
             write ? "entry" : "return", c->id, write ? "push" : "pop", addr, uc_strerror(e));
    return 0;
}

static void fp_state(sim_core *c, uint32_t *w, int write)
{
    for (int i = 0; i < 16; i++) {
        if (write) core_set_reg(c, UC_ARM_REG_S0 + i, w[i]);
        else w[i] = core_reg(c, UC_ARM_REG_S0 + i);
    }
    if (write) core_set_reg(c, UC_ARM_REG_FPSCR, w[16]);
    else w[16] = core_reg(c, UC_ARM_REG_FPSCR);
    if (!write) w[17] = 0;
}

static void charge(sim_core *c, uint32_t cycles) { c->slice_used += cycles; }

/* B3.22: the FP frame is only reserved when FPCCR.LSPEN is set */
static int lazy_fp(const sim_core *c)
{
    return c->env.ppb.fpccr && (*c->env.ppb.fpccr & FPCCR_LSPEN);
}

/* reserve the FP part of the frame at fp_area: FPCAR points at it, LSPACT
 * says it is still to be filled, THREAD/USER/HFRDY record the context
 * (the other fault-ready bits are left clear: not modelled) */
static void reserve_fp_state(sim_core *c, uint32_t fp_area, int thread)
{
    uint32_t control = core_reg(c, UC_ARM_REG_CONTROL);
    *c->env.ppb.fpcar = fp_area;
    *c->env.ppb.fpccr = (*c->env.ppb.fpccr & ~(FPCCR_THREAD | FPCCR_USER | FPCCR_HFRDY)) |
                        FPCCR_LSPACT | FPCCR_HFRDY | (thread ? FPCCR_THREAD : 0) |
                        (thread && (control & CONTROL_NPRIV) ? FPCCR_USER : 0);
}

int core_fill_lazy_fp_state(sim_core *c)
{
    uint32_t w[FP_FRAME_WORDS];
    fp_state(c, w, 0);
    *c->env.ppb.fpccr &= ~FPCCR_LSPACT;
    charge(c, FP_STATE_CYCLES);
    return stack_rw(c, *c->env.ppb.fpcar, w, FP_FRAME_WORDS, 1);
}

/* B3.17: stack the context, enter handler mode, branch to the vector */
static int enter(sim_core *c, int exc, uint32_t return_address)
{
    const core_nvic_port *nvic = &c->env.nvic;
    uint32_t control = core_reg(c, UC_ARM_REG_CONTROL);
    uint32_t xpsr = core_reg(c, UC_ARM_REG_XPSR);
    int thread = (core_reg(c, UC_ARM_REG_IPSR) & 0x1FF) == 0;
    int on_psp = thread && (control & CONTROL_SPSEL);
    int fp = (control & CONTROL_FPCA) != 0;
    int lazy = fp && lazy_fp(c);
    int sp_reg = on_psp ? UC_ARM_REG_PSP : UC_ARM_REG_MSP;
    uint32_t sp = core_reg(c, sp_reg);

    uint32_t frame[BASIC_FRAME_WORDS + FP_FRAME_WORDS];
    int words = BASIC_FRAME_WORDS + (fp ? FP_FRAME_WORDS : 0);
    uint32_t align = sp & 4;
    uint32_t frame_sp = (sp - (uint32_t)words * 4) & ~7u;
    for (int i = 0; i < 6; i++) frame[i] = core_reg(c, frame_regs[i]);
    frame[6] = return_address;
    frame[7] = (xpsr & ~XPSR_FRAME_ALIGN) | (align ? XPSR_FRAME_ALIGN : 0);
    if (fp && !lazy) fp_state(c, frame + BASIC_FRAME_WORDS, 0);
    if (!stack_rw(c, frame_sp, frame, lazy ? BASIC_FRAME_WORDS : words, 1)) return -1;
    if (lazy) reserve_fp_state(c, frame_sp + BASIC_FRAME_WORDS * 4, thread);

    uint32_t vector;
    if (!stack_rw(c, *nvic->vtor + 4u * (uint32_t)exc, &vector, 1, 0)) return -1;
    if (!(vector & 1)) {
        svc_stop(c->env.svc, STOP_FAULT, SIM_EXIT_FAULT,
                 "HardFault: vector %d at 0x%08x is 0x%08x, not a Thumb address (INVSTATE on "
                 "exception entry, core %d)", exc, *nvic->vtor + 4u * (uint32_t)exc, vector, c->id);
        return -1;
    }
    core_set_reg(c, sp_reg, frame_sp);
    /* handler mode runs on MSP with the FP context closed: leave PSP while
     * still in Thread mode (the engine swaps the stack pointers then) */
    core_set_reg(c, UC_ARM_REG_CONTROL, control & ~(CONTROL_SPSEL | CONTROL_FPCA));
    core_set_reg(c, UC_ARM_REG_XPSR, XPSR_T | (uint32_t)exc);
    core_set_reg(c, UC_ARM_REG_LR, EXC_RETURN_PREFIX | EXC_RETURN_S | EXC_RETURN_DCRS |
                                       (fp ? 0 : EXC_RETURN_FTYPE) | (thread ? EXC_RETURN_MODE : 0) |
                                       (on_psp ? EXC_RETURN_SPSEL : 0) | EXC_RETURN_ES);
    core_set_reg(c, UC_ARM_REG_PC, vector);
    nvic->entered(nvic->ctx, c->id, exc);
    charge(c, ENTRY_CYCLES + (fp && !lazy ? FP_STATE_CYCLES : 0));
    return 1;
}

int core_take_exception(sim_core *c)
{
    const core_nvic_port *nvic = &c->env.nvic;
    if (!nvic->waiting || !nvic->waiting(nvic->ctx, c->id)) return 0;
    int exc = nvic->to_take(nvic->ctx, c->id, core_reg(c, UC_ARM_REG_PRIMASK),
                            core_reg(c, UC_ARM_REG_BASEPRI), core_reg(c, UC_ARM_REG_FAULTMASK));
    if (!exc) return 0;
    return enter(c, exc, core_pc(c));
}

int core_supervisor_call(sim_core *c)
{
    const core_nvic_port *nvic = &c->env.nvic;
    nvic->raise(nvic->ctx, c->id, EXC_SVCALL);
    int r = core_take_exception(c);
    if (r == 0)   /* an SVC that cannot be taken at once escalates (B3.9.3) */
        svc_stop(c->env.svc, STOP_FAULT, SIM_EXIT_FAULT,
                 "HardFault: PC=0x%08x SVC executed where SVCall cannot preempt (core %d)",
                 core_pc(c) - 2, c->id);
    return r > 0 ? 1 : -1;
}

void core_lockup(sim_core *c, const char *why)
{
    if (why && why != c->fault_report)
        snprintf(c->fault_report, sizeof(c->fault_report), "%s", why);
    c->halted_forever = 1;
    c->in_fault = 0;
    core_request_stop(c);
    signal_set(&c->locked_up, 1);
}

int core_fault(sim_core *c, int exc, uint32_t cfsr, uint32_t return_pc, const char *report)
{
    const core_nvic_port *nvic = &c->env.nvic;
    int current = (int)(core_reg(c, UC_ARM_REG_IPSR) & 0x1FF);
    if (current == EXC_HARDFAULT || current == EXC_NMI) {   /* B3.11: lockup */
        char why[sizeof(c->fault_report) + 80];
        snprintf(why, sizeof(why), "%s%s", c->in_fault ? c->fault_report : report,
                 c->in_fault ? "; then a fault in the fault handler: lockup" :
                               " (in the HardFault handler: lockup)");
        core_lockup(c, why);
        return 0;
    }
    if (!nvic->raise) {   /* a core without an NVIC (unit tests): nothing can take it */
        core_lockup(c, report);
        return 0;
    }
    uint32_t primask = core_reg(c, UC_ARM_REG_PRIMASK), basepri = core_reg(c, UC_ARM_REG_BASEPRI),
             faultmask = core_reg(c, UC_ARM_REG_FAULTMASK);
    snprintf(c->fault_report, sizeof(c->fault_report), "%s", report);
    /* B3.9.3: a fault whose handler is disabled or cannot preempt escalates
     * to HardFault; one HardFault cannot preempt either is a lockup */
    int target = nvic->raise(nvic->ctx, c->id, exc);
    if (target != EXC_HARDFAULT &&
        !nvic->can_preempt(nvic->ctx, c->id, target, primask, basepri, faultmask)) {
        nvic->unpend(nvic->ctx, c->id, target);
        target = nvic->raise(nvic->ctx, c->id, EXC_HARDFAULT);
    }
    if (!nvic->can_preempt(nvic->ctx, c->id, target, primask, basepri, faultmask)) {
        nvic->unpend(nvic->ctx, c->id, target);
        core_lockup(c, report);
        return 0;
    }
    nvic->fault_status(nvic->ctx, c->id, cfsr, target != exc, c->bus_fault_addr);
    if (enter(c, target, return_pc) < 0) return 0;
    c->in_fault = 1;
    return 1;
}

void core_bus_fault(sim_core *c, uint32_t addr, uint32_t pc, const char *report)
{
    snprintf(c->fault_report, sizeof(c->fault_report), "%s", report);
    c->bus_fault_pending = 1;
    c->bus_fault_pc = pc;
    c->bus_fault_addr = addr;
    core_request_stop(c);
    uc_emu_stop(c->uc);
}

/* B3.20: unstack the frame EXC_RETURN names, back to the interrupted mode */
int core_exception_return(sim_core *c, uint32_t exc_return)
{
    const core_nvic_port *nvic = &c->env.nvic;
    int exc = (int)(core_reg(c, UC_ARM_REG_IPSR) & 0x1FF);
    int thread = (exc_return & EXC_RETURN_MODE) != 0;
    int on_psp = thread && (exc_return & EXC_RETURN_SPSEL);
    int fp = !(exc_return & EXC_RETURN_FTYPE);
    int sp_reg = on_psp ? UC_ARM_REG_PSP : UC_ARM_REG_MSP;
    uint32_t sp = core_reg(c, sp_reg);

    uint32_t frame[BASIC_FRAME_WORDS + FP_FRAME_WORDS];
    int words = BASIC_FRAME_WORDS + (fp ? FP_FRAME_WORDS : 0);
    if (!stack_rw(c, sp, frame, words, 0)) return -1;
    nvic->returned(nvic->ctx, c->id, exc);
    if (exc >= EXC_MEMMANAGE && exc <= EXC_SECUREFAULT) c->in_fault = 0;
    if (exc == EXC_HARDFAULT) c->in_fault = 0;

    uint32_t xpsr = frame[7];
    core_set_reg(c, sp_reg, sp + (uint32_t)words * 4 + ((xpsr & XPSR_FRAME_ALIGN) ? 4 : 0));
    for (int i = 0; i < 6; i++) core_set_reg(c, frame_regs[i], frame[i]);
    if (fp && c->env.ppb.fpccr && (*c->env.ppb.fpccr & FPCCR_LSPACT))
        *c->env.ppb.fpccr &= ~FPCCR_LSPACT;   /* never filled: the registers still hold it */
    else if (fp)
        fp_state(c, frame + BASIC_FRAME_WORDS, 1);
    if (exc != EXC_NMI) core_set_reg(c, UC_ARM_REG_FAULTMASK, 0);   /* B3.20 DeActivate() */
    core_set_reg(c, UC_ARM_REG_XPSR, xpsr & ~XPSR_FRAME_ALIGN);
    core_set_reg(c, UC_ARM_REG_XPSR_NZCVQG, xpsr);   /* the XPSR write leaves GE out */
    uint32_t control = core_reg(c, UC_ARM_REG_CONTROL) & ~(CONTROL_SPSEL | CONTROL_FPCA);
    core_set_reg(c, UC_ARM_REG_CONTROL, control | (on_psp ? CONTROL_SPSEL : 0) | (fp ? CONTROL_FPCA : 0));
    /* a stacked T of 0 returns to ARM state: the next instruction raises
     * INVSTATE (checked before each run, cpu.c) */
    core_set_reg(c, UC_ARM_REG_PC, frame[6] | ((xpsr & XPSR_T) ? 1 : 0));
    charge(c, RETURN_CYCLES);
    return core_take_exception(c) < 0 ? -1 : 1;   /* tail-chaining */
}
