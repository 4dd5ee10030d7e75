/* usb_device.h - USB device core: EP0 control transfers and the standard
 * requests (chapter 9), on top of the controller driver. A class (CDC-ACM
 * here, with the reset interface beside it) plugs in through
 * usb_device_class, which also gets the vendor requests. */
#ifndef PICOLLAMA_FW_USB_DEVICE_H
#define PICOLLAMA_FW_USB_DEVICE_H

#include <stdbool.h>
#include <stdint.h>

#include "usb_std.h"

typedef struct {
    const uint8_t *device_descriptor;              /* 18 bytes */
    const uint8_t *config_descriptor;              /* wTotalLength bytes */
    /* Writes string descriptor `index` (0 = language IDs) into buf;
     * returns its length, 0 when there is no such string. */
    uint16_t (*string_descriptor)(uint8_t index, uint8_t *buf, uint16_t cap);
    const uint8_t *bos_descriptor;                 /* wTotalLength bytes; NULL: none (STALL) */
} usb_device_descriptors;

typedef struct {
    void (*configured)(void);   /* SET_CONFIGURATION 1: open endpoints */
    void (*unconfigured)(void); /* bus reset or SET_CONFIGURATION 0 */
    /* A class or interface request: answer with usb_control_send(),
     * usb_control_receive() or usb_control_ack(); false = STALL. */
    bool (*request)(const usb_setup_packet *setup);
    /* The OUT data stage of a request accepted with usb_control_receive(). */
    void (*request_data)(const usb_setup_packet *setup, const uint8_t *data, uint16_t len);
    /* A packet on one of the class's endpoints completed. */
    void (*transfer_done)(uint8_t ep_addr, const uint8_t *data, uint16_t len);
} usb_device_class;

void usb_device_init(const usb_device_descriptors *desc, const usb_device_class *cls);
void usb_device_connect(void);
void usb_device_poll(void);
bool usb_device_configured(void);

/* Answers for the current control request. */
void usb_control_send(const void *data, uint16_t len);
void usb_control_receive(uint16_t len);
void usb_control_ack(void);

#endif
