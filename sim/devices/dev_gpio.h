/* dev_gpio.h - IO_BANK0 / PADS_BANK0 (function select, overrides, pad control
 * with isolation) and their QSPI counterparts. Knows the level of every pin:
 * what drives it (SIO, a peripheral, the board) and what the pad lets in. */
#ifndef SIM_DEV_GPIO_H
#define SIM_DEV_GPIO_H

#include <stdint.h>

#include "bus.h"

#define GPIO_COUNT 48
#define GPIO_FUNC_UART 2
#define GPIO_FUNC_SIO 5
#define GPIO_FUNC_XIP_CS1 9
#define GPIO_FUNC_UART_AUX 11
#define GPIO_FUNC_NULL 0x1F

#define PADS_SLEWFAST (1u << 0)
#define PADS_SCHMITT (1u << 1)
#define PADS_PDE (1u << 2)
#define PADS_PUE (1u << 3)
#define PADS_IE (1u << 6)
#define PADS_OD (1u << 7)
#define PADS_ISO (1u << 8)

typedef struct {
    uint32_t ctrl[GPIO_COUNT];
    uint32_t pads[GPIO_COUNT];
    uint32_t pads_voltage, pads_swclk, pads_swd;
    uint32_t io_irq[0x80];           /* IO_BANK0 interrupt registers (0x200..), kept as written */
    int ext[GPIO_COUNT];             /* level driven from outside: -1 none, 0 or 1 */
    sim_device dev_io, dev_pads, dev_ioqspi, dev_padsqspi;
} gpio_dev;

void gpio_setup(machine *m);
void gpio_reset_bank0(machine *m);
void gpio_reset_pads(machine *m);
/* IO_QSPI / PADS_QSPI are plain register blocks (the QSPI pins are not
 * modelled electrically) */
void gpio_reset_qspi(machine *m);
/* PADS_QSPI register at offset (GPIO_QSPI_SCLK 0x04, SD0..SD3 0x08..0x14) */
uint32_t gpio_qspi_pad(machine *m, uint32_t offset);
/* Level the core sees on GPIOn (after pad enable/isolation and INOVER). */
int gpio_in(machine *m, int n);
/* Function selected on GPIOn (FUNCSEL). */
int gpio_func(machine *m, int n);
/* 1 if the pad passes an output (not isolated, not output-disabled). */
int gpio_pad_output_ok(machine *m, int n);
/* 1 if the pad passes input (IE set, not isolated). */
int gpio_pad_input_ok(machine *m, int n);
/* Drive GPIOn from outside (button, UART RX line); -1 releases it. */
void gpio_set_external(machine *m, int n, int level);
/* Returns a description of why GPIOn cannot carry function f (NULL if ok). */
const char *gpio_function_problem(machine *m, int n, int f, int output);

#endif
