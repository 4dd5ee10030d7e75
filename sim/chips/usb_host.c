/* usb_host.c - the built-in USB host (see usb_host.h). Timings from the USB
 * 2.0 specification: attach debounce 100 ms (TATTDB), bus reset 10 ms
 * (TDRST), reset recovery 10 ms (TRSTRCY), SET_ADDRESS recovery 2 ms
 * (TDSETADDR), SOF every 1 ms, device suspend after 3 ms without SOF. The
 * request sequence follows what Linux does for a new full-speed device. */
#include "usb_host.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "simtime.h"

#define TICK_PS (125ull * 1000000ull) /* the host acts every 125 us */
#define FRAME_BUDGET 1216             /* full-speed bulk bytes per frame (19 x 64) */

enum { H_DETACHED = 0, H_DEBOUNCE, H_RESET, H_RECOVERY, H_ENUM, H_CONFIGURED, H_GONE, H_FAILED };

/* enumeration steps, in Linux's order (hub_port_init reads the BOS
 * descriptor of a USB 2.1 device right after its device descriptor) */
enum {
    S_DEV64 = 0, S_RESET2, S_SET_ADDRESS, S_DEV18, S_BOS5, S_BOS_ALL, S_QUALIFIER, S_CFG9,
    S_CFG_ALL, S_STR0, S_STR1, S_STR2, S_STR3, S_SET_CONFIG, S_BIND_CODING, S_DONE
};
/* requests to the configured device */
enum { REQ_OPEN = 0, REQ_OPEN_CODING, REQ_CLOSE, REQ_CLEAR_HALT_IN, REQ_CLEAR_HALT_OUT,
       REQ_TOUCH_CODING, REQ_RESET_BOOTSEL, REQ_RESET_FLASH, REQ_MS_OS_20 };

#define DESC_DEVICE 1
#define DESC_CONFIG 2
#define DESC_STRING 3
#define DESC_INTERFACE 4
#define DESC_ENDPOINT 5
#define DESC_QUALIFIER 6
#define DESC_IAD 0x0B
#define DESC_BOS 0x0F
#define DESC_DEVICE_CAPABILITY 0x10
#define DESC_CS_INTERFACE 0x24
#define CAPABILITY_PLATFORM 0x05

/* the Pico SDK's reset interface (pico/usb_reset_interface.h) and its
 * requests, as picotool sends them (main.cpp reboot_device) */
#define RESET_INTERFACE_CLASS 0xFF
#define RESET_INTERFACE_SUBCLASS 0x00
#define RESET_INTERFACE_PROTOCOL 0x01
#define RESET_REQUEST_BOOTSEL 0x01
#define RESET_REQUEST_FLASH 0x02
/* Microsoft OS 2.0: the platform capability's UUID
 * {D8DD60DF-4589-4CC7-9CD2-659D9E648A9F} as stored, and the wIndex of the
 * request for the descriptor set */
static const uint8_t MS_OS_20_UUID[16] = {0xDF, 0x60, 0xDD, 0xD8, 0x89, 0x45, 0xC7, 0x4C,
                                          0x9C, 0xD2, 0x65, 0x9D, 0x9E, 0x64, 0x8A, 0x9F};
#define MS_OS_20_DESCRIPTOR_INDEX 7

static uint64_t now(usb_host *h) { return svc_now_ps(h->svc); }

/* the run has been stopped (by a violation here, a fault of the device, a
 * timeout): no more transactions */
static int run_stopped(usb_host *h) { return probe_read(&h->stopped, 0) != 0; }

/* a violation of the protocol by the device: the run ends with exit code 2 */
static void violation(usb_host *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void violation(usb_host *h, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    h->state = H_FAILED;
    svc_stop(h->svc, STOP_FAULT, SIM_EXIT_FAULT, "USB protocol violation: %s", msg);
}

static void set_state(usb_host *h, int s)
{
    h->state = s;
    h->state_at_ps = now(h);
}

/* the host as at power-on, nothing seen on the bus; the wiring (services,
 * cable, terminal, stop probe) stays */
static void restart(usb_host *h)
{
    usb_host keep = *h;
    memset(h, 0, sizeof(*h));
    h->svc = keep.svc;
    h->cable = keep.cable;
    h->terminal = keep.terminal;
    h->stopped = keep.stopped;
    h->next_tick_ps = TICK_PS;
    h->mps0 = 64;
    h->request = -1;
    h->reset_if = -1;
    h->ms_vendor_code = -1;
    h->terminal_open = 1; /* a terminal opens the port as soon as the driver is bound */
    snprintf(h->status, sizeof(h->status), "no device attached");
}

void usb_host_init(usb_host *h, const board_services *svc, usb_cable cable)
{
    memset(h, 0, sizeof(*h));
    h->svc = svc;
    h->cable = cable;
    restart(h);
}

uint64_t usb_host_next_event(usb_host *h) { return h->next_tick_ps; }

void usb_host_stall(usb_host *h, uint32_t ms) { h->stall_until_ps = now(h) + ms * PS_PER_MS; }

/* ---- control transfers (usb_xfer.c runs them) ---- */

static void start_xfer(usb_host *h, const char *name, uint8_t type, uint8_t req, uint16_t value,
                       uint16_t index, uint16_t length, const uint8_t *out, int allow_stall)
{
    const uint8_t setup[8] = {type, req, (uint8_t)value, (uint8_t)(value >> 8), (uint8_t)index,
                              (uint8_t)(index >> 8), (uint8_t)length, (uint8_t)(length >> 8)};
    usb_ctrl_start(&h->x, name, setup, h->mps0, out, allow_stall, now(h));
    h->have_xfer = 1;
}

/* one step of the control transfer; returns 1 if it moved on, 0 to wait
 * (or the device broke the protocol: the run stops) */
static int xfer_step(usb_host *h)
{
    char why[600];
    int r = usb_ctrl_step(&h->x, &h->cable, h->addr, why, sizeof(why));
    if (r == XFER_FAILED) violation(h, "%s", why);
    return r == XFER_MOVED;
}

/* ---- descriptor checks ---- */

static int check_device_descriptor(usb_host *h, const uint8_t *d, int len, int full)
{
    if (len < 8) {
        violation(h, "GET_DESCRIPTOR(DEVICE): only %d bytes returned (at least 8 needed)", len);
        return 0;
    }
    if (d[0] != 18 || d[1] != DESC_DEVICE) {
        violation(h, "device descriptor: bLength %u, bDescriptorType 0x%02x (want 18, 0x01)", d[0], d[1]);
        return 0;
    }
    if (d[7] != 8 && d[7] != 16 && d[7] != 32 && d[7] != 64) {
        violation(h, "device descriptor: bMaxPacketSize0 %u (full speed allows 8, 16, 32, 64)", d[7]);
        return 0;
    }
    if (!full) return 1;
    if (len != 18) {
        violation(h, "GET_DESCRIPTOR(DEVICE, 18): %d bytes returned", len);
        return 0;
    }
    uint16_t bcd = (uint16_t)(d[2] | d[3] << 8);
    if (bcd < 0x0100 || bcd > 0x0210) {
        violation(h, "device descriptor: bcdUSB 0x%04x is not a USB 1.x/2.x version", bcd);
        return 0;
    }
    if (d[17] < 1) {
        violation(h, "device descriptor: bNumConfigurations is 0");
        return 0;
    }
    if (d[7] != h->devdesc[7]) {
        violation(h, "device descriptor: bMaxPacketSize0 changed from %u to %u between requests",
                  h->devdesc[7], d[7]);
        return 0;
    }
    return 1;
}

typedef struct {
    int number, alt, nep, seen_ep, cls, sub, proto;
    int has_header, has_union, union_ctrl, union_sub;
    int ep_in, ep_out, ep_int, mps_in, mps_out, mps_int, int_interval;
} iface_info;

static int check_endpoint(usb_host *h, const uint8_t *d, int off, iface_info *itf, uint8_t *seen_addr)
{
    if (d[0] != 7 && d[0] != 9) {
        violation(h, "configuration: endpoint descriptor at offset %d has bLength %u (want 7)", off, d[0]);
        return 0;
    }
    uint8_t addr = d[2], type = d[3] & 3;
    uint16_t mps = (uint16_t)((d[4] | d[5] << 8) & 0x7FF);
    if ((addr & 0x70) || (addr & 0xF) == 0) {
        violation(h, "configuration: endpoint descriptor at offset %d has invalid bEndpointAddress 0x%02x",
                  off, addr);
        return 0;
    }
    if (itf->alt == 0 && seen_addr[addr & 0x8F]) {
        violation(h, "configuration: endpoint address 0x%02x is used twice", addr);
        return 0;
    }
    if (itf->alt == 0) seen_addr[addr & 0x8F] = 1;
    if (type == 2 && mps != 8 && mps != 16 && mps != 32 && mps != 64) {
        violation(h, "configuration: bulk endpoint 0x%02x has wMaxPacketSize %u (full speed allows "
                  "8, 16, 32 or 64)", addr, mps);
        return 0;
    }
    if (type == 3 && (mps == 0 || mps > 64 || d[6] == 0)) {
        violation(h, "configuration: interrupt endpoint 0x%02x has wMaxPacketSize %u / bInterval "
                  "%u (full speed: 1..64 bytes, interval >= 1 ms)", addr, mps, d[6]);
        return 0;
    }
    if (type == 0) {
        violation(h, "configuration: endpoint 0x%02x declares the control transfer type", addr);
        return 0;
    }
    itf->seen_ep++;
    if (type == 2 && (addr & 0x80)) { itf->ep_in = addr & 0xF; itf->mps_in = mps; }
    if (type == 2 && !(addr & 0x80)) { itf->ep_out = addr & 0xF; itf->mps_out = mps; }
    if (type == 3 && (addr & 0x80)) { itf->ep_int = addr & 0xF; itf->mps_int = mps; itf->int_interval = d[6]; }
    return 1;
}

static int check_cs_interface(usb_host *h, const uint8_t *d, int off, iface_info *itf)
{
    if (d[0] < 3) {
        violation(h, "configuration: class-specific descriptor at offset %d is too short", off);
        return 0;
    }
    static const int want_len[7] = {5, 5, 4, 0, 0, 0, 5};
    int sub = d[2];
    if (sub <= 6 && want_len[sub] && (sub == 6 ? d[0] < 5 : d[0] != want_len[sub])) {
        violation(h, "configuration: CDC functional descriptor subtype 0x%02x at offset %d has "
                  "bLength %u (want %d)", sub, off, d[0], want_len[sub]);
        return 0;
    }
    if (sub == 0) itf->has_header = 1;
    else if (!itf->has_header && itf->cls == 2) {
        violation(h, "configuration: CDC functional descriptor subtype 0x%02x at offset %d comes "
                  "before the CDC header descriptor", sub, off);
        return 0;
    }
    if (sub == 6) {
        itf->has_union = 1;
        itf->union_ctrl = d[3];
        itf->union_sub = d[4];
    }
    return 1;
}

static int finish_interface(usb_host *h, iface_info *itf)
{
    if (itf->number >= 0 && itf->seen_ep != itf->nep) {
        violation(h, "configuration: interface %d declares bNumEndpoints %d but %d endpoint "
                  "descriptors follow it", itf->number, itf->nep, itf->seen_ep);
        return 0;
    }
    return 1;
}

/* finds and checks the CDC-ACM function */
static int find_cdc(usb_host *h, iface_info *ifs, int nifs, int iad_first, int iad_count, int iad_class)
{
    iface_info *comm = NULL, *data = NULL;
    for (int i = 0; i < nifs; i++)
        if (ifs[i].alt == 0 && ifs[i].cls == 2 && ifs[i].sub == 2) comm = &ifs[i];
    if (!comm) return 1;   /* no CDC-ACM here */
    if (!comm->has_header || !comm->has_union) {
        violation(h, "configuration: CDC-ACM interface %d lacks its %s functional descriptor",
                  comm->number, comm->has_header ? "union" : "header");
        return 0;
    }
    if (comm->union_ctrl != comm->number) {
        violation(h, "configuration: CDC union descriptor names control interface %d, but it "
                  "belongs to interface %d", comm->union_ctrl, comm->number);
        return 0;
    }
    for (int i = 0; i < nifs; i++)
        if (ifs[i].alt == 0 && ifs[i].number == comm->union_sub) data = &ifs[i];
    if (!data || data->cls != 0x0A) {
        violation(h, "configuration: CDC union descriptor names data interface %d, which is %s",
                  comm->union_sub, data ? "not a CDC data interface (class 0x0A)" : "missing");
        return 0;
    }
    if (!comm->ep_int) {
        violation(h, "configuration: CDC-ACM interface %d has no interrupt IN (notification) endpoint",
                  comm->number);
        return 0;
    }
    if (!data->ep_in || !data->ep_out) {
        violation(h, "configuration: CDC data interface %d needs one bulk IN and one bulk OUT endpoint",
                  data->number);
        return 0;
    }
    uint8_t dclass = h->devdesc[4];
    if (dclass == 0xEF) {
        if (iad_first < 0 || iad_first != comm->number || iad_count < 2 || iad_class != 2) {
            violation(h, "configuration: the device class is 0xEF (interface association), but no "
                      "interface association descriptor covers the CDC interfaces %d-%d",
                      comm->number, data->number);
            return 0;
        }
    }
    h->comm_if = comm->number;
    h->data_if = data->number;
    h->ep_in = data->ep_in;
    h->mps_in = data->mps_in;
    h->ep_out = data->ep_out;
    h->mps_out = data->mps_out;
    h->ep_notif = comm->ep_int;
    h->mps_notif = comm->mps_int;
    h->notif_interval = comm->int_interval;
    return 1;
}

/* what the host saw, for -v: the interfaces and their classes */
static void log_interface(const iface_info *itf)
{
    const char *what = "unknown class";
    if (itf->cls == 2 && itf->sub == 2) what = "CDC-ACM communications";
    else if (itf->cls == 0x0A) what = "CDC data";
    else if (itf->cls == RESET_INTERFACE_CLASS && itf->sub == RESET_INTERFACE_SUBCLASS &&
             itf->proto == RESET_INTERFACE_PROTOCOL)
        what = "vendor: Raspberry Pi reset interface (picotool)";
    else if (itf->cls == 0xFF) what = "vendor-specific";
    sim_info("USB: interface %d (alternate %d): class 0x%02x, subclass 0x%02x, protocol 0x%02x "
             "(%s), %d endpoint%s", itf->number, itf->alt, itf->cls, itf->sub, itf->proto, what,
             itf->nep, itf->nep == 1 ? "" : "s");
}

static int check_config(usb_host *h, const uint8_t *c, int len)
{
    int total = c[2] | c[3] << 8;
    if (len != total) {
        violation(h, "configuration descriptor: wTotalLength is %d but the device returned %d bytes "
                  "for GET_DESCRIPTOR(CONFIGURATION, %d)", total, len, total);
        return 0;
    }
    iface_info ifs[16], cur;
    memset(&cur, 0, sizeof(cur));
    cur.number = -1;
    int nifs = 0, iad_first = -1, iad_count = 0, iad_class = 0;
    uint8_t seen_addr[256] = {0}, if_seen[32] = {0};
    for (int off = 0; off < len;) {
        const uint8_t *d = c + off;
        if (off + 2 > len || d[0] < 2) {
            violation(h, "configuration: descriptor at offset %d has bLength %u", off, off + 2 > len ? 0 : d[0]);
            return 0;
        }
        if (off + d[0] > len) {
            violation(h, "configuration: descriptor at offset %d (type 0x%02x, bLength %u) runs past "
                      "wTotalLength %d", off, d[1], d[0], len);
            return 0;
        }
        switch (d[1]) {
        case DESC_CONFIG:
            if (off != 0 || d[0] != 9) {
                violation(h, "configuration: configuration descriptor at offset %d with bLength %u", off, d[0]);
                return 0;
            }
            break;
        case DESC_INTERFACE:
            if (d[0] != 9) {
                violation(h, "configuration: interface descriptor at offset %d has bLength %u", off, d[0]);
                return 0;
            }
            if (!finish_interface(h, &cur)) return 0;
            if (cur.number >= 0 && nifs < 16) ifs[nifs++] = cur;
            memset(&cur, 0, sizeof(cur));
            cur.number = d[2];
            cur.alt = d[3];
            cur.nep = d[4];
            cur.cls = d[5];
            cur.sub = d[6];
            cur.proto = d[7];
            if (d[2] < 32) if_seen[d[2]] = 1;
            break;
        case DESC_ENDPOINT:
            if (cur.number < 0) {
                violation(h, "configuration: endpoint descriptor at offset %d before any interface", off);
                return 0;
            }
            if (!check_endpoint(h, d, off, &cur, seen_addr)) return 0;
            break;
        case DESC_IAD:
            if (d[0] != 8 || d[3] < 1) {
                violation(h, "configuration: interface association descriptor at offset %d is malformed "
                          "(bLength %u, bInterfaceCount %u)", off, d[0], d[3]);
                return 0;
            }
            if (off + d[0] < len && c[off + d[0] + 1] == DESC_INTERFACE && c[off + d[0] + 2] != d[2]) {
                violation(h, "configuration: interface association descriptor names first interface %u "
                          "but interface %u follows it", d[2], c[off + d[0] + 2]);
                return 0;
            }
            iad_first = d[2];
            iad_count = d[3];
            iad_class = d[4];
            break;
        case DESC_CS_INTERFACE:
            if (cur.number < 0) break;
            if (!check_cs_interface(h, d, off, &cur)) return 0;
            break;
        default: break;
        }
        off += d[0];
    }
    if (!finish_interface(h, &cur)) return 0;
    if (cur.number >= 0 && nifs < 16) ifs[nifs++] = cur;
    int count = 0;
    for (int i = 0; i < 32; i++) count += if_seen[i];
    if (count != c[4]) {
        violation(h, "configuration descriptor: bNumInterfaces is %u but %d interfaces are described",
                  c[4], count);
        return 0;
    }
    for (int i = 0; i < count; i++)
        if (!if_seen[i]) {
            violation(h, "configuration: interface numbers must run from 0; interface %d is missing", i);
            return 0;
        }
    if (!(c[7] & 0x80)) {
        violation(h, "configuration descriptor: bmAttributes bit 7 (reserved, set to 1) is 0");
        return 0;
    }
    h->cfg_total = total;
    h->reset_if = -1;
    for (int i = 0; i < nifs; i++) {
        log_interface(&ifs[i]);
        if (ifs[i].alt == 0 && ifs[i].cls == RESET_INTERFACE_CLASS &&
            ifs[i].sub == RESET_INTERFACE_SUBCLASS && ifs[i].proto == RESET_INTERFACE_PROTOCOL)
            h->reset_if = ifs[i].number;
    }
    return find_cdc(h, ifs, nifs, iad_first, iad_count, iad_class);
}

static void utf16_to_ascii(const uint8_t *d, int len, char *out, size_t outlen)
{
    size_t k = 0;
    for (int i = 2; i + 1 < len && k + 1 < outlen; i += 2) {
        uint16_t ch = (uint16_t)(d[i] | d[i + 1] << 8);
        out[k++] = ch >= 32 && ch < 127 ? (char)ch : '?';
    }
    out[k] = '\0';
}

static int check_string(usb_host *h, int index, const uint8_t *d, int len)
{
    if (len < 2 || d[1] != DESC_STRING || d[0] < 2 || (d[0] & 1) || d[0] > len) {
        violation(h, "string descriptor %d: bLength %u, bDescriptorType 0x%02x, %d bytes returned "
                  "(want an even bLength <= the bytes returned, type 0x03)", index, len ? d[0] : 0,
                  len > 1 ? d[1] : 0, len);
        return 0;
    }
    if (index == 0 && d[0] < 4) {
        violation(h, "string descriptor 0 lists no LANGID");
        return 0;
    }
    return 1;
}

/* A Microsoft OS 2.0 platform capability (at offset off of the BOS):
 * UUID, dwWindowsVersion, wMSOSDescriptorSetTotalLength, bMS_VendorCode,
 * bAltEnumCode */
static int check_ms_os_20_capability(usb_host *h, const uint8_t *d, int off)
{
    if (d[0] != 28) {
        violation(h, "BOS: the Microsoft OS 2.0 platform capability at offset %d has bLength %u "
                  "(want 28)", off, d[0]);
        return 0;
    }
    uint32_t windows = (uint32_t)d[20] | (uint32_t)d[21] << 8 | (uint32_t)d[22] << 16 |
                       (uint32_t)d[23] << 24;
    int set_len = d[24] | d[25] << 8;
    if (windows < 0x06030000u || set_len < 10) {
        violation(h, "BOS: Microsoft OS 2.0 capability with dwWindowsVersion 0x%08x and a "
                  "descriptor set of %d bytes (want Windows 8.1, 0x06030000, or later; at least "
                  "the 10-byte set header)", windows, set_len);
        return 0;
    }
    h->ms_vendor_code = d[26];
    h->ms_set_len = set_len;
    sim_info("USB: BOS: Microsoft OS 2.0 platform capability: descriptor set of %d bytes for "
             "Windows 0x%08x and later, vendor code 0x%02x", set_len, windows, d[26]);
    return 1;
}

/* the BOS descriptor (USB 3.2 9.6.2): header, then device capabilities */
static int check_bos(usb_host *h, const uint8_t *b, int len)
{
    int total = b[2] | b[3] << 8;
    if (len != total) {
        violation(h, "BOS descriptor: wTotalLength is %d but the device returned %d bytes", total, len);
        return 0;
    }
    int caps = 0;
    h->ms_vendor_code = -1;
    for (int off = 5; off < len; caps++) {
        const uint8_t *d = b + off;
        if (off + 3 > len || d[0] < 3 || off + d[0] > len || d[1] != DESC_DEVICE_CAPABILITY) {
            violation(h, "BOS: the device capability at offset %d is malformed (bLength %u, type "
                      "0x%02x; %d bytes left)", off, off < len ? d[0] : 0,
                      off + 1 < len ? d[1] : 0, len - off);
            return 0;
        }
        if (d[2] == CAPABILITY_PLATFORM && d[0] >= 20 && !memcmp(d + 4, MS_OS_20_UUID, 16) &&
            !check_ms_os_20_capability(h, d, off))
            return 0;
        off += d[0];
    }
    if (caps != b[4]) {
        violation(h, "BOS descriptor: bNumDeviceCaps is %u but %d capabilities follow", b[4], caps);
        return 0;
    }
    return 1;
}

/* ---- enumeration sequence ---- */

static void next_step(usb_host *h, int step)
{
    h->step = step;
    h->have_xfer = 0;
}

static void start_step(usb_host *h)
{
    switch (h->step) {
    case S_DEV64: start_xfer(h, "GET_DESCRIPTOR(DEVICE)", 0x80, 6, 0x0100, 0, 64, NULL, 0); break;
    case S_SET_ADDRESS: start_xfer(h, "SET_ADDRESS", 0x00, 5, USB_HOST_ADDRESS, 0, 0, NULL, 0); break;
    case S_DEV18: start_xfer(h, "GET_DESCRIPTOR(DEVICE)", 0x80, 6, 0x0100, 0, 18, NULL, 0); break;
    case S_BOS5: start_xfer(h, "GET_DESCRIPTOR(BOS, 5)", 0x80, 6, 0x0F00, 0, 5, NULL, 0); break;
    case S_BOS_ALL:
        start_xfer(h, "GET_DESCRIPTOR(BOS, wTotalLength)", 0x80, 6, 0x0F00, 0, (uint16_t)h->bos_total,
                   NULL, 0);
        break;
    case S_QUALIFIER: start_xfer(h, "GET_DESCRIPTOR(DEVICE_QUALIFIER)", 0x80, 6, 0x0600, 0, 10, NULL, 1); break;
    case S_CFG9: start_xfer(h, "GET_DESCRIPTOR(CONFIGURATION)", 0x80, 6, 0x0200, 0, 9, NULL, 0); break;
    case S_CFG_ALL:
        start_xfer(h, "GET_DESCRIPTOR(CONFIGURATION, wTotalLength)", 0x80, 6, 0x0200, 0,
                   (uint16_t)h->cfg_total, NULL, 0);
        break;
    case S_STR0: start_xfer(h, "GET_DESCRIPTOR(STRING 0)", 0x80, 6, 0x0300, 0, 255, NULL, 0); break;
    case S_STR1: case S_STR2: case S_STR3: {
        int idx = h->string_index[h->step - S_STR1];
        char name[48];
        snprintf(name, sizeof(name), "GET_DESCRIPTOR(STRING %d)", idx);
        start_xfer(h, name, 0x80, 6, (uint16_t)(0x0300 | idx), h->langid, 255, NULL, 0);
        break;
    }
    case S_SET_CONFIG:
        start_xfer(h, "SET_CONFIGURATION", 0x00, 9, h->cfg[5], 0, 0, NULL, 0);
        break;
    case S_BIND_CODING: {
        const uint8_t coding[7] = {0x80, 0x25, 0x00, 0x00, 0, 0, 8}; /* 9600 8N1 */
        start_xfer(h, "SET_LINE_CODING(9600 8N1)", 0x21, 0x20, 0, (uint16_t)h->comm_if, 7, coding, 1);
        break;
    }
    default: break;
    }
}

/* what to do when the step's transfer finished */
static void step_done(usb_host *h)
{
    usb_ctrl_xfer *x = &h->x;
    switch (h->step) {
    case S_DEV64:
        if (!check_device_descriptor(h, x->data, x->len, 0)) return;
        memcpy(h->devdesc, x->data, x->len < 18 ? (size_t)x->len : 18);
        h->mps0 = x->data[7];
        /* like Linux and Windows: a second bus reset before SET_ADDRESS */
        h->cable.bus_reset(h->cable.dev);
        next_step(h, S_RESET2);
        h->state_at_ps = now(h);
        return;
    case S_SET_ADDRESS:
        h->addr = USB_HOST_ADDRESS;
        h->state_at_ps = now(h) + 2 * PS_PER_MS;   /* SET_ADDRESS recovery */
        next_step(h, S_DEV18);
        return;
    case S_DEV18:
        if (!check_device_descriptor(h, x->data, x->len, 1)) return;
        memcpy(h->devdesc, x->data, 18);
        for (int i = 0; i < 3; i++) h->string_index[i] = x->data[14 + i];
        h->qualifier_tries = 0;
        h->ms_vendor_code = -1;
        next_step(h, (h->devdesc[2] | h->devdesc[3] << 8) >= 0x0201 ? S_BOS5 : S_QUALIFIER);
        return;
    case S_BOS5:
        if (x->len != 5 || x->data[0] != 5 || x->data[1] != DESC_BOS) {
            violation(h, "GET_DESCRIPTOR(BOS, 5) of a USB %x.%x device: %d bytes, bLength %u, type "
                      "0x%02x (want 5 bytes, 5, 0x0F: a device with bcdUSB 0x0201 or later must "
                      "have a BOS descriptor)", h->devdesc[3], h->devdesc[2] >> 4, x->len,
                      x->len ? x->data[0] : 0, x->len > 1 ? x->data[1] : 0);
            return;
        }
        h->bos_total = x->data[2] | x->data[3] << 8;
        if (h->bos_total < 5 || h->bos_total > USB_CTRL_MAX_DATA) {
            violation(h, "BOS descriptor: wTotalLength %d is out of range", h->bos_total);
            return;
        }
        next_step(h, S_BOS_ALL);
        return;
    case S_BOS_ALL:
        if (!check_bos(h, x->data, x->len)) return;
        next_step(h, S_QUALIFIER);
        return;
    case S_QUALIFIER:
        if (!x->stalled && (x->len != 10 || x->data[1] != DESC_QUALIFIER)) {
            violation(h, "GET_DESCRIPTOR(DEVICE_QUALIFIER): a full-speed-only device must STALL it; "
                      "this one returned %d bytes of type 0x%02x", x->len, x->len > 1 ? x->data[1] : 0);
            return;
        }
        /* Linux asks three times when the answer is a stall */
        next_step(h, x->stalled && ++h->qualifier_tries < 3 ? S_QUALIFIER : S_CFG9);
        return;
    case S_CFG9:
        if (x->len != 9 || x->data[0] != 9 || x->data[1] != DESC_CONFIG) {
            violation(h, "GET_DESCRIPTOR(CONFIGURATION, 9): %d bytes, bLength %u, type 0x%02x "
                      "(want 9 bytes, 9, 0x02)", x->len, x->len ? x->data[0] : 0, x->len > 1 ? x->data[1] : 0);
            return;
        }
        h->cfg_total = x->data[2] | x->data[3] << 8;
        if (h->cfg_total < 9 || h->cfg_total > 1023) {
            violation(h, "configuration descriptor: wTotalLength %d is out of range", h->cfg_total);
            return;
        }
        next_step(h, S_CFG_ALL);
        return;
    case S_CFG_ALL:
        memcpy(h->cfg, x->data, (size_t)x->len);
        h->ep_in = h->ep_out = h->ep_notif = 0;
        if (!check_config(h, x->data, x->len)) return;
        next_step(h, (h->string_index[0] | h->string_index[1] | h->string_index[2]) ? S_STR0 : S_SET_CONFIG);
        return;
    case S_STR0:
        if (!check_string(h, 0, x->data, x->len)) return;
        h->langid = (uint16_t)(x->data[2] | x->data[3] << 8);
        next_step(h, S_STR1);
        break;
    case S_STR1: case S_STR2: case S_STR3:
        if (!check_string(h, h->string_index[h->step - S_STR1], x->data, x->len)) return;
        {
            static const char *what[3] = {"manufacturer", "product", "serial"};
            char s[80];
            utf16_to_ascii(x->data, x->data[0], s, sizeof(s));
            sim_info("USB: %s string \"%s\"", what[h->step - S_STR1], s);
        }
        next_step(h, h->step + 1);
        break;
    case S_SET_CONFIG:
        h->toggle_in = h->toggle_out = h->toggle_notif = 0;
        if (h->ep_in) {
            sim_info("USB: configured; CDC-ACM data IN EP%d (%d bytes), OUT EP%d (%d bytes), "
                     "notification EP%d", h->ep_in, h->mps_in, h->ep_out, h->mps_out, h->ep_notif);
            next_step(h, S_BIND_CODING);
        } else {
            sim_warn("USB: configured, but the configuration has no CDC-ACM function: no console");
            next_step(h, S_DONE);
        }
        return;
    case S_BIND_CODING:
        if (x->stalled) sim_warn("USB: the device STALLed SET_LINE_CODING");
        next_step(h, S_DONE);
        return;
    default: break;
    }
}

static void queue_request(usb_host *h, int request);

/* the host goes away: no more frames, the device sees a suspend */
static void go_away(usb_host *h)
{
    set_state(h, H_GONE);
    h->cable.suspend(h->cable.dev, 1);
    sim_info("USB: the host goes away");
    snprintf(h->status, sizeof(h->status), "the host went away at %llu ms (--disconnect-at-ms)",
             (unsigned long long)(h->went_away_ps / PS_PER_MS));
}

/* the enumeration is over: the driver is bound; the terminal, if it wants
 * the port, opens it */
static void enumeration_done(usb_host *h)
{
    set_state(h, H_CONFIGURED);
    if (h->going_away) go_away(h);
    else if (h->ep_in && h->terminal_open) queue_request(h, REQ_OPEN);
}

/* runs the current control transfer; 1 when it is done, 0 to wait (or
 * stopped: a timeout) */
static int run_xfer(usb_host *h)
{
    while (!run_stopped(h) && h->x.stage != X_DONE && xfer_step(h)) {}
    if (run_stopped(h)) return 0;
    if (h->x.stage == X_DONE) return 1;
    if (now(h) - h->x.started_ps > USB_CTRL_TIMEOUT_MS * PS_PER_MS) {
        h->state = H_FAILED;
        svc_stop(h->svc, STOP_TIMEOUT, SIM_EXIT_TIMEOUT,
                     "USB host: %s timed out after %d ms at address %d: the device NAKed the %s "
                     "%u times%s", h->x.name, USB_CTRL_TIMEOUT_MS, h->addr, usb_ctrl_stage_name(h->x.stage),
                     h->x.naks, h->x.stage == X_DATA_IN && h->x.len == 0
                                    ? " (the firmware never answered the SETUP request)" : "");
    }
    return 0;
}

/* runs the enumeration: the current step's control transfer, then the next */
static void enumerate(usb_host *h)
{
    if (h->step == S_RESET2) {
        if (now(h) < h->state_at_ps + 20 * PS_PER_MS) return;   /* 10 ms reset + 10 ms recovery */
        next_step(h, S_SET_ADDRESS);
    }
    if (h->step == S_DEV18 && now(h) < h->state_at_ps) return;   /* SET_ADDRESS recovery */
    while (h->step >= S_STR1 && h->step <= S_STR3 && !h->string_index[h->step - S_STR1]) h->step++;
    /* only a USB 2.0 device can have a high-speed mode to describe */
    if (h->step == S_QUALIFIER && (h->devdesc[2] | h->devdesc[3] << 8) < 0x0200) h->step++;
    if (h->step == S_DONE) {
        enumeration_done(h);
        return;
    }
    if (!h->have_xfer) start_step(h);
    if (run_xfer(h)) step_done(h);
}

/* ---- requests to the configured device ---- */

static void queue_request(usb_host *h, int request)
{
    if (h->nrequests < USB_HOST_MAX_REQUESTS) h->requests[h->nrequests++] = request;
    else sim_warn("USB host: too many requests queued; one is dropped");
}

/* forgets the bulk IN request being filled (its bytes are lost, as when
 * Linux cancels a request) */
static void cancel_read(usb_host *h)
{
    if (h->read_len)
        sim_info("USB: %d bytes held in a cancelled bulk IN request are lost", h->read_len);
    h->read_len = 0;
}

static void start_request(usb_host *h, int request)
{
    const uint8_t coding[7] = {0x00, 0xC2, 0x01, 0x00, 0, 0, 8}; /* 115200 8N1 */
    uint16_t comm = (uint16_t)h->comm_if;
    switch (request) {
    case REQ_OPEN: { /* the tty layer raises DTR and RTS when a program opens the port */
        int dtr = !h->terminal || h->terminal->raise_dtr;
        h->port_open = 1;
        h->next_notif_ps = now(h);
        sim_info("USB: the terminal opens the port (DTR %s)", dtr ? "on" : "off");
        start_xfer(h, dtr ? "SET_CONTROL_LINE_STATE(DTR|RTS)" : "SET_CONTROL_LINE_STATE(0)", 0x21,
                   0x22, dtr ? 3 : 0, comm, 0, NULL, 1);
        break;
    }
    case REQ_OPEN_CODING: /* the terminal program sets its speed */
        start_xfer(h, "SET_LINE_CODING(115200 8N1)", 0x21, 0x20, 0, comm, 7, coding, 1);
        break;
    case REQ_CLOSE: /* read requests are cancelled, then DTR and RTS drop */
        h->port_open = 0;
        cancel_read(h);
        sim_info("USB: the terminal closes the port (DTR off)");
        start_xfer(h, "SET_CONTROL_LINE_STATE(0)", 0x21, 0x22, 0, comm, 0, NULL, 1);
        break;
    case REQ_CLEAR_HALT_IN:
        start_xfer(h, "CLEAR_FEATURE(ENDPOINT_HALT) bulk IN", 0x02, 1, 0, (uint16_t)(0x80 | h->ep_in),
                   0, NULL, 0);
        break;
    case REQ_CLEAR_HALT_OUT:
        start_xfer(h, "CLEAR_FEATURE(ENDPOINT_HALT) bulk OUT", 0x02, 1, 0, (uint16_t)h->ep_out, 0,
                   NULL, 0);
        break;
    case REQ_TOUCH_CODING: { /* the 1200-baud touch: the port set to 1200, then closed */
        const uint8_t touch[7] = {0xB0, 0x04, 0x00, 0x00, 0, 0, 8}; /* 1200 8N1 */
        sim_info("USB: the 1200-baud touch: SET_LINE_CODING(1200 8N1), then the port closes");
        start_xfer(h, "SET_LINE_CODING(1200 8N1)", 0x21, 0x20, 0, comm, 7, touch, 1);
        break;
    }
    case REQ_RESET_BOOTSEL: /* class request to the interface, as picotool sends it */
        sim_info("USB: RESET_REQUEST_BOOTSEL (wValue 0x%04x) to the reset interface %d",
                 h->reset_value, h->reset_if);
        start_xfer(h, "RESET_REQUEST_BOOTSEL", 0x21, RESET_REQUEST_BOOTSEL, h->reset_value,
                   (uint16_t)h->reset_if, 0, NULL, 1);
        break;
    case REQ_RESET_FLASH:
        sim_info("USB: RESET_REQUEST_FLASH to the reset interface %d", h->reset_if);
        start_xfer(h, "RESET_REQUEST_FLASH", 0x21, RESET_REQUEST_FLASH, 0, (uint16_t)h->reset_if, 0,
                   NULL, 1);
        break;
    case REQ_MS_OS_20: /* what Windows asks a device with the capability for */
        start_xfer(h, "GET_MS_OS_20_DESCRIPTOR_SET", 0xC0, (uint8_t)h->ms_vendor_code, 0,
                   MS_OS_20_DESCRIPTOR_INDEX, (uint16_t)h->ms_set_len, NULL, 0);
        break;
    default: break;
    }
}

/* ---- the Microsoft OS 2.0 descriptor set (what Windows reads) ---- */

static int le16_at(const uint8_t *p) { return p[0] | p[1] << 8; }

/* UTF-16LE at p (n bytes) as ASCII */
static void utf16_text(const uint8_t *p, int n, char *out, size_t cap)
{
    size_t k = 0;
    for (int i = 0; i + 1 < n && k + 1 < cap; i += 2) {
        if (!p[i] && !p[i + 1]) break;
        out[k++] = p[i] >= 32 && p[i] < 127 && !p[i + 1] ? (char)p[i] : '?';
    }
    out[k] = '\0';
}

/* Set header, then feature descriptors, optionally in a function subset
 * (the SDK's layout: set header, function subset for the reset interface,
 * compatible ID WINUSB, registry property DeviceInterfaceGUID). */
static void check_ms_os_20_set(usb_host *h, const uint8_t *d, int len)
{
    if (len != h->ms_set_len || len < 10 || le16_at(d) != 10 || le16_at(d + 2) != 0 ||
        le16_at(d + 8) != len) {
        violation(h, "Microsoft OS 2.0 descriptor set: %d bytes returned for %d asked; set header "
                  "wLength %d, type %d, wTotalLength %d (want 10, 0, the set's length)", len,
                  h->ms_set_len, len >= 2 ? le16_at(d) : 0, len >= 4 ? le16_at(d + 2) : -1,
                  len >= 10 ? le16_at(d + 8) : 0);
        return;
    }
    int function = -1, subset_end = len, winusb = 0;
    char guid[80] = "";
    for (int off = 10; off < len;) {
        const uint8_t *e = d + off;
        int elen = off + 4 <= len ? le16_at(e) : 0, type = off + 4 <= len ? le16_at(e + 2) : -1;
        if (elen < 4 || off + elen > len) {
            violation(h, "Microsoft OS 2.0 descriptor set: descriptor at offset %d has wLength %d "
                      "(%d bytes left)", off, elen, len - off);
            return;
        }
        if (off >= subset_end) function = -1;
        if (type == 2) { /* function subset header: first interface, subset length */
            if (elen != 8 || off + le16_at(e + 6) > len) {
                violation(h, "Microsoft OS 2.0 function subset header at offset %d: wLength %d, "
                          "wSubsetLength %d", off, elen, le16_at(e + 6));
                return;
            }
            function = e[4];
            subset_end = off + le16_at(e + 6);
        } else if (type == 3) { /* compatible ID */
            if (elen != 20) {
                violation(h, "Microsoft OS 2.0 compatible ID at offset %d: wLength %d (want 20)", off, elen);
                return;
            }
            char id[9];
            memcpy(id, e + 4, 8);
            id[8] = '\0';
            if (!strcmp(id, "WINUSB")) winusb = function >= 0 ? function + 1 : -1;
        } else if (type == 4) { /* registry property: type, name length, name, data length, data */
            int name_len = le16_at(e + 6);
            int data_len = 8 + name_len + 2 <= elen ? le16_at(e + 8 + name_len) : -1;
            if (data_len < 0 || 10 + name_len + data_len != elen) {
                violation(h, "Microsoft OS 2.0 registry property at offset %d: wLength %d does not "
                          "hold its name (%d bytes) and data", off, elen, name_len);
                return;
            }
            char name[64];
            utf16_text(e + 8, name_len, name, sizeof(name));
            if (!strncmp(name, "DeviceInterfaceGUID", 19))
                utf16_text(e + 10 + name_len, data_len, guid, sizeof(guid));
        }
        off += elen;
    }
    if (winusb <= 0 || winusb - 1 != h->reset_if) {
        violation(h, "Microsoft OS 2.0 descriptor set: no compatible ID WINUSB for the reset "
                  "interface %d in a function subset (Windows would bind no driver to it)",
                  h->reset_if);
        return;
    }
    if (strlen(guid) != 38 || guid[0] != '{' || guid[37] != '}') {
        violation(h, "Microsoft OS 2.0 descriptor set: DeviceInterfaceGUID '%s' is not a "
                  "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx} GUID", guid);
        return;
    }
    sim_info("USB: Microsoft OS 2.0 descriptor set (%d bytes): interface %d binds WinUSB, "
             "DeviceInterfaceGUID %s", len, h->reset_if, guid);
}

static void request_done(usb_host *h, int request)
{
    if (h->x.stalled) sim_warn("USB: the device STALLed %s", h->x.name);
    /* the firmware answered the request, so it has seen the new line state:
     * only then does the next request (the terminal opening the port again,
     * say) go out */
    else if (request == REQ_OPEN || request == REQ_CLOSE)
        sim_info("USB: the device acknowledged %s", h->x.name);
    switch (request) {
    case REQ_OPEN:
        queue_request(h, REQ_OPEN_CODING);
        break;
    case REQ_CLEAR_HALT_IN: h->toggle_in = 0; break;   /* the next packet is DATA0 */
    case REQ_CLEAR_HALT_OUT: h->toggle_out = 0; break;
    case REQ_RESET_BOOTSEL:
    case REQ_RESET_FLASH:
        if (!h->x.stalled) sim_info("USB: the device acknowledged %s", h->x.name);
        break;
    case REQ_MS_OS_20: check_ms_os_20_set(h, h->x.data, h->x.len); break;
    default: break;
    }
}

/* one step of the queued control requests */
static void run_requests(usb_host *h)
{
    if (h->request < 0) {
        if (h->nrequests == 0) return;
        h->request = h->requests[0];
        memmove(h->requests, h->requests + 1, (size_t)--h->nrequests * sizeof(h->requests[0]));
        start_request(h, h->request);
    }
    if (!run_xfer(h)) return;
    int done = h->request;
    h->request = -1;
    h->have_xfer = 0;
    request_done(h, done);
}

/* a bulk endpoint whose CLEAR_FEATURE is under way carries no traffic: the
 * host resets its toggle only when the request completes */
static int clearing_halt(usb_host *h, int request)
{
    return h->request == request;
}

/* ---- steady state: CDC traffic ---- */

/* the handshake of a bulk transaction: 1 if ACKed; NAK waits, anything else
 * is a violation */
static int bulk_acked(usb_host *h, usb_resp r, const char *dir, int ep)
{
    if (r == USB_ACK) return 1;
    if (r == USB_NO_RESPONSE) violation(h, "bulk %s EP%d: no response (endpoint disabled?)", dir, ep);
    else if (r == USB_STALL) violation(h, "bulk %s EP%d is STALLed", dir, ep);
    return 0;
}

/* a read request completes: its bytes reach the terminal */
static void complete_read(usb_host *h)
{
    /* the terminal shows the USB port only when it is the console */
    const usb_terminal *t = h->terminal;
    if (h->read_len && t && t->carries_console) t->received(t->ctx, h->read_buf, (size_t)h->read_len);
    h->read_len = 0;
}

static void poll_in(usb_host *h)
{
    if (!h->ep_in || !h->port_open || now(h) < h->stall_until_ps) return; /* no reader */
    if (clearing_halt(h, REQ_CLEAR_HALT_IN)) return;
    uint8_t buf[1024];
    while (h->frame_bytes < FRAME_BUDGET && !run_stopped(h)) {
        int n = 0, pid = 0;
        usb_resp r = h->cable.in(h->cable.dev, h->addr, h->ep_in, buf, &n, &pid);
        if (!bulk_acked(h, r, "IN", h->ep_in)) return;
        if (pid != h->toggle_in) {
            violation(h, "bulk IN EP%d sent DATA%d, expected DATA%d (data toggle out of sync)",
                      h->ep_in, pid, h->toggle_in);
            return;
        }
        if (n > h->mps_in) {
            violation(h, "bulk IN EP%d sent %d bytes, more than its wMaxPacketSize %d", h->ep_in, n,
                      h->mps_in);
            return;
        }
        h->toggle_in ^= 1;
        h->frame_bytes += (uint32_t)n + 8;
        h->in_bytes += (uint64_t)n;
        if (h->read_len == 0) h->read_started_ps = now(h);
        memcpy(h->read_buf + h->read_len, buf, (size_t)n);
        h->read_len += n;
        /* a short packet (a zero-length one too) or a full request ends it */
        if (n < h->mps_in || h->read_len == 2 * h->mps_in) complete_read(h);
    }
}

static void send_out(usb_host *h)
{
    const usb_terminal *t = h->terminal;
    if (!h->ep_out || !t || !t->carries_console) return;
    if (clearing_halt(h, REQ_CLEAR_HALT_OUT)) return;
    const uint8_t *typed;
    size_t n;
    while ((n = t->typed(t->ctx, &typed)) && h->frame_bytes < FRAME_BUDGET && !run_stopped(h)) {
        if (n > (size_t)h->mps_out) n = (size_t)h->mps_out;
        usb_resp r = h->cable.out(h->cable.dev, h->addr, h->ep_out, typed, (int)n, h->toggle_out);
        if (!bulk_acked(h, r, "OUT", h->ep_out)) return;
        if (run_stopped(h)) return;
        h->toggle_out ^= 1;
        h->frame_bytes += (uint32_t)n + 8;
        h->out_bytes += n;
        t->taken(t->ctx, n);
    }
}

static void poll_notification(usb_host *h)
{
    if (!h->ep_notif || !h->port_open || now(h) < h->next_notif_ps) return;
    h->next_notif_ps = now(h) + (uint64_t)(h->notif_interval ? h->notif_interval : 1) * PS_PER_MS;
    uint8_t buf[64];
    int n = 0, pid = 0;
    usb_resp r = h->cable.in(h->cable.dev, h->addr, h->ep_notif, buf, &n, &pid);
    if (r == USB_NO_RESPONSE) {
        violation(h, "interrupt IN EP%d: no response (endpoint disabled?)", h->ep_notif);
        return;
    }
    if (r != USB_ACK) return;
    if (pid != h->toggle_notif) {
        violation(h, "interrupt IN EP%d sent DATA%d, expected DATA%d", h->ep_notif, pid, h->toggle_notif);
        return;
    }
    if (n > h->mps_notif) {
        violation(h, "interrupt IN EP%d sent %d bytes, more than its wMaxPacketSize %d",
                  h->ep_notif, n, h->mps_notif);
        return;
    }
    h->toggle_notif ^= 1;
}

/* ---- the host's clock ---- */

static void frame_start(usb_host *h)
{
    h->frame = (h->frame + 1) & 0x7FF;
    h->frame_bytes = 0;
    h->cable.sof(h->cable.dev, h->frame);
}

/* What the bus carries during a --suspend-ms: from suspend_at_ps nothing
 * (the device notices after 3 ms without a SOF) until resume_at_ps - 30 ms;
 * then the host drives resume signalling for 20 ms (no SOF), then SOFs
 * start again and transactions wait 10 ms more for resume recovery (USB 2.0
 * 7.1.7.7, TDRSMDN and TRSMRCY). */
enum { BUS_ACTIVE = 0, BUS_SOF_ONLY, BUS_IDLE };

static int bus_activity(usb_host *h, uint64_t t)
{
    if (!h->suspending) return BUS_ACTIVE;
    uint64_t resume_starts = h->resume_at_ps - 30 * PS_PER_MS;
    if (t < resume_starts) {
        if (t >= h->suspend_at_ps + 3 * PS_PER_MS && !h->cable.suspended(h->cable.dev)) h->cable.suspend(h->cable.dev, 1);
        return BUS_IDLE;
    }
    if (h->cable.suspended(h->cable.dev)) {
        sim_info("USB: the host resumes the bus");
        h->cable.resume(h->cable.dev);
    }
    if (t < resume_starts + 20 * PS_PER_MS) return BUS_IDLE;
    if (t < h->resume_at_ps) return BUS_SOF_ONLY;
    h->suspending = 0;
    /* a control transfer under way was not timing out while the bus slept */
    if (h->have_xfer) h->x.started_ps += h->resume_at_ps - h->suspend_at_ps;
    return BUS_ACTIVE;
}

const char *usb_host_set_dtr(usb_host *h, int dtr)
{
    if (h->going_away) {
        if (!dtr) return NULL; /* closed already */
        static char why[120];
        snprintf(why, sizeof(why), "the host went away at %llu ms (--disconnect-at-ms): there is "
                 "no port to open", (unsigned long long)(h->went_away_ps / PS_PER_MS));
        return why;
    }
    h->terminal_open = dtr;
    /* otherwise the port opens (or not) once the driver is bound */
    if (h->state == H_CONFIGURED) queue_request(h, dtr ? REQ_OPEN : REQ_CLOSE);
    return NULL;
}

void usb_host_disconnect(usb_host *h)
{
    h->terminal_open = 0;
    h->going_away = 1;
    h->went_away_ps = now(h);
    if (h->state == H_CONFIGURED && h->ep_in && h->port_open) {
        queue_request(h, REQ_CLOSE); /* then away, once it is sent */
        sim_info("USB: the terminal closes the port and the host goes away");
    } else if (h->state != H_ENUM && h->state != H_RESET && h->state != H_RECOVERY) {
        go_away(h); /* else when the enumeration under way is done */
    }
}

void usb_host_clear_halt(usb_host *h)
{
    if (h->state != H_CONFIGURED || !h->ep_in) {
        sim_warn("USB host: --clear-halt ignored: the device is not configured");
        return;
    }
    sim_info("USB: the host clears the halt of both bulk endpoints (data toggles back to DATA0)");
    queue_request(h, REQ_CLEAR_HALT_IN);
    queue_request(h, REQ_CLEAR_HALT_OUT);
}

/* the scripted host actions below need a configured device */
static int configured_for(usb_host *h, const char *option)
{
    if (h->state == H_CONFIGURED) return 1;
    sim_warn("USB host: %s ignored: the device is not configured", option);
    return 0;
}

void usb_host_touch_1200(usb_host *h)
{
    if (!configured_for(h, "--touch-1200")) return;
    if (!h->ep_in || !h->port_open) {
        sim_warn("USB host: --touch-1200 ignored: the port is not open (the touch sets 1200 baud "
                 "on an open port and closes it)");
        return;
    }
    queue_request(h, REQ_TOUCH_CODING);
    queue_request(h, REQ_CLOSE);
    h->terminal_open = 0;
}

void usb_host_reset_request(usb_host *h, int bootsel, uint16_t value)
{
    if (!configured_for(h, "--reset-request")) return;
    if (h->reset_if < 0) {
        /* picotool: "Unable to locate reset interface on the device" */
        sim_warn("USB host: --reset-request: the device has no reset interface (class 0xFF, "
                 "subclass 0x00, protocol 0x01); nothing sent");
        return;
    }
    h->reset_value = value;
    queue_request(h, bootsel ? REQ_RESET_BOOTSEL : REQ_RESET_FLASH);
}

void usb_host_ms_os_20(usb_host *h)
{
    if (!configured_for(h, "--ms-os-20")) return;
    if (h->ms_vendor_code < 0) {
        sim_warn("USB host: --ms-os-20: the device has no Microsoft OS 2.0 platform capability in "
                 "a BOS descriptor; nothing asked");
        return;
    }
    queue_request(h, REQ_MS_OS_20);
}

void usb_host_suspend(usb_host *h, uint32_t ms)
{
    if (h->state != H_CONFIGURED) {
        sim_warn("USB host: --suspend-ms ignored: the device is not configured");
        return;
    }
    sim_info("USB: the host suspends the bus for %u ms", ms);
    h->suspending = 1;
    h->suspend_at_ps = now(h);
    h->resume_at_ps = now(h) + ((uint64_t)ms + 30) * PS_PER_MS;
}

void usb_host_bus_reset(usb_host *h)
{
    if (h->state != H_CONFIGURED) {
        sim_warn("USB host: --bus-reset ignored: the device is not configured");
        return;
    }
    sim_info("USB: the host resets the bus and enumerates the device again");
    cancel_read(h);
    h->port_open = 0;
    h->nrequests = 0;
    h->request = -1;
    h->have_xfer = 0;
    h->suspending = 0;
    h->cable.bus_reset(h->cable.dev);
    set_state(h, H_RESET);
}

void usb_host_tick(usb_host *h)
{
    uint64_t t = now(h);
    if (t < h->next_tick_ps) return;
    h->next_tick_ps = (t / TICK_PS + 1) * TICK_PS;
    int new_frame = (t / PS_PER_MS) != ((t - TICK_PS) / PS_PER_MS);
    const char *why = NULL;
    int attached = h->cable.attached(h->cable.dev, &why);
    if (h->state == H_GONE || h->state == H_FAILED) return;
    if (h->state != H_DETACHED && !attached) {
        sim_info("USB: device detached (%s)", why);
        h->cable.suspend(h->cable.dev, 0);
        int terminal_open = h->terminal_open, going_away = h->going_away;
        uint64_t went_away_ps = h->went_away_ps;
        restart(h);
        h->terminal_open = terminal_open;
        h->going_away = going_away;
        h->went_away_ps = went_away_ps;
        snprintf(h->status, sizeof(h->status), "device detached: %s", why);
        return;
    }
    switch (h->state) {
    case H_DETACHED:
        snprintf(h->status, sizeof(h->status), "no device attached: %s", why ? why : "?");
        if (attached) {
            set_state(h, H_DEBOUNCE);
            sim_info("USB: device attached (D+ pull-up seen); debouncing");
        }
        return;
    case H_DEBOUNCE:
        snprintf(h->status, sizeof(h->status), "debouncing the attach");
        if (t - h->state_at_ps < 100 * PS_PER_MS) return;
        h->cable.bus_reset(h->cable.dev);
        set_state(h, H_RESET);
        return;
    case H_RESET:
        snprintf(h->status, sizeof(h->status), "resetting the bus");
        if (t - h->state_at_ps < 10 * PS_PER_MS) return;
        set_state(h, H_RECOVERY);
        return;
    case H_RECOVERY:
        if (new_frame) frame_start(h);
        if (t - h->state_at_ps < 10 * PS_PER_MS) return;
        h->addr = 0;
        h->mps0 = 64;
        next_step(h, S_DEV64);
        set_state(h, H_ENUM);
        return;
    case H_ENUM:
        if (new_frame) frame_start(h);
        enumerate(h);
        if (h->have_xfer && h->x.stage != X_DONE)
            snprintf(h->status, sizeof(h->status), "%s at address %d: waiting for the %s for %llu ms "
                     "(NAKed %u times)", h->x.name, h->addr, usb_ctrl_stage_name(h->x.stage),
                     (unsigned long long)((t - h->x.started_ps) / PS_PER_MS), h->x.naks);
        return;
    case H_CONFIGURED: {
        int bus = bus_activity(h, t);
        if (bus != BUS_IDLE && new_frame) frame_start(h);
        if (bus != BUS_ACTIVE) {
            snprintf(h->status, sizeof(h->status), "bus suspended or resuming");
            return;
        }
        snprintf(h->status, sizeof(h->status), "configured; %llu bytes in, %llu bytes out%s",
                 (unsigned long long)h->in_bytes, (unsigned long long)h->out_bytes,
                 t < h->stall_until_ps ? " (host not reading: --host-stall-ms)" : "");
        if (h->read_len) {
            size_t used = strlen(h->status);
            snprintf(h->status + used, sizeof(h->status) - used, "; %d bytes held in a bulk IN "
                     "request for %llu ms (it ends on a short packet or when %d bytes are in)",
                     h->read_len, (unsigned long long)((t - h->read_started_ps) / PS_PER_MS),
                     2 * h->mps_in);
        }
        run_requests(h);
        if (run_stopped(h)) return;
        if (h->going_away && h->request < 0 && h->nrequests == 0) {
            go_away(h);
            return;
        }
        poll_in(h);
        send_out(h);
        poll_notification(h);
        return;
    }
    default: return;
    }
}

const char *usb_host_status(usb_host *h) { return h->status; }
