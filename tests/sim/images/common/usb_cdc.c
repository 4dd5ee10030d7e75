/* usb_cdc.c - polled USB CDC-ACM device (see usb_cdc.h). Endpoints: EP0
 * control, EP1 IN interrupt (notifications), EP2 OUT and EP2 IN bulk. */
#include "usb_cdc.h"

#include "hw.h"

#define USB_ADDR_ENDP (USBCTRL_REGS + 0x00)
#define USB_MAIN_CTRL (USBCTRL_REGS + 0x40)
#define USB_SIE_CTRL (USBCTRL_REGS + 0x4C)
#define USB_SIE_STATUS (USBCTRL_REGS + 0x50)
#define USB_BUFF_STATUS (USBCTRL_REGS + 0x58)
#define USB_EP_STALL_ARM (USBCTRL_REGS + 0x68)
#define USB_MUXING (USBCTRL_REGS + 0x74)
#define USB_PWR (USBCTRL_REGS + 0x78)

#define SIE_SETUP_REC (1u << 17)
#define SIE_BUS_RESET (1u << 19)
#define BUF_FULL (1u << 15)
#define BUF_LAST (1u << 14)
#define BUF_PID1 (1u << 13)
#define BUF_STALL (1u << 11)
#define BUF_AVAIL (1u << 10)

#define DPRAM8(off) (*(volatile uint8_t *)(USBCTRL_DPRAM + (off)))
#define EP_CTRL(n, out) (USBCTRL_DPRAM + 0x08 + 8 * ((n) - 1) + ((out) ? 4 : 0))
#define BUF_CTRL(n, out) (USBCTRL_DPRAM + 0x80 + 8 * (n) + ((out) ? 4 : 0))
#define EP0_BUF 0x100
#define EP1_IN_BUF 0x180
#define EP2_OUT_BUF 0x1C0
#define EP2_IN_BUF 0x200

usb_cdc_options usb_cdc_opts;

static const uint8_t device_desc[18] = {
    18, 1, 0x00, 0x02, 0xEF, 0x02, 0x01, 64, 0x8A, 0x2E, 0x04, 0x40, 0x00, 0x01, 1, 2, 3, 1,
};

static uint8_t config_desc[75] = {
    9, 2, 75, 0, 2, 1, 0, 0x80, 50,                 /* configuration */
    8, 0x0B, 0, 2, 2, 2, 0, 0,                      /* interface association: CDC */
    9, 4, 0, 0, 1, 2, 2, 0, 0,                      /* interface 0: CDC-ACM */
    5, 0x24, 0x00, 0x10, 0x01,                      /* header */
    5, 0x24, 0x01, 0x00, 0x01,                      /* call management */
    4, 0x24, 0x02, 0x02,                            /* ACM */
    5, 0x24, 0x06, 0, 1,                            /* union: 0 controls 1 */
    7, 5, 0x81, 3, 8, 0, 16,                        /* EP1 IN interrupt */
    9, 4, 1, 0, 2, 0x0A, 0, 0, 0,                   /* interface 1: CDC data */
    7, 5, 0x02, 2, 64, 0, 0,                        /* EP2 OUT bulk */
    7, 5, 0x82, 2, 64, 0, 0,                        /* EP2 IN bulk */
};

static const char *const strings[] = {"Pico LLaMA tests", "Virtual board CDC", "0001"};

static int configured, dtr, pending_addr;
static int ep0_pid, ep2_in_pid, ep2_out_pid, ep2_in_busy;
static const uint8_t *ep0_tx;
static int ep0_tx_left, ep0_rx_line_coding;
static uint8_t rx_buf[256];
static unsigned rx_head, rx_tail;

/* writes a buffer control word the safe way: AVAILABLE last */
static void buf_ctrl(uint32_t addr, uint32_t v)
{
    REG(addr) = v & ~BUF_AVAIL;
    __asm volatile("nop; nop; nop; nop; nop; nop");
    REG(addr) = v;
}

static void ep0_send_packet(void)
{
    int n = ep0_tx_left < 64 ? ep0_tx_left : 64;
    for (int i = 0; i < n; i++) DPRAM8(EP0_BUF + i) = ep0_tx[i];
    ep0_tx += n;
    ep0_tx_left -= n;
    buf_ctrl(BUF_CTRL(0, 0), (uint32_t)n | BUF_FULL | (ep0_pid ? BUF_PID1 : 0) | BUF_AVAIL);
    ep0_pid ^= 1;
}

static void ep0_send(const uint8_t *data, int len, int wlength)
{
    ep0_tx = data;
    ep0_tx_left = len < wlength ? len : wlength;
    ep0_pid = 1;
    ep0_send_packet();
    /* the status stage (OUT, DATA1) needs a receive buffer */
    buf_ctrl(BUF_CTRL(0, 1), 64 | BUF_PID1 | BUF_AVAIL);
}

static void ep0_status_in(void)
{
    buf_ctrl(BUF_CTRL(0, 0), BUF_FULL | BUF_PID1 | BUF_AVAIL);   /* zero-length DATA1 */
}

static void ep0_stall(void)
{
    REG(USB_EP_STALL_ARM) = 1;   /* EP0 IN */
    REG(BUF_CTRL(0, 0)) = BUF_STALL;
}

static uint8_t string_buf[64];

static void send_string(int index, int wlength)
{
    if (index == 0) {
        static const uint8_t langid[4] = {4, 3, 0x09, 0x04};
        ep0_send(langid, 4, wlength);
        return;
    }
    if (index > 3) {
        ep0_stall();
        return;
    }
    const char *s = strings[index - 1];
    int n = 0;
    while (s[n] && n < 30) {
        string_buf[2 + 2 * n] = (uint8_t)s[n];
        string_buf[3 + 2 * n] = 0;
        n++;
    }
    string_buf[0] = (uint8_t)(2 + 2 * n);
    string_buf[1] = 3;
    ep0_send(string_buf, 2 + 2 * n, wlength);
}

static void handle_setup(void)
{
    uint8_t type = DPRAM8(0), req = DPRAM8(1);
    uint16_t value = (uint16_t)(DPRAM8(2) | DPRAM8(3) << 8);
    uint16_t length = (uint16_t)(DPRAM8(6) | DPRAM8(7) << 8);
    static const uint8_t zero2[2] = {0, 0};
    static uint8_t line_coding[7] = {0x00, 0xC2, 0x01, 0x00, 0, 0, 8};
    if (type == 0x80 && req == 6) {
        switch (value >> 8) {
        case 1: ep0_send(device_desc, 18, length); return;
        case 2:
            config_desc[2] = (uint8_t)(75 + usb_cdc_opts.config_total_adjust);
            ep0_send(config_desc, 75, length);
            return;
        case 3: send_string(value & 0xFF, length); return;
        default: ep0_stall(); return;   /* e.g. DEVICE_QUALIFIER: full speed only */
        }
    }
    if (type == 0x00 && req == 5) { pending_addr = value & 0x7F; ep0_status_in(); return; }
    if (type == 0x00 && req == 9) {
        configured = value != 0;
        ep2_in_pid = ep2_out_pid = 0;
        ep2_in_busy = 0;
        buf_ctrl(BUF_CTRL(2, 1), 64 | BUF_AVAIL);   /* DATA0 first */
        ep0_status_in();
        return;
    }
    if ((type & 0x80) && req == 0) { ep0_send(zero2, 2, length); return; }   /* GET_STATUS */
    if (type == 0x21 && req == 0x20) {   /* SET_LINE_CODING: 7 bytes follow */
        ep0_rx_line_coding = 1;
        buf_ctrl(BUF_CTRL(0, 1), 64 | BUF_PID1 | BUF_AVAIL);
        return;
    }
    if (type == 0xA1 && req == 0x21) { ep0_send(line_coding, 7, length); return; }
    if (type == 0x21 && req == 0x22) { dtr = value & 1; ep0_status_in(); return; }
    ep0_stall();
}

void usb_cdc_init(void)
{
    REG(RESETS_RESET + ALIAS_SET) = 1u << RST_USBCTRL;
    reset_release(1u << RST_USBCTRL);
    for (int i = 0; i < 4096; i += 4) REG(USBCTRL_DPRAM + i) = 0;
    REG(USB_MUXING) = 0x9;            /* TO_PHY | SOFTCON */
    REG(USB_PWR) = 0xC;               /* VBUS_DETECT | VBUS_DETECT_OVERRIDE_EN */
    REG(USB_MAIN_CTRL) = 1;           /* CONTROLLER_EN, PHY not isolated */
    REG(USB_SIE_CTRL) = 1u << 29;     /* EP0_INT_1BUF */
    REG(EP_CTRL(1, 0)) = 0x80000000u | 0x20000000u | 3u << 26 | EP1_IN_BUF;
    REG(EP_CTRL(2, 1)) = 0x80000000u | 0x20000000u | 2u << 26 | EP2_OUT_BUF;
    REG(EP_CTRL(2, 0)) = 0x80000000u | 0x20000000u | 2u << 26 | EP2_IN_BUF;
    REG(USB_SIE_CTRL + ALIAS_SET) = 1u << 16;   /* PULLUP_EN: the host sees us */
}

static void rx_packet(void)
{
    uint32_t bc = REG(BUF_CTRL(2, 1));
    int n = (int)(bc & 0x3FF);
    for (int i = 0; i < n; i++) {
        rx_buf[rx_head % sizeof(rx_buf)] = DPRAM8(EP2_OUT_BUF + i);
        rx_head++;
    }
    ep2_out_pid ^= 1;
    buf_ctrl(BUF_CTRL(2, 1), 64 | (ep2_out_pid ? BUF_PID1 : 0) | BUF_AVAIL);
}

void usb_cdc_poll(void)
{
    uint32_t st = REG(USB_SIE_STATUS);
    if (st & SIE_BUS_RESET) {
        REG(USB_SIE_STATUS) = SIE_BUS_RESET;
        REG(USB_ADDR_ENDP) = 0;
        configured = dtr = 0;
        pending_addr = 0;
    }
    if ((st & SIE_SETUP_REC) && !usb_cdc_opts.ignore_setup) {
        REG(USB_SIE_STATUS) = SIE_SETUP_REC;
        handle_setup();
    }
    uint32_t bs = REG(USB_BUFF_STATUS);
    if (!bs) return;
    REG(USB_BUFF_STATUS) = bs;
    if (bs & 1) {   /* EP0 IN done */
        if (pending_addr) {
            REG(USB_ADDR_ENDP) = (uint32_t)pending_addr;   /* only after the status stage */
            pending_addr = 0;
        } else if (ep0_tx_left > 0) {
            ep0_send_packet();
        }
    }
    if (bs & 2) {   /* EP0 OUT done: a status stage or SET_LINE_CODING data */
        if (ep0_rx_line_coding) {
            ep0_rx_line_coding = 0;
            ep0_status_in();
        }
    }
    if (bs & (1u << 4)) ep2_in_busy = 0;
    if (bs & (1u << 5)) rx_packet();
}

int usb_cdc_configured(void) { return configured; }
int usb_cdc_dtr(void) { return dtr; }

int usb_cdc_getc(void)
{
    if (rx_tail == rx_head) return -1;
    return rx_buf[rx_tail++ % sizeof(rx_buf)];
}

void usb_cdc_write(const char *s, int n)
{
    while (n > 0) {
        while (configured && ep2_in_busy) usb_cdc_poll();
        if (!configured) return;
        int k = n < 64 ? n : 64;
        for (int i = 0; i < k; i++) DPRAM8(EP2_IN_BUF + i) = (uint8_t)s[i];
        ep2_in_busy = 1;
        buf_ctrl(BUF_CTRL(2, 0), (uint32_t)k | BUF_FULL | (ep2_in_pid ? BUF_PID1 : 0) | BUF_AVAIL);
        ep2_in_pid ^= 1;
        s += k;
        n -= k;
    }
}
