/* bootrom.h - calls into the RP2350 boot ROM: reboot, normally or into the
 * USB boot drive (BOOTSEL). */
#ifndef PICOLLAMA_FW_BOOTROM_H
#define PICOLLAMA_FW_BOOTROM_H

#include <stdint.h>

/* Do not return on success. */
void rom_reboot_to_bootsel(void);
/* flags: BOOTSEL_FLAG_* (regs/bootrom.h); activity_gpio: the LED's GPIO
 * when flags say one is specified */
void rom_reboot_to_bootsel_with(uint32_t flags, uint32_t activity_gpio);
void rom_reboot(void);

#endif
