/* regs/clocks.h - CLOCKS, XOSC, PLL_SYS/PLL_USB and ROSC register facts used
 * by the clock models (RP2350 datasheet chapter 8; rp2350-facts.md 4). */
#ifndef SIM_REGS_CLOCKS_H
#define SIM_REGS_CLOCKS_H

#define CLOCKS_BASE 0x40010000u
/* clock generator index: CTRL at 0xC*n, DIV +4, SELECTED +8 */
#define CLK_GPOUT0 0
#define CLK_GPOUT1 1
#define CLK_GPOUT2 2
#define CLK_GPOUT3 3
#define CLK_REF 4
#define CLK_SYS 5
#define CLK_PERI 6
#define CLK_HSTX 7
#define CLK_USB 8
#define CLK_ADC 9
#define CLK_COUNT 10

#define CLK_CTRL_ENABLED_BIT (1u << 28)
#define CLK_CTRL_ENABLE_BIT (1u << 11)
#define CLK_CTRL_KILL_BIT (1u << 10)
#define CLK_SYS_RESUS_CTRL 0x84u
#define CLK_SYS_RESUS_STATUS 0x88u

/* clk_ref CTRL: SRC [1:0] 0 ROSC_PH, 1 AUX, 2 XOSC, 3 LPOSC; AUXSRC [6:5]
 * 0 PLL_USB, 1 GPIN0, 2 GPIN1, 3 PLL_USB_PRIMARY_REF_OPCG */
/* clk_sys CTRL: SRC [0] 0 clk_ref, 1 AUX; AUXSRC [7:5] 0 PLL_SYS, 1 PLL_USB,
 * 2 ROSC, 3 XOSC, 4 GPIN0, 5 GPIN1 */
/* clk_peri AUXSRC [7:5]: 0 clk_sys, 1 PLL_SYS, 2 PLL_USB, 3 ROSC_PH, 4 XOSC,
 * 5 GPIN0, 6 GPIN1. clk_usb/clk_adc AUXSRC [7:5]: 0 PLL_USB, 1 PLL_SYS,
 * 2 ROSC_PH, 3 XOSC, 4 GPIN0, 5 GPIN1. clk_hstx: 0 clk_sys, 1 PLL_SYS,
 * 2 PLL_USB, 3 GPIN0, 4 GPIN1. gpout AUXSRC [8:5] (not modelled). */

#define XOSC_BASE 0x40048000u
#define XOSC_CTRL 0x00u
#define XOSC_STATUS 0x04u
#define XOSC_DORMANT 0x08u
#define XOSC_STARTUP 0x0Cu
#define XOSC_COUNT 0x10u
#define XOSC_CTRL_ENABLE_LSB 12
#define XOSC_ENABLE_MAGIC 0xFABu
#define XOSC_DISABLE_MAGIC 0xD1Eu
#define XOSC_STATUS_STABLE (1u << 31)
#define XOSC_STATUS_BADWRITE (1u << 24)
#define XOSC_STATUS_ENABLED (1u << 12)
#define XOSC_DORMANT_VALUE 0x636F6D61u /* "coma" */
#define XOSC_WAKE_VALUE 0x77616B65u    /* "wake" */

#define PLL_SYS_BASE 0x40050000u
#define PLL_USB_BASE 0x40058000u
#define PLL_CS 0x00u
#define PLL_PWR 0x04u
#define PLL_FBDIV_INT 0x08u
#define PLL_PRIM 0x0Cu
#define PLL_INTR 0x10u
#define PLL_INTE 0x14u
#define PLL_INTF 0x18u
#define PLL_INTS 0x1Cu
#define PLL_CS_LOCK (1u << 31)
#define PLL_CS_LOCK_N (1u << 30)
#define PLL_CS_BYPASS (1u << 8)
#define PLL_PWR_VCOPD (1u << 5)
#define PLL_PWR_POSTDIVPD (1u << 3)
#define PLL_PWR_DSMPD (1u << 2)
#define PLL_PWR_PD (1u << 0)

#endif
