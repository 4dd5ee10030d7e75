/* qspi_psram.h - an AP Memory APS6404L QSPI PSRAM on QMI CS1: SPI and QPI
 * modes, reset enable/reset, read ID with the KGD byte, enter/exit QPI, read
 * 03h/0Bh/EBh and write 02h/38h. Power-on content is not zero, and the chip
 * keeps its mode and contents across RP2350 resets (it is powered apart). */
#ifndef SIM_QSPI_PSRAM_H
#define SIM_QSPI_PSRAM_H

#include <stdint.h>

#include "qspi.h"

#define PSRAM_MFID 0x0D   /* AP Memory */
#define PSRAM_KGD 0x5D    /* known good die */
/* EID byte: density code in bits [7:5] (2 = 64 Mbit); 8 MB parts also
 * answer 0x26 (--psram-eid) */
#define PSRAM_EID_DEFAULT 0x46

typedef struct {
    qspi_chip chip;
    uint8_t *mem;
    uint32_t size;
    uint8_t eid;      /* third Read ID byte */
    int qpi;
    int reset_enabled;
    int phase, cmd, count, width;
    uint32_t addr, acc;
    int acc_bits;
} qspi_psram;

void qspi_psram_init(qspi_psram *p, uint8_t *mem, uint32_t size, uint8_t eid);
void qspi_psram_power_on(qspi_psram *p);

#endif
