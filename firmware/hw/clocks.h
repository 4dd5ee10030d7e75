/* clocks.h - bring-up of the clock tree (12 MHz crystal -> 150 MHz clk_sys,
 * 48 MHz clk_usb) and the microsecond timer. */
#ifndef PICOLLAMA_FW_CLOCKS_H
#define PICOLLAMA_FW_CLOCKS_H

#include <stdint.h>

#define XOSC_HZ 12000000u
#define SYS_CLK_HZ 150000000u
#define USB_CLK_HZ 48000000u

/* XOSC, PLL_SYS, PLL_USB, clk_ref/sys/peri/usb, TICKS; TIMER0 counting us. */
void clocks_init(void);
uint32_t clock_sys_hz(void);
uint32_t clock_peri_hz(void);

/* Microseconds since clocks_init (TIMER0). */
uint64_t time_us(void);
/* Its low word alone (one register read; wraps every 71 minutes): for
 * short intervals, as a difference of two readings. */
uint32_t time_us_low(void);

#endif
