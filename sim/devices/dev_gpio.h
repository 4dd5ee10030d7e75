/* dev_gpio.h - IO_BANK0 / PADS_BANK0 (function select, overrides, pad control
 * with isolation) and their QSPI counterparts (datasheet chapter 9). Knows the
 * level of every pin: what drives it (SIO, a peripheral, the board) and what
 * the pad lets in.
 *
 * Signals: in  SIO's GPIO_OUT / GPIO_HI_OUT / GPIO_OE / GPIO_HI_OE words
 *              (gpio_sio_output, pushed by SIO on change), QMI's chip select 1
 *              (probe cs1_selected: 1 while CS1 is asserted), the RESETS lines
 *              of IO_BANK0 and PADS_BANK0 (gpio_reset_line), the board's user
 *              button (gpio_set_external);
 *          out routing_changed (a FUNCSEL or pad setting changed: the XIP
 *              window mapping may change, CS1 routing and the SCLK pad);
 *          offers the pin multiplexer to peripherals (gpio_pin_mux, pins.h)
 *              and the input levels to SIO (probe handler gpio_in_word). */
#ifndef SIM_DEV_GPIO_H
#define SIM_DEV_GPIO_H

#include <stdint.h>

#include "device.h"
#include "pins.h"
#include "signals.h"
#include "regs/gpio.h"

#define GPIO_COUNT 48

/* gpio_sio_output's n: which SIO word */
enum { GPIO_SIO_OUT = 0, GPIO_SIO_HI_OUT, GPIO_SIO_OE, GPIO_SIO_HI_OE };
/* gpio_reset_line's n: which block */
enum { GPIO_RESET_IO_BANK0 = 0, GPIO_RESET_PADS_BANK0 };

typedef struct {
    int bonded;                      /* GPIOs bonded out (30 on RP2350A, 48 on RP2350B) */
    const char *package;             /* "RP2350A" / "RP2350B", for messages */
    uint32_t ctrl[GPIO_COUNT];
    uint32_t pads[GPIO_COUNT];
    uint32_t pads_voltage, pads_swclk, pads_swd;
    uint32_t io_irq[0x80];           /* IO_BANK0 registers from 0x200 kept as written (the
                                      * summaries, INTE/INTF, dormant wake) */
    uint32_t edges[IO_INT_REGS];     /* latched EDGE_LOW/EDGE_HIGH bits of INTR0-5 */
    uint64_t last_in;                /* input levels when last sensed (edges) */
    uint32_t irq_level;              /* bit p: IO_IRQ_BANK0 of processor p is asserted */
    int ext[GPIO_COUNT];             /* level driven from outside: -1 none, 0 or 1 */
    uint32_t sio_word[4];            /* in: SIO's output and enable words (GPIO_SIO_*) */
    sim_probe cs1_selected;          /* in: QMI chip select 1 asserted */
    sim_signal routing_changed;      /* out: FUNCSEL or a pad changed */
    sim_signal irq[2];               /* out: IO_IRQ_BANK0 of processor 0 / 1 */
    sim_device dev_io, dev_pads, dev_ioqspi, dev_padsqspi;
} gpio_dev;

void gpio_init(gpio_dev *g, int bonded, const char *package);
void gpio_reset_bank0(gpio_dev *g);
void gpio_reset_pads(gpio_dev *g);
/* IO_QSPI / PADS_QSPI are plain register blocks (the QSPI pins are not
 * modelled electrically): back to their reset values */
void gpio_reset_qspi(gpio_dev *g);
/* the RESETS input (n: GPIO_RESET_*) */
void gpio_reset_line(void *gpio, int n, uint32_t asserted);
/* the SIO input: word n (GPIO_SIO_*) is now `word` */
void gpio_sio_output(void *gpio, int n, uint32_t word);
/* probe handler: the input levels of GPIO0..31 (hi = 0) or GPIO32..47 (hi = 1) */
uint32_t gpio_in_word(void *gpio, int hi);
/* the pin multiplexer as peripherals see it */
pin_mux gpio_pin_mux(gpio_dev *g);

/* PADS_QSPI register at offset (GPIO_QSPI_SCLK 0x04, SD0..SD3 0x08..0x14) */
uint32_t gpio_qspi_pad_reg(gpio_dev *g, uint32_t offset);
/* Function selected on GPIOn (FUNCSEL). */
int gpio_funcsel(gpio_dev *g, int n);
/* 1 if the pad passes an output (not isolated, not output-disabled). */
int gpio_pad_passes_output(gpio_dev *g, int n);
/* 1 if the pad passes input (IE set, not isolated). */
int gpio_pad_passes_input(gpio_dev *g, int n);
/* Drive GPIOn from outside (button, UART RX line); -1 releases it. */
void gpio_set_external(gpio_dev *g, int n, int level);
/* Returns a description of why GPIOn cannot carry function f (NULL if ok). */
const char *gpio_pin_problem(gpio_dev *g, int n, int f, int output);

#endif
