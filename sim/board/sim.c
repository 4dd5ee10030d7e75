/* sim.c - image loading and the scheduler loop (see sim.h). */
#include "sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "console.h"
#include "loader.h"
#include "log.h"
#include "simtime.h"
#include "usbip.h"


/* ---- loading ---- */

/* A whole input file; NULL with *why set when it cannot be one: not a
 * regular file, unreadable, or larger than any image for 16 MB of flash
 * (a UF2 is twice its payload) could be. */
static uint8_t *read_file(const char *path, size_t *len, const char **why)
{
    enum { MAX_INPUT = 64 << 20 };
    struct stat st;
    FILE *f = fopen(path, "rb");
    *why = "cannot open it";
    if (!f) return NULL;
    uint8_t *buf = NULL;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        *why = "not a regular file";
    } else if (st.st_size > MAX_INPUT) {
        *why = "larger than 64 MB: no RP2350 image is";
    } else if (!(buf = malloc((size_t)st.st_size + 1))) {
        *why = "out of memory";
    } else {
        *len = fread(buf, 1, (size_t)st.st_size + 1, f);
        if (ferror(f) || *len != (size_t)st.st_size) {
            *why = "read error (or the file changed while read)";
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

/* "0x...-0x..., 0x...-0x..." */
static void list_ranges(const load_range *r, int n, char *out, size_t outlen)
{
    size_t used = 0;
    out[0] = '\0';
    for (int i = 0; i < n && used < outlen - 40; i++)
        used += (size_t)snprintf(out + used, outlen - used, "%s0x%08x-0x%08x", i ? ", " : "",
                                 r[i].start, r[i].end - 1);
}

/* the RP2350-E10 workaround block: the ROM writes it like any other */
static void report_e10(const char *path, const load_target *t, const char *ranges)
{
    char wrap[80] = "";
    if (t->e10_addr != t->e10_target)
        snprintf(wrap, sizeof(wrap), "0x%08x wrapped onto the %u MB chip; ", t->e10_target,
                 t->flash_size >> 20);
    sim_info("%s: %u UF2 blocks (%u bytes) written to %s [%s]; RP2350-E10 workaround block "
             "written too, to 0x%08x (%sthe A2 boot ROM does not know its ignore tag: its 4 KB "
             "sector erased, the page 0xEF; a transfer of its own that never completes)",
             path, t->blocks, t->bytes, ranges, t->family, t->e10_addr, wrap);
}

/* what the boot ROM did with the UF2 blocks that were not plain writes */
static void report_uf2_rules(const char *path, const load_target *t)
{
    if (t->after_reboot)
        sim_warn("%s: %u block(s) from block %u on not written: they belong to another transfer "
                 "(another family or block count) after the one that completed, and the boot ROM "
                 "reboots the board 500 ms after a transfer completes (one transfer per UF2 file)",
                 path, t->after_reboot, t->first_after_reboot);
    if (t->abandoned)
        sim_warn("%s: %u transfer(s) cut off by a change of family or block count before "
                 "complete, the first %s: the boot ROM starts over, keeping what was written (a new "
                 "transfer erases each 4 KB sector again on its first write)",
                 path, t->abandoned, t->abandoned_what);
    if (t->repeated)
        sim_warn("%s: %u repeated block number(s) not written again: the boot ROM writes each "
                 "block number once per transfer", path, t->repeated);
    if (t->wrapped)
        sim_warn("%s: %u block(s) lie beyond the %u MB flash chip and wrap onto it, the first "
                 "0x%08x onto 0x%08x: the boot ROM addresses 16 MB of flash and the chip ignores "
                 "the address bits above its size",
                 path, t->wrapped, t->flash_size >> 20, t->wrap_from, t->wrap_to);
    if (t->erased_lost) {
        char sectors[400];
        list_ranges(t->erased, t->nerased, sectors, sizeof(sectors));
        sim_warn("%s erased %d page(s) an earlier image wrote without rewriting them (the boot "
                 "ROM erases each 4 KB sector a UF2 writes): %s",
                 path, t->erased_lost, sectors);
    }
}

static void report_file(const char *path, load_target *t, int is_uf2)
{
    char ranges[400];
    list_ranges(t->ranges, t->nranges, ranges, sizeof(ranges));
    if (is_uf2 && t->e10_blocks)
        report_e10(path, t, ranges);
    else if (is_uf2)
        sim_info("%s: %u UF2 blocks (%u bytes) written to %s [%s]", path, t->blocks, t->bytes,
                 ranges, t->family);
    else
        sim_info("%s: ELF segments (%u bytes) loaded to %s", path, t->bytes, ranges);
    if (is_uf2) report_uf2_rules(path, t);
    if (t->overlaps)
        sim_warn("%s overwrites %d page(s) an earlier image wrote", path, t->overlaps);
}

int sim_load_images(machine *m, const sim_options *o)
{
    load_target t;
    memset(&t, 0, sizeof(t));
    t.flash = m->flash;
    t.flash_size = m->flash_size;
    t.sram = m->sram;
    t.sram_size = SIM_SRAM_SIZE;
    if (!loader_target_init(&t)) return 0;
    int ok = 1;
    for (int i = 0; i < o->ninputs && ok; i++) {
        size_t len;
        const char *why;
        uint8_t *data = read_file(o->inputs[i], &len, &why);
        if (!data) {
            sim_error("cannot read %s: %s", o->inputs[i], why);
            ok = 0;
            break;
        }
        char err[400];
        loader_begin_file(&t);
        int is_elf = len >= 4 && !memcmp(data, "\x7f" "ELF", 4);
        int is_uf2 = len >= 8 && !memcmp(data, "UF2\n", 4);
        if (is_elf) ok = elf_load(data, len, &t, err, sizeof(err));
        else if (is_uf2) ok = uf2_load(data, len, &t, err, sizeof(err));
        else {
            snprintf(err, sizeof(err), "neither a UF2 nor an ELF file");
            ok = 0;
        }
        if (ok) report_file(o->inputs[i], &t, is_uf2);
        else sim_error("%s: %s", o->inputs[i], err);
        free(data);
    }
    if (ok && !loader_has_flash(&t)) m->ram_image = loader_lowest_sram(&t);
    loader_target_free(&t);
    return ok;
}

/* ---- the run ---- */

static double wall_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

typedef struct {
    machine *m;
    sim_options *o;
    double wall_start;
    int pressed, released, disconnected;
    uint64_t next_stdin_ps;
    uint64_t next_usbip_ps;         /* --usbip: the sockets are serviced every 1 ms */
} run_state;

static void timeout_stop(machine *m, sim_options *o, const char *what)
{
    const char *wait = script_waiting_for(&o->script);
    const char *usb = m->usbip ? usb_hc_status(&m->hc)
                      : o->console_mode == CONSOLE_USB ? usb_host_status(&m->host) : NULL;
    machine_stop(m, STOP_TIMEOUT, SIM_EXIT_TIMEOUT, "timeout: %s%s%s%s%s", what,
                 wait ? "; still waiting for " : "", wait ? wait : "", usb ? "; USB: " : "",
                 usb ? usb : "");
}

/* everything that happens between slices; returns the time of the next event */
static uint64_t events(run_state *r)
{
    machine *m = r->m;
    sim_options *o = r->o;
    uint64_t now = machine_now_ps(m);
    machine_poll_devices(m);
    if (now >= r->next_stdin_ps) {
        console_poll_stdin(m->con);
        r->next_stdin_ps = now + PS_PER_MS;
        if (m->con->quit && m->stop == STOP_NONE)
            machine_stop(m, STOP_DONE, SIM_EXIT_OK, "session ended from the terminal (Ctrl-])");
    }
    if (o->console_mode == CONSOLE_UART)
        while (console_pending(m->con) && uart_rx_offer(&m->uart[0], console_peek(m->con)[0]))
            console_consume(m->con, 1);
    if (m->usbip) {
        if (now >= usb_hc_next_event(&m->hc)) usb_hc_tick(&m->hc);
        if (now >= r->next_usbip_ps) {
            usbip_poll(m->usbip, now);
            r->next_usbip_ps = now + PS_PER_MS;
        }
    } else if (now >= usb_host_next_event(&m->host)) {
        usb_host_tick(&m->host);
    }
    if (o->disconnect_at_ms >= 0 && !r->disconnected && now >= (uint64_t)o->disconnect_at_ms * PS_PER_MS) {
        r->disconnected = 1;
        usb_host_disconnect(&m->host);
    }
    int btn = m->board->button_gpio;
    if (o->press_button_at_ms >= 0 && btn >= 0) {
        uint64_t at = (uint64_t)o->press_button_at_ms * PS_PER_MS;
        if (!r->pressed && now >= at) {
            r->pressed = 1;
            gpio_set_external(&m->gpio, btn, 0);
            sim_info("user switch (GPIO%d) pressed", btn);
        }
        if (r->pressed && !r->released && now >= at + (uint64_t)o->press_button_ms * PS_PER_MS) {
            r->released = 1;
            gpio_set_external(&m->gpio, btn, -1);
            sim_info("user switch (GPIO%d) released", btn);
        }
    }
    if (o->script.count && script_run(m, &o->script) && m->stop == STOP_NONE)
        machine_stop(m, STOP_DONE, SIM_EXIT_OK, "script completed");
    if (o->script.press_button) { /* a --press-button step: press at the next millisecond */
        o->script.press_button = 0;
        o->press_button_at_ms = (int64_t)(now / PS_PER_MS) + 1;
        r->pressed = r->released = 0;
    }
    if (o->timeout_ms >= 0 && now >= (uint64_t)o->timeout_ms * PS_PER_MS && m->stop == STOP_NONE) {
        char what[80];
        snprintf(what, sizeof(what), "%lld ms of modelled time elapsed", (long long)o->timeout_ms);
        timeout_stop(m, o, what);
    }

    /* the next time something is due */
    uint64_t next = m->usbip ? usb_hc_next_event(&m->hc) : usb_host_next_event(&m->host);
    uint64_t cand[6] = {machine_next_device_event(m, now), r->next_stdin_ps, 0, 0, 0,
                        m->usbip ? r->next_usbip_ps : 0};
    if (o->timeout_ms >= 0) cand[2] = (uint64_t)o->timeout_ms * PS_PER_MS;
    if (o->disconnect_at_ms >= 0 && !r->disconnected) cand[3] = (uint64_t)o->disconnect_at_ms * PS_PER_MS;
    if (o->press_button_at_ms >= 0 && !r->released)
        cand[4] = (uint64_t)o->press_button_at_ms * PS_PER_MS + (r->pressed ? (uint64_t)o->press_button_ms * PS_PER_MS : 0);
    for (int i = 0; i < 6; i++)
        if (cand[i] > now && cand[i] < next) next = cand[i];
    if (o->console_mode == CONSOLE_UART && console_pending(m->con) && m->uart[0].rx_next_ps > now &&
        m->uart[0].rx_next_ps < next)
        next = m->uart[0].rx_next_ps;
    return next;
}

static uint64_t budget_for(machine *m, sim_options *o, uint64_t next_ps)
{
    uint64_t now = machine_now_ps(m);
    uint64_t ps = next_ps > now ? next_ps - now : 0;
    uint64_t cycles = ps_to_clk_cycles(ps, m->f_sys) + 1;
    uint64_t max = m->core[1].running ? o->slice_cycles : 1000000;
    if (dma_active(&m->dma) && max > 1000) max = 1000;
    return cycles < max ? cycles : max;
}

/* Core 0 runs first, then core 1 catches up with it. When core 0 goes to
 * sleep (WFE/WFI with nothing pending) it stops there, and core 1 runs on
 * to the slice's end, or until its SEV wakes core 0 (which ends core 1's
 * slice: cpu.c, core_event_line): core 0 wakes when core 1 woke it, not
 * at the end of a slice. A core 1 that goes to sleep sleeps until core
 * 0's time (an event core 0 sent earlier wakes it at that event's time:
 * cpu.c, run_once), reads only the FIFO words core 0 had written by its
 * own time (dev_sio.c), and sees an interrupt line from the cycle it went
 * high (dev_ppb.c), where its turn stops so that it takes the interrupt
 * then. The FIFO, SEV and interrupts between the cores thus arrive when
 * they happened, whatever the slice length; a flag in shared SRAM polled
 * without WFE, and the FIFO's room, are still seen by turns. */
static void run_slice(machine *m, uint64_t budget)
{
    sim_core *c0 = &m->core[0], *c1 = &m->core[1];
    uint64_t end = c0->cycles + budget;
    m->cur_core = 0;
    core_run_slice(c0, budget);
    m->cur_core = -1;
    if (!c1->running || c1->halted_forever || m->stop != STOP_NONE) {
        if (c0->asleep) core_sleep_until(c0, end);
        c1->cycles = c0->cycles;   /* an idle core keeps time with core 0 */
        return;
    }
    uint64_t target = c0->asleep ? end : c0->cycles;
    /* an interrupt raised for core 1 by then stops it when it comes */
    uint64_t irq = ppb_next_line_cycle(&m->ppb, 1, c1->cycles);
    if (irq < target) target = irq;
    if (c1->cycles < target) {
        m->cur_core = 1;
        core_run_slice(c1, target - c1->cycles);
        m->cur_core = -1;
        if (c1->asleep) core_sleep_until(c1, target);
    }
    if (!c0->asleep) return;
    uint64_t wake = c1->cycles < end ? c1->cycles : end;
    if (c0->events && c0->event_at[0] < wake) wake = c0->event_at[0];
    core_sleep_until(c0, wake);
    core_take_events(c0, wake); /* the WFE that slept took the event that woke it */
}

static void dump_registers(machine *m)
{
    for (int i = 0; i < 2; i++) {
        sim_core *c = &m->core[i];
        if (!c->running || !c->insns) continue;
        sim_report("core %d registers: pc=%08x lr=%08x sp=%08x r0=%08x r1=%08x r2=%08x r3=%08x "
                   "r12=%08x", i, core_pc(c), core_reg(c, UC_ARM_REG_LR), core_reg(c, UC_ARM_REG_SP),
                   core_reg(c, UC_ARM_REG_R0), core_reg(c, UC_ARM_REG_R1), core_reg(c, UC_ARM_REG_R2),
                   core_reg(c, UC_ARM_REG_R3), core_reg(c, UC_ARM_REG_R12));
    }
}

static void print_stats(machine *m, double wall)
{
    uint64_t insns = m->core[0].insns + m->core[1].insns;
    double t_ms = (double)machine_now_ps(m) / 1e9;
    fprintf(stderr, "sim: stats: %llu instructions (core 0 %llu, core 1 %llu), %.3f ms modelled, "
            "%.2f s wall, %.1f M instructions/s, clk_sys %.3f MHz, %u boot(s)\n",
            (unsigned long long)insns, (unsigned long long)m->core[0].insns,
            (unsigned long long)m->core[1].insns, t_ms, wall, wall > 0 ? insns / wall / 1e6 : 0.0,
            m->f_sys / 1e6, (unsigned)m->boot_count);
    for (int i = 0; i < 2; i++) {
        sim_core *c = &m->core[i];
        if (!c->insns) continue;
        uint64_t cyc = c->cycles;
        fprintf(stderr, "sim: stats: core %d: %llu cycles, %.3f cycles/instruction, %.1f%% waiting "
                "for XIP/QSPI, %.1f%% idle\n", i, (unsigned long long)cyc,
                (double)cyc / (double)c->insns, cyc ? 100.0 * (double)c->stall_cycles / (double)cyc : 0.0,
                cyc ? 100.0 * (double)c->idle_cycles / (double)cyc : 0.0);
    }
}

int sim_run(machine *m, sim_options *o)
{
    run_state r = {m, o, wall_now(), 0, 0, 0, 0, 0};
    machine_connect_terminals(m);
    if (!machine_reset(m, 1) && m->stop == STOP_NONE) return SIM_EXIT_FAULT;
    uint32_t iter = 0;
    while (m->stop == STOP_NONE) {
        if (m->reboot == REBOOT_DEBUG) {
            sim_info("a debugger resets the cores (warm reset; the peripherals keep running)");
            if (!machine_reset_cores(m)) break;
            continue;
        }
        if (m->reboot != REBOOT_NONE) {
            sim_info("rebooting the board (%s)", m->reboot == REBOOT_WATCHDOG ? "watchdog" : "SYSRESETREQ");
            if (!machine_reset(m, 0)) break;
            continue;
        }
        uint64_t next = events(&r);
        if (m->stop != STOP_NONE) break;
        if ((++iter & 63) == 0 && o->wall_timeout_s > 0 && wall_now() - r.wall_start > o->wall_timeout_s) {
            char what[80];
            snprintf(what, sizeof(what), "%.1f s of real time elapsed", o->wall_timeout_s);
            timeout_stop(m, o, what);
            break;
        }
        run_slice(m, budget_for(m, o, next));
    }
    double wall = wall_now() - r.wall_start;
    uart_flush(&m->uart[0]);
    uart_flush(&m->uart[1]);
    fflush(stdout);
    switch (m->stop) {
    case STOP_FAULT:
        sim_report("%s", m->stop_msg);
        dump_registers(m);
        break;
    case STOP_TIMEOUT:
        sim_report("%s", m->stop_msg);
        console_print_tail(m->con, o->tail_bytes);
        break;
    default: /* the firmware leaving for BOOTSEL is shown even with -q */
        if (m->bootsel) sim_report("sim: %s", m->stop_msg);
        else sim_note("%s", m->stop_msg);
        break;
    }
    if (o->stats) print_stats(m, wall);
    if (o->profile) {
        prof_board_view view = machine_profile_view(m);
        prof_report(&m->prof, &view, o->profile_file ? o->profile_file : stderr);
    }
    return m->exit_code;
}
