/* pads_qspi.h - QSPI pad control (SDK 2.2.0 src/rp2350/hardware_regs/include/
 * hardware/regs/pads_qspi.h). Every GPIO_QSPI_* register has the same fields.
 * Reset: SCLK, SD0, SD1 0x156 (pull-down), SD2, SD3, SS 0x15A (pull-up):
 * 4 mA, slow slew, Schmitt trigger on, input on, isolated. The boot ROM
 * resets the block and only clears ISO, so a flash image starts with the
 * pads at 4 mA and slow slew. */
#ifndef PICOLLAMA_FW_REGS_PADS_QSPI_H
#define PICOLLAMA_FW_REGS_PADS_QSPI_H

#include "reg.h"

#define PADS_QSPI_BASE 0x40040000u

typedef struct {
    io_rw_32 voltage_select;
    io_rw_32 gpio_qspi_sclk;
    io_rw_32 gpio_qspi_sd[4];
    io_rw_32 gpio_qspi_ss;
} pads_qspi_hw_t;
REG_CHECK(pads_qspi_hw_t, gpio_qspi_sclk, 0x04);
REG_CHECK(pads_qspi_hw_t, gpio_qspi_sd[0], 0x08);
REG_CHECK(pads_qspi_hw_t, gpio_qspi_sd[3], 0x14);
REG_CHECK(pads_qspi_hw_t, gpio_qspi_ss, 0x18);

#define pads_qspi_hw ((pads_qspi_hw_t *)PADS_QSPI_BASE)

#define PADS_QSPI_GPIO_QSPI_SLEWFAST (1u << 0)
#define PADS_QSPI_GPIO_QSPI_SCHMITT (1u << 1)
#define PADS_QSPI_GPIO_QSPI_PDE (1u << 2)
#define PADS_QSPI_GPIO_QSPI_PUE (1u << 3)
#define PADS_QSPI_GPIO_QSPI_DRIVE_LSB 4
#define PADS_QSPI_GPIO_QSPI_DRIVE_BITS (3u << 4)
#define PADS_QSPI_GPIO_QSPI_DRIVE_2MA 0u
#define PADS_QSPI_GPIO_QSPI_DRIVE_4MA 1u /* reset */
#define PADS_QSPI_GPIO_QSPI_DRIVE_8MA 2u
#define PADS_QSPI_GPIO_QSPI_DRIVE_12MA 3u
#define PADS_QSPI_GPIO_QSPI_IE (1u << 6)
#define PADS_QSPI_GPIO_QSPI_OD (1u << 7)
#define PADS_QSPI_GPIO_QSPI_ISO (1u << 8)

#endif
