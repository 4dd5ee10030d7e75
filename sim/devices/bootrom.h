/* bootrom.h - what the virtual board does in place of the RP2350 boot ROM
 * (we do not have the ROM image):
 *   - finds a valid IMAGE_DEF block loop in the first 4 KB of flash (or of the
 *     loaded SRAM image) as the datasheet specifies, refuses an image without
 *     one and says why, and launches it the way the ROM does (VTOR, MSP,
 *     MSPLIM, PC) with clocks and QMI left as the ROM leaves them;
 *   - honours the reboot requests the ROM honours (watchdog scratch magic:
 *     BOOTSEL, PC/SP vector; POWMAN boot vector);
 *   - provides a small synthesized ROM: the well-known lookup pointers at
 *     0x16/0x18, a ROM table in the real format (code, flags, one hword per
 *     flag), and native functions behind it with the A2 ROM's semantics:
 *     'RB' reboot, 'SR' bootrom_state_reset, 'GS' get_sys_info, the flash
 *     functions 'IF' 'EX' 'RE' 'RP' 'FC' 'CX' 'XM' 'RA' (acting on the flash
 *     chip with the ROM's command sequences), data 'FD' and 'XF';
 *   - leaves in BOOTRAM what the ROM leaves there at launch: the XIP setup
 *     function (flash_init_boot2_copyout copies and calls it), FLASH_DEVINFO
 *     and the boot type;
 *   - runs core 1's ROM wait loop natively (FIFO launch handshake).
 *
 * The ROM acts on the whole chip, so it reaches it through one narrow
 * interface, bootrom_chip (the board implements it): the bus as the ROM
 * sees it, the cores' registers, VTOR and start, the SIO FIFOs, the
 * watchdog scratch and POWMAN boot registers, the blocks held in reset, the
 * flash's and the QMI's boot state, and where an image sits in memory.
 * Signals: in, the watchdog's tick generator (wd_tick: whether the ROM must
 * start it before arming the watchdog). */
#ifndef SIM_BOOTROM_H
#define SIM_BOOTROM_H

#include <stddef.h>
#include <stdint.h>

#include "services.h"
#include "signals.h"

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
#define BOOTROM_STUBS_END 0x7F80u
/* the synthesized ROM table (the real ROM's is in its RISC-V half) */
#define BOOTROM_TABLE 0x7E00u

/* core registers the ROM reads and writes */
enum { BOOT_REG_R0 = 0, BOOT_REG_R1, BOOT_REG_R2, BOOT_REG_R3, BOOT_REG_SP, BOOT_REG_LR,
       BOOT_REG_PC };

/* the chip as the boot ROM acts on it */
typedef struct {
    void *ctx;
    /* the bus (as the simulator's master); 1 = done */
    int (*read32)(void *ctx, uint32_t addr, uint32_t *v);
    int (*write32)(void *ctx, uint32_t addr, uint32_t v);
    /* host memory behind a bus address in SRAM or flash, and how many bytes follow */
    const uint8_t *(*memory)(void *ctx, uint32_t addr, uint32_t *len);
    /* the SRAM image to boot this time instead of the flash (0 = the flash) */
    uint32_t (*ram_image)(void *ctx);
    /* the cores */
    uint32_t (*reg)(void *ctx, int core, int reg);             /* BOOT_REG_* */
    void (*set_reg)(void *ctx, int core, int reg, uint32_t v);
    uint32_t (*vtor)(void *ctx, int core);
    void (*set_vtor)(void *ctx, int core, uint32_t v);
    void (*start_core0)(void *ctx);                            /* runs from its registers */
    void (*launch_core1)(void *ctx, uint32_t vtor, uint32_t sp, uint32_t entry);
    /* the core sleeps in the ROM for good; 1 if it was not already */
    int (*halt_forever)(void *ctx, int core);
    void (*send_event)(void *ctx, int core);                   /* SEV */
    /* the SIO FIFO into to_core (0 if full) / out of core's (0 if empty) */
    int (*fifo_push)(void *ctx, int to_core, uint32_t v);
    int (*fifo_pop)(void *ctx, int core, uint32_t *v);
    /* RESETS: the block (RST_*) is held in reset */
    int (*reset_held)(void *ctx, int block);
    /* WATCHDOG SCRATCH0-7 and POWMAN BOOT0-3, as the ROM reads and consumes them */
    uint32_t (*scratch)(void *ctx, int i);
    void (*set_scratch)(void *ctx, int i, uint32_t v);
    uint32_t (*powman_boot)(void *ctx, int i);
    void (*set_powman_boot)(void *ctx, int i, uint32_t v);
    /* the flash leaves XIP mode; the QMI is left as after a flash boot */
    void (*flash_exit_xip)(void *ctx);
    /* one serial (single-width) transaction on the flash, CS0: CS# low,
     * ntx bytes out, nrx bytes in, CS# high */
    void (*flash_xfer)(void *ctx, const uint8_t *tx, uint32_t ntx, uint8_t *rx, uint32_t nrx);
    /* a store by the core running a ROM function (its own bus access) */
    int (*core_write)(void *ctx, int core, uint32_t addr, int size, uint32_t v);
    /* the core spends cycles (clk_sys) inside a ROM function */
    void (*stall)(void *ctx, int core, uint32_t cycles);
    void (*qmi_boot_state)(void *ctx);
    /* the run has not been stopped */
    int (*running)(void *ctx);
    /* the run ends in BOOTSEL mode (before the stop) */
    void (*enter_bootsel)(void *ctx);
} bootrom_chip;

/* core 1's ROM wait-loop state */
typedef struct {
    int active;               /* core 1 sits in the ROM */
    int step;                 /* handshake step: 0 send 0, 1 wait cmd, ... */
    uint32_t vtor, sp, entry;
    uint32_t pending_send;
    int have_send;
} core1_rom;

typedef struct {
    core1_rom c1;             /* core 1's wait loop in the ROM */
    const board_services *svc;
    bootrom_chip chip;
    sim_tick_input wd_tick;   /* in: the watchdog's tick generator */
} bootrom_dev;

void bootrom_init(bootrom_dev *r, const board_services *svc);
void bootrom_stub(bootrom_dev *r, int core, uint32_t addr);

/* Boots core 0 (and parks core 1 in the ROM wait loop) after a reset.
 * Returns 0 if the board cannot boot (message already given). */
int bootrom_boot(bootrom_dev *r);

/* core 1 ROM wait loop: called when core 1's FIFO state changes */
void bootrom_core1_poll(bootrom_dev *r);
void bootrom_core1_reset(bootrom_dev *r);
/* core 1 left the ROM (powered off by PSM) */
void bootrom_core1_off(bootrom_dev *r);

#endif
