/* wiring.c - the board file: every device of the virtual board created,
 * registered on the bus and wired to the others, as a schematic would show
 * it (sim/README.md). Devices never see each other: each knows its
 * registers, the board services (services.h) and its signals (signals.h);
 * the small static functions here are the traces between them, adapting one
 * model's output to another's input. */
#include "machine.h"

#include "log.h"

#include <string.h>

#include "regs/gpio.h"
#include "regs/misc.h"
#include "regs/resets.h"

/* ---- the QSPI chips ---- */

static uint64_t chip_now(void *env) { return machine_now_ps(env); }

static void chip_modified(void *env, uint32_t off, uint32_t len)
{
    machine *m = env;
    xip_flash_modified(&m->xip, off, len);
}

/* ---- what the models may ask of the board (services.h) ---- */

static uint64_t board_now_ps(void *m) { return machine_now_ps(m); }
static uint64_t board_now_cycles(void *m) { return machine_now_cycles(m); }
static uint64_t board_cycles_to_ps(void *m, uint64_t n) { return machine_cycles_to_ps(m, n); }
static uint64_t board_clk_hz(void *m, int clk) { return clocks_freq_hz(&((machine *)m)->clk, clk); }
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

void wire_services(machine *m)
{
    m->svc = (board_services){m, board_now_ps, board_now_cycles, board_cycles_to_ps, board_clk_hz,
                              board_end_slice, board_stop, board_bad_access};
}

/* ---- what the bus reaches (bus.h) ---- */

static int board_xip_bus_read(void *xip, int master, uint32_t addr, int size, uint32_t *v)
{
    return xip_bus_read(xip, master, addr, size, v);
}

static int board_xip_bus_write(void *xip, int master, uint32_t addr, int size, uint32_t v)
{
    return xip_bus_write(xip, master, addr, size, v);
}

static uint32_t board_access_pc(void *m, int core, uint32_t addr, int is_write, int size,
                                int *exact)
{
    return core_access_pc(&((machine *)m)->core[core], addr, is_write, size, exact);
}

/* the bus samples the whole RESET mask */
static uint32_t board_resets_held(void *resets, int n)
{
    (void)n;
    return resets_held_mask(resets);
}

static void wire_bus(machine *m)
{
    sim_bus *bus = &m->bus;
    bus_init(bus);
    bus->rom = (bus_memory){m->rom, SIM_ROM_BASE, SIM_ROM_SIZE};
    bus->sram = (bus_memory){m->sram, SIM_SRAM_BASE, SIM_SRAM_SIZE};
    bus->svc = &m->svc;
    bus->xip = (bus_master_port){&m->xip, board_xip_bus_read, board_xip_bus_write};
    bus->access_pc = (bus_access_pc){m, board_access_pc};
    probe_connect(&bus->held_in_reset, board_resets_held, &m->resets, 0);
}

/* ---- what the cores reach (cpu.h) ---- */

/* ctx: the machine (the XIP cache and the XIP block are both its) */
static uint32_t board_xc_fetch(void *m, int core, uint32_t line, uint64_t now)
{
    return xc_fetch(&((machine *)m)->xc, core, line, now);
}

static uint32_t board_xc_read(void *m, int core, uint32_t addr, int size, uint64_t now)
{
    return xc_read(&((machine *)m)->xc, core, addr, size, now);
}

static int board_xip_prot_write(void *m, int core, uint32_t addr, int size, uint64_t value)
{
    return xip_prot_write(&((machine *)m)->xip, core, addr, size, value);
}

static int board_xip_remap_pending(void *m) { return ((machine *)m)->remap_pending; }
static void board_xip_remap(void *m) { machine_remap_xip(m); }

static int board_xip_window_mapped(void *m, int core, uint32_t addr)
{
    return xip_window_mapped(&((machine *)m)->xip, core, addr);
}

static int board_xip_map_fixed(void *m, int core) { return xip_map_fixed(&((machine *)m)->xip, core); }

static const char *board_xip_describe_fault(void *mv, uint32_t addr)
{
    machine *m = mv;
    return xip_describe_fault(&m->xip, m->cur_core >= 0 ? m->cur_core : 0, addr);
}

static void board_rom_native(void *m, sim_core *c, uint32_t addr)
{
    bootrom_stub(&((machine *)m)->bootrom, c->id, addr);
}

/* the cores' NVICs are the PPB model's */
static int nvic_waiting(void *ppb, int core) { return ppb_exception_waiting(ppb, core); }

static int nvic_to_take(void *ppb, int core, uint32_t primask, uint32_t basepri, uint32_t faultmask)
{
    return ppb_exception_to_take(ppb, core, primask, basepri, faultmask);
}

static void nvic_entered(void *ppb, int core, int exc) { ppb_exception_entered(ppb, core, exc); }
static void nvic_returned(void *ppb, int core, int exc) { ppb_exception_returned(ppb, core, exc); }
static int nvic_raise(void *ppb, int core, int exc) { return ppb_exception_raise(ppb, core, exc); }

static int nvic_can_preempt(void *ppb, int core, int exc, uint32_t primask, uint32_t basepri,
                            uint32_t faultmask)
{
    return ppb_exception_can_preempt(ppb, core, exc, primask, basepri, faultmask);
}

static void nvic_unpend(void *ppb, int core, int exc) { ppb_exception_unpend(ppb, core, exc); }

static void nvic_fault_status(void *ppb, int core, uint32_t cfsr, int forced, uint32_t bfar)
{
    ppb_fault_status(ppb, core, cfsr, forced, bfar);
}

/* A core locked up: as on silicon the other core runs on if it was
 * running; when none is left the run ends with the fault's report. */
static void core_locked_up(void *mv, int core, uint32_t v)
{
    (void)v;
    machine *m = mv;
    const sim_core *other = &m->core[1 - core];
    if (m->wd.running)   /* silicon waits for the watchdog's reboot */
        sim_warn("core %d locked up: %s; the armed watchdog will reboot the board", core,
                 m->core[core].fault_report);
    else if (other->running && !other->halted_forever)
        sim_warn("core %d locked up: %s; core %d runs on", core, m->core[core].fault_report,
                 1 - core);
    else
        machine_stop(m, STOP_FAULT, SIM_EXIT_FAULT, "%s", m->core[core].fault_report);
}

/* both cores on the board's bus, each one's SEV into the other's event input */
static int wire_cores(machine *m, int precise_pc, int strict_access)
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
        .nvic = {&m->ppb, NULL, nvic_waiting, nvic_to_take, nvic_entered, nvic_returned, nvic_raise,
                 nvic_can_preempt, nvic_unpend, nvic_fault_status},
        .rom = {m, BOOTROM_STUBS_START, BOOTROM_STUBS_END, board_rom_native},
    };
    for (int i = 0; i < 2; i++) {
        env.ppb.cpacr = &m->ppb.c[i].cpacr;
        env.ppb.fpccr = &m->ppb.c[i].fpccr;
        env.ppb.fpcar = &m->ppb.c[i].fpcar;
        env.nvic.vtor = &m->ppb.c[i].vtor;
        if (!core_init(&m->core[i], i, &env) || !core_map_fixed(&m->core[i])) return 0;
        if (precise_pc) core_set_precise(&m->core[i], 1);
        m->core[i].strict_access = strict_access;
    }
    for (int i = 0; i < 2; i++) {
        signal_connect(&m->core[i].sev, core_event_line, &m->core[1 - i], 0);
        signal_connect(&m->core[i].locked_up, core_locked_up, m, i);
    }
    return 1;
}

/* ---- the board file: every device created, registered and wired ---- */

/* clk_sys changed: modelled time re-anchors */
static void clk_sys_changed(void *m, int n, uint32_t hz)
{
    (void)n;
    machine_set_fsys(m, hz);
}

/* clk_sys switched to a stopped source: the chip would stop */
static void clk_sys_lost(void *ctx, int n, uint32_t unused)
{
    (void)n, (void)unused;
    machine *m = ctx;
    if (m->stop != STOP_NONE) return;
    machine_fault(m, m->cur_core >= 0 ? m->cur_core : 0, 0, 0, "clock fault",
                  "clk_sys now comes from %s, which is not running: the chip would stop",
                  m->clk.c.lost_src);
}

static void wire_clocks(machine *m)
{
    clocks_dev *k = &m->clk;
    clocks_init(k, m->board->xosc_hz, &m->svc);
    probe_connect(&k->pll_held[0], resets_line, &m->resets, RST_PLL_SYS);
    probe_connect(&k->pll_held[1], resets_line, &m->resets, RST_PLL_USB);
    signal_connect(&k->sys_hz, clk_sys_changed, m, 0);
    signal_connect(&k->changed, ticks_clock_changed, &m->ticks, 0);
    signal_connect(&k->sys_lost, clk_sys_lost, m, 0);
    bus_add_device(&m->bus, &k->dev_clocks);
    bus_add_device(&m->bus, &k->dev_xosc);
    bus_add_device(&m->bus, &k->dev_pll[0]);
    bus_add_device(&m->bus, &k->dev_pll[1]);
}

/* a block put into reset: the registers the bus keeps for it (the stubbed
 * ones) go back to their reset values */
static void reset_bus_kept_registers(void *ctx, int n, uint32_t bit)
{
    (void)n;
    machine *m = ctx;
    for (int i = 0; i < m->bus.count; i++)
        if (m->bus.dev[i]->reset_bit == (int)bit) device_stored_reset(m->bus.dev[i]);
}

/* block `bit` is held in reset by RESETS (bit < 0: no reset line) */
static int resets_held(machine *m, int bit) { return bit >= 0 && resets_line(&m->resets, bit); }

/* PSM FRCE_OFF: core 1 stops (1), or goes back to the ROM wait loop (0) */
static void psm_proc1_off(void *ctx, int n, uint32_t off)
{
    (void)n;
    machine *m = ctx;
    if (off) {
        m->core[1].running = 0;
        bootrom_core1_off(&m->bootrom);
    } else {
        machine_reset_core1(m);
    }
}

/* the first reboot request wins */
static uint32_t reboot_pending(void *m, int n)
{
    (void)n;
    return ((machine *)m)->reboot != REBOOT_NONE;
}

static void watchdog_reboot(void *ctx, int n, uint32_t reason)
{
    (void)n, (void)reason;
    machine *m = ctx;
    m->reboot = REBOOT_WATCHDOG;
    machine_kick(m);
}

static void wire_misc(machine *m)
{
    resets_init(&m->resets, &m->svc);
    signal_connect(&m->resets.block_reset, reset_bus_kept_registers, m, 0);
    psm_init(&m->psm, &m->svc);
    signal_connect(&m->psm.proc1_off, psm_proc1_off, m, 0);
    watchdog_init(&m->wd);
    m->wd.tick = ticks_output(&m->ticks, TICK_WATCHDOG);
    probe_connect(&m->wd.reboot_pending, reboot_pending, m, 0);
    signal_connect(&m->wd.reboot, watchdog_reboot, m, 0);
    powman_init(&m->powman, &m->svc);
    sysinfo_init(&m->sysinfo, m->board->rp2350b);
    syscfg_init(&m->syscfg);
    bootram_init(&m->bootram);
    otp_data_init(&m->otp_data, m->board->chip_id);
    bus_add_device(&m->bus, &m->resets.dev);
    bus_add_device(&m->bus, &m->psm.dev);
    bus_add_device(&m->bus, &m->wd.dev);
    bus_add_device(&m->bus, &m->powman.dev);
    bus_add_device(&m->bus, &m->sysinfo.dev);
    bus_add_device(&m->bus, &m->syscfg.dev);
    bus_add_device(&m->bus, &m->bootram.dev);
    bus_add_device(&m->bus, &m->otp_data.dev);
}

/* everything wire_misc created to its reset state (power_on: also what
 * survives a watchdog reset: watchdog scratch, POWMAN, BOOTRAM) */
static void reset_misc(machine *m, int power_on)
{
    resets_reset(&m->resets);
    psm_reset(&m->psm);
    watchdog_reset(&m->wd, power_on);
    if (power_on) powman_power_on(&m->powman);
    plain_reset(&m->syscfg);
    bootram_reset(&m->bootram, power_on);
    stubs_reset(&m->stubs);
}

static void wire_timers(machine *m)
{
    ticks_init(&m->ticks, &m->svc);
    bus_add_device(&m->bus, &m->ticks.dev);
    for (int i = 0; i < 2; i++) {
        timer_dev *t = &m->timer[i];
        timer_init(t, i, &m->svc);
        t->tick = ticks_output(&m->ticks, i ? TICK_TIMER1 : TICK_TIMER0);
        bus_add_device(&m->bus, &t->dev);
        signal_connect(&m->resets.reset_out[i ? RST_TIMER1 : RST_TIMER0], timer_reset_line, t, 0);
    }
}

static void sysresetreq(void *ctx, int n, uint32_t unused)
{
    (void)n, (void)unused;
    machine *m = ctx;
    m->reboot = REBOOT_SYSRESETREQ;
    machine_kick(m);
}

/* a newly pending exception ends the running slice: the core takes it at
 * its next run (cpu_exception.c) */
static void exception_pending(void *m, int core, uint32_t v)
{
    (void)core, (void)v;
    machine_kick(m);
}

static void wire_ppb(machine *m)
{
    ppb_init(&m->ppb, &m->svc);
    m->ppb.systick[0] = ticks_output(&m->ticks, TICK_PROC0);
    m->ppb.systick[1] = ticks_output(&m->ticks, TICK_PROC1);
    signal_connect(&m->ppb.sysresetreq, sysresetreq, m, 0);
    for (int core = 0; core < 2; core++)
        signal_connect(&m->ppb.exception_pending[core], exception_pending, m, core);
    bus_add_device(&m->bus, &m->ppb.dev);
    bus_add_device(&m->bus, &m->ppb.dev_eppb);
}

/* ---- interrupt lines: each device's IRQ output into the cores' NVICs ---- */

/* IRQ numbers: rp2350-facts.md 13 (SDK intctrl.h) */
enum {
    IRQ_TIMER0_0 = 0, IRQ_TIMER1_0 = 4, IRQ_DMA_0 = 10, IRQ_USBCTRL = 14, IRQ_IO_BANK0 = 21,
    IRQ_SIO_FIFO = 25,
    IRQ_SIO_BELL = 26, IRQ_UART0 = 33, IRQ_UART1 = 34,
};

/* a shared peripheral's line reaches the same IRQ of both cores */
static void irq_to_both_cores(void *ppb, int irq, uint32_t level)
{
    ppb_irq_line(ppb, irq, level);
    ppb_irq_line(ppb, 64 + irq, level);
}

static void wire_interrupts(machine *m)
{
    for (int k = 0; k < 4; k++) {
        signal_connect(&m->timer[0].irq[k], irq_to_both_cores, &m->ppb, IRQ_TIMER0_0 + k);
        signal_connect(&m->timer[1].irq[k], irq_to_both_cores, &m->ppb, IRQ_TIMER1_0 + k);
        signal_connect(&m->dma.irq[k], irq_to_both_cores, &m->ppb, IRQ_DMA_0 + k);
    }
    signal_connect(&m->usb.irq, irq_to_both_cores, &m->ppb, IRQ_USBCTRL);
    signal_connect(&m->uart[0].irq, irq_to_both_cores, &m->ppb, IRQ_UART0);
    signal_connect(&m->uart[1].irq, irq_to_both_cores, &m->ppb, IRQ_UART1);
    /* SIO's FIFO and doorbell lines, and IO_BANK0's (PROC0/PROC1 INTS), are
     * per core: each core sees its own */
    for (int core = 0; core < 2; core++) {
        signal_connect(&m->gpio.irq[core], ppb_irq_line, &m->ppb, core * 64 + IRQ_IO_BANK0);
        signal_connect(&m->sio.irq_fifo[core], ppb_irq_line, &m->ppb, core * 64 + IRQ_SIO_FIFO);
        signal_connect(&m->sio.irq_bell[core], ppb_irq_line, &m->ppb, core * 64 + IRQ_SIO_BELL);
    }
}

/* generic registers for every real block no model registered (the regtable
 * knows them): reset values, kept as written, warned once */
static void wire_stubs(machine *m)
{
    static const struct {
        const char *name;
        int reset_bit;
        int aliases;
    } stub_blocks[] = {
        {"ACCESSCTRL", -1, 1}, {"BUSCTRL", RST_BUSCTRL, 1}, {"SPI0", RST_SPI0, 1},
        {"SPI1", RST_SPI1, 1}, {"I2C0", RST_I2C0, 1},       {"I2C1", RST_I2C1, 1},
        {"ADC", RST_ADC, 1},   {"PWM", RST_PWM, 1},         {"HSTX_CTRL", RST_HSTX, 1},
        {"ROSC", -1, 1},       {"TRNG", RST_TRNG, 1},       {"SHA256", RST_SHA256, 1},
        {"OTP", -1, 1},        {"GLITCH_DETECTOR", -1, 1},  {"TBMAN", RST_TBMAN, 1},
        {"PIO0", RST_PIO0, 1}, {"PIO1", RST_PIO1, 1},       {"PIO2", RST_PIO2, 1},
        {"HSTX_FIFO", RST_HSTX, 1}, {"CORESIGHT_TRACE", -1, 1},
    };
    stub_dev *s = &m->stubs;
    for (size_t i = 0; i < sizeof(stub_blocks) / sizeof(stub_blocks[0]) && s->count < STUB_MAX; i++) {
        const sim_blockdef *blk = NULL;
        for (int k = 0; k < sim_block_count; k++)
            if (!strcmp(sim_blocks[k].name, stub_blocks[i].name)) blk = &sim_blocks[k];
        if (!blk || bus_find_device(&m->bus, blk->base)) continue;
        sim_device *d = &s->dev[s->count++];
        stub_init(d, blk->name, blk->base, stub_blocks[i].aliases, stub_blocks[i].reset_bit);
        bus_add_device(&m->bus, d);
    }
}

static void wire_uarts(machine *m)
{
    for (int i = 0; i < 2; i++) {
        uart_dev *u = &m->uart[i];
        uart_init(u, i, &m->svc);
        u->pins = gpio_pin_mux(&m->gpio);   /* the terminal: machine_connect_terminals */
        bus_add_device(&m->bus, &u->dev);
        signal_connect(&m->resets.reset_out[i ? RST_UART1 : RST_UART0], uart_reset_line, u, 0);
    }
}

/* GPIO glue: QMI's chip select 1 drives the XIP_CS1 function's pins; a
 * FUNCSEL or pad change may re-route CS1 or change the SCLK pad the QMI
 * judges its clock against, so the XIP windows are mapped again */
static uint32_t qmi_cs1_selected(void *m, int n) { (void)n; return ((machine *)m)->qmi.selected[1] != 0; }

static void gpio_routing_changed(void *m, int n, uint32_t v)
{
    (void)n, (void)v;
    xip_request_remap(&((machine *)m)->xip);
}

static void wire_gpio(machine *m)
{
    gpio_dev *g = &m->gpio;
    gpio_init(g, m->board->gpio_count, m->board->rp2350b ? "RP2350B" : "RP2350A");
    probe_connect(&g->cs1_selected, qmi_cs1_selected, m, 0);
    signal_connect(&g->routing_changed, gpio_routing_changed, m, 0);
    bus_add_device(&m->bus, &g->dev_io);
    bus_add_device(&m->bus, &g->dev_pads);
    bus_add_device(&m->bus, &g->dev_ioqspi);
    bus_add_device(&m->bus, &g->dev_padsqspi);
    signal_connect(&m->resets.reset_out[RST_IO_BANK0], gpio_reset_line, g, GPIO_RESET_IO_BANK0);
    signal_connect(&m->resets.reset_out[RST_PADS_BANK0], gpio_reset_line, g, GPIO_RESET_PADS_BANK0);
}

/* SIO glue: core 1's wait loop in the boot ROM is modelled outside the
 * cores (bootrom.c), so the ROM takes its turn when core 0 moves a word */
static uint32_t core1_in_rom(void *m, int n) { (void)n; return ((machine *)m)->bootrom.c1.active != 0; }

static void core1_rom_kick(void *m, int n, uint32_t v)
{
    (void)n, (void)v;
    bootrom_core1_poll(&((machine *)m)->bootrom);
}

static void wire_sio(machine *m)
{
    sio_dev *s = &m->sio;
    sio_init(s, &m->svc);
    for (int i = 0; i < 2; i++) probe_connect(&s->gpio_in[i], gpio_in_word, &m->gpio, i);
    for (int i = 0; i < 4; i++) signal_connect(&s->gpio_word[i], gpio_sio_output, &m->gpio, i);
    probe_connect(&s->core1_in_rom, core1_in_rom, m, 0);
    signal_connect(&s->core1_rom_kick, core1_rom_kick, m, 0);
    bus_add_device(&m->bus, &s->dev);
}

/* DMA glue: the bus it masters, and what an XIP access costs it (the XIP
 * cache and QSPI bus timeline, xip_cache.c) and the stream FIFO (dev_xip.c) */
static int dma_bus_read(void *bus, int master, uint32_t addr, int size, uint32_t *v)
{
    return bus_master_read(bus, master, addr, size, v);
}

static int dma_bus_write(void *bus, int master, uint32_t addr, int size, uint32_t v)
{
    return bus_master_write(bus, master, addr, size, v);
}

static uint32_t dma_xip_access(void *m, uint32_t addr, int size, int is_write, uint64_t t)
{
    if (!xip_in_space(addr)) return 0;
    xip_cache *xc = &((machine *)m)->xc;
    return is_write ? xc_write(xc, BUS_MASTER_DMA, addr, size, t) : xc_read(xc, BUS_MASTER_DMA, addr, size, t);
}

static int dma_stream_ready(void *m, uint64_t t) { return xip_stream_ready(&((machine *)m)->xip, t); }
static uint64_t dma_stream_due(void *m) { return xip_stream_due(&((machine *)m)->xip); }

static void wire_dma(machine *m)
{
    dma_dev *d = &m->dma;
    dma_init(d, &m->svc);
    d->bus = (bus_master_port){&m->bus, dma_bus_read, dma_bus_write};
    d->xip = (dma_xip_port){m, dma_xip_access, dma_stream_ready, dma_stream_due};
    d->sram_base = SIM_SRAM_BASE;
    d->sram_size = SIM_SRAM_SIZE;
    for (int i = 0; i < 2; i++) {
        probe_connect(&d->dreq[i ? DREQ_UART1_TX : DREQ_UART0_TX], uart_dreq, &m->uart[i], UART_DREQ_TX);
        probe_connect(&d->dreq[i ? DREQ_UART1_RX : DREQ_UART0_RX], uart_dreq, &m->uart[i], UART_DREQ_RX);
    }
    bus_add_device(&m->bus, &d->dev);
    signal_connect(&m->resets.reset_out[RST_DMA], dma_reset_line, d, 0);
}

/* USB glue: the controller does not show itself on the bus while RESETS
 * holds it; the host on the cable stops when the run stops */
static uint32_t usbctrl_in_reset(void *m, int n) { (void)n; return resets_held(m, RST_USBCTRL); }
static uint32_t run_stopped(void *m, int n) { (void)n; return ((machine *)m)->stop != STOP_NONE; }

static void wire_usb(machine *m)
{
    usb_dev *u = &m->usb;
    usb_init(u, &m->svc);
    probe_connect(&u->in_reset, usbctrl_in_reset, m, 0);
    bus_add_device(&m->bus, &u->dev_regs);
    bus_add_device(&m->bus, &u->dev_dpram);
    signal_connect(&m->resets.reset_out[RST_USBCTRL], usb_reset_line, u, 0);
}

/* the host at the far end of the USB cable (its terminal:
 * machine_connect_terminals); with --usbip the host controller a USB/IP
 * importer drives is there instead (sim.c ticks one or the other) */
static void wire_usb_host(machine *m)
{
    usb_host_init(&m->host, &m->svc, usb_dev_cable(&m->usb));
    probe_connect(&m->host.stopped, run_stopped, m, 0);
    usb_hc_init(&m->hc, &m->svc, usb_dev_cable(&m->usb));
}


/* ---- QMI: its chips, the CS1 pin and the QSPI pads ---- */

/* the fast-path checks play a transfer on a copy of the chip (qmi_chip_port) */
static qspi_chip *flash_scratch(void *mv)
{
    machine *m = mv;
    m->flash_scratch = m->flashchip;
    m->flash_scratch.chip.ctx = &m->flash_scratch;
    m->flash_scratch.modified = NULL;
    return &m->flash_scratch.chip;
}

static int flash_scratch_same_mode(void *mv)
{
    machine *m = mv;
    return m->flash_scratch.continuous == m->flashchip.continuous &&
           m->flash_scratch.powered_down == m->flashchip.powered_down;
}

static qspi_chip *psram_scratch(void *mv)
{
    machine *m = mv;
    m->psram_scratch = m->psramchip;
    m->psram_scratch.chip.ctx = &m->psram_scratch;
    return &m->psram_scratch.chip;
}

static int psram_scratch_same_mode(void *mv)
{
    machine *m = mv;
    return m->psram_scratch.qpi == m->psramchip.qpi;
}

static int cs1_routed(void *mv)
{
    machine *m = mv;
    int pin = m->board->psram_cs_gpio;
    return pin >= 0 && gpio_funcsel(&m->gpio, pin) == GPIO_FUNC_XIP_CS1 &&
           gpio_pad_passes_output(&m->gpio, pin);
}

static const char *cs1_problem(void *mv)
{
    machine *m = mv;
    return gpio_pin_problem(&m->gpio, m->board->psram_cs_gpio, GPIO_FUNC_XIP_CS1, 1);
}

static uint32_t qspi_pad(void *gpio, int offset) { return gpio_qspi_pad_reg(gpio, (uint32_t)offset); }

static void wire_qmi(machine *m)
{
    qmi_dev *q = &m->qmi;
    qmi_init(q, &m->svc);
    q->chip[0] = (qmi_chip_port){&m->flashchip.chip, m->flash, m->flash_size, m, flash_scratch,
                                 flash_scratch_same_mode};
    if (m->psram)
        q->chip[1] = (qmi_chip_port){&m->psramchip.chip, m->psram, m->psram_size, m,
                                     psram_scratch, psram_scratch_same_mode};
    q->cs1_pin = (qmi_cs1_pin){m, cs1_routed, cs1_problem};
    probe_connect(&q->pad_sclk, qspi_pad, &m->gpio, PADS_QSPI_SCLK);
    for (int i = 0; i < 4; i++)
        probe_connect(&q->pad_sd[i], qspi_pad, &m->gpio, PADS_QSPI_SD0 + 4 * i);
    signal_connect(&q->windows_changed, xip_windows_changed, &m->xip, 0);
    bus_add_device(&m->bus, &q->dev);
}

/* ---- XIP: the windows in the cores' engines ---- */

static uint64_t xip_mmio_read(uc_engine *uc, uint64_t offset, unsigned size, void *user)
{
    (void)uc;
    xip_mmio *io = user;
    return io->read(io->xip, io->core, io->base + (uint32_t)offset, size);
}

static void xip_mmio_write(uc_engine *uc, uint64_t offset, unsigned size, uint64_t value,
                           void *user)
{
    (void)uc;
    xip_mmio *io = user;
    io->write(io->xip, io->core, io->base + (uint32_t)offset, size, value);
}

static int xip_map_memory(void *mv, int core, uint32_t base, uint32_t size, uint8_t *mem,
                          const char **err)
{
    machine *m = mv;
    uc_err e = uc_mem_map_ptr(m->core[core].uc, base, size, UC_PROT_READ | UC_PROT_EXEC, mem);
    core_memory_changed();
    if (e != UC_ERR_OK) *err = uc_strerror(e);
    return e == UC_ERR_OK;
}

static int xip_map_mmio(void *mv, int core, uint32_t base, uint32_t size, xip_mmio *io,
                        const char **err)
{
    machine *m = mv;
    uc_err e = uc_mmio_map(m->core[core].uc, base, size, xip_mmio_read, io, xip_mmio_write, io);
    core_memory_changed();
    if (e != UC_ERR_OK) *err = uc_strerror(e);
    return e == UC_ERR_OK;
}

static void xip_unmap(void *mv, int core, uint32_t base, uint32_t size)
{
    machine *m = mv;
    uc_mem_unmap(m->core[core].uc, base, size);
    core_memory_changed();
}

static void xip_flush_code(void *mv, int core, uint32_t addr, uint32_t len)
{
    machine *m = mv;
    core_flush_code(&m->core[core], addr, len);
}

static void xip_flush_timing(void *mv)
{
    machine *m = mv;
    timing_cache_flush(&m->tcache);
}

static uint64_t xip_core_now(void *mv, int core)
{
    machine *m = mv;
    return m->core[core].cycles + m->core[core].slice_used;
}

static void xip_core_stall(void *mv, int core, uint32_t cycles)
{
    machine *m = mv;
    core_stall(&m->core[core], cycles);
}

static uint64_t xip_dma_now(void *mv)
{
    machine *m = mv;
    return m->dma.now;
}

static void xip_remap_requested(void *mv)
{
    machine *m = mv;
    m->remap_pending = 1;
    machine_kick(m);
}

static const char *xip_describe(void *m, uint32_t addr, char *buf, size_t len)
{
    return bus_describe_addr(&((machine *)m)->bus, addr, buf, len);
}

static void wire_xip(machine *m)
{
    xip_dev *x = &m->xip;
    xip_init(x, &m->svc);
    x->qmi = qmi_xip_port(&m->qmi);
    x->board = (xip_board_port){m, xip_map_memory, xip_map_mmio, xip_unmap, xip_flush_code,
                                xip_flush_timing, xip_core_now, xip_core_stall, xip_dma_now,
                                xip_remap_requested, xip_describe};
    x->xc = &m->xc;
    x->mem[0] = m->flash;
    x->mem_size[0] = m->flash_size;
    x->mem[1] = m->psram;
    x->mem_size[1] = m->psram_size;
    xc_init(&m->xc, qmi_xip_port(&m->qmi), &x->ctrl);
    bus_add_device(&m->bus, &x->dev_ctrl);
    bus_add_device(&m->bus, &x->dev_aux);
}

/* ---- the boot ROM: the chip as it acts on it (bootrom_chip) ---- */

static int rom_read32(void *m, uint32_t addr, uint32_t *v)
{
    return bus_master_read(&((machine *)m)->bus, BUS_MASTER_SIM, addr, 4, v);
}

static int rom_write32(void *m, uint32_t addr, uint32_t v)
{
    return bus_master_write(&((machine *)m)->bus, BUS_MASTER_SIM, addr, 4, v);
}

static const uint8_t *rom_memory(void *mv, uint32_t addr, uint32_t *len)
{
    machine *m = mv;
    if (addr >= SIM_SRAM_BASE && addr - SIM_SRAM_BASE < SIM_SRAM_SIZE) {
        *len = SIM_SRAM_SIZE - (addr - SIM_SRAM_BASE);
        return m->sram + (addr - SIM_SRAM_BASE);
    }
    if (addr >= SIM_XIP_BASE && addr - SIM_XIP_BASE < m->flash_size) {
        *len = m->flash_size - (addr - SIM_XIP_BASE);
        return m->flash + (addr - SIM_XIP_BASE);
    }
    *len = 0;
    return NULL;
}

/* the loaded SRAM image boots at power-on only */
static uint32_t rom_ram_image(void *mv)
{
    machine *m = mv;
    return m->ram_image && m->boot_count == 1 ? m->ram_image : 0;
}

static const int boot_reg_uc[] = {UC_ARM_REG_R0, UC_ARM_REG_R1, UC_ARM_REG_R2, UC_ARM_REG_R3,
                                  UC_ARM_REG_SP, UC_ARM_REG_LR, UC_ARM_REG_PC};

static uint32_t rom_reg(void *mv, int core, int reg)
{
    machine *m = mv;
    return core_reg(&m->core[core], boot_reg_uc[reg]);
}

static void rom_set_reg(void *mv, int core, int reg, uint32_t v)
{
    machine *m = mv;
    core_set_reg(&m->core[core], boot_reg_uc[reg], v);
}

static uint32_t rom_vtor(void *mv, int core)
{
    machine *m = mv;
    return m->ppb.c[core].vtor;
}

static void rom_set_vtor(void *mv, int core, uint32_t v)
{
    machine *m = mv;
    m->ppb.c[core].vtor = v;
}

static void rom_start_core0(void *mv)
{
    machine *m = mv;
    m->core[0].running = 1;
}

static void rom_launch_core1(void *m, uint32_t vtor, uint32_t sp, uint32_t entry)
{
    machine_launch_core1(m, vtor, sp, entry);
}

static int rom_halt_forever(void *mv, int core)
{
    machine *m = mv;
    if (m->core[core].halted_forever) return 0;
    m->core[core].halted_forever = 1;
    return 1;
}

static void rom_send_event(void *mv, int core)
{
    machine *m = mv;
    core_event_line(&m->core[core], 0, 1);
}

static int rom_fifo_push(void *m, int to_core, uint32_t v)
{
    return sio_fifo_push(&((machine *)m)->sio, to_core, v);
}

static int rom_fifo_pop(void *m, int core, uint32_t *v) { return sio_fifo_pop(&((machine *)m)->sio, core, v); }
static int rom_reset_held(void *m, int block) { return resets_held(m, block); }

static uint32_t rom_scratch(void *mv, int i)
{
    machine *m = mv;
    return m->wd.scratch[i];
}

static void rom_set_scratch(void *mv, int i, uint32_t v)
{
    machine *m = mv;
    m->wd.scratch[i] = v;
}

static uint32_t rom_powman_boot(void *mv, int i)
{
    machine *m = mv;
    return m->powman.regs[POWMAN_BOOT0 / 4 + i];
}

static void rom_set_powman_boot(void *mv, int i, uint32_t v)
{
    machine *m = mv;
    m->powman.regs[POWMAN_BOOT0 / 4 + i] = v;
}

static void rom_flash_exit_xip(void *mv)
{
    machine *m = mv;
    qspi_flash_exit_xip(&m->flashchip);
}

static void rom_qmi_boot_state(void *mv)
{
    machine *m = mv;
    qmi_boot_state(&m->qmi);
}

/* a serial transaction on the flash, driven on the QSPI lanes as the QMI's
 * direct mode would (SPI: out on SD0, in on SD1, the other lanes pulled up) */
static void rom_flash_xfer(void *mv, const uint8_t *tx, uint32_t ntx, uint8_t *rx, uint32_t nrx)
{
    machine *m = mv;
    qspi_chip *c = &m->flashchip.chip;
    c->select(c);
    for (uint32_t i = 0; i < ntx; i++) qspi_shift(c, 1, 8, tx[i], 1, 0xF);
    for (uint32_t i = 0; i < nrx; i++) {
        uint32_t v = qspi_shift(c, 1, 8, 0, 0, 0xF);
        if (rx) rx[i] = (uint8_t)v;
    }
    c->deselect(c);
}

static int rom_core_write(void *m, int core, uint32_t addr, int size, uint32_t v)
{
    return bus_master_write(&((machine *)m)->bus, core, addr, size, v);
}

static void rom_stall(void *mv, int core, uint32_t cycles)
{
    machine *m = mv;
    core_stall(&m->core[core], cycles);
}

static int rom_running(void *mv)
{
    machine *m = mv;
    return m->stop == STOP_NONE;
}

static void rom_enter_bootsel(void *mv)
{
    machine *m = mv;
    m->bootsel = 1;
}

static void wire_bootrom(machine *m)
{
    bootrom_dev *r = &m->bootrom;
    bootrom_init(r, &m->svc);
    r->chip = (bootrom_chip){
        .ctx = m, .read32 = rom_read32, .write32 = rom_write32, .memory = rom_memory,
        .ram_image = rom_ram_image, .reg = rom_reg, .set_reg = rom_set_reg, .vtor = rom_vtor,
        .set_vtor = rom_set_vtor, .start_core0 = rom_start_core0,
        .launch_core1 = rom_launch_core1, .halt_forever = rom_halt_forever,
        .send_event = rom_send_event, .fifo_push = rom_fifo_push, .fifo_pop = rom_fifo_pop,
        .reset_held = rom_reset_held, .scratch = rom_scratch, .set_scratch = rom_set_scratch,
        .powman_boot = rom_powman_boot, .set_powman_boot = rom_set_powman_boot,
        .flash_exit_xip = rom_flash_exit_xip, .flash_xfer = rom_flash_xfer,
        .core_write = rom_core_write, .stall = rom_stall, .qmi_boot_state = rom_qmi_boot_state,
        .running = rom_running, .enter_bootsel = rom_enter_bootsel};
    r->wd_tick = ticks_output(&m->ticks, TICK_WATCHDOG);
}

/* ---- the whole board ---- */

int wire_board(machine *m, const machine_config *cfg)
{
    const board_desc *b = m->board;
    qspi_flash_init(&m->flashchip, m->flash, b->flash_size, b->flash_jedec);
    m->flashchip.env = m;
    m->flashchip.now_ps = chip_now;
    m->flashchip.modified = chip_modified;
    if (m->psram)
        qspi_psram_init(&m->psramchip, m->psram, m->psram_size,
                        cfg->has_psram_eid ? cfg->psram_eid : PSRAM_EID_DEFAULT);

    wire_bus(m);
    wire_clocks(m);
    wire_misc(m);
    wire_timers(m);
    wire_uarts(m);
    wire_gpio(m);
    wire_sio(m);
    wire_qmi(m);
    wire_xip(m);
    wire_dma(m);
    wire_usb(m);
    wire_ppb(m);
    wire_stubs(m);
    wire_usb_host(m);
    wire_bootrom(m);
    wire_interrupts(m);

    return wire_cores(m, cfg->precise_pc, cfg->strict_access);
}

/* every peripheral to its reset state (power_on: also what survives a
 * watchdog reset: watchdog scratch, POWMAN) */
void reset_board_devices(machine *m, int power_on)
{
    reset_misc(m, power_on);
    clocks_reset(&m->clk);
    ticks_reset(&m->ticks);
    timer_reset(&m->timer[0]);
    timer_reset(&m->timer[1]);
    uart_reset(&m->uart[0]);
    uart_reset(&m->uart[1]);
    gpio_reset_bank0(&m->gpio);
    gpio_reset_pads(&m->gpio);
    gpio_reset_qspi(&m->gpio);
    sio_reset(&m->sio);
    qmi_reset(&m->qmi);
    xip_reset(&m->xip);
    xc_reset(&m->xc);
    dma_reset(&m->dma);
    usb_reset(&m->usb);
    ppb_reset_core(&m->ppb, 0);
    ppb_reset_core(&m->ppb, 1);
}

