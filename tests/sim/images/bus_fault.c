/* bus_fault.c - test image: a read of a register that does not exist is a
 * precise BusFault on silicon; with BusFault disabled (SHCSR reset value)
 * it escalates to HardFault (HFSR.FORCED). The handler prints what the
 * core recorded (CFSR, HFSR, BFAR, the stacked PC) and loops forever. */
#include "hw.h"

#define SCB_VTOR 0xE000ED08u
#define SCB_CFSR 0xE000ED28u
#define SCB_HFSR 0xE000ED2Cu
#define SCB_BFAR 0xE000ED38u

static void (*vectors[16])(void) __attribute__((aligned(128)));
static volatile uint32_t fault_pc;

static void field(const char *name, uint32_t v)
{
    print(name);
    print_hex(v);
}

/* called from hardfault with the stacked frame */
__attribute__((used)) void report(const uint32_t *frame)
{
    field("hardfault CFSR=", REG(SCB_CFSR));
    field(" HFSR=", REG(SCB_HFSR));
    field(" BFAR=", REG(SCB_BFAR));
    print(frame[6] == fault_pc ? " stacked pc: the load\r\n" : " stacked pc: wrong\r\n");
    for (;;) {
    }
}

static void __attribute__((naked)) hardfault(void)
{
    __asm volatile("mrs r0, msp\n b report\n");
}

int main(void)
{
    clocks_150mhz();
    uart_init(150000000, 115200);
    vectors[0] = 0;
    vectors[3] = hardfault;
    REG(SCB_VTOR) = (uint32_t)vectors;
    uint32_t v;
    __asm volatile("adr r2, 1f\n"
                   "str r2, [%1]\n"              /* fault_pc = the load below */
                   "1: ldr %0, [%2]\n"
                   : "=&r"(v) : "r"(&fault_pc), "r"(UART0_BASE + 0x100u) : "r2", "memory");
    print("no fault\r\n");
    return 0;
}
