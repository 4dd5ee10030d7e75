/* dev_uart.h - the two PL011 UARTs: FIFOs, flags and baud timing derived from
 * clk_peri and IBRD/FBRD, bytes leaving through the TX pin's GPIO function and
 * arriving from the console bridge at the line rate. */
#ifndef SIM_DEV_UART_H
#define SIM_DEV_UART_H

#include <stdint.h>

#include "bus.h"

#define UART_FIFO_DEPTH 32

typedef struct {
    machine *m;                            /* transitional */
    int index;
    uint32_t ibrd, fbrd, lcr_h, cr, ifls, imsc, ris, dmacr, ilpr;
    uint32_t ibrd_latched, fbrd_latched;   /* divisors take effect on an LCR_H write */
    uint8_t txq[UART_FIFO_DEPTH + 1];      /* TX FIFO plus the byte being shifted out */
    int txn;
    uint64_t tx_start_ps;                  /* when the head byte started shifting out */
    uint16_t rx[UART_FIFO_DEPTH];
    int rx_head, rx_count;
    uint32_t rsr;                          /* error flags of the last read */
    uint64_t rx_next_ps;                   /* earliest time the next byte can arrive */
    int warned_disabled, warned_nopin, warned_baud, reported_cfg;
    sim_device dev;
} uart_dev;

void uart_setup(machine *m);
void uart_reset(machine *m, int i);
/* Frame time (ps) of one character with the current settings, 0 if not running. */
uint64_t uart_frame_ps(machine *m, int i);
/* time of the next byte leaving a TX shifter (0 = none), and delivering them */
uint64_t uart_next_event(machine *m);
void uart_poll(machine *m);
/* at the end of a run: what the shifters would still send reaches the terminal */
void uart_flush(machine *m);
/* Offers one byte from the outside world to UARTi's RX pin; 1 if taken (it
 * may be dropped by the UART model, e.g. overrun), 0 if the line is busy now. */
int uart_rx_offer(machine *m, int i, uint8_t byte);

#endif
