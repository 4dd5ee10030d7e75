/* device.h - the register interface between the bus and a device model, as
 * in QEMU's MemoryRegionOps: a device is a block of registers at a base
 * address with a read and a write handler; the bus (bus.c) decodes the
 * address, the atomic aliases and narrow writes before calling them.
 *
 * A device model includes this header, board/services.h, board/signals.h,
 * its own register header(s) under regs/, the logger and the few interfaces
 * sim/README.md lists, nothing else of the simulator (checked by
 * tests/sim/check_sim_modules.sh).
 */
#ifndef SIM_DEVICE_H
#define SIM_DEVICE_H

#include <stdint.h>
#include <string.h>

#include "regs/regtable.h"

enum { BUS_ALIAS_NONE = 0, BUS_ALIAS_XOR = 1, BUS_ALIAS_SET = 2, BUS_ALIAS_CLR = 3 };

/* Device handler results. */
enum {
    BUS_OK = 0,         /* handled */
    BUS_UNMODELLED = 1, /* a real register this model does not implement */
    BUS_HOLE = 2,       /* nothing there: bad access */
    BUS_STOPPED = 3     /* the handler already stopped the run with its own message */
};

/* Who is accessing the bus. */
enum { BUS_MASTER_CORE0 = 0, BUS_MASTER_CORE1 = 1, BUS_MASTER_DMA = 2, BUS_MASTER_SIM = 3 };

/* One access as a device sees it. */
typedef struct {
    int master;        /* BUS_MASTER_* */
    uint32_t addr;     /* bus address, alias bits included */
    uint32_t offset;   /* byte offset in the block, alias bits removed, word aligned */
    int alias;         /* BUS_ALIAS_* */
    int size;          /* 1, 2 or 4 */
} bus_access;

typedef struct sim_device sim_device;
struct sim_device {
    const char *name;       /* block name, as in regtable (e.g. "UART0") */
    uint32_t base;
    uint32_t size;          /* bytes decoded by this device (aliases included) */
    int aliases;            /* decodes the atomic aliases */
    int memory;             /* byte-addressable memory: no replication, no regtable */
    int reset_bit;          /* RESETS.RESET bit that holds this block in reset, -1 none */
    int quiet;              /* BUS_UNMODELLED registers are plain storage by design: no warning */
    int warned_reset;       /* accessed while held in reset (warned once) */
    void *state;
    int (*read)(void *state, bus_access *a, uint32_t *value);
    int (*write)(void *state, bus_access *a, uint32_t value);
    /* set by bus_add_device */
    const sim_blockdef *regs;
    uint32_t *stub_values;  /* one per register of regs, for unmodelled registers */
    uint8_t *warned;        /* one per register of regs */
};

/* Fills in a device description (aliases: APB/AHB atomic aliases). */
static inline void bus_dev_setup(sim_device *d, const char *name, uint32_t base, uint32_t size,
                                 int aliases, int reset_bit, void *state,
                                 int (*read)(void *state, bus_access *a, uint32_t *value),
                                 int (*write)(void *state, bus_access *a, uint32_t value))
{
    memset(d, 0, sizeof(*d));
    d->name = name;
    d->base = base;
    d->size = size;
    d->aliases = aliases;
    d->reset_bit = reset_bit;
    d->state = state;
    d->read = read;
    d->write = write;
}

/* RW-register helper: the value a register takes when `value` is written
 * through `alias` over `old`. */
static inline uint32_t bus_alias_apply(uint32_t old, uint32_t value, int alias)
{
    switch (alias) {
    case BUS_ALIAS_XOR: return old ^ value;
    case BUS_ALIAS_SET: return old | value;
    case BUS_ALIAS_CLR: return old & ~value;
    default: return value;
    }
}

/* Bits of a write-1-to-clear register that a write clears: the written
 * ones, whichever alias carried them (pico-examples clears SIE_STATUS bits
 * through the CLR alias). */
static inline uint32_t bus_wc_bits(uint32_t value, int alias)
{
    (void)alias;
    return value;
}

/* Handlers of registers that are plain storage kept by the bus (reset
 * values, kept as written; warned once unless the device is quiet), and
 * putting them back to their reset values. */
static inline int device_stored_read(void *state, bus_access *a, uint32_t *value)
{
    (void)state, (void)a, (void)value;
    return BUS_UNMODELLED;
}

static inline int device_stored_write(void *state, bus_access *a, uint32_t value)
{
    (void)state, (void)a, (void)value;
    return BUS_UNMODELLED;
}

static inline void device_stored_reset(sim_device *d)
{
    if (!d->regs) return;
    for (int r = 0; r < d->regs->count; r++) d->stub_values[r] = d->regs->regs[r].reset;
}

/* What a bus master (the DMA) sees of the bus: any address, memory or
 * device, as the board decodes it. read/write return 1 on success, 0 on a
 * bus error. */
typedef struct {
    void *ctx;
    int (*read)(void *ctx, int master, uint32_t addr, int size, uint32_t *value);
    int (*write)(void *ctx, int master, uint32_t addr, int size, uint32_t value);
} bus_master_port;

#endif
