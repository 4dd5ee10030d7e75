/* usb_host.h - a built-in USB host that behaves like a PC: it waits for the
 * device to attach, debounces, resets the bus, enumerates it (device,
 * configuration and string descriptors, SET_ADDRESS, SET_CONFIGURATION),
 * opens the CDC-ACM port (SET_LINE_CODING, SET_CONTROL_LINE_STATE with DTR),
 * then polls bulk IN, sends bulk OUT and polls the notification endpoint.
 * It checks descriptors and the transfer protocol (data toggles, status
 * stages, STALL, packet sizes) and fails with a precise message on any
 * violation.
 *
 * The host acts every 125 us of modelled time (SOF and frame number every
 * 1 ms), with a full-speed bandwidth budget per frame. */
#ifndef SIM_USB_HOST_H
#define SIM_USB_HOST_H

#include <stdint.h>

typedef struct machine machine;

#define USB_HOST_ADDRESS 7          /* the address the host assigns */
#define USB_CTRL_TIMEOUT_MS 5000    /* like Linux's USB_CTRL_GET_TIMEOUT */

typedef struct {
    uint8_t setup[8];
    int stage;
    uint8_t data[1024];
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

typedef struct {
    int state;
    uint64_t state_at_ps;
    uint64_t next_tick_ps;
    uint32_t frame;
    uint32_t frame_bytes;           /* bandwidth used in the current frame */
    int addr;
    int mps0;
    int step;                       /* enumeration step */
    int have_xfer;
    usb_ctrl_xfer x;
    uint8_t devdesc[18];
    uint8_t cfg[1024];
    int cfg_total;
    uint16_t langid;
    int string_index[3];
    /* the CDC-ACM function found in the configuration */
    int comm_if, data_if, ep_in, ep_out, ep_notif;
    int mps_in, mps_out, mps_notif, notif_interval;
    int toggle_in, toggle_out, toggle_notif;
    uint64_t next_notif_ps;
    uint64_t stall_until_ps;        /* --host-stall-ms */
    int configured;
    int dtr;
    int detached_on_purpose;
    uint64_t in_bytes, out_bytes;
    char status[160];               /* what the host is doing, for timeouts */
} usb_host;

void usb_host_init(machine *m);
/* time of the next host action (ps) */
uint64_t usb_host_next_event(machine *m);
/* runs the host's actions due now */
void usb_host_tick(machine *m);
/* stop reading IN data for ms milliseconds from now */
void usb_host_stall(machine *m, uint32_t ms);
/* The terminal closes (0) or opens (1) the port: SET_CONTROL_LINE_STATE with
 * DTR off or on. While it is closed the host does not read IN data, as an
 * operating system with no reader does. */
void usb_host_set_dtr(machine *m, int dtr);
/* the terminal closes the port and the host goes away */
void usb_host_disconnect(machine *m);
/* one-line description of the host state, for timeout messages */
const char *usb_host_status(machine *m);

#endif
