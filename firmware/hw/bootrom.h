/* bootrom.h - calls into the RP2350 boot ROM: reboot, normally or into the
 * USB boot drive (BOOTSEL). */
#ifndef PICOLLAMA_FW_BOOTROM_H
#define PICOLLAMA_FW_BOOTROM_H

/* Do not return on success. */
void rom_reboot_to_bootsel(void);
void rom_reboot(void);

#endif
