/* uf2.h - writes UF2 files for the RP2350 boot drive.
 *
 * Facts (../shared/docs/rp2350-facts.md section 3): 512-byte blocks with
 * 256-byte payloads at 256-byte-aligned flash addresses; family ID
 * 0xE48BFF59 for ARM Secure images. For RP2350-E10 (A2 bootrom) the file
 * starts with one ABSOLUTE-family dummy block at 0x10FFFF00 carrying the
 * RP2 "ignore block" extension, as picotool's --abs-block does.
 */
#ifndef PICOLLAMA_UF2_H
#define PICOLLAMA_UF2_H

#include <stddef.h>
#include <stdint.h>

#define UF2_MAGIC_START0 0x0A324655u
#define UF2_MAGIC_START1 0x9E5D5157u
#define UF2_MAGIC_END 0x0AB16F30u
#define UF2_FLAG_FAMILY_ID_PRESENT 0x00002000u
#define UF2_FLAG_EXTENSION_FLAGS_PRESENT 0x00008000u
#define UF2_BLOCK_SIZE 512
#define UF2_PAYLOAD_SIZE 256

#define UF2_FAMILY_ABSOLUTE 0xE48BFF57u
#define UF2_FAMILY_DATA 0xE48BFF58u
#define UF2_FAMILY_RP2350_ARM_S 0xE48BFF59u

#define RP2350_XIP_BASE 0x10000000u
#define RP2350_FLASH_MAX (16u * 1024 * 1024)
/* The E10 dummy block's address: the last page of the 16 MB CS0 window;
 * everything we write must end before that page's 4 KB sector. */
#define UF2_E10_BLOCK_ADDR (RP2350_XIP_BASE + RP2350_FLASH_MAX - 256)
#define RP2350_FLASH_LAST_SECTOR (RP2350_XIP_BASE + RP2350_FLASH_MAX - 4096)
#define UF2_EXTENSION_RP2_IGNORE_BLOCK 0x9957E304u

/* One contiguous piece of flash content. */
typedef struct {
    const uint8_t *data;
    size_t len;
    uint32_t target; /* flash address, 256-byte aligned */
} uf2_segment;

/* Writes the segments (in order, as one transfer) to the file at path as
 * UF2 blocks, preceded by the E10 dummy block. Returns 0 on a write error,
 * a misaligned target, overlapping segments, or data reaching the last
 * flash sector; the file is then removed (nothing half-written to flash). */
int uf2_write_file(const char *path, const uf2_segment *segments, int count, uint32_t family);

#endif
