/* bad_register.c - test image: reads UART0 + 0x100, where no register
 * exists; the virtual board must stop with that address. */
#include "hw.h"

int main(void)
{
    clocks_xosc_12mhz();
    uart_init(12000000, 115200);
    print("reading a register that does not exist\r\n");
    (void)REG(UART0_BASE + 0x100);
    print("still running\r\n");
    return 0;
}
