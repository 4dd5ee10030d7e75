/* usb_hc.c - the host controller USB/IP requests drive (see usb_hc.h).
 * Timings as the built-in host (usb_host.c) and the USB 2.0 specification:
 * attach debounce 100 ms, bus reset 10 ms, reset recovery 10 ms,
 * SET_ADDRESS recovery 2 ms, SOF every 1 ms, service every 125 us. */
#include "usb_hc.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "simtime.h"

#define TICK_PS (125ull * 1000000ull) /* the controller acts every 125 us */
#define FRAME_BUDGET 1216             /* full-speed bulk bytes per frame (19 x 64) */
#define ENUM_TIMEOUT_MS 5000          /* a control transfer of the enumeration NAKed that long fails */

enum { HC_DETACHED = 0, HC_DEBOUNCE, HC_RESET, HC_RECOVERY, HC_ENUM, HC_READY, HC_FAILED };
/* what the exporting PC's USB core does before the device can be exported */
enum { E_DEV64 = 0, E_RESET2, E_SET_ADDRESS, E_ADDRESS_RECOVERY, E_DEV18, E_CFG9, E_CFG_ALL };

#define REQ_CLEAR_FEATURE 1
#define REQ_SET_ADDRESS 5
#define REQ_SET_CONFIGURATION 9
#define REQ_SET_INTERFACE 11

static uint64_t now(usb_hc *h) { return svc_now_ps(h->svc); }

static void set_state(usb_hc *h, int s)
{
    h->state = s;
    h->state_at_ps = now(h);
}

void usb_hc_init(usb_hc *h, const board_services *svc, usb_cable cable)
{
    memset(h, 0, sizeof(*h));
    h->svc = svc;
    h->cable = cable;
    h->next_tick_ps = TICK_PS;
    h->mps0 = 64;
    snprintf(h->status, sizeof(h->status), "no device attached");
}

void usb_hc_set_client(usb_hc *h, usb_hc_client client) { h->client = client; }

uint64_t usb_hc_next_event(usb_hc *h) { return h->next_tick_ps; }

int usb_hc_ready(const usb_hc *h) { return h->state == HC_READY; }

const char *usb_hc_status(const usb_hc *h) { return h->status; }

/* ---- the URB queue ---- */

static void unlink_urb(usb_hc *h, usb_urb *u)
{
    for (usb_urb **p = &h->urbs; *p; p = &(*p)->next)
        if (*p == u) {
            *p = u->next;
            break;
        }
    u->next = NULL;
    if (h->ctrl_urb == u) {   /* its control transfer is abandoned */
        h->ctrl_urb = NULL;
        h->have_xfer = 0;
    }
}

/* the URB is done: out of the queue and back to the client */
static void finish(usb_hc *h, usb_urb *u, int status)
{
    unlink_urb(h, u);
    u->status = status;
    if (h->client.done) h->client.done(h->client.ctx, u);
}

static void hand_back_all(usb_hc *h, int status)
{
    while (h->urbs) finish(h, h->urbs, status);
}

static int endpoint_known(const usb_hc *h, int ep, int in)
{
    return ep == 0 || (ep > 0 && ep < 16 && h->ep[ep][in].mps);
}

void usb_hc_submit(usb_hc *h, usb_urb *u)
{
    u->actual = 0;
    u->zlp_sent = 0;
    u->next = NULL;
    u->status = URB_OK;
    if (h->state != HC_READY) {
        finish(h, u, URB_NO_DEVICE);
        return;
    }
    if (u->ep < 0 || u->ep > 15 || !endpoint_known(h, u->ep, u->in) ||
        (u->ep && h->ep[u->ep][u->in].type != 2 && h->ep[u->ep][u->in].type != 3)) {
        sim_warn("USB/IP: a request for %s EP%d, which the device's configuration has no bulk or "
                 "interrupt endpoint for, is refused", u->in ? "IN" : "OUT", u->ep);
        finish(h, u, URB_INVALID);
        return;
    }
    usb_urb **p = &h->urbs;
    while (*p) p = &(*p)->next;
    *p = u;
}

usb_urb *usb_hc_unlink(usb_hc *h, uint32_t tag)
{
    for (usb_urb *u = h->urbs; u; u = u->next)
        if (u->tag == tag) {
            unlink_urb(h, u);
            return u;
        }
    return NULL;
}

/* ---- the device's descriptors ---- */

/* endpoints of the configuration descriptor (all interfaces and settings) */
static void learn_endpoints(usb_hc *h)
{
    memset(h->ep, 0, sizeof(h->ep));
    for (int off = 0; off + 2 <= h->cfg_len && h->cfg[off] >= 2; off += h->cfg[off]) {
        const uint8_t *d = h->cfg + off;
        if (d[1] != 5 || d[0] < 7 || off + 7 > h->cfg_len) continue;
        usb_hc_endpoint *e = &h->ep[d[2] & 0x0F][d[2] >> 7];
        e->type = d[3] & 3;
        e->mps = (uint16_t)((d[4] | d[5] << 8) & 0x7FF);
        e->interval = d[6] ? d[6] : 1;
    }
}

static void reset_toggles(usb_hc *h)
{
    for (int ep = 1; ep < 16; ep++)
        for (int in = 0; in < 2; in++) {
            h->ep[ep][in].toggle = 0;
            h->ep[ep][in].next_poll = 0;
        }
}

/* ---- enumeration ---- */

static void enum_failed(usb_hc *h, const char *why)
{
    sim_warn("USB/IP host controller: %s; the device is not exported until it attaches again", why);
    snprintf(h->status, sizeof(h->status), "enumeration failed: %.160s", why);
    set_state(h, HC_FAILED);
}

static void start_control(usb_hc *h, const char *name, uint8_t type, uint8_t req, uint16_t value,
                          uint16_t length)
{
    const uint8_t setup[8] = {type, req, (uint8_t)value, (uint8_t)(value >> 8), 0, 0,
                              (uint8_t)length, (uint8_t)(length >> 8)};
    usb_ctrl_start(&h->x, name, setup, h->mps0, NULL, 0, now(h));
    h->have_xfer = 1;
}

static void enum_start_step(usb_hc *h)
{
    switch (h->step) {
    case E_DEV64: start_control(h, "GET_DESCRIPTOR(DEVICE)", 0x80, 6, 0x0100, 64); break;
    case E_SET_ADDRESS: start_control(h, "SET_ADDRESS", 0x00, REQ_SET_ADDRESS, USB_HC_ADDRESS, 0); break;
    case E_DEV18: start_control(h, "GET_DESCRIPTOR(DEVICE)", 0x80, 6, 0x0100, 18); break;
    case E_CFG9: start_control(h, "GET_DESCRIPTOR(CONFIGURATION)", 0x80, 6, 0x0200, 9); break;
    case E_CFG_ALL:
        start_control(h, "GET_DESCRIPTOR(CONFIGURATION, wTotalLength)", 0x80, 6, 0x0200,
                      (uint16_t)h->cfg_len);
        break;
    default: break;
    }
}

/* runs the control transfer under way: 1 when it ended (failed says how) */
static int run_control(usb_hc *h, char *why, size_t whylen, int *failed)
{
    *failed = 0;
    while (h->x.stage != X_DONE) {
        int r = usb_ctrl_step(&h->x, &h->cable, h->addr, why, whylen);
        if (r == XFER_FAILED) {
            *failed = 1;
            return 1;
        }
        if (r == XFER_WAIT) return 0;
    }
    return 1;
}

static void enum_step_done(usb_hc *h)
{
    const usb_ctrl_xfer *x = &h->x;
    char why[200];
    h->have_xfer = 0;
    switch (h->step) {
    case E_DEV64:
        if (x->len < 8 || x->data[1] != 1) {
            snprintf(why, sizeof(why), "GET_DESCRIPTOR(DEVICE) at address 0 returned %d bytes of "
                     "type 0x%02x", x->len, x->len > 1 ? x->data[1] : 0);
            enum_failed(h, why);
            return;
        }
        h->mps0 = x->data[7] == 8 || x->data[7] == 16 || x->data[7] == 32 ? x->data[7] : 64;
        h->cable.bus_reset(h->cable.dev);   /* Linux resets once more before SET_ADDRESS */
        h->step = E_RESET2;
        h->state_at_ps = now(h);
        return;
    case E_SET_ADDRESS:
        h->addr = USB_HC_ADDRESS;
        h->step = E_ADDRESS_RECOVERY;
        h->state_at_ps = now(h);
        return;
    case E_DEV18:
        if (x->len != 18) {
            snprintf(why, sizeof(why), "GET_DESCRIPTOR(DEVICE, 18) returned %d bytes", x->len);
            enum_failed(h, why);
            return;
        }
        memcpy(h->devdesc, x->data, 18);
        h->step = E_CFG9;
        return;
    case E_CFG9: {
        int total = x->len >= 4 ? x->data[2] | x->data[3] << 8 : 0;
        if (x->len != 9 || x->data[1] != 2 || total < 9 || total > USB_HC_MAX_CONFIG) {
            snprintf(why, sizeof(why), "GET_DESCRIPTOR(CONFIGURATION, 9) returned %d bytes, type "
                     "0x%02x, wTotalLength %d", x->len, x->len > 1 ? x->data[1] : 0, total);
            enum_failed(h, why);
            return;
        }
        h->cfg_len = total;
        h->step = E_CFG_ALL;
        return;
    }
    case E_CFG_ALL:
        if (x->len != h->cfg_len) {
            snprintf(why, sizeof(why), "GET_DESCRIPTOR(CONFIGURATION, %d) returned %d bytes",
                     h->cfg_len, x->len);
            enum_failed(h, why);
            return;
        }
        memcpy(h->cfg, x->data, (size_t)x->len);
        learn_endpoints(h);
        h->configuration = 0;
        set_state(h, HC_READY);
        sim_info("USB/IP host controller: device %04x:%04x enumerated at address %d, ready for "
                 "export as bus id 1-1", h->devdesc[8] | h->devdesc[9] << 8,
                 h->devdesc[10] | h->devdesc[11] << 8, h->addr);
        snprintf(h->status, sizeof(h->status), "device enumerated at address %d", h->addr);
        return;
    default: return;
    }
}

static void enumerate(usb_hc *h)
{
    if (h->step == E_RESET2) {
        if (now(h) < h->state_at_ps + 20 * PS_PER_MS) return;   /* 10 ms reset + 10 ms recovery */
        h->step = E_SET_ADDRESS;
    }
    if (h->step == E_ADDRESS_RECOVERY) {
        if (now(h) < h->state_at_ps + 2 * PS_PER_MS) return;
        h->step = E_DEV18;
    }
    if (!h->have_xfer) enum_start_step(h);
    char why[600];
    int failed;
    if (run_control(h, why, sizeof(why), &failed)) {
        if (failed) enum_failed(h, why);
        else enum_step_done(h);
        return;
    }
    if (now(h) - h->x.started_ps > ENUM_TIMEOUT_MS * PS_PER_MS) {
        snprintf(why, sizeof(why), "%s at address %d: the device NAKed the %s for %d ms", h->x.name,
                 h->addr, usb_ctrl_stage_name(h->x.stage), ENUM_TIMEOUT_MS);
        enum_failed(h, why);
        return;
    }
    snprintf(h->status, sizeof(h->status), "enumerating: %s at address %d, waiting for the %s",
             h->x.name, h->addr, usb_ctrl_stage_name(h->x.stage));
}

/* ---- URBs on the bus ---- */

/* what a completed control request changes in the controller: data
 * toggles back to DATA0 (USB 2.0 9.4.5, 9.4.10, 9.1.1.5), the configuration */
static void note_control(usb_hc *h, const uint8_t *s)
{
    uint16_t value = (uint16_t)(s[2] | s[3] << 8), index = (uint16_t)(s[4] | s[5] << 8);
    if (s[0] == 0x00 && s[1] == REQ_SET_CONFIGURATION) {
        h->configuration = value & 0xFF;
        reset_toggles(h);
    } else if (s[0] == 0x01 && s[1] == REQ_SET_INTERFACE) {
        reset_toggles(h);
    } else if (s[0] == 0x02 && s[1] == REQ_CLEAR_FEATURE && value == 0 && (index & 0x0F)) {
        h->ep[index & 0x0F][(index >> 7) & 1].toggle = 0;
        h->ep[index & 0x0F][(index >> 7) & 1].next_poll = 0;
    }
}

/* returns 1 when u is done */
static int service_control(usb_hc *h, usb_urb *u)
{
    if (h->ctrl_urb != u) {
        int wlength = u->setup[6] | u->setup[7] << 8;
        if ((u->setup[0] & 0x7F) == 0x00 && u->setup[1] == REQ_SET_ADDRESS) {
            /* the controller addressed the device; as vhci_hcd, it answers this itself */
            finish(h, u, URB_OK);
            return 1;
        }
        if (wlength > u->length || wlength > USB_CTRL_MAX_DATA) {
            sim_warn("USB/IP: a control request with wLength %d and a %d-byte buffer is refused",
                     wlength, u->length);
            finish(h, u, URB_INVALID);
            return 1;
        }
        char name[64];
        snprintf(name, sizeof(name), "control request %02x %02x (wValue 0x%04x)", u->setup[0],
                 u->setup[1], u->setup[2] | u->setup[3] << 8);
        usb_ctrl_start(&h->x, name, u->setup, h->mps0, (u->setup[0] & 0x80) ? NULL : u->data, 1,
                       now(h));
        h->ctrl_urb = u;
        h->have_xfer = 1;
    }
    char why[600];
    int failed;
    if (!run_control(h, why, sizeof(why), &failed)) return 0;
    h->ctrl_urb = NULL;
    h->have_xfer = 0;
    if (failed) {
        sim_warn("USB/IP host controller: %s", why);
        finish(h, u, URB_ERROR);
        return 1;
    }
    if (h->x.stalled) {
        finish(h, u, URB_STALL);
        return 1;
    }
    u->actual = h->x.len;
    if (u->setup[0] & 0x80) memcpy(u->data, h->x.data, (size_t)h->x.len);
    note_control(h, u->setup);
    finish(h, u, URB_OK);
    return 1;
}

/* a handshake other than ACK or NAK ends the URB */
static void endpoint_error(usb_hc *h, usb_urb *u, usb_resp r)
{
    if (r == USB_STALL) {
        finish(h, u, URB_STALL);
        return;
    }
    sim_warn("USB/IP host controller: %s EP%d gives no handshake (endpoint not enabled?)",
             u->in ? "IN" : "OUT", u->ep);
    finish(h, u, URB_ERROR);
}

/* one IN transaction; returns 1 when u is done, 0 if it stays pending (NAK
 * or more to come), -1 if the device NAKed */
static int in_packet(usb_hc *h, usb_urb *u)
{
    usb_hc_endpoint *e = &h->ep[u->ep][1];
    uint8_t buf[1024];
    int n = 0, pid = 0;
    usb_resp r = h->cable.in(h->cable.dev, h->addr, u->ep, buf, &n, &pid);
    if (r == USB_NAK) return -1;
    if (r != USB_ACK) {
        endpoint_error(h, u, r);
        return 1;
    }
    h->frame_bytes += (uint32_t)n + 8;
    if (pid != e->toggle) {
        /* a host takes a packet with the wrong toggle for a repeat of the
         * last one: ACKed, and dropped */
        sim_warn("USB/IP host controller: IN EP%d sent DATA%d where DATA%d was due: the packet "
                 "(%d bytes) is dropped as a repeat", u->ep, pid, e->toggle, n);
        return 0;
    }
    e->toggle ^= 1;
    if (n > e->mps || u->actual + n > u->length) {
        sim_warn("USB/IP host controller: IN EP%d sent %d bytes, more than %s (%d)", u->ep, n,
                 n > e->mps ? "its wMaxPacketSize" : "the request has room for",
                 n > e->mps ? e->mps : u->length - u->actual);
        finish(h, u, URB_BABBLE);
        return 1;
    }
    memcpy(u->data + u->actual, buf, (size_t)n);
    u->actual += n;
    /* a short packet (a zero-length one too) or a full request ends it */
    if (n < e->mps || u->actual == u->length) {
        finish(h, u, URB_OK);
        return 1;
    }
    return 0;
}

static int out_packet(usb_hc *h, usb_urb *u)
{
    usb_hc_endpoint *e = &h->ep[u->ep][0];
    int left = u->length - u->actual;
    int n = left < e->mps ? left : e->mps;
    usb_resp r = h->cable.out(h->cable.dev, h->addr, u->ep, u->data + u->actual, n, e->toggle);
    if (r == USB_NAK) return -1;
    if (r != USB_ACK) {
        endpoint_error(h, u, r);
        return 1;
    }
    e->toggle ^= 1;
    h->frame_bytes += (uint32_t)n + 8;
    u->actual += n;
    if (n == 0) u->zlp_sent = 1;
    /* the last packet is short, or full and no zero-length packet is asked for */
    if (u->actual == u->length && (n < e->mps || !u->zero_packet || u->zlp_sent)) {
        finish(h, u, URB_OK);
        return 1;
    }
    return 0;
}

static int service_bulk(usb_hc *h, usb_urb *u)
{
    while (h->frame_bytes < FRAME_BUDGET) {
        int r = u->in ? in_packet(h, u) : out_packet(h, u);
        if (r) return r > 0;
    }
    return 0;
}

static int service_interrupt(usb_hc *h, usb_urb *u, int new_frame)
{
    usb_hc_endpoint *e = &h->ep[u->ep][u->in];
    if (!new_frame || (int32_t)(h->frame - e->next_poll) < 0) return 0;
    e->next_poll = h->frame + (uint32_t)(u->interval > 0 ? u->interval : e->interval);
    int r = u->in ? in_packet(h, u) : out_packet(h, u);
    return r > 0;
}

/* the first pending URB of each endpoint gets its turn; one that completes
 * lets the next of its endpoint go in the same service interval */
static void service_urbs(usb_hc *h, int new_frame)
{
    uint32_t waiting = 0;   /* bit 2 * ep + in: an earlier URB of the endpoint is pending */
    usb_urb *next;
    for (usb_urb *u = h->urbs; u; u = next) {
        next = u->next;
        uint32_t bit = u->ep == 0 ? 1u : 1u << (2 * u->ep + u->in);
        if (waiting & bit) continue;
        int done;
        if (u->ep == 0) done = service_control(h, u);
        else if (h->ep[u->ep][u->in].type == 3) done = service_interrupt(h, u, new_frame);
        else done = service_bulk(h, u);
        if (!done) waiting |= bit;
    }
    snprintf(h->status, sizeof(h->status), "device at address %d%s", h->addr,
             h->urbs ? ", requests pending" : ", no request pending");
}

/* ---- the controller's clock ---- */

static void frame_start(usb_hc *h)
{
    h->frame++;
    h->frame_bytes = 0;
    h->cable.sof(h->cable.dev, h->frame & 0x7FF);
}

static void detached(usb_hc *h, const char *why)
{
    int was_ready = h->state == HC_READY;
    sim_info("USB/IP host controller: device detached (%s)", why);
    hand_back_all(h, URB_NO_DEVICE);
    h->cable.suspend(h->cable.dev, 0);
    h->addr = 0;
    h->have_xfer = 0;
    set_state(h, HC_DETACHED);
    snprintf(h->status, sizeof(h->status), "device detached: %.160s", why);
    if (was_ready && h->client.device_gone) h->client.device_gone(h->client.ctx, why);
}

void usb_hc_release(usb_hc *h)
{
    hand_back_all(h, URB_CANCELLED);
    if (h->state != HC_READY) return;
    sim_info("USB/IP host controller: the importer went away; the device is reset and "
             "enumerated again");
    h->cable.bus_reset(h->cable.dev);
    h->addr = 0;
    h->have_xfer = 0;
    set_state(h, HC_RESET);
}

void usb_hc_tick(usb_hc *h)
{
    uint64_t t = now(h);
    if (t < h->next_tick_ps) return;
    h->next_tick_ps = (t / TICK_PS + 1) * TICK_PS;
    int new_frame = t < TICK_PS || (t / PS_PER_MS) != ((t - TICK_PS) / PS_PER_MS);
    const char *why = NULL;
    int attached = h->cable.attached(h->cable.dev, &why);
    if (h->state != HC_DETACHED && !attached) {
        detached(h, why ? why : "?");
        return;
    }
    if (h->state >= HC_RECOVERY && new_frame) frame_start(h);
    switch (h->state) {
    case HC_DETACHED:
        snprintf(h->status, sizeof(h->status), "no device attached: %.160s", why ? why : "?");
        if (attached) {
            set_state(h, HC_DEBOUNCE);
            sim_info("USB/IP host controller: device attached (D+ pull-up seen); debouncing");
        }
        return;
    case HC_DEBOUNCE:
        snprintf(h->status, sizeof(h->status), "debouncing the attach");
        if (t - h->state_at_ps < 100 * PS_PER_MS) return;
        h->cable.bus_reset(h->cable.dev);
        set_state(h, HC_RESET);
        return;
    case HC_RESET:
        snprintf(h->status, sizeof(h->status), "resetting the bus");
        if (t - h->state_at_ps < 10 * PS_PER_MS) return;
        set_state(h, HC_RECOVERY);
        return;
    case HC_RECOVERY:
        if (t - h->state_at_ps < 10 * PS_PER_MS) return;
        h->addr = 0;
        h->mps0 = 64;
        h->step = E_DEV64;
        h->have_xfer = 0;
        set_state(h, HC_ENUM);
        return;
    case HC_ENUM: enumerate(h); return;
    case HC_READY: service_urbs(h, new_frame); return;
    default: return;
    }
}
