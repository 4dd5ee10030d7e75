/* gpio.c - IO_BANK0 / PADS_BANK0 / SIO GPIO helpers (facts 6). */
#include "gpio.h"

#include "regs/io_bank0.h"
#include "regs/pads_bank0.h"
#include "regs/resets.h"
#include "regs/sio.h"
#include "resets.h"

static void ensure_banks_out_of_reset(void)
{
    unreset_block_wait(RESETS_RESET_IO_BANK0 | RESETS_RESET_PADS_BANK0);
}

void gpio_set_function(uint32_t pin, uint32_t function)
{
    ensure_banks_out_of_reset();
    hw_write_masked(&pads_bank0_hw->io[pin], PADS_BANK0_GPIO_IE,
                    PADS_BANK0_GPIO_IE | PADS_BANK0_GPIO_OD);
    io_bank0_hw->io[pin].ctrl = function; /* all overrides normal */
    hw_clear_bits(&pads_bank0_hw->io[pin], PADS_BANK0_GPIO_ISO); /* last, as the SDK does */
}

void gpio_init_input_pullup(uint32_t pin)
{
    ensure_banks_out_of_reset();
    if (pin < 32) sio_hw->gpio_oe_clr = 1u << pin;
    else sio_hw->gpio_hi_oe_clr = 1u << (pin - 32);
    hw_write_masked(&pads_bank0_hw->io[pin], PADS_BANK0_GPIO_IE | PADS_BANK0_GPIO_PUE,
                    PADS_BANK0_GPIO_IE | PADS_BANK0_GPIO_PUE | PADS_BANK0_GPIO_PDE |
                        PADS_BANK0_GPIO_OD);
    io_bank0_hw->io[pin].ctrl = GPIO_FUNC_SIO;
    hw_clear_bits(&pads_bank0_hw->io[pin], PADS_BANK0_GPIO_ISO);
}

bool gpio_get(uint32_t pin)
{
    if (pin < 32) return (sio_hw->gpio_in >> pin) & 1u;
    return (sio_hw->gpio_hi_in >> (pin - 32)) & 1u;
}
