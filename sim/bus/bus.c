/* bus.c - system bus decode (see bus.h): atomic aliases, narrow writes,
 * register names, stub storage for real-but-unmodelled registers, strict
 * stops on holes, and the --trace-mmio log. */
#include "bus.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "regs/qmi.h"

void bus_init(sim_bus *bus)
{
    memset(bus, 0, sizeof(*bus));
}

void bus_free(sim_bus *bus)
{
    for (int i = 0; i < bus->count; i++) {
        free(bus->dev[i]->stub_values);
        free(bus->dev[i]->warned);
        bus->dev[i]->stub_values = NULL;
        bus->dev[i]->warned = NULL;
    }
    bus->count = 0;
}

static const sim_blockdef *find_block(const char *name)
{
    for (int i = 0; i < sim_block_count; i++)
        if (strcmp(sim_blocks[i].name, name) == 0) return &sim_blocks[i];
    return NULL;
}

/* resets the stub storage of a device to the registers' reset values */
static void stub_reset(sim_device *d)
{
    if (!d->regs) return;
    for (int i = 0; i < d->regs->count; i++) d->stub_values[i] = d->regs->regs[i].reset;
}

void bus_add_device(sim_bus *bus, sim_device *d)
{
    if (bus->count >= BUS_MAX_DEVICES) abort();
    d->regs = d->memory ? NULL : find_block(d->name);
    if (d->regs) {
        d->stub_values = calloc((size_t)d->regs->count, sizeof(uint32_t));
        d->warned = calloc((size_t)d->regs->count, 1);
        stub_reset(d);
    }
    int i = bus->count++;
    while (i > 0 && bus->dev[i - 1]->base > d->base) {
        bus->dev[i] = bus->dev[i - 1];
        i--;
    }
    bus->dev[i] = d;
}

sim_device *bus_find_device(sim_bus *bus, uint32_t addr)
{
    int lo = 0, hi = bus->count - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        sim_device *d = bus->dev[mid];
        if (addr < d->base) hi = mid - 1;
        else if (addr >= d->base + d->size) lo = mid + 1;
        else return d;
    }
    return NULL;
}

static uint32_t reg_offset(const sim_device *d, uint32_t addr, int *alias)
{
    uint32_t off = addr - d->base;
    *alias = 0;
    if (d->aliases) {
        *alias = (int)((off >> 12) & 3);
        off &= 0xFFF;
    }
    return off & ~3u;
}

const char *bus_reg_name(sim_bus *bus, uint32_t addr, char *buf, size_t len)
{
    sim_device *d = bus_find_device(bus, addr);
    if (!d) {
        snprintf(buf, len, "0x%08x", addr);
        return buf;
    }
    int alias;
    uint32_t off = reg_offset(d, addr, &alias);
    static const char *alias_name[] = {"", " (XOR alias)", " (SET alias)", " (CLR alias)"};
    const sim_regdef *r = regtable_find(d->regs, off, NULL);
    if (r)
        snprintf(buf, len, "%s.%s%s", d->name, r->name, alias_name[alias]);
    else
        snprintf(buf, len, "%s+0x%03x%s", d->name, off, alias_name[alias]);
    return buf;
}

/* the address map, for naming what is (not) at an address */
typedef struct {
    uint32_t start, end;
    const char *what;
} map_region;

static const map_region memory_map[] = {
    {0x00000000u, 0x00008000u, "boot ROM"},
    {0x00008000u, 0x10000000u, "nothing: above the 32 KB boot ROM"},
    {0x10000000u, 0x11000000u, "XIP cached window, QMI CS0 (flash)"},
    {0x11000000u, 0x12000000u, "XIP cached window, QMI CS1 (PSRAM)"},
    {0x12000000u, 0x13FFC000u, "XIP space not backed by QMI"},
    {0x13FFC000u, 0x14000000u, "XIP cache-as-SRAM (pinned lines only)"},
    {0x14000000u, 0x15000000u, "XIP uncached window, CS0 (flash)"},
    {0x15000000u, 0x16000000u, "XIP uncached window, CS1 (PSRAM)"},
    {0x16000000u, 0x18000000u, "XIP uncached space not backed by QMI"},
    {0x18000000u, 0x1C000000u, "XIP cache maintenance window (write-only)"},
    {0x1C000000u, 0x1D000000u, "XIP uncached untranslated window, CS0 (flash)"},
    {0x1D000000u, 0x1E000000u, "XIP uncached untranslated window, CS1 (PSRAM)"},
    {0x1E000000u, 0x20000000u, "XIP untranslated space not backed by QMI"},
    {0x20000000u, 0x20082000u, "SRAM"},
    {0x20082000u, 0x40000000u, "nothing: above the end of SRAM (0x20082000)"},
    {0x40000000u, 0x50000000u, "APB peripheral space"},
    {0x50000000u, 0x50800000u, "AHB peripheral space"},
    {0x50800000u, 0xD0000000u, "nothing: no bus slave here"},
    {0xD0000000u, 0xD0040000u, "SIO space"},
    {0xD0040000u, 0xE0000000u, "nothing: no bus slave here"},
    {0xE0000000u, 0xE0100000u, "Cortex-M33 private peripheral bus"},
    {0xE0100000u, 0xFFFFFFFFu, "nothing: no bus slave here"},
};

const char *bus_describe_addr(sim_bus *bus, uint32_t addr, char *buf, size_t len)
{
    sim_device *d = bus_find_device(bus, addr);
    if (d) {
        int alias;
        uint32_t off = reg_offset(d, addr, &alias);
        const sim_regdef *r = regtable_find(d->regs, off, NULL);
        if (r)
            snprintf(buf, len, "%s.%s", d->name, r->name);
        else if (d->memory)
            snprintf(buf, len, "%s", d->name);
        else
            snprintf(buf, len, "%s: no register at offset 0x%03x", d->name, off);
        return buf;
    }
    /* a block's unused 16 KB beyond its four aliases */
    for (int i = 0; i < bus->count; i++) {
        sim_device *e = bus->dev[i];
        if (e->aliases && addr >= e->base && addr < e->base + 0x8000) {
            snprintf(buf, len, "%s block: nothing beyond its atomic aliases (+0x%x)", e->name,
                     addr - e->base);
            return buf;
        }
    }
    for (size_t i = 0; i < sizeof(memory_map) / sizeof(memory_map[0]); i++) {
        if (addr >= memory_map[i].start && addr < memory_map[i].end) {
            const char *w = memory_map[i].what;
            if (addr >= 0x40000000u && addr < 0x50800000u)
                snprintf(buf, len, "%s: no peripheral at this address", w);
            else if (addr >= 0xD0000000u && addr < 0xD0040000u)
                snprintf(buf, len, "%s: no SIO register here", w);
            else if (addr >= 0xE0000000u && addr < 0xE0100000u)
                snprintf(buf, len, "%s: no register here", w);
            else
                snprintf(buf, len, "%s", w);
            return buf;
        }
    }
    snprintf(buf, len, "nothing");
    return buf;
}

/* the PC of a core's access (0 for the other masters) */
static uint32_t access_pc(sim_bus *bus, int master, uint32_t addr, int is_write, int size,
                          int *exact)
{
    return bus->access_pc.pc(bus->access_pc.ctx, master, addr, is_write, size, exact);
}

static void trace_access(sim_bus *bus, int master, int is_write, uint32_t addr, int size,
                         uint32_t value)
{
    FILE *t = bus->trace;
    if (!t) return;
    if (master == BUS_MASTER_CORE0 || master == BUS_MASTER_CORE1) {
        int exact;
        uint32_t pc = access_pc(bus, master, addr, is_write, size, &exact);
        fprintf(t, "%c 0x%08x 0x%08x 0x%08x\n", is_write ? 'W' : 'R', addr, value, pc);
    } else {
        fprintf(t, "%c 0x%08x 0x%08x %s\n", is_write ? 'W' : 'R', addr, value,
                master == BUS_MASTER_DMA ? "DMA" : "SIM");
    }
}

static void warn_unmodelled(sim_bus *bus, sim_device *d, int idx, int master, uint32_t addr,
                            int is_write, int size)
{
    if (d->quiet || d->warned[idx]) return;
    d->warned[idx] = 1;
    uint32_t pc = 0;
    int exact = 0;
    if (master == BUS_MASTER_CORE0 || master == BUS_MASTER_CORE1)
        pc = access_pc(bus, master, addr, is_write, size, &exact);
    sim_warn("%s.%s (0x%08x) is a real register the virtual board does not model: it keeps "
             "what is written (first %s at PC=0x%08x%s)",
             d->name, d->regs->regs[idx].name, addr & ~3u, is_write ? "write" : "read", pc,
             exact ? "" : " approx.");
}

/* real register, no model: plain storage */
static int stub_access(sim_bus *bus, sim_device *d, bus_access *a, uint32_t *value, int is_write)
{
    int idx;
    if (!regtable_find(d->regs, a->offset, &idx)) return BUS_HOLE;
    warn_unmodelled(bus, d, idx, a->master, a->addr, is_write, a->size);
    if (is_write)
        d->stub_values[idx] = bus_alias_apply(d->stub_values[idx], *value, a->alias) &
                              d->regs->regs[idx].bits;
    else
        *value = d->stub_values[idx];
    return BUS_OK;
}

/* A block held in reset: reads give the reset value, writes are lost.
 * (The datasheet only says components "must be taken out of reset to be
 * used"; the sim warns once per block because this is nearly always a bug.) */
static int in_reset_access(sim_bus *bus, sim_device *d, bus_access *a, uint32_t *value, int is_write)
{
    if (!d->warned_reset) {
        d->warned_reset = 1;
        uint32_t pc = 0;
        int exact = 0;
        if (a->master <= BUS_MASTER_CORE1)
            pc = access_pc(bus, a->master, a->addr, is_write, a->size, &exact);
        sim_warn("%s accessed while held in reset (RESETS.RESET bit %d set) at PC=0x%08x%s: "
                 "%s", d->name, d->reset_bit, pc, exact ? "" : " approx.",
                 is_write ? "the write is lost" : "the read returns the reset value");
    }
    if (!is_write) {
        const sim_regdef *r = regtable_find(d->regs, a->offset, NULL);
        *value = r ? r->reset : 0;
    }
    return BUS_OK;
}

static int fail_access(sim_bus *bus, bus_access *a, int is_write, const char *why)
{
    char desc[160];
    if (!why) why = bus_describe_addr(bus, a->addr, desc, sizeof(desc));
    svc_bad_access(bus->svc, a->master, a->addr, is_write, a->size, why);
    return 0;
}

/* the access's offset (and alias) in d; 0 if it cannot be made (run stopped) */
static int decode(sim_bus *bus, sim_device *d, bus_access *a, int is_write)
{
    if (d->memory) {
        a->offset = a->addr - d->base;
        if (a->offset + (uint32_t)a->size > d->size)
            return fail_access(bus, a, is_write, "access runs past the end of the memory");
        return 1;
    }
    if (a->addr & (uint32_t)(a->size - 1))
        return fail_access(bus, a, is_write, "unaligned access to a peripheral register");
    a->offset = reg_offset(d, a->addr, &a->alias);
    return 1;
}

/* the block is held in reset (RESETS.RESET) */
static int held_in_reset(sim_bus *bus, int bit)
{
    return (probe_read(&bus->held_in_reset, 0) >> bit) & 1;
}

static int dispatch(sim_bus *bus, sim_device *d, bus_access *a, uint32_t *value, int is_write)
{
    int r;
    if (d->reset_bit >= 0 && held_in_reset(bus, d->reset_bit) && !d->memory)
        return in_reset_access(bus, d, a, value, is_write);
    r = is_write ? d->write(d->state, a, *value) : d->read(d->state, a, value);
    if (r == BUS_UNMODELLED) {
        if (!d->regs) r = BUS_HOLE;
        else r = stub_access(bus, d, a, value, is_write);
    }
    return r;
}

int bus_dev_read(sim_bus *bus, sim_device *d, int master, uint32_t addr, int size,
                 uint32_t *value)
{
    bus_access a = {master, addr, 0, 0, size};
    uint32_t v = 0;
    if (!decode(bus, d, &a, 0)) return 0;
    int r = dispatch(bus, d, &a, &v, 0);
    if (r == BUS_HOLE) return fail_access(bus, &a, 0, NULL);
    if (r == BUS_STOPPED) return 0;
    if (!d->memory && size < 4) {
        v >>= (addr & 3) * 8;
        v &= size == 1 ? 0xFFu : 0xFFFFu;
    }
    *value = v;
    trace_access(bus, master, 0, addr, size, v);
    return 1;
}

int bus_dev_write(sim_bus *bus, sim_device *d, int master, uint32_t addr, int size,
                  uint32_t value)
{
    bus_access a = {master, addr, 0, 0, size};
    if (!decode(bus, d, &a, 1)) return 0;
    if (!d->memory) {
        /* IO registers see narrow writes replicated across the bus (2.1.5) */
        if (size == 1) value = (value & 0xFF) * 0x01010101u;
        else if (size == 2) value = (value & 0xFFFF) * 0x00010001u;
    }
    trace_access(bus, master, 1, addr, size, value);
    int r = dispatch(bus, d, &a, &value, 1);
    if (r == BUS_HOLE) return fail_access(bus, &a, 1, NULL);
    return r != BUS_STOPPED;
}

/* --- generic access for DMA and the sim --- */

static int mem_rw(uint8_t *base, uint32_t off, int size, uint32_t *v, int is_write)
{
    if (is_write) memcpy(base + off, v, (size_t)size);
    else {
        *v = 0;
        memcpy(v, base + off, (size_t)size);
    }
    return 1;
}

/* the access lies inside memory mem */
static int in_memory(const bus_memory *mem, uint32_t addr, int size)
{
    return addr >= mem->base && addr - mem->base + (uint32_t)size <= mem->size;
}

int bus_rom_write_ignored(sim_bus *bus, int master, uint32_t addr, int size, uint32_t value)
{
    if (!in_memory(&bus->rom, addr, size)) return 0;
    trace_access(bus, master, 1, addr, size, value);
    if (bus->rom_write_warned) return 1;
    bus->rom_write_warned = 1;
    char who[48];
    if (master <= BUS_MASTER_CORE1) {
        int exact = 0;
        uint32_t pc = access_pc(bus, master, addr, 1, size, &exact);
        snprintf(who, sizeof(who), "core %d (PC=0x%08x%s)", master, pc, exact ? "" : " approx.");
    } else {
        snprintf(who, sizeof(who), "%s", master == BUS_MASTER_DMA ? "the DMA" : "the simulator");
    }
    sim_warn("%d-byte write of 0x%x to 0x%08x in the boot ROM by %s: the ROM is read-only and "
             "the write has no effect (reported once; often a store through a NULL pointer)",
             size, value, addr, who);
    return 1;
}

static int bus_rw(sim_bus *bus, int master, uint32_t addr, int size, uint32_t *v, int is_write)
{
    if (in_memory(&bus->sram, addr, size))
        return mem_rw(bus->sram.data, addr - bus->sram.base, size, v, is_write);
    if (in_memory(&bus->rom, addr, size))
        return is_write ? bus_rom_write_ignored(bus, master, addr, size, *v)
                        : mem_rw(bus->rom.data, addr - bus->rom.base, size, v, 0);
    if (xip_in_space(addr))
        return is_write ? bus->xip.write(bus->xip.ctx, master, addr, size, *v)
                        : bus->xip.read(bus->xip.ctx, master, addr, size, v);
    sim_device *d = bus_find_device(bus, addr);
    if (d) return is_write ? bus_dev_write(bus, d, master, addr, size, *v)
                           : bus_dev_read(bus, d, master, addr, size, v);
    if (master == BUS_MASTER_DMA) return 0;   /* the DMA records a bus error */
    char desc[160];
    svc_bad_access(bus->svc, master, addr, is_write, size,
                   bus_describe_addr(bus, addr, desc, sizeof(desc)));
    return 0;
}

int bus_master_read(sim_bus *bus, int master, uint32_t addr, int size, uint32_t *value)
{
    return bus_rw(bus, master, addr, size, value, 0);
}

int bus_master_write(sim_bus *bus, int master, uint32_t addr, int size, uint32_t value)
{
    return bus_rw(bus, master, addr, size, &value, 1);
}
