/* button.c - the user switch, sampled by polling and debounced. */
#include "button.h"

#include <stdint.h>

#include "../hw/chipid.h"
#include "../hw/clocks.h"
#include "../hw/gpio.h"
#include "../hw/pins.h"

/* a switch's contacts bounce for a few ms: changes closer together than
 * this are one press */
#define DEBOUNCE_US 10000

static struct {
    bool present; /* GPIO45 exists only on the RP2350B */
    bool down;
    bool pressed; /* a press not yet taken */
    uint64_t changed_us;
} button;

void button_init(void)
{
    button.present = chip_is_rp2350b();
    if (button.present) gpio_init_input_pullup(USER_BUTTON_PIN);
}

void button_sample(void)
{
    if (!button.present) return;
    bool down = !gpio_get(USER_BUTTON_PIN);
    if (down == button.down) return;
    uint64_t now = time_us();
    if (now - button.changed_us < DEBOUNCE_US) return;
    button.down = down;
    button.changed_us = now;
    if (down) button.pressed = true;
}

bool button_take_press(void)
{
    bool pressed = button.pressed;
    button.pressed = false;
    return pressed;
}
