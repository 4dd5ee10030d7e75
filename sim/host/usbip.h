/* usbip.h - the board's USB port exported over USB/IP (picollama-sim
 * --usbip), as Linux's usbipd exports a device: a TCP server that lists
 * the port as bus id 1-1 (OP_REQ_DEVLIST), lets one importer at a time
 * attach it (OP_REQ_IMPORT), then carries that importer's URBs
 * (USBIP_CMD_SUBMIT, USBIP_CMD_UNLINK) to the host controller on the cable
 * (chips/usb_hc.c) and their results back (USBIP_RET_SUBMIT,
 * USBIP_RET_UNLINK). The wire format is Linux's
 * Documentation/usb/usbip_protocol.rst (version 0x0111, big-endian); the
 * importer is typically `usbip attach` with vhci_hcd.
 *
 * A second importer is refused (status ST_DEV_BUSY) while one is attached;
 * a request for another bus id gets ST_NODEV; an import that comes before
 * the firmware's USB device has enumerated waits for it (10 s of modelled
 * time, then ST_DEV_ERR). When the importer goes away, the host controller
 * takes its URBs back and resets the device; when the device leaves the
 * bus, the importer's connection is closed (vhci_hcd then detaches it).
 * A malformed message (short header at end of stream, a wrong version, an
 * unknown command, a length beyond USBIP_MAX_TRANSFER) closes its
 * connection with a warning naming it.
 *
 * Modelled time and the wall clock: the simulator never runs ahead of
 * real time while the port is exported (it waits for the sockets
 * instead), so an idle board costs no CPU and a remote host's timeouts
 * mean what they say; a busy board runs as fast as it can. */
#ifndef SIM_USBIP_H
#define SIM_USBIP_H

#include <stddef.h>
#include <stdint.h>

#include "usb_hc.h"

#define USBIP_DEFAULT_ADDRESS "127.0.0.1"
#define USBIP_DEFAULT_PORT 3240
#define USBIP_BUSID "1-1"

/* ---- the wire format (also for the tests) ---- */
#define USBIP_VERSION 0x0111
enum {
    USBIP_OP_REQ_DEVLIST = 0x8005, USBIP_OP_REP_DEVLIST = 0x0005,
    USBIP_OP_REQ_IMPORT = 0x8003, USBIP_OP_REP_IMPORT = 0x0003
};
enum { USBIP_CMD_SUBMIT = 1, USBIP_CMD_UNLINK = 2, USBIP_RET_SUBMIT = 3, USBIP_RET_UNLINK = 4 };
/* op_common status (tools/usb/usbip/libsrc/usbip_common.h) */
enum { USBIP_ST_OK = 0, USBIP_ST_NA = 1, USBIP_ST_DEV_BUSY = 2, USBIP_ST_DEV_ERR = 3,
       USBIP_ST_NODEV = 4, USBIP_ST_ERROR = 5 };
#define USBIP_OP_HEADER_LEN 8
#define USBIP_HEADER_LEN 48          /* every CMD_ and RET_ header */
#define USBIP_DEVICE_LEN 312         /* struct usbip_usb_device */
#define USBIP_MAX_TRANSFER (64 * 1024) /* the largest URB buffer accepted */
#define USBIP_MAX_ISO_PACKETS 1024
#define USBIP_URB_SHORT_NOT_OK 0x0001
#define USBIP_URB_ZERO_PACKET 0x0040

typedef struct {
    uint16_t code;
    char busid[32];               /* OP_REQ_IMPORT */
} usbip_op;

typedef struct {
    uint32_t command, seqnum, devid, direction, ep;
    uint32_t flags, length, start_frame, interval;
    int32_t npackets;             /* -1 or 0: not isochronous */
    uint8_t setup[8];
    uint32_t unlink_seqnum;       /* CMD_UNLINK */
    const uint8_t *payload;       /* an OUT submit's data (length bytes) */
} usbip_cmd;

/* Decoders of what an importer sends: > 0 the bytes the message takes
 * (*op or *cmd filled in), 0 if more bytes are needed, -1 if it is
 * malformed (why says how). */
int usbip_decode_op(const uint8_t *buf, size_t len, usbip_op *op, char *why, size_t whylen);
int usbip_decode_cmd(const uint8_t *buf, size_t len, usbip_cmd *cmd, char *why, size_t whylen);

/* "[ADDR:]PORT" (ADDR a name, an IPv4 address or [IPv6]; PORT 0 to 65535,
 * 0 = any free one): NULL, or why it is not one */
const char *usbip_parse_address(const char *spec, char *host, size_t hostlen, int *port);

/* ---- the server ---- */
typedef struct usbip_server usbip_server;

/* Listens on host:port for the host controller hc; NULL with err set (the
 * address cannot be resolved or is in use). */
usbip_server *usbip_open(const char *host, int port, usb_hc *hc, char *err, size_t errlen);
/* "127.0.0.1:3240", as bound */
const char *usbip_where(const usbip_server *s);
/* Services the sockets at modelled time now_ps, waiting (at most 50 ms)
 * while modelled time is ahead of the wall clock. */
void usbip_poll(usbip_server *s, uint64_t now_ps);
void usbip_close(usbip_server *s);

#endif
