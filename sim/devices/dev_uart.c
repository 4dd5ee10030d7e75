/* dev_uart.c - the PL011 UARTs (see dev_uart.h; datasheet 12.1). Bytes take
 * their real frame time to leave the TX shifter; they reach the terminal only
 * through a GPIO whose function is this UART's TX and whose pad passes
 * output. */
#include <stdio.h>
#include <string.h>

#include "log.h"
#include "machine.h"
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
static uint64_t baud_of(machine *m, uart_dev *u)
{
    uint64_t div = 64ull * u->ibrd_latched + u->fbrd_latched;
    if (!div || u->ibrd_latched == 0) return 0;
    return 4 * clocks_hz(m, CLK_PERI) / div;
}

uint64_t uart_frame_ps(machine *m, int i)
{
    uart_dev *u = &m->uart[i];
    uint64_t b = baud_of(m, u);
    return b ? clk_cycles_to_ps((uint64_t)frame_bits(u), b) : 0;
}

static int tx_running(machine *m, uart_dev *u)
{
    return (u->cr & UARTCR_UARTEN) && (u->cr & UARTCR_TXE) && uart_frame_ps(m, u->index);
}

/* the GPIO carrying UARTi's TX (tx=1) or RX, or -1 */
static int uart_pin(machine *m, int i, int tx)
{
    for (int n = 0; n < m->board->gpio_count; n++) {
        int f = gpio_func(m, n);
        if (((n + 4) / 8) % 2 != i) continue;
        if (f == GPIO_FUNC_UART && n % 4 == (tx ? 0 : 1)) return n;
        if (f == GPIO_FUNC_UART_AUX && n % 4 == (tx ? 2 : 3)) return n;
    }
    return -1;
}

/* the line speed of the terminal at the far end of UART0 */
static uint32_t terminal_baud(const machine *m) { return m->serial ? m->serial->baud : 115200; }

static void deliver(machine *m, uart_dev *u, uint8_t byte)
{
    int pin = uart_pin(m, u->index, 1);
    if (pin < 0 || !gpio_pad_output_ok(m, pin)) {
        if (!u->warned_nopin) {
            u->warned_nopin = 1;
            if (pin < 0)
                sim_warn("UART%d transmits but no GPIO has its TX function (e.g. GPIO%d FUNCSEL=2): "
                         "the bytes go nowhere", u->index, u->index ? 4 : 0);
            else
                sim_warn("UART%d transmits on GPIO%d but its pad is %s: the bytes go nowhere",
                         u->index, pin, (m->gpio.pads[pin] & PADS_ISO) ? "isolated (PADS ISO=1)"
                                                                        : "output-disabled (OD=1)");
        }
        return;
    }
    if (m->serial) m->serial->sent(m->serial->ctx, u->index, byte);
}

/* lets bytes whose frame time has passed leave the shifter */
static void tx_advance(machine *m, uart_dev *u)
{
    if (!u->txn || !tx_running(m, u)) return;
    uint64_t frame = uart_frame_ps(m, u->index), now = machine_now_ps(m);
    while (u->txn && now >= u->tx_start_ps + frame) {
        deliver(m, u, u->txq[0]);
        memmove(u->txq, u->txq + 1, (size_t)--u->txn);
        u->tx_start_ps += frame;
    }
    if (!u->txn) u->tx_start_ps = 0;
}

uint64_t uart_next_event(machine *m)
{
    uint64_t next = 0;
    for (int i = 0; i < 2; i++) {
        uart_dev *u = &m->uart[i];
        if (!u->txn || !tx_running(m, u)) continue;
        uint64_t t = u->tx_start_ps + uart_frame_ps(m, i);
        if (!next || t < next) next = t;
    }
    return next;
}

void uart_flush(machine *m)
{
    for (int i = 0; i < 2; i++) {
        uart_dev *u = &m->uart[i];
        if (!tx_running(m, u)) continue;
        for (int k = 0; k < u->txn; k++) deliver(m, u, u->txq[k]);
        u->txn = 0;
    }
}

void uart_poll(machine *m)
{
    tx_advance(m, &m->uart[0]);
    tx_advance(m, &m->uart[1]);
}

static void report_config(machine *m, uart_dev *u)
{
    if (!tx_running(m, u)) return;
    uint32_t key = u->ibrd_latched << 16 | u->fbrd_latched << 8 | (u->lcr_h & 0xEE);
    if (u->reported_cfg == (int)(key | 0x80000000u)) return;
    u->reported_cfg = (int)(key | 0x80000000u);
    static const char parity[] = {'N', 'O', 'N', 'E'};
    int p = (u->lcr_h & UARTLCR_H_PEN) ? 1 + ((u->lcr_h & UARTLCR_H_EPS) ? 2 : 0) : 0;
    uint64_t baud = baud_of(m, u);
    sim_info("UART%d: %llu baud, %d%c%d (clk_peri %.3f MHz, IBRD %u, FBRD %u)", u->index,
             (unsigned long long)baud, UARTLCR_H_WLEN(u->lcr_h), parity[p],
             (u->lcr_h & UARTLCR_H_STP2) ? 2 : 1, clocks_hz(m, CLK_PERI) / 1e6, u->ibrd_latched,
             u->fbrd_latched);
    uint32_t want = terminal_baud(m);
    if (u->index == 0 && (baud * 100 < want * 97 || baud * 100 > want * 103) && !u->warned_baud) {
        u->warned_baud = 1;
        sim_warn("UART0 runs at %llu baud, the terminal at %u: on a real line the bytes would be "
                 "garbled (the sim passes them through)", (unsigned long long)baud, want);
    }
}

static void tx_push(machine *m, uart_dev *u, uint8_t byte)
{
    tx_advance(m, u);
    int shifting = u->txn > 0 && tx_running(m, u);
    if (u->txn - shifting >= fifo_depth(u)) return;   /* TX FIFO full: the write is lost */
    if (!u->txn) u->tx_start_ps = machine_now_ps(m);
    u->txq[u->txn++] = byte;
    if (!tx_running(m, u) && !u->warned_disabled) {
        u->warned_disabled = 1;
        sim_warn("UART%d DR written while the UART cannot transmit (%s): the byte waits in the "
                 "FIFO", u->index,
                 !(u->cr & UARTCR_UARTEN) ? "UARTEN=0" : !(u->cr & UARTCR_TXE) ? "TXE=0"
                 : !clocks_hz(m, CLK_PERI) ? "clk_peri stopped" : "baud divisor IBRD=0 not latched by an LCR_H write");
    }
}

static uint32_t read_fr(machine *m, uart_dev *u)
{
    tx_advance(m, u);
    int shifting = u->txn > 0 && tx_running(m, u);
    int level = u->txn - shifting;
    uint32_t fr = 0;
    if (level == 0) fr |= UARTFR_TXFE;
    if (level >= fifo_depth(u)) fr |= UARTFR_TXFF;
    if (u->txn) fr |= UARTFR_BUSY;
    if (u->rx_count == 0) fr |= UARTFR_RXFE;
    if (u->rx_count >= fifo_depth(u)) fr |= UARTFR_RXFF;
    return fr;
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

static uint32_t raw_irqs(machine *m, uart_dev *u)
{
    uint32_t ris = u->ris;
    if (u->rx_count) ris |= UART_RIS_RX;
    if (!(read_fr(m, u) & UARTFR_TXFF)) ris |= UART_RIS_TX;
    return ris;
}

static int uart_read(void *st, bus_access *a, uint32_t *v)
{
    uart_dev *u = st;
    machine *m = u->m;
    switch (a->offset) {
    case UARTDR: *v = read_dr(u); return BUS_OK;
    case UARTRSR: *v = u->rsr; return BUS_OK;
    case UARTFR: *v = read_fr(m, u); return BUS_OK;
    case UARTILPR: *v = u->ilpr; return BUS_OK;
    case UARTIBRD: *v = u->ibrd; return BUS_OK;
    case UARTFBRD: *v = u->fbrd; return BUS_OK;
    case UARTLCR_H: *v = u->lcr_h; return BUS_OK;
    case UARTCR: *v = u->cr; return BUS_OK;
    case UARTIFLS: *v = u->ifls; return BUS_OK;
    case UARTIMSC: *v = u->imsc; return BUS_OK;
    case UARTRIS: *v = raw_irqs(m, u); return BUS_OK;
    case UARTMIS: *v = raw_irqs(m, u) & u->imsc; return BUS_OK;
    case UARTICR: *v = 0; return BUS_OK;
    case UARTDMACR: *v = u->dmacr; return BUS_OK;
    }
    if (a->offset >= UARTPERIPHID0 && a->offset <= 0xFFC) {
        const sim_regdef *r = bus_regdef(u->dev.regs, a->offset, NULL);
        *v = r ? r->reset : 0;
        return BUS_OK;
    }
    return BUS_HOLE;
}

static int uart_write(void *st, bus_access *a, uint32_t v)
{
    uart_dev *u = st;
    machine *m = u->m;
    switch (a->offset) {
    case UARTDR: tx_push(m, u, (uint8_t)v); return BUS_OK;
    case UARTRSR: u->rsr = 0; return BUS_OK;
    case UARTFR: return BUS_OK;
    case UARTILPR: u->ilpr = v & 0xFF; return BUS_OK;
    case UARTIBRD: u->ibrd = bus_alias_apply(u->ibrd, v, a->alias) & 0xFFFF; return BUS_OK;
    case UARTFBRD: u->fbrd = bus_alias_apply(u->fbrd, v, a->alias) & 0x3F; return BUS_OK;
    case UARTLCR_H:
        tx_advance(m, u);
        u->lcr_h = bus_alias_apply(u->lcr_h, v, a->alias) & 0xFF;
        u->ibrd_latched = u->ibrd;   /* the divisors take effect on an LCR_H write */
        u->fbrd_latched = u->fbrd;
        report_config(m, u);
        return BUS_OK;
    case UARTCR:
        tx_advance(m, u);
        u->cr = bus_alias_apply(u->cr, v, a->alias) & 0xFF87;
        if (u->txn && tx_running(m, u)) u->tx_start_ps = machine_now_ps(m);
        report_config(m, u);
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

int uart_rx_offer(machine *m, int i, uint8_t byte)
{
    uart_dev *u = &m->uart[i];
    uint64_t now = machine_now_ps(m);
    if (now < u->rx_next_ps) return 0;
    /* like a person at the terminal, input waits until the UART can take it */
    int pin = uart_pin(m, i, 0);
    if (pin < 0 || !gpio_pad_input_ok(m, pin) || !(u->cr & UARTCR_UARTEN) || !(u->cr & UARTCR_RXE))
        return 0;
    uint32_t baud = terminal_baud(m);
    u->rx_next_ps = now + clk_cycles_to_ps(10, baud);   /* 8N1 on the terminal side */
    if (u->rx_count >= fifo_depth(u)) {
        u->ris |= UART_RIS_OE;
        if (u->rx_count) u->rx[(u->rx_head + u->rx_count - 1) % UART_FIFO_DEPTH] |= UARTDR_OE;
        return 1;
    }
    u->rx[(u->rx_head + u->rx_count) % UART_FIFO_DEPTH] = byte;
    u->rx_count++;
    return 1;
}

void uart_reset(machine *m, int i)
{
    uart_dev *u = &m->uart[i];
    sim_device d = u->dev;
    memset(u, 0, sizeof(*u));
    u->dev = d;
    u->m = m;
    u->index = i;
    u->cr = 0x300;
    u->ifls = 0x12;
}

static void uart0_reset_hook(machine *m, int asserted) { if (asserted) uart_reset(m, 0); }
static void uart1_reset_hook(machine *m, int asserted) { if (asserted) uart_reset(m, 1); }

void uart_setup(machine *m)
{
    static const char *names[2] = {"UART0", "UART1"};
    for (int i = 0; i < 2; i++) {
        m->uart[i].index = i;
        m->uart[i].m = m;
        bus_dev_setup(&m->uart[i].dev, names[i], i ? UART1_BASE : UART0_BASE, 0x4000, 1,
                      i ? RST_UART1 : RST_UART0, &m->uart[i], uart_read, uart_write);
        bus_add_device(&m->bus, &m->uart[i].dev);
    }
    resets_set_hook(m, RST_UART0, uart0_reset_hook);
    resets_set_hook(m, RST_UART1, uart1_reset_hook);
}
