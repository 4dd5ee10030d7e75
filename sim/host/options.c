/* options.c - parsing the picollama-sim command line, and its --help text
 * (the reference for every option). */
#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console.h"
#include "log.h"
#include "usbip.h"

static const char help_text[] =
    "Usage: picollama-sim [OPTIONS] IMAGE...\n"
    "\n"
    "A virtual RP2350 board (two Cortex-M33 cores on Unicorn) that boots real\n"
    "firmware and bridges its USB CDC-ACM serial port (or UART0) to the terminal.\n"
    "\n"
    "IMAGE is a UF2 file (as dropped on the RP2350 boot drive) or an ELF file;\n"
    "several are loaded in order, e.g. firmware.uf2 model.uf2. The virtual boot\n"
    "ROM then boots the IMAGE_DEF found in the first 4 KB of flash (or of the\n"
    "SRAM image if nothing was loaded to flash). Device output goes to stdout;\n"
    "what the simulator says goes to stderr: warnings, why a run stopped and how\n"
    "it ended; its diagnostics only with -v (or into --log FILE).\n"
    "\n"
    "Board:\n"
    "  --board NAME          pico-plus-2w (default): RP2350B, 16 MB flash, 8 MB\n"
    "                        APS6404L PSRAM on QMI CS1 (GPIO47), user switch GPIO45\n"
    "                        pico2: RP2350A (30 GPIOs), 4 MB flash, no PSRAM\n"
    "  --psram-eid N         the EID byte the PSRAM answers to Read ID (9Fh) after\n"
    "                        MFID 0Dh and KGD 5Dh, 0-255 (default 0x46: density\n"
    "                        code 2 in bits [7:5], 64 Mbit); e.g. 0x26, which early\n"
    "                        8 MB APS6404L parts answer\n"
    "  --psram-mb N          the PSRAM's size in MB: 1, 2, 4, 8 (default) or 16; a\n"
    "                        smaller part repeats in its 16 MB window\n"
    "\n"
    "Console:\n"
    "  --console usb|uart    bridge the USB CDC-ACM port (default) or UART0\n"
    "                        (GP0 TX / GP1 RX) to stdout/stdin\n"
    "  --uart-baud N         the terminal's baud rate on the UART line (default\n"
    "                        115200); a firmware baud more than 3% off is reported\n"
    "  --uart-log FILE       also write every byte UART0 transmits to FILE\n"
    "  --no-dtr              the host opens the CDC port without asserting DTR\n"
    "  --no-stdin            do not read stdin (only --send steps give input)\n"
    "  --usbip [ADDR:]PORT   export the board's USB port over USB/IP instead of\n"
    "                        bridging it to the terminal: a USB/IP server on ADDR\n"
    "                        (default 127.0.0.1: this machine only) and PORT\n"
    "                        (default 3240, 0 = any free one) lists it as bus id\n"
    "                        1-1, and one importer at a time drives it, e.g. Linux:\n"
    "                          sudo modprobe vhci-hcd\n"
    "                          sudo usbip attach -r 127.0.0.1 -b 1-1\n"
    "                          picocom /dev/ttyACM0\n"
    "                        (a second importer is refused). The simulator then\n"
    "                        keeps modelled time from running ahead of real time.\n"
    "                        The host steps below and --expect/--send on the USB\n"
    "                        console cannot be used with it (--console uart can)\n"
    "  When stdin is a terminal it is switched to raw mode like a serial terminal\n"
    "  program: keys go to the device as typed (Enter sends CR, Ctrl-C is byte\n"
    "  0x03 for the firmware); Ctrl-] ends the session (exit 0).\n"
    "\n"
    "Scripted sessions (steps run in the order given):\n"
    "  --expect REGEX        wait until the console output not yet matched contains\n"
    "                        REGEX (POSIX extended regular expression)\n"
    "  --send TEXT           send TEXT to the device; C escapes \\n \\r \\t \\\\ \\\" \\e\n"
    "                        \\0 and \\xHH are understood (\\x03 is Ctrl-C), any\n"
    "                        other escape is refused\n"
    "  --host-stall-ms N     from this step on, the USB host stops reading IN data\n"
    "                        for N ms of modelled time (the device's buffers fill)\n"
    "  --close-port          the terminal closes the port: SET_CONTROL_LINE_STATE\n"
    "                        with DTR off; the host stops reading IN data\n"
    "  --open-port           the terminal opens the port again (DTR on); once the\n"
    "                        host has gone away (--disconnect-at-ms) there is no\n"
    "                        port to open: the run stops there (exit 1)\n"
    "  --wait-ms N           let N ms of modelled time pass before the next step\n"
    "  --press-button        press the board's user switch now (for --press-button-ms)\n"
    "  --clear-halt          the host sends CLEAR_FEATURE(ENDPOINT_HALT) to both bulk\n"
    "                        endpoints, resetting their data toggles to DATA0 (FreeBSD\n"
    "                        does it at every open, libusb and Windows at times)\n"
    "  --suspend-ms N        the host suspends the bus (no SOF) for N ms, then\n"
    "                        resumes it (20 ms resume signalling, 10 ms recovery)\n"
    "  --bus-reset           the host resets the bus and enumerates the device again;\n"
    "                        an open port is opened again\n"
    "  --touch-1200          the 1200-baud touch: the host sets the open port to 1200\n"
    "                        baud (SET_LINE_CODING) and closes it (DTR off), as\n"
    "                        Arduino's tools do to ask for BOOTSEL\n"
    "  --reset-request bootsel[=WVALUE]|flash\n"
    "                        the host sends RESET_REQUEST_BOOTSEL (wValue WVALUE,\n"
    "                        default 0; picotool load -f sends 1) or _FLASH to the\n"
    "                        Pico SDK reset interface, as picotool reboot -f does\n"
    "  --ms-os-20            the host asks for the Microsoft OS 2.0 descriptor set, as\n"
    "                        Windows does, and checks it (-v shows it) (these six\n"
    "                        steps need a configured device; before that they are\n"
    "                        ignored, with a warning)\n"
    "  --debug-reset         a debugger resets the cores (SYSRESETREQ, as openocd's\n"
    "                        'reset run'): both boot again through the ROM while every\n"
    "                        peripheral keeps its state; a DMA channel left running\n"
    "                        that writes to SRAM under the new run is reported\n"
    "  When all steps are done the run ends with exit code 0.\n"
    "\n"
    "Events at a modelled time:\n"
    "  --disconnect-at-ms N  at N ms the terminal closes the port (SET_CONTROL_LINE_\n"
    "                        STATE with DTR off) and the host goes away (no more\n"
    "                        frames: the device sees a suspend)\n"
    "  --press-button-at-ms N  press the board's user switch (GPIO45 to ground) at\n"
    "                        N ms\n"
    "  --press-button-ms N   how long the switch stays pressed (default 100 ms)\n"
    "\n"
    "Modelled time:\n"
    "  clk_sys cycles come from the RP2350 datasheet's Cortex-M33 instruction timings\n"
    "  (3.7.4.9) plus the XIP cache (16 KB, 2-way, 8-byte lines) and the QSPI\n"
    "  transfers its misses make, timed from the QMI registers as programmed;\n"
    "  TIMER0/1, SysTick and DWT CYCCNT count them, so the firmware's own timings\n"
    "  (tok/s) are the estimate for silicon.\n"
    "\n"
    "Limits:\n"
    "  --timeout-ms N        stop after N ms of modelled time (exit 1)\n"
    "  --wall-timeout S      stop after S seconds of real time (exit 1); a script\n"
    "                        with --expect and neither limit gets 3600, so an\n"
    "                        output that never comes cannot hang it\n"
    "\n"
    "Diagnostics:\n"
    "  --trace-mmio FILE     log every peripheral register access as\n"
    "                        'R|W 0xADDRESS 0xVALUE PC' (PC is DMA or SIM for\n"
    "                        accesses not made by a core); slows the run down\n"
    "  --stats               print instructions, modelled time and speed at exit\n"
    "  --strict-access       stop the run at an access to an address where nothing\n"
    "                        is (exit 2), as a debugger would, instead of raising\n"
    "                        the BusFault the firmware's handler takes on silicon\n"
    "  --profile             at exit, print where the modelled cycles went (stderr):\n"
    "                        per function (ELF symbols) and per function class, each\n"
    "                        split by core, and per memory region with XIP cache\n"
    "                        hits and QSPI bytes\n"
    "  --profile-out FILE    the same report into FILE (implies --profile)\n"
    "  --elf FILE            symbols for the profile (default: the .elf next to the\n"
    "                        first UF2 image, or the ELF image itself)\n"
    "  --profile-reset       script step: start the profile afresh here, e.g. just\n"
    "                        before --send '/bench\\r' (with --profile or\n"
    "                        --profile-out)\n"
    "  --tail N              bytes of console output shown on a timeout (default\n"
    "                        2000)\n"
    "  --slice-cycles N      clk_sys cycles each core runs before the other while\n"
    "                        both run (default 2000)\n"
    "  -v, --verbose         also print the simulator's diagnostics on stderr:\n"
    "                        what each image wrote, clock switches, XIP window\n"
    "                        states, USB enumeration and port changes, reboots\n"
    "                        (by default only warnings, stops and how the run\n"
    "                        ended are printed, so a session shows the board first)\n"
    "  --log FILE            write every message of the simulator, diagnostics\n"
    "                        included, to FILE (whatever -v or -q say)\n"
    "  -q, --quiet           not even how the run ended (warnings and stops stay)\n"
    "  -h, --help            this text\n"
    "\n"
    "Exit codes:\n"
    "  0  the script completed, or the firmware asked to reboot into BOOTSEL\n"
    "  1  timeout (--timeout-ms, --wall-timeout, a USB control transfer that got no\n"
    "     answer for 5 s), an --expect that was never satisfied, or a script step\n"
    "     that cannot run (--open-port after --disconnect-at-ms); the tail of the\n"
    "     output is printed\n"
    "  2  emulation fault: bad access (an address where nothing exists), HardFault,\n"
    "     undefined instruction, USB protocol violation, clock fault, or an image the\n"
    "     boot ROM refuses; the message names the PC and the reason\n"
    "  3  bad command line, unreadable image, or an output file (--profile-out,\n"
    "     --uart-log, --trace-mmio, --log) that cannot be written (when the run\n"
    "     itself failed, its own code)\n"
    "The simulator also ends (SIGTERM) when the process that started it ends.\n";

void options_print_help(void) { fputs(help_text, stdout); }

/* A count or a time: at most 10^10 (115 days in ms; times are later
 * multiplied into picoseconds, which must not overflow). */
static int parse_u64(const char *s, uint64_t *v)
{
    char *end;
    if (!s || !*s || *s == '-') return 0;
    errno = 0;
    unsigned long long x = strtoull(s, &end, 0);
    if (*end || errno == ERANGE || x > 10000000000ull) return 0;
    *v = x;
    return 1;
}

static int parse_double(const char *s, double *v)
{
    char *end;
    if (!s || !*s) return 0;
    *v = strtod(s, &end);
    return !*end && *v > 0;
}

static const char *value_options[] = {
    "--board", "--console", "--disconnect-at-ms",
    "--press-button-at-ms", "--press-button-ms", "--timeout-ms", "--wall-timeout",
    "--trace-mmio", "--uart-log", "--uart-baud", "--tail", "--slice-cycles", "--profile-out",
    "--elf", "--psram-eid", "--psram-mb", "--log", NULL};

static int takes_value(const char *a)
{
    for (int i = 0; value_options[i]; i++)
        if (!strcmp(a, value_options[i])) return 1;
    return 0;
}

/* whether the word after --usbip is its [ADDR:]PORT (a number, or with a
 * colon) rather than an image */
static int usbip_address_follows(const char *next)
{
    if (!next || !*next || next[0] == '-' || access(next, F_OK) == 0) return 0;
    return strchr(next, ':') || strspn(next, "0123456789") == strlen(next);
}

static int parse_usbip(sim_options *o, const char *spec)
{
    o->usbip = 1;
    snprintf(o->usbip_host, sizeof(o->usbip_host), "%s", USBIP_DEFAULT_ADDRESS);
    o->usbip_port = USBIP_DEFAULT_PORT;
    const char *err = spec ? usbip_parse_address(spec, o->usbip_host, sizeof(o->usbip_host),
                                                 &o->usbip_port) : NULL;
    if (err) sim_error("%s", err);
    return err ? -1 : 0;
}

/* --usbip replaces the built-in USB host: its steps, and a script on the
 * USB console, cannot run */
static int check_usbip(const sim_options *o)
{
    for (int i = 0; i < o->script.count; i++) {
        const script_step *st = &o->script.steps[i];
        int kind = st->kind;
        if (kind == STEP_HOST_STALL || kind == STEP_CLOSE_PORT || kind == STEP_OPEN_PORT ||
            kind == STEP_CLEAR_HALT || kind == STEP_SUSPEND || kind == STEP_BUS_RESET ||
            kind == STEP_TOUCH_1200 || kind == STEP_RESET_REQUEST || kind == STEP_MS_OS_20) {
            sim_error("--usbip: the remote host drives the USB port; the built-in host's steps "
                      "(--host-stall-ms, --close-port, --open-port, --clear-halt, --suspend-ms, "
                      "--bus-reset, --touch-1200, --reset-request, --ms-os-20) cannot be used "
                      "with it");
            return -1;
        }
        if ((kind == STEP_EXPECT || kind == STEP_SEND) && o->console_mode == CONSOLE_USB) {
            sim_error("--usbip: the USB console goes to the remote host, so --expect and --send "
                      "have nothing to act on (use them with --console uart)");
            return -1;
        }
    }
    if (o->disconnect_at_ms >= 0 || o->no_dtr) {
        sim_error("--usbip: %s acts on the built-in USB host, which --usbip replaces",
                  o->no_dtr ? "--no-dtr" : "--disconnect-at-ms");
        return -1;
    }
    return 0;
}

static int bad(const char *opt, const char *val)
{
    sim_error("bad value '%s' for %s (see --help)", val, opt);
    return -1;
}

int options_parse(sim_options *o, int argc, char **argv)
{
    memset(o, 0, sizeof(*o));
    o->board = board_find("pico-plus-2w");
    o->console_mode = CONSOLE_USB;
    o->timeout_ms = -1;
    o->disconnect_at_ms = -1;
    o->press_button_at_ms = -1;
    o->press_button_ms = 100;
    o->slice_cycles = 2000;
    o->uart_baud = 115200;
    o->tail_bytes = 2000;
    o->log_level = SIM_LOG_NORMAL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            options_print_help();
            return 1;
        }
        /* the last of -q and -v wins */
        if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) { o->log_level = SIM_LOG_QUIET; continue; }
        if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) { o->log_level = SIM_LOG_VERBOSE; continue; }
        if (!strcmp(a, "--stats")) { o->stats = 1; continue; }
        if (!strcmp(a, "--strict-access")) { o->strict_access = 1; continue; }
        if (!strcmp(a, "--profile")) { o->profile = 1; continue; }
        if (!strcmp(a, "--no-dtr")) { o->no_dtr = 1; continue; }
        if (!strcmp(a, "--no-stdin")) { o->no_stdin = 1; continue; }
        if (!strcmp(a, "--usbip") || !strncmp(a, "--usbip=", 8)) {
            const char *spec = a[7] == '=' ? a + 8 : NULL;
            if (!spec && usbip_address_follows(i + 1 < argc ? argv[i + 1] : NULL)) spec = argv[++i];
            if (parse_usbip(o, spec) != 0) return -1;
            continue;
        }
        int step_value, step = script_step_of(a, &step_value);
        int needs_value = step >= 0 ? step_value : takes_value(a);
        if (step >= 0 || needs_value) {
            if (needs_value && i + 1 >= argc) {
                sim_error("option %s needs a value (see --help)", a);
                return -1;
            }
            const char *v = needs_value ? argv[++i] : NULL;
            uint64_t n;
            const char *err = NULL;
            if (step >= 0) {
                err = script_add(&o->script, step, v);
            } else if (!strcmp(a, "--board")) {
                if (!(o->board = board_find(v))) return bad(a, v);
            } else if (!strcmp(a, "--console")) {
                if (!strcmp(v, "usb")) o->console_mode = CONSOLE_USB;
                else if (!strcmp(v, "uart")) o->console_mode = CONSOLE_UART;
                else return bad(a, v);
            } else if (!strcmp(a, "--wall-timeout")) {
                if (!parse_double(v, &o->wall_timeout_s)) return bad(a, v);
            } else if (!strcmp(a, "--trace-mmio")) {
                o->trace_mmio = v;
            } else if (!strcmp(a, "--uart-log")) {
                o->uart_log = v;
            } else if (!strcmp(a, "--log")) {
                o->log = v;
            } else if (!strcmp(a, "--profile-out")) {
                o->profile_out = v;
                o->profile = 1;
            } else if (!strcmp(a, "--elf")) {
                o->elf = v;
            } else if (!strcmp(a, "--psram-eid")) {
                if (!parse_u64(v, &n) || n > 0xFF) return bad(a, v);
                o->psram_eid = (uint8_t)n;
                o->has_psram_eid = 1;
            } else if (!strcmp(a, "--psram-mb")) {
                if (!parse_u64(v, &n) || n == 0 || n > 16 || (n & (n - 1))) return bad(a, v);
                o->psram_mb = (uint32_t)n;
            } else {
                if (!parse_u64(v, &n)) return bad(a, v);
                int u32 = !strcmp(a, "--press-button-ms") || !strcmp(a, "--uart-baud") ||
                          !strcmp(a, "--tail");
                if (u32 && n > UINT32_MAX) return bad(a, v);
                if (!strcmp(a, "--disconnect-at-ms")) o->disconnect_at_ms = (int64_t)n;
                else if (!strcmp(a, "--press-button-at-ms")) o->press_button_at_ms = (int64_t)n;
                else if (!strcmp(a, "--press-button-ms")) o->press_button_ms = (uint32_t)n;
                else if (!strcmp(a, "--timeout-ms")) o->timeout_ms = (int64_t)n;
                else if (!strcmp(a, "--uart-baud")) { if (!n) return bad(a, v); o->uart_baud = (uint32_t)n; }
                else if (!strcmp(a, "--tail")) o->tail_bytes = (uint32_t)n;
                else if (!strcmp(a, "--slice-cycles")) { if (n < 100) return bad(a, v); o->slice_cycles = n; }
            }
            if (err) {
                sim_error("%s", err);
                return -1;
            }
            continue;
        }
        if (a[0] == '-' && a[1]) {
            sim_error("unknown option '%s' (see --help)", a);
            return -1;
        }
        if (o->ninputs >= SIM_MAX_INPUTS) {
            sim_error("too many images (at most %d)", SIM_MAX_INPUTS);
            return -1;
        }
        o->inputs[o->ninputs++] = a;
    }
    if (!o->ninputs) {
        sim_error("no image given (see --help)");
        return -1;
    }
    if ((o->has_psram_eid || o->psram_mb) && !o->board->psram_size) {
        sim_error("--psram-eid/--psram-mb: board %s has no PSRAM", o->board->name);
        return -1;
    }
    if (o->usbip && check_usbip(o) != 0) return -1;
    int expects = 0, profile_resets = 0;
    for (int i = 0; i < o->script.count; i++) {
        expects |= o->script.steps[i].kind == STEP_EXPECT;
        profile_resets |= o->script.steps[i].kind == STEP_PROFILE_RESET;
    }
    if (profile_resets && !o->profile) { /* it would change nothing, and say nothing */
        sim_error("--profile-reset restarts a profile: add --profile or --profile-out FILE");
        return -1;
    }
    if (expects && o->timeout_ms < 0 && o->wall_timeout_s <= 0) o->wall_timeout_s = 3600;
    return 0;
}

void options_free(sim_options *o) { script_free(&o->script); }
