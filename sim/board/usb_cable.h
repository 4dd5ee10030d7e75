/* usb_cable.h - the USB cable between the RP2350's device controller
 * (devices/dev_usb.c) and the host at the far end (chips/usb_host.c): what
 * the bus carries, one transaction at a time, as the serial interface
 * engine sees it (USB 2.0 chapter 8). A neutral interface: the device model
 * offers its end, the machine hands it to the host, neither includes the
 * other's header. */
#ifndef SIM_USB_CABLE_H
#define SIM_USB_CABLE_H

#include <stdint.h>

/* the device's handshake to a token */
typedef enum { USB_ACK = 0, USB_NAK, USB_STALL, USB_NO_RESPONSE } usb_resp;

typedef struct {
    void *dev;   /* the device end */
    /* 1 if the device shows itself on the bus (controller on in device mode,
     * PHY not isolated, pull-up on, VBUS seen); why: what is missing otherwise */
    int (*attached)(void *dev, const char **why);
    /* the host drives SE0 for a bus reset */
    void (*bus_reset)(void *dev);
    /* a start-of-frame packet with its 11-bit frame number */
    void (*sof)(void *dev, uint32_t frame);
    /* no SOF for 3 ms: the device suspends (1); 0: the bus is gone (detach) */
    void (*suspend)(void *dev, int suspended);
    /* the host drives resume signalling: the device leaves suspend */
    void (*resume)(void *dev);
    /* tokens: addr = device address in the token */
    usb_resp (*setup)(void *dev, int addr, const uint8_t pkt[8]);
    usb_resp (*in)(void *dev, int addr, int ep, uint8_t *data, int *len, int *pid);
    usb_resp (*out)(void *dev, int addr, int ep, const uint8_t *data, int len, int pid);
    /* what the host can tell from the bus: the device is suspended, and the
     * address it answers to (for messages) */
    int (*suspended)(void *dev);
    int (*address)(void *dev);
} usb_cable;

#endif
