/* xip_stream.h - copying from flash or PSRAM to SRAM in the background:
 * the XIP stream engine reads sequential words over QSPI at the bus rate
 * (one long burst, no cache) and a DMA channel moves them from its FIFO
 * into SRAM while the cores compute. One copy at a time. */
#ifndef PICOLLAMA_FW_XIP_STREAM_H
#define PICOLLAMA_FW_XIP_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void xip_stream_init(void);
/* Starts copying words from a word-aligned XIP address (0x10..., 0x11...)
 * to word-aligned SRAM; words <= XIP_STREAM_CTR_MAX. */
void xip_stream_start(const void *src, void *dst, size_t words);
/* Waits for the copy in flight (if any) to finish. */
void xip_stream_wait(void);

#endif
