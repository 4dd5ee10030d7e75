/* uf2.h - writes UF2 files for the RP2350 boot drive.
 *
 * Facts (../shared/docs/rp2350-facts.md section 3): 512-byte blocks with
 * 256-byte payloads at 256-byte-aligned flash addresses; family ID
 * 0xE48BFF59 for ARM Secure images. For RP2350-E10 (A2 bootrom) a file of
 * any other family than ABSOLUTE starts with one ABSOLUTE-family dummy block
 * at 0x10FFFF00 carrying the RP2 "ignore block" extension, as picotool's
 * --abs-block does (elf2uf2.cpp: never for ABSOLUTE files, whose blocks
 * would join the dummy block's transfer).
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

/* The boot ROM erases each 4 KB sector a UF2 touches, and no other; model
 * images in the firmware's slot chain on these boundaries. */
#define RP2350_FLASH_SECTOR 4096u
/* A 4 MB chip (Raspberry Pi Pico 2): the ROM still addresses 16 MB, so a
 * block above 4 MB wraps onto low flash (the firmware) and the E10 block
 * lands at 0x103FFF00, erasing this, the chip's last sector (rp2350-facts.md
 * 3.3: reported by third-party flash dumps, not checked on silicon). */
#define RP2350_4MB_FLASH_LAST_SECTOR (RP2350_XIP_BASE + 4u * 1024 * 1024 - RP2350_FLASH_SECTOR)

/* One contiguous piece of flash content. */
typedef struct {
    const uint8_t *data;
    size_t len;
    uint32_t target; /* flash address, 256-byte aligned */
} uf2_segment;

/* Where a chain of model images goes on after segment s: the first 4 KB
 * boundary after its end (docs/model-format.md, "Several images in flash"). */
uint64_t uf2_chain_next(const uf2_segment *s);

/* End of the 256-byte pages segment s writes (its target + len, rounded
 * up to a page). */
uint64_t uf2_pages_end(const uf2_segment *s);

/* True when two segments write a common page: *first < *second are the
 * first such pair. */
int uf2_find_overlap(const uf2_segment *segments, int count, int *first, int *second);

/* Writes the segments (in order, as one transfer) to the file at path as
 * UF2 blocks, preceded by the E10 dummy block unless family is ABSOLUTE.
 * A segment holding a model image (engine/image.h magic) ends its chain:
 * when no segment writes the
 * page at uf2_chain_next(), a zeroed end-of-chain page goes there, so that
 * an image left in flash by an older UF2 is not taken for the next link
 * (the ROM erases only the sectors a UF2 touches). The caller checks the
 * segments first (aligned, apart, before the last flash sector): invalid
 * ones are an internal error. Prints one error line and returns 0 on
 * failure; the output (host_open_output's rules) is then removed when it
 * is a regular file (nothing half-written to flash). */
int uf2_write_file(const char *path, const uf2_segment *segments, int count, uint32_t family);

/* True when what the UF2 writes for segment s (a model image: with its
 * end-of-chain page) fits a 4 MB board, ending by
 * RP2350_4MB_FLASH_LAST_SECTOR; otherwise prints a warning naming `name`
 * on stderr, prefixed "picollama: <command>: ". */
int uf2_check_4mb_board(const char *command, const char *name, const uf2_segment *s);

/* Prints, for the UF2 written to path (a regular file), the commands that
 * put it on a board: make flash MODEL=... (scripts/flash.sh) and picotool
 * load -f -x ..., with its absolute path. */
void uf2_print_flash_command(const char *path);

#endif
