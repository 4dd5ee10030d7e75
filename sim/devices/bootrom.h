/* bootrom.h - what the virtual board does in place of the RP2350 boot ROM
 * (we do not have the ROM image):
 *   - finds a valid IMAGE_DEF block loop in the first 4 KB of flash (or of the
 *     loaded SRAM image) as the datasheet specifies, refuses an image without
 *     one and says why, and launches it the way the ROM does (VTOR, MSP,
 *     MSPLIM, PC) with clocks and QMI left as the ROM leaves them;
 *   - honours the reboot requests the ROM honours (watchdog scratch magic:
 *     BOOTSEL, PC/SP vector; POWMAN boot vector);
 *   - provides a small synthesized ROM: the table lookup pointer at 0x16 and
 *     native stubs for 'RB' (reboot);
 *   - runs core 1's ROM wait loop natively (FIFO launch handshake). */
#ifndef SIM_BOOTROM_H
#define SIM_BOOTROM_H

#include <stddef.h>
#include <stdint.h>

typedef struct machine machine;

#define BOOTROM_SEARCH_MAX 4096u          /* BLOCK_LIST_SEARCH_MAX */
#define PICOBIN_BLOCK_MARKER_START 0xFFFFDED3u
#define PICOBIN_BLOCK_MARKER_END 0xAB123579u

typedef struct {
    uint32_t block_addr;      /* bus address of the IMAGE_DEF block */
    uint32_t image_type;      /* IMAGE_TYPE flags halfword */
    uint32_t vector_table;
    int has_entry;
    uint32_t entry_pc, entry_sp, entry_sp_limit;
    int loop_blocks;
} boot_image;

/* Searches len bytes at bus address base (first 4 KB) for a bootable ARM
 * IMAGE_DEF. 1 = found; 0 = not, why says why. */
int bootrom_find_image(const uint8_t *win, uint32_t len, uint32_t base, boot_image *img,
                       char *why, size_t whylen);

/* Fills the synthesized ROM contents. */
void bootrom_build(uint8_t *rom);
/* The synthesized ROM's function stubs: the block hook calls bootrom_stub
 * when a core enters one, and the stub's own code (bx lr) then returns. */
#define BOOTROM_STUBS_START 0x7F00u
#define BOOTROM_STUBS_END 0x7F40u
struct sim_core;
void bootrom_stub(machine *m, struct sim_core *c, uint32_t addr);

/* Boots core 0 (and parks core 1 in the ROM wait loop) after a reset.
 * Returns 0 if the board cannot boot (message already given). */
int bootrom_boot(machine *m);

/* core 1 ROM wait loop: called when core 1's FIFO state changes */
void bootrom_core1_poll(machine *m);
void bootrom_core1_reset(machine *m);

/* core 1's ROM wait-loop state */
typedef struct {
    int active;               /* core 1 sits in the ROM */
    int step;                 /* handshake step: 0 send 0, 1 wait cmd, ... */
    uint32_t vtor, sp, entry;
    uint32_t pending_send;
    int have_send;
} core1_rom;

#endif
