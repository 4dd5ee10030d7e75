/* dev_usb.h - the USB device controller as the datasheet describes it:
 * USBCTRL_REGS (MAIN_CTRL, SIE_CTRL/SIE_STATUS with write-1-to-clear bits,
 * BUFF_STATUS, EP_STALL_ARM, USB_MUXING, USB_PWR VBUS override, INTE/INTS)
 * and the 4 KB DPRAM with its endpoint and buffer control words. The host
 * at the far end of the cable (chips/usb_host.c) talks to it through its end
 * of the cable (board/usb_cable.h), one transaction at a time, as the serial
 * interface engine would.
 *
 * Signals: in  the RESETS line (usb_reset_line) and its level (probe
 *              in_reset: a held controller does not show itself on the bus),
 *              the cable (usb_dev_cable);
 *          out USBCTRL_IRQ (irq: INTS != 0). */
#ifndef SIM_DEV_USB_H
#define SIM_DEV_USB_H

#include <stdint.h>

#include "device.h"
#include "services.h"
#include "signals.h"
#include "usb_cable.h"

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
    uint32_t irq_level;             /* what the interrupt line carries now */
    const board_services *svc;
    sim_probe in_reset;             /* in: RESETS holds USBCTRL */
    sim_signal irq;                 /* out: USBCTRL_IRQ */
    sim_device dev_regs, dev_dpram;
} usb_dev;

void usb_init(usb_dev *u, const board_services *svc);
/* the registers to their reset values (DPRAM keeps its contents); the
 * wiring stays */
void usb_reset(usb_dev *u);
/* the RESETS input */
void usb_reset_line(void *usb, int n, uint32_t asserted);
/* the device's end of the USB cable */
usb_cable usb_dev_cable(usb_dev *u);

#endif
