/* main.c - picollama-sim: the virtual RP2350 board's command line. */
#define _POSIX_C_SOURCE 200809L /* fileno */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "console.h"
#include "log.h"
#include "sim.h"
#include "usbip.h"

#ifdef __SANITIZE_ADDRESS__
/* LeakSanitizer's hook, for the sanitizer build: Debian's Unicorn 2.0.1
 * never frees the code bitmaps QEMU builds for RAM pages that hold both
 * translated code and stores (tb_invalidate_phys_page_fast), which our
 * SRAM code does; those leaks are the library's, not ours. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libunicorn.so\n"; }
#endif

/* --profile: symbols from --elf, or the .elf beside the first UF2 image,
 * or the first image if it is an ELF */
static int profile_setup(machine *m, const sim_options *o)
{
    char guess[1024] = "";
    const char *elf = o->elf;
    if (!elf) {
        for (int i = 0; i < o->ninputs && !elf; i++) {
            const char *in = o->inputs[i];
            size_t n = strlen(in);
            if (n > 4 && !strcmp(in + n - 4, ".elf")) {
                elf = in;
            } else if (n > 4 && !strcmp(in + n - 4, ".uf2") && n < sizeof(guess)) {
                snprintf(guess, sizeof(guess), "%.*s.elf", (int)(n - 4), in);
                if (access(guess, R_OK) == 0) elf = guess;
            }
        }
    }
    char err[1200];
    if (prof_init(&m->prof, elf, err, sizeof(err))) return 1;
    if (o->elf) {
        sim_error("--elf: %s", err);
        return 0;
    }
    sim_warn("profile without symbols: %s", err);
    return prof_init(&m->prof, NULL, err, sizeof(err));
}

/* --usbip: the USB/IP server takes the board's USB port */
static int export_usb_port(machine *m, const sim_options *o)
{
    char err[400];
    m->usbip = usbip_open(o->usbip_host, o->usbip_port, &m->hc, err, sizeof(err));
    if (!m->usbip) {
        sim_error("%s", err);
        return 0;
    }
    const char *where = usbip_where(m->usbip);
    char host[256] = "";
    int port = 0;
    usbip_parse_address(where, host, sizeof(host), &port);
    char tcp_port[32] = "";
    if (port != USBIP_DEFAULT_PORT) snprintf(tcp_port, sizeof(tcp_port), "--tcp-port %d ", port);
    sim_note("USB/IP: the board's USB port is exported at %s as bus id %s; attach it with "
             "'usbip %sattach -r %s -b %s' (Ctrl-C ends the simulator)", where, USBIP_BUSID,
             tcp_port, host, USBIP_BUSID);
    return 1;
}

/* *f = path opened with mode, or NULL when no path is given; 0 (and a
 * message) when it cannot be opened. */
static int open_output(const char *path, const char *mode, FILE **f)
{
    *f = NULL;
    if (!path) return 1;
    if ((*f = fopen(path, mode))) return 1;
    sim_error("cannot write %s", path);
    return 0;
}

/* Closes an output file opened by open_output (none: nothing to do); 0,
 * and a message, when something written to it was lost. */
static int close_output(FILE *f, const char *path)
{
    if (!f) return 1;
    int lost = ferror(f) | fclose(f);
    if (lost) sim_error("cannot write %s", path);
    return !lost;
}

/* The virtual board, built, loaded with the images and run; the exit code.
 * *ran: whether it ran (and so wrote its report, with --profile). */
static int run_board(sim_options *o, FILE *uart_log, FILE *trace, int *ran)
{
    static machine m;
    console con;
    /* --usbip: the USB console is the remote host's; stdin feeds only UART0 */
    int usb_exported = o->usbip && o->console_mode == CONSOLE_USB;
    console_init(&con, o->console_mode, !o->no_stdin && !usb_exported, uart_log);
    machine_config cfg = {o->psram_mb, o->has_psram_eid, o->psram_eid, o->trace_mmio != NULL,
                          o->strict_access};
    if (!machine_init(&m, o->board, &cfg)) {
        sim_error("cannot build the virtual board");
        console_free(&con);
        return SIM_EXIT_FAULT;
    }
    m.con = &con;
    console_terminals(&con, o->uart_baud, !o->no_dtr);
    m.serial = &con.serial;
    m.usb_terminal = &con.usb;
    m.bus.trace = trace;
    int code = SIM_EXIT_USAGE;
    if ((!o->profile || profile_setup(&m, o)) && (!o->usbip || export_usb_port(&m, o)) &&
        sim_load_images(&m, o)) {
        console_enter_raw(&con);
        *ran = 1;
        code = sim_run(&m, o);
        console_restore_tty();
    }
    usbip_close(m.usbip);
    machine_free(&m);
    console_free(&con);
    return code;
}

int main(int argc, char **argv)
{
    sim_options o;
    int p = options_parse(&o, argc, argv);
    if (p != 0) {
        options_free(&o);
        return p > 0 ? SIM_EXIT_OK : SIM_EXIT_USAGE;
    }
    sim_log_set_level(o.log_level);
    if (o.log && !sim_log_open(o.log)) {
        sim_error("cannot write %s", o.log);
        options_free(&o);
        return SIM_EXIT_USAGE;
    }
#ifdef __linux__
    /* a test driver killed on a timeout must not leave a board running */
    prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
    /* every output file opened now: one that cannot be written is known
     * before a long run, not after it */
    FILE *uart_log = NULL, *trace = NULL;
    int code = SIM_EXIT_USAGE, ran = 0;
    if (open_output(o.uart_log, "wb", &uart_log) && open_output(o.trace_mmio, "w", &trace) &&
        open_output(o.profile_out, "w", &o.profile_file))
        code = run_board(&o, uart_log, trace, &ran);
    if (o.profile_file && !ran) { /* no run, no report: no empty file left behind */
        struct stat st;
        int regular = fstat(fileno(o.profile_file), &st) == 0 && S_ISREG(st.st_mode);
        fclose(o.profile_file);
        if (regular) remove(o.profile_out); /* never a device such as /dev/null */
        o.profile_file = NULL;
    }
    int written = close_output(uart_log, o.uart_log) & close_output(trace, o.trace_mmio) &
                  close_output(o.profile_file, o.profile_out);
    if (!sim_log_close()) { /* (its own message goes to stderr alone now) */
        sim_error("cannot write %s", o.log);
        written = 0;
    }
    if (!written && code == SIM_EXIT_OK) code = SIM_EXIT_USAGE;
    options_free(&o);
    return code;
}
