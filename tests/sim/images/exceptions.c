/* exceptions.c - test image: exception entry and return as the Armv8-M ARM
 * and the RP2350's NVIC define them: a TIMER0 alarm interrupt waking WFI,
 * SVC with the stacked frame, PendSV from ICSR, PRIMASK holding an
 * interrupt back, a higher-priority interrupt preempting a lower one, the
 * FP context kept across a handler that uses the FPU, SysTick ticks, and a
 * fault in an interrupt handler of the fault's own priority escalating to
 * HardFault, and a return whose stacked xPSR has T clear raising INVSTATE. */
#include "hw.h"

#define NVIC_ISER0 0xE000E100u
#define NVIC_ISPR0 0xE000E200u
#define NVIC_IPR0 0xE000E400u
#define SCB_ICSR 0xE000ED04u
#define SCB_VTOR 0xE000ED08u
#define SCB_SHPR3 0xE000ED20u
#define SCB_SHCSR 0xE000ED24u
#define SCB_CFSR 0xE000ED28u
#define SCB_HFSR 0xE000ED2Cu
#define SYST_CSR 0xE000E010u
#define SYST_RVR 0xE000E014u
#define SYST_CVR 0xE000E018u
#define TIMER_ALARM0 (TIMER0_BASE + 0x10)
#define TIMER_INTR (TIMER0_BASE + 0x3C)
#define TIMER_INTE (TIMER0_BASE + 0x40)

static void (*vectors[16 + 52])(void) __attribute__((aligned(512)));
static volatile uint32_t timer_hits, pendsv_hits, systick_hits, svc_number;
static volatile uint64_t timer_at;
static char order[8];
static volatile int order_len;

static void timer0_irq_0(void)
{
    REG(TIMER_INTR) = 1;
    timer_at = time_us();
    timer_hits++;
}

/* SVC: the stacked r0 (frame word 0) becomes the SVC number + r0 */
static void __attribute__((naked)) svc_handler(void)
{
    __asm volatile("mrs r0, msp\n"
                   "ldr r1, [r0, #24]\n"      /* stacked return address */
                   "ldrb r1, [r1, #-2]\n"     /* the SVC's immediate */
                   "ldr r2, [r0]\n"
                   "add r2, r2, r1\n"
                   "str r2, [r0]\n"
                   "bx lr\n");
}

static void pendsv_handler(void) { pendsv_hits++; }
static void systick_handler(void) { systick_hits++; }

/* IRQ 1 (low priority) pends IRQ 2 (high priority), which runs at once */
static void irq_high(void) { order[order_len++] = 'H'; }
static void irq_low(void)
{
    order[order_len++] = 'L';
    REG(NVIC_ISPR0) = 1u << 2;
    __asm volatile("dsb; isb");   /* the pend takes effect before what follows */
    order[order_len++] = 'l';
}

/* UsageFault (enabled, priority 0) cannot preempt an IRQ handler of
 * priority 0: the UDF escalates to HardFault (HFSR.FORCED), whose handler
 * steps over it (stacked PC + 2) */
static volatile uint32_t hardfault_cfsr, hardfault_hfsr, usagefault_hits;
static void irq_udf(void) { __asm volatile("udf #1"); }

/* PendSV clearing T in its stacked xPSR: the return lands in ARM state and
 * the next instruction raises a UsageFault INVSTATE, whose handler records
 * CFSR and sets T again in its own frame so the instruction runs */
static volatile uint32_t invstate_cfsr;
static void __attribute__((naked)) pendsv_clear_t(void)
{
    __asm volatile("mrs r0, msp\n"
                   "ldr r1, [r0, #28]\n"
                   "bic r1, r1, #0x01000000\n"
                   "str r1, [r0, #28]\n"
                   "bx lr\n");
}
__attribute__((used)) void usagefault_set_t(uint32_t *frame)
{
    invstate_cfsr = REG(SCB_CFSR);
    REG(SCB_CFSR) = invstate_cfsr;
    frame[7] |= 1u << 24;
}
static void __attribute__((naked)) usagefault_invstate(void)
{
    __asm volatile("mrs r0, msp\n"
                   "push {r0, lr}\n"
                   "bl usagefault_set_t\n"
                   "pop {r0, pc}\n");
}
static void usagefault_handler(void) { usagefault_hits++; }
__attribute__((used)) void hardfault_step_over(uint32_t *frame)
{
    hardfault_cfsr = REG(SCB_CFSR);
    hardfault_hfsr = REG(SCB_HFSR);
    REG(SCB_CFSR) = hardfault_cfsr;
    REG(SCB_HFSR) = hardfault_hfsr;
    frame[6] += 2;
}
static void __attribute__((naked)) hardfault_handler(void)
{
    __asm volatile("mrs r0, msp\n"
                   "push {r0, lr}\n"
                   "bl hardfault_step_over\n"
                   "pop {r0, pc}\n");
}

/* uses the FPU inside a handler: s0 of the interrupted code must survive.
 * FPCCR.LSPEN is set from reset, so the FP part of the frame is only
 * reserved at entry and filled at the handler's first FP instruction: what
 * FPCCR, FPCAR and the space say before and after is recorded. */
#define FPCCR 0xE000EF34u
#define FPCAR 0xE000EF38u
#define FPCCR_LSPACT 1u
static volatile float handler_result;
static volatile uint32_t fpccr_before, fpccr_after, fpcar_seen, fp_area_s0;
static void irq_fpu(void)
{
    fpccr_before = REG(FPCCR);
    volatile float x = 3.0f;
    handler_result = x * 7.0f;
    fpccr_after = REG(FPCCR);
    fpcar_seen = REG(FPCAR);
    fp_area_s0 = REG(fpcar_seen);
}

/* no FP instruction: the space stays as it was (here: what irq_fpu left) */
static volatile uint32_t nofp_fpccr, nofp_fpcar, nofp_area_s0;
static void irq_no_fpu(void)
{
    nofp_fpccr = REG(FPCCR);
    nofp_fpcar = REG(FPCAR);
    nofp_area_s0 = REG(nofp_fpcar);
    __asm volatile("cpsid f");   /* FAULTMASK: cleared again by the return */
}

static uint32_t svc_add(uint32_t v)
{
    register uint32_t r0 __asm("r0") = v;
    __asm volatile("svc #5" : "+r"(r0) : : "memory");
    return r0;
}

static void set_priority(int irq, uint32_t prio)
{
    volatile uint8_t *p = (volatile uint8_t *)NVIC_IPR0;
    p[irq] = (uint8_t)prio;
}

int main(void)
{
    clocks_150mhz();
    uart_init(150000000, 115200);
    timer_start_ticks();
    vectors[3] = hardfault_handler;
    vectors[6] = usagefault_handler;
    vectors[11] = svc_handler;
    vectors[14] = pendsv_handler;
    vectors[15] = systick_handler;
    vectors[16 + 0] = timer0_irq_0;
    vectors[16 + 1] = irq_low;
    vectors[16 + 2] = irq_high;
    vectors[16 + 3] = irq_fpu;
    vectors[16 + 4] = irq_udf;
    vectors[16 + 5] = irq_no_fpu;
    REG(SCB_VTOR) = (uint32_t)vectors;

    /* an alarm interrupt wakes WFI */
    REG(TIMER_INTE) = 1;
    REG(NVIC_ISER0) = 1u << 0;
    uint64_t t0 = time_us();
    REG(TIMER_ALARM0) = (uint32_t)t0 + 300;
    while (!timer_hits) __asm volatile("wfi");
    print("timer irq after ");
    print_dec((uint32_t)(timer_at - t0));
    print(" us\r\n");

    print("svc r0 ");
    print_dec(svc_add(100));
    print("\r\n");

    REG(SCB_ICSR) = 1u << 28;   /* PENDSVSET */
    __asm volatile("dsb; isb");
    print("pendsv ");
    print_dec(pendsv_hits);
    print("\r\n");

    /* PRIMASK holds a pending interrupt back until it is cleared */
    set_priority(1, 0x80);
    set_priority(2, 0x40);
    REG(NVIC_ISER0) = (1u << 1) | (1u << 2) | (1u << 3);
    __asm volatile("cpsid i");
    REG(NVIC_ISPR0) = 1u << 1;
    __asm volatile("dsb; isb");
    int held = order_len == 0;
    __asm volatile("cpsie i; dsb; isb");
    int at_once = order_len == 3;   /* taken right after CPSIE, not a slice later */
    order[order_len] = 0;
    print(held ? "masked until cpsie: " : "not masked: ");
    print(order);
    print(at_once ? " at once\r\n" : " late\r\n");

    /* the FP context of the interrupted code survives a handler using the FPU */
    volatile float mine = 1.5f;
    register float s0 __asm("s0") = mine;
    __asm volatile("" : "+t"(s0));
    REG(NVIC_ISPR0) = 1u << 3;
    __asm volatile("dsb; isb" : "+t"(s0));
    print(s0 == 1.5f && handler_result == 21.0f ? "fp kept\r\n" : "fp lost\r\n");
    print("lazy fp: LSPACT ");
    print_dec(fpccr_before & FPCCR_LSPACT);
    print(" then ");
    print_dec(fpccr_after & FPCCR_LSPACT);
    print(fp_area_s0 == 0x3FC00000u ? ", s0 filled in" : ", s0 not filled in");
    /* the same frame again (same stack depth), the handler without FP:
     * reserved, never filled, s0 = 2.5 stays in the register */
    s0 = 2.5f;
    __asm volatile("" : "+t"(s0));
    REG(NVIC_ISER0) = 1u << 5;
    REG(NVIC_ISPR0) = 1u << 5;
    __asm volatile("dsb; isb" : "+t"(s0));
    print((nofp_fpccr & FPCCR_LSPACT) ? "; no FP: LSPACT 1" : "; no FP: LSPACT 0");
    print(nofp_fpcar == fpcar_seen ? ", same space" : ", another space");
    print(nofp_area_s0 == 0x3FC00000u ? ", not filled" : ", filled");
    print(s0 == 2.5f && (REG(FPCCR) & FPCCR_LSPACT) == 0 ? ", s0 kept\r\n" : ", s0 lost\r\n");
    uint32_t faultmask;
    __asm volatile("mrs %0, faultmask" : "=r"(faultmask));
    print(faultmask ? "faultmask kept after return\r\n" : "faultmask cleared by return\r\n");

    /* SysTick: 1 ms at 150 MHz, three ticks */
    REG(SYST_RVR) = 150000 - 1;
    REG(SYST_CVR) = 0;
    REG(SYST_CSR) = 7;   /* ENABLE, TICKINT, processor clock */
    t0 = time_us();
    while (systick_hits < 3) __asm volatile("wfi");
    REG(SYST_CSR) = 0;
    print("3 systicks in ");
    print_dec((uint32_t)(time_us() - t0));
    print(" us\r\n");

    REG(SCB_SHCSR) |= 1u << 18;   /* USGFAULTENA */
    REG(NVIC_ISER0) = 1u << 4;     /* priority 0, as UsageFault's */
    REG(NVIC_ISPR0) = 1u << 4;
    __asm volatile("dsb; isb");
    print(usagefault_hits == 0 && (hardfault_hfsr & (1u << 30)) && (hardfault_cfsr & (1u << 16))
              ? "udf in an irq: escalated to hardfault\r\n" : "udf in an irq: not escalated\r\n");

    vectors[6] = usagefault_invstate;
    vectors[14] = pendsv_clear_t;
    REG(SCB_ICSR) = 1u << 28;   /* PENDSVSET */
    __asm volatile("dsb; isb");
    print("return with T clear: CFSR ");
    print_hex(invstate_cfsr);
    print("\r\n");
    print("done\r\n");
    return 0;
}
