/* hw.h - the few RP2350 register addresses the test images use (facts from
 * ../shared/docs/rp2350-facts.md), and helpers shared by the images. The
 * images are test firmware for the virtual board, written from the
 * datasheet like the real firmware will be. */
#ifndef TESTIMG_HW_H
#define TESTIMG_HW_H

#include <stdint.h>

#define REG(a) (*(volatile uint32_t *)(a))
#define ALIAS_XOR 0x1000u
#define ALIAS_SET 0x2000u
#define ALIAS_CLR 0x3000u

#define RESETS_BASE 0x40020000u
#define RESETS_RESET (RESETS_BASE + 0x0)
#define RESETS_RESET_DONE (RESETS_BASE + 0x8)
#define RST_IO_BANK0 6
#define RST_PADS_BANK0 9
#define RST_PLL_SYS 14
#define RST_PLL_USB 15
#define RST_TIMER0 23
#define RST_UART0 26
#define RST_USBCTRL 28

#define CLOCKS_BASE 0x40010000u
#define CLK_REF_CTRL (CLOCKS_BASE + 0x30)
#define CLK_REF_DIV (CLOCKS_BASE + 0x34)
#define CLK_REF_SELECTED (CLOCKS_BASE + 0x38)
#define CLK_SYS_CTRL (CLOCKS_BASE + 0x3C)
#define CLK_SYS_DIV (CLOCKS_BASE + 0x40)
#define CLK_SYS_SELECTED (CLOCKS_BASE + 0x44)
#define CLK_PERI_CTRL (CLOCKS_BASE + 0x48)
#define CLK_PERI_DIV (CLOCKS_BASE + 0x4C)
#define CLK_USB_CTRL (CLOCKS_BASE + 0x60)
#define CLK_USB_DIV (CLOCKS_BASE + 0x64)
#define CLK_SYS_RESUS_CTRL (CLOCKS_BASE + 0x84)

#define XOSC_BASE 0x40048000u
#define PLL_SYS_BASE 0x40050000u
#define PLL_USB_BASE 0x40058000u

#define IO_BANK0_BASE 0x40028000u
#define PADS_BANK0_BASE 0x40038000u
#define GPIO_CTRL(n) (IO_BANK0_BASE + 8u * (n) + 4u)
#define PADS_GPIO(n) (PADS_BANK0_BASE + 4u + 4u * (n))

#define UART0_BASE 0x40070000u
#define TICKS_BASE 0x40108000u
#define TIMER0_BASE 0x400B0000u
#define WATCHDOG_BASE 0x400D8000u
#define QMI_BASE 0x400D0000u
#define XIP_CTRL_BASE 0x400C8000u
#define SIO_BASE 0xD0000000u
#define USBCTRL_DPRAM 0x50100000u
#define DMA_BASE 0x50000000u
#define USBCTRL_REGS 0x50110000u

#define PPB_CPACR 0xE000ED88u
#define PPB_DEMCR 0xE000EDFCu
#define DWT_CTRL 0xE0001000u
#define DWT_CYCCNT 0xE0001004u

static inline void reset_release(uint32_t mask)
{
    REG(RESETS_RESET + ALIAS_CLR) = mask;
    while ((REG(RESETS_RESET_DONE) & mask) != mask) {}
}

/* a GPIO as an input with its pull-up, driven by SIO: the user switch
 * (GPIO45, to ground when pressed) */
static inline void gpio_input_pulled_up(uint32_t n)
{
    REG(PADS_GPIO(n)) = (REG(PADS_GPIO(n)) & ~(1u << 2)) | (1u << 3) | (1u << 6);   /* PUE, IE */
    REG(GPIO_CTRL(n)) = 5;                       /* SIO */
    REG(PADS_GPIO(n) + ALIAS_CLR) = 1u << 8;     /* ISO off */
}

/* DMA channel registers (SDK regs/dma.h) */
#define DMA_CH(n, r) (DMA_BASE + 0x40u * (n) + (r))
#define DMA_READ_ADDR 0x00
#define DMA_WRITE_ADDR 0x04
#define DMA_TRANS_COUNT 0x08
#define DMA_CTRL_TRIG 0x0C
#define DMA_CTRL_EN 1u
#define DMA_SIZE_WORD (2u << 2)
#define DMA_INCR_READ (1u << 4)
#define DMA_INCR_WRITE (1u << 6)
#define DMA_CHAIN_TO(n) ((uint32_t)(n) << 13)
#define DMA_TREQ(n) ((uint32_t)(n) << 17)
#define DMA_BUSY (1u << 26)

/* clocks.c */
void clocks_xosc_12mhz(void);      /* clk_ref = clk_sys = clk_peri = 12 MHz from the XOSC */
void clocks_150mhz(void);          /* PLL_SYS 150 MHz, PLL_USB 48 MHz, clk_peri = clk_sys */
uint32_t clocks_sys_hz(void);
/* uart.c */
void uart_init(uint32_t peri_hz, uint32_t baud);
void uart_putc(char c);
int uart_getc_nonblock(void);
/* print.c: goes to the UART, and to USB when usb_console is set */
void print(const char *s);
void print_hex(uint32_t v);
void print_dec(uint32_t v);
extern void (*console_hook)(const char *s, int n);
/* core1.c */
void launch_core1(void (*entry)(void));
void fifo_push(uint32_t v);   /* waits for room; SEV */
uint32_t fifo_pop(void);      /* waits with WFE */
/* time.c */
void timer_start_ticks(void);      /* TICKS.TIMER0 at 1 us from a 12 MHz clk_ref */
uint64_t time_us(void);
void delay_us(uint32_t us);

#endif
