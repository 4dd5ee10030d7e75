/* clocks.c - clock tree bring-up in the order the datasheet and the SDK use
 * (facts 4.1-4.4): start the crystal, move clk_sys/clk_ref off anything we
 * are about to change, start both PLLs, then switch each clock over. */
#include "clocks.h"

#include "regs/clocks.h"
#include "regs/pll.h"
#include "regs/resets.h"
#include "regs/ticks.h"
#include "regs/timer.h"
#include "regs/xosc.h"
#include "resets.h"

static void xosc_start(void)
{
    xosc_hw->ctrl = XOSC_CTRL_FREQ_RANGE_VALUE_1_15MHZ;
    /* ~6 ms: 47 x 256 cycles of 12 MHz, times the SDK's safety factor 6 */
    xosc_hw->startup = ((XOSC_HZ / 1000 + 128) / 256) * 6;
    hw_set_bits(&xosc_hw->ctrl, XOSC_CTRL_ENABLE_VALUE_ENABLE << XOSC_CTRL_ENABLE_LSB);
    while (!(xosc_hw->status & XOSC_STATUS_STABLE)) {
    }
}

/* out = 12 MHz x fbdiv / (postdiv1 x postdiv2), VCO = 12 MHz x fbdiv. */
static void pll_start(pll_hw_t *pll, uint32_t reset_bit, uint32_t fbdiv, uint32_t postdiv1,
                      uint32_t postdiv2)
{
    reset_block(reset_bit);
    unreset_block_wait(reset_bit);
    pll->cs = 1u << PLL_CS_REFDIV_LSB;
    pll->fbdiv_int = fbdiv;
    hw_clear_bits(&pll->pwr, PLL_PWR_PD | PLL_PWR_VCOPD);
    while (!(pll->cs & PLL_CS_LOCK)) {
    }
    pll->prim = postdiv1 << PLL_PRIM_POSTDIV1_LSB | postdiv2 << PLL_PRIM_POSTDIV2_LSB;
    hw_clear_bits(&pll->pwr, PLL_PWR_POSTDIVPD);
}

static void wait_selected(enum clock_index c, uint32_t one_hot)
{
    while (clocks_hw->clk[c].selected != one_hot) {
    }
}

/* A clock without a glitchless mux: stop it, change the source, restart. */
static void switch_aux_clock(enum clock_index c, uint32_t auxsrc)
{
    hw_clear_bits(&clocks_hw->clk[c].ctrl, CLOCKS_CTRL_ENABLE);
    for (volatile int i = 0; i < 100; i++) { /* >= 3 cycles of the old clock */
    }
    hw_write_masked(&clocks_hw->clk[c].ctrl, auxsrc << CLOCKS_CTRL_AUXSRC_LSB,
                    CLOCKS_CTRL_AUXSRC_BITS);
    hw_set_bits(&clocks_hw->clk[c].ctrl, CLOCKS_CTRL_ENABLE);
    clocks_hw->clk[c].div = 1u << CLOCKS_DIV_INT_LSB;
}

static void ticks_start(void)
{
    const uint32_t ref_mhz = XOSC_HZ / 1000000; /* clk_ref cycles per microsecond */
    for (int t = 0; t < TICK_COUNT; t++) {
        ticks_hw->ticks[t].cycles = ref_mhz;
        ticks_hw->ticks[t].ctrl = TICKS_CTRL_ENABLE;
    }
}

void clocks_init(void)
{
    clocks_hw->sys_resus_ctrl = 0;
    xosc_start();
    /* run clk_sys from clk_ref and clk_ref from the ROSC while the PLLs change */
    hw_clear_bits(&clocks_hw->clk[clk_sys].ctrl, CLOCKS_CLK_SYS_CTRL_SRC_BITS);
    wait_selected(clk_sys, 1u << CLOCKS_CLK_SYS_CTRL_SRC_CLK_REF);
    hw_clear_bits(&clocks_hw->clk[clk_ref].ctrl, CLOCKS_CLK_REF_CTRL_SRC_BITS);
    wait_selected(clk_ref, 1u << CLOCKS_CLK_REF_CTRL_SRC_ROSC_CLKSRC_PH);

    pll_start(pll_sys_hw, RESETS_RESET_PLL_SYS, 125, 5, 2); /* VCO 1500 MHz -> 150 MHz */
    pll_start(pll_usb_hw, RESETS_RESET_PLL_USB, 100, 5, 5); /* VCO 1200 MHz -> 48 MHz */

    clocks_hw->clk[clk_ref].div = 1u << CLOCKS_DIV_INT_LSB;
    hw_write_masked(&clocks_hw->clk[clk_ref].ctrl, CLOCKS_CLK_REF_CTRL_SRC_XOSC_CLKSRC,
                    CLOCKS_CLK_REF_CTRL_SRC_BITS);
    wait_selected(clk_ref, 1u << CLOCKS_CLK_REF_CTRL_SRC_XOSC_CLKSRC);

    hw_write_masked(&clocks_hw->clk[clk_sys].ctrl,
                    CLOCKS_CLK_SYS_CTRL_AUXSRC_CLKSRC_PLL_SYS << CLOCKS_CTRL_AUXSRC_LSB,
                    CLOCKS_CTRL_AUXSRC_BITS);
    hw_set_bits(&clocks_hw->clk[clk_sys].ctrl, CLOCKS_CLK_SYS_CTRL_SRC_CLKSRC_CLK_SYS_AUX);
    wait_selected(clk_sys, 1u << CLOCKS_CLK_SYS_CTRL_SRC_CLKSRC_CLK_SYS_AUX);
    clocks_hw->clk[clk_sys].div = 1u << CLOCKS_DIV_INT_LSB;

    switch_aux_clock(clk_usb, CLOCKS_CLK_USB_CTRL_AUXSRC_CLKSRC_PLL_USB);
    switch_aux_clock(clk_peri, CLOCKS_CLK_PERI_CTRL_AUXSRC_CLK_SYS);

    ticks_start();
    unreset_block_wait(RESETS_RESET_TIMER0);
}

uint32_t clock_sys_hz(void) { return SYS_CLK_HZ; }
uint32_t clock_peri_hz(void) { return SYS_CLK_HZ; }

uint64_t time_us(void)
{
    /* the raw registers do not latch: re-read until the high word is stable */
    uint32_t hi, lo;
    do {
        hi = timer0_hw->timerawh;
        lo = timer0_hw->timerawl;
    } while (hi != timer0_hw->timerawh);
    return (uint64_t)hi << 32 | lo;
}

uint32_t time_us_low(void) { return timer0_hw->timerawl; }
