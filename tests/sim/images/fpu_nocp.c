/* fpu_nocp.c - test image (built with STARTUP_NO_FPU): a floating-point
 * instruction without CPACR granting the FPU raises UsageFault NOCP, which
 * escalates to HardFault (UsageFault is not enabled). The handler checks
 * CFSR, HFSR and the stacked PC (the FP instruction, the instructions before
 * it in its block having run), grants the FPU and returns: the instruction
 * runs again, as on silicon. A second fault ends in the default handler. */
#include "hw.h"

#define SCB_VTOR 0xE000ED08u
#define SCB_CFSR 0xE000ED28u
#define SCB_HFSR 0xE000ED2Cu
#define CFSR_NOCP (1u << 19)
#define HFSR_FORCED (1u << 30)

volatile float f = 1.5f;
static void (*vectors[16])(void) __attribute__((aligned(128)));
static volatile uint32_t faults;

/* the stacked PC's instruction: a VFP load/store or data-processing
 * instruction of coprocessor 10 or 11 */
static int is_fp_instruction(const uint16_t *pc)
{
    return (pc[0] & 0xEC00u) == 0xEC00u && (pc[1] & 0x0E00u) == 0x0A00u;
}

void nocp_handler_c(uint32_t *frame)
{
    uint32_t cfsr = REG(SCB_CFSR), hfsr = REG(SCB_HFSR);
    faults++;
    print("hardfault: CFSR ");
    print_hex(cfsr);
    print(" HFSR ");
    print_hex(hfsr);
    print(is_fp_instruction((const uint16_t *)frame[6]) ? ", stacked pc: the FP instruction\r\n"
                                                        : ", stacked pc: elsewhere\r\n");
    REG(SCB_CFSR) = cfsr;
    REG(SCB_HFSR) = hfsr;
    if (faults > 1) for (;;) __asm volatile("bkpt #1");
    REG(PPB_CPACR) |= 0xFu << 20;   /* CP10, CP11: the instruction runs again */
}

__attribute__((naked)) static void hardfault_handler(void)
{
    __asm volatile("mrs r0, msp\n"
                   "b nocp_handler_c\n");
}

int main(void)
{
    clocks_xosc_12mhz();
    uart_init(12000000, 115200);
    vectors[0] = 0;
    vectors[3] = hardfault_handler;
    REG(SCB_VTOR) = (uint32_t)vectors;
    print("using the FPU without enabling it\r\n");
    f = f * 3.0f;
    print(f == 4.5f ? "still running: 4.5\r\n" : "still running: wrong result\r\n");
    return 0;
}
