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

#include "device.h"
#include "services.h"
#include "signals.h"

#define BUS_MAX_DEVICES 64

/* a memory the bus decodes itself (boot ROM, SRAM) */
typedef struct {
    uint8_t *data;
    uint32_t base, size;
} bus_memory;

/* the PC of the instruction doing a core's current access (cpu.c's
 * core_access_pc), for messages and the MMIO trace; *exact says whether it
 * is exact or decoded from the block */
typedef struct {
    void *ctx;
    uint32_t (*pc)(void *ctx, int core, uint32_t addr, int is_write, int size, int *exact);
} bus_access_pc;

typedef struct {
    sim_device *dev[BUS_MAX_DEVICES];
    int count;
    FILE *trace;            /* --trace-mmio */
    /* set by the board (wiring.c) */
    bus_memory rom, sram;
    const board_services *svc;      /* bad-access stops */
    bus_master_port xip;            /* the XIP address space, decoded by the XIP block */
    bus_access_pc access_pc;
    sim_probe held_in_reset;        /* RESETS.RESET: one bit per block held in reset */
    int rom_write_warned;           /* a write to the boot ROM was reported */
} sim_bus;

void bus_init(sim_bus *bus);
void bus_free(sim_bus *bus);
/* Registers a device; attaches its block's register list by name. */
void bus_add_device(sim_bus *bus, sim_device *dev);
sim_device *bus_find_device(sim_bus *bus, uint32_t addr);

/* A device access (from the CPU MMIO path, DMA or the sim itself).
 * Returns 1 on success, 0 if the run was stopped (bad access). */
int bus_dev_read(sim_bus *bus, sim_device *dev, int master, uint32_t addr, int size,
                 uint32_t *value);
int bus_dev_write(sim_bus *bus, sim_device *dev, int master, uint32_t addr, int size,
                  uint32_t value);

/* Any address (memory or device), for DMA and the sim. 1 = ok. */
int bus_master_read(sim_bus *bus, int master, uint32_t addr, int size, uint32_t *value);
int bus_master_write(sim_bus *bus, int master, uint32_t addr, int size, uint32_t value);

/* A write by master to [addr, addr+size) in the boot ROM: the ROM is
 * read-only and the write has no effect; the first one is reported (once
 * per run: TinyUSB 0.18 stores through a NULL EP0 pointer on every control
 * transfer and works on silicon). Returns 1 when the access is such a
 * write (ignored), 0 when it is not in the ROM. The cores call it on a
 * store their engine refuses as a write to read-only memory. */
int bus_rom_write_ignored(sim_bus *bus, int master, uint32_t addr, int size, uint32_t value);

/* Name of the register at addr ("UART0.UARTFR", "UART0+0x100") into buf. */
const char *bus_reg_name(sim_bus *bus, uint32_t addr, char *buf, size_t len);
/* What is at addr, for bad-access messages ("UART0: no register at +0x100",
 * "nothing mapped between SRAM and APB peripherals", ...). */
const char *bus_describe_addr(sim_bus *bus, uint32_t addr, char *buf, size_t len);


#endif
