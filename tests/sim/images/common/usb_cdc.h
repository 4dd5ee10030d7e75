/* usb_cdc.h - a minimal polled USB CDC-ACM device for the virtual-board
 * tests, written from the RP2350 USB controller facts (rp2350-facts.md 11):
 * DPRAM endpoint/buffer control, SIE_STATUS write-1-to-clear, BUFF_STATUS. */
#ifndef TESTIMG_USB_CDC_H
#define TESTIMG_USB_CDC_H

#include <stdint.h>

typedef struct {
    int config_total_adjust;   /* added to wTotalLength (negative test) */
    int ignore_setup;          /* never answer SETUP (negative test) */
} usb_cdc_options;

extern usb_cdc_options usb_cdc_opts;

void usb_cdc_init(void);          /* clk_usb must already run at 48 MHz */
void usb_cdc_poll(void);
int usb_cdc_configured(void);
int usb_cdc_dtr(void);
int usb_cdc_getc(void);           /* -1 if nothing received */
void usb_cdc_write(const char *s, int n);

#endif
