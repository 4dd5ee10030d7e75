/* clocks.c - clock bring-up for the test images, following the SDK order in
 * rp2350-facts.md 4.1-4.3. */
#include "hw.h"

static uint32_t sys_hz = 11000000;

uint32_t clocks_sys_hz(void) { return sys_hz; }

static void xosc_start(void)
{
    REG(XOSC_BASE + 0x00) = 0xAA0;           /* 1-15 MHz range */
    REG(XOSC_BASE + 0x0C) = 47 * 6;          /* startup delay */
    REG(XOSC_BASE + 0x00 + ALIAS_SET) = 0xFABu << 12;
    while (!(REG(XOSC_BASE + 0x04) & (1u << 31))) {}
}

void clocks_xosc_12mhz(void)
{
    REG(CLK_SYS_RESUS_CTRL) = 0;
    xosc_start();
    REG(CLK_SYS_CTRL + ALIAS_CLR) = 1;                       /* clk_sys from clk_ref */
    while (REG(CLK_SYS_SELECTED) != 1) {}
    REG(CLK_REF_CTRL) = 2;                                   /* clk_ref from XOSC */
    while (REG(CLK_REF_SELECTED) != 4) {}
    REG(CLK_PERI_CTRL) = (1u << 11);                         /* clk_peri = clk_sys, enabled */
    sys_hz = 12000000;
}

static void pll_start(uint32_t base, int reset_bit, uint32_t fbdiv, uint32_t pd1, uint32_t pd2)
{
    REG(RESETS_RESET + ALIAS_SET) = 1u << reset_bit;
    reset_release(1u << reset_bit);
    REG(base + 0x00) = 1;                                    /* REFDIV 1 */
    REG(base + 0x08) = fbdiv;
    REG(base + 0x04 + ALIAS_CLR) = (1u << 0) | (1u << 5);    /* PD, VCOPD */
    while (!(REG(base + 0x00) & (1u << 31))) {}
    REG(base + 0x0C) = pd1 << 16 | pd2 << 12;
    REG(base + 0x04 + ALIAS_CLR) = 1u << 3;                  /* POSTDIVPD */
}

void clocks_150mhz(void)
{
    clocks_xosc_12mhz();
    pll_start(PLL_SYS_BASE, RST_PLL_SYS, 125, 5, 2);         /* 1500 MHz / 10 = 150 MHz */
    pll_start(PLL_USB_BASE, RST_PLL_USB, 100, 5, 5);         /* 1200 MHz / 25 = 48 MHz */
    REG(CLK_SYS_CTRL) = 0;                                   /* AUXSRC PLL_SYS, SRC clk_ref */
    REG(CLK_SYS_CTRL + ALIAS_SET) = 1;                       /* SRC aux */
    while (REG(CLK_SYS_SELECTED) != 2) {}
    REG(CLK_SYS_DIV) = 1u << 16;
    REG(CLK_USB_CTRL) = 0;
    REG(CLK_USB_DIV) = 1u << 16;
    REG(CLK_USB_CTRL) = 1u << 11;                            /* PLL_USB, enabled */
    REG(CLK_PERI_CTRL) = 0;
    REG(CLK_PERI_DIV) = 1u << 16;
    REG(CLK_PERI_CTRL) = 1u << 11;                           /* clk_sys, enabled */
    sys_hz = 150000000;
}
