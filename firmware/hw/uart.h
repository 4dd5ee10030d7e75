/* uart.h - UART0 console on GP0 (TX) / GP1 (RX), 115200 8N1, polled. */
#ifndef PICOLLAMA_FW_UART_H
#define PICOLLAMA_FW_UART_H

#include <stdbool.h>
#include <stdint.h>

void uart_console_init(uint32_t baud);
/* Non-blocking: false when the TX FIFO is full. */
bool uart_try_put(uint8_t c);
/* Blocking write (boot messages and fault reports only). */
void uart_put_blocking(const char *s);
/* Non-blocking read: -1 when nothing arrived. */
int uart_get(void);
/* Receive FIFO overruns seen so far (bytes that arrived while it was full
 * are lost: the UART has no way to hold its sender back). */
uint32_t uart_overruns(void);

#endif
