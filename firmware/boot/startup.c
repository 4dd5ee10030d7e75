/* startup.c - the vector table and what runs before main(): stack limit,
 * FPU, .data (with SRAM code) copied from flash, .bss zeroed. The boot ROM
 * has already set VTOR to this table and MSP to its first word. */
#include <stdint.h>

#include "../hw/platform.h"
#include "../hw/regs/m33.h"
#include "fault.h"

extern uint32_t __data_start, __data_end, __data_load, __bss_start, __bss_end;
extern uint32_t __stack_top, __stack_limit;
int main(void);

void reset_handler(void);
static void unexpected_irq(void);

void reset_handler(void)
{
    /* a stack overflow now faults instead of corrupting memory */
    __asm volatile("msr msplim, %0" ::"r"(&__stack_limit));
    M33_CPACR |= M33_CPACR_CP10_FULL | M33_CPACR_CP11_FULL;
    dsb_isb();
    /* report faults as what they are, not all as HardFault */
    M33_SHCSR |= M33_SHCSR_USGFAULTENA | M33_SHCSR_BUSFAULTENA | M33_SHCSR_MEMFAULTENA;

    const uint32_t *src = &__data_load;
    for (uint32_t *dst = &__data_start; dst < &__data_end;) *dst++ = *src++;
    for (uint32_t *dst = &__bss_start; dst < &__bss_end;) *dst++ = 0;

    main();
    for (;;) {
    }
}

static void unexpected_irq(void) { fault_report_message("unexpected interrupt"); }

#define NUM_IRQS 52

__attribute__((section(".vectors"), used)) const void *const vector_table[16 + NUM_IRQS] = {
    [0] = &__stack_top,
    [1] = reset_handler,
    [2] = fault_handler,  /* NMI */
    [3] = fault_handler,  /* HardFault */
    [4] = fault_handler,  /* MemManage */
    [5] = fault_handler,  /* BusFault */
    [6] = fault_handler,  /* UsageFault */
    [7] = fault_handler,  /* SecureFault */
    [11] = unexpected_irq, /* SVCall */
    [12] = unexpected_irq, /* DebugMonitor */
    [14] = unexpected_irq, /* PendSV */
    [15] = unexpected_irq, /* SysTick */
    [16 ... 16 + NUM_IRQS - 1] = unexpected_irq,
};
