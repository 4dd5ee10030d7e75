/* console.c - USB + UART console with drop-oldest output buffers. */
#include "console.h"

#include <stdarg.h>

#include "../boot/fault.h"
#include "../hw/clocks.h"
#include "../hw/uart.h"
#include "../hw/usb/usb_cdc.h"
#include "fmt.h"

#define USB_TX_SIZE 4096 /* two stories; a host that reads nothing longer loses the oldest */
#define UART_TX_SIZE 4096
#define INPUT_SIZE 1024

typedef struct {
    uint8_t *data;
    uint32_t size, head, count;
    uint32_t dropped;
} ring;

static uint8_t usb_tx_data[USB_TX_SIZE], uart_tx_data[UART_TX_SIZE], input_data[INPUT_SIZE];
static ring usb_tx = {usb_tx_data, USB_TX_SIZE, 0, 0, 0};
static ring uart_tx = {uart_tx_data, UART_TX_SIZE, 0, 0, 0};
static ring input = {input_data, INPUT_SIZE, 0, 0, 0};

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

static void drain_uart(void)
{
    while (uart_tx.count && uart_try_put(uart_tx.data[uart_tx.head])) ring_pop(&uart_tx);
}

static uint32_t usb_drops_reported;

/* Tells the reader that text was lost while it was not reading. */
static bool send_drop_notice(void)
{
    uint32_t reported = usb_drops_reported;
    if (usb_tx.dropped == reported || usb_cdc_write_room() == 0) return false;
    char notice[64];
    size_t n = fmt(notice, sizeof(notice), "\r\n[... %u bytes dropped ...]\r\n",
                   (unsigned)(usb_tx.dropped - reported));
    usb_cdc_write((const uint8_t *)notice, (uint16_t)n);
    usb_drops_reported = usb_tx.dropped;
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
    uint16_t sent = usb_cdc_write(usb_tx.data + usb_tx.head, (uint16_t)n);
    usb_tx.head = (usb_tx.head + sent) % usb_tx.size;
    usb_tx.count -= sent;
}

void console_poll(void)
{
    usb_cdc_poll();
    uint8_t buf[64];
    uint16_t n = usb_cdc_read(buf, sizeof(buf));
    for (uint16_t i = 0; i < n; i++) ring_push(&input, buf[i]);
    for (int c; (c = uart_get()) >= 0;) ring_push(&input, (uint8_t)c);
    drain_uart();
    drain_usb();
}

static void put_byte(uint8_t b)
{
    ring_push(&usb_tx, b);
    ring_push(&uart_tx, b);
}

void console_write(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\n') put_byte('\r');
        put_byte((uint8_t)s[i]);
    }
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
    console_write(buf, n);
}

int console_getc(void) { return ring_pop(&input); }

bool console_take(uint8_t byte)
{
    for (uint32_t i = 0; i < input.count; i++) {
        if (input.data[(input.head + i) % input.size] != byte) continue;
        for (uint32_t k = i; k + 1 < input.count; k++) /* close the gap */
            input.data[(input.head + k) % input.size] = input.data[(input.head + k + 1) % input.size];
        input.count--;
        return true;
    }
    return false;
}
uint32_t console_usb_sessions(void) { return usb_cdc_sessions(); }

void console_discard_usb_output(void)
{
    usb_tx.head = 0;
    usb_tx.count = 0;
    usb_drops_reported = usb_tx.dropped; /* nothing to report to a new session */
}

void console_drain(uint64_t timeout_us)
{
    uint64_t end = time_us() + timeout_us;
    while ((uart_tx.count || (usb_tx.count && usb_cdc_connected()) || usb_cdc_sending()) &&
           time_us() < end)
        console_poll();
}

