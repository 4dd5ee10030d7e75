/* qspi_flash.h - a Winbond W25Q-class serial NOR flash on QMI CS0: JEDEC ID,
 * SFDP, status registers (QE), the read commands an RP2350 may use (03h, 0Bh,
 * 3Bh, 6Bh, BBh, EBh with continuous-read mode), write enable, page program
 * (02h, 32h), sector/block/chip erase with busy time, reset, power-down. */
#ifndef SIM_QSPI_FLASH_H
#define SIM_QSPI_FLASH_H

#include <stdint.h>

#include "qspi.h"

typedef struct {
    qspi_chip chip;
    uint8_t *mem;
    uint32_t size;
    uint8_t jedec[3];
    uint8_t sr[3];              /* status registers 1..3 */
    int wel_volatile;           /* 50h: next status write is volatile */
    int continuous;             /* EBh/BBh continuous-read mode (M5-4 = 10) */
    int powered_down;
    int reset_enabled;
    uint64_t busy_until_ps;
    /* transaction state */
    int phase, cmd, count;
    uint32_t addr, acc;
    int acc_bits, width;
    uint8_t page_buf[256];
    int page_len;
    uint32_t page_addr;
    /* environment */
    uint64_t (*now_ps)(void *env);
    void (*modified)(void *env, uint32_t offset, uint32_t len);
    void *env;
    int warned;
} qspi_flash;

void qspi_flash_init(qspi_flash *f, uint8_t *mem, uint32_t size, const uint8_t jedec[3]);
/* power-on: status registers to their defaults (QE set), modes cleared */
void qspi_flash_power_on(qspi_flash *f);
/* what the boot ROM's flash exit sequence leaves: command mode */
void qspi_flash_exit_xip(qspi_flash *f);

#endif
