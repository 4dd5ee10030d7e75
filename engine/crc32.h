/* crc32.h - CRC-32 (IEEE 802.3, the zlib/PNG one) for model image checks. */
#ifndef PICOLLAMA_CRC32_H
#define PICOLLAMA_CRC32_H

#include <stddef.h>
#include <stdint.h>

/* Continues a CRC over len more bytes; start with crc = 0. */
uint32_t pl_crc32(uint32_t crc, const void *data, size_t len);

#endif
