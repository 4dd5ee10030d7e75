/* console.c - the console bridge (see console.h). */
#include "console.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "log.h"

static struct termios saved_tty;
static int tty_saved;

void console_init(console *c, int mode, int use_stdin, FILE *uart_log)
{
    memset(c, 0, sizeof(*c));
    c->mode = mode;
    c->use_stdin = use_stdin;
    c->stdin_open = use_stdin;
    c->uart_log = uart_log;
    c->to_stdout = 1;
}

void console_free(console *c)
{
    free(c->out);
    free(c->in);
    c->out = NULL;
    c->in = NULL;
}

static void grow(void **p, size_t *cap, size_t need)
{
    if (need <= *cap) return;
    size_t n = *cap ? *cap : 4096;
    while (n < need) n *= 2;
    void *q = realloc(*p, n);
    if (!q) abort();
    *p = q;
    *cap = n;
}

void console_output(console *c, const uint8_t *data, size_t len)
{
    grow((void **)&c->out, &c->out_cap, c->out_len + len + 1);
    memcpy(c->out + c->out_len, data, len);
    c->out_len += len;
    c->out[c->out_len] = '\0';
    if (c->to_stdout) {
        fwrite(data, 1, len, stdout);
        fflush(stdout);
    }
}

void console_uart_tx(console *c, int uart, uint8_t byte)
{
    if (uart == 0 && c->uart_log) {
        fputc(byte, c->uart_log);
        fflush(c->uart_log);
    }
    if (uart == 0 && c->mode == CONSOLE_UART) console_output(c, &byte, 1);
}

void console_send(console *c, const uint8_t *data, size_t len)
{
    /* compact the queue before it grows */
    if (c->in_pos && c->in_pos == c->in_len) c->in_pos = c->in_len = 0;
    grow((void **)&c->in, &c->in_cap, c->in_len + len);
    memcpy(c->in + c->in_len, data, len);
    c->in_len += len;
}

void console_restore_tty(void)
{
    if (tty_saved) tcsetattr(0, TCSANOW, &saved_tty);
    tty_saved = 0;
}

static void restore_on_signal(int sig)
{
    console_restore_tty();
    signal(sig, SIG_DFL);
    raise(sig);
}

void console_enter_raw(console *c)
{
    if (!c->use_stdin || !isatty(0) || tcgetattr(0, &saved_tty) != 0) return;
    struct termios t = saved_tty;
    /* input raw like a serial terminal program (Enter sends CR); output
     * processing stays on so the sim's own lines keep their layout */
    t.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (tcsetattr(0, TCSANOW, &t) != 0) return;
    tty_saved = 1;
    c->raw_tty = 1;
    atexit(console_restore_tty);
    signal(SIGTERM, restore_on_signal);
    signal(SIGHUP, restore_on_signal);
}

/* in raw mode the quit key ends the session; what came before it still goes */
static size_t cut_at_quit_key(console *c, const uint8_t *buf, size_t n)
{
    if (!c->raw_tty) return n;
    const uint8_t *q = memchr(buf, CONSOLE_QUIT_KEY, n);
    if (!q) return n;
    c->quit = 1;
    c->stdin_open = 0;
    return (size_t)(q - buf);
}

void console_poll_stdin(console *c)
{
    if (!c->stdin_open) return;
    struct pollfd p = {0, POLLIN, 0};
    while (poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLHUP))) {
        uint8_t buf[256];
        ssize_t n = read(0, buf, sizeof(buf));
        if (n <= 0) {
            if (n < 0 && errno == EINTR) continue;
            c->stdin_open = 0;   /* EOF: the device just gets no more input */
            return;
        }
        console_send(c, buf, cut_at_quit_key(c, buf, (size_t)n));
    }
}

size_t console_pending(const console *c) { return c->in_len - c->in_pos; }
const uint8_t *console_peek(const console *c) { return c->in + c->in_pos; }

void console_consume(console *c, size_t n)
{
    c->in_pos += n;
    if (c->in_pos >= c->in_len) c->in_pos = c->in_len = 0;
}

void console_print_tail(const console *c, size_t n)
{
    size_t start = c->out_len > n ? c->out_len - n : 0;
    fprintf(stderr, "--- last %zu bytes of console output ---\n", c->out_len - start);
    for (size_t i = start; i < c->out_len; i++) {
        unsigned char ch = (unsigned char)c->out[i];
        if (ch == '\n' || ch == '\t' || (ch >= 32 && ch < 127)) fputc(ch, stderr);
        else if (ch == '\r') continue;
        else fprintf(stderr, "\\x%02x", ch);
    }
    if (c->out_len && c->out[c->out_len - 1] != '\n') fputc('\n', stderr);
    fprintf(stderr, "--- end of output ---\n");
}

/* a byte on UART0's (or UART1's) TX pin */
static void serial_sent(void *ctx, int uart, uint8_t byte)
{
    console *c = ctx;
    if (c->mode == CONSOLE_USB && uart == 0 && !c->uart_log && !c->hinted_uart_log) {
        c->hinted_uart_log = 1;
        sim_info("UART0 is transmitting, but the console is USB: see it with --console uart "
                 "or --uart-log FILE");
    }
    console_uart_tx(c, uart, byte);
}

static void usb_received(void *ctx, const uint8_t *data, size_t len) { console_output(ctx, data, len); }

static size_t usb_typed(void *ctx, const uint8_t **data)
{
    *data = console_peek(ctx);
    return console_pending(ctx);
}

static void usb_taken(void *ctx, size_t n) { console_consume(ctx, n); }

void console_terminals(console *c, uint32_t baud, int raise_dtr)
{
    c->serial = (serial_terminal){c, baud ? baud : 115200, serial_sent};
    c->usb = (usb_terminal){c, c->mode == CONSOLE_USB, raise_dtr, usb_received, usb_typed, usb_taken};
}
