/* usb_std.h - USB 2.0 chapter 9 and CDC 1.2 constants: request codes,
 * descriptor types and the setup packet layout; the BOS descriptor (USB 3.2
 * 9.6.2, used by USB 2.1 devices) and Microsoft OS 2.0 descriptor codes. */
#ifndef PICOLLAMA_FW_USB_STD_H
#define PICOLLAMA_FW_USB_STD_H

#include <stdint.h>

typedef struct __attribute__((packed)) {
    uint8_t bmRequestType;
    uint8_t bRequest;
    uint16_t wValue;
    uint16_t wIndex;
    uint16_t wLength;
} usb_setup_packet;

#define USB_DIR_IN 0x80u
#define USB_REQ_TYPE_MASK 0x60u
#define USB_REQ_TYPE_STANDARD 0x00u
#define USB_REQ_TYPE_CLASS 0x20u
#define USB_REQ_TYPE_VENDOR 0x40u
#define USB_REQ_RECIPIENT_MASK 0x1Fu
#define USB_REQ_RECIPIENT_DEVICE 0u
#define USB_REQ_RECIPIENT_INTERFACE 1u
#define USB_REQ_RECIPIENT_ENDPOINT 2u

#define USB_REQUEST_GET_STATUS 0x00
#define USB_REQUEST_CLEAR_FEATURE 0x01
#define USB_REQUEST_SET_FEATURE 0x03
#define USB_REQUEST_SET_ADDRESS 0x05
#define USB_REQUEST_GET_DESCRIPTOR 0x06
#define USB_REQUEST_GET_CONFIGURATION 0x08
#define USB_REQUEST_SET_CONFIGURATION 0x09
#define USB_REQUEST_GET_INTERFACE 0x0A
#define USB_REQUEST_SET_INTERFACE 0x0B

#define USB_DT_DEVICE 0x01
#define USB_DT_CONFIG 0x02
#define USB_DT_STRING 0x03
#define USB_DT_INTERFACE 0x04
#define USB_DT_ENDPOINT 0x05
#define USB_DT_DEVICE_QUALIFIER 0x06
#define USB_DT_INTERFACE_ASSOCIATION 0x0B
#define USB_DT_BOS 0x0F
#define USB_DT_DEVICE_CAPABILITY 0x10
#define USB_DEVICE_CAPABILITY_PLATFORM 0x05
#define USB_DT_CS_INTERFACE 0x24

#define USB_FEATURE_ENDPOINT_HALT 0

#define USB_TRANSFER_TYPE_BULK 0x02
#define USB_TRANSFER_TYPE_INTERRUPT 0x03

/* CDC (class 0x02) */
#define USB_CLASS_CDC 0x02
#define USB_CLASS_CDC_DATA 0x0A
#define USB_CDC_SUBCLASS_ACM 0x02
#define CDC_REQUEST_SET_LINE_CODING 0x20
#define CDC_REQUEST_GET_LINE_CODING 0x21
#define CDC_REQUEST_SET_CONTROL_LINE_STATE 0x22
#define CDC_REQUEST_SEND_BREAK 0x23
#define CDC_CONTROL_LINE_DTR 0x01u

/* vendor-specific class */
#define USB_CLASS_VENDOR 0xFF

/* Microsoft OS 2.0 descriptors (TinyUSB tusb_types.h names): the wIndex of
 * the vendor request for the descriptor set, and the descriptor types in it */
#define MS_OS_20_DESCRIPTOR_INDEX 7
#define MS_OS_20_SET_HEADER_DESCRIPTOR 0x00
#define MS_OS_20_SUBSET_HEADER_FUNCTION 0x02
#define MS_OS_20_FEATURE_COMPATIBLE_ID 0x03
#define MS_OS_20_FEATURE_REG_PROPERTY 0x04

#endif
