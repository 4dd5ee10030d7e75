/* fault.c - HardFault / BusFault / UsageFault / MemManage reporting. The
 * handler first moves to a stack of its own (the fault may be a stack
 * overflow caught by MSPLIM), then prints the faulting PC, LR and the fault
 * status registers. */
#include "fault.h"

#include <stdint.h>

#include "../app/fmt.h"
#include "../hw/regs/m33.h"
#include "../hw/uart.h"

#define CFSR_STKOF (1u << 20) /* UsageFault: stack limit hit */

static fault_sink_fn sink;
static int uart_ready;
static uint32_t fault_stack[256] __attribute__((aligned(8)));
uint32_t *const fault_stack_top = fault_stack + 256;

void fault_set_sink(fault_sink_fn s) { sink = s; }
void fault_set_uart_ready(void) { uart_ready = 1; }

static __attribute__((noreturn)) void deliver(const char *report)
{
    if (uart_ready) uart_put_blocking(report);
    if (sink) sink(report);
    for (;;) {
    }
}

void fault_report_message(const char *message)
{
    char report[160];
    fmt(report, sizeof(report), "\r\n*** FATAL: %s; waiting for a reset\r\n", message);
    deliver(report);
}

/* Called by fault_handler on the fault stack with the exception frame
 * (r0-r3, r12, lr, pc, xpsr) and EXC_RETURN. */
__attribute__((used, noreturn)) void fault_report(const uint32_t *frame, uint32_t exc_return,
                                                  uint32_t ipsr);
void fault_report(const uint32_t *frame, uint32_t exc_return, uint32_t ipsr)
{
    static const char *const names[8] = {"?", "?", "NMI", "HardFault", "MemManage",
                                         "BusFault", "UsageFault", "SecureFault"};
    uint32_t cfsr = M33_CFSR, hfsr = M33_HFSR;
    const char *name = ipsr < 8 ? names[ipsr] : "fault";
    char report[256];
    if (cfsr & CFSR_STKOF) { /* nothing trustworthy was stacked */
        fmt(report, sizeof(report),
            "\r\n*** %s: stack overflow (CFSR=0x%08x HFSR=0x%08x); waiting for a reset\r\n", name,
            (unsigned)cfsr, (unsigned)hfsr);
    } else {
        fmt(report, sizeof(report),
            "\r\n*** %s: PC=0x%08x LR=0x%08x CFSR=0x%08x HFSR=0x%08x BFAR=0x%08x "
            "MMFAR=0x%08x EXC_RETURN=0x%08x; waiting for a reset\r\n",
            name, (unsigned)frame[6], (unsigned)frame[5], (unsigned)cfsr, (unsigned)hfsr,
            (unsigned)M33_BFAR, (unsigned)M33_MMFAR, (unsigned)exc_return);
    }
    deliver(report);
}

__attribute__((naked)) void fault_handler(void)
{
    __asm volatile(
        "tst lr, #4\n\t"
        "ite eq\n\t"
        "mrseq r0, msp\n\t"
        "mrsne r0, psp\n\t"
        "mov r1, lr\n\t"
        "mrs r2, ipsr\n\t"
        "movs r3, #0\n\t"
        "msr msplim, r3\n\t"
        "ldr r3, =fault_stack_top\n\t"
        "ldr r3, [r3]\n\t"
        "mov sp, r3\n\t"
        "b fault_report\n\t");
}
