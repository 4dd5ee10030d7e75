/* regs/usb.h - USBCTRL_REGS and USB DPRAM facts (rp2350-facts.md 11; SDK
 * usb.h / usb_device_dpram.h; RP2040 datasheet 4.1.2.5-4.1.2.6, same
 * controller). */
#ifndef SIM_REGS_USB_H
#define SIM_REGS_USB_H

#define USBCTRL_DPRAM_BASE 0x50100000u
#define USBCTRL_DPRAM_SIZE 0x1000u
#define USBCTRL_REGS_BASE 0x50110000u

#define USB_ADDR_ENDP 0x00u
#define USB_MAIN_CTRL 0x40u
#define USB_SOF_WR 0x44u
#define USB_SOF_RD 0x48u
#define USB_SIE_CTRL 0x4Cu
#define USB_SIE_STATUS 0x50u
#define USB_INT_EP_CTRL 0x54u
#define USB_BUFF_STATUS 0x58u
#define USB_BUFF_CPU_SHOULD_HANDLE 0x5Cu
#define USB_EP_ABORT 0x60u
#define USB_EP_ABORT_DONE 0x64u
#define USB_EP_STALL_ARM 0x68u
#define USB_NAK_POLL 0x6Cu
#define USB_EP_STATUS_STALL_NAK 0x70u
#define USB_USB_MUXING 0x74u
#define USB_USB_PWR 0x78u
#define USB_USBPHY_DIRECT 0x7Cu
#define USB_USBPHY_DIRECT_OVERRIDE 0x80u
#define USB_USBPHY_TRIM 0x84u
#define USB_LINESTATE_TUNING 0x88u
#define USB_INTR 0x8Cu
#define USB_INTE 0x90u
#define USB_INTF 0x94u
#define USB_INTS 0x98u
#define USB_SOF_TIMESTAMP_RAW 0x100u
#define USB_SOF_TIMESTAMP_LAST 0x104u
#define USB_SM_STATE 0x108u
#define USB_EP_TX_ERROR 0x10Cu
#define USB_EP_RX_ERROR 0x110u
#define USB_DEV_SM_WATCHDOG 0x114u

#define USB_MAIN_CTRL_CONTROLLER_EN (1u << 0)
#define USB_MAIN_CTRL_HOST_NDEVICE (1u << 1)
#define USB_MAIN_CTRL_PHY_ISO (1u << 2)

#define USB_SIE_CTRL_EP0_INT_1BUF (1u << 29)
#define USB_SIE_CTRL_EP0_DOUBLE_BUF (1u << 30)
#define USB_SIE_CTRL_TRANSCEIVER_PD (1u << 18)
#define USB_SIE_CTRL_PULLUP_EN (1u << 16)
#define USB_SIE_CTRL_PULLDOWN_EN (1u << 15)

#define USB_SIE_DATA_SEQ_ERROR (1u << 31)
#define USB_SIE_ACK_REC (1u << 30)
#define USB_SIE_RX_TIMEOUT (1u << 27)
#define USB_SIE_BUS_RESET (1u << 19)
#define USB_SIE_TRANS_COMPLETE (1u << 18)
#define USB_SIE_SETUP_REC (1u << 17)
#define USB_SIE_CONNECTED (1u << 16)
#define USB_SIE_RX_SHORT_PACKET (1u << 12)
#define USB_SIE_RESUME (1u << 11)
#define USB_SIE_SUSPENDED (1u << 4)
#define USB_SIE_VBUS_DETECTED (1u << 0)
#define USB_SIE_WC_MASK 0xFF8E1800u   /* write-1-to-clear bits (usb.h) */

#define USB_MUXING_TO_PHY (1u << 0)
#define USB_MUXING_SOFTCON (1u << 3)
#define USB_PWR_VBUS_DETECT (1u << 2)
#define USB_PWR_VBUS_DETECT_OVERRIDE_EN (1u << 3)

/* INTR/INTE/INTS bits */
#define USB_INT_TRANS_COMPLETE (1u << 3)
#define USB_INT_BUFF_STATUS (1u << 4)
#define USB_INT_ERROR_DATA_SEQ (1u << 5)
#define USB_INT_STALL (1u << 10)
#define USB_INT_VBUS_DETECT (1u << 11)
#define USB_INT_BUS_RESET (1u << 12)
#define USB_INT_DEV_CONN_DIS (1u << 13)
#define USB_INT_DEV_SUSPEND (1u << 14)
#define USB_INT_DEV_RESUME_FROM_HOST (1u << 15)
#define USB_INT_SETUP_REQ (1u << 16)
#define USB_INT_DEV_SOF (1u << 17)

/* DPRAM layout */
#define DPRAM_SETUP 0x000u
#define DPRAM_EP_CTRL(n, out) (0x008u + 8u * ((n) - 1) + ((out) ? 4u : 0u))   /* n = 1..15 */
#define DPRAM_BUF_CTRL(n, out) (0x080u + 8u * (n) + ((out) ? 4u : 0u))
#define DPRAM_EP0_BUF0 0x100u
#define DPRAM_EP0_BUF1 0x140u

#define EP_CTRL_ENABLE (1u << 31)
#define EP_CTRL_DOUBLE_BUFFERED (1u << 30)
#define EP_CTRL_INT_PER_BUFF (1u << 29)
#define EP_CTRL_INT_PER_DOUBLE_BUFF (1u << 28)
#define EP_CTRL_TYPE_LSB 26
#define EP_CTRL_ADDR_MASK 0xFFFFu

#define BUF_FULL (1u << 15)
#define BUF_LAST (1u << 14)
#define BUF_PID1 (1u << 13)
#define BUF_RESET (1u << 12)
#define BUF_STALL (1u << 11)
#define BUF_AVAILABLE (1u << 10)
#define BUF_LEN_MASK 0x3FFu

#endif
