/* console.h - the user's terminal: USB CDC-ACM and UART0 at once.
 *
 * Input from both ports goes into one queue, taken only when it fits:
 * nothing typed is lost (a USB host waits; a UART overrun, possible only
 * while the board is busy elsewhere, is reported).
 * Output goes to a ring buffer per port, drained as fast as each port
 * allows. A full buffer waits while its reader keeps taking data; only a
 * USB host that has stopped reading (no IN packet taken for 200 ms, or the
 * port closed) loses the oldest text, and is told how much, so generation
 * never waits for it. Line ends go out as CR LF. */
#ifndef PICOLLAMA_FW_CONSOLE_H
#define PICOLLAMA_FW_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void console_init(uint16_t usb_vid, uint16_t usb_pid, const char *serial);
/* Makes the USB device visible to the host (after the slow boot steps). */
void console_connect_usb(void);
/* Moves bytes: USB events, RX into the input queue, TX buffers out. */
void console_poll(void);

void console_write(const char *s, size_t n);
void console_puts(const char *s);
void console_printf(const char *format, ...) __attribute__((format(printf, 1, 2)));

/* Next input byte from either port, or -1. */
int console_getc(void);
/* Removes the first Ctrl-C waiting in the input, if any, leaving everything
 * else queued (a Ctrl-C during a generation, without losing type-ahead). */
bool console_take_ctrl_c(void);

/* USB terminal sessions (DTR rising edges) so far. A new session's output
 * starts empty: text queued before it is never sent to it. */
uint32_t console_usb_sessions(void);
/* Keeps polling until the output is sent or timeout_us passed. */
void console_drain(uint64_t timeout_us);

#endif
