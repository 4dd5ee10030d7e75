/* gpio.h - pin function selection and plain SIO inputs. */
#ifndef PICOLLAMA_FW_GPIO_H
#define PICOLLAMA_FW_GPIO_H

#include <stdbool.h>
#include <stdint.h>

/* Routes pin to a peripheral function; the pad gets input enabled and
 * leaves isolation (RP2350 pads reset isolated, input off). */
void gpio_set_function(uint32_t pin, uint32_t function);
/* A software input with the internal pull-up (for an active-low button). */
void gpio_init_input_pullup(uint32_t pin);
bool gpio_get(uint32_t pin);

#endif
