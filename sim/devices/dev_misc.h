/* dev_misc.h - the small system blocks: RESETS, PSM, WATCHDOG, POWMAN (VREG
 * and the boot vector), SYSINFO, plain register blocks (SYSCFG, BOOTRAM) and
 * the generic stub that gives every other real block its registers. */
#ifndef SIM_DEV_MISC_H
#define SIM_DEV_MISC_H

#include <stdint.h>

#include "bus.h"
#include "signals.h"

typedef void (*reset_hook)(machine *m, int asserted);

typedef struct {
    uint32_t reset, wdsel;
    reset_hook hooks[29];
    sim_signal reset_out[29];    /* out: each block's reset line (1 = held) */
    sim_device dev;
} resets_dev;

typedef struct {
    uint32_t frce_on, frce_off, wdsel;
    sim_device dev;
} psm_dev;

typedef struct {
    uint32_t ctrl, reason, scratch[8];
    uint32_t load;               /* value at the last LOAD write (or pause) */
    uint64_t load_tick;          /* watchdog tick count at that moment */
    int running;
    sim_device dev;
} watchdog_dev;

typedef struct {
    uint32_t regs[0x100 / 4];
    int badpasswd;
    uint64_t vreg_done_ps;
    sim_device dev;
} powman_dev;

typedef struct {
    sim_device dev;
} sysinfo_dev;

/* a block whose registers are plain storage by the datasheet's definition */
typedef struct {
    sim_device dev;
    uint8_t mem[0x400];          /* BOOTRAM's 1 KB */
} plain_dev;

#define STUB_MAX 40
typedef struct {
    sim_device dev[STUB_MAX];
    int count;
} stub_dev;

void misc_setup(machine *m);
/* power_on: also clears what only a power-on clears (watchdog scratch, POWMAN) */
void misc_reset(machine *m, int power_on);

int resets_held(machine *m, int bit);
void resets_set_hook(machine *m, int bit, reset_hook hook);

/* next watchdog expiry in ps (0 = none); polls it (may reboot) */
uint64_t watchdog_next_event(machine *m);
void watchdog_poll(machine *m);

/* creates stub devices for every register block nobody registered */
void stubs_setup(machine *m);

/* handlers of a block whose registers are all plain storage kept by the bus
 * (BUS_UNMODELLED: reset values, kept as written; warned once unless quiet) */
int misc_unmodelled_read(void *st, bus_access *a, uint32_t *v);
int misc_unmodelled_write(void *st, bus_access *a, uint32_t v);
/* puts such a block's stored registers back to their reset values */
void misc_stub_reset(sim_device *d);

#endif
