/* pins.h - what a peripheral may ask of the pin multiplexer (IO_BANK0 and
 * PADS_BANK0, devices/dev_gpio.c) about its pins: which function each GPIO
 * carries (FUNCSEL, datasheet 9.4 function table) and whether its pad lets
 * a signal through. A neutral interface: the GPIO model offers it, a
 * peripheral (the UARTs) is handed one by the machine, neither includes the
 * other's header. */
#ifndef SIM_PINS_H
#define SIM_PINS_H

#include <stdint.h>

/* FUNCSEL values (datasheet 9.4) the models look for */
#define GPIO_FUNC_UART 2
#define GPIO_FUNC_SIO 5
#define GPIO_FUNC_XIP_CS1 9
#define GPIO_FUNC_UART_AUX 11
#define GPIO_FUNC_NULL 0x1F

/* what a pad lets through (pin_mux.pad) */
enum {
    PIN_PAD_OUTPUT = 1 << 0,     /* passes an output: not isolated, not output-disabled */
    PIN_PAD_INPUT = 1 << 1,      /* passes input: IE set, not isolated */
    PIN_PAD_ISOLATED = 1 << 2,   /* PADS ISO=1 (else an output is blocked by OD=1) */
};

typedef struct {
    void *ctx;
    int (*count)(void *ctx);                /* GPIOs bonded out on this package */
    int (*funcsel)(void *ctx, int pin);     /* GPIOn_CTRL.FUNCSEL */
    uint32_t (*pad)(void *ctx, int pin);    /* PIN_PAD_* */
} pin_mux;

#endif
