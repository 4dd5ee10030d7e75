/* usb_bad_total.c - test image: a CDC device whose configuration
 * descriptor's wTotalLength claims 5 bytes more than it has. */
#include "hw.h"
#include "usb_cdc.h"

int main(void)
{
    clocks_150mhz();
    usb_cdc_opts.config_total_adjust = 5;
    usb_cdc_init();
    for (;;) usb_cdc_poll();
}
