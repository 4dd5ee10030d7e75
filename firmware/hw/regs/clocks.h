/* clocks.h - CLOCKS block: muxes and dividers of every clock (facts 4.3;
 * SDK regs/clocks.h). */
#ifndef PICOLLAMA_FW_REGS_CLOCKS_H
#define PICOLLAMA_FW_REGS_CLOCKS_H

#include "reg.h"

#define CLOCKS_BASE 0x40010000u

typedef struct {
    io_rw_32 ctrl;
    io_rw_32 div;
    io_ro_32 selected;
} clock_hw_t;

enum clock_index {
    clk_gpout0 = 0, clk_gpout1, clk_gpout2, clk_gpout3,
    clk_ref, clk_sys, clk_peri, clk_hstx, clk_usb, clk_adc,
    CLK_COUNT
};

typedef struct {
    clock_hw_t clk[CLK_COUNT];
    uint32_t _pad0[3];
    io_rw_32 sys_resus_ctrl;
} clocks_hw_t;
REG_CHECK(clocks_hw_t, clk[clk_ref], 0x30);
REG_CHECK(clocks_hw_t, clk[clk_sys], 0x3C);
REG_CHECK(clocks_hw_t, clk[clk_peri], 0x48);
REG_CHECK(clocks_hw_t, clk[clk_usb], 0x60);
REG_CHECK(clocks_hw_t, sys_resus_ctrl, 0x84);

#define clocks_hw ((clocks_hw_t *)CLOCKS_BASE)

#define CLOCKS_DIV_INT_LSB 16
#define CLOCKS_CTRL_ENABLE (1u << 11)
#define CLOCKS_CTRL_AUXSRC_LSB 5
#define CLOCKS_CTRL_AUXSRC_BITS (7u << 5)
/* clk_ref */
#define CLOCKS_CLK_REF_CTRL_SRC_BITS 3u
#define CLOCKS_CLK_REF_CTRL_SRC_ROSC_CLKSRC_PH 0u
#define CLOCKS_CLK_REF_CTRL_SRC_XOSC_CLKSRC 2u
/* clk_sys */
#define CLOCKS_CLK_SYS_CTRL_SRC_BITS 1u
#define CLOCKS_CLK_SYS_CTRL_SRC_CLK_REF 0u
#define CLOCKS_CLK_SYS_CTRL_SRC_CLKSRC_CLK_SYS_AUX 1u
#define CLOCKS_CLK_SYS_CTRL_AUXSRC_CLKSRC_PLL_SYS 0u
/* clk_peri, clk_usb */
#define CLOCKS_CLK_PERI_CTRL_AUXSRC_CLK_SYS 0u
#define CLOCKS_CLK_USB_CTRL_AUXSRC_CLKSRC_PLL_USB 0u

#endif
