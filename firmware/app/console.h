/* console.h - the user's terminal: USB CDC-ACM and UART0 at once. Output
 * goes to a ring buffer per port, drained as fast as each port allows;
 * when a buffer is full the oldest text is dropped, so generation never
 * waits for a host that stopped reading. Line ends go out as CR LF. */
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
/* Removes the first `byte` waiting in the input, if any, leaving everything
 * else queued (a Ctrl-C during a generation, without losing type-ahead). */
bool console_take(uint8_t byte);

/* USB terminal sessions (DTR rising edges) so far. */
uint32_t console_usb_sessions(void);
/* Forgets USB output not yet sent (a new session starts clean). */
void console_discard_usb_output(void);
/* Keeps polling until the output is sent or timeout_us passed. */
void console_drain(uint64_t timeout_us);

#endif
