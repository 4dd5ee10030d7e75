/* test_usbip_linux.c - a real Linux USB host stack drives the virtual
 * board: picollama-sim --usbip exports the board's USB port, a Debian
 * kernel in QEMU (TCG) attaches it with usbip and vhci_hcd, cdc_acm binds
 * it as /dev/ttyACM0, and a console session runs on it against
 * pico_llama.uf2 (build-guest.sh builds the guest, run-guest.sh runs it,
 * guest-init.sh is the session). Checked here, from the transcript the
 * guest prints on its serial console: the banner and a story arrive,
 * /help answers, a typed prompt is continued, /bench tells exactly the
 * story `picollama run` tells on the PC with the same image and settings,
 * and after the port is closed and opened again the console answers /help.
 * Nothing is skipped: without QEMU, socat or Debian's packages the test
 * fails naming what is missing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "firmware_session.h"
#include "proc.h"

#define HELP_ANSWER "Type a prompt and press Enter: the model continues it."
#define PROMPT "The little dog"

/* the text between two marker lines of the guest's console (NULL if they
 * are not there) */
static char *section(const char *out, const char *begin, const char *end)
{
    const char *b = strstr(out, begin);
    if (!b) return NULL;
    b += strlen(begin);
    const char *e = strstr(b, end);
    if (!e) return NULL;
    char *text = malloc((size_t)(e - b) + 1);
    size_t n = 0;
    for (const char *p = b; p < e; p++) text[n++] = *p;
    text[n] = '\0';
    return text;
}

static proc_result run_guest(void)
{
    char *build[] = {"/bin/sh", BUILD_GUEST, GUEST_DIR, NULL};
    proc_result b;
    assert_true(proc_run(build, NULL, 900, &b));
    if (b.exit_code != 0 || b.signal)
        fail_msg("the Linux guest cannot be built (exit %d):\n%s%s", b.exit_code, b.out, b.err);
    proc_free(&b);
    char *run[] = {"/bin/sh", RUN_GUEST, PICOSIM_BIN, FIRMWARE_UF2, GUEST_DIR, LOG_DIR, NULL};
    proc_result r;
    assert_true(proc_run(run, NULL, 600, &r));
    if (r.exit_code != 0 || r.signal || !strstr(r.out, "GUEST: PASS")) {
        char path[4096];
        snprintf(path, sizeof(path), "%s/sim.log", LOG_DIR);
        FILE *f = fopen(path, "r");
        char sim[8192] = "";
        if (f) {
            sim[fread(sim, 1, sizeof(sim) - 1, f)] = '\0';
            fclose(f);
        }
        fail_msg("the guest's session failed (exit %d, signal %d, timed out %d):\n--- guest "
                 "console (tail)\n%s\n--- run-guest.sh\n%s\n--- picollama-sim\n%s", r.exit_code,
                 r.signal, r.timed_out, r.out + (r.out_len > 6000 ? r.out_len - 6000 : 0), r.err,
                 sim);
    }
    /* the serial console's line ends are CR LF */
    size_t n = 0;
    for (size_t i = 0; i < r.out_len; i++)
        if (r.out[i] != '\r') r.out[n++] = r.out[i];
    r.out[n] = '\0';
    r.out_len = n;
    return r;
}

/* /bench: 256 tokens from BOS, t=1.0, p=0.9, seed 42, with the image the
 * board boots with (q8) */
static char *host_bench(void)
{
    const char *argv[] = {PICOLLAMA_BIN, "run", FIRMWARE_Q8_IMAGE, "-t", "1.0", "-p", "0.9",
                          "-s", "42", "-n", "256", NULL};
    proc_result r = session_tool(argv);
    char *text = r.out;
    r.out = NULL;
    proc_free(&r);
    return text;
}

static void linux_attaches_the_board_and_holds_a_session(void **state)
{
    (void)state;
    if (session_model_missing()) fail();
    proc_result r = run_guest();
    char *klog = section(r.out, "=== KERNEL LOG BEGIN ===\n", "=== KERNEL LOG END ===");
    char *t = section(r.out, "=== TRANSCRIPT BEGIN ===\n", "\n=== TRANSCRIPT END ===");
    assert_non_null(klog);
    assert_non_null(t);
    printf("the guest kernel's USB messages:\n%s", klog);
    /* vhci_hcd and cdc_acm bound the board */
    assert_true(session_matches(klog, "usb 1-1: new full-speed USB device number [0-9]+ using vhci_hcd"));
    assert_true(session_matches(klog, "cdc_acm 1-1:1.0: ttyACM0: USB ACM device"));

    /* the banner, and a story after it */
    const char *banner = strstr(t, "\nPico LLaMA ");
    assert_non_null(banner);
    assert_true(session_matches(banner, "^\nPico LLaMA [0-9.]+: Llama-2 stories on the RP2350\n"));
    assert_non_null(strstr(banner, "\n--- "));
    assert_true(session_matches(strstr(banner, "\n--- "), "^\n--- [0-9]+ tokens in [0-9.]+ ms = [0-9.]+ tok/s ---\n"));
    /* /help answers */
    const char *help = strstr(t, "> /help\n" HELP_ANSWER);
    assert_non_null(help);
    /* the typed prompt is continued */
    size_t cursor = (size_t)(help - t);
    char *cont = session_generation(t, PROMPT, &cursor);
    if (!cont) fail_msg("no generation after '%s' in:\n%s", PROMPT, t);
    assert_true(strncmp(cont, PROMPT, strlen(PROMPT)) == 0 && strlen(cont) > strlen(PROMPT) + 10);
    /* /bench tells the PC's story */
    char *bench = session_generation(t, "/bench", &cursor);
    if (!bench) fail_msg("no /bench generation in:\n%s", t);
    char *want = host_bench();
    if (strcmp(bench, want) != 0)
        print_error("/bench: board and host differ\n--- host\n%s--- board\n%s\n", want, bench);
    assert_string_equal(bench, want);
    assert_true(session_matches(t + cursor, "^[0-9]+ tokens in [0-9.]+ ms = [0-9.]+ tok/s ---\n"));
    /* closed and opened again, the console answers */
    assert_non_null(strstr(t + cursor, "> /help\n" HELP_ANSWER));
    free(want);
    free(bench);
    free(cont);
    free(t);
    free(klog);
    proc_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(linux_attaches_the_board_and_holds_a_session),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
