/* qspi.c - shifting words over the clocked QSPI bus model (see qspi.h). */
#include "qspi.h"

uint32_t qspi_shift(qspi_chip *c, int width, int nbits, uint32_t out, int oe, uint8_t idle)
{
    uint32_t in = 0;
    uint8_t lanes_mask = (uint8_t)((1u << width) - 1);
    for (int pos = nbits - width; pos >= 0; pos -= width) {
        uint8_t drive = (uint8_t)((out >> pos) & lanes_mask);
        uint8_t host_oe = width == 1 ? 1 : (oe ? lanes_mask : 0);
        uint8_t chip_oe = 0, chip_out = 0;
        if (c) chip_out = c->clock(c, drive, host_oe, &chip_oe);
        /* what the host samples: lanes driven by the chip, else the host's
         * own drive, else the pad pull */
        uint8_t sd = idle;
        sd = (uint8_t)((sd & ~host_oe) | (drive & host_oe));
        sd = (uint8_t)((sd & ~chip_oe) | (chip_out & chip_oe));
        uint8_t sample = width == 1 ? (uint8_t)((sd >> 1) & 1) : (uint8_t)(sd & lanes_mask);
        in = (in << width) | sample;
    }
    return in;
}
