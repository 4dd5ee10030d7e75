/* pads_bank0.h - GPIO pad control (facts 6.2; SDK regs/pads_bank0.h). On
 * the RP2350 pads come out of reset isolated with input disabled. */
#ifndef PICOLLAMA_FW_REGS_PADS_BANK0_H
#define PICOLLAMA_FW_REGS_PADS_BANK0_H

#include "reg.h"

#define PADS_BANK0_BASE 0x40038000u

typedef struct {
    io_rw_32 voltage_select;
    io_rw_32 io[48];
} pads_bank0_hw_t;
REG_CHECK(pads_bank0_hw_t, io[45], 0xB8);
REG_CHECK(pads_bank0_hw_t, io[47], 0xC0);

#define pads_bank0_hw ((pads_bank0_hw_t *)PADS_BANK0_BASE)

#define PADS_BANK0_GPIO_SLEWFAST (1u << 0)
#define PADS_BANK0_GPIO_SCHMITT (1u << 1)
#define PADS_BANK0_GPIO_PDE (1u << 2)
#define PADS_BANK0_GPIO_PUE (1u << 3)
#define PADS_BANK0_GPIO_IE (1u << 6)
#define PADS_BANK0_GPIO_OD (1u << 7)
#define PADS_BANK0_GPIO_ISO (1u << 8)

#endif
