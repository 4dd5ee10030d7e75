/* button.h - the board's user switch (GP45 on the Pimoroni Pico Plus 2 W,
 * active low; RP2350B only): a press starts a new story, also in the
 * middle of one. */
#ifndef PICOLLAMA_FW_BUTTON_H
#define PICOLLAMA_FW_BUTTON_H

#include <stdbool.h>

void button_init(void);
/* Looks at the switch; called often (the main loop, between a generation's
 * matrix products) so that a short press is seen. */
void button_sample(void);
/* True once per press seen since the last call. */
bool button_take_press(void);

#endif
