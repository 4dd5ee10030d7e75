/* chipid.h - which chip this is: its 64-bit unique identifier and its
 * package (RP2350A: 30 GPIOs, RP2350B: 48). */
#ifndef PICOLLAMA_FW_CHIPID_H
#define PICOLLAMA_FW_CHIPID_H

#include <stdbool.h>

/* Writes 16 upper-case hex digits and a NUL into out[17]. */
void chipid_string(char out[17]);

/* True on the QFN-80 RP2350B (GPIO30-47 exist). */
bool chip_is_rp2350b(void);

#endif
