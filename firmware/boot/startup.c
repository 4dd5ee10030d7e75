/* startup.c - the vector table and what runs before main(): peripherals
 * reset, stack limit, FPU, .data (with SRAM code) copied from flash, .bss
 * zeroed. The boot ROM has already set VTOR to this table and MSP to its
 * first word. */
#include <stdint.h>

#include "../hw/platform.h"
#include "../hw/regs/m33.h"
#include "../hw/regs/resets.h"
#include "../hw/resets.h"
#include "fault.h"

extern uint32_t __data_start, __data_end, __data_load, __bss_start, __bss_end;
extern uint32_t __stack_top, __stack_limit;
int main(void);

void reset_handler(void);
static void unexpected_irq(void);

/* Blocks that stay as they are: the QSPI pads and IO (this code runs from
 * flash), the PLLs (clk_sys may run from one after a warm reset), USBCTRL
 * (usb_dcd_init resets it itself) and SYSCFG (SDK runtime_init.c:61-67). */
#define KEEP_RUNNING (RESETS_RESET_IO_QSPI | RESETS_RESET_PADS_QSPI | RESETS_RESET_PLL_SYS | \
                      RESETS_RESET_PLL_USB | RESETS_RESET_USBCTRL | RESETS_RESET_SYSCFG)
/* Blocks whose clocks are not running yet: they leave reset later. */
#define NEED_CLOCKS (RESETS_RESET_HSTX | RESETS_RESET_ADC | RESETS_RESET_SPI0 | RESETS_RESET_SPI1 | \
                     RESETS_RESET_UART0 | RESETS_RESET_UART1 | RESETS_RESET_USBCTRL)

/* What the SDK's runtime_init_early_resets does, before any SRAM state is
 * set up: after a warm reset (a debugger's reset resets only the cores) a DMA
 * channel or a timer left running by the previous run would otherwise
 * write into SRAM while .data and .bss are set up. Then every block clocked
 * by clk_sys or clk_ref comes out of reset, SYSCFG included: the ROM's
 * reboot writes SYSCFG AUXCTRL, a write lost while SYSCFG is in reset. */
static void early_resets(void)
{
    reset_block(RESETS_RESET_ALL & ~KEEP_RUNNING);
    unreset_block_wait(RESETS_RESET_ALL & ~NEED_CLOCKS);
}

void reset_handler(void)
{
    early_resets();
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
