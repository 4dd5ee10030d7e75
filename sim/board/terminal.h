/* terminal.h - the two narrow ends by which the board's devices reach the
 * PC side (sim/host/): the terminal at the far end of UART0's serial line,
 * and the terminal program that has the USB serial port open. Devices and
 * the USB host see only these, never the command line or the console
 * bridge; main.c wires them (host/console.c builds them). */
#ifndef SIM_TERMINAL_H
#define SIM_TERMINAL_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
    void *ctx;
    uint32_t baud; /* the terminal's line speed, 8N1 */
    /* a byte left UART `uart`'s TX pin */
    void (*sent)(void *ctx, int uart, uint8_t byte);
} serial_terminal;

typedef struct {
    void *ctx;
    int carries_console; /* the user's console is the USB port (not UART0) */
    int raise_dtr;       /* the terminal program raises DTR when it opens the port */
    /* bytes a completed read request brought in */
    void (*received)(void *ctx, const uint8_t *data, size_t len);
    /* bytes typed and not yet sent: their count, *data at the first */
    size_t (*typed)(void *ctx, const uint8_t **data);
    /* n of them went out */
    void (*taken)(void *ctx, size_t n);
} usb_terminal;

#endif
