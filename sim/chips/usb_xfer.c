/* usb_xfer.c - one control transfer on the USB cable (see usb_xfer.h). */
#include "usb_xfer.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void usb_ctrl_start(usb_ctrl_xfer *x, const char *name, const uint8_t setup[8], int maxpacket,
                    const uint8_t *out, int allow_stall, uint64_t now_ps)
{
    memset(x, 0, sizeof(*x));
    memcpy(x->setup, setup, 8);
    x->wlength = setup[6] | setup[7] << 8;
    if (x->wlength > USB_CTRL_MAX_DATA) x->wlength = USB_CTRL_MAX_DATA;
    x->maxpacket = maxpacket;
    x->allow_stall = allow_stall;
    x->started_ps = now_ps;
    if (out && x->wlength && !(setup[0] & 0x80)) memcpy(x->data, out, (size_t)x->wlength);
    snprintf(x->name, sizeof(x->name), "%s", name);
}

const char *usb_ctrl_stage_name(int stage)
{
    static const char *n[] = {"SETUP", "data stage (IN)", "data stage (OUT)", "status stage (IN)",
                              "status stage (OUT)", "done"};
    return stage >= 0 && stage <= X_DONE ? n[stage] : "?";
}

static int failed(char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int failed(char *why, size_t whylen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, whylen, fmt, ap);
    va_end(ap);
    return XFER_FAILED;
}

static int setup_stage(usb_ctrl_xfer *x, const usb_cable *c, int addr, char *why, size_t whylen)
{
    usb_resp r = c->setup(c->dev, addr, x->setup);
    if (r == USB_NO_RESPONSE)
        return failed(why, whylen, "%s: no device answers the SETUP token at address %d (device "
                      "address register holds %d)", x->name, addr, c->address(c->dev));
    x->toggle = 1;
    if (x->wlength && (x->setup[0] & 0x80)) x->stage = X_DATA_IN;
    else if (x->wlength) x->stage = X_DATA_OUT;
    else x->stage = X_STATUS_IN;
    return XFER_MOVED;
}

static int data_in(usb_ctrl_xfer *x, const usb_cable *c, int addr, char *why, size_t whylen)
{
    uint8_t buf[1024];
    int n = 0, pid = 0;
    usb_resp r = c->in(c->dev, addr, 0, buf, &n, &pid);
    if (r == USB_NAK) { x->naks++; return XFER_WAIT; }
    if (r == USB_NO_RESPONSE)
        return failed(why, whylen, "%s: no response to the IN token of the data stage at address %d",
                      x->name, addr);
    if (r == USB_STALL) {
        if (x->allow_stall) { x->stalled = 1; x->stage = X_DONE; return XFER_MOVED; }
        return failed(why, whylen, "%s: the device STALLed the data stage of a standard request "
                      "it must support", x->name);
    }
    if (pid != x->toggle)
        return failed(why, whylen, "%s: EP0 IN data packet %d is DATA%d, expected DATA%d (the data "
                      "stage starts with DATA1 and alternates)", x->name, x->len / x->maxpacket + 1,
                      pid, x->toggle);
    if (n > x->maxpacket)
        return failed(why, whylen, "%s: EP0 IN packet of %d bytes exceeds the endpoint's max "
                      "packet size %d", x->name, n, x->maxpacket);
    if (x->len + n > x->wlength)
        return failed(why, whylen, "%s: the device returned %d bytes, more than wLength %d",
                      x->name, x->len + n, x->wlength);
    memcpy(x->data + x->len, buf, (size_t)n);
    x->len += n;
    x->toggle ^= 1;
    if (n < x->maxpacket || x->len == x->wlength) x->stage = X_STATUS_OUT;
    return XFER_MOVED;
}

static int data_out(usb_ctrl_xfer *x, const usb_cable *c, int addr, char *why, size_t whylen)
{
    int chunk = x->wlength - x->len < x->maxpacket ? x->wlength - x->len : x->maxpacket;
    usb_resp r = c->out(c->dev, addr, 0, x->data + x->len, chunk, x->toggle);
    if (r == USB_NAK) { x->naks++; return XFER_WAIT; }
    if (r == USB_NO_RESPONSE)
        return failed(why, whylen, "%s: no response to an OUT token of the data stage", x->name);
    if (r == USB_STALL) {
        if (x->allow_stall) { x->stalled = 1; x->stage = X_DONE; return XFER_MOVED; }
        return failed(why, whylen, "%s: the device STALLed the data stage", x->name);
    }
    x->len += chunk;
    x->toggle ^= 1;
    if (x->len >= x->wlength) x->stage = X_STATUS_IN;
    return XFER_MOVED;
}

static int status_out(usb_ctrl_xfer *x, const usb_cable *c, int addr, char *why, size_t whylen)
{
    usb_resp r = c->out(c->dev, addr, 0, NULL, 0, 1);
    if (r == USB_NAK) { x->naks++; return XFER_WAIT; }
    if (r == USB_NO_RESPONSE)
        return failed(why, whylen, "%s: no response to the status stage OUT token", x->name);
    if (r == USB_STALL)
        return failed(why, whylen, "%s: the device STALLed the status stage after sending its data",
                      x->name);
    x->stage = X_DONE;
    return XFER_MOVED;
}

static int status_in(usb_ctrl_xfer *x, const usb_cable *c, int addr, char *why, size_t whylen)
{
    uint8_t buf[1024];
    int n = 0, pid = 0;
    usb_resp r = c->in(c->dev, addr, 0, buf, &n, &pid);
    if (r == USB_NAK) { x->naks++; return XFER_WAIT; }
    if (r == USB_NO_RESPONSE) {
        if (x->setup[1] == 5 && addr == 0)
            return failed(why, whylen, "%s: no response to the status stage at address 0: the "
                          "device switched to its new address before the status stage completed "
                          "(write ADDR_ENDP only after the status IN has been sent)", x->name);
        return failed(why, whylen, "%s: no response to the status stage IN token", x->name);
    }
    if (r == USB_STALL) {
        if (x->allow_stall) { x->stalled = 1; x->stage = X_DONE; return XFER_MOVED; }
        return failed(why, whylen, "%s: the device STALLed the request", x->name);
    }
    if (n != 0)
        return failed(why, whylen, "%s: the status stage must be a zero-length packet, got %d bytes",
                      x->name, n);
    if (pid != 1)
        return failed(why, whylen, "%s: the status stage must be DATA1, got DATA0", x->name);
    x->stage = X_DONE;
    return XFER_MOVED;
}

int usb_ctrl_step(usb_ctrl_xfer *x, const usb_cable *cable, int addr, char *why, size_t whylen)
{
    switch (x->stage) {
    case X_SETUP: return setup_stage(x, cable, addr, why, whylen);
    case X_DATA_IN: return data_in(x, cable, addr, why, whylen);
    case X_DATA_OUT: return data_out(x, cable, addr, why, whylen);
    case X_STATUS_OUT: return status_out(x, cable, addr, why, whylen);
    case X_STATUS_IN: return status_in(x, cable, addr, why, whylen);
    default: return XFER_WAIT;
    }
}
