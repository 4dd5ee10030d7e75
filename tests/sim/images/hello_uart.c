/* hello_uart.c - test image: boots, switches to the 12 MHz crystal, prints
 * on UART0 and echoes what it receives in upper case ('.' ends). */
#include "hw.h"

int main(void)
{
    clocks_xosc_12mhz();
    uart_init(12000000, 115200);
    print("hello from the virtual RP2350\r\n");
    print("chip id ");
    print_hex(REG(0x40000000));
    print(" core ");
    print_dec(REG(SIO_BASE));
    print("\r\nflash word at 0x10080000: ");
    print_hex(REG(0x10080000u));   /* where a second UF2 (a model) goes */
    print("\r\n");
    for (;;) {
        int c = uart_getc_nonblock();
        if (c < 0) continue;
        if (c == '.') break;
        uart_putc((char)(c >= 'a' && c <= 'z' ? c - 32 : c));
    }
    print("\r\nbye\r\n");
    return 0;
}
