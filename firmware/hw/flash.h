/* flash.h - the QSPI flash on QMI chip select 0: identification and fast
 * quad XIP. */
#ifndef PICOLLAMA_FW_FLASH_H
#define PICOLLAMA_FW_FLASH_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    uint8_t jedec[3];      /* manufacturer, memory type, capacity code */
    uint32_t size_bytes;   /* from the capacity code: 2^code */
    bool fast_xip;         /* quad EBh reads at clk_sys / 2 */
    uint32_t sck_hz;
} flash_info;

/* Reads the JEDEC ID, then switches XIP to quad EBh reads at clk_sys / 2
 * when the flash has quad mode enabled (QE). Runs from SRAM. */
void flash_init(flash_info *info);

#endif
