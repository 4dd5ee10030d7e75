/* gpio_irq.c - test image: the user switch (GPIO45, to ground, pull-up)
 * as an interrupt: IO_BANK0 PROC0_INTE5 EDGE_LOW for GPIO45 into NVIC IRQ 21
 * (IO_IRQ_BANK0); the core sleeps in WFI until the press. First the
 * GPIO coprocessor (CP0) reads the switch and drives GPIO25 as the SDK's
 * gpio_get / gpio_set_dir / gpio_put do (hardware/gpio_coproc.h). */
#include "hw.h"

#define NVIC_ISER0 0xE000E100u
#define SCB_VTOR 0xE000ED08u
#define IO_INTR5 (IO_BANK0_BASE + 0x244u)
#define IO_PROC0_INTE5 (IO_BANK0_BASE + 0x25Cu)
#define IO_PROC0_INTS5 (IO_BANK0_BASE + 0x28Cu)
#define GPIO45_EDGE_LOW (4u << 20)   /* GPIO45: register 5, nibble 5 */

static void (*vectors[16 + 52])(void) __attribute__((aligned(512)));
static volatile uint32_t pressed_ms, ints_seen, irqs;

/* the SDK's gpioc_hilo_in_get, gpioc_bit_oe_set, gpioc_bit_out_put */
static uint64_t gpioc_hilo_in_get(void)
{
    uint32_t lo, hi;
    __asm volatile("mrrc p0, #0, %0, %1, c8" : "=r"(lo), "=r"(hi));
    return (uint64_t)hi << 32 | lo;
}
static void gpioc_bit_oe_set(uint32_t pin) { __asm volatile("mcr p0, #6, %0, c0, c4" : : "r"(pin)); }
static void gpioc_bit_out_put(uint32_t pin, uint32_t v)
{
    __asm volatile("mcrr p0, #4, %0, %1, c0" : : "r"(pin), "r"(v));
}

static void gpio_coprocessor(void)
{
    REG(PPB_CPACR) |= 3u;   /* CP0 */
    __asm volatile("dsb; isb");
    print("gpioc: GPIO45 ");
    print_dec((uint32_t)(gpioc_hilo_in_get() >> 45) & 1u);
    REG(GPIO_CTRL(25)) = 5;   /* SIO */
    gpioc_bit_oe_set(25);
    gpioc_bit_out_put(25, 1);
    print(", OE ");
    print_hex(REG(SIO_BASE + 0x30u));
    print(", OUT ");
    print_hex(REG(SIO_BASE + 0x10u));
    gpioc_bit_out_put(25, 0);
    print(" then ");
    print_hex(REG(SIO_BASE + 0x10u));
    print("\r\n");
}

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
    gpio_input_pulled_up(45);
    gpio_coprocessor();
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
