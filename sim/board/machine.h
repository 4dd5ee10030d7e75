/* machine.h - one virtual RP2350 board: its memories, its two cores, its
 * peripheral models, its modelled time, and how a run ends.
 *
 * Modelled time: a global count of clk_sys cycles (advanced slice by slice)
 * converted to picoseconds through the clk_sys frequency, re-anchored each
 * time clk_sys changes. Every timed behaviour (TICKS/TIMER, SysTick, DWT
 * CYCCNT, UART baud, USB frames, the --*-ms options) reads this clock.
 */
#ifndef SIM_MACHINE_H
#define SIM_MACHINE_H

#include <stdint.h>

#include "services.h"
#include "signals.h"
#include "terminal.h"
#include "board.h"
#include "bootrom.h"
#include "bus.h"
#include "cpu.h"
#include "profile.h"
#include "timing.h"
#include "xip_cache.h"

#include "dev_clocks.h"
#include "dev_dma.h"
#include "dev_gpio.h"
#include "dev_misc.h"
#include "dev_ppb.h"
#include "dev_qmi.h"
#include "dev_sio.h"
#include "dev_timer.h"
#include "dev_uart.h"
#include "dev_usb.h"
#include "dev_xip.h"
#include "qspi_flash.h"
#include "qspi_psram.h"
#include "usb_hc.h"
#include "usb_host.h"

typedef struct console console;
typedef struct usbip_server usbip_server;

/* what the command line may change about the board */
typedef struct {
    uint32_t psram_mb;       /* PSRAM size; 0 = the board's (--psram-mb) */
    int has_psram_eid;       /* 0: the PSRAM answers its own EID */
    uint8_t psram_eid;       /* --psram-eid */
    int precise_pc;          /* exact PCs for the MMIO trace (--trace-mmio) */
    int strict_access;       /* a bad access stops the run (--strict-access) */
} machine_config;

/* SIM_ROM_*, SIM_SRAM_*, SIM_XIP_BASE: the memory map */
#include "regs/memmap.h"

/* pending resets: of the whole chip, or (REBOOT_DEBUG) of the cores only,
 * as a debugger's warm reset (SYSRESETREQ) leaves the peripherals running */
enum { REBOOT_NONE = 0, REBOOT_WATCHDOG, REBOOT_SYSRESETREQ, REBOOT_DEBUG };

typedef struct machine machine;

struct machine {
    board_services svc;             /* what the models may ask of the board (services.h) */
    const board_desc *board;
    console *con;
    const serial_terminal *serial;    /* at the far end of UART0's line, or NULL */
    const usb_terminal *usb_terminal; /* the program with the USB port open, or NULL */
    sim_bus bus;

    uint8_t *rom, *sram, *flash, *psram;
    uint32_t flash_size, psram_size;

    sim_core core[2];
    timing_cache tcache;
    xip_cache xc;                   /* the XIP cache and the QSPI bus timeline */
    profiler prof;                  /* --profile */

    /* modelled time: each core's position is core[i].cycles (core 0 leads,
     * core 1 catches up slice by slice) */
    uint64_t anchor_cycles;         /* clk_sys re-anchor point ... */
    uint64_t anchor_ps;             /* ... and its time */
    uint64_t f_sys;                 /* clk_sys in Hz */
    int cur_core;                   /* core whose slice runs (-1 between slices) */
    uint64_t boot_count;
    uint32_t ram_image;             /* SRAM image to boot at power-on (no flash image), 0 = none */

    /* run control */
    int stop;                       /* STOP_* */
    int exit_code;
    char stop_msg[1024];
    int reboot;                     /* REBOOT_* pending at the next slice boundary */
    int remap_pending;              /* XIP window mappings must be rebuilt */
    int bootsel;                    /* the run ended in a reboot to BOOTSEL */

    /* peripherals */
    clocks_dev clk;
    resets_dev resets;
    psm_dev psm;
    ticks_dev ticks;
    timer_dev timer[2];
    watchdog_dev wd;
    powman_dev powman;
    sysinfo_dev sysinfo;
    plain_dev syscfg;
    bootram_dev bootram;
    otp_data_dev otp_data;
    uart_dev uart[2];
    gpio_dev gpio;
    sio_dev sio;
    qmi_dev qmi;
    xip_dev xip;
    dma_dev dma;
    usb_dev usb;
    ppb_dev ppb;
    stub_dev stubs;
    qspi_flash flashchip;
    qspi_psram psramchip;
    usb_host host;                  /* on the USB cable, unless --usbip: */
    usb_hc hc;                      /* the host controller USB/IP requests drive */
    usbip_server *usbip;            /* --usbip: the server (host/usbip.c); NULL: the built-in host */
    bootrom_dev bootrom;            /* the boot ROM's behaviour */
    qspi_flash flash_scratch;       /* copies the QMI's fast-path checks play on */
    qspi_psram psram_scratch;
};

/* --- modelled time --- */
/* clk_sys cycles since power-on, including the running core's progress */
static inline uint64_t machine_now_cycles(const machine *m)
{
    if (m->cur_core >= 0) return m->core[m->cur_core].cycles + m->core[m->cur_core].slice_used;
    return m->core[0].cycles;
}
uint64_t machine_now_ps(const machine *m);
uint64_t machine_cycles_to_ps(const machine *m, uint64_t cycles);
/* clk_sys changed: re-anchor time, end the running slice */
void machine_set_fsys(machine *m, uint64_t hz);

/* --- the devices between slices --- */
/* what became due: XIP window remaps, DMA transfers, UART bytes on the
 * line, the watchdog, timer alarms */
void machine_poll_devices(machine *m);
/* the earliest time after now (ps) at which a device has something to do
 * by itself (0 = nothing) */
uint64_t machine_next_device_event(machine *m, uint64_t now);

/* --- run control --- */
/* Ends the run (first reason wins). code = SIM_EXIT_*. */
void machine_stop(machine *m, int stop, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Ends the run with an emulation fault at core's current access/instruction:
 * message = "<what>: PC=0x... <detail>" */
void machine_fault(machine *m, int core, uint32_t pc, int pc_exact, const char *what,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/* bad access stop: "bad access: PC=0x… addr=0x… (what is there)" */
void machine_bad_access(machine *m, int master, uint32_t addr, int is_write, int size,
                        const char *why);
/* Stops the running core's slice early (state changed that the scheduler
 * must see). */
void machine_kick(machine *m);

/* Power-on (1) or watchdog-style reset (0) of the whole chip, then boot. */
int machine_reset(machine *m, int power_on);
/* A debugger's warm reset: both cores restart through the boot ROM; every
 * peripheral keeps its state (a running DMA channel keeps running). */
int machine_reset_cores(machine *m);

int machine_init(machine *m, const board_desc *b, const machine_config *cfg);

/* --- the board file (wiring.c): devices created, registered, connected --- */
/* m->svc: what the models may ask of the board (services.h) */
void wire_services(machine *m);
/* the bus, the QSPI chips, every device and both cores, created and
 * connected; 0 if a core cannot be built */
int wire_board(machine *m, const machine_config *cfg);
/* every peripheral to its reset state (power_on: also what survives a
 * watchdog reset: watchdog scratch, POWMAN) */
void reset_board_devices(machine *m, int power_on);

void machine_free(machine *m);

/* the script's profile-reset step: the profiler and the XIP statistics
 * count from now */
void machine_profile_restart(machine *m);

/* What the profile report shows of the board (prof_report). */
prof_board_view machine_profile_view(const machine *m);

/* Core 1 starts executing at entry with sp/vtor (FIFO launch handshake done). */
void machine_launch_core1(machine *m, uint32_t vtor, uint32_t sp, uint32_t entry);
/* Core 1 goes back to the ROM wait loop (PSM FRCE_OFF, reset). */
void machine_reset_core1(machine *m);

/* The PC-side ends main.c built after machine_init (m->serial,
 * m->usb_terminal) plugged into the UARTs and the USB host. */
void machine_connect_terminals(machine *m);

/* The XIP window mappings rebuilt now (a remap was requested). */
void machine_remap_xip(machine *m);

#endif
