/* machine.c - building, resetting and stopping the virtual board, and its
 * modelled clock (see machine.h). */
#include "machine.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
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
    char report[sizeof(m->core[0].fault_report)];
    snprintf(report, sizeof(report), "bad access: PC=0x%08x addr=0x%08x (%s %s)%s%s", pc, addr,
             is_write ? "write:" : "read:", why,
             exact ? "" : " [PC found by decoding the block: approximate]",
             master == BUS_MASTER_CORE1 ? " on core 1" : "");
    /* a core's access to nothing is a BusFault its firmware takes, as on
     * silicon, unless --strict-access wants the run to stop here */
    if (master <= BUS_MASTER_CORE1 && !m->core[master].strict_access && m->cur_core == master)
        core_bus_fault(&m->core[master], addr, pc, report);
    else
        machine_stop(m, STOP_FAULT, SIM_EXIT_FAULT, "%s", report);
}

/* ---- the devices between slices ---- */

void machine_poll_devices(machine *m)
{
    if (m->remap_pending) machine_remap_xip(m);
    dma_catch_up(&m->dma);
    uart_poll(&m->uart[0]);
    uart_poll(&m->uart[1]);
    watchdog_poll(&m->wd);
    for (int i = 0; i < 2; i++) timer_poll(&m->timer[i]);
    ppb_poll(&m->ppb);
}

/* the earlier of two event times, 0 = none */
static uint64_t earliest(uint64_t a, uint64_t b)
{
    if (!a) return b;
    return b && b < a ? b : a;
}

uint64_t machine_next_device_event(machine *m, uint64_t now)
{
    uint64_t uarts = earliest(uart_next_event(&m->uart[0]), uart_next_event(&m->uart[1]));
    uint64_t cand[] = {uarts, watchdog_next_event(&m->wd), clocks_next_event(&m->clk),
                       timer_next_event(&m->timer[0]), timer_next_event(&m->timer[1]),
                       ppb_next_event(&m->ppb)};
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
    ppb_reset_core(&m->ppb, 1);
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
    bootrom_core1_reset(&m->bootrom);
}

void machine_remap_xip(machine *m)
{
    m->remap_pending = 0;
    xip_remap(&m->xip);
}

void machine_connect_terminals(machine *m)
{
    for (int i = 0; i < 2; i++) m->uart[i].serial = m->serial;
    m->host.terminal = m->usb_terminal;
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

/* ---- the profiler ---- */

void machine_profile_restart(machine *m)
{
    uint64_t cycles[2];
    for (int i = 0; i < 2; i++) cycles[i] = m->core[i].cycles + m->core[i].slice_used;
    prof_restart(&m->prof, cycles, machine_now_ps(m));
    xc_stats_reset(&m->xc);
}

prof_board_view machine_profile_view(const machine *m)
{
    return (prof_board_view){machine_now_ps(m), m->f_sys, m->xc.st};
}

int machine_init(machine *m, const board_desc *b, const machine_config *cfg)
{
    memset(m, 0, sizeof(*m));
    m->board = b;
    m->cur_core = -1;
    wire_services(m);
    m->flash_size = b->flash_size;
    m->psram_size = cfg->psram_mb ? cfg->psram_mb << 20 : b->psram_size;
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

    return wire_board(m, cfg);
}

void machine_free(machine *m)
{
    for (int i = 0; i < 2; i++) core_free(&m->core[i]);
    bus_free(&m->bus);
    timing_cache_free(&m->tcache);
    prof_free(&m->prof);
    dma_free(&m->dma);
    free(m->rom);
    free(m->sram);
    free(m->flash);
    free(m->psram);
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
    clocks_update(&m->clk);
    if (!bootrom_boot(&m->bootrom)) return 0;
    machine_remap_xip(m);
    return m->stop == STOP_NONE || m->bootsel;
}

int machine_reset(machine *m, int power_on)
{
    reset_board_devices(m, power_on);
    if (power_on) {   /* the chips outside the RP2350 lose power too */
        qspi_flash_power_on(&m->flashchip);
        if (m->psram) {
            fill_random(m->psram, m->psram_size, 0x6404u);
            qspi_psram_power_on(&m->psramchip);
        }
    }
    return boot_cores(m);
}

int machine_reset_cores(machine *m)
{
    dma_cores_reset(&m->dma);
    ppb_reset_core(&m->ppb, 0);
    ppb_reset_core(&m->ppb, 1);
    return boot_cores(m);
}
