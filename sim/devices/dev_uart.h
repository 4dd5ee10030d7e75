/* dev_uart.h - the two PL011 UARTs (datasheet 12.1): FIFOs, flags and baud
 * timing derived from clk_peri and IBRD/FBRD, bytes leaving through the TX
 * pin's GPIO function and arriving from the terminal at the line rate.
 *
 * Signals: in  the pin multiplexer (pins: which GPIO carries TX/RX, whether
 *              its pad passes the signal), the terminal at the far end of
 *              the line (serial, terminal.h; bytes offered by uart_rx_offer),
 *              the RESETS line (uart_reset_line);
 *          out UARTn_IRQ (irq: UARTMIS != 0), the DMA requests DREQ_UARTn_TX
 *              and _RX (probe handler uart_dreq, n = UART_DREQ_*). */
#ifndef SIM_DEV_UART_H
#define SIM_DEV_UART_H

#include <stdint.h>

#include "device.h"
#include "pins.h"
#include "services.h"
#include "signals.h"
#include "terminal.h"

#define UART_FIFO_DEPTH 32

/* uart_dreq's n */
enum { UART_DREQ_TX = 0, UART_DREQ_RX = 1 };

typedef struct {
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
    uint32_t irq_level;                    /* what the interrupt line carries now */
    const board_services *svc;
    pin_mux pins;                          /* in: the pin multiplexer */
    const serial_terminal *serial;         /* in: the terminal on the line, or NULL */
    sim_signal irq;                        /* out: UARTn_IRQ */
    sim_device dev;
} uart_dev;

void uart_init(uart_dev *u, int index, const board_services *svc);
/* the registers to their reset values; the wiring stays */
void uart_reset(uart_dev *u);
/* the RESETS input */
void uart_reset_line(void *uart, int n, uint32_t asserted);
/* Frame time (ps) of one character with the current settings, 0 if not running. */
uint64_t uart_frame_ps(uart_dev *u);
/* time of the next byte leaving the TX shifter (0 = none), and delivering them */
uint64_t uart_next_event(uart_dev *u);
void uart_poll(uart_dev *u);
/* at the end of a run: what the shifter would still send reaches the terminal */
void uart_flush(uart_dev *u);
/* Offers one byte from the outside world to the RX pin; 1 if taken (it may
 * be dropped by the UART model, e.g. overrun), 0 if the line is busy now. */
int uart_rx_offer(uart_dev *u, uint8_t byte);
/* probe handler: the DMA request n (UART_DREQ_TX: TX FIFO not full,
 * UART_DREQ_RX: RX FIFO not empty) */
uint32_t uart_dreq(void *uart, int n);

#endif
