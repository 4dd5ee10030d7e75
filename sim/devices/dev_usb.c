/* dev_usb.c - the USB device controller (see dev_usb.h). Semantics from the
 * RP2350 register descriptions (SDK usb.h / usb_device_dpram.h) and the
 * RP2040 datasheet 4.1.2.6 (same controller): SETUP always ACKed into DPRAM
 * 0..7 with SETUP_REC; IN/OUT tokens served from the buffer selected by the
 * endpoint's buffer control word (AVAILABLE/FULL/STALL/PID/LAST/LENGTH),
 * which the controller updates when it is done with a buffer. */
#include "dev_usb.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "regs/clocks.h"
#include "regs/resets.h"
#include "regs/usb.h"

static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static void wr32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

static int attached(usb_dev *u, const char **why)
{
    static char buf[200];
    const char *w = NULL;
    uint64_t usb_hz = svc_clk_hz(u->svc, CLK_USB);
    if (probe_read(&u->in_reset, 0)) w = "USBCTRL is held in reset";
    else if (!usb_hz) w = "clk_usb is not running";
    else if (usb_hz < 47880000ull || usb_hz > 48120000ull) {
        snprintf(buf, sizeof(buf), "clk_usb is %.3f MHz; full-speed USB needs 48 MHz +-0.25%%",
                 usb_hz / 1e6);
        w = buf;
    } else if (!(u->main_ctrl & USB_MAIN_CTRL_CONTROLLER_EN)) w = "MAIN_CTRL.CONTROLLER_EN is 0";
    else if (u->main_ctrl & USB_MAIN_CTRL_HOST_NDEVICE) w = "the controller is in host mode";
    else if (u->main_ctrl & USB_MAIN_CTRL_PHY_ISO) w = "the PHY is isolated (MAIN_CTRL.PHY_ISO=1)";
    else if (!(u->muxing & USB_MUXING_TO_PHY)) w = "USB_MUXING.TO_PHY is 0";
    else if (u->sie_ctrl & USB_SIE_CTRL_TRANSCEIVER_PD) w = "the transceiver is powered down (SIE_CTRL.TRANSCEIVER_PD)";
    else if (!((u->pwr & USB_PWR_VBUS_DETECT_OVERRIDE_EN) && (u->pwr & USB_PWR_VBUS_DETECT)))
        w = "VBUS is not detected (this board senses VBUS elsewhere: set USB_PWR VBUS_DETECT "
            "and VBUS_DETECT_OVERRIDE_EN)";
    else if (!(u->sie_ctrl & USB_SIE_CTRL_PULLUP_EN)) w = "the D+ pull-up is off (SIE_CTRL.PULLUP_EN=0)";
    if (why) *why = w;
    return w == NULL;
}

static uint32_t intr_value(usb_dev *u)
{
    uint32_t s = u->sie_status, v = 0;
    if (s & USB_SIE_TRANS_COMPLETE) v |= USB_INT_TRANS_COMPLETE;
    if (u->buff_status) v |= USB_INT_BUFF_STATUS;
    if (s & USB_SIE_DATA_SEQ_ERROR) v |= USB_INT_ERROR_DATA_SEQ;
    if (s & USB_SIE_RX_TIMEOUT) v |= 1u << 6;
    if (s & (1u << 26)) v |= 1u << 7;
    if (s & (1u << 25)) v |= 1u << 8;
    if (s & (1u << 24)) v |= 1u << 9;
    if (s & USB_SIE_BUS_RESET) v |= USB_INT_BUS_RESET;
    if (u->suspended) v |= USB_INT_DEV_SUSPEND;
    if (s & USB_SIE_RESUME) v |= USB_INT_DEV_RESUME_FROM_HOST;
    if (s & USB_SIE_SETUP_REC) v |= USB_INT_SETUP_REQ;
    if (u->sof_pending) v |= USB_INT_DEV_SOF;
    if (u->ep_abort_done) v |= 1u << 18;
    if (u->ep_status_stall_nak) v |= 1u << 19;
    if (s & USB_SIE_RX_SHORT_PACKET) v |= 1u << 20;
    if (s & (1u << 23)) v |= 1u << 21;
    return v;
}

/* the interrupt line follows INTS */
static void update_irq(usb_dev *u)
{
    uint32_t level = ((intr_value(u) | u->intf) & u->inte) != 0;
    if (level == u->irq_level) return;
    u->irq_level = level;
    signal_set(&u->irq, level);
}

static uint32_t sie_status_value(usb_dev *u)
{
    uint32_t v = u->sie_status & USB_SIE_WC_MASK;
    int att = attached(u, NULL);
    if (att && u->connected) v |= USB_SIE_CONNECTED;
    if (u->suspended) v |= USB_SIE_SUSPENDED;
    if (att) v |= 1u << 2;   /* LINE_STATE = J (idle, full speed) */
    if ((u->pwr & USB_PWR_VBUS_DETECT_OVERRIDE_EN) ? (u->pwr & USB_PWR_VBUS_DETECT) != 0 : 0)
        v |= USB_SIE_VBUS_DETECTED;
    return v;
}

static int regs_read(void *st, bus_access *a, uint32_t *v)
{
    usb_dev *u = st;
    uint32_t off = a->offset;
    switch (off) {
    case USB_ADDR_ENDP: *v = u->addr_endp; return BUS_OK;
    case USB_MAIN_CTRL: *v = u->main_ctrl; return BUS_OK;
    case USB_SOF_WR: *v = 0; return BUS_OK;
    case USB_SOF_RD: u->sof_pending = 0; *v = u->sof_rd; update_irq(u); return BUS_OK;
    case USB_SIE_CTRL: *v = u->sie_ctrl; return BUS_OK;
    case USB_SIE_STATUS: *v = sie_status_value(u); return BUS_OK;
    case USB_INT_EP_CTRL: *v = u->int_ep_ctrl; return BUS_OK;
    case USB_BUFF_STATUS: *v = u->buff_status; return BUS_OK;
    case USB_BUFF_CPU_SHOULD_HANDLE: *v = u->cpu_should_handle; return BUS_OK;
    case USB_EP_ABORT: *v = u->ep_abort; return BUS_OK;
    case USB_EP_ABORT_DONE: *v = u->ep_abort_done; return BUS_OK;
    case USB_EP_STALL_ARM: *v = u->ep_stall_arm; return BUS_OK;
    case USB_NAK_POLL: *v = u->nak_poll; return BUS_OK;
    case USB_EP_STATUS_STALL_NAK: *v = u->ep_status_stall_nak; return BUS_OK;
    case USB_USB_MUXING: *v = u->muxing; return BUS_OK;
    case USB_USB_PWR: *v = u->pwr; return BUS_OK;
    case USB_INTR: *v = intr_value(u); return BUS_OK;
    case USB_INTE: *v = u->inte; return BUS_OK;
    case USB_INTF: *v = u->intf; return BUS_OK;
    case USB_INTS: *v = (intr_value(u) | u->intf) & u->inte; return BUS_OK;
    }
    if (off < 0x40 || (off >= 0x7C && off < 0x8C) || (off >= 0x100 && off <= 0x114)) {
        *v = u->plain[off / 4];
        return BUS_OK;
    }
    return BUS_HOLE;
}

static int regs_write_reg(usb_dev *u, bus_access *a, uint32_t v)
{
    uint32_t off = a->offset;
    switch (off) {
    case USB_ADDR_ENDP: u->addr_endp = bus_alias_apply(u->addr_endp, v, a->alias) & 0x000F007Fu; return BUS_OK;
    case USB_MAIN_CTRL: u->main_ctrl = bus_alias_apply(u->main_ctrl, v, a->alias) & 0x80000007u; return BUS_OK;
    case USB_SOF_WR: case USB_SOF_RD: return BUS_OK;
    case USB_SIE_CTRL: {
        uint32_t nv = bus_alias_apply(u->sie_ctrl, v, a->alias) & 0xFF0FBF5Fu;
        if (nv & (1u << 12))
            sim_warn("USB SIE_CTRL.RESUME (remote wakeup) is not modelled");
        u->sie_ctrl = nv & ~0x00003011u;   /* RESET_BUS, RESUME, STOP/START_TRANS self-clear */
        return BUS_OK;
    }
    case USB_SIE_STATUS: u->sie_status &= ~(bus_wc_bits(v, a->alias) & USB_SIE_WC_MASK); return BUS_OK;
    case USB_INT_EP_CTRL: u->int_ep_ctrl = bus_alias_apply(u->int_ep_ctrl, v, a->alias); return BUS_OK;
    case USB_BUFF_STATUS: u->buff_status &= ~bus_wc_bits(v, a->alias); return BUS_OK;
    case USB_BUFF_CPU_SHOULD_HANDLE: return BUS_OK;
    case USB_EP_ABORT:
        u->ep_abort = bus_alias_apply(u->ep_abort, v, a->alias);
        u->ep_abort_done |= u->ep_abort;   /* nothing in flight between host actions */
        return BUS_OK;
    case USB_EP_ABORT_DONE: u->ep_abort_done &= ~bus_wc_bits(v, a->alias); return BUS_OK;
    case USB_EP_STALL_ARM: u->ep_stall_arm = bus_alias_apply(u->ep_stall_arm, v, a->alias) & 3; return BUS_OK;
    case USB_NAK_POLL: u->nak_poll = bus_alias_apply(u->nak_poll, v, a->alias); return BUS_OK;
    case USB_EP_STATUS_STALL_NAK: u->ep_status_stall_nak &= ~bus_wc_bits(v, a->alias); return BUS_OK;
    case USB_USB_MUXING: u->muxing = bus_alias_apply(u->muxing, v, a->alias) & 0x8000001Fu; return BUS_OK;
    case USB_USB_PWR: u->pwr = bus_alias_apply(u->pwr, v, a->alias) & 0x3Fu; return BUS_OK;
    case USB_INTR: case USB_INTS: return BUS_OK;
    case USB_INTE:
        u->inte = bus_alias_apply(u->inte, v, a->alias) & 0x00FFFFFFu;
        return BUS_OK;
    case USB_INTF: u->intf = bus_alias_apply(u->intf, v, a->alias) & 0x00FFFFFFu; return BUS_OK;
    }
    if (off < 0x40 || (off >= 0x7C && off < 0x8C) || (off >= 0x100 && off <= 0x114)) {
        u->plain[off / 4] = bus_alias_apply(u->plain[off / 4], v, a->alias);
        return BUS_OK;
    }
    return BUS_HOLE;
}

static int regs_write(void *st, bus_access *a, uint32_t v)
{
    usb_dev *u = st;
    int r = regs_write_reg(u, a, v);
    update_irq(u);
    return r;
}

/* DPRAM: plain 4 KB memory */
static int dpram_read(void *st, bus_access *a, uint32_t *v)
{
    usb_dev *u = st;
    *v = 0;
    memcpy(v, u->dpram + a->offset, (size_t)a->size);
    return BUS_OK;
}

static int dpram_write(void *st, bus_access *a, uint32_t v)
{
    usb_dev *u = st;
    memcpy(u->dpram + a->offset, &v, (size_t)a->size);
    return BUS_OK;
}

/* ---- the serial interface engine, token by token ---- */

static int addressed(usb_dev *u, int addr) { return (int)(u->addr_endp & 0x7F) == addr; }

static uint32_t ep_control(usb_dev *u, int ep, int out)
{
    return ep ? rd32(u->dpram + DPRAM_EP_CTRL(ep, out)) : 0;
}

static int ep_double(usb_dev *u, int ep, int out)
{
    if (ep == 0) return (u->sie_ctrl & USB_SIE_CTRL_EP0_DOUBLE_BUF) != 0;
    return (ep_control(u, ep, out) & EP_CTRL_DOUBLE_BUFFERED) != 0;
}

static uint32_t buffer_offset(usb_dev *u, int ep, int out, int sel)
{
    if (ep == 0) return sel ? DPRAM_EP0_BUF1 : DPRAM_EP0_BUF0;
    return (ep_control(u, ep, out) & EP_CTRL_ADDR_MASK & ~0x3Fu) + (sel ? 64u : 0u);
}

/* BUFF_STATUS bit after a buffer completes, if the endpoint asks for it */
static void buffer_done(usb_dev *u, int ep, int out, int sel, int last, int short_pkt)
{
    uint32_t bit = 1u << (2 * ep + out);
    int per_buff, per_double;
    if (ep == 0) {
        per_buff = (u->sie_ctrl & USB_SIE_CTRL_EP0_INT_1BUF) != 0;
        per_double = (u->sie_ctrl & (1u << 28)) != 0;
    } else {
        uint32_t c = ep_control(u, ep, out);
        per_buff = (c & EP_CTRL_INT_PER_BUFF) != 0;
        per_double = (c & EP_CTRL_INT_PER_DOUBLE_BUFF) != 0;
    }
    if (per_buff || (per_double && sel == 1)) {
        u->buff_status |= bit;
        if (sel) u->cpu_should_handle |= bit;
        else u->cpu_should_handle &= ~bit;
    }
    if (last) u->sie_status |= USB_SIE_TRANS_COMPLETE;
    if (short_pkt) u->sie_status |= USB_SIE_RX_SHORT_PACKET;
    if (ep_double(u, ep, out) && !(short_pkt && out)) u->bufsel[ep][out] ^= 1;
}

static int stalled(usb_dev *u, int ep, int out, uint32_t bc)
{
    if (!(bc & BUF_STALL)) return 0;
    if (ep == 0) return (u->ep_stall_arm >> out) & 1;   /* EP0 also needs EP_STALL_ARM */
    return 1;
}

static void note_stall_nak(usb_dev *u, int ep, int out, int stall)
{
    int want;
    if (ep == 0) want = (u->sie_ctrl & (stall ? (1u << 31) : (1u << 27))) != 0;
    else want = (ep_control(u, ep, out) & (stall ? (1u << 17) : (1u << 16))) != 0;
    if (want) u->ep_status_stall_nak |= 1u << (2 * ep + out);
}

/* the controller hands buffer sel back: its half of the buffer control word
 * becomes half, and RESET is cleared at the end of the transfer */
static void put_half(uint8_t *bcp, uint32_t bc, int sel, uint32_t half)
{
    bc = sel ? (bc & 0xFFFF) | half << 16 : (bc & 0xFFFF0000u) | half;
    wr32(bcp, bc & ~BUF_RESET);
}

static usb_resp token_setup(usb_dev *u, int addr, const uint8_t pkt[8])
{
    if (!addressed(u, addr)) return USB_NO_RESPONSE;
    memcpy(u->dpram + DPRAM_SETUP, pkt, 8);
    u->sie_status |= USB_SIE_SETUP_REC;
    u->ep_stall_arm = 0;   /* a SETUP clears the EP0 stall arms */
    return USB_ACK;
}

static int check_ep(usb_dev *u, int addr, int ep, int out)
{
    if (!addressed(u, addr)) return 0;
    if (ep == 0) return 1;
    uint32_t c = ep_control(u, ep, out);
    if (!(c & EP_CTRL_ENABLE)) return 0;
    if (((c >> EP_CTRL_TYPE_LSB) & 3) == 1 && !u->warned_iso) {
        u->warned_iso = 1;
        sim_warn("USB EP%d %s is isochronous: not supported by the virtual host", ep, out ? "OUT" : "IN");
    }
    return 1;
}

static usb_resp token_in(usb_dev *u, int addr, int ep, uint8_t *data, int *len, int *pid)
{
    if (!check_ep(u, addr, ep, 0)) return USB_NO_RESPONSE;
    if (u->ep_abort & (1u << (2 * ep))) return USB_NAK;
    uint8_t *bcp = u->dpram + DPRAM_BUF_CTRL(ep, 0);
    uint32_t bc = rd32(bcp);
    if (bc & BUF_RESET) u->bufsel[ep][0] = 0;   /* "reset the buffer selector to buffer 0" */
    if (stalled(u, ep, 0, bc)) {
        note_stall_nak(u, ep, 0, 1);
        return USB_STALL;
    }
    int sel = ep_double(u, ep, 0) ? u->bufsel[ep][0] : 0;
    uint32_t half = sel ? bc >> 16 : bc & 0xFFFF;
    if (!(half & BUF_AVAILABLE) || !(half & BUF_FULL)) {
        note_stall_nak(u, ep, 0, 0);
        return USB_NAK;
    }
    int n = (int)(half & BUF_LEN_MASK);
    uint32_t off = buffer_offset(u, ep, 0, sel);
    if (off + (uint32_t)n > sizeof(u->dpram) || off < 0x100) {
        svc_stop(u->svc, STOP_FAULT, SIM_EXIT_FAULT, "USB protocol violation: EP%d IN buffer at DPRAM "
                     "offset 0x%x, length %d, lies outside the data area", ep, off, n);
        return USB_NO_RESPONSE;
    }
    memcpy(data, u->dpram + off, (size_t)n);
    *len = n;
    *pid = (half & BUF_PID1) ? 1 : 0;
    /* the host ACKs: the controller hands the buffer back */
    half &= ~(uint32_t)(BUF_AVAILABLE | BUF_FULL);
    put_half(bcp, bc, sel, half);
    buffer_done(u, ep, 0, sel, (half & BUF_LAST) != 0, 0);
    return USB_ACK;
}

static usb_resp token_out(usb_dev *u, int addr, int ep, const uint8_t *data, int len, int pid)
{
    if (!check_ep(u, addr, ep, 1)) return USB_NO_RESPONSE;
    if (u->ep_abort & (1u << (2 * ep + 1))) return USB_NAK;
    uint8_t *bcp = u->dpram + DPRAM_BUF_CTRL(ep, 1);
    uint32_t bc = rd32(bcp);
    if (bc & BUF_RESET) u->bufsel[ep][1] = 0;
    if (stalled(u, ep, 1, bc)) {
        note_stall_nak(u, ep, 1, 1);
        return USB_STALL;
    }
    int sel = ep_double(u, ep, 1) ? u->bufsel[ep][1] : 0;
    uint32_t half = sel ? bc >> 16 : bc & 0xFFFF;
    if (!(half & BUF_AVAILABLE) || (half & BUF_FULL)) {
        note_stall_nak(u, ep, 1, 0);
        return USB_NAK;
    }
    int want_pid = (half & BUF_PID1) ? 1 : 0;
    if (want_pid != pid) {
        u->sie_status |= USB_SIE_DATA_SEQ_ERROR;
        svc_stop(u->svc, STOP_FAULT, SIM_EXIT_FAULT,
                     "USB protocol violation: EP%d OUT buffer expects DATA%d but the host sends "
                     "DATA%d (the firmware lost data-toggle sync; the controller flags "
                     "DATA_SEQ_ERROR and the packet is lost)", ep, want_pid, pid);
        return USB_ACK;
    }
    int cap = (int)(half & BUF_LEN_MASK);
    uint32_t off = buffer_offset(u, ep, 1, sel);
    if (len > cap) {
        svc_stop(u->svc, STOP_FAULT, SIM_EXIT_FAULT,
                     "USB protocol violation: EP%d OUT buffer length is %d but the host sends a "
                     "%d-byte packet (the buffer must take a full packet)", ep, cap, len);
        return USB_ACK;
    }
    if (off + (uint32_t)len > sizeof(u->dpram) || (len && off < 0x100)) {
        svc_stop(u->svc, STOP_FAULT, SIM_EXIT_FAULT, "USB protocol violation: EP%d OUT buffer at "
                     "DPRAM offset 0x%x lies outside the data area", ep, off);
        return USB_ACK;
    }
    if (len) memcpy(u->dpram + off, data, (size_t)len);   /* a zero-length packet may carry no data */
    half = (half & ~(uint32_t)(BUF_AVAILABLE | BUF_LEN_MASK)) | BUF_FULL | (uint32_t)len;
    put_half(bcp, bc, sel, half);
    buffer_done(u, ep, 1, sel, (half & BUF_LAST) != 0, len < cap);
    return USB_ACK;
}

/* ---- the device's end of the cable (usb_cable.h) ---- */

static int cable_attached(void *dev, const char **why) { return attached(dev, why); }

static void cable_bus_reset(void *dev)
{
    usb_dev *u = dev;
    u->sie_status |= USB_SIE_BUS_RESET;
    memset(u->bufsel, 0, sizeof(u->bufsel));
    u->connected = 1;
    u->suspended = 0;
    update_irq(u);
}

static void cable_resume(void *dev)
{
    usb_dev *u = dev;
    if (!u->suspended) return;
    u->suspended = 0;
    u->sie_status |= USB_SIE_RESUME;
    update_irq(u);
}

static void cable_sof(void *dev, uint32_t frame)
{
    usb_dev *u = dev;
    u->sof_rd = frame & 0x7FF;
    u->sof_pending = 1;
    cable_resume(u);
    update_irq(u);
}

static void cable_suspend(void *dev, int s)
{
    usb_dev *u = dev;
    u->suspended = s;
    if (!s) u->connected = 0;
    update_irq(u);
}

static usb_resp cable_setup(void *dev, int addr, const uint8_t pkt[8])
{
    usb_resp r = token_setup(dev, addr, pkt);
    update_irq(dev);
    return r;
}

static usb_resp cable_in(void *dev, int addr, int ep, uint8_t *data, int *len, int *pid)
{
    usb_resp r = token_in(dev, addr, ep, data, len, pid);
    update_irq(dev);
    return r;
}

static usb_resp cable_out(void *dev, int addr, int ep, const uint8_t *data, int len, int pid)
{
    usb_resp r = token_out(dev, addr, ep, data, len, pid);
    update_irq(dev);
    return r;
}

static int cable_suspended(void *dev) { return ((usb_dev *)dev)->suspended; }
static int cable_address(void *dev) { return (int)(((usb_dev *)dev)->addr_endp & 0x7F); }

usb_cable usb_dev_cable(usb_dev *u)
{
    return (usb_cable){u, cable_attached, cable_bus_reset, cable_sof, cable_suspend, cable_resume,
                       cable_setup, cable_in, cable_out, cable_suspended, cable_address};
}

/* the registers to their reset values (DPRAM keeps its contents); the
 * wiring stays */
void usb_reset(usb_dev *u)
{
    usb_dev keep = *u;
    memset(u, 0, sizeof(*u));
    memcpy(u->dpram, keep.dpram, sizeof(u->dpram));   /* RAM keeps its contents */
    u->dev_regs = keep.dev_regs;
    u->dev_dpram = keep.dev_dpram;
    u->svc = keep.svc;
    u->in_reset = keep.in_reset;
    u->irq = keep.irq;
    u->main_ctrl = USB_MAIN_CTRL_PHY_ISO;
    u->sie_ctrl = USB_SIE_CTRL_PULLDOWN_EN;
    u->nak_poll = 0x00100010u;
    u->muxing = USB_MUXING_TO_PHY;
    u->plain[0x84 / 4] = 0x1F1F;
    u->plain[0x88 / 4] = 0xF8;
    u->irq_level = keep.irq_level;
    update_irq(u);
}

void usb_reset_line(void *usb, int n, uint32_t asserted)
{
    (void)n;
    if (asserted) usb_reset(usb);
}

void usb_init(usb_dev *u, const board_services *svc)
{
    memset(u, 0, sizeof(*u));
    u->svc = svc;
    /* power-on DPRAM is not zero: the ROM uses it as workspace */
    for (size_t i = 0; i < sizeof(u->dpram); i++) u->dpram[i] = (uint8_t)(i * 37 + 11);
    bus_dev_setup(&u->dev_regs, "USBCTRL_REGS", USBCTRL_REGS_BASE, 0x4000, 1, RST_USBCTRL, u,
                  regs_read, regs_write);
    bus_dev_setup(&u->dev_dpram, "USBCTRL_DPRAM", USBCTRL_DPRAM_BASE, USBCTRL_DPRAM_SIZE, 0,
                  RST_USBCTRL, u, dpram_read, dpram_write);
    u->dev_dpram.memory = 1;
}
