/* usb_xfer.h - one control transfer on the USB cable, as a host controller
 * runs it (USB 2.0 8.5.3): the SETUP, the data stage packet by packet (DATA1
 * first, then alternating; at most the endpoint's max packet size; an IN
 * stage ends on a short packet or when wLength bytes are in), then the
 * zero-length status stage (DATA1) the other way. A NAK leaves the
 * transfer where it is, to be tried again.
 *
 * Both hosts of the board run their control transfers here: the built-in
 * one (usb_host.c) and the one USB/IP requests drive (usb_hc.c). The
 * engine only reports what went wrong; each host decides what that means
 * (the built-in one stops the run, the USB/IP one fails the request). */
#ifndef SIM_USB_XFER_H
#define SIM_USB_XFER_H

#include <stddef.h>
#include <stdint.h>

#include "usb_cable.h"

#define USB_CTRL_MAX_DATA 4096      /* the longest data stage a transfer may carry */

/* where a transfer stands */
enum { X_SETUP = 0, X_DATA_IN, X_DATA_OUT, X_STATUS_IN, X_STATUS_OUT, X_DONE };

typedef struct {
    uint8_t setup[8];
    int stage;
    uint8_t data[USB_CTRL_MAX_DATA];
    int len;                        /* bytes moved in the data stage */
    int wlength;
    int toggle;                     /* expected PID of the next data packet */
    int maxpacket;
    uint64_t started_ps;
    uint32_t naks;
    int allow_stall;                /* a STALL is an acceptable answer */
    int stalled;
    char name[64];
} usb_ctrl_xfer;

/* what one step did */
enum { XFER_WAIT = 0, XFER_MOVED, XFER_FAILED };

/* A new transfer: setup is the 8-byte SETUP packet (its wLength, at most
 * USB_CTRL_MAX_DATA, is the data stage's length), out the data of an OUT
 * data stage (NULL for IN or none), name what messages call it. */
void usb_ctrl_start(usb_ctrl_xfer *x, const char *name, const uint8_t setup[8], int maxpacket,
                    const uint8_t *out, int allow_stall, uint64_t now_ps);
/* One transaction of the transfer with the device at addr: XFER_MOVED (the
 * transfer moved on; X_DONE when it is over, stalled if the device STALLed
 * it and that was allowed), XFER_WAIT (NAKed: try again later) or
 * XFER_FAILED (why says what the device did wrong, starting with the
 * transfer's name). */
int usb_ctrl_step(usb_ctrl_xfer *x, const usb_cable *cable, int addr, char *why, size_t whylen);
/* "SETUP", "data stage (IN)", ... for messages */
const char *usb_ctrl_stage_name(int stage);

#endif
