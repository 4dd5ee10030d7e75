/* uart.c - PL011 UART0 console (facts 7). */
#include "uart.h"

#include "clocks.h"
#include "gpio.h"
#include "pins.h"
#include "regs/io_bank0.h"
#include "regs/resets.h"
#include "regs/uart.h"
#include "resets.h"

void uart_console_init(uint32_t baud)
{
    reset_block(RESETS_RESET_UART0);
    unreset_block_wait(RESETS_RESET_UART0);
    /* divisor in 1/64ths: 8 x clk / baud, rounded (PL011 baud rule) */
    uint32_t div = 8u * clock_peri_hz() / baud + 1;
    uint32_t ibrd = div >> 7, fbrd = (div & 0x7F) >> 1;
    if (ibrd == 0) {
        ibrd = 1;
        fbrd = 0;
    } else if (ibrd >= 65535) {
        ibrd = 65535;
        fbrd = 0;
    }
    uart0_hw->ibrd = ibrd;
    uart0_hw->fbrd = fbrd;
    uart0_hw->lcr_h = UART_UARTLCR_H_WLEN_8 | UART_UARTLCR_H_FEN; /* latches the divisors */
    uart0_hw->cr = UART_UARTCR_UARTEN | UART_UARTCR_TXE | UART_UARTCR_RXE;
    gpio_set_function(UART0_TX_PIN, GPIO_FUNC_UART);
    gpio_set_function(UART0_RX_PIN, GPIO_FUNC_UART);
}

bool uart_try_put(uint8_t c)
{
    if (uart0_hw->fr & UART_UARTFR_TXFF) return false;
    uart0_hw->dr = c;
    return true;
}

void uart_put_blocking(const char *s)
{
    for (; *s; s++) {
        while (!uart_try_put((uint8_t)*s)) {
        }
    }
}

static uint32_t overruns;

int uart_get(void)
{
    if (uart0_hw->fr & UART_UARTFR_RXFE) return -1;
    uint32_t dr = uart0_hw->dr;
    if (dr & UART_UARTDR_OE) overruns++; /* a character arrived while the FIFO was full: lost */
    return (int)(dr & 0xFF);
}

uint32_t uart_overruns(void) { return overruns; }
