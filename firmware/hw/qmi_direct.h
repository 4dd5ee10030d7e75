/* qmi_direct.h - QMI direct mode (facts 8.1), shared by the flash and PSRAM
 * set-up: serial transfers with the XIP windows suspended. Every XIP access
 * faults while direct mode is on, so these run from SRAM, as must their
 * callers. */
#ifndef PICOLLAMA_FW_QMI_DIRECT_H
#define PICOLLAMA_FW_QMI_DIRECT_H

#include <stdint.h>

/* Waits out any transfer in flight (a cooldown may still hold CS), then
 * enables direct mode at 5 MHz (safe for any command) with no CS asserted. */
void qmi_direct_enable(void);
void qmi_direct_wait_idle(void);
/* Clocks one byte out and returns the byte clocked in. */
uint8_t qmi_direct_byte(uint8_t tx);

#endif
