/* dev_usb.h - the USB device controller as the datasheet describes it:
 * USBCTRL_REGS (MAIN_CTRL, SIE_CTRL/SIE_STATUS with write-1-to-clear bits,
 * BUFF_STATUS, EP_STALL_ARM, USB_MUXING, USB_PWR VBUS override, INTE/INTS)
 * and the 4 KB DPRAM with its endpoint and buffer control words. The
 * built-in host (usb_host.c) talks to it through the token functions below,
 * one transaction at a time, as the serial interface engine would. */
#ifndef SIM_DEV_USB_H
#define SIM_DEV_USB_H

#include <stdint.h>

#include "bus.h"

typedef enum { USB_ACK = 0, USB_NAK, USB_STALL, USB_NO_RESPONSE } usb_resp;

typedef struct {
    uint32_t addr_endp, main_ctrl, sie_ctrl, sie_status, buff_status, cpu_should_handle;
    uint32_t ep_abort, ep_abort_done, ep_stall_arm, nak_poll, ep_status_stall_nak;
    uint32_t muxing, pwr, inte, intf, sof_rd, int_ep_ctrl;
    uint32_t plain[0x48];           /* PHY direct/trim/tuning and host registers: kept */
    uint8_t dpram[0x1000];
    uint8_t bufsel[16][2];          /* double-buffer selector per endpoint/direction */
    int connected;                  /* the host has seen the device since its last bus reset */
    int suspended;
    int sof_pending;                /* DEV_SOF: a SOF since SOF_RD was last read */
    int warned_iso;
    sim_device dev_regs, dev_dpram;
} usb_dev;

void usb_setup(machine *m);
void usb_reset(machine *m);

/* 1 if the device shows itself on the bus (controller on in device mode, PHY
 * not isolated, pull-up on, VBUS seen). why: what is missing otherwise. */
int usb_dev_attached(machine *m, const char **why);
void usb_dev_bus_reset(machine *m);
void usb_dev_sof(machine *m, uint32_t frame);
void usb_dev_suspend(machine *m, int suspended);
/* the host drives resume signalling: the device leaves suspend */
void usb_dev_resume(machine *m);
/* token handlers: addr = device address in the token */
usb_resp usb_dev_setup(machine *m, int addr, const uint8_t pkt[8]);
usb_resp usb_dev_in(machine *m, int addr, int ep, uint8_t *data, int *len, int *pid);
usb_resp usb_dev_out(machine *m, int addr, int ep, const uint8_t *data, int len, int pid);

#endif
