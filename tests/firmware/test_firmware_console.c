/* test_firmware_console.c - a user's session with the firmware on the
 * virtual board: connect (banner and a story), a prompt, Ctrl-C in the
 * middle of a generation, /help, every setting, bad commands, a 10 KB line,
 * a host that stops reading for 10 s, a disconnect and a reconnect; and a
 * board whose model slot is empty or corrupt. */
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

static void connect_story_prompt_help_settings(void **state)
{
    (void)state;
    session s;
    session_begin(&s, FIRMWARE_UF2);
    session_arg(&s, "--timeout-ms");
    session_arg(&s, "600000");
    session_expect(&s, "--- [0-9]+ tokens in [0-9.]+ ms = [0-9.]+ tok/s ---\n> ");
    session_line(&s, "/help");
    session_line(&s, "/temp 0");
    session_line(&s, "/topp 0.5");
    session_line(&s, "/seed 7");
    session_line(&s, "/steps 20");
    session_line(&s, "Once upon a time");
    session_line(&s, "/precision q4");
    session_line(&s, "/cores 3");
    session_line(&s, "/cores 1");
    session_line(&s, "/precision f32");
    session_line(&s, "/info");
    session_line(&s, "/temp hot");
    session_line(&s, "/topp 2");
    session_line(&s, "/seed -1");
    session_line(&s, "/steps many");
    session_line(&s, "/frobnicate");
    proc_result r = session_run(&s, 900);
    session_expect_ok(&r);
    session_assert_output(&r, "Pico LLaMA [0-9.]+: Llama-2 stories on the RP2350");
    session_assert_output(&r, "clocks: clk_sys 150 MHz");
    session_assert_output(&r, "flash: 16 MB \\(JEDEC");
    session_assert_output(&r, "psram: 8 MB APS6404L .*memory test passed: write [0-9.]+ MB/s, read [0-9.]+ MB/s");
    /* the boot self-test: every DSP kernel (and the quantizer's assembly)
     * equals its portable reference on random cases */
    session_assert_output(&r, "kernels: SIMD = portable, bit for bit, on [0-9]+ random cases");
    /* boots with the fastest image, q8 in SRAM, on two cores */
    session_assert_output(&r, "model: dim 64, hidden 172, 5 layers, 8 heads \\(4 kv\\), vocab 512, context 512, q8");
    session_assert_output(&r, "model image 0x2[0-9a-f]+-0x2[0-9a-f]+, [0-9]+ bytes \\(SRAM\\)");
    session_assert_output(&r, "KV cache: [0-9]+ of 512 positions in SRAM, [0-9]+ in PSRAM");
    session_assert_output(&r, "; 2 cores\n");
    session_assert_output(&r, "/precision P +the model image in use, of those in flash: f32 q8 \\(now q8\\)");
    session_assert_output(&r, "error: /precision needs one of the precisions in flash \\(f32 q8\\) \\(got 'q4'\\)");
    session_assert_output(&r, "error: /cores needs 1 or 2 \\(got '3'\\)");
    session_assert_output(&r, "cores: 1\n");
    session_assert_output(&r, "precision f32: dim 64, .*context 512, f32\n");
    session_assert_output(&r, "model image 0x11[0-9a-f]+-0x11[0-9a-f]+, [0-9]+ bytes \\(PSRAM\\)");
    session_assert_output(&r, "; 1 core\n");
    session_assert_output(&r, "memory: firmware 0x10000000");
    session_assert_output(&r, "\n/bench +256 tokens from BOS");
    /* the greedy continuation, limited to 20 positions, as the PC has it */
    size_t cursor = 0;
    char *gen = session_generation(r.out, "Once upon a time", &cursor);
    assert_non_null(gen);
    char *argv[] = {PICOLLAMA_BIN, "run", FIRMWARE_Q8_IMAGE, "-t", "0", "-p", "0.5", "-s", "7",
                    "-n", "20", "-i", "Once upon a time", NULL};
    proc_result host;
    assert_true(proc_run(argv, NULL, 60, &host));
    assert_string_equal(gen, host.out);
    proc_free(&host);
    assert_int_equal(session_token_count(r.out, cursor - 5), 19);
    free(gen);
    session_assert_output(&r, "error: /temp needs a number >= 0 \\(got 'hot'\\)");
    session_assert_output(&r, "error: /topp needs a number from 0 to 1 \\(got '2'\\)");
    session_assert_output(&r, "error: /seed needs an integer from 1 to 2\\^64-1 \\(got '-1'\\)");
    session_assert_output(&r, "error: /steps needs an integer from 0 to 2\\^31-1 \\(got 'many'\\)");
    session_assert_output(&r, "error: unknown command '/frobnicate' \\(try /help\\)");
    session_free(&s);
    proc_free(&r);
}

static void ctrl_c_and_a_huge_line(void **state)
{
    (void)state;
    char *huge = malloc(10 * 1024 + 2);
    memset(huge, 'a', 10 * 1024);
    huge[10 * 1024] = '\r';
    huge[10 * 1024 + 1] = '\0';
    session s;
    session_begin_booted(&s, "600000");
    session_line(&s, "/steps 0");
    session_send(&s, "Lily went\r");
    session_expect(&s, "Lily went\n[^\n]{40}"); /* the generation is under way */
    session_send(&s, "\x03");
    session_expect(&s, "tok/s ---\n> ");
    session_send(&s, huge);
    session_expect(&s, "line too long.*\n> ");
    proc_result r = session_end_with_prompt(&s, "The end", 900); /* still alive and well */
    size_t cursor = 0;
    char *stopped = session_generation(r.out, "Lily went", &cursor);
    assert_non_null(stopped);
    assert_true(strstr(stopped, "^C") != NULL);
    int tokens = session_token_count(r.out, cursor - 5);
    assert_true(tokens > 0 && tokens < 500); /* stopped well before 511 */
    free(stopped);
    session_assert_output(&r, "error: line too long \\(at most 255 bytes\\); ignored");
    free(huge);
    session_free(&s);
    proc_free(&r);
}

/* The host stops reading for 10 s of modelled time in the middle of a long
 * generation: the board drops what does not fit and carries on. */
static void host_stops_reading(void **state)
{
    (void)state;
    session s;
    session_begin_booted(&s, "600000");
    session_line(&s, "/steps 0");
    session_arg(&s, "--host-stall-ms");
    session_arg(&s, "10000");
    session_send(&s, "/story\r");
    session_expect(&s, "tok/s ---\n> ");
    proc_result r = session_end_with_prompt(&s, "Hello again", 900);
    session_free(&s);
    proc_free(&r);
}

/* A host that stops reading while the board prints more than it can
 * buffer: the oldest text goes, the reader is told how much, nothing hangs
 * and the console goes on. */
static void full_buffer_drops_the_oldest_text(void **state)
{
    (void)state;
    session s;
    session_begin_booted(&s, "900000");
    /* ten /help answers (~7 KB, printed in well under a second of board
     * time) while the host reads nothing: more than the 4 KB the board
     * buffers for USB */
    session_arg(&s, "--host-stall-ms");
    session_arg(&s, "2000");
    for (int i = 0; i < 10; i++) session_send(&s, "/help\r");
    session_send(&s, "/temp 0.125\r"); /* a marker: when its echo is in, the backlog is */
    session_expect(&s, "bytes dropped [.][.][.][]]");
    session_expect(&s, "/bench.*\n> /temp 0.125\n> "); /* the newest text did arrive */
    proc_result r = session_end_with_prompt(&s, "Hello again", 1200);
    session_free(&s);
    proc_free(&r);
}

/* The terminal closes the port and opens it again: a new session gets its
 * own banner and story; text made while closed is not replayed. */
static void disconnect_and_reconnect(void **state)
{
    (void)state;
    session s;
    session_begin_booted(&s, "600000");
    session_arg(&s, "--close-port");
    session_arg(&s, "--wait-ms");
    session_arg(&s, "2000");
    session_arg(&s, "--open-port");
    session_expect(&s, "Pico LLaMA [0-9.]+: Llama-2 stories");
    session_expect(&s, "tok/s ---\n> ");
    proc_result r = session_end_with_prompt(&s, "Back again", 900);
    session_assert_output(&r, "Llama-2 stories on the RP2350(.|\n)*tok/s ---(.|\n)*Llama-2 stories on the RP2350");
    session_free(&s);
    proc_free(&r);
}

/* The user switch (GPIO45) starts a new story. */
static void button_starts_a_story(void **state)
{
    (void)state;
    session s;
    session_begin_booted(&s, "600000"); /* past the first story */
    session_arg(&s, "--press-button");
    session_expect(&s, "tok/s ---\n> ");
    proc_result r = session_run(&s, 900);
    session_expect_ok(&r);
    size_t first = (size_t)(strstr(r.out, "tok/s ---") - r.out) + 9;
    assert_true(strstr(r.out + first, "tok/s ---") != NULL);
    session_free(&s);
    proc_free(&r);
}

/* A Raspberry Pi Pico 2: no PSRAM (found missing and reported). q8 keeps
 * the model's whole context (512 positions) in SRAM, its weights streamed
 * from flash because their SRAM copy would leave room for only part of
 * it - the matrices that fit in the SRAM left over copied there and used
 * in place - and tells the PC's story; f32 is read in place from flash,
 * its float KV cache shortened to what SRAM holds. */
static void pico2_without_psram(void **state)
{
    (void)state;
    session s;
    session_begin(&s, FIRMWARE_UF2);
    session_arg(&s, "--board");
    session_arg(&s, "pico2");
    session_arg(&s, "--timeout-ms");
    session_arg(&s, "600000");
    session_expect(&s, "tok/s ---\n> ");
    session_line(&s, "/temp 0");
    session_line(&s, "/steps 40");
    session_line(&s, "Once upon a time");
    session_line(&s, "/precision f32");
    session_line(&s, "/steps 8");
    session_line(&s, "Once upon a time");
    proc_result r = session_run(&s, 900);
    session_expect_ok(&r);
    session_assert_output(&r, "psram: none found on QMI CS1");
    session_assert_output(&r, "flash: 4 MB");
    session_assert_output(&r, "model image 0x1[0-9a-f]+-0x1[0-9a-f]+, [0-9]+ bytes \\(flash \\(in place\\)\\)");
    session_assert_output(&r, "weights streamed through .*; [1-9][0-9]{4,} bytes of them copied into SRAM");
    session_assert_output(&r, "KV cache: 512 of 512 positions in SRAM\n");
    session_assert_output(&r, "precision f32: .*context [0-9]+, f32\n");
    session_assert_no_output(&r, "precision f32: .*context 512, f32\n");
    size_t cursor = 0;
    char *gen = session_generation(r.out, "Once upon a time", &cursor);
    assert_non_null(gen);
    char *host = session_host_greedy(FIRMWARE_Q8_IMAGE, 40, "Once upon a time");
    assert_string_equal(gen, host);
    free(host);
    free(gen);
    gen = session_generation(r.out, "Once upon a time", &cursor);
    assert_non_null(gen);
    free(gen);
    session_free(&s);
    proc_free(&r);
}

static void run_board(const char *uf2, const char *expect, proc_result *r)
{
    session s;
    session_begin(&s, uf2);
    session_arg(&s, "--timeout-ms");
    session_arg(&s, "60000");
    session_expect(&s, expect);
    session_line(&s, "/help"); /* the console still works */
    session_line(&s, "Once upon a time");
    *r = session_run(&s, 300);
    session_free(&s);
}

/* Makes a UF2 of the firmware code plus an optional model image. */
static const char *make_uf2(const char *name, const char *model_image)
{
    const char *out = testenv_tmp(name);
    char fw[4200], model[4200];
    snprintf(fw, sizeof(fw), "%s@0x10000000", FIRMWARE_BIN);
    char *argv[8] = {PICOLLAMA_BIN, "uf2", fw, "-o", (char *)out, NULL};
    if (model_image) {
        snprintf(model, sizeof(model), "%s@0x10080000", model_image);
        argv[5] = model;
        argv[6] = NULL;
    }
    proc_result r;
    assert_true(proc_run(argv, NULL, 60, &r));
    assert_int_equal(r.exit_code, 0);
    proc_free(&r);
    return out;
}

static void empty_or_corrupt_model_slot(void **state)
{
    (void)state;
    proc_result r;
    run_board(make_uf2("no-model.uf2", NULL), "no model in the flash slot at 0x10080000.*\n> ", &r);
    session_expect_ok(&r);
    session_assert_output(&r, "error: no model in the flash slot");
    proc_free(&r);

    size_t len;
    char *image = testenv_read(FIRMWARE_F32_IMAGE, &len);
    assert_non_null(image);
    image[len / 2] ^= 0x01; /* one flipped bit */
    const char *bad = testenv_tmp("corrupt.img");
    FILE *f = fopen(bad, "wb");
    fwrite(image, 1, len, f);
    fclose(f);
    free(image);
    run_board(make_uf2("corrupt.uf2", bad), "model image checksum mismatch.*\n> ", &r);
    session_expect_ok(&r);
    session_assert_output(&r, "unusable: model image checksum mismatch \\(corrupted\\)");
    proc_free(&r);
}

int main(void)
{
    if (session_model_missing()) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(connect_story_prompt_help_settings),
        cmocka_unit_test(ctrl_c_and_a_huge_line),
        cmocka_unit_test(host_stops_reading),
        cmocka_unit_test(full_buffer_drops_the_oldest_text),
        cmocka_unit_test(disconnect_and_reconnect),
        cmocka_unit_test(button_starts_a_story),
        cmocka_unit_test(pico2_without_psram),
        cmocka_unit_test(empty_or_corrupt_model_slot),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
