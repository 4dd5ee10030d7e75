/* usb_no_setup.c - test image: a USB device that connects (pull-up on) but
 * never answers a SETUP request: it just sleeps. */
#include "hw.h"
#include "usb_cdc.h"

int main(void)
{
    clocks_150mhz();
    usb_cdc_init();
    for (;;) __asm volatile("wfi");
}
