/* test_firmware_input.c - nothing typed is lost and nothing stale is shown
 * (issue 14): a paste far larger than the board's buffers, a Ctrl-C with
 * more behind it, the output of a paste kept whole for a host that keeps
 * reading, a new session or story from an empty line with its own text,
 * the line editor a terminal user expects, messages that stay one line,
 * one rule for command values, and UART input during long work. */
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

/* 300 lines and eight /info in one paste (over 2 KB in, 12 KB out): each
 * line runs once, in order, and all of the output arrives. */
static void a_big_paste_loses_nothing(void **state)
{
    (void)state;
    char *paste = malloc(300 * 8 + 8 * 6 + 1), *w = paste;
    for (int i = 0; i < 300; i++) w += sprintf(w, "/x%03d\r", i);
    for (int i = 0; i < 8; i++) w += sprintf(w, "/info\r");
    session s;
    session_begin_at_prompt(&s, "600000");
    session_send(&s, paste);
    session_expect(&s, "unknown command '/x299'");
    for (int i = 0; i < 8; i++) session_expect(&s, "; 2 cores\n> ");
    proc_result r = session_run(&s, 900);
    session_expect_ok(&r);
    const char *after = r.out;
    char line[64];
    for (int i = 0; i < 300; i++) { /* each once, in order */
        sprintf(line, "> /x%03d\nerror: unknown command '/x%03d' (try /help)\n", i, i);
        const char *at = strstr(after, line);
        if (!at) fail_msg("line %d lost", i);
        after = at + strlen(line);
        sprintf(line, "'/x%03d'", i);
        assert_int_equal(testenv_count(r.out, line), 1);
    }
    assert_int_equal(testenv_count(after, "memory: firmware 0x10000000"), 8);
    assert_int_equal(testenv_count(after, "; 2 cores\n"), 8);
    session_assert_no_output(&r, "bytes dropped");
    assert_int_equal(testenv_count(r.out, "tok/s ---"), 1); /* the boot story only: no stray prompt ran */
    session_free(&s);
    proc_free(&r);
    free(paste);
}

/* A Ctrl-C with 3 KB typed behind it during a story still stops it; what
 * follows is kept (a line too long, refused as such). Tried at several
 * points of a token's time, one session each: the bytes behind it arrive
 * at the pace the board reads them, and a board that dropped the oldest
 * input lost the Ctrl-C only when it came early in a token. */
static void ctrl_c_is_seen_whatever_follows_it(void **state)
{
    (void)state;
    char flood[1 + 3000 + 2];
    flood[0] = '\x03';
    memset(flood + 1, 'b', 3000);
    strcpy(flood + 3001, "\r");
    for (int delay_ms = 0; delay_ms < 5; delay_ms++) {
        char delay[8];
        snprintf(delay, sizeof(delay), "%d", delay_ms);
        session s;
        session_begin_at_prompt(&s, "600000");
        session_line(&s, "/steps 0");
        session_send(&s, "Lily went\r");
        session_expect(&s, "Lily went\n[^\n]{40}"); /* the generation is under way */
        session_arg(&s, "--wait-ms");
        session_arg(&s, delay);
        session_send(&s, flood);
        session_expect(&s, "line too long.*\n> ");
        proc_result r = session_run(&s, 900);
        session_expect_ok(&r);
        size_t cursor = 0;
        char *stopped = session_generation(r.out, "Lily went", &cursor);
        assert_non_null(stopped);
        if (!strstr(stopped, "^C")) fail_msg("Ctrl-C %d ms into the story: lost", delay_ms);
        int tokens = session_token_count(r.out, cursor - 5);
        assert_true(tokens > 0 && tokens < 500); /* stopped well before 511 */
        free(stopped);
        session_free(&s);
        proc_free(&r);
    }
}

/* The first session starts with the banner (no boot text before it); a
 * half-typed line does not survive a reconnect; a story told while the
 * port was closed is not replayed to the next session. */
static void a_new_session_starts_clean(void **state)
{
    (void)state;
    session s;
    session_begin_at_prompt(&s, "600000");
    session_send(&s, "/tem");
    session_expect(&s, "/tem");
    session_arg(&s, "--close-port");
    session_arg(&s, "--wait-ms");
    session_arg(&s, "300");
    session_arg(&s, "--open-port");
    session_expect(&s, "type /help");
    session_send(&s, "\x03");
    session_expect(&s, "tok/s ---\n> ");
    session_line(&s, "/help");
    session_arg(&s, "--close-port");
    session_arg(&s, "--wait-ms");
    session_arg(&s, "300");
    session_arg(&s, "--press-button"); /* a story nobody reads */
    session_arg(&s, "--wait-ms");
    session_arg(&s, "3000");
    session_arg(&s, "--open-port");
    session_expect(&s, "type /help");
    proc_result r = session_run(&s, 900);
    session_expect_ok(&r);
    assert_true(session_matches(r.out, "^\nPico LLaMA [0-9.]+: Llama-2 stories on the RP2350\n"));
    session_assert_output(&r, "> /tem\nPico LLaMA [0-9.]+: Llama-2 stories");
    session_assert_output(&r, "> /help\nType a prompt");
    session_assert_no_output(&r, "/tem/help");
    session_assert_output(&r, "/reboot +reboot\n> \nPico LLaMA [0-9.]+: Llama-2 stories");
    session_free(&s);
    proc_free(&r);
}

/* The user button forgets a half-typed line, and during a story stops it
 * and starts a new one. */
static void the_button_starts_a_new_story_from_an_empty_line(void **state)
{
    (void)state;
    session s;
    session_begin_at_prompt(&s, "600000");
    session_send(&s, "Hello");
    session_expect(&s, "Hello");
    session_arg(&s, "--press-button");
    session_expect(&s, "tok/s ---\n> ");
    session_line(&s, "/help");
    session_line(&s, "/steps 0");
    session_send(&s, "Lily went\r");
    session_expect(&s, "Lily went\n[^\n]{40}");
    session_arg(&s, "--press-button");
    session_expect(&s, "\\[user button: a new story\\]\n\n--- [0-9]+ tokens");
    session_expect(&s, "tok/s ---\n> ");
    proc_result r = session_run(&s, 900);
    session_expect_ok(&r);
    session_assert_output(&r, "> /help\nType a prompt");
    session_assert_no_output(&r, "Hello/help");
    size_t cursor = 0;
    char *stopped = session_generation(r.out, "Lily went", &cursor);
    assert_non_null(stopped);
    int tokens = session_token_count(r.out, cursor - 5);
    assert_true(tokens > 0 && tokens < 500);
    free(stopped);
    session_free(&s);
    proc_free(&r);
}

/* Backspace takes a whole UTF-8 character, escape sequences (arrows) are
 * consumed, Ctrl-U clears the line, Ctrl-W a word, and a command may have
 * spaces before it. */
static void line_editing(void **state)
{
    (void)state;
    session s;
    session_begin_at_prompt(&s, "600000");
    session_send(&s, "/tem\xc3\xa9\x7fp 0.5\r");         /* é, Backspace */
    session_expect(&s, "\n> ");
    session_send(&s, "/to\x1b[A\x1b[D\x1bOHpp 0.25\r");  /* arrows, Home */
    session_expect(&s, "\n> ");
    session_send(&s, "Once upon\x15/seed 5\r");       /* Ctrl-U */
    session_expect(&s, "\n> ");
    session_send(&s, "/steps 20 extra\x17\r");        /* Ctrl-W */
    session_expect(&s, "\n> ");
    session_line(&s, "   /help");
    proc_result r = session_run(&s, 900);
    session_expect_ok(&r);
    session_assert_no_output(&r, "error:");
    session_assert_no_output(&r, "tok/s ---\n(.|\n)*tok/s ---"); /* no prompt ran */
    session_assert_output(&r, "/temp X +temperature, 0 = greedy \\(now 0.50\\)");
    session_assert_output(&r, "/topp X +top-p, 0 to 1 \\(now 0.25\\)");
    session_assert_output(&r, "\\(now 20\\)");
    session_assert_output(&r, "/tem\xc3\xa9\b \bp 0.5\n");    /* one character erased */
    session_assert_output(&r, "/steps 20 extra\b \b\b \b\b \b\b \b\b \b\n");
    session_free(&s);
    proc_free(&r);
}

/* A value of 240 bytes in a message is cut, the line kept whole; one rule
 * for values: a command takes exactly what /help shows, spaces around are
 * ignored, and each error names the range. */
static void messages_and_values(void **state)
{
    (void)state;
    char long_value[6 + 240 + 1]; /* the message would be 283 bytes */
    strcpy(long_value, "/temp ");
    memset(long_value + 6, 'x', 240);
    long_value[246] = '\0';
    session s;
    session_begin_at_prompt(&s, "600000");
    session_line(&s, long_value);
    session_line(&s, "/frobnicate-the-whole-board-with-a-very-long-command-name-indeed");
    session_line(&s, "/steps 99999999999");
    session_line(&s, "/temp 0000000000000001");
    session_line(&s, "/seed 18446744073709551615");
    session_line(&s, "/seed 18446744073709551616");
    session_line(&s, "/topp 0.5   ");
    session_line(&s, "/info now");
    session_line(&s, "/temp 0.5 0.7");
    session_line(&s, "/precision q4");
    session_line(&s, "/help");
    proc_result r = session_run(&s, 900);
    session_expect_ok(&r);
    session_assert_output(&r, "error: /temp needs a number >= 0 \\(got 'x{40}[.][.][.]'\\)\n> ");
    session_assert_output(&r, "error: unknown command '/frobnicate-the-whole-board-with-a-very-[.][.][.]' "
                              "\\(try /help\\)\n> ");
    session_assert_output(&r, "error: /steps needs an integer from 0 to 2\\^31-1 \\(got '99999999999'\\)");
    session_assert_no_output(&r, "got '0000000000000001'");
    session_assert_no_output(&r, "got '18446744073709551615'");
    session_assert_output(&r, "error: /seed needs an integer from 1 to 2\\^64-1 \\(got '18446744073709551616'\\)");
    session_assert_no_output(&r, "got '0.5");
    session_assert_output(&r, "error: /info takes no value \\(got 'now'\\)");
    session_assert_output(&r, "error: /temp takes one value \\(got '0.7' after '0.5'\\)");
    session_assert_output(&r, "error: /precision needs one of the precisions in flash \\(f32 q8\\) \\(got 'q4'\\)");
    session_assert_output(&r, "/precision P +the model image in use, of those in flash: f32 q8 \\(now q8\\)");
    session_assert_output(&r, "/seed N +seed of the next generation, 1 to 2\\^64-1");
    session_assert_output(&r, "/temp X +temperature, 0 = greedy \\(now 1.00\\)");
    session_assert_output(&r, "/topp X +top-p, 0 to 1 \\(now 0.50\\)");
    session_free(&s);
    proc_free(&r);
}

/* UART0 as the console: lines typed while /precision copies a 1 MB image
 * all arrive (the copy serves the console), and characters that do get
 * lost (typed during the boot's memory test, longer than the 32-byte FIFO
 * holds) are reported, never silently dropped. */
static void uart_input_during_long_work(void **state)
{
    (void)state;
    session s;
    session_begin(&s, FIRMWARE_UF2);
    session_arg(&s, "--console");
    session_arg(&s, "uart");
    session_arg(&s, "--timeout-ms");
    session_arg(&s, "600000");
    session_send(&s, "/seed 101\r/seed 102\r/seed 103\r/seed 104\r/seed 105\r/seed 106\r");
    session_expect(&s, "UART input overrun: characters typed while the board was busy were lost");
    session_expect(&s, "tok/s ---\n> "); /* the USB session's story, echoed on UART too */
    session_send(&s, "/precision f32\r/seed 1111111\r/seed 2222222\r/seed 3333333\r"
                     "/seed 4444444\r/seed 5555555\r/seed 6666666\r/topp 0.25\r");
    session_expect(&s, "> /topp 0.25\n> ");
    proc_result r = session_run(&s, 900);
    session_expect_ok(&r);
    session_assert_output(&r, "precision f32: dim 64, .*f32\n> /seed 1111111\n> /seed 2222222\n"
                              "> /seed 3333333\n> /seed 4444444\n> /seed 5555555\n> /seed 6666666\n> /topp 0.25\n");
    assert_int_equal(testenv_count(r.out, "overrun"), 1);
    session_free(&s);
    proc_free(&r);
}

/* A prompt longer than the model's context is refused with both numbers
 * (a random model with a 16-position context in the flash slot). */
static void a_prompt_beyond_the_context_says_by_how_much(void **state)
{
    (void)state;
    const char *ckpt = testenv_tmp("seq16.bin"), *image = testenv_tmp("seq16.img"),
               *uf2 = testenv_tmp("seq16.uf2"), *tokenizer = testenv_model("tok512.bin");
    if (!tokenizer) fail_msg("MODEL MISSING: tok512.bin (run 'make models')");
    const char *gen[] = {GEN_CHECKPOINT_BIN, ckpt, "--seq", "16", NULL};
    const char *pack[] = {PICOLLAMA_BIN, "pack", ckpt, tokenizer, "-q", "q8", "--calibrate", "0",
                          "-o", image, NULL};
    char at[4300];
    snprintf(at, sizeof(at), "%s@0x10080000", image);
    const char *to_uf2[] = {PICOLLAMA_BIN, "uf2", at, "-o", uf2, NULL};
    const char *const *tools[] = {gen, pack, to_uf2};
    for (int i = 0; i < 3; i++) {
        proc_result t = session_tool(tools[i]);
        proc_free(&t);
    }
    session s;
    session_begin(&s, FIRMWARE_UF2);
    session_arg(&s, uf2);
    session_arg(&s, "--timeout-ms");
    session_arg(&s, "120000");
    session_expect(&s, "tok/s ---\n> ");
    session_line(&s, "Once upon a time there was a little girl who lived in a big house");
    proc_result r = session_run(&s, 300);
    session_expect_ok(&r);
    session_assert_output(&r, "error: the prompt is [0-9]+ tokens long; the model's context holds 16\n> ");
    session_free(&s);
    proc_free(&r);
}

int main(int argc, char **argv)
{
    if (session_model_missing()) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_big_paste_loses_nothing),
        cmocka_unit_test(ctrl_c_is_seen_whatever_follows_it),
        cmocka_unit_test(a_new_session_starts_clean),
        cmocka_unit_test(the_button_starts_a_new_story_from_an_empty_line),
        cmocka_unit_test(line_editing),
        cmocka_unit_test(messages_and_values),
        cmocka_unit_test(uart_input_during_long_work),
        cmocka_unit_test(a_prompt_beyond_the_context_says_by_how_much),
    };
    if (argc > 1) cmocka_set_test_filter(argv[1]);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
