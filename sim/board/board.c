/* board.c - the board descriptions (see board.h).
 *
 * Pimoroni Pico Plus 2 W: RP2350B, 16 MB flash, PSRAM CS on GPIO47, user
 * switch on GPIO45 (SDK board header pimoroni_pico_plus2_w_rp2350.h;
 * rp2350-facts.md 6.3). The PSRAM is taken to be an 8 MB APS6404L and the
 * flash a W25Q128JV (JEDEC EF 40 18); both parts are not named in the SDK
 * header (facts sheet: UNVERIFIED).
 * Raspberry Pi Pico 2: RP2350A, 4 MB flash (W25Q32-class, JEDEC EF 40 16),
 * no PSRAM, no user switch (its BOOTSEL switch is on the QSPI CS line).
 * Both boards use a 12 MHz crystal (SDK default XOSC_HZ). The 64-bit chip
 * IDs (OTP CHIPID0..3) are invented: every real chip has a random one. */
#include "board.h"

#include <string.h>

static const board_desc boards[] = {
    {
        .name = "pico-plus-2w",
        .description = "Pimoroni Pico Plus 2 W: RP2350B, 16 MB flash, 8 MB APS6404L PSRAM on CS1/GPIO47, switch on GPIO45",
        .rp2350b = 1,
        .gpio_count = 48,
        .flash_size = 16u << 20,
        .flash_jedec = {0xEF, 0x40, 0x18},
        .psram_size = 8u << 20,
        .psram_cs_gpio = 47,
        .button_gpio = 45,
        .xosc_hz = 12000000,
        .chip_id = 0x3C1A7E5D9B2F4610ull,
    },
    {
        .name = "pico2",
        .description = "Raspberry Pi Pico 2: RP2350A (30 GPIOs), 4 MB flash, no PSRAM",
        .rp2350b = 0,
        .gpio_count = 30,
        .flash_size = 4u << 20,
        .flash_jedec = {0xEF, 0x40, 0x16},
        .psram_size = 0,
        .psram_cs_gpio = -1,
        .button_gpio = -1,
        .xosc_hz = 12000000,
        .chip_id = 0x51E70C2A8D364F93ull,
    },
};

const board_desc *board_find(const char *name)
{
    for (size_t i = 0; i < sizeof(boards) / sizeof(boards[0]); i++)
        if (strcmp(boards[i].name, name) == 0) return &boards[i];
    return NULL;
}
