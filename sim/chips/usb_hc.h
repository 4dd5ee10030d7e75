/* usb_hc.h - a PC's USB host controller with the board on its one root
 * port, driven by transfer requests (URBs) from a USB stack that runs
 * elsewhere: the Linux host that imports the port over USB/IP
 * (host/usbip.c). It does what the exporting PC's own USB core and host
 * controller do:
 *
 *  - on attach (the device's D+ pull-up) it debounces (100 ms), resets the
 *    bus, reads the device descriptor at address 0, resets again, assigns
 *    an address (USB_HC_ADDRESS) and reads the device and configuration
 *    descriptors; then the device can be exported (usb_hc_ready). The
 *    importer's SET_ADDRESS never reaches the device: Linux's vhci_hcd
 *    answers it itself (drivers/usb/usbip/vhci_hcd.c, vhci_urb_enqueue),
 *    and so does this controller if one comes;
 *  - each URB becomes transactions on the cable: a control URB its SETUP,
 *    data and status stages (chips/usb_xfer.c); a bulk or interrupt URB IN
 *    or OUT packets of the endpoint's wMaxPacketSize, an IN URB completing
 *    on a short packet or when full, an OUT URB ending with a zero-length
 *    packet when asked (URB_ZERO_PACKET). The data toggles are the
 *    controller's, back to DATA0 after SET_CONFIGURATION, SET_INTERFACE and
 *    CLEAR_FEATURE(ENDPOINT_HALT);
 *  - a NAK leaves the URB pending: bulk endpoints are tried again at the
 *    next service interval (125 us), interrupt endpoints every bInterval
 *    frames; URBs of one endpoint complete in order; SOF every 1 ms;
 *  - an unlink takes a pending URB back (its data is lost); release (the
 *    importer went away) cancels them all and resets the device, which is
 *    enumerated again, as Linux's usbip-host resets a device it gets back.
 *
 * Signals: in  the cable to the device (usb_cable.h); out the client
 *              (usb_hc_client): completed URBs, the device gone. */
#ifndef SIM_USB_HC_H
#define SIM_USB_HC_H

#include <stddef.h>
#include <stdint.h>

#include "services.h"
#include "usb_cable.h"
#include "usb_xfer.h"

#define USB_HC_ADDRESS 2            /* the address the controller assigns */
#define USB_HC_MAX_CONFIG 1024      /* the configuration descriptor it keeps */

/* how a URB ended */
enum {
    URB_OK = 0,
    URB_STALL,        /* the endpoint STALLed */
    URB_ERROR,        /* no handshake, a wrong data toggle or a broken control transfer */
    URB_BABBLE,       /* the device sent more than the URB or a packet can hold */
    URB_NO_DEVICE,    /* the device is gone (detached, or not enumerated) */
    URB_CANCELLED,    /* the importer went away (usb_hc_release) */
    URB_INVALID       /* an endpoint the device does not have, or isochronous */
};

typedef struct usb_urb usb_urb;
struct usb_urb {
    uint32_t tag;             /* the client's name for it (the USB/IP seqnum) */
    int ep;                   /* endpoint number, 0-15 */
    int in;                   /* 1: IN (device to host) */
    uint8_t setup[8];         /* a control URB's SETUP packet */
    int zero_packet;          /* an OUT that fills its last packet ends with a zero-length one */
    int interval;             /* an interrupt URB's polling interval in frames (0: the endpoint's) */
    uint8_t *data;            /* length bytes: what to send, or room for what comes */
    int length;
    int actual;               /* bytes moved */
    int status;               /* URB_* once done */
    /* the controller's */
    usb_urb *next;
    int zlp_sent;
};

typedef struct {
    void *ctx;
    /* a URB is done (status, actual); the client owns it again */
    void (*done)(void *ctx, usb_urb *u);
    /* the device left the bus (why): every URB was handed back first */
    void (*device_gone)(void *ctx, const char *why);
} usb_hc_client;

typedef struct {
    uint8_t type;             /* bmAttributes & 3: 0 control, 1 iso, 2 bulk, 3 interrupt */
    uint16_t mps;             /* wMaxPacketSize */
    uint8_t interval;         /* bInterval */
    uint8_t toggle;           /* the next data PID the controller expects or sends */
    uint32_t next_poll;       /* interrupt: the frame of the next poll */
} usb_hc_endpoint;

typedef struct {
    int state;
    uint64_t state_at_ps;
    uint64_t next_tick_ps;
    uint32_t frame;
    uint32_t frame_bytes;
    int step;                 /* enumeration step */
    int addr;                 /* the device's address now */
    int mps0;
    usb_ctrl_xfer x;          /* the control transfer under way (enumeration or a URB) */
    int have_xfer;
    usb_urb *ctrl_urb;        /* the control URB x belongs to */
    uint8_t devdesc[18];
    uint8_t cfg[USB_HC_MAX_CONFIG];
    int cfg_len;
    int configuration;        /* the bConfigurationValue last set (0: unconfigured) */
    usb_hc_endpoint ep[16][2];/* [number][1 = IN] */
    usb_urb *urbs;            /* pending, in submission order */
    char status[200];         /* what the controller is doing, for messages */
    const board_services *svc;
    usb_cable cable;          /* in: the device */
    usb_hc_client client;     /* out */
} usb_hc;

void usb_hc_init(usb_hc *h, const board_services *svc, usb_cable cable);
void usb_hc_set_client(usb_hc *h, usb_hc_client client);
uint64_t usb_hc_next_event(usb_hc *h);
void usb_hc_tick(usb_hc *h);
/* the device is enumerated and can be exported */
int usb_hc_ready(const usb_hc *h);
/* queues a URB (done() hands it back; at once if it cannot be run) */
void usb_hc_submit(usb_hc *h, usb_urb *u);
/* takes back the pending URB tagged tag (NULL: none, it completed already) */
usb_urb *usb_hc_unlink(usb_hc *h, uint32_t tag);
/* the importer went away: every pending URB comes back URB_CANCELLED, the
 * device is reset and enumerated again */
void usb_hc_release(usb_hc *h);
const char *usb_hc_status(const usb_hc *h);

#endif
