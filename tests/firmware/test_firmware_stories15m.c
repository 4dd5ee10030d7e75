/* test_firmware_stories15m.c - a stories15M-shaped model (random weights
 * from the project's generator, tokenizer.bin's 32000 tokens) packed as q8
 * and as q4 model UF2s and flashed over the firmware's model slot: the
 * board streams the weights from flash through SRAM tiles and tells the
 * story the host tells for the same image, prompt and seed. */
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

static proc_result run_tool(const char *const *argv)
{
    proc_result r;
    assert_true(proc_run((char *const *)argv, NULL, 600, &r));
    if (r.exit_code != 0) print_error("%s failed:\n%s\n", argv[0], r.err);
    assert_int_equal(r.exit_code, 0);
    return r;
}

static const char *make_checkpoint(void)
{
    const char *ckpt = testenv_tmp("s15m.bin");
    const char *argv[] = {GEN_CHECKPOINT_BIN, ckpt, "--dim", "288", "--hidden", "768",
                          "--layers", "6", "--heads", "6", "--kv-heads", "6", "--vocab",
                          "32000", "--seq", "256", NULL};
    proc_result r = run_tool(argv);
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
    proc_result r = run_tool(argv);
    proc_free(&r);
    char at[4300];
    snprintf(at, sizeof(at), "%s@0x10080000", image);
    const char *uf2_argv[] = {PICOLLAMA_BIN, "uf2", at, "-o", uf2, NULL};
    r = run_tool(uf2_argv);
    proc_free(&r);
}

static char *host_story(const char *image)
{
    const char *argv[] = {PICOLLAMA_BIN, "run", image, "-t", "0.8", "-p", "0.9", "-s", "7",
                          "-n", "8", "-i", PROMPT, NULL};
    proc_result r = run_tool(argv);
    free(r.err);
    return r.out;
}

static void board_streams_and_matches_host(const char *precision)
{
    const char *ckpt = make_checkpoint();
    char name[64];
    snprintf(name, sizeof(name), "s15m-%s.img", precision);
    char image[4200];
    snprintf(image, sizeof(image), "%s", testenv_tmp(name));
    snprintf(name, sizeof(name), "s15m-%s.uf2", precision);
    const char *uf2 = testenv_tmp(name);
    pack(ckpt, precision, image, uf2);

    session s;
    session_begin(&s, FIRMWARE_UF2);
    session_arg(&s, uf2);
    session_arg(&s, "--timeout-ms");
    session_arg(&s, "600000");
    session_expect(&s, "type /help");
    session_send(&s, "\x03"); /* the boot story would take minutes */
    session_expect(&s, "tok/s ---\n> ");
    session_line(&s, "/temp 0.8");
    session_line(&s, "/seed 7");
    session_line(&s, "/steps 8");
    session_send(&s, PROMPT "\r");
    session_expect(&s, "tok/s ---\n> ");
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(q8_from_flash),
        cmocka_unit_test(q4_from_flash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
