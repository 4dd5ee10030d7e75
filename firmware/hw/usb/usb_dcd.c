/* usb_dcd.c - RP2350 USB device controller driver (facts 11; the same
 * controller as the RP2040's). Each endpoint direction has one DPRAM buffer
 * and a buffer-control word; completions show up in BUFF_STATUS, SETUP
 * packets and bus resets in SIE_STATUS. */
#include "usb_dcd.h"

#include <stddef.h>

#include "../regs/resets.h"
#include "../regs/usb.h"
#include "../resets.h"

typedef struct {
    io_rw_32 *buf_ctrl;
    io_rw_32 *ep_ctrl;         /* NULL for EP0 (controlled by SIE_CTRL) */
    volatile uint8_t *buffer;
    uint16_t max_packet;
    uint16_t in_len;           /* bytes of the IN packet in the buffer */
    uint8_t next_pid;
    bool busy;                 /* a packet is pending: armed, or held back by a halt */
    bool stalled;
} ep_state;

static ep_state endpoints[16][2]; /* [number][0 = OUT, 1 = IN] */
static const usb_dcd_events *handlers;
static uint32_t next_buffer_offset;

static ep_state *ep_of(uint8_t ep_addr) { return &endpoints[ep_addr & 0x0F][(ep_addr & USB_DIR_IN) ? 1 : 0]; }

static void init_ep0(void)
{
    for (int dir = 0; dir < 2; dir++) {
        ep_state *ep = &endpoints[0][dir];
        ep->buf_ctrl = dir ? &usb_dpram->ep_buf_ctrl[0].in : &usb_dpram->ep_buf_ctrl[0].out;
        ep->ep_ctrl = NULL;
        ep->buffer = usb_dpram->ep0_buf_a; /* shared: EP0 is half duplex */
        ep->max_packet = USB_EP0_SIZE;
        ep->next_pid = 1;
        ep->busy = false;
        ep->stalled = false;
    }
}

void usb_dcd_ep_close_all(void)
{
    for (int n = 1; n < 16; n++) {
        for (int dir = 0; dir < 2; dir++) {
            ep_state *ep = &endpoints[n][dir];
            if (ep->ep_ctrl) *ep->ep_ctrl = 0;
            if (ep->buf_ctrl) *ep->buf_ctrl = 0;
            *ep = (ep_state){0};
        }
    }
    next_buffer_offset = offsetof(usb_device_dpram_t, epx_data);
}

void usb_dcd_init(const usb_dcd_events *events)
{
    handlers = events;
    reset_block(RESETS_RESET_USBCTRL);
    unreset_block_wait(RESETS_RESET_USBCTRL);
    volatile uint32_t *dpram = (volatile uint32_t *)USBCTRL_DPRAM_BASE;
    for (uint32_t i = 0; i < USB_DPRAM_SIZE / 4; i++) dpram[i] = 0;
    usb_hw->muxing = USB_USB_MUXING_TO_PHY | USB_USB_MUXING_SOFTCON;
    /* VBUS sense is not wired to the RP2350 on this board: claim it */
    usb_hw->pwr = USB_USB_PWR_VBUS_DETECT | USB_USB_PWR_VBUS_DETECT_OVERRIDE_EN;
    usb_hw->main_ctrl = USB_MAIN_CTRL_CONTROLLER_EN; /* also clears PHY_ISO */
    usb_hw->sie_ctrl = USB_SIE_CTRL_EP0_INT_1BUF;
    init_ep0();
    usb_dcd_ep_close_all();
}

void usb_dcd_connect(void) { hw_set_bits(&usb_hw->sie_ctrl, USB_SIE_CTRL_PULLUP_EN); }

void usb_dcd_set_address(uint8_t address) { usb_hw->dev_addr_ctrl = address; }

void usb_dcd_ep_open(uint8_t ep_addr, uint8_t transfer_type, uint16_t max_packet)
{
    ep_state *ep = ep_of(ep_addr);
    uint8_t n = ep_addr & 0x0F;
    int in = (ep_addr & USB_DIR_IN) != 0;
    ep->buf_ctrl = in ? &usb_dpram->ep_buf_ctrl[n].in : &usb_dpram->ep_buf_ctrl[n].out;
    ep->ep_ctrl = in ? &usb_dpram->ep_ctrl[n - 1].in : &usb_dpram->ep_ctrl[n - 1].out;
    ep->buffer = (volatile uint8_t *)(USBCTRL_DPRAM_BASE + next_buffer_offset);
    ep->max_packet = max_packet;
    ep->in_len = 0;
    ep->next_pid = 0;
    ep->busy = false;
    ep->stalled = false;
    *ep->buf_ctrl = 0;
    *ep->ep_ctrl = EP_CTRL_ENABLE | EP_CTRL_INTERRUPT_PER_BUFFER |
                   (uint32_t)transfer_type << EP_CTRL_BUFFER_TYPE_LSB | next_buffer_offset;
    next_buffer_offset += (max_packet + 63u) & ~63u; /* buffers are 64-byte aligned */
}

/* The controller runs on clk_usb: it may see AVAILABLE before the rest of
 * the word, so the word goes out first without it (facts 11.2). */
static void write_buffer_control(io_rw_32 *buf_ctrl, uint32_t value)
{
    *buf_ctrl = value;
    for (volatile int i = 0; i < 4; i++) {
    }
    *buf_ctrl = value | USB_BUF_CTRL_AVAIL;
}

/* Hands the pending packet to the controller with the next data PID. */
static void arm(ep_state *ep, bool in)
{
    uint32_t value = ep->next_pid ? USB_BUF_CTRL_DATA1_PID : 0;
    ep->next_pid ^= 1u;
    value |= in ? ep->in_len | USB_BUF_CTRL_FULL : ep->max_packet;
    write_buffer_control(ep->buf_ctrl, value);
}

void usb_dcd_ep_start(uint8_t ep_addr, const uint8_t *data, uint16_t len)
{
    ep_state *ep = ep_of(ep_addr);
    bool in = (ep_addr & USB_DIR_IN) != 0;
    if (in) {
        for (uint16_t i = 0; i < len; i++) ep->buffer[i] = data[i];
        ep->in_len = len;
    }
    ep->busy = true;
    if (!ep->stalled) arm(ep, in); /* a halted endpoint sends it once the halt is cleared */
}

bool usb_dcd_ep_busy(uint8_t ep_addr) { return ep_of(ep_addr)->busy; }
bool usb_dcd_ep_stalled(uint8_t ep_addr) { return ep_of(ep_addr)->stalled; }

/* The endpoint's bit in BUFF_STATUS and EP_ABORT: 2n for EPn IN, 2n + 1
 * for EPn OUT. */
static uint32_t buffer_bit(uint8_t ep_addr)
{
    return 1u << ((ep_addr & 0x0F) * 2 + ((ep_addr & USB_DIR_IN) ? 0 : 1));
}

static void handle_buffers(uint32_t done);

/* Takes an armed buffer back from the controller (EP_ABORT, as TinyUSB's
 * dcd_rp2040.c does). Returns true if the packet did not go: the host may
 * have completed it meanwhile, and then its completion stands. */
static bool withdraw(uint8_t ep_addr, ep_state *ep)
{
    uint32_t bit = buffer_bit(ep_addr);
    hw_set_bits(&usb_hw->abort, bit);
    while (!(usb_hw->abort_done & bit)) {
    }
    bool pending = (*ep->buf_ctrl & USB_BUF_CTRL_AVAIL) != 0;
    if (pending) *ep->buf_ctrl = 0;
    hw_clear_bits(&usb_hw->abort, bit);
    usb_hw->abort_done = bit; /* write 1 to clear */
    return pending;
}

bool usb_dcd_ep_set_halt(uint8_t ep_addr)
{
    ep_state *ep = ep_of(ep_addr);
    if (!ep->buf_ctrl) return false;
    if (ep->stalled) return true;
    ep->stalled = true; /* what the class queues from here on waits for the clear */
    /* a pending packet is kept for when the halt is cleared; one that
     * completed meanwhile is handed over before STALL overwrites its length */
    if (ep->busy && !withdraw(ep_addr, ep)) handle_buffers(buffer_bit(ep_addr));
    *ep->buf_ctrl = USB_BUF_CTRL_STALL;
    return true;
}

void usb_dcd_ep_cancel(uint8_t ep_addr)
{
    ep_state *ep = ep_of(ep_addr);
    if (!ep->buf_ctrl || !ep->busy) return;
    if (ep->stalled) { /* held back for the clear: never armed */
        ep->busy = false;
    } else if (withdraw(ep_addr, ep)) {
        ep->busy = false;
        ep->next_pid ^= 1u; /* the host never saw that PID: the next packet uses it */
    } else {
        handle_buffers(buffer_bit(ep_addr)); /* it went meanwhile */
    }
}

/* USB 2.0 9.4.5: clearing a halt resets the data toggle to DATA0 whether
 * or not the endpoint was halted; hosts send it to resynchronise toggles.
 * A packet the class queued stays queued and goes again with DATA0. */
bool usb_dcd_ep_clear_halt(uint8_t ep_addr)
{
    ep_state *ep = ep_of(ep_addr);
    if (!ep->buf_ctrl) return false;
    bool rearm = ep->busy && (ep->stalled || withdraw(ep_addr, ep));
    if (ep->stalled) *ep->buf_ctrl = 0;
    ep->stalled = false;
    ep->next_pid = 0;
    if (rearm) arm(ep, (ep_addr & USB_DIR_IN) != 0);
    return true;
}

/* The next packet on EP0 uses DATA1 (after SETUP, for data and status stages). */
static void ep0_reset_pid(void)
{
    endpoints[0][0].next_pid = 1;
    endpoints[0][1].next_pid = 1;
}

void usb_dcd_ep0_stall(void)
{
    usb_hw->ep_stall_arm = USB_EP_STALL_ARM_EP0_IN | USB_EP_STALL_ARM_EP0_OUT;
    *endpoints[0][1].buf_ctrl = USB_BUF_CTRL_STALL;
    *endpoints[0][0].buf_ctrl = USB_BUF_CTRL_STALL;
    endpoints[0][0].busy = endpoints[0][1].busy = false;
}

static void handle_bus_reset(void)
{
    usb_hw->sie_status = USB_SIE_STATUS_BUS_RESET; /* write 1 to clear */
    usb_hw->dev_addr_ctrl = 0;
    usb_hw->buf_status = 0xFFFFFFFFu;
    init_ep0();
    usb_dcd_ep_close_all();
    if (handlers->bus_reset) handlers->bus_reset();
}

static void handle_buffers(uint32_t done)
{
    usb_hw->buf_status = done; /* write 1 to clear */
    for (int bit = 0; bit < 32; bit++) {
        if (!(done & (1u << bit))) continue;
        uint8_t n = (uint8_t)(bit / 2);
        int out = bit & 1; /* bit 2n: EPn IN, bit 2n+1: EPn OUT */
        ep_state *ep = &endpoints[n][out ? 0 : 1];
        if (!ep->busy) continue; /* a completion we did not ask for */
        ep->busy = false;
        uint16_t len = (uint16_t)(*ep->buf_ctrl & USB_BUF_CTRL_LEN_MASK);
        uint8_t addr = (uint8_t)(n | (out ? 0 : USB_DIR_IN));
        uint8_t copy[64];
        if (out) /* hand over a copy: EP0 IN may reuse the buffer at once */
            for (uint16_t i = 0; i < len && i < sizeof(copy); i++) copy[i] = ep->buffer[i];
        if (handlers->transfer_done) handlers->transfer_done(addr, copy, out ? len : 0);
    }
}

static void handle_setup(void)
{
    usb_hw->sie_status = USB_SIE_STATUS_SETUP_REC;
    usb_setup_packet setup;
    uint8_t *raw = (uint8_t *)&setup;
    for (int i = 0; i < 8; i++) raw[i] = usb_dpram->setup_packet[i];
    /* a SETUP cancels whatever EP0 was doing */
    endpoints[0][0].busy = endpoints[0][1].busy = false;
    *endpoints[0][0].buf_ctrl = 0;
    *endpoints[0][1].buf_ctrl = 0;
    ep0_reset_pid();
    if (handlers->setup) handlers->setup(&setup);
}

void usb_dcd_poll(void)
{
    uint32_t status = usb_hw->sie_status;
    if (status & USB_SIE_STATUS_BUS_RESET) handle_bus_reset();
    uint32_t done = usb_hw->buf_status;
    if (done) handle_buffers(done);
    if (status & USB_SIE_STATUS_SETUP_REC) handle_setup();
}
