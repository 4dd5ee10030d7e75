/* psram_nosetup.c - test image: reads of the PSRAM window before set-up do
 * not return stored data. First boot: set up, store a value, reboot through
 * the watchdog. Second boot: read before set-up (the PSRAM still holds the
 * value), then set up again and read it. */
#include "hw.h"
#include "psram.h"

#define SCRATCH0 (WATCHDOG_BASE + 0x0C)

int main(void)
{
    clocks_150mhz();
    uart_init(150000000, 115200);
    volatile uint32_t *p = (volatile uint32_t *)0x11000100u;
    uint8_t id[3];
    if (REG(SCRATCH0) != 0x5AFEB007u) {
        print("before set-up (power-on): ");
        print_hex(*p);
        print("\r\n");
        psram_init(id);
        *p = 0xCAFEF00Du;
        print("stored ");
        print_hex(*p);
        print(", rebooting\r\n");
        REG(SCRATCH0) = 0x5AFEB007u;
        while (REG(UART0_BASE + 0x18) & (1u << 3)) {}   /* let the UART finish */
        REG(WATCHDOG_BASE) = 1u << 31;                  /* TRIGGER */
        for (;;) {}
    }
    REG(SCRATCH0) = 0;
    print("after reboot, before set-up: ");
    print_hex(*p);
    print("\r\n");
    psram_init(id);
    print("after set-up: ");
    print_hex(*p);
    print("\r\ndone\r\n");
    return 0;
}
