/* dev_misc.h - the small system blocks: RESETS (rp2350-facts.md 5), PSM and
 * WATCHDOG (datasheet chapter 7, 12.9), POWMAN (VREG and the boot vector,
 * 6.4), SYSINFO (12.15), the OTP_DATA read window, BOOTRAM (its 1 KB, the
 * boot locks and WRITE_ONCE registers, 12.15 / SDK regs/bootram.h), the plain
 * register block SYSCFG and the generic stub that gives every other real
 * block its registers.
 *
 * Signals:
 *   RESETS: out: each block's reset line (reset_out[bit], 1 = held) on every
 *     change, and, after a line's own reset_out, the number of the line just
 *     asserted (block_reset: the board puts back the registers the bus keeps
 *     for the blocks on it); the RESET mask can be sampled as a probe
 *     (resets_line) or whole (resets_held_mask).
 *   PSM: out: core 1 forced off (1) / released (0) by FRCE_OFF.
 *   WATCHDOG: in: its tick stream (TICKS' WATCHDOG generator) and whether a
 *     reboot is already pending (the first request wins); out: a reboot
 *     request (value = the REASON it records).
 */
#ifndef SIM_DEV_MISC_H
#define SIM_DEV_MISC_H

#include <stdint.h>

#include "device.h"
#include "services.h"
#include "signals.h"

typedef struct {
    uint32_t reset, wdsel;
    const board_services *svc;
    sim_signal reset_out[29];    /* out: each block's reset line (1 = held) */
    sim_signal block_reset;      /* out: the number of a line just asserted */
    sim_device dev;
} resets_dev;

typedef struct {
    uint32_t frce_on, frce_off, wdsel;
    const board_services *svc;
    sim_signal proc1_off;        /* out: 1 = core 1 forced off, 0 = released */
    sim_device dev;
} psm_dev;

typedef struct {
    uint32_t ctrl, reason, scratch[8];   /* SCRATCH0-7: the boot ROM reads them */
    uint32_t load;               /* value at the last LOAD write (or pause) */
    uint64_t load_tick;          /* watchdog tick count at that moment */
    int running;
    sim_tick_input tick;         /* in: TICKS' WATCHDOG generator */
    sim_probe reboot_pending;    /* in: a reboot is already pending */
    sim_signal reboot;           /* out: reboot requested (value = REASON) */
    sim_device dev;
} watchdog_dev;

typedef struct {
    uint32_t regs[0x100 / 4];    /* BOOT0-3 (the boot ROM reads them) among them */
    int badpasswd;
    uint64_t vreg_done_ps;
    const board_services *svc;
    sim_device dev;
} powman_dev;

typedef struct {
    int rp2350b;                 /* the package: QFN-80 (1) or QFN-60 (0) */
    sim_device dev;
} sysinfo_dev;

typedef struct {
    uint64_t chip_id;            /* OTP CHIPID0..3 */
    sim_device dev;
} otp_data_dev;

/* a block whose registers are plain storage by the datasheet's definition */
typedef struct {
    sim_device dev;
} plain_dev;

/* BOOTRAM: 1 KB of SRAM the boot ROM keeps its state in, then registers */
typedef struct {
    uint8_t mem[0x400];
    uint32_t write_once[2];      /* WRITE_ONCE0/1: writes OR in */
    uint8_t claimed;             /* BOOTLOCK0-7: bit n = lock n claimed */
    sim_device dev;
} bootram_dev;

#define STUB_MAX 40
typedef struct {
    sim_device dev[STUB_MAX];
    int count;
} stub_dev;

/* ---- RESETS ---- */
void resets_init(resets_dev *r, const board_services *svc);
/* every block held in reset again (the lines are not driven: the board
 * resets the blocks itself) */
void resets_reset(resets_dev *r);
/* the RESET register: bit n = block n held in reset */
uint32_t resets_held_mask(const resets_dev *r);
/* probe handler: line n of a resets_dev (1 = held in reset) */
uint32_t resets_line(void *resets, int n);

/* ---- PSM ---- */
void psm_init(psm_dev *p, const board_services *svc);
void psm_reset(psm_dev *p);

/* ---- WATCHDOG ---- */
void watchdog_init(watchdog_dev *w);
/* power_on: also clears SCRATCH0-7 and REASON, which survive other resets */
void watchdog_reset(watchdog_dev *w, int power_on);
/* next watchdog expiry in ps (0 = none); polls it (may request a reboot) */
uint64_t watchdog_next_event(watchdog_dev *w);
void watchdog_poll(watchdog_dev *w);

/* ---- POWMAN, SYSINFO, OTP_DATA, plain blocks ---- */
void powman_init(powman_dev *p, const board_services *svc);
/* POWMAN keeps its state over every reset but a power-on */
void powman_power_on(powman_dev *p);
void sysinfo_init(sysinfo_dev *s, int rp2350b);
void otp_data_init(otp_data_dev *o, uint64_t chip_id);
void syscfg_init(plain_dev *p);
void plain_reset(plain_dev *p);
void bootram_init(bootram_dev *b);
/* the registers to their reset values (locks free); power_on: the memory
 * cleared too (it survives other resets) */
void bootram_reset(bootram_dev *b, int power_on);

/* ---- stubs ---- */
/* a stub for a real block nobody models: its registers read their reset
 * values and keep what is written (warned once) */
void stub_init(sim_device *d, const char *name, uint32_t base, int aliases, int reset_bit);
void stubs_reset(stub_dev *s);


#endif
