/* usb_cdc.c - CDC-ACM class (USB CDC 1.2 / PSTN): one communications
 * interface with a notification endpoint, one data interface with bulk IN
 * and OUT, grouped by an interface association so hosts bind one serial
 * port to them. Beside them, as the Pico SDK's USB console has it, the
 * reset interface (usb_reset.c; build option PICOLLAMA_USB_RESET_INTERFACE),
 * and the 1200-baud touch (PICOLLAMA_USB_BAUD_TOUCH): the port set to 1200
 * baud, then closed (DTR low), reboots into BOOTSEL, as Arduino's tools and
 * many flashers do it. A host that ignores the reset interface sees the
 * same serial port as without it. */
#include "usb_cdc.h"

#include <string.h>

#include "usb_dcd.h"
#include "usb_device.h"
#include "usb_reset.h"
#include "usb_std.h"

#ifndef PICOLLAMA_USB_BAUD_TOUCH
#define PICOLLAMA_USB_BAUD_TOUCH 1
#endif
#define TOUCH_BAUD 1200u

#define EP_NOTIFY 0x81
#define EP_DATA_OUT 0x02
#define EP_DATA_IN 0x82
#define DATA_PACKET 64
#define NOTIFY_PACKET 8
#define RX_BUFFER 512

/* A USB 2.1 device has a BOS descriptor: the one with the Microsoft OS 2.0
 * capability (the SDK: Windows ignores a 2.1 device without it) */
#if PICOLLAMA_USB_RESET_INTERFACE
#define BCD_USB_LOW 0x10 /* USB 2.1 */
#define INTERFACES 3
#define RESET_INTERFACE_DESC                                                                       \
    9, USB_DT_INTERFACE, USB_RESET_INTERFACE_NUMBER, 0, 0, USB_CLASS_VENDOR,                       \
        USB_RESET_INTERFACE_SUBCLASS, USB_RESET_INTERFACE_PROTOCOL, 4, /* string 4: "Reset" */
#define CONFIG_TOTAL (75 + USB_RESET_INTERFACE_DESC_LEN)
#else
#define BCD_USB_LOW 0x00 /* USB 2.0 */
#define INTERFACES 2
#define RESET_INTERFACE_DESC
#define CONFIG_TOTAL 75
#endif

static uint8_t device_descriptor[18] = {
    18, USB_DT_DEVICE, BCD_USB_LOW, 0x02,
    0xEF, 0x02, 0x01,              /* miscellaneous class, interface association */
    64,                            /* EP0 packet size */
    0, 0, 0, 0,                    /* VID, PID: filled in by usb_cdc_init */
    0x00, 0x01,                    /* device release 1.00 */
    1, 2, 3,                       /* manufacturer, product, serial strings */
    1,                             /* configurations */
};

static const uint8_t config_descriptor[CONFIG_TOTAL] = {
    9, USB_DT_CONFIG, CONFIG_TOTAL, 0, INTERFACES, 1, 0, 0x80, 50, /* bus powered, 100 mA */
    8, USB_DT_INTERFACE_ASSOCIATION, 0, 2, USB_CLASS_CDC, USB_CDC_SUBCLASS_ACM, 0, 0,
    /* interface 0: communications */
    9, USB_DT_INTERFACE, 0, 0, 1, USB_CLASS_CDC, USB_CDC_SUBCLASS_ACM, 0, 0,
    5, USB_DT_CS_INTERFACE, 0x00, 0x20, 0x01, /* header, CDC 1.20 */
    5, USB_DT_CS_INTERFACE, 0x01, 0x00, 1,    /* call management: data on interface 1 */
    4, USB_DT_CS_INTERFACE, 0x02, 0x02,       /* ACM: line coding and serial state */
    5, USB_DT_CS_INTERFACE, 0x06, 0, 1,       /* union: 0 controls 1 */
    7, USB_DT_ENDPOINT, EP_NOTIFY, USB_TRANSFER_TYPE_INTERRUPT, NOTIFY_PACKET, 0, 16,
    /* interface 1: data */
    9, USB_DT_INTERFACE, 1, 0, 2, USB_CLASS_CDC_DATA, 0, 0, 0,
    7, USB_DT_ENDPOINT, EP_DATA_OUT, USB_TRANSFER_TYPE_BULK, DATA_PACKET, 0, 0,
    7, USB_DT_ENDPOINT, EP_DATA_IN, USB_TRANSFER_TYPE_BULK, DATA_PACKET, 0, 0,
    /* interface 2: reset (picotool) */
    RESET_INTERFACE_DESC
};

#define STRINGS 5
static const char *strings[STRINGS] = {NULL, "Pico LLaMA", "Pico LLaMA stories (RP2350)", NULL,
                                       "Reset"};

static struct {
    uint8_t line_coding[7]; /* dwDTERate, bCharFormat, bParityType, bDataBits */
    bool dtr;
    uint32_t sessions;
    uint8_t rx[RX_BUFFER];
    uint16_t rx_head, rx_count;
    bool out_armed;
    bool in_ended_full; /* the last IN packet was full: the host waits for more */
} cdc;

static uint16_t string_descriptor(uint8_t index, uint8_t *buf, uint16_t cap)
{
    if (index == 0) { /* supported languages: US English */
        const uint8_t langs[4] = {4, USB_DT_STRING, 0x09, 0x04};
        memcpy(buf, langs, 4);
        return 4;
    }
    if (index >= STRINGS || !strings[index]) return 0;
    const char *s = strings[index];
    uint16_t n = 2;
    for (; *s && n + 2 <= cap && n < 254; s++) { /* ASCII to UTF-16LE */
        buf[n++] = (uint8_t)*s;
        buf[n++] = 0;
    }
    buf[0] = (uint8_t)n;
    buf[1] = USB_DT_STRING;
    return n;
}

static uint16_t rx_room(void) { return (uint16_t)(RX_BUFFER - cdc.rx_count); }

/* Receives another packet only when it surely fits: the host waits (NAK)
 * instead of bytes being lost. */
static void arm_out(void)
{
    if (!cdc.out_armed && usb_device_configured() && rx_room() >= DATA_PACKET) {
        cdc.out_armed = true;
        usb_dcd_ep_start(EP_DATA_OUT, NULL, 0);
    }
}

static void configured(void)
{
    usb_dcd_ep_open(EP_NOTIFY, USB_TRANSFER_TYPE_INTERRUPT, NOTIFY_PACKET);
    usb_dcd_ep_open(EP_DATA_OUT, USB_TRANSFER_TYPE_BULK, DATA_PACKET);
    usb_dcd_ep_open(EP_DATA_IN, USB_TRANSFER_TYPE_BULK, DATA_PACKET);
    cdc.out_armed = false;
    arm_out();
}

static void unconfigured(void)
{
    cdc.dtr = false;
    cdc.out_armed = false;
    cdc.in_ended_full = false;
}

/* DTR marks a terminal session. A packet still waiting when DTR drops was
 * meant for the session that closed (hosts cancel their reads on close),
 * so it is withdrawn rather than handed to the next session; nothing is
 * sent while DTR is low. */
static uint32_t line_coding_baud(void)
{
    return cdc.line_coding[0] | cdc.line_coding[1] << 8 | (uint32_t)cdc.line_coding[2] << 16 |
           (uint32_t)cdc.line_coding[3] << 24;
}

static void set_dtr(bool dtr)
{
    if (dtr == cdc.dtr) return;
    /* the SDK reboots on SET_LINE_CODING(1200) alone; waiting for the
     * close lets a terminal opened at 1200 by mistake say so first */
    if (PICOLLAMA_USB_BAUD_TOUCH && !dtr && line_coding_baud() == TOUCH_BAUD)
        usb_reset_schedule_bootsel(0, 0);
    if (dtr) cdc.sessions++;
    cdc.dtr = dtr;
    usb_dcd_ep_cancel(EP_DATA_IN);
    cdc.in_ended_full = false;
}

static bool request(const usb_setup_packet *s)
{
    /* the reset interface's requests, and vendor ones (Microsoft OS 2.0) */
    bool to_reset_interface =
        (s->bmRequestType & USB_REQ_RECIPIENT_MASK) == USB_REQ_RECIPIENT_INTERFACE &&
        s->wIndex == USB_RESET_INTERFACE_NUMBER;
    if ((PICOLLAMA_USB_RESET_INTERFACE && to_reset_interface) ||
        (s->bmRequestType & USB_REQ_TYPE_MASK) == USB_REQ_TYPE_VENDOR)
        return usb_reset_request(s);
    if ((s->bmRequestType & USB_REQ_TYPE_MASK) != USB_REQ_TYPE_CLASS) return false;
    switch (s->bRequest) {
    case CDC_REQUEST_SET_LINE_CODING:
        usb_control_receive(sizeof(cdc.line_coding));
        return true;
    case CDC_REQUEST_GET_LINE_CODING:
        usb_control_send(cdc.line_coding, sizeof(cdc.line_coding));
        return true;
    case CDC_REQUEST_SET_CONTROL_LINE_STATE:
        set_dtr((s->wValue & CDC_CONTROL_LINE_DTR) != 0);
        usb_control_ack();
        return true;
    case CDC_REQUEST_SEND_BREAK:
        usb_control_ack();
        return true;
    default:
        return false;
    }
}

static void request_data(const usb_setup_packet *s, const uint8_t *data, uint16_t len)
{
    if (s->bRequest == CDC_REQUEST_SET_LINE_CODING && len == sizeof(cdc.line_coding))
        memcpy(cdc.line_coding, data, len);
}

static void transfer_done(uint8_t ep_addr, const uint8_t *data, uint16_t len)
{
    if (ep_addr != EP_DATA_OUT) return; /* IN completions just free the endpoint */
    cdc.out_armed = false;
    for (uint16_t i = 0; i < len && cdc.rx_count < RX_BUFFER; i++) {
        cdc.rx[(cdc.rx_head + cdc.rx_count) % RX_BUFFER] = data[i];
        cdc.rx_count++;
    }
    arm_out();
}

static usb_device_descriptors descriptors = {device_descriptor, config_descriptor,
                                             string_descriptor, NULL};
static const usb_device_class cdc_class = {configured, unconfigured, request, request_data,
                                           transfer_done};

void usb_cdc_init(uint16_t vid, uint16_t pid, const char *serial)
{
    device_descriptor[8] = (uint8_t)vid;
    device_descriptor[9] = (uint8_t)(vid >> 8);
    device_descriptor[10] = (uint8_t)pid;
    device_descriptor[11] = (uint8_t)(pid >> 8);
    strings[3] = serial;
    descriptors.bos_descriptor = PICOLLAMA_USB_RESET_INTERFACE ? usb_reset_bos_descriptor() : NULL;
    memset(&cdc, 0, sizeof(cdc));
    const uint8_t default_coding[7] = {0x00, 0xC2, 0x01, 0x00, 0, 0, 8}; /* 115200 8N1 */
    memcpy(cdc.line_coding, default_coding, sizeof(default_coding));
    usb_device_init(&descriptors, &cdc_class);
}

void usb_cdc_connect(void) { usb_device_connect(); }

void usb_cdc_poll(void)
{
    usb_device_poll();
    usb_reset_poll();
    arm_out();
}

bool usb_cdc_connected(void) { return usb_device_configured() && cdc.dtr; }
uint32_t usb_cdc_sessions(void) { return cdc.sessions; }

uint16_t usb_cdc_write_room(void)
{
    return usb_cdc_connected() && !usb_dcd_ep_busy(EP_DATA_IN) ? DATA_PACKET : 0;
}

uint16_t usb_cdc_write(const uint8_t *data, uint16_t len)
{
    if (usb_cdc_write_room() == 0) return 0;
    if (len > DATA_PACKET) len = DATA_PACKET;
    usb_dcd_ep_start(EP_DATA_IN, data, len);
    cdc.in_ended_full = len == DATA_PACKET;
    return len;
}

/* A host reads bulk IN in requests of several packets (Linux: 128 bytes)
 * that complete on a short packet or when full; after a full packet with
 * nothing behind it, a zero-length packet hands the host what it holds (as
 * TinyUSB's CDC class does). */
void usb_cdc_flush(void)
{
    if (cdc.in_ended_full && usb_cdc_write_room()) {
        usb_dcd_ep_start(EP_DATA_IN, NULL, 0);
        cdc.in_ended_full = false;
    }
}

bool usb_cdc_sending(void)
{
    return usb_cdc_connected() && (usb_dcd_ep_busy(EP_DATA_IN) || cdc.in_ended_full);
}

uint16_t usb_cdc_read(uint8_t *data, uint16_t max)
{
    uint16_t n = 0;
    while (n < max && cdc.rx_count > 0) {
        data[n++] = cdc.rx[cdc.rx_head];
        cdc.rx_head = (uint16_t)((cdc.rx_head + 1) % RX_BUFFER);
        cdc.rx_count--;
    }
    arm_out();
    return n;
}
