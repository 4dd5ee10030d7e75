/* board.h - the boards the virtual RP2350 can be (--board): chip package,
 * flash and PSRAM parts, and what is wired to which pin. The one place that
 * knows board facts. */
#ifndef SIM_BOARD_H
#define SIM_BOARD_H

#include <stdint.h>

typedef struct {
    const char *name;          /* --board value */
    const char *description;
    int rp2350b;               /* 1 = RP2350B (QFN-80, 48 GPIOs), 0 = RP2350A (30 GPIOs) */
    int gpio_count;            /* bank-0 GPIOs bonded out */
    uint32_t flash_size;       /* bytes on QMI CS0 */
    uint8_t flash_jedec[3];    /* manufacturer, memory type, capacity */
    uint32_t psram_size;       /* bytes on QMI CS1 (0 = none fitted) */
    int psram_cs_gpio;         /* GPIO wired to the PSRAM's CE# (-1 = none) */
    int button_gpio;           /* user switch to GND (-1 = none) */
    uint32_t xosc_hz;          /* crystal */
    uint64_t chip_id;          /* OTP CHIPID0..3: made up per board, stable across runs */
} board_desc;

/* NULL if unknown. */
const board_desc *board_find(const char *name);

#endif
