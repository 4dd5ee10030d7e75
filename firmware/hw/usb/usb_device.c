/* usb_device.c - EP0 control transfers (setup, data, status stages) and the
 * standard device requests. */
#include "usb_device.h"

#include <string.h>

#include "usb_dcd.h"

#define CONTROL_BUFFER 256

typedef enum { STAGE_IDLE, STAGE_DATA_IN, STAGE_DATA_OUT, STAGE_STATUS_IN, STAGE_STATUS_OUT } control_stage;

static const usb_device_descriptors *descriptors;
static const usb_device_class *device_class;
static struct {
    usb_setup_packet setup;
    control_stage stage;
    uint8_t buffer[CONTROL_BUFFER];
    uint16_t length, offset;
    bool zlp_pending;      /* the data fell on a packet boundary short of wLength */
    uint8_t pending_address;
} ctl;
static uint8_t configuration;

static void send_next_in_packet(void)
{
    uint16_t left = (uint16_t)(ctl.length - ctl.offset);
    uint16_t n = left > USB_EP0_SIZE ? USB_EP0_SIZE : left;
    usb_dcd_ep_start(0x80, ctl.buffer + ctl.offset, n);
    ctl.offset = (uint16_t)(ctl.offset + n);
}

void usb_control_send(const void *data, uint16_t len)
{
    if (len > ctl.setup.wLength) len = ctl.setup.wLength;
    if (len > CONTROL_BUFFER) len = CONTROL_BUFFER;
    memcpy(ctl.buffer, data, len);
    ctl.length = len;
    ctl.offset = 0;
    /* a transfer shorter than asked ends with a short packet: a zero-length
     * one when it is a multiple of the packet size */
    ctl.zlp_pending = len < ctl.setup.wLength && len % USB_EP0_SIZE == 0;
    ctl.stage = STAGE_DATA_IN;
    send_next_in_packet();
}

void usb_control_receive(uint16_t len)
{
    if (len > ctl.setup.wLength) len = ctl.setup.wLength; /* the host sends what it said */
    ctl.length = len > CONTROL_BUFFER ? CONTROL_BUFFER : len;
    ctl.offset = 0;
    ctl.stage = STAGE_DATA_OUT;
    usb_dcd_ep_start(0x00, NULL, 0);
}

void usb_control_ack(void)
{
    ctl.stage = STAGE_STATUS_IN;
    usb_dcd_ep_start(0x80, NULL, 0);
}

static void stall(void)
{
    ctl.stage = STAGE_IDLE;
    usb_dcd_ep0_stall();
}

static void get_descriptor(const usb_setup_packet *s)
{
    uint8_t type = (uint8_t)(s->wValue >> 8), index = (uint8_t)s->wValue;
    uint8_t buf[CONTROL_BUFFER];
    switch (type) {
    case USB_DT_DEVICE:
        usb_control_send(descriptors->device_descriptor, descriptors->device_descriptor[0]);
        return;
    case USB_DT_CONFIG: {
        const uint8_t *c = descriptors->config_descriptor;
        usb_control_send(c, (uint16_t)(c[2] | c[3] << 8));
        return;
    }
    case USB_DT_BOS: { /* a USB 2.1 device (bcdUSB 0x0210) has one; hosts read it */
        const uint8_t *b = descriptors->bos_descriptor;
        if (b) usb_control_send(b, (uint16_t)(b[2] | b[3] << 8));
        else stall();
        return;
    }
    case USB_DT_STRING: {
        uint16_t n = descriptors->string_descriptor(index, buf, sizeof(buf));
        if (n) usb_control_send(buf, n);
        else stall();
        return;
    }
    default: /* a full-speed-only device has no device qualifier */
        stall();
    }
}

static void set_configuration(uint8_t value)
{
    if (value > 1) {
        stall();
        return;
    }
    if (configuration && device_class->unconfigured) device_class->unconfigured();
    /* a (re)configuration starts its endpoints afresh (USB 2.0 9.4.7): the
     * class opens them again, in buffer memory freed here */
    usb_dcd_ep_close_all();
    configuration = value;
    if (value && device_class->configured) device_class->configured();
    usb_control_ack();
}

static bool endpoint_request(const usb_setup_packet *s)
{
    uint8_t ep = (uint8_t)s->wIndex;
    bool ep0 = (ep & 0x0F) == 0;
    switch (s->bRequest) {
    case USB_REQUEST_GET_STATUS: {
        uint8_t status[2] = {!ep0 && usb_dcd_ep_stalled(ep), 0};
        usb_control_send(status, 2);
        return true;
    }
    case USB_REQUEST_CLEAR_FEATURE:
    case USB_REQUEST_SET_FEATURE:
        if (ep0 || !configuration || s->wValue != USB_FEATURE_ENDPOINT_HALT) return false;
        if (!(s->bRequest == USB_REQUEST_SET_FEATURE ? usb_dcd_ep_set_halt(ep)
                                                     : usb_dcd_ep_clear_halt(ep)))
            return false; /* no such endpoint: the request stalls */
        usb_control_ack();
        return true;
    default:
        return false;
    }
}

static bool standard_request(const usb_setup_packet *s)
{
    uint8_t recipient = s->bmRequestType & USB_REQ_RECIPIENT_MASK;
    if (recipient == USB_REQ_RECIPIENT_ENDPOINT) return endpoint_request(s);
    switch (s->bRequest) {
    case USB_REQUEST_GET_DESCRIPTOR:
        get_descriptor(s);
        return true;
    case USB_REQUEST_SET_ADDRESS: /* takes effect after the status stage */
        ctl.pending_address = (uint8_t)(s->wValue & 0x7F);
        usb_control_ack();
        return true;
    case USB_REQUEST_SET_CONFIGURATION:
        set_configuration((uint8_t)s->wValue);
        return true;
    case USB_REQUEST_GET_CONFIGURATION:
        usb_control_send(&configuration, 1);
        return true;
    case USB_REQUEST_GET_STATUS:
        usb_control_send("\0\0", 2); /* bus powered, no remote wakeup */
        return true;
    case USB_REQUEST_SET_INTERFACE:
        if (s->wValue != 0) return false; /* one alternate setting only */
        usb_control_ack();
        return true;
    case USB_REQUEST_GET_INTERFACE: {
        uint8_t alt = 0;
        usb_control_send(&alt, 1);
        return true;
    }
    case USB_REQUEST_CLEAR_FEATURE: /* device remote wakeup: not supported but harmless */
        usb_control_ack();
        return true;
    default:
        return false;
    }
}

static void on_setup(const usb_setup_packet *s)
{
    ctl.setup = *s;
    ctl.stage = STAGE_IDLE;
    bool handled = (s->bmRequestType & USB_REQ_TYPE_MASK) == USB_REQ_TYPE_STANDARD
                       ? standard_request(s)
                       : device_class->request && device_class->request(s);
    if (!handled) stall();
}

static void ep0_in_done(void)
{
    if (ctl.stage == STAGE_DATA_IN) {
        if (ctl.offset < ctl.length) {
            send_next_in_packet();
        } else if (ctl.zlp_pending) {
            ctl.zlp_pending = false;
            usb_dcd_ep_start(0x80, NULL, 0);
        } else {
            ctl.stage = STAGE_STATUS_OUT; /* the host acknowledges with an OUT ZLP */
            usb_dcd_ep_start(0x00, NULL, 0);
        }
    } else if (ctl.stage == STAGE_STATUS_IN) {
        if (ctl.pending_address) {
            usb_dcd_set_address(ctl.pending_address);
            ctl.pending_address = 0;
        }
        ctl.stage = STAGE_IDLE;
    }
}

static void ep0_out_done(const uint8_t *data, uint16_t len)
{
    if (ctl.stage == STAGE_DATA_OUT) {
        uint16_t room = (uint16_t)(ctl.length - ctl.offset);
        uint16_t n = len < room ? len : room;
        memcpy(ctl.buffer + ctl.offset, data, n);
        ctl.offset = (uint16_t)(ctl.offset + n);
        if (ctl.offset < ctl.length && len == USB_EP0_SIZE) {
            usb_dcd_ep_start(0x00, NULL, 0); /* more to come */
            return;
        }
        if (device_class->request_data) device_class->request_data(&ctl.setup, ctl.buffer, ctl.offset);
        usb_control_ack();
    } else if (ctl.stage == STAGE_STATUS_OUT) {
        ctl.stage = STAGE_IDLE;
    }
}

static void on_transfer_done(uint8_t ep_addr, const uint8_t *data, uint16_t len)
{
    if (ep_addr == 0x80) ep0_in_done();
    else if (ep_addr == 0x00) ep0_out_done(data, len);
    else if (device_class->transfer_done) device_class->transfer_done(ep_addr, data, len);
}

static void on_bus_reset(void)
{
    ctl.stage = STAGE_IDLE;
    ctl.pending_address = 0;
    if (configuration && device_class->unconfigured) device_class->unconfigured();
    configuration = 0;
}

static const usb_dcd_events dcd_events = {on_bus_reset, on_setup, on_transfer_done};

void usb_device_init(const usb_device_descriptors *desc, const usb_device_class *cls)
{
    descriptors = desc;
    device_class = cls;
    configuration = 0;
    usb_dcd_init(&dcd_events);
}

void usb_device_connect(void) { usb_dcd_connect(); }
void usb_device_poll(void) { usb_dcd_poll(); }
bool usb_device_configured(void) { return configuration != 0; }
