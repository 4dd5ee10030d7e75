/* bus.h - the RP2350 system bus as the virtual board decodes it.
 *
 * Peripheral blocks (APB/AHB) are "devices" with read/write handlers, like
 * QEMU device models. The bus
 *   - decodes the atomic register aliases of APB/AHB blocks
 *     (+0x1000 XOR, +0x2000 SET, +0x3000 CLR: rp2350-facts.md section 1.4),
 *   - replicates narrow (8/16-bit) writes across the 32-bit word, as the
 *     RP2350's IO registers ignore access width (RP2040/RP2350 datasheet
 *     "narrow IO register writes"),
 *   - names every register (regs/regtable.c) for messages and the MMIO trace,
 *   - gives real registers that a model does not implement a plain
 *     read-reset-value/keep-written-value behaviour and warns once, and
 *   - stops the run on an access to an address where nothing exists.
 */
#ifndef SIM_BUS_H
#define SIM_BUS_H

#include <stdint.h>
#include <stdio.h>

#include "regs/regtable.h"

typedef struct machine machine;

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
    machine *m;
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

#define BUS_MAX_DEVICES 64

typedef struct {
    sim_device *dev[BUS_MAX_DEVICES];
    int count;
    FILE *trace;            /* --trace-mmio */
} sim_bus;

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

/* Fills in a device description (aliases: APB/AHB atomic aliases). */
void bus_dev_setup(sim_device *d, const char *name, uint32_t base, uint32_t size, int aliases,
                   int reset_bit, void *state,
                   int (*read)(void *state, bus_access *a, uint32_t *value),
                   int (*write)(void *state, bus_access *a, uint32_t value));

void bus_init(sim_bus *bus);
void bus_free(sim_bus *bus);
/* Registers a device; attaches its block's register list by name. */
void bus_add_device(sim_bus *bus, sim_device *dev);
sim_device *bus_find_device(sim_bus *bus, uint32_t addr);

/* A device access (from the CPU MMIO path, DMA or the sim itself).
 * Returns 1 on success, 0 if the run was stopped (bad access). */
int bus_dev_read(machine *m, sim_device *dev, int master, uint32_t addr, int size, uint32_t *value);
int bus_dev_write(machine *m, sim_device *dev, int master, uint32_t addr, int size, uint32_t value);

/* Any address (memory or device), for DMA and the sim. 1 = ok. */
int bus_read(machine *m, int master, uint32_t addr, int size, uint32_t *value);
int bus_write(machine *m, int master, uint32_t addr, int size, uint32_t value);

/* Name of the register at addr ("UART0.UARTFR", "UART0+0x100") into buf. */
const char *bus_reg_name(sim_bus *bus, uint32_t addr, char *buf, size_t len);
/* What is at addr, for bad-access messages ("UART0: no register at +0x100",
 * "nothing mapped between SRAM and APB peripherals", ...). */
const char *bus_describe(machine *m, uint32_t addr, char *buf, size_t len);

/* Looks up the real register at offset of a block (NULL if none). */
const sim_regdef *bus_regdef(const sim_blockdef *blk, uint32_t offset, int *index);

#endif
