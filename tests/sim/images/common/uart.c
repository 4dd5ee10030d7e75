/* uart.c - polled UART0 on GP0 (TX) / GP1 (RX), 8N1 (rp2350-facts.md 7). */
#include "hw.h"

void uart_init(uint32_t peri_hz, uint32_t baud)
{
    reset_release(1u << RST_IO_BANK0 | 1u << RST_PADS_BANK0);
    REG(RESETS_RESET + ALIAS_SET) = 1u << RST_UART0;
    reset_release(1u << RST_UART0);
    uint32_t div = 8 * peri_hz / baud + 1;
    REG(UART0_BASE + 0x24) = div >> 7;               /* IBRD */
    REG(UART0_BASE + 0x28) = (div & 0x7F) >> 1;      /* FBRD */
    REG(UART0_BASE + 0x2C) = 0x70;                   /* LCR_H: 8 bits, FIFO on (latches the divisors) */
    REG(UART0_BASE + 0x30) = 0x301;                  /* CR: UARTEN, TXE, RXE */
    for (int pin = 0; pin < 2; pin++) {
        REG(PADS_GPIO(pin)) = (REG(PADS_GPIO(pin)) & ~(1u << 7)) | (1u << 6);   /* OD off, IE on */
        REG(GPIO_CTRL(pin)) = 2;                                                /* UART */
        REG(PADS_GPIO(pin) + ALIAS_CLR) = 1u << 8;                             /* ISO off */
    }
}

void uart_putc(char c)
{
    while (REG(UART0_BASE + 0x18) & (1u << 5)) {}    /* TXFF */
    REG(UART0_BASE) = (uint8_t)c;
}

int uart_getc_nonblock(void)
{
    if (REG(UART0_BASE + 0x18) & (1u << 4)) return -1;   /* RXFE */
    return (int)(REG(UART0_BASE) & 0xFF);
}
