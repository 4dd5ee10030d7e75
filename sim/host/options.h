/* options.h - the picollama-sim command line: parsed options and the help
 * text that documents every one of them. */
#ifndef SIM_OPTIONS_H
#define SIM_OPTIONS_H

#include <stdint.h>
#include <stdio.h>

#include "board.h"
#include "script.h"

#define SIM_MAX_INPUTS 16

struct sim_options {
    const char *inputs[SIM_MAX_INPUTS];   /* UF2 or ELF files, loaded in order */
    int ninputs;
    const board_desc *board;
    int console_mode;                     /* CONSOLE_USB / CONSOLE_UART */
    script script;
    int64_t timeout_ms;                   /* modelled; -1 = none */
    double wall_timeout_s;                /* 0 = none */
    int64_t disconnect_at_ms;             /* -1 = never */
    int64_t press_button_at_ms;           /* -1 = never */
    uint32_t press_button_ms;
    const char *trace_mmio;
    int profile;                          /* --profile / --profile-out */
    const char *profile_out;              /* report file (NULL: stderr) */
    FILE *profile_file;                   /* profile_out, opened before the run (main.c) */
    const char *elf;                      /* --elf: symbols for the profile */
    const char *uart_log;
    const char *log;                      /* --log: every message into this file */
    int log_level;                        /* SIM_LOG_*: -q, default, -v */
    int stats, no_dtr, no_stdin;
    int strict_access;                    /* --strict-access */
    uint64_t slice_cycles;
    uint32_t uart_baud;                   /* the terminal side of --console uart */
    uint32_t tail_bytes;
    int has_psram_eid;                    /* 0: the PSRAM answers its own EID */
    uint8_t psram_eid;                    /* Read ID's EID byte (--psram-eid) */
    uint32_t psram_mb;                    /* PSRAM size; 0 = the board's */
    int usbip;                            /* --usbip: the USB port is exported over USB/IP */
    char usbip_host[256];                 /* ... listening on this address */
    int usbip_port;                       /* ... and port */
};
typedef struct sim_options sim_options;

/* Parses argv. Returns 0 to run, 1 if --help/--version was printed (exit 0),
 * -1 on a usage error (message printed). */
int options_parse(sim_options *o, int argc, char **argv);
void options_free(sim_options *o);
void options_print_help(void);

#endif
