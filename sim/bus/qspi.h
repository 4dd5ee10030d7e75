/* qspi.h - the QSPI bus between the QMI and the memory chips, clock by clock:
 * on each SCK cycle the host drives some of the four data lanes (SD0..SD3)
 * and the selected chip drives others. Chips interpret what they see in their
 * own mode (SPI or QPI), so a host using the wrong width or dummy count gets
 * what a real chip would give it: wrong data. Lanes nobody drives read 1. */
#ifndef SIM_QSPI_H
#define SIM_QSPI_H

#include <stdint.h>

typedef struct qspi_chip qspi_chip;
struct qspi_chip {
    const char *name;
    void *ctx;
    void (*select)(qspi_chip *c);      /* CS# falling edge */
    void (*deselect)(qspi_chip *c);    /* CS# rising edge */
    /* One SCK cycle: the host drives lanes host_oe with values out (bit i =
     * SDi). Returns the lane values the chip drives; *chip_oe = which lanes. */
    uint8_t (*clock)(qspi_chip *c, uint8_t out, uint8_t host_oe, uint8_t *chip_oe);
};

/* width: 1 (SPI: out on SD0, in on SD1), 2 (SD0-1) or 4 (SD0-3).
 * Shifts nbits (a multiple of width) MSB first; the host drives the lanes
 * only if oe (always SD0 in single width). idle: the level of each lane
 * nobody drives (pad pulls). Returns the bits read. */
uint32_t qspi_shift(qspi_chip *c, int width, int nbits, uint32_t out, int oe, uint8_t idle);

/* What a chip samples on the lanes of a width (undriven lanes read 1). */
static inline uint32_t qspi_sample(uint8_t out, uint8_t host_oe, int width)
{
    uint8_t lanes = (uint8_t)((out & host_oe) | (~host_oe & 0xF));
    return width == 1 ? (lanes & 1u) : width == 2 ? (lanes & 3u) : (lanes & 0xFu);
}

/* The lanes a chip drives to output `bits` (width bits) and their enable. */
static inline uint8_t qspi_drive(uint32_t bits, int width, uint8_t *chip_oe)
{
    if (width == 1) {
        *chip_oe = 2;               /* SO = SD1 */
        return (uint8_t)((bits & 1) << 1);
    }
    *chip_oe = width == 2 ? 3 : 0xF;
    return (uint8_t)bits;
}

#endif
