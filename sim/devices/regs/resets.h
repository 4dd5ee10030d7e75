/* regs/resets.h - RESETS block (rp2350-facts.md 5) and the reset bit of
 * each peripheral. */
#ifndef SIM_REGS_RESETS_H
#define SIM_REGS_RESETS_H

#define RESETS_BASE 0x40020000u
#define RESETS_RESET 0x00u
#define RESETS_WDSEL 0x04u
#define RESETS_RESET_DONE 0x08u
#define RESETS_ALL 0x1FFFFFFFu

#define RST_ADC 0
#define RST_BUSCTRL 1
#define RST_DMA 2
#define RST_HSTX 3
#define RST_I2C0 4
#define RST_I2C1 5
#define RST_IO_BANK0 6
#define RST_IO_QSPI 7
#define RST_JTAG 8
#define RST_PADS_BANK0 9
#define RST_PADS_QSPI 10
#define RST_PIO0 11
#define RST_PIO1 12
#define RST_PIO2 13
#define RST_PLL_SYS 14
#define RST_PLL_USB 15
#define RST_PWM 16
#define RST_SHA256 17
#define RST_SPI0 18
#define RST_SPI1 19
#define RST_SYSCFG 20
#define RST_SYSINFO 21
#define RST_TBMAN 22
#define RST_TIMER0 23
#define RST_TIMER1 24
#define RST_TRNG 25
#define RST_UART0 26
#define RST_UART1 27
#define RST_USBCTRL 28
#define RST_NONE (-1)

#endif
