/* usb_host.h - a built-in USB host that behaves like a Linux PC with the
 * cdc-acm driver (the request sequence traced on Linux 6.1, see
 * ../shared/docs/usbip-spike/ and issue 13's wire notes): it waits for the
 * device to attach, debounces, resets the bus, enumerates it (device
 * descriptor with wLength 64, a second reset, SET_ADDRESS, the device
 * descriptor again, three device-qualifier requests, the configuration and
 * string descriptors, SET_CONFIGURATION), binds the driver (SET_LINE_CODING
 * 9600 8N1), then opens the port as a terminal program does
 * (SET_CONTROL_LINE_STATE DTR|RTS, SET_LINE_CODING 115200 8N1). While the
 * port is open it reads bulk IN with 128-byte requests that complete - and
 * reach the terminal - only on a short packet or when full, sends bulk OUT
 * and polls the notification endpoint; closing it clears DTR and cancels the
 * requests (bytes held in a request are lost).
 *
 * A USB 2.1 device's BOS descriptor is read after the device descriptor,
 * as Linux does, and checked; a Microsoft OS 2.0 platform capability in it
 * is noted. With -v the host lists the interfaces it found and their
 * classes.
 *
 * Scripted host actions: CLEAR_FEATURE(ENDPOINT_HALT) on both bulk
 * endpoints (what FreeBSD, Windows and libusb send to reset data toggles),
 * a suspend of N ms followed by a resume, a bus reset mid-session
 * (re-enumeration; an open port is opened again), the 1200-baud touch
 * (SET_LINE_CODING 1200 on the open port, then it closes), the Pico SDK
 * reset interface's requests as picotool sends them (RESET_REQUEST_BOOTSEL
 * with a wValue, RESET_REQUEST_FLASH), and the Microsoft OS 2.0 descriptor
 * set request Windows sends (the set is checked: WinUSB for the reset
 * interface, a DeviceInterfaceGUID).
 *
 * It checks descriptors and the transfer protocol (data toggles, status
 * stages, STALL, packet sizes) and fails with a precise message on any
 * violation. The host acts every 125 us of modelled time (SOF and frame
 * number every 1 ms), with a full-speed bandwidth budget per frame.
 *
 * Signals: in  the cable to the device (usb_cable.h), the terminal program
 *              on the PC side (terminal, terminal.h; NULL = none), whether
 *              the run has been stopped (probe stopped: the host stops its
 *              transactions at once). */
#ifndef SIM_USB_HOST_H
#define SIM_USB_HOST_H

#include <stdint.h>

#include "services.h"
#include "signals.h"
#include "terminal.h"
#include "usb_cable.h"
#include "usb_xfer.h"

#define USB_HOST_ADDRESS 7          /* the address the host assigns */
#define USB_CTRL_TIMEOUT_MS 5000    /* like Linux's USB_CTRL_GET_TIMEOUT */
#define USB_HOST_READ_REQUEST 128   /* cdc-acm reads 2 x wMaxPacketSize (at most 64) */
#define USB_HOST_MAX_REQUESTS 8     /* control requests queued while configured */

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
    int qualifier_tries;
    /* the CDC-ACM function found in the configuration */
    int comm_if, data_if, ep_in, ep_out, ep_notif;
    int reset_if;                   /* the Pico SDK reset interface, -1 if none */
    uint16_t reset_value;           /* wValue of the next RESET_REQUEST_BOOTSEL */
    int bos_total;                  /* the BOS descriptor's wTotalLength */
    int ms_vendor_code, ms_set_len; /* Microsoft OS 2.0 capability (code -1: none) */
    int mps_in, mps_out, mps_notif, notif_interval;
    int toggle_in, toggle_out, toggle_notif;
    uint64_t next_notif_ps;
    uint64_t stall_until_ps;        /* --host-stall-ms */
    int port_open;                  /* a terminal program has the port open: IN is read */
    int terminal_open;              /* the terminal wants it open (a bus reset reopens it) */
    int going_away;                 /* after the queued requests, the host disappears */
    uint64_t went_away_ps;          /* when it was told to (--disconnect-at-ms) */
    /* control requests of the configured device (port open/close, clear halt) */
    int requests[USB_HOST_MAX_REQUESTS];
    int nrequests;
    int request;                    /* the one in progress (have_xfer), else -1 */
    /* the bulk IN read request being filled */
    uint8_t read_buf[USB_HOST_READ_REQUEST];
    int read_len;
    uint64_t read_started_ps;       /* when its first byte came */
    /* --suspend-ms: no frames from suspend_at_ps; traffic again from resume_at_ps */
    uint64_t suspend_at_ps, resume_at_ps;
    int suspending;
    uint64_t in_bytes, out_bytes;
    char status[160];               /* what the host is doing, for timeouts */
    const board_services *svc;
    usb_cable cable;                /* in: the device at the other end */
    const usb_terminal *terminal;   /* in: the program with the port open, or NULL */
    sim_probe stopped;              /* in: the run has been stopped */
} usb_host;

void usb_host_init(usb_host *h, const board_services *svc, usb_cable cable);
/* time of the next host action (ps) */
uint64_t usb_host_next_event(usb_host *h);
/* runs the host's actions due now */
void usb_host_tick(usb_host *h);
/* stop reading IN data for ms milliseconds from now */
void usb_host_stall(usb_host *h, uint32_t ms);
/* The terminal closes (0) or opens (1) the port: SET_CONTROL_LINE_STATE with
 * DTR off or on. While it is closed the host does not read IN data, as an
 * operating system with no reader does. Returns NULL, or why the port
 * cannot be opened: the host has gone away (usb_host_disconnect). */
const char *usb_host_set_dtr(usb_host *h, int dtr);
/* the terminal closes the port and the host goes away for good */
void usb_host_disconnect(usb_host *h);
/* CLEAR_FEATURE(ENDPOINT_HALT) to the bulk IN and OUT endpoints, which
 * resets both data toggles to DATA0 (the endpoints need not be halted) */
void usb_host_clear_halt(usb_host *h);
/* the 1200-baud touch: SET_LINE_CODING(1200 8N1) on the open port, then
 * the port closes (DTR off) */
void usb_host_touch_1200(usb_host *h);
/* a request to the reset interface, as picotool sends it: bootsel 1 is
 * RESET_REQUEST_BOOTSEL with wValue value, 0 RESET_REQUEST_FLASH */
void usb_host_reset_request(usb_host *h, int bootsel, uint16_t value);
/* asks for the Microsoft OS 2.0 descriptor set, as Windows does, and checks it */
void usb_host_ms_os_20(usb_host *h);
/* the host suspends the bus (no SOF) for ms milliseconds, then resumes it */
void usb_host_suspend(usb_host *h, uint32_t ms);
/* the host resets the bus and enumerates the device again */
void usb_host_bus_reset(usb_host *h);
/* one-line description of the host state, for timeout messages */
const char *usb_host_status(usb_host *h);

#endif
