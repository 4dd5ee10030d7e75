/* gpio_irq.c - test image: the user switch (GPIO45, to ground, pull-up)
 * as an interrupt: IO_BANK0 PROC0_INTE5 EDGE_LOW for GPIO45 into NVIC IRQ 21
 * (IO_IRQ_BANK0); the core sleeps in WFI until the press. */
#include "hw.h"

#define NVIC_ISER0 0xE000E100u
#define SCB_VTOR 0xE000ED08u
#define IO_INTR5 (IO_BANK0_BASE + 0x244u)
#define IO_PROC0_INTE5 (IO_BANK0_BASE + 0x25Cu)
#define IO_PROC0_INTS5 (IO_BANK0_BASE + 0x28Cu)
#define GPIO45_EDGE_LOW (4u << 20)   /* GPIO45: register 5, nibble 5 */

static void (*vectors[16 + 52])(void) __attribute__((aligned(512)));
static volatile uint32_t pressed_ms, ints_seen, irqs;

static void io_irq_bank0(void)
{
    ints_seen = REG(IO_PROC0_INTS5);
    REG(IO_INTR5) = GPIO45_EDGE_LOW;   /* write 1 to clear the edge */
    pressed_ms = (uint32_t)(time_us() / 1000);
    irqs++;
}

int main(void)
{
    clocks_xosc_12mhz();
    uart_init(12000000, 115200);
    timer_start_ticks();
    REG(PADS_GPIO(45)) = (REG(PADS_GPIO(45)) & ~(1u << 2)) | (1u << 3) | (1u << 6);   /* PUE, IE */
    REG(GPIO_CTRL(45)) = 5;                        /* SIO */
    REG(PADS_GPIO(45) + ALIAS_CLR) = 1u << 8;      /* ISO off */
    REG(IO_INTR5) = 0xFFFFFFFFu;                   /* no edge from the set-up */
    vectors[16 + 21] = io_irq_bank0;
    REG(SCB_VTOR) = (uint32_t)vectors;
    REG(IO_PROC0_INTE5) = GPIO45_EDGE_LOW;
    REG(NVIC_ISER0) = 1u << 21;
    print("waiting for the button\r\n");
    while (!irqs) __asm volatile("wfi");
    print("button irq at ");
    print_dec(pressed_ms);
    print(" ms, INTS5 ");
    print_hex(ints_seen);
    print(", now ");
    print_hex(REG(IO_PROC0_INTS5));
    print("\r\ndone\r\n");
    return 0;
}
