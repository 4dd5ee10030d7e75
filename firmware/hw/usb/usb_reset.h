/* usb_reset.h - rebooting on the host's word, as Pico SDK firmware allows
 * (pico_stdio_usb): the vendor "reset" interface picotool uses
 * (`picotool reboot -f`, `load -f`) with the Microsoft OS 2.0 descriptors
 * that make Windows bind WinUSB to it, and the reboot the 1200-baud touch
 * asks for (usb_cdc.c). A reboot waits until the host has the answer to
 * the request that asked for it (its status stage), then the boot ROM
 * reboots the chip. */
#ifndef PICOLLAMA_FW_USB_RESET_H
#define PICOLLAMA_FW_USB_RESET_H

#include <stdbool.h>
#include <stdint.h>

#include "usb_std.h"

#ifndef PICOLLAMA_USB_RESET_INTERFACE
#define PICOLLAMA_USB_RESET_INTERFACE 1
#endif

/* The reset interface: vendor class, subclass 0, protocol 1 (SDK
 * pico/usb_reset_interface.h), no endpoints, after the two CDC interfaces */
#define USB_RESET_INTERFACE_NUMBER 2
#define USB_RESET_INTERFACE_SUBCLASS 0x00
#define USB_RESET_INTERFACE_PROTOCOL 0x01
#define USB_RESET_REQUEST_BOOTSEL 0x01
#define USB_RESET_REQUEST_FLASH 0x02
#define USB_RESET_INTERFACE_DESC_LEN 9

/* The BOS descriptor with the Microsoft OS 2.0 platform capability. */
const uint8_t *usb_reset_bos_descriptor(void);
/* A request for the reset interface (class or vendor type, wIndex its
 * number), or the vendor request for the Microsoft OS 2.0 descriptor set:
 * answered (true) or not ours (false). */
bool usb_reset_request(const usb_setup_packet *s);

/* Reboots into BOOTSEL (flags, activity_gpio: rom_reboot_to_bootsel_with)
 * once the current control request's status stage is done. */
void usb_reset_schedule_bootsel(uint32_t flags, uint32_t activity_gpio);
/* Performs a scheduled reboot when its time has come; call often. */
void usb_reset_poll(void);

#endif
