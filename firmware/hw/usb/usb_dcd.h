/* usb_dcd.h - RP2350 USB device controller driver: endpoints, buffers and
 * events of the hardware, nothing about requests or classes. Polled: the
 * firmware calls usb_dcd_poll() often (no interrupts). */
#ifndef PICOLLAMA_FW_USB_DCD_H
#define PICOLLAMA_FW_USB_DCD_H

#include <stdbool.h>
#include <stdint.h>

#include "usb_std.h"

#define USB_EP0_SIZE 64

/* What the controller reports to the layer above. */
typedef struct {
    void (*bus_reset)(void);
    void (*setup)(const usb_setup_packet *setup);
    /* A packet on ep_addr completed: for OUT, len bytes are in data. */
    void (*transfer_done)(uint8_t ep_addr, const uint8_t *data, uint16_t len);
} usb_dcd_events;

/* Resets the controller, leaves the device disconnected (no pull-up). */
void usb_dcd_init(const usb_dcd_events *events);
/* Enables the D+ pull-up: the host sees the device. */
void usb_dcd_connect(void);
void usb_dcd_poll(void);

/* Configures endpoint ep_addr (EP1..15, bit 7 = IN) with a DPRAM buffer. */
void usb_dcd_ep_open(uint8_t ep_addr, uint8_t transfer_type, uint16_t max_packet);
void usb_dcd_ep_close_all(void);
/* Starts one packet: IN sends len bytes of data; OUT arms a receive. */
void usb_dcd_ep_start(uint8_t ep_addr, const uint8_t *data, uint16_t len);
bool usb_dcd_ep_busy(uint8_t ep_addr);
/* Takes back a packet the host has not yet taken (one it took meanwhile
 * completes as usual); the endpoint is then free. */
void usb_dcd_ep_cancel(uint8_t ep_addr);
/* SET_FEATURE / CLEAR_FEATURE(ENDPOINT_HALT): a packet in flight is kept
 * and sent (or received) once the halt is cleared, with DATA0. False for
 * an endpoint that is not open. */
bool usb_dcd_ep_set_halt(uint8_t ep_addr);
bool usb_dcd_ep_clear_halt(uint8_t ep_addr);
bool usb_dcd_ep_stalled(uint8_t ep_addr);
void usb_dcd_ep0_stall(void);
void usb_dcd_set_address(uint8_t address);

#endif
