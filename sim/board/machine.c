/* machine.c - building, resetting and stopping the virtual board, and its
 * modelled clock (see machine.h). */
#include "machine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console.h"
#include "log.h"
#include "options.h"
#include "regs/resets.h"
#include "simtime.h"

/* ---- time ---- */

uint64_t machine_cycles_to_ps(const machine *m, uint64_t cycles)
{
    return clk_cycles_to_ps(cycles, m->f_sys ? m->f_sys : 1);
}

uint64_t machine_now_ps(const machine *m)
{
    uint64_t c = machine_now_cycles(m);
    if (c >= m->anchor_cycles) return m->anchor_ps + machine_cycles_to_ps(m, c - m->anchor_cycles);
    /* core 1 is still behind core 0's re-anchor point */
    uint64_t back = machine_cycles_to_ps(m, m->anchor_cycles - c);
    return back > m->anchor_ps ? 0 : m->anchor_ps - back;
}

void machine_set_fsys(machine *m, uint64_t hz)
{
    if (hz == 0 || hz == m->f_sys) return;
    uint64_t now_ps = machine_now_ps(m);
    m->anchor_cycles = machine_now_cycles(m);
    m->anchor_ps = now_ps;
    m->f_sys = hz;
    machine_kick(m);   /* the slice budget was computed with the old frequency */
}

/* ---- run control ---- */

void machine_kick(machine *m)
{
    if (m->cur_core >= 0) core_request_stop(&m->core[m->cur_core]);
}

void machine_stop(machine *m, int stop, int code, const char *fmt, ...)
{
    if (m->stop != STOP_NONE) return;
    m->stop = stop;
    m->exit_code = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->stop_msg, sizeof(m->stop_msg), fmt, ap);
    va_end(ap);
    /* the running core ends its slice at its next block (see hook_block);
     * a fault stops it at once (Unicorn then reports the PC of the block
     * start, which is what the register dump should show; the run never
     * resumes, so Unicorn's re-execution of that block does not matter) */
    for (int i = 0; i < 2; i++) m->core[i].stop_requested = 1;
    if (stop == STOP_FAULT && m->cur_core >= 0) uc_emu_stop(m->core[m->cur_core].uc);
}

void machine_fault(machine *m, int core, uint32_t pc, int pc_exact, const char *what,
                   const char *fmt, ...)
{
    char detail[700];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof(detail), fmt, ap);
    va_end(ap);
    if (!pc && !pc_exact && m->core[core].uc) pc = core_pc(&m->core[core]);
    machine_stop(m, STOP_FAULT, SIM_EXIT_FAULT, "%s: PC=0x%08x %s", what, pc, detail);
}

void machine_bad_access(machine *m, int master, uint32_t addr, int is_write, int size,
                        const char *why)
{
    if (master == BUS_MASTER_DMA) {
        sim_warn("DMA bus error: %s of 0x%08x (%s)", is_write ? "write" : "read", addr, why);
        return;
    }
    uint32_t pc = 0;
    int exact = 1;
    if (master <= BUS_MASTER_CORE1) pc = core_access_pc(&m->core[master], addr, is_write, size, &exact);
    machine_stop(m, STOP_FAULT, SIM_EXIT_FAULT, "bad access: PC=0x%08x addr=0x%08x (%s %s)%s%s",
                 pc, addr, is_write ? "write:" : "read:", why,
                 exact ? "" : " [PC found by decoding the block: approximate]",
                 master == BUS_MASTER_CORE1 ? " on core 1" : "");
}

/* ---- the devices between slices ---- */

void machine_poll_devices(machine *m)
{
    if (m->remap_pending) xip_remap(m);
    dma_catch_up(m);
    uart_poll(m);
    watchdog_poll(m);
    for (int i = 0; i < 2; i++) timer_poll(&m->timer[i]);
}

uint64_t machine_next_device_event(machine *m, uint64_t now)
{
    uint64_t cand[] = {uart_next_event(m), watchdog_next_event(m), clocks_next_event(m),
                       timer_next_event(&m->timer[0]), timer_next_event(&m->timer[1])};
    uint64_t next = 0;
    for (size_t i = 0; i < sizeof(cand) / sizeof(cand[0]); i++)
        if (cand[i] > now && (!next || cand[i] < next)) next = cand[i];
    return next;
}

/* ---- cores ---- */

void machine_launch_core1(machine *m, uint32_t vtor, uint32_t sp, uint32_t entry)
{
    sim_core *c = &m->core[1];
    core_reset(c);
    ppb_reset_core(m, 1);
    m->ppb.c[1].vtor = vtor;
    core_set_reg(c, UC_ARM_REG_SP, sp);
    core_set_reg(c, UC_ARM_REG_LR, 0x7F28u | 1);   /* returns into the ROM's sleep loop */
    core_set_reg(c, UC_ARM_REG_PC, entry);
    c->cycles = machine_now_cycles(m);
    c->running = 1;
    sim_info("core 1 launched: entry 0x%08x, SP 0x%08x, VTOR 0x%08x", entry, sp, vtor);
    machine_kick(m);
}

void machine_reset_core1(machine *m)
{
    m->core[1].running = 0;
    bootrom_core1_reset(m);
}

/* ---- memories ---- */

/* power-on SRAM/PSRAM hold no zeros: a deterministic pseudo-random pattern
 * catches firmware that forgets to initialise */
static void fill_random(uint8_t *p, size_t n, uint32_t seed)
{
    uint32_t x = seed;
    for (size_t i = 0; i + 4 <= n; i += 4) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        memcpy(p + i, &x, 4);
    }
}

static uint64_t chip_now(void *env) { return machine_now_ps(env); }

static void chip_modified(void *env, uint32_t off, uint32_t len)
{
    xip_flash_modified(env, off, len);
}

/* ---- what the models may ask of the board (services.h) ---- */

static uint64_t board_now_ps(void *m) { return machine_now_ps(m); }
static uint64_t board_now_cycles(void *m) { return machine_now_cycles(m); }
static uint64_t board_cycles_to_ps(void *m, uint64_t n) { return machine_cycles_to_ps(m, n); }
static uint64_t board_clk_hz(void *m, int clk) { return clocks_hz(m, clk); }
static void board_end_slice(void *m) { machine_kick(m); }

static void board_stop(void *m, int stop, int code, const char *msg)
{
    machine_stop(m, stop, code, "%s", msg);
}

static void board_bad_access(void *m, int master, uint32_t addr, int is_write, int size,
                             const char *why)
{
    machine_bad_access(m, master, addr, is_write, size, why);
}

static void services_init(machine *m)
{
    m->svc = (board_services){m, board_now_ps, board_now_cycles, board_cycles_to_ps, board_clk_hz,
                              board_end_slice, board_stop, board_bad_access};
}

/* ---- what the bus reaches (bus.h) ---- */

static int board_xip_bus_read(void *m, int master, uint32_t addr, int size, uint32_t *v)
{
    return xip_bus_read(m, master, addr, size, v);
}

static int board_xip_bus_write(void *m, int master, uint32_t addr, int size, uint32_t v)
{
    return xip_bus_write(m, master, addr, size, v);
}

static uint32_t board_access_pc(void *m, int core, uint32_t addr, int is_write, int size,
                                int *exact)
{
    return core_access_pc(&((machine *)m)->core[core], addr, is_write, size, exact);
}

static uint32_t board_resets_held(void *m, int n)
{
    (void)n;
    return ((machine *)m)->resets.reset;
}

static void wire_bus(machine *m)
{
    sim_bus *bus = &m->bus;
    bus_init(bus);
    bus->rom = (bus_memory){m->rom, SIM_ROM_BASE, SIM_ROM_SIZE};
    bus->sram = (bus_memory){m->sram, SIM_SRAM_BASE, SIM_SRAM_SIZE};
    bus->svc = &m->svc;
    bus->xip = (bus_master_port){m, board_xip_bus_read, board_xip_bus_write};
    bus->access_pc = (bus_access_pc){m, board_access_pc};
    probe_connect(&bus->held_in_reset, board_resets_held, m, 0);
}

/* ---- what the cores reach (cpu.h) ---- */

static uint32_t board_xc_fetch(void *m, int core, uint32_t line, uint64_t now)
{
    return xc_fetch(m, core, line, now);
}

static uint32_t board_xc_read(void *m, int core, uint32_t addr, int size, uint64_t now)
{
    return xc_read(m, core, addr, size, now);
}

static int board_xip_prot_write(void *m, int core, uint32_t addr, int size, uint64_t value)
{
    return xip_prot_write(m, core, addr, size, value);
}

static int board_xip_remap_pending(void *m) { return ((machine *)m)->remap_pending; }
static void board_xip_remap(void *m) { xip_remap(m); }

static int board_xip_window_mapped(void *m, int core, uint32_t addr)
{
    return xip_window_mapped(m, core, addr);
}

static int board_xip_map_fixed(void *m, int core) { return xip_map_fixed(m, core); }

static const char *board_xip_describe_fault(void *m, uint32_t addr)
{
    return xip_describe_fault(m, addr);
}

static void board_rom_native(void *m, sim_core *c, uint32_t addr) { bootrom_stub(m, c, addr); }

/* both cores on the board's bus, each one's SEV into the other's event input */
static int wire_cores(machine *m)
{
    core_env env = {
        .svc = &m->svc,
        .stopped = &m->stop,
        .bus = &m->bus,
        .tcache = &m->tcache,
        .prof = &m->prof,
        .xip = {m, &m->xip.ctrl, &m->xc, board_xc_fetch, board_xc_read, board_xip_prot_write,
                board_xip_remap_pending, board_xip_remap, board_xip_window_mapped,
                board_xip_map_fixed, board_xip_describe_fault},
        .rom = {m, BOOTROM_STUBS_START, BOOTROM_STUBS_END, board_rom_native},
    };
    for (int i = 0; i < 2; i++) {
        env.ppb.cpacr = &m->ppb.c[i].cpacr;
        if (!core_init(&m->core[i], i, &env) || !core_map_fixed(&m->core[i])) return 0;
        if (m->opt && m->opt->trace_mmio) core_set_precise(&m->core[i], 1);
    }
    for (int i = 0; i < 2; i++) signal_connect(&m->core[i].sev, core_event_line, &m->core[1 - i], 0);
    return 1;
}

/* ---- transitional: machine-wide calls of models not yet converted ---- */

int bus_read(machine *m, int master, uint32_t addr, int size, uint32_t *value)
{
    return bus_master_read(&m->bus, master, addr, size, value);
}

int bus_write(machine *m, int master, uint32_t addr, int size, uint32_t value)
{
    return bus_master_write(&m->bus, master, addr, size, value);
}

const char *bus_describe(machine *m, uint32_t addr, char *buf, size_t len)
{
    return bus_describe_addr(&m->bus, addr, buf, len);
}

void prof_reset(machine *m)
{
    uint64_t cycles[2];
    for (int i = 0; i < 2; i++) cycles[i] = m->core[i].cycles + m->core[i].slice_used;
    prof_restart(&m->prof, cycles, machine_now_ps(m));
    xc_stats_reset(m);
}

prof_board_view machine_profile_view(const machine *m)
{
    return (prof_board_view){machine_now_ps(m), m->f_sys, m->xc.st};
}

/* ---- the board file: every device created, registered and wired ---- */

static void wire_timers(machine *m)
{
    ticks_init(&m->ticks, &m->svc);
    bus_add_device(&m->bus, &m->ticks.dev);
    for (int g = 0; g < TICK_COUNT; g++) m->tick_in[g] = ticks_output(&m->ticks, g);
    for (int i = 0; i < 2; i++) {
        timer_dev *t = &m->timer[i];
        timer_init(t, i, &m->svc);
        t->tick = m->tick_in[i ? TICK_TIMER1 : TICK_TIMER0];
        bus_add_device(&m->bus, &t->dev);
        signal_connect(&m->resets.reset_out[i ? RST_TIMER1 : RST_TIMER0], timer_reset_line, t, 0);
    }
}

int machine_init(machine *m, const board_desc *b, const sim_options *opt)
{
    memset(m, 0, sizeof(*m));
    m->board = b;
    m->opt = opt;
    m->cur_core = -1;
    services_init(m);
    m->flash_size = b->flash_size;
    m->psram_size = opt && opt->psram_mb ? opt->psram_mb << 20 : b->psram_size;   /* --psram-mb */
    m->rom = calloc(1, SIM_ROM_SIZE);
    m->sram = calloc(1, SIM_SRAM_SIZE);
    m->flash = malloc(b->flash_size);
    m->psram = m->psram_size ? malloc(m->psram_size) : NULL;
    if (!m->rom || !m->sram || !m->flash || (m->psram_size && !m->psram)) return 0;
    memset(m->flash, 0xFF, b->flash_size);   /* erased */
    fill_random(m->sram, SIM_SRAM_SIZE, 0x2350A2u);
    bootrom_build(m->rom);
    m->f_sys = ROSC_NOMINAL_HZ;
    timing_cache_init(&m->tcache);
    wire_bus(m);

    qspi_flash_init(&m->flashchip, m->flash, b->flash_size, b->flash_jedec);
    m->flashchip.env = m;
    m->flashchip.now_ps = chip_now;
    m->flashchip.modified = chip_modified;
    if (m->psram)
        qspi_psram_init(&m->psramchip, m->psram, m->psram_size,
                        opt && opt->has_psram_eid ? opt->psram_eid : PSRAM_EID_DEFAULT);

    clocks_setup(m);
    misc_setup(m);
    wire_timers(m);
    uart_setup(m);
    gpio_setup(m);
    sio_setup(m);
    qmi_setup(m);
    xip_setup(m);
    dma_setup(m);
    usb_setup(m);
    ppb_setup(m);
    stubs_setup(m);
    usb_host_init(m);

    return wire_cores(m);
}

void machine_free(machine *m)
{
    for (int i = 0; i < 2; i++) core_free(&m->core[i]);
    bus_free(&m->bus);
    timing_cache_free(&m->tcache);
    prof_free(&m->prof);
    free(m->rom);
    free(m->sram);
    free(m->flash);
    free(m->psram);
}

/* every peripheral to its reset state (power_on: also what survives a
 * watchdog reset: watchdog scratch, POWMAN, external chips) */
static void reset_devices(machine *m, int power_on)
{
    misc_reset(m, power_on);
    clocks_reset(m);
    ticks_reset(&m->ticks);
    timer_reset(&m->timer[0]);
    timer_reset(&m->timer[1]);
    uart_reset(m, 0);
    uart_reset(m, 1);
    gpio_reset_bank0(m);
    gpio_reset_pads(m);
    gpio_reset_qspi(m);
    sio_reset(m);
    qmi_reset(m);
    xip_reset(m);
    xc_reset(m);
    dma_reset(m);
    usb_reset(m);
    ppb_reset_core(m, 0);
    ppb_reset_core(m, 1);
    if (power_on) {
        qspi_flash_power_on(&m->flashchip);
        if (m->psram) {
            fill_random(m->psram, m->psram_size, 0x6404u);
            qspi_psram_power_on(&m->psramchip);
        }
    }
}

/* both cores from their reset state through the boot ROM */
static int boot_cores(machine *m)
{
    m->boot_count++;
    m->reboot = REBOOT_NONE;
    for (int i = 0; i < 2; i++) {
        core_reset(&m->core[i]);
        m->core[i].running = 0;
    }
    m->core[1].cycles = m->core[0].cycles;
    clocks_update(m);
    if (!bootrom_boot(m)) return 0;
    xip_remap(m);
    return m->stop == STOP_NONE || m->bootsel;
}

int machine_reset(machine *m, int power_on)
{
    reset_devices(m, power_on);
    return boot_cores(m);
}

int machine_reset_cores(machine *m)
{
    dma_cores_reset(m);
    ppb_reset_core(m, 0);
    ppb_reset_core(m, 1);
    return boot_cores(m);
}
