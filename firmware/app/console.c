/* console.c - USB + UART console. Input is taken only when it fits, so a
 * USB host is held back (NAK) instead of typed bytes being lost; output
 * waits for a host that is reading and drops the oldest text only for one
 * that stopped (see console.h). */
#include "console.h"

#include <stdarg.h>

#include "../boot/fault.h"
#include "../hw/clocks.h"
#include "../hw/uart.h"
#include "../hw/usb/usb_cdc.h"
#include "fmt.h"

#define USB_TX_SIZE 4096 /* two stories; a host that reads nothing longer loses the oldest */
#define UART_TX_SIZE 4096
#define INPUT_SIZE 2048  /* type-ahead while a story runs; beyond it the USB host waits */
#define USB_PACKET 64
#define CTRL_C 0x03
/* A host that has left an IN packet untaken this long has stopped reading
 * (a closed, throttled or suspended port): from then on the oldest output
 * is dropped instead of waited for. A host that reads takes a packet every
 * 1 ms frame (Linux's cdc-acm keeps 16 read requests queued while a
 * program reads the tty), so 200 ms never cuts off a host that keeps up,
 * and a stalled one costs a generation at most one 200 ms pause. */
#define HOST_STALLED_US 200000

typedef struct {
    uint8_t *data;
    uint32_t size, head, count;
    uint32_t dropped;
} ring;

static uint8_t usb_tx_data[USB_TX_SIZE], uart_tx_data[UART_TX_SIZE], input_data[INPUT_SIZE];
static ring usb_tx = {usb_tx_data, USB_TX_SIZE, 0, 0, 0};
static ring uart_tx = {uart_tx_data, UART_TX_SIZE, 0, 0, 0};
static ring input = {input_data, INPUT_SIZE, 0, 0, 0};

static struct {
    uint32_t input_ctrl_c;     /* Ctrl-C bytes waiting in the input */
    uint32_t usb_session;      /* the session the USB output belongs to */
    uint64_t usb_sent_us;      /* when the last IN packet was handed to the controller */
    uint32_t usb_drops_reported;
    uint32_t uart_overruns_reported;
} con;

static void ring_push(ring *r, uint8_t b)
{
    if (r->count == r->size) { /* full: the oldest byte goes */
        r->head = (r->head + 1) % r->size;
        r->count--;
        r->dropped++;
    }
    r->data[(r->head + r->count) % r->size] = b;
    r->count++;
}

static int ring_pop(ring *r)
{
    if (r->count == 0) return -1;
    uint8_t b = r->data[r->head];
    r->head = (r->head + 1) % r->size;
    r->count--;
    return b;
}

static uint32_t ring_room(const ring *r) { return r->size - r->count; }

/* The longest run of bytes readable in place, up to max. */
static uint32_t ring_contiguous(const ring *r, uint32_t max)
{
    uint32_t n = r->size - r->head;
    if (n > r->count) n = r->count;
    return n < max ? n : max;
}

static void fault_sink(const char *report)
{
    /* UART has it already (boot/fault.c); USB gets it here, and the link is
     * kept alive so it reaches the host */
    for (const char *p = report; *p; p++) ring_push(&usb_tx, (uint8_t)*p);
    for (;;) console_poll();
}

void console_init(uint16_t usb_vid, uint16_t usb_pid, const char *serial)
{
    uart_console_init(115200);
    fault_set_uart_ready();
    usb_cdc_init(usb_vid, usb_pid, serial);
    fault_set_sink(fault_sink);
}

void console_connect_usb(void) { usb_cdc_connect(); }

/* ---- input --------------------------------------------------------------- */

static void input_push(uint8_t b)
{
    ring_push(&input, b); /* never full here: receive() checks the room */
    if (b == CTRL_C) con.input_ctrl_c++;
}

/* Moves received bytes into the input only while they surely fit. A USB
 * packet waits in the controller until there is room for a whole one (the
 * host is NAKed meanwhile); the UART cannot hold its sender back, so its
 * bytes wait in its FIFO, and a FIFO overrun is reported (console_poll). */
static void receive(void)
{
    if (ring_room(&input) >= USB_PACKET) {
        uint8_t buf[USB_PACKET];
        uint16_t n = usb_cdc_read(buf, sizeof(buf));
        for (uint16_t i = 0; i < n; i++) input_push(buf[i]);
    }
    for (int c; ring_room(&input) > 0 && (c = uart_get()) >= 0;) input_push((uint8_t)c);
}

int console_getc(void)
{
    int c = ring_pop(&input);
    if (c == CTRL_C) con.input_ctrl_c--;
    return c;
}

bool console_take_ctrl_c(void)
{
    if (con.input_ctrl_c == 0) return false;
    for (uint32_t i = 0; i < input.count; i++) {
        if (input.data[(input.head + i) % input.size] != CTRL_C) continue;
        for (uint32_t k = i; k + 1 < input.count; k++) /* close the gap */
            input.data[(input.head + k) % input.size] = input.data[(input.head + k + 1) % input.size];
        input.count--;
        con.input_ctrl_c--;
        return true;
    }
    return false;
}

/* ---- output -------------------------------------------------------------- */

static void drain_uart(void)
{
    while (uart_tx.count && uart_try_put(uart_tx.data[uart_tx.head])) ring_pop(&uart_tx);
}

/* The host takes what is sent: the port is open and no IN packet has
 * waited longer than HOST_STALLED_US. */
static bool usb_host_reading(void)
{
    return usb_cdc_connected() &&
           (usb_cdc_write_room() > 0 || time_us() - con.usb_sent_us < HOST_STALLED_US);
}

static void send_usb(const uint8_t *data, uint16_t len)
{
    usb_cdc_write(data, len);
    con.usb_sent_us = time_us();
}

/* Tells the reader that text was lost while it was not reading. */
static bool send_drop_notice(void)
{
    uint32_t reported = con.usb_drops_reported;
    if (usb_tx.dropped == reported || usb_cdc_write_room() == 0) return false;
    char notice[64];
    size_t n = fmt(notice, sizeof(notice), "\r\n[... %u bytes dropped ...]\r\n",
                   (unsigned)(usb_tx.dropped - reported));
    send_usb((const uint8_t *)notice, (uint16_t)n);
    con.usb_drops_reported = usb_tx.dropped;
    return true;
}

static void drain_usb(void)
{
    if (send_drop_notice()) return;
    if (usb_tx.count == 0) {
        usb_cdc_flush();
        return;
    }
    uint32_t n = ring_contiguous(&usb_tx, usb_cdc_write_room());
    if (n == 0) return;
    send_usb(usb_tx.data + usb_tx.head, (uint16_t)n);
    usb_tx.head = (usb_tx.head + n) % usb_tx.size;
    usb_tx.count -= n;
}

/* A new terminal session (DTR raised) starts with its own text: what was
 * queued for an earlier one, or while the port was closed, is forgotten
 * before anything is sent (usb_cdc withdrew the packet in flight). */
static void start_usb_session_if_new(void)
{
    uint32_t s = usb_cdc_sessions();
    if (s == con.usb_session) return;
    con.usb_session = s;
    usb_tx.head = 0;
    usb_tx.count = 0;
    con.usb_drops_reported = usb_tx.dropped; /* nothing to report to a new session */
}

/* Moves bytes both ways without writing anything of its own. */
static void pump(void)
{
    usb_cdc_poll();
    start_usb_session_if_new();
    receive();
    drain_uart();
    drain_usb();
}

/* Output waits for room while its reader takes it; the UART always does
 * (at line rate), a USB host until it stops reading. */
static void put_byte(uint8_t b)
{
    while (uart_tx.count == uart_tx.size) pump();
    ring_push(&uart_tx, b);
    while (usb_tx.count == usb_tx.size && usb_host_reading()) pump();
    ring_push(&usb_tx, b);
}

static void queue_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') put_byte('\r');
        put_byte((uint8_t)s[i]);
    }
}

/* Says so when the UART's receive FIFO overflowed (the board was busy for
 * longer than 32 characters take to arrive): those bytes are gone. */
static void report_uart_overrun(void)
{
    uint32_t overruns = uart_overruns();
    if (overruns == con.uart_overruns_reported) return;
    con.uart_overruns_reported = overruns;
    static const char notice[] =
        "\n[UART input overrun: characters typed while the board was busy were lost]\n";
    queue_text(notice, sizeof(notice) - 1);
}

void console_poll(void)
{
    pump();
    report_uart_overrun();
}

void console_write(const char *s, size_t n)
{
    queue_text(s, n);
    console_poll();
}

void console_puts(const char *s)
{
    size_t n = 0;
    while (s[n]) n++;
    console_write(s, n);
}

void console_printf(const char *format, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, format);
    size_t n = vfmt(buf, sizeof(buf), format, ap);
    va_end(ap);
    size_t f = 0;
    while (format[f]) f++;
    if (n == sizeof(buf) - 1 && f > 0 && format[f - 1] == '\n') /* cut short: keep the line end */
        fmt(buf + n - 4, 5, "...\n");
    console_write(buf, n);
}

uint32_t console_usb_sessions(void) { return usb_cdc_sessions(); }

void console_drain(uint64_t timeout_us)
{
    uint64_t end = time_us() + timeout_us;
    while ((uart_tx.count || (usb_tx.count && usb_cdc_connected()) || usb_cdc_sending()) &&
           time_us() < end)
        console_poll();
}
