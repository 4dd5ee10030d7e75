/* reboot.c - test image: a watchdog reboot (boot 2 reports REASON), then a
 * reboot into BOOTSEL through the ROM's 'RB' function (rp2350-facts.md 14). */
#include "hw.h"

#define SCRATCH0 (WATCHDOG_BASE + 0x0C)
typedef void *(*rom_lookup_fn)(uint32_t code, uint32_t mask);
typedef int (*rom_reboot_fn)(uint32_t flags, uint32_t delay_ms, uint32_t p0, uint32_t p1);

int main(void)
{
    clocks_xosc_12mhz();
    uart_init(12000000, 115200);
    if (REG(SCRATCH0) != 0x12345678u) {
        print("boot 1: watchdog reboot in 2 ms\r\n");
        REG(SCRATCH0) = 0x12345678u;
        while (REG(UART0_BASE + 0x18) & (1u << 3)) {}   /* UART idle: a reset drops its FIFO */
        REG(TICKS_BASE + 0x30 + 4) = 12;   /* watchdog tick: 1 us */
        REG(TICKS_BASE + 0x30) = 1;
        REG(WATCHDOG_BASE + 0x04) = 2000;  /* LOAD */
        REG(WATCHDOG_BASE + 0x00) = 1u << 30;
        for (;;) {}
    }
    REG(SCRATCH0) = 0;
    print("boot 2: reason ");
    print_hex(REG(WATCHDOG_BASE + 0x08));
    print("\r\n");
    uintptr_t ptr = 0x16;                         /* ROM table lookup pointer (16 bits) */
    __asm volatile("" : "+r"(ptr));               /* it is not a null pointer */
    rom_lookup_fn lookup = (rom_lookup_fn)(uintptr_t) * (volatile uint16_t *)ptr;
    rom_reboot_fn reboot = (rom_reboot_fn)lookup('R' | 'B' << 8, 0x0004);
    print(reboot ? "ROM reboot found\r\n" : "ROM reboot missing\r\n");
    while (REG(UART0_BASE + 0x18) & (1u << 3)) {}   /* UART idle */
    reboot(0x102, 10, 0, 0);                        /* BOOTSEL, no return */
    print("reboot returned\r\n");
    return 0;
}
