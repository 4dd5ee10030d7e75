/* test_sim.c - end-to-end tests of the virtual board: picollama-sim runs
 * each bare-metal test image (tests/sim/images) as a subprocess, and the
 * test checks its exit status, the device output (stdout) and what the
 * simulator reported (stderr). Run one test by name: test_sim NAME. */
#define _POSIX_C_SOURCE 200809L
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "proc.h"
#include "testenv.h"

#ifndef SIM_BIN
#error "SIM_BIN must name picollama-sim"
#endif
#ifndef SIM_IMAGES
#error "SIM_IMAGES must name the test image directory"
#endif

#define WALL_TIMEOUT_S 60

static const char *image(const char *name)
{
    static char paths[4][4096];
    static int slot;
    char *p = paths[slot++ % 4];
    snprintf(p, 4096, "%s/%s", SIM_IMAGES, name);
    return p;
}

/* runs picollama-sim with the NULL-terminated argument list */
static void sim(proc_result *r, ...)
{
    char *argv[64];
    int n = 0;
    argv[n++] = (char *)SIM_BIN;
    va_list ap;
    va_start(ap, r);
    const char *a;
    while ((a = va_arg(ap, const char *)) && n < 63) argv[n++] = (char *)a;
    va_end(ap);
    argv[n] = NULL;
    assert_true(proc_run(argv, NULL, WALL_TIMEOUT_S, r));
    if (r->timed_out) fail_msg("picollama-sim ran for more than %d s of real time", WALL_TIMEOUT_S);
}

static void expect_exit(proc_result *r, int code)
{
    if (r->signal || r->exit_code != code) {
        fprintf(stderr, "--- stdout ---\n%s\n--- stderr ---\n%s\n", r->out, r->err);
        fail_msg("exit %d (signal %d), expected %d", r->exit_code, r->signal, code);
    }
}

static void expect_in(const char *haystack, const char *needle, const char *what)
{
    if (!strstr(haystack, needle)) {
        fprintf(stderr, "--- %s ---\n%s\n", what, haystack);
        fail_msg("%s lacks \"%s\"", what, needle);
    }
}

#define OUT_HAS(r, s) expect_in((r)->out, (s), "stdout")
#define ERR_HAS(r, s) expect_in((r)->err, (s), "stderr")

static int count_lines(const char *text)
{
    int n = 0;
    for (const char *p = text; (p = strchr(p, '\n')); p++) n++;
    return n;
}

/* the number after "name " in the output */
static long value_of(const char *out, const char *name)
{
    char key[64];
    snprintf(key, sizeof(key), "%s ", name);
    const char *p = strstr(out, key);
    if (!p) fail_msg("no '%s' in the output", name);
    return strtol(p + strlen(key), NULL, 0);
}

/* ---- command line ---- */

static void help_documents_every_option(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "--help", NULL);
    expect_exit(&r, 0);
    const char *options[] = {"--board", "--console", "--expect", "--send", "--host-stall-ms",
                             "--disconnect-at-ms", "--press-button-at-ms", "--press-button-ms",
                             "--timeout-ms", "--wall-timeout", "--trace-mmio", "--uart-log",
                             "--uart-baud", "--no-dtr", "--no-stdin", "--stats", "--tail",
                             "--slice-cycles", "--quiet", "--profile", "--profile-out", "--elf",
                             "--profile-reset", "--psram-eid", "--psram-mb", "--clear-halt",
                             "--suspend-ms", "--bus-reset", "--debug-reset", "--verbose",
                             "--log", "pico-plus-2w",
                             "pico2", "Exit codes"};
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++) OUT_HAS(&r, options[i]);
    proc_free(&r);
}

static void bad_usage(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "--no-such-option", image("hello_uart.uf2"), NULL);
    expect_exit(&r, 3);
    ERR_HAS(&r, "unknown option");
    proc_free(&r);
    sim(&r, "--board", "pico3", image("hello_uart.uf2"), NULL);
    expect_exit(&r, 3);
    proc_free(&r);
    /* numbers that would overflow later are refused, not truncated */
    sim(&r, "--uart-baud", "4294967296", image("hello_uart.uf2"), NULL);
    expect_exit(&r, 3);
    ERR_HAS(&r, "bad value '4294967296' for --uart-baud");
    proc_free(&r);
    sim(&r, "--timeout-ms", "99999999999999", image("hello_uart.uf2"), NULL);
    expect_exit(&r, 3);
    proc_free(&r);
    sim(&r, "--wait-ms", "5000000000", image("hello_uart.uf2"), NULL);
    expect_exit(&r, 3);
    proc_free(&r);
    sim(&r, "--suspend-ms", "soon", image("hello_uart.uf2"), NULL);
    expect_exit(&r, 3);
    ERR_HAS(&r, "bad --suspend-ms value 'soon'");
    proc_free(&r);
    /* an escape --send does not know is refused, not sent as something else
     * (\xZZ once sent "xZZ") */
    const char *bad_sends[] = {"\\xZZ\\r", "/bench\\q", "abc\\"};
    for (size_t i = 0; i < sizeof(bad_sends) / sizeof(bad_sends[0]); i++) {
        sim(&r, "--send", bad_sends[i], image("hello_uart.uf2"), NULL);
        expect_exit(&r, 3);
        ERR_HAS(&r, "bad escape in --send");
        proc_free(&r);
    }
    /* a profile step without a profile would do nothing, silently */
    sim(&r, "--profile-reset", image("hello_uart.uf2"), NULL);
    expect_exit(&r, 3);
    ERR_HAS(&r, "--profile-reset restarts a profile: add --profile or --profile-out FILE");
    proc_free(&r);
    /* a PSRAM EID is one byte, a PSRAM size a power of two up to its 16 MB
     * window, and a board without PSRAM takes neither */
    const char *bad_psram[][2] = {{"--psram-eid", "0x100"}, {"--psram-eid", "x26"},
                                  {"--psram-mb", "3"}, {"--psram-mb", "32"}, {"--psram-mb", "0"}};
    for (size_t i = 0; i < sizeof(bad_psram) / sizeof(bad_psram[0]); i++) {
        sim(&r, bad_psram[i][0], bad_psram[i][1], image("hello_uart.uf2"), NULL);
        expect_exit(&r, 3);
        ERR_HAS(&r, "bad value");
        proc_free(&r);
    }
    sim(&r, "--board", "pico2", "--psram-eid", "0x26", image("hello_uart.uf2"), NULL);
    expect_exit(&r, 3);
    ERR_HAS(&r, "board pico2 has no PSRAM");
    proc_free(&r);
    /* a device instead of a file */
    sim(&r, "/dev/zero", NULL);
    expect_exit(&r, 3);
    ERR_HAS(&r, "not a regular file");
    proc_free(&r);
}

static void bad_uf2_refused(void **state)
{
    (void)state;
    const char *path = testenv_tmp("broken.uf2");
    size_t len;
    char *data = testenv_read(image("hello_uart.uf2"), &len);
    assert_non_null(data);
    data[512 + 4] ^= 0x55;   /* second block: magic_start1 */
    FILE *f = fopen(path, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
    free(data);
    proc_result r;
    sim(&r, "-q", "--no-stdin", path, NULL);
    expect_exit(&r, 3);
    ERR_HAS(&r, "block 1 (file offset 0x200): bad magic");
    proc_free(&r);
    /* a block count no file could hold is refused before anything is sized by it */
    data = testenv_read(image("hello_uart.uf2"), &len);
    memcpy(data + 512 + 24, "\xf0\xff\xff\xff", 4);
    f = fopen(path, "wb");
    fwrite(data, 1, len, f);
    fclose(f);
    free(data);
    sim(&r, "-q", "--no-stdin", path, NULL);
    expect_exit(&r, 3);
    ERR_HAS(&r, "block count 4294967280 is more than 16 MB of flash takes");
    proc_free(&r);
}

/* An interactive session shows the board first: the simulator's
 * diagnostics (what the image wrote, boot, clock switches, XIP windows,
 * UART setup) reach stderr only with -v, and --log FILE gets them all;
 * warnings and how the run ended are shown by default. */
static void diagnostics_only_with_verbose(void **state)
{
    (void)state;
    const char *log = testenv_tmp("sim.log");
    proc_result r;
    sim(&r, "--console", "uart", "--no-stdin", image("flash_qmi.uf2"), "--log", log, "--expect",
        "done\\r\\n", "--timeout-ms", "1000", NULL);
    expect_exit(&r, 0);
    OUT_HAS(&r, "JEDEC 0x00ef4018\r\n");
    /* a warning that matters still shows, then the end of the run, nothing else */
    const char *warning = "sim: warning: QMI M0 SCK = 75.0 MHz (clk_sys / CLKDIV 2) with the "
                          "QSPI SCLK pad at 4 mA";
    if (strncmp(r.err, warning, strlen(warning)) || count_lines(r.err) != 2 ||
        !strstr(r.err, "\nsim: script completed\n"))
        fail_msg("stderr is not just the pad warning and the end of the run:\n%s", r.err);
    proc_free(&r);
    char *text = testenv_read(log, NULL);
    assert_non_null(text);
    expect_in(text, "sim: boot: IMAGE_DEF at 0x10000040", "log");
    expect_in(text, "sim: XIP CS0 (flash) window: unmapped (bus fault)", "log");
    expect_in(text, "sim: clk_sys = 150.000 MHz (from PLL_SYS)", "log");
    expect_in(text, warning, "log");
    expect_in(text, "sim: script completed", "log");
    free(text);
    /* -v shows them; -q not even the end of the run */
    sim(&r, "-v", "--console", "uart", "--no-stdin", image("hello_uart.uf2"), "--expect",
        "chip id", "--timeout-ms", "500", NULL);
    expect_exit(&r, 0);
    ERR_HAS(&r, "sim: boot: IMAGE_DEF at 0x10000040");
    ERR_HAS(&r, "sim: UART0: 115107 baud, 8N1");
    proc_free(&r);
    sim(&r, "-v", "-q", "--console", "uart", "--no-stdin", image("hello_uart.uf2"), "--expect",
        "chip id", "--timeout-ms", "500", NULL);
    expect_exit(&r, 0);
    assert_string_equal(r.err, "");
    proc_free(&r);
    /* a fault is reported in full without -v */
    sim(&r, "--console", "uart", "--no-stdin", image("bad_register.uf2"), "--timeout-ms", "500",
        NULL);
    expect_exit(&r, 2);
    ERR_HAS(&r, "bad access: PC=0x");
    ERR_HAS(&r, "core 0 registers: pc=");
    proc_free(&r);
}

/* ---- boot and peripherals ---- */

static void boot_uart_hello(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-v", "--console", "uart", "--no-stdin", image("hello_uart.uf2"), "--expect",
        "hello from the virtual RP2350\\r\\n", "--send", "abc.", "--expect", "ABC\\r\\nbye\\r\\n",
        "--timeout-ms", "500", NULL);
    expect_exit(&r, 0);
    OUT_HAS(&r, "hello from the virtual RP2350\r\n");
    OUT_HAS(&r, "chip id 0x20004927 core 0");
    ERR_HAS(&r, "IMAGE_DEF at 0x10000040");
    ERR_HAS(&r, "UART0: 115107 baud, 8N1");
    proc_free(&r);
}

static void boot_elf_and_second_uf2(void **state)
{
    (void)state;
    const char *bin = testenv_tmp("model.bin"), *uf2 = testenv_tmp("model.uf2");
    FILE *f = fopen(bin, "wb");
    fputs("LDOM0000", f);
    fclose(f);
    char *argv[] = {(char *)PICOLLAMA_BIN, "uf2", (char *)bin, "-o", (char *)uf2, "--base",
                    "0x10080000", "--family", "data", NULL};
    proc_result r;
    assert_true(proc_run(argv, NULL, 30, &r));
    expect_exit(&r, 0);
    proc_free(&r);
    sim(&r, "-v", "--console", "uart", "--no-stdin", image("hello_uart.elf"), uf2, "--expect",
        "flash word at 0x10080000: 0x4d4f444c", "--timeout-ms", "500", NULL);
    expect_exit(&r, 0);
    ERR_HAS(&r, "ELF segments");
    ERR_HAS(&r, "written to 0x10080000-0x100800ff [DATA]");
    proc_free(&r);
}

/* a one-page DATA UF2 at base, made with picollama uf2 */
static const char *data_uf2(const char *name, const char *base)
{
    const char *bin = testenv_tmp("page.bin"), *uf2 = testenv_tmp(name);
    FILE *f = fopen(bin, "wb");
    fputs("just some data", f);
    fclose(f);
    char *argv[] = {(char *)PICOLLAMA_BIN, "uf2", (char *)bin, "-o", (char *)uf2, "--base",
                    (char *)base, "--family", "data", NULL};
    proc_result r;
    assert_true(proc_run(argv, NULL, 30, &r));
    expect_exit(&r, 0);
    proc_free(&r);
    return uf2;
}

/* UF2 files are written as the boot ROM writes them: the E10 block too, one
 * transfer per file, flash addressed as 16 MB and wrapped onto a 4 MB chip. */
static void uf2_written_as_the_rom_does(void **state)
{
    (void)state;
    /* two UF2 files in one: the ROM reboots after the first transfer */
    size_t len1, len2;
    char *a = testenv_read(image("hello_uart.uf2"), &len1);
    char *b = testenv_read(data_uf2("data.uf2", "0x10080000"), &len2);
    assert_non_null(a);
    assert_non_null(b);
    a = realloc(a, len1 + len2);
    assert_non_null(a);
    memcpy(a + len1, b, len2);
    const char *both = testenv_tmp("both.uf2");
    assert_true(testenv_write(both, a, len1 + len2));
    free(a);
    free(b);
    proc_result r;
    sim(&r, "-v", "--console", "uart", "--no-stdin", both, "--expect", "hello from the virtual RP2350",
        "--timeout-ms", "500", NULL);
    expect_exit(&r, 0);
    ERR_HAS(&r, "RP2350-E10 workaround block written too, to 0x10ffff00");
    char from[80];
    snprintf(from, sizeof(from), "from block %zu on not written", len1 / 512);
    ERR_HAS(&r, from);
    ERR_HAS(&r, "reboots the board 500 ms after a transfer completes");
    proc_free(&r);
    /* a Raspberry Pi Pico 2 (4 MB): data for 0x10400000 lands on the
     * firmware's first sector, so the board no longer boots */
    sim(&r, "-v", "--board", "pico2", "--no-stdin", image("hello_uart.uf2"),
        data_uf2("high.uf2", "0x10400000"), "--timeout-ms", "100", NULL);
    expect_exit(&r, 2);
    ERR_HAS(&r, "written too, to 0x103fff00 (0x10ffff00 wrapped onto the 4 MB chip;");
    ERR_HAS(&r, "wrap onto it, the first 0x10400000 onto 0x10000000");
    ERR_HAS(&r, "overwrites 1 page(s) an earlier image wrote");
    ERR_HAS(&r, "page(s) an earlier image wrote without rewriting them (the boot ROM erases each "
                "4 KB sector a UF2 writes): 0x10000000-0x10000fff");
    ERR_HAS(&r, "boot failed: no IMAGE_DEF");
    proc_free(&r);
}

static void clocks_150mhz(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-v", "--console", "uart", "--no-stdin", image("clocks150.uf2"), "--expect",
        "cycles per ms: [0-9]+\\r\\n", "--timeout-ms", "500", NULL);
    expect_exit(&r, 0);
    ERR_HAS(&r, "clk_sys = 150.000 MHz (from PLL_SYS)");
    ERR_HAS(&r, "clk_usb = 48.000 MHz (from PLL_USB)");
    ERR_HAS(&r, "clk_ref = 12.000 MHz (from XOSC)");
    OUT_HAS(&r, "cycles per ms: 150000\r\n");
    proc_free(&r);
}

static void timer_alarm_systick(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-q", "--console", "uart", "--no-stdin", image("timer.uf2"), "--expect", "done\\r\\n",
        "--timeout-ms", "500", NULL);
    expect_exit(&r, 0);
    OUT_HAS(&r, "alarm fired after 500 us, armed 0\r\n");
    /* polling COUNTFLAG adds a few cycles of latency to each period */
    long us = value_of(r.out, "10 SysTick periods took");
    if (us < 10000 || us > 10001) fail_msg("10 SysTick periods took %ld us", us);
    proc_free(&r);
}

/* exception entry and return (images/exceptions.c): an alarm interrupt
 * waking WFI, SVC's stacked frame, PendSV, PRIMASK, preemption by priority,
 * the FP context across a handler, SysTick interrupts */
static void exceptions_and_interrupts(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-q", "--console", "uart", "--no-stdin", image("exceptions.uf2"), "--expect",
        "done\\r\\n", "--timeout-ms", "500", NULL);
    expect_exit(&r, 0);
    long us = value_of(r.out, "timer irq after");
    if (us < 300 || us > 305) fail_msg("timer irq after %ld us (alarm set 300 us ahead)", us);
    OUT_HAS(&r, "svc r0 105\r\n");   /* 100 + the SVC number, written into the stacked r0 */
    OUT_HAS(&r, "pendsv 1\r\n");
    OUT_HAS(&r, "masked until cpsie: LHl at once\r\n");   /* IRQ 2 (0x40) preempts IRQ 1 (0x80) */
    OUT_HAS(&r, "fp kept\r\n");
    /* lazy FP stacking (FPCCR.LSPEN from reset): reserved at entry, filled
     * at the handler's first FP instruction, never filled without one */
    OUT_HAS(&r, "lazy fp: LSPACT 1 then 0, s0 filled in; no FP: LSPACT 1, same space, not filled, "
                "s0 kept\r\n");
    OUT_HAS(&r, "faultmask cleared by return\r\n");   /* B3.20: except from NMI */
    us = value_of(r.out, "3 systicks in");
    if (us < 3000 || us > 3010) fail_msg("3 systicks in %ld us (1 ms each)", us);
    OUT_HAS(&r, "udf in an irq: escalated to hardfault\r\n");
    /* B3.20: a stacked T of 0 returns into ARM state, the next instruction
     * raises INVSTATE (CFSR bit 17) for the firmware's UsageFault handler */
    OUT_HAS(&r, "return with T clear: CFSR 0x00020000\r\n");
    proc_free(&r);
}

/* a read of a register that does not exist (images/bus_fault.c): a precise
 * BusFault, escalated to HardFault, taken by the firmware's handler with
 * CFSR/HFSR/BFAR as silicon sets them; the simulator reports the access when
 * the handler loops forever. --strict-access stops at the access instead. */
static void bus_fault_to_the_handler(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-q", "--console", "uart", "--no-stdin", image("bus_fault.uf2"), "--timeout-ms", "500",
        NULL);
    expect_exit(&r, 2);
    OUT_HAS(&r, "hardfault CFSR=0x00008200 HFSR=0x40000000 BFAR=0x40070100 stacked pc: the load\r\n");
    ERR_HAS(&r, "addr=0x40070100 (read: UART0: no register at offset 0x100); the firmware's fault "
                "handler then loops forever at 0x");
    proc_free(&r);
    sim(&r, "-q", "--strict-access", "--console", "uart", "--no-stdin", image("bus_fault.uf2"),
        "--timeout-ms", "500", NULL);
    expect_exit(&r, 2);
    ERR_HAS(&r, "bad access: PC=0x");
    assert_null(strstr(r.out, "hardfault"));
    assert_null(strstr(r.err, "loops forever"));
    proc_free(&r);
}

/* the user switch as an interrupt (images/gpio_irq.c): IO_BANK0 latches the
 * falling edge in INTR, PROC0_INTS raises IO_IRQ_BANK0 (NVIC 21), WFI wakes;
 * clearing the edge lowers it */
static void gpio_edge_interrupt(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-q", "--console", "uart", "--no-stdin", image("gpio_irq.uf2"), "--press-button-at-ms",
        "50", "--expect", "done\\r\\n", "--timeout-ms", "500", NULL);
    expect_exit(&r, 0);
    OUT_HAS(&r, "button irq at 4");   /* ~50 ms after power-on, as user_button */
    OUT_HAS(&r, "INTS5 0x00400000, now 0x00000000\r\n");
    /* the GPIO coprocessor reads the pulled-up switch and drives GPIO25 */
    OUT_HAS(&r, "gpioc: GPIO45 1, OE 0x02000000, OUT 0x02000000 then 0x00000000\r\n");
    proc_free(&r);
}

/* a debugger's warm reset leaves the DMA running: the writes of a channel
 * left over from the run before are reported when the new firmware does
 * not reset the DMA (images/dma_left_over.c) */
static void dma_left_over_after_debug_reset(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "--console", "uart", "--no-stdin", image("dma_left_over.uf2"), "--expect",
        "dma started", "--debug-reset", "--expect", "done\\r\\n", "--timeout-ms", "3000", NULL);
    expect_exit(&r, 0);
    OUT_HAS(&r, "second run: channel 0 still busy\r\n");
    /* channel 1 over the second run's .bss, not channel 0 over memory no run wrote */
    ERR_HAS(&r, "DMA channel 1, left running by the run before the warm reset, writes to SRAM");
    ERR_HAS(&r, "which the new run has written");
    proc_free(&r);
}

static void psram_init_readback(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-v", "--console", "uart", "--no-stdin", image("psram.uf2"), "--expect", "done\\r\\n",
        "--timeout-ms", "2000", NULL);
    expect_exit(&r, 0);
    OUT_HAS(&r, "PSRAM id 0x000d5d46\r\n");   /* MFID 0D, KGD 5D, EID 46 */
    OUT_HAS(&r, "PSRAM read-back errors: 0\r\n");
    OUT_HAS(&r, "mirror: yes\r\n");
    ERR_HAS(&r, "XIP CS1 (PSRAM) window: read/write");
    proc_free(&r);
    /* another part: its EID, and 16 MB that no longer repeat after 8 MB */
    sim(&r, "--console", "uart", "--no-stdin", "--psram-eid", "0x26", "--psram-mb", "16",
        image("psram.uf2"), "--expect", "done\\r\\n", "--timeout-ms", "2000", NULL);
    expect_exit(&r, 0);
    OUT_HAS(&r, "PSRAM id 0x000d5d26\r\n");
    OUT_HAS(&r, "PSRAM read-back errors: 0\r\n");
    OUT_HAS(&r, "mirror: no\r\n");
    proc_free(&r);
}

static void psram_absent_on_pico2(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-q", "--board", "pico2", "--console", "uart", "--no-stdin", image("psram.uf2"),
        "--expect", "done\\r\\n", "--timeout-ms", "2000", NULL);
    expect_exit(&r, 0);
    OUT_HAS(&r, "PSRAM not found (KGD 0x00000000)");
    proc_free(&r);
}

static void psram_read_before_setup(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-v", "--console", "uart", "--no-stdin", image("psram_nosetup.uf2"), "--expect",
        "done\\r\\n", "--timeout-ms", "2000", NULL);
    expect_exit(&r, 0);
    /* the PSRAM holds 0xcafef00d across the reboot, but before set-up the
     * window reads the idle bus, not the stored data */
    OUT_HAS(&r, "stored 0xcafef00d, rebooting\r\n");
    OUT_HAS(&r, "after reboot, before set-up: 0xcccccccc\r\n");
    OUT_HAS(&r, "after set-up: 0xcafef00d\r\n");
    ERR_HAS(&r, "not the chip's contents");
    ERR_HAS(&r, "rebooting the board (watchdog)");
    proc_free(&r);
}

static void flash_direct_mode_and_xip(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-v", "--console", "uart", "--no-stdin", image("flash_qmi.uf2"), "--expect", "done\\r\\n",
        "--timeout-ms", "1000", NULL);
    expect_exit(&r, 0);
    /* as the A2 ROM's flash_select_xip_read_mode leaves both windows (facts 2.4) */
    OUT_HAS(&r, "boot M0 0x60007203 0x000492a8 0x000000eb\r\n");
    OUT_HAS(&r, "boot M1 0x60007203 0x000492a8 0x000000eb\r\n");
    OUT_HAS(&r, "JEDEC 0x00ef4018\r\n");
    OUT_HAS(&r, "SFDP signature ok, density 16 MB\r\n");
    OUT_HAS(&r, "busy seen 1\r\n");
    OUT_HAS(&r, "programmed page errors 0, rest of sector 0xffffffff\r\n");
    OUT_HAS(&r, "xip read 0xa5c3f00d\r\n");
    ERR_HAS(&r, "XIP CS0 (flash) window: unmapped (bus fault)");   /* while in direct mode */
    ERR_HAS(&r, "XIP CS0 (flash) window: read-only");                /* continuous EBh */
    /* 75 MHz on the pads the ROM leaves: boot2 would have set 8 mA, fast slew */
    ERR_HAS(&r, "QMI M0 SCK = 75.0 MHz (clk_sys / CLKDIV 2) with the QSPI SCLK pad at 4 mA, "
                "slow slew");
    proc_free(&r);
}

static void core1_launch(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-v", "--console", "uart", "--no-stdin", image("core1.uf2"), "--expect", "done\\r\\n",
        "--timeout-ms", "500", "--stats", NULL);
    expect_exit(&r, 0);
    OUT_HAS(&r, "core 1 CPUID 1, sum 500500\r\n");
    OUT_HAS(&r, "core 1 is running\r\n");
    ERR_HAS(&r, "core 1 launched: entry 0x");
    proc_free(&r);
}

static void dma_copy_and_stream(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-q", "--console", "uart", "--no-stdin", image("dma.uf2"), "--expect", "done\\r\\n",
        "--timeout-ms", "500", NULL);
    expect_exit(&r, 0);
    OUT_HAS(&r, "memcpy errors: 0, INTR 0x00000001\r\n");
    OUT_HAS(&r, "stream: 0x12345678 0xcafebabe 0xdeadbeef\r\n");
    proc_free(&r);
}

static void user_button(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-q", "--console", "uart", "--no-stdin", image("button.uf2"), "--press-button-at-ms",
        "50", "--press-button-ms", "100", "--expect", "done\\r\\n", "--timeout-ms", "500", NULL);
    expect_exit(&r, 0);
    OUT_HAS(&r, "pressed at 4");    /* ~50 ms after power-on; boot takes a few ms */
    OUT_HAS(&r, "released at 14");
    proc_free(&r);
    /* the same as a script step, 30 ms after the image's first line */
    sim(&r, "-q", "--console", "uart", "--no-stdin", image("button.uf2"), "--expect",
        "waiting for the button", "--wait-ms", "30", "--press-button", "--expect", "done\\r\\n",
        "--timeout-ms", "500", NULL);
    expect_exit(&r, 0);
    const char *at = strstr(r.out, "pressed at ");
    assert_non_null(at);
    int pressed = atoi(at + 11), released = atoi(strstr(r.out, "released at ") + 12);
    assert_true(pressed >= 30 && pressed <= 40); /* 30 ms after a boot of a few ms */
    assert_int_equal(released - pressed, 100);
    proc_free(&r);
}

static void watchdog_and_bootsel_reboot(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "--console", "uart", "--no-stdin", image("reboot.uf2"), "--timeout-ms", "500", NULL);
    expect_exit(&r, 0);
    OUT_HAS(&r, "boot 1: watchdog reboot in 2 ms\r\n");
    OUT_HAS(&r, "boot 2: reason 0x00000001\r\n");   /* WATCHDOG REASON: TIMER */
    OUT_HAS(&r, "ROM reboot found\r\n");
    ERR_HAS(&r, "reboot to BOOTSEL requested");
    proc_free(&r);
}

static void trace_mmio_lines(void **state)
{
    (void)state;
    const char *trace = testenv_tmp("trace.txt");
    proc_result r;
    sim(&r, "-q", "--console", "uart", "--no-stdin", image("hello_uart.uf2"), "--trace-mmio",
        trace, "--expect", "chip id", "--timeout-ms", "500", NULL);
    expect_exit(&r, 0);
    proc_free(&r);
    char *t = testenv_read(trace, NULL);
    assert_non_null(t);
    /* the first character of the greeting, written to UART0 DR by the core */
    expect_in(t, "W 0x40070000 0x00000068 0x1000", "trace");
    /* every line: R|W 0xADDRESS 0xVALUE PC (or DMA / SIM for other masters) */
    regex_t re;
    assert_int_equal(regcomp(&re, "^[RW] 0x[0-9a-f]{8} 0x[0-9a-f]{8} (0x[0-9a-f]{8}|DMA|SIM)$",
                             REG_EXTENDED | REG_NOSUB), 0);
    int lines = 0;
    for (char *line = strtok(t, "\n"); line; line = strtok(NULL, "\n"), lines++)
        if (regexec(&re, line, 0, NULL, 0) != 0) fail_msg("bad trace line '%s'", line);
    assert_true(lines > 100);
    regfree(&re);
    free(t);
}

/* ---- USB ---- */

static void usb_cdc_echo(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-v", "--no-stdin", image("usb_echo.uf2"), "--expect", "USB CDC echo ready\\r\\n", "--send",
        "hello\\r", "--expect", "HELLO", "--send", "\\x03", "--expect", "\\^C\\r\\n",
        "--timeout-ms", "2000", NULL);
    expect_exit(&r, 0);
    OUT_HAS(&r, "USB CDC echo ready\r\nHELLO\r^C\r\n");
    ERR_HAS(&r, "USB: product string \"Virtual board CDC\"");
    ERR_HAS(&r, "USB: configured; CDC-ACM data IN EP2 (64 bytes), OUT EP2 (64 bytes)");
    ERR_HAS(&r, "USB: the terminal opens the port (DTR on)");
    proc_free(&r);
}

static void usb_host_stall(void **state)
{
    (void)state;
    proc_result r;
    /* while the host does not read, the device cannot send; input still goes
     * out, and the echo arrives once the host reads again */
    sim(&r, "-q", "--no-stdin", image("usb_echo.uf2"), "--expect", "ready\\r\\n",
        "--host-stall-ms", "50", "--send", "abc", "--expect", "ABC", "--timeout-ms", "2000",
        "--stats", NULL);
    expect_exit(&r, 0);
    OUT_HAS(&r, "ABC");
    proc_free(&r);
}

static void usb_disconnect(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-v", "--console", "uart", "--no-stdin", image("usb_echo.uf2"), "--expect", "ready\\r\\n",
        "--expect", "DTR dropped\\r\\n", "--disconnect-at-ms", "300", "--timeout-ms", "1000", NULL);
    expect_exit(&r, 0);
    ERR_HAS(&r, "the terminal closes the port (DTR off)");
    proc_free(&r);
}

/* --open-port once the host has gone away (--disconnect-at-ms): the run
 * stops at that step, naming it, instead of waiting for output that
 * cannot come until the timeout. */
static void usb_open_port_after_disconnect(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-q", "--no-stdin", image("usb_echo.uf2"), "--disconnect-at-ms", "300", "--expect",
        "ready", "--wait-ms", "400", "--open-port", "--expect", "ready", "--timeout-ms", "5000",
        "--stats", NULL);
    expect_exit(&r, 1);
    ERR_HAS(&r, "script: --open-port (step 3 of 4) cannot run: the host went away at 300 ms "
                "(--disconnect-at-ms)");
    ERR_HAS(&r, "USB CDC echo ready");   /* the tail of the output */
    /* it stopped there, not at the timeout */
    if (strstr(r.err, "timeout:")) fail_msg("the run waited for its timeout:\n%s", r.err);
    const char *t = strstr(r.err, "instructions (core 0");
    assert_non_null(t);
    double ms = strtod(strstr(t, "), ") + 3, NULL);
    if (ms < 300 || ms > 1000) fail_msg("stopped after %.3f ms of modelled time", ms);
    proc_free(&r);
    /* closing it is no error: it is closed already */
    sim(&r, "-q", "--no-stdin", image("usb_echo.uf2"), "--disconnect-at-ms", "300", "--expect",
        "ready", "--wait-ms", "400", "--close-port", "--timeout-ms", "5000", NULL);
    expect_exit(&r, 0);
    proc_free(&r);
}

/* The terminal closes the port and opens it again at once: the host sends
 * SET_CONTROL_LINE_STATE with DTR off, and the device sees it (its UART
 * mirror reports the drop) before DTR comes back on. */
static void usb_close_and_open_at_once(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-v", "--console", "uart", "--no-stdin", image("usb_echo.uf2"), "--expect",
        "ready\\r\\n", "--close-port", "--open-port", "--expect",
        "DTR dropped\\r\\nUSB CDC echo ready\\r\\n", "--timeout-ms", "1000", NULL);
    expect_exit(&r, 0);
    /* the host's control requests, in order: DTR on again only after the
     * device answered the request that dropped it */
    const char *closed = strstr(r.err, "USB: the terminal closes the port (DTR off)");
    assert_non_null(closed);
    const char *seen = strstr(closed, "USB: the device acknowledged SET_CONTROL_LINE_STATE(0)");
    assert_non_null(seen);
    assert_non_null(strstr(seen, "USB: the terminal opens the port (DTR on)"));
    proc_free(&r);
}

/* A bus reset mid-session: the device is enumerated again and the port the
 * terminal has open is opened again; one it was closing stays closed. */
static void usb_bus_reset_keeps_the_port_state(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-v", "--no-stdin", image("usb_echo.uf2"), "--expect", "ready", "--bus-reset", "--expect",
        "ready", "--send", "abc", "--expect", "ABC", "--timeout-ms", "2000", NULL);
    expect_exit(&r, 0);
    assert_int_equal(testenv_count(r.err, "USB: configured;"), 2);
    assert_int_equal(testenv_count(r.err, "the terminal opens the port (DTR on)"), 2);
    proc_free(&r);
    sim(&r, "-v", "--no-stdin", image("usb_echo.uf2"), "--expect", "ready", "--close-port",
        "--bus-reset", "--wait-ms", "300", "--timeout-ms", "2000", NULL);
    expect_exit(&r, 0);
    assert_int_equal(testenv_count(r.err, "USB: configured;"), 2);
    assert_int_equal(testenv_count(r.err, "the terminal opens the port (DTR on)"), 1);
    proc_free(&r);
}

static void usb_bad_wtotallength(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-q", "--no-stdin", image("usb_bad_total.uf2"), "--timeout-ms", "2000", NULL);
    expect_exit(&r, 2);
    ERR_HAS(&r, "USB protocol violation: configuration descriptor: wTotalLength is 80 but the "
                "device returned 75 bytes");
    proc_free(&r);
}

static void usb_setup_never_answered(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-q", "--no-stdin", image("usb_no_setup.uf2"), "--timeout-ms", "10000", NULL);
    expect_exit(&r, 1);
    ERR_HAS(&r, "USB host: GET_DESCRIPTOR(DEVICE) timed out after 5000 ms at address 0");
    ERR_HAS(&r, "the firmware never answered the SETUP request");
    proc_free(&r);
}

/* ---- faults ---- */

static void no_imagedef_refused(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-q", "--no-stdin", image("no_imagedef.uf2"), "--timeout-ms", "100", NULL);
    expect_exit(&r, 2);
    ERR_HAS(&r, "boot failed: no IMAGE_DEF block (start marker 0xffffded3) in the first 4 KB at "
                "0x10000000");
    assert_null(strstr(r.out, "must never run"));
    proc_free(&r);
}

static void bad_register_stops(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-q", "--console", "uart", "--no-stdin", image("bad_register.uf2"), "--timeout-ms",
        "500", NULL);
    expect_exit(&r, 2);
    ERR_HAS(&r, "bad access: PC=0x");
    ERR_HAS(&r, "addr=0x40070100 (read: UART0: no register at offset 0x100)");
    OUT_HAS(&r, "reading a register that does not exist\r\n");
    assert_null(strstr(r.out, "still running"));
    proc_free(&r);
}

static void fpu_without_cpacr(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-q", "--console", "uart", "--no-stdin", image("fpu_nocp.uf2"), "--expect",
        "still running", "--timeout-ms", "500", NULL);
    expect_exit(&r, 0);
    /* NOCP, escalated (UsageFault disabled), at the FP instruction itself;
     * the handler grants CP10/CP11 and the instruction runs again */
    OUT_HAS(&r, "hardfault: CFSR 0x00080000 HFSR 0x40000000, stacked pc: the FP instruction\r\n");
    OUT_HAS(&r, "still running: 4.5\r\n");
    proc_free(&r);
}

static void undefined_instruction(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-q", "--console", "uart", "--no-stdin", image("udf.uf2"), "--timeout-ms", "500", NULL);
    expect_exit(&r, 2);
    ERR_HAS(&r, "undefined instruction at PC=0x");
    ERR_HAS(&r, ": de07");   /* UDF #7 */
    proc_free(&r);
}

/* ---- modelled time (datasheet 3.7.4.9, sim/timing.c, sim/xip_cache.c) ---- */

static void expect_cycles(const char *out, const char *name, long want, const char *why)
{
    long got = value_of(out, name);
    if (got != want) fail_msg("%s: %ld cycles, expected %ld (%s)", name, got, want, why);
}

static void instruction_timings(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-q", "--console", "uart", "--no-stdin", image("timing.uf2"), "--expect", "done\\r\\n",
        "--timeout-ms", "1000", NULL);
    expect_exit(&r, 0);
    /* each payload follows a taken branch to a halfword-aligned address: a
     * 32-bit first instruction there costs U = 1 more (3.7.4.9.7) */
    expect_cycles(r.out, "nop", 0, "a NOP folds with the following 16-bit instruction");
    expect_cycles(r.out, "delay_odd", 299, "the datasheet's delay loop with SUBS word-aligned");
    expect_cycles(r.out, "delay_even", 300, "the same loop one halfword further");
    expect_cycles(r.out, "vadd_dep16", 2 * 16 - 1 + 1, "dependent VADD.F32: 2 cycles each");
    expect_cycles(r.out, "vadd_ind16", 16 + 1, "independent VADD.F32: 1 cycle each");
    expect_cycles(r.out, "vfma_acc16", 3 * 15 + 1 + 1, "VFMA into one accumulator: every 3 cycles");
    expect_cycles(r.out, "vdiv_dep4", 15 * 3 + 1 + 1, "dependent VDIV: 14 + 1 each");
    expect_cycles(r.out, "vdiv_ind4", 14 * 3 + 1 + 1, "independent VDIV: FPU busy 14 each");
    expect_cycles(r.out, "ldr_ind16", 16, "SRAM loads: 1 cycle each");
    expect_cycles(r.out, "ldr_dep16", 2 * 16 - 1, "pointer chasing: 1 + result delay each");
    expect_cycles(r.out, "mla_chain16", 16 + 1, "MLA chained through the accumulator: 1 each");
    proc_free(&r);
}

/* The QSPI transfer of `bytes` through a window with these registers, the
 * chip select held by COOLDOWN from the previous (non-sequential) transfer:
 * written out again here from the datasheet's fields (12.14, QMI_Mx_TIMING)
 * as sim/xip_cache.c documents the formula. */
static long qspi_cycles(uint32_t timing, uint32_t fmt, int bytes)
{
    static const int lines[4] = {1, 2, 4, 4};
    long T = (timing & 0xFF) ? (timing & 0xFF) : 256, h = (T + 1) / 2;
    long rx = (((timing >> 8) & 7) + 1) / 2, min_deselect = (timing >> 12) & 0x1F;
    long setup = (timing >> 25) & 1;
    long sck = 0;
    if (fmt & (1u << 12)) sck += 8 / lines[fmt & 3];                   /* prefix */
    sck += 24 / lines[(fmt >> 2) & 3];                                  /* address */
    if (((fmt >> 14) & 3) == 2) sck += 8 / lines[(fmt >> 4) & 3];      /* suffix */
    sck += 4 * ((fmt >> 16) & 7) / lines[(fmt >> 6) & 3];              /* dummy */
    sck += 8 * bytes / lines[(fmt >> 8) & 3];                           /* data */
    /* release the held chip select, deselect time, the transfer, the last
     * capture (+RXDELAY), one cycle to the requester */
    return h + min_deselect + setup + sck * T + h + rx + 1;
}

static void xip_cache_misses(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-q", "--console", "uart", "--no-stdin", image("timing.uf2"), "--expect", "done\\r\\n",
        "--timeout-ms", "1000", NULL);
    expect_exit(&r, 0);
    uint32_t timing = (uint32_t)value_of(r.out, "m0_timing"), fmt = (uint32_t)value_of(r.out, "m0_rfmt");
    assert_int_equal(timing, 0x60007203u);   /* as the boot ROM leaves it (facts 2.4) */
    /* 64 loads 64 bytes apart: 64 line fills of 8 bytes, then 64 hits */
    expect_cycles(r.out, "xip_miss64", 64 * qspi_cycles(timing, fmt, 8), "64 XIP cache misses");
    expect_cycles(r.out, "xip_hit64", 0, "XIP cache hits cost what SRAM costs");
    expect_cycles(r.out, "xip_uncached64", 64 * qspi_cycles(timing, fmt, 4),
                 "64 uncached 4-byte reads");
    proc_free(&r);
}

/* A line of the profile's function table whose core columns match. */
static void expect_profile_line(const char *profile, const char *cores, const char *function)
{
    char pattern[256];
    snprintf(pattern, sizeof(pattern), "\n +[0-9.]+%% +[0-9]+ +[0-9]+ +[0-9]+ +[0-9.]+ +%s  %s\n",
             cores, function);
    regex_t re;
    assert_int_equal(regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB), 0);
    if (regexec(&re, profile, 0, NULL, 0))
        fail_msg("no line /%s/ in the profile:\n%s", pattern, profile);
    regfree(&re);
}

/* The report a run that ended well wrote into out (freed by the caller). */
static char *profile_of_run(proc_result *r, const char *out)
{
    expect_exit(r, 0);
    proc_free(r);
    char *p = testenv_read(out, NULL);
    assert_non_null(p);
    return p;
}

static void profile_report(void **state)
{
    (void)state;
    const char *out = testenv_tmp("profile.txt");
    proc_result r;
    sim(&r, "-q", "--console", "uart", "--no-stdin", image("timing.uf2"), "--expect", "vadd_dep16",
        "--profile-reset", "--expect", "done\\r\\n", "--profile-out", out, "--timeout-ms", "1000", NULL);
    char *p = profile_of_run(&r, out);
    /* symbols from timing.elf beside timing.uf2; the XIP loop's misses */
    expect_in(p, "# symbols: ", "profile");
    expect_in(p, "timing.elf", "profile");
    expect_in(p, "k_xip_reads", "profile");
    expect_in(p, "class other", "profile");
    expect_in(p, "region flash (QMI CS0)", "profile");
    expect_in(p, "region SRAM", "profile");
    expect_profile_line(p, "[0-9]+ +0", "k_xip_reads");
    free(p);
    /* --elf with a file that is not there */
    sim(&r, "-q", "--no-stdin", "--profile", "--elf", "/nonexistent.elf", image("timing.uf2"), NULL);
    expect_exit(&r, 3);
    ERR_HAS(&r, "--elf: cannot read /nonexistent.elf");
    proc_free(&r);
}

/* An output file that cannot be written is an error: a report into a
 * missing directory before the run starts (its --expect is never met, so a
 * run would time out with exit 1), a report, a UART log or the simulator's
 * own log the disk refuses when it is written. A run that cannot start
 * leaves no empty report. */
static void profile_out_unwritable(void **state)
{
    (void)state;
    proc_result r;
    const char *out = testenv_tmp("never-written.txt");
    sim(&r, "-q", "--console", "uart", "--no-stdin", image("hello_uart.uf2"), "--expect",
        "never printed", "--profile-out", out, "--elf", "/nonexistent.elf", NULL);
    expect_exit(&r, 3);
    ERR_HAS(&r, "--elf: cannot read /nonexistent.elf");
    assert_int_equal(access(out, F_OK), -1);
    proc_free(&r);
    sim(&r, "-q", "--console", "uart", "--no-stdin", image("hello_uart.uf2"), "--expect",
        "never printed", "--profile-out", "/nonexistent/profile.txt", "--timeout-ms", "50", NULL);
    expect_exit(&r, 3);
    ERR_HAS(&r, "cannot write /nonexistent/profile.txt");
    proc_free(&r);
    const char *full_disk[] = {"--uart-log", "--profile-out", "--log"};
    for (size_t i = 0; i < sizeof(full_disk) / sizeof(full_disk[0]); i++) {
        sim(&r, "-q", "--console", "uart", "--no-stdin", image("hello_uart.uf2"), "--expect",
            "hello from", full_disk[i], "/dev/full", "--timeout-ms", "500", NULL);
        expect_exit(&r, 3);
        ERR_HAS(&r, "cannot write /dev/full");
        proc_free(&r);
    }
}

/* The cores run in turns (--slice-cycles), but a FIFO word, its SEV and
 * the FIFO's interrupt reach the other core when they happen: 2000 round
 * trips take about 40 cycles each, whatever the turn's length (the turns
 * once made each one wait for the end of a turn: 1852 cycles at the
 * default 2000), no word is read before it was written (core 1, running
 * behind core 0, once read most of them up to a turn early), and core 1's
 * FIFO interrupt comes once a word, with the word there. */
static void fifo_round_trips_take_cycles_not_turns(void **state)
{
    (void)state;
    static const char *const slices[] = {"100", "2000", "20000"};
    for (int i = 0; i < 3; i++) {
        proc_result r;
        sim(&r, "-q", "--console", "uart", "--no-stdin", "--slice-cycles", slices[i],
            image("fifo_pingpong.uf2"), "--expect", "done\r\n", "--timeout-ms", "500", NULL);
        expect_exit(&r, 0);
        long us = value_of(r.out, "round trips: 2000 in");
        if (us > 1000) /* 75 cycles a round trip at 150 MHz */
            fail_msg("2000 round trips took %ld us with --slice-cycles %s", us, slices[i]);
        OUT_HAS(&r, " us, 0 wrong\r\n");
        OUT_HAS(&r, "words read before they were written: 0\r\n");
        OUT_HAS(&r, "interrupts: 50 for 50 words, 0 reads of an empty FIFO, 0 wrong\r\n");
        proc_free(&r);
    }
}

/* Each function's cycles are split by the core that ran them: core 1's
 * loop on core 1 alone, main on core 0 alone. */
static void profile_splits_by_core(void **state)
{
    (void)state;
    const char *out = testenv_tmp("profile-cores.txt");
    proc_result r;
    sim(&r, "-q", "--console", "uart", "--no-stdin", image("core1.uf2"), "--expect", "done\\r\\n",
        "--profile-out", out, "--timeout-ms", "500", NULL);
    char *p = profile_of_run(&r, out);
    expect_profile_line(p, "0 +[1-9][0-9]*", "core1_main");
    expect_profile_line(p, "[1-9][0-9]* +0", "main");
    expect_in(p, "Core 0         Core 1", "profile");
    free(p);
}

static void timeout_prints_tail(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-q", "--console", "uart", "--no-stdin", image("hello_uart.uf2"), "--expect",
        "never printed", "--timeout-ms", "50", NULL);
    expect_exit(&r, 1);
    ERR_HAS(&r, "timeout: 50 ms of modelled time elapsed; still waiting for --expect 'never printed'");
    ERR_HAS(&r, "hello from the virtual RP2350");
    proc_free(&r);
}

/* A timeout names the step the script is waiting in, as it was given. */
static void timeout_names_the_waiting_step(void **state)
{
    (void)state;
    proc_result r;
    sim(&r, "-q", "--console", "uart", "--no-stdin", image("hello_uart.uf2"), "--expect", "chip id",
        "--wait-ms", "3000", "--timeout-ms", "50", NULL);
    expect_exit(&r, 1);
    ERR_HAS(&r, "timeout: 50 ms of modelled time elapsed; still waiting for --wait-ms 3000 (step 2 "
                "of 2)");
    proc_free(&r);
}

#define TEST(f) cmocka_unit_test(f)

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        TEST(help_documents_every_option), TEST(bad_usage), TEST(bad_uf2_refused),
        TEST(diagnostics_only_with_verbose), TEST(timeout_names_the_waiting_step),
        TEST(boot_uart_hello), TEST(boot_elf_and_second_uf2), TEST(uf2_written_as_the_rom_does),
        TEST(clocks_150mhz),
        TEST(timer_alarm_systick), TEST(exceptions_and_interrupts), TEST(bus_fault_to_the_handler),
        TEST(gpio_edge_interrupt), TEST(dma_left_over_after_debug_reset),
        TEST(psram_init_readback), TEST(psram_absent_on_pico2),
        TEST(psram_read_before_setup), TEST(flash_direct_mode_and_xip), TEST(core1_launch), TEST(fifo_round_trips_take_cycles_not_turns), TEST(dma_copy_and_stream),
        TEST(user_button), TEST(watchdog_and_bootsel_reboot), TEST(trace_mmio_lines),
        TEST(usb_cdc_echo), TEST(usb_host_stall), TEST(usb_disconnect),
        TEST(usb_open_port_after_disconnect), TEST(usb_close_and_open_at_once),
        TEST(usb_bus_reset_keeps_the_port_state), TEST(usb_bad_wtotallength),
        TEST(usb_setup_never_answered), TEST(no_imagedef_refused), TEST(bad_register_stops),
        TEST(fpu_without_cpacr), TEST(undefined_instruction), TEST(timeout_prints_tail),
        TEST(instruction_timings), TEST(xip_cache_misses), TEST(profile_report), TEST(profile_splits_by_core),
        TEST(profile_out_unwritable),
    };
    if (argc > 1) cmocka_set_test_filter(argv[1]);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
