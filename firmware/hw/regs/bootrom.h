/* bootrom.h - the RP2350 boot ROM's function table and reboot flags
 * (facts 14.1, 14.2; SDK boot/bootrom_constants.h). */
#ifndef PICOLLAMA_FW_REGS_BOOTROM_H
#define PICOLLAMA_FW_REGS_BOOTROM_H

#include <stdint.h>

#define BOOTROM_TABLE_LOOKUP_ADDR 0x00000016u /* 16-bit pointer to lookup(code, mask) */
#define RT_FLAG_FUNC_ARM_SEC 0x0004u
#define ROM_TABLE_CODE(c1, c2) ((uint32_t)(c1) | (uint32_t)(c2) << 8)
#define ROM_FUNC_REBOOT ROM_TABLE_CODE('R', 'B')

#define REBOOT2_FLAG_REBOOT_TYPE_NORMAL 0x0u
#define REBOOT2_FLAG_REBOOT_TYPE_BOOTSEL 0x2u
#define REBOOT2_FLAG_NO_RETURN_ON_SUCCESS 0x100u
/* a BOOTSEL reboot's p0 (SDK boot/picoboot_constants.h): USB interfaces the
 * boot drive leaves out, and the activity LED, whose GPIO is p1 */
#define BOOTSEL_FLAG_DISABLE_MSD_INTERFACE 0x01u
#define BOOTSEL_FLAG_DISABLE_PICOBOOT_INTERFACE 0x02u
#define BOOTSEL_FLAG_GPIO_PIN_ACTIVE_LOW 0x10u
#define BOOTSEL_FLAG_GPIO_PIN_SPECIFIED 0x20u
/* BOOT_PARTITION_NONE (bootrom_constants.h:99): a normal reboot's p0 */
#define REBOOT_NO_PARTITION 0xFFFFFFFFu

#endif
