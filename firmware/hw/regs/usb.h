/* usb.h - USB controller registers and its 4 KB dual-port RAM in device
 * mode (facts 11.1, 11.2; SDK regs/usb.h, regs/usb_device_dpram.h). */
#ifndef PICOLLAMA_FW_REGS_USB_H
#define PICOLLAMA_FW_REGS_USB_H

#include "reg.h"

#define USBCTRL_DPRAM_BASE 0x50100000u
#define USBCTRL_REGS_BASE 0x50110000u
#define USB_DPRAM_SIZE 4096u

typedef struct {
    io_rw_32 dev_addr_ctrl;      /* ADDR_ENDP: ADDRESS [6:0] */
    io_rw_32 int_ep_addr_ctrl[15];
    io_rw_32 main_ctrl;
    io_rw_32 sof_wr;
    io_ro_32 sof_rd;
    io_rw_32 sie_ctrl;
    io_rw_32 sie_status;
    io_rw_32 int_ep_ctrl;
    io_rw_32 buf_status;
    io_ro_32 buf_cpu_should_handle;
    io_rw_32 abort;
    io_rw_32 abort_done;
    io_rw_32 ep_stall_arm;
    io_rw_32 nak_poll;
    io_rw_32 ep_nak_stall_status;
    io_rw_32 muxing;
    io_rw_32 pwr;
    io_rw_32 phy_direct;
    io_rw_32 phy_direct_override;
    io_rw_32 phy_trim;
    io_rw_32 linestate_tuning;
    io_rw_32 intr;
    io_rw_32 inte;
    io_rw_32 intf;
    io_ro_32 ints;
} usb_hw_t;
REG_CHECK(usb_hw_t, main_ctrl, 0x40);
REG_CHECK(usb_hw_t, sie_ctrl, 0x4C);
REG_CHECK(usb_hw_t, buf_status, 0x58);
REG_CHECK(usb_hw_t, ep_stall_arm, 0x68);
REG_CHECK(usb_hw_t, muxing, 0x74);
REG_CHECK(usb_hw_t, pwr, 0x78);
REG_CHECK(usb_hw_t, ints, 0x98);

#define usb_hw ((usb_hw_t *)USBCTRL_REGS_BASE)

#define USB_MAIN_CTRL_CONTROLLER_EN (1u << 0)
#define USB_MAIN_CTRL_PHY_ISO (1u << 2)
#define USB_SIE_CTRL_EP0_INT_1BUF (1u << 29)
#define USB_SIE_CTRL_PULLUP_EN (1u << 16)
#define USB_SIE_STATUS_SETUP_REC (1u << 17)
#define USB_SIE_STATUS_BUS_RESET (1u << 19)
#define USB_SIE_STATUS_CONNECTED (1u << 16)
#define USB_SIE_STATUS_SUSPENDED (1u << 4)
#define USB_USB_MUXING_TO_PHY (1u << 0)
#define USB_USB_MUXING_SOFTCON (1u << 3)
#define USB_USB_PWR_VBUS_DETECT (1u << 2)
#define USB_USB_PWR_VBUS_DETECT_OVERRIDE_EN (1u << 3)
#define USB_EP_STALL_ARM_EP0_IN (1u << 0)
#define USB_EP_STALL_ARM_EP0_OUT (1u << 1)

/* DPRAM: setup packet, endpoint control words, buffer control words. */
typedef struct {
    volatile uint8_t setup_packet[8];
    struct {
        io_rw_32 in;
        io_rw_32 out;
    } ep_ctrl[15]; /* EP1..EP15; EP0 has none */
    struct {
        io_rw_32 in;
        io_rw_32 out;
    } ep_buf_ctrl[16];
    volatile uint8_t ep0_buf_a[64];
    volatile uint8_t ep0_buf_b[64];
    volatile uint8_t epx_data[USB_DPRAM_SIZE - 0x180];
} usb_device_dpram_t;
REG_CHECK(usb_device_dpram_t, ep_ctrl[0].in, 0x008);
REG_CHECK(usb_device_dpram_t, ep_buf_ctrl[0].in, 0x080);
REG_CHECK(usb_device_dpram_t, ep0_buf_a, 0x100);
REG_CHECK(usb_device_dpram_t, epx_data, 0x180);

#define usb_dpram ((usb_device_dpram_t *)USBCTRL_DPRAM_BASE)

/* endpoint control word */
#define EP_CTRL_ENABLE (1u << 31)
#define EP_CTRL_INTERRUPT_PER_BUFFER (1u << 29)
#define EP_CTRL_BUFFER_TYPE_LSB 26
#define EP_CTRL_TYPE_BULK 2u
#define EP_CTRL_TYPE_INTERRUPT 3u
/* buffer control word, buffer 0 */
#define USB_BUF_CTRL_LEN_MASK 0x3FFu
#define USB_BUF_CTRL_AVAIL (1u << 10)
#define USB_BUF_CTRL_STALL (1u << 11)
#define USB_BUF_CTRL_DATA1_PID (1u << 13)
#define USB_BUF_CTRL_LAST (1u << 14)
#define USB_BUF_CTRL_FULL (1u << 15)

#endif
