/* pins.h - the GPIOs the firmware uses on the Pimoroni Pico Plus 2 W (and
 * the Pico 2, which lacks the PSRAM), in one place: the drivers use them
 * and the binary info lists them (app/program_info.c). */
#ifndef PICOLLAMA_PINS_H
#define PICOLLAMA_PINS_H

#define UART0_TX_PIN 0
#define UART0_RX_PIN 1
#define USER_BUTTON_PIN 45 /* Pimoroni Pico Plus 2 W: to ground when pressed */
#define PSRAM_CS_PIN 47    /* QMI CS1 */

#endif
