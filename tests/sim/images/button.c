/* button.c - test image: waits for the user switch (GPIO45, to ground, pull
 * up enabled) and reports when it was pressed and released. */
#include "hw.h"

#define GPIO_HI_IN (SIO_BASE + 0x08)

int main(void)
{
    clocks_xosc_12mhz();
    uart_init(12000000, 115200);
    timer_start_ticks();
    gpio_input_pulled_up(45);
    print("waiting for the button\r\n");
    while (REG(GPIO_HI_IN) & (1u << 13)) {}
    print("pressed at ");
    print_dec((uint32_t)(time_us() / 1000));
    print(" ms\r\n");
    while (!(REG(GPIO_HI_IN) & (1u << 13))) {}
    print("released at ");
    print_dec((uint32_t)(time_us() / 1000));
    print(" ms\r\ndone\r\n");
    return 0;
}
