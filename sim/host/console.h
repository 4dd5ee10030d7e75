/* console.h - the bridge between the virtual board's console (USB CDC-ACM or
 * UART0) and the terminal: device output goes to stdout and into a buffer the
 * script matches against; bytes from stdin and --send steps queue up for the
 * device. */
#ifndef SIM_CONSOLE_H
#define SIM_CONSOLE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "terminal.h"

enum { CONSOLE_USB = 0, CONSOLE_UART = 1 };

struct console {
    int mode;
    char *out;                /* everything the device printed on the console */
    size_t out_len, out_cap;
    size_t match_pos;         /* where the next --expect looks from */
    uint8_t *in;              /* bytes waiting to go to the device */
    size_t in_len, in_cap, in_pos;
    int stdin_open;
    int use_stdin;
    FILE *uart_log;           /* --uart-log */
    int to_stdout;
    int raw_tty;              /* stdin is a terminal we switched to raw mode */
    int quit;                 /* the user typed the quit key (Ctrl-]) */
    int hinted_uart_log;      /* told where UART0's output can be seen */
    serial_terminal serial;   /* the ends the board's devices see (console_terminals) */
    usb_terminal usb;
};

/* the key that ends an interactive session (Ctrl-C goes to the device) */
#define CONSOLE_QUIT_KEY 0x1d
typedef struct console console;

void console_init(console *c, int mode, int use_stdin, FILE *uart_log);
void console_free(console *c);
/* Fills c->serial (a terminal at `baud` on UART0's line) and c->usb (the
 * terminal program on the USB port, raising DTR on open unless told not
 * to) for the board's devices. */
void console_terminals(console *c, uint32_t baud, int raise_dtr);
/* bytes the device sent on the selected console */
void console_output(console *c, const uint8_t *data, size_t len);
/* UART0 TX bytes (console output in uart mode, and --uart-log) */
void console_uart_tx(console *c, int uart, uint8_t byte);
/* queues bytes for the device */
void console_send(console *c, const uint8_t *data, size_t len);
/* if stdin is a terminal: raw mode (no echo, no line editing, Ctrl-C is a
 * byte for the device), restored at exit or on SIGTERM/SIGHUP */
void console_enter_raw(console *c);
void console_restore_tty(void);
/* non-blocking read of stdin into the queue */
void console_poll_stdin(console *c);
size_t console_pending(const console *c);
const uint8_t *console_peek(const console *c);
void console_consume(console *c, size_t n);
/* prints the last n bytes of output to stderr (escaped) */
void console_print_tail(const console *c, size_t n);

#endif
