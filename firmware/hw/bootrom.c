/* bootrom.c - the ROM's function table (facts 14.1: a 16-bit pointer at
 * 0x16 to lookup(code, mask)) and its reboot function (facts 14.2). */
#include "bootrom.h"

#include <stdint.h>

#include "regs/bootrom.h"

typedef void *(*rom_lookup_fn)(uint32_t code, uint32_t mask);
typedef int (*rom_reboot_fn)(uint32_t flags, uint32_t delay_ms, uint32_t p0, uint32_t p1);

/* A halfword of the ROM (an absolute address the compiler must not judge). */
static uint16_t rom_hword(uint32_t addr)
{
    uint16_t v;
    __asm volatile("ldrh %0, [%1]" : "=r"(v) : "r"(addr));
    return v;
}

static void *rom_func(uint32_t code)
{
    uint16_t lookup_addr = rom_hword(BOOTROM_TABLE_LOOKUP_ADDR);
    rom_lookup_fn lookup = (rom_lookup_fn)(uintptr_t)lookup_addr;
    return lookup(code, RT_FLAG_FUNC_ARM_SEC);
}

/* p0: BOOTSEL flags, or for a normal reboot the partition whose boot
 * diagnostics the ROM records (none, as picotool passes; ROM varm_apis.c);
 * p1: a BOOTSEL reboot's activity LED GPIO */
static void reboot(uint32_t type, uint32_t p0, uint32_t p1)
{
    rom_reboot_fn fn = (rom_reboot_fn)rom_func(ROM_FUNC_REBOOT);
    if (fn) fn(type | REBOOT2_FLAG_NO_RETURN_ON_SUCCESS, 10, p0, p1);
    for (;;) { /* the ROM resets us within 10 ms */
    }
}

void rom_reboot_to_bootsel(void) { reboot(REBOOT2_FLAG_REBOOT_TYPE_BOOTSEL, 0, 0); }

void rom_reboot_to_bootsel_with(uint32_t flags, uint32_t activity_gpio)
{
    reboot(REBOOT2_FLAG_REBOOT_TYPE_BOOTSEL, flags, activity_gpio);
}

void rom_reboot(void) { reboot(REBOOT2_FLAG_REBOOT_TYPE_NORMAL, REBOOT_NO_PARTITION, 0); }
