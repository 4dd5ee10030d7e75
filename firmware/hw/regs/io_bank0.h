/* io_bank0.h - GPIO function select (facts 6.1; SDK regs/io_bank0.h). */
#ifndef PICOLLAMA_FW_REGS_IO_BANK0_H
#define PICOLLAMA_FW_REGS_IO_BANK0_H

#include "reg.h"

#define IO_BANK0_BASE 0x40028000u
#define NUM_BANK0_GPIOS 48

typedef struct {
    io_ro_32 status;
    io_rw_32 ctrl;
} io_bank0_gpio_t;

typedef struct {
    io_bank0_gpio_t io[NUM_BANK0_GPIOS];
} io_bank0_hw_t;
REG_CHECK(io_bank0_hw_t, io[45].ctrl, 0x16C);
REG_CHECK(io_bank0_hw_t, io[47].ctrl, 0x17C);

#define io_bank0_hw ((io_bank0_hw_t *)IO_BANK0_BASE)

#define IO_BANK0_GPIO_CTRL_FUNCSEL_BITS 0x1Fu
enum gpio_function {
    GPIO_FUNC_UART = 2,
    GPIO_FUNC_SIO = 5,
    GPIO_FUNC_XIP_CS1 = 9, /* also GPCK / trace, depending on the pin */
    GPIO_FUNC_NULL = 0x1F,
};

#endif
