/* dev_uart.c - the PL011 UARTs (see dev_uart.h; datasheet 12.1). Bytes take
 * their real frame time to leave the TX shifter; they reach the terminal only
 * through a GPIO whose function is this UART's TX and whose pad passes
 * output. */
#include "dev_uart.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "regs/clocks.h"
#include "regs/resets.h"
#include "regs/uart.h"
#include "simtime.h"

static int fifo_depth(uart_dev *u) { return (u->lcr_h & UARTLCR_H_FEN) ? UART_FIFO_DEPTH : 1; }

static int frame_bits(uart_dev *u)
{
    return 1 + UARTLCR_H_WLEN(u->lcr_h) + ((u->lcr_h & UARTLCR_H_PEN) ? 1 : 0) +
           ((u->lcr_h & UARTLCR_H_STP2) ? 2 : 1);
}

/* baud = clk_peri / (16 * (IBRD + FBRD/64)) = 4 * clk_peri / (64 * IBRD + FBRD) */
static uint64_t baud_of(uart_dev *u)
{
    uint64_t div = 64ull * u->ibrd_latched + u->fbrd_latched;
    if (!div || u->ibrd_latched == 0) return 0;
    return 4 * svc_clk_hz(u->svc, CLK_PERI) / div;
}

uint64_t uart_frame_ps(uart_dev *u)
{
    uint64_t b = baud_of(u);
    return b ? clk_cycles_to_ps((uint64_t)frame_bits(u), b) : 0;
}

static int tx_running(uart_dev *u)
{
    return (u->cr & UARTCR_UARTEN) && (u->cr & UARTCR_TXE) && uart_frame_ps(u);
}

/* the GPIO carrying UARTi's TX (tx=1) or RX, or -1 */
static int uart_pin(uart_dev *u, int tx)
{
    int i = u->index, count = u->pins.count ? u->pins.count(u->pins.ctx) : 0;
    for (int n = 0; n < count; n++) {
        int f = u->pins.funcsel(u->pins.ctx, n);
        if (((n + 4) / 8) % 2 != i) continue;
        if (f == GPIO_FUNC_UART && n % 4 == (tx ? 0 : 1)) return n;
        if (f == GPIO_FUNC_UART_AUX && n % 4 == (tx ? 2 : 3)) return n;
    }
    return -1;
}

/* the line speed of the terminal at the far end of UART0 */
static uint32_t terminal_baud(const uart_dev *u) { return u->serial ? u->serial->baud : 115200; }

static uint32_t pad_of(uart_dev *u, int pin) { return u->pins.pad(u->pins.ctx, pin); }

static void deliver(uart_dev *u, uint8_t byte)
{
    int pin = uart_pin(u, 1);
    if (pin < 0 || !(pad_of(u, pin) & PIN_PAD_OUTPUT)) {
        if (!u->warned_nopin) {
            u->warned_nopin = 1;
            if (pin < 0)
                sim_warn("UART%d transmits but no GPIO has its TX function (e.g. GPIO%d FUNCSEL=2): "
                         "the bytes go nowhere", u->index, u->index ? 4 : 0);
            else
                sim_warn("UART%d transmits on GPIO%d but its pad is %s: the bytes go nowhere",
                         u->index, pin, (pad_of(u, pin) & PIN_PAD_ISOLATED) ? "isolated (PADS ISO=1)"
                                                                             : "output-disabled (OD=1)");
        }
        return;
    }
    if (u->serial) u->serial->sent(u->serial->ctx, u->index, byte);
}

/* the flags as the FIFOs stand (the caller brought the TX side up to date) */
static uint32_t fr_flags(uart_dev *u)
{
    int shifting = u->txn > 0 && tx_running(u);
    int level = u->txn - shifting;
    uint32_t fr = 0;
    if (level == 0) fr |= UARTFR_TXFE;
    if (level >= fifo_depth(u)) fr |= UARTFR_TXFF;
    if (u->txn) fr |= UARTFR_BUSY;
    if (u->rx_count == 0) fr |= UARTFR_RXFE;
    if (u->rx_count >= fifo_depth(u)) fr |= UARTFR_RXFF;
    return fr;
}

static uint32_t raw_irqs_now(uart_dev *u)
{
    uint32_t ris = u->ris;
    if (u->rx_count) ris |= UART_RIS_RX;
    if (!(fr_flags(u) & UARTFR_TXFF)) ris |= UART_RIS_TX;
    return ris;
}

/* the interrupt line follows UARTMIS */
static void update_irq(uart_dev *u)
{
    uint32_t level = (raw_irqs_now(u) & u->imsc) != 0;
    if (level == u->irq_level) return;
    u->irq_level = level;
    signal_set(&u->irq, level);
}

/* lets bytes whose frame time has passed leave the shifter */
static void tx_advance(uart_dev *u)
{
    if (!u->txn || !tx_running(u)) return;
    uint64_t frame = uart_frame_ps(u), now = svc_now_ps(u->svc);
    while (u->txn && now >= u->tx_start_ps + frame) {
        deliver(u, u->txq[0]);
        memmove(u->txq, u->txq + 1, (size_t)--u->txn);
        u->tx_start_ps += frame;
    }
    if (!u->txn) u->tx_start_ps = 0;
    update_irq(u);
}

uint64_t uart_next_event(uart_dev *u)
{
    if (!u->txn || !tx_running(u)) return 0;
    return u->tx_start_ps + uart_frame_ps(u);
}

void uart_flush(uart_dev *u)
{
    if (!tx_running(u)) return;
    for (int k = 0; k < u->txn; k++) deliver(u, u->txq[k]);
    u->txn = 0;
}

void uart_poll(uart_dev *u) { tx_advance(u); }

static void report_config(uart_dev *u)
{
    if (!tx_running(u)) return;
    uint32_t key = u->ibrd_latched << 16 | u->fbrd_latched << 8 | (u->lcr_h & 0xEE);
    if (u->reported_cfg == (int)(key | 0x80000000u)) return;
    u->reported_cfg = (int)(key | 0x80000000u);
    static const char parity[] = {'N', 'O', 'N', 'E'};
    int p = (u->lcr_h & UARTLCR_H_PEN) ? 1 + ((u->lcr_h & UARTLCR_H_EPS) ? 2 : 0) : 0;
    uint64_t baud = baud_of(u);
    sim_info("UART%d: %llu baud, %d%c%d (clk_peri %.3f MHz, IBRD %u, FBRD %u)", u->index,
             (unsigned long long)baud, UARTLCR_H_WLEN(u->lcr_h), parity[p],
             (u->lcr_h & UARTLCR_H_STP2) ? 2 : 1, svc_clk_hz(u->svc, CLK_PERI) / 1e6, u->ibrd_latched,
             u->fbrd_latched);
    uint32_t want = terminal_baud(u);
    if (u->index == 0 && (baud * 100 < want * 97 || baud * 100 > want * 103) && !u->warned_baud) {
        u->warned_baud = 1;
        sim_warn("UART0 runs at %llu baud, the terminal at %u: on a real line the bytes would be "
                 "garbled (the sim passes them through)", (unsigned long long)baud, want);
    }
}

static void tx_push(uart_dev *u, uint8_t byte)
{
    tx_advance(u);
    int shifting = u->txn > 0 && tx_running(u);
    if (u->txn - shifting >= fifo_depth(u)) return;   /* TX FIFO full: the write is lost */
    if (!u->txn) u->tx_start_ps = svc_now_ps(u->svc);
    u->txq[u->txn++] = byte;
    if (!tx_running(u) && !u->warned_disabled) {
        u->warned_disabled = 1;
        sim_warn("UART%d DR written while the UART cannot transmit (%s): the byte waits in the "
                 "FIFO", u->index,
                 !(u->cr & UARTCR_UARTEN) ? "UARTEN=0" : !(u->cr & UARTCR_TXE) ? "TXE=0"
                 : !svc_clk_hz(u->svc, CLK_PERI) ? "clk_peri stopped" : "baud divisor IBRD=0 not latched by an LCR_H write");
    }
}

static uint32_t read_fr(uart_dev *u)
{
    tx_advance(u);
    return fr_flags(u);
}

static uint32_t read_dr(uart_dev *u)
{
    if (!u->rx_count) return 0;
    uint16_t v = u->rx[u->rx_head];
    u->rx_head = (u->rx_head + 1) % UART_FIFO_DEPTH;
    u->rx_count--;
    u->rsr = (v >> 8) & 0xF;
    return v;
}

static uint32_t raw_irqs(uart_dev *u)
{
    tx_advance(u);
    return raw_irqs_now(u);
}

uint32_t uart_dreq(void *uart, int n)
{
    uint32_t fr = read_fr(uart);
    return n == UART_DREQ_TX ? !(fr & UARTFR_TXFF) : !(fr & UARTFR_RXFE);
}

static int uart_read(void *st, bus_access *a, uint32_t *v)
{
    uart_dev *u = st;
    switch (a->offset) {
    case UARTDR: *v = read_dr(u); update_irq(u); return BUS_OK;
    case UARTRSR: *v = u->rsr; return BUS_OK;
    case UARTFR: *v = read_fr(u); return BUS_OK;
    case UARTILPR: *v = u->ilpr; return BUS_OK;
    case UARTIBRD: *v = u->ibrd; return BUS_OK;
    case UARTFBRD: *v = u->fbrd; return BUS_OK;
    case UARTLCR_H: *v = u->lcr_h; return BUS_OK;
    case UARTCR: *v = u->cr; return BUS_OK;
    case UARTIFLS: *v = u->ifls; return BUS_OK;
    case UARTIMSC: *v = u->imsc; return BUS_OK;
    case UARTRIS: *v = raw_irqs(u); return BUS_OK;
    case UARTMIS: *v = raw_irqs(u) & u->imsc; return BUS_OK;
    case UARTICR: *v = 0; return BUS_OK;
    case UARTDMACR: *v = u->dmacr; return BUS_OK;
    }
    if (a->offset >= UARTPERIPHID0 && a->offset <= 0xFFC) {
        const sim_regdef *r = regtable_find(u->dev.regs, a->offset, NULL);
        *v = r ? r->reset : 0;
        return BUS_OK;
    }
    return BUS_HOLE;
}

static int uart_write_reg(uart_dev *u, bus_access *a, uint32_t v)
{
    switch (a->offset) {
    case UARTDR: tx_push(u, (uint8_t)v); return BUS_OK;
    case UARTRSR: u->rsr = 0; return BUS_OK;
    case UARTFR: return BUS_OK;
    case UARTILPR: u->ilpr = v & 0xFF; return BUS_OK;
    case UARTIBRD: u->ibrd = bus_alias_apply(u->ibrd, v, a->alias) & 0xFFFF; return BUS_OK;
    case UARTFBRD: u->fbrd = bus_alias_apply(u->fbrd, v, a->alias) & 0x3F; return BUS_OK;
    case UARTLCR_H:
        tx_advance(u);
        u->lcr_h = bus_alias_apply(u->lcr_h, v, a->alias) & 0xFF;
        u->ibrd_latched = u->ibrd;   /* the divisors take effect on an LCR_H write */
        u->fbrd_latched = u->fbrd;
        report_config(u);
        return BUS_OK;
    case UARTCR:
        tx_advance(u);
        u->cr = bus_alias_apply(u->cr, v, a->alias) & 0xFF87;
        if (u->txn && tx_running(u)) u->tx_start_ps = svc_now_ps(u->svc);
        report_config(u);
        return BUS_OK;
    case UARTIFLS: u->ifls = bus_alias_apply(u->ifls, v, a->alias) & 0x3F; return BUS_OK;
    case UARTIMSC: u->imsc = bus_alias_apply(u->imsc, v, a->alias) & 0x7FF; return BUS_OK;
    case UARTICR: u->ris &= ~(v & 0x7FF); return BUS_OK;
    case UARTDMACR: u->dmacr = bus_alias_apply(u->dmacr, v, a->alias) & 7; return BUS_OK;
    case UARTRIS: case UARTMIS: return BUS_OK;
    }
    if (a->offset >= UARTPERIPHID0 && a->offset <= 0xFFC) return BUS_OK;
    return BUS_HOLE;
}

static int uart_write(void *st, bus_access *a, uint32_t v)
{
    uart_dev *u = st;
    int r = uart_write_reg(u, a, v);
    update_irq(u);
    return r;
}

int uart_rx_offer(uart_dev *u, uint8_t byte)
{
    uint64_t now = svc_now_ps(u->svc);
    if (now < u->rx_next_ps) return 0;
    /* like a person at the terminal, input waits until the UART can take it */
    int pin = uart_pin(u, 0);
    if (pin < 0 || !(pad_of(u, pin) & PIN_PAD_INPUT) || !(u->cr & UARTCR_UARTEN) ||
        !(u->cr & UARTCR_RXE))
        return 0;
    uint32_t baud = terminal_baud(u);
    u->rx_next_ps = now + clk_cycles_to_ps(10, baud);   /* 8N1 on the terminal side */
    if (u->rx_count >= fifo_depth(u)) {
        u->ris |= UART_RIS_OE;
        if (u->rx_count) u->rx[(u->rx_head + u->rx_count - 1) % UART_FIFO_DEPTH] |= UARTDR_OE;
        update_irq(u);
        return 1;
    }
    u->rx[(u->rx_head + u->rx_count) % UART_FIFO_DEPTH] = byte;
    u->rx_count++;
    update_irq(u);
    return 1;
}

/* the registers to their reset values; the wiring (services, pins,
 * terminal, interrupt line, bus device) stays */
void uart_reset(uart_dev *u)
{
    uart_dev keep = *u;
    memset(u, 0, sizeof(*u));
    u->dev = keep.dev;
    u->svc = keep.svc;
    u->pins = keep.pins;
    u->serial = keep.serial;
    u->irq = keep.irq;
    u->index = keep.index;
    u->cr = 0x300;
    u->ifls = 0x12;
    u->irq_level = keep.irq_level;
    update_irq(u);
}

void uart_reset_line(void *uart, int n, uint32_t asserted)
{
    (void)n;
    if (asserted) uart_reset(uart);
}

void uart_init(uart_dev *u, int index, const board_services *svc)
{
    static const char *names[2] = {"UART0", "UART1"};
    memset(u, 0, sizeof(*u));
    u->index = index;
    u->svc = svc;
    bus_dev_setup(&u->dev, names[index], index ? UART1_BASE : UART0_BASE, 0x4000, 1,
                  index ? RST_UART1 : RST_UART0, u, uart_read, uart_write);
}
