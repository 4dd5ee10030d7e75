/* info.h - the banner / /info report: board, clocks, memories, model. */
#ifndef PICOLLAMA_FW_INFO_H
#define PICOLLAMA_FW_INFO_H

#include "../hw/flash.h"
#include "../hw/psram.h"

void info_set(const flash_info *flash, const psram_info *psram, const char *chip_id);
void info_print(void);

#endif
