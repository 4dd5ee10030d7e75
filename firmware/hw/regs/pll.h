/* pll.h - PLL_SYS / PLL_USB (facts 4.2; SDK regs/pll.h). */
#ifndef PICOLLAMA_FW_REGS_PLL_H
#define PICOLLAMA_FW_REGS_PLL_H

#include "reg.h"

#define PLL_SYS_BASE 0x40050000u
#define PLL_USB_BASE 0x40058000u

typedef struct {
    io_rw_32 cs;
    io_rw_32 pwr;
    io_rw_32 fbdiv_int;
    io_rw_32 prim;
    io_rw_32 intr, inte, intf, ints;
} pll_hw_t;
REG_CHECK(pll_hw_t, prim, 0x0C);

#define pll_sys_hw ((pll_hw_t *)PLL_SYS_BASE)
#define pll_usb_hw ((pll_hw_t *)PLL_USB_BASE)

#define PLL_CS_LOCK (1u << 31)
#define PLL_CS_BYPASS (1u << 8)
#define PLL_CS_REFDIV_LSB 0
#define PLL_PWR_VCOPD (1u << 5)
#define PLL_PWR_POSTDIVPD (1u << 3)
#define PLL_PWR_DSMPD (1u << 2)
#define PLL_PWR_PD (1u << 0)
#define PLL_PRIM_POSTDIV1_LSB 16
#define PLL_PRIM_POSTDIV2_LSB 12

#endif
