/* usb_cdc.h - CDC-ACM serial port class: descriptors, line coding and
 * control-line requests, and a byte pipe over the bulk endpoints. */
#ifndef PICOLLAMA_FW_USB_CDC_H
#define PICOLLAMA_FW_USB_CDC_H

#include <stdbool.h>
#include <stdint.h>

/* Starts the USB device (not yet visible: call usb_cdc_connect). vid/pid
 * and the serial-number string come from the caller. */
void usb_cdc_init(uint16_t vid, uint16_t pid, const char *serial);
void usb_cdc_connect(void);
void usb_cdc_poll(void);

/* The terminal is open: configured and DTR asserted. */
bool usb_cdc_connected(void);
/* Counts DTR rising edges: each one is a new terminal session. */
uint32_t usb_cdc_sessions(void);
/* Room for an IN packet right now (0 while the previous one is in flight). */
uint16_t usb_cdc_write_room(void);
/* Queues up to usb_cdc_write_room() bytes; returns how many were taken. */
uint16_t usb_cdc_write(const uint8_t *data, uint16_t len);
/* Call when there is nothing more to write for now: ends a burst that
 * ended on a full packet with a zero-length packet. */
void usb_cdc_flush(void);
/* The host has not yet taken all that was written (a zero-length packet
 * owed included). */
bool usb_cdc_sending(void);
/* Takes received bytes (at most max); returns how many. */
uint16_t usb_cdc_read(uint8_t *data, uint16_t max);

#endif
