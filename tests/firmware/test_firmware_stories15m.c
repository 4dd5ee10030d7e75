/* test_firmware_stories15m.c - a stories15M-shaped model (random weights
 * from the project's generator, tokenizer.bin's 32000 tokens) packed as q8
 * and as q4 model UF2s and flashed over the firmware's model slot: the
 * board streams the weights from flash through SRAM tiles and tells the
 * story the host tells for the same image, prompt and seed; after a
 * debugger's warm reset mid-stream too. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "firmware_session.h"
#include "proc.h"
#include "testenv.h"

#define PROMPT "Once upon a time"

static const char *make_checkpoint(void)
{
    const char *ckpt = testenv_tmp("s15m.bin");
    const char *argv[] = {GEN_CHECKPOINT_BIN, ckpt, "--dim", "288", "--hidden", "768",
                          "--layers", "6", "--heads", "6", "--kv-heads", "6", "--vocab",
                          "32000", "--seq", "256", NULL};
    proc_result r = session_tool(argv);
    proc_free(&r);
    return ckpt;
}

/* Packs the checkpoint as an image of one precision (groups fixed at 128
 * values, as the packer would settle on after trying smaller ones: the
 * search costs minutes), then as a model UF2 for the flash slot. */
static void pack(const char *ckpt, const char *precision, const char *image, const char *uf2)
{
    const char *tokenizer = testenv_model("tokenizer.bin");
    if (!tokenizer) fail_msg("MODEL MISSING: tokenizer.bin (run 'make models')");
    const char *argv[] = {PICOLLAMA_BIN, "pack", ckpt, tokenizer, "-q", precision, "--group",
                          "128", "--calibrate", "0", "-o", image, NULL};
    proc_result r = session_tool(argv);
    proc_free(&r);
    char at[4300];
    snprintf(at, sizeof(at), "%s@0x10080000", image);
    const char *uf2_argv[] = {PICOLLAMA_BIN, "uf2", at, "-o", uf2, NULL};
    r = session_tool(uf2_argv);
    proc_free(&r);
}

static char *host_story(const char *image)
{
    const char *argv[] = {PICOLLAMA_BIN, "run", image, "-t", "0.8", "-p", "0.9", "-s", "7",
                          "-n", "8", "-i", PROMPT, NULL};
    proc_result r = session_tool(argv);
    free(r.err);
    return r.out;
}

/* A fresh random model packed at precision: image and model UF2 paths. */
static const char *packed_model(const char *precision, char *image, size_t image_cap)
{
    const char *ckpt = make_checkpoint();
    char name[64];
    snprintf(name, sizeof(name), "s15m-%s.img", precision);
    snprintf(image, image_cap, "%s", testenv_tmp(name));
    snprintf(name, sizeof(name), "s15m-%s.uf2", precision);
    const char *uf2 = testenv_tmp(name);
    pack(ckpt, precision, image, uf2);
    return uf2;
}

/* The firmware with the model UF2 on top, on the board, from the boot. */
static void begin_with_model(session *s, const char *uf2, int verbose)
{
    if (verbose) session_begin_verbose(s, FIRMWARE_UF2);
    else session_begin(s, FIRMWARE_UF2);
    session_arg(s, uf2);
    session_arg(s, "--timeout-ms");
    session_arg(s, "600000");
}

/* At the boot banner: the story the host tells with host_story(). */
static void tell_story(session *s)
{
    session_skip_boot_story(s); /* the boot story would take minutes */
    session_line(s, "/temp 0.8");
    session_line(s, "/seed 7");
    session_line(s, "/steps 8");
    session_send(s, PROMPT "\r");
    session_expect(s, "tok/s ---\n> ");
}

static void board_streams_and_matches_host(const char *precision)
{
    char image[4200];
    const char *uf2 = packed_model(precision, image, sizeof(image));
    session s;
    begin_with_model(&s, uf2, 0);
    tell_story(&s);
    proc_result r = session_run(&s, 1200);
    if (r.exit_code != 0) print_error("sim exit %d:\n%s\n%s\n", r.exit_code, r.err, r.out);
    assert_int_equal(r.exit_code, 0);

    char model_line[160];
    snprintf(model_line, sizeof(model_line),
             "model: dim 288, hidden 768, 6 layers, 6 heads (6 kv), vocab 32000, context 256, %s\n",
             precision);
    assert_non_null(strstr(r.out, model_line));
    assert_non_null(strstr(r.out, "model image 0x10080000-"));
    assert_non_null(strstr(r.out, "weights streamed through 2 x"));
    size_t cursor = 0;
    char *got = session_generation(r.out, PROMPT, &cursor);
    char *want = host_story(image);
    if (!got || strcmp(got, want) != 0)
        print_error("%s: board and host differ\n--- host\n%s--- board\n%s\n", precision, want,
                    got ? got : "(not found)");
    assert_non_null(got);
    assert_string_equal(got, want);
    assert_int_equal(session_token_count(r.out, cursor - 5), 8 - 1); /* all 8 positions ran */
    free(got);
    free(want);
    proc_free(&r);
    session_free(&s);
}

/* A debugger resets the cores (SYSRESETREQ) while the weights stream: the
 * peripherals keep running, so the DMA channel that was loading a tile
 * must not write into SRAM under the new run; the board boots again and
 * tells the host's story. */
static void debugger_reset_while_streaming(void **state)
{
    (void)state;
    char image[4200];
    const char *uf2 = packed_model("q4", image, sizeof(image));
    session s;
    begin_with_model(&s, uf2, 1); /* stderr tells whether a DMA channel was busy */
    session_skip_boot_story(&s);
    session_send(&s, PROMPT "\r");
    session_expect(&s, PROMPT "\n[^\n]"); /* generating: tiles stream */
    session_arg(&s, "--debug-reset");
    session_expect(&s, "Llama-2 stories on the RP2350"); /* the new session after the reboot */
    tell_story(&s);
    proc_result r = session_run(&s, 1200);
    session_expect_ok(&r);
    if (strstr(r.err, "left running")) fail_msg("a DMA channel outlived the reset:\n%s", r.err);
    assert_non_null(strstr(r.err, "keeps running across the warm reset")); /* the case arose */
    const char *reboot = strstr(r.out, "Llama-2 stories on the RP2350");
    reboot = reboot ? strstr(reboot + 1, "Llama-2 stories on the RP2350") : NULL; /* after the reset */
    assert_non_null(reboot);
    size_t cursor = (size_t)(reboot - r.out);
    char *got = session_generation(r.out, PROMPT, &cursor);
    char *want = host_story(image);
    assert_non_null(got);
    assert_string_equal(got, want);
    free(got);
    free(want);
    proc_free(&r);
    session_free(&s);
}

static void q8_from_flash(void **state)
{
    (void)state;
    board_streams_and_matches_host("q8");
}

static void q4_from_flash(void **state)
{
    (void)state;
    board_streams_and_matches_host("q4");
}

/* test_firmware_stories15m [NAME]: every test, or the one named */
int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(q8_from_flash),
        cmocka_unit_test(q4_from_flash),
        cmocka_unit_test(debugger_reset_while_streaming),
    };
    if (argc > 1) cmocka_set_test_filter(argv[1]);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
