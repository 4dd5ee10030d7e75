/* image_def.c - the IMAGE_DEF block the RP2350 boot ROM looks for in the
 * first 4 KB of flash (facts 2.1, 2.2): a one-block loop declaring an ARM,
 * Secure, executable image for the RP2350. Without it the ROM refuses to
 * boot the flash. */
#include <stdint.h>

#define PICOBIN_BLOCK_MARKER_START 0xFFFFDED3u
#define PICOBIN_BLOCK_MARKER_END 0xAB123579u
/* IMAGE_TYPE item: type 0x42, 1 word; flags EXE | Secure | ARM | RP2350 */
#define IMAGE_TYPE_ITEM 0x10210142u
/* LAST item: 1 word of items before it */
#define LAST_ITEM 0x000001FFu

__attribute__((section(".image_def"), used)) const uint32_t image_def_block[5] = {
    PICOBIN_BLOCK_MARKER_START,
    IMAGE_TYPE_ITEM,
    LAST_ITEM,
    0, /* link to the next block: 0 = this block is the whole loop */
    PICOBIN_BLOCK_MARKER_END,
};
