/* test_firmware_parity.c - the firmware on the virtual board tells exactly
 * the stories `picollama run` tells on the PC with the same image: /bench
 * and every golden case (tests/golden/data/cases.tsv), typed as prompts
 * after the matching /temp, /topp, /seed and /steps, for each precision
 * (f32: llama2.c's own text; q8: SIMD kernels against the portable ones)
 * on two cores, and /bench on one, in one boot of the board. A hot story
 * (t=3, seed 6) that never meets BOS fills the whole 512-position context,
 * KV cache spilling to PSRAM included. */
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

#define MAX_CASES 32
#define FULL_CONTEXT_TOKENS 511 /* 512 positions: BOS and 511 generated tokens */

typedef struct {
    char name[64], temp[16], topp[16], seed[32], steps[16];
    char prompt[256];
} golden_case;

static int load_cases(golden_case *cases)
{
    char path[4096];
    snprintf(path, sizeof(path), "%s/cases.tsv", GOLDEN_DIR);
    char *text = testenv_read(path, NULL);
    assert_non_null(text);
    int n = 0;
    for (char *line = strtok(text, "\n"); line && n < MAX_CASES; line = strtok(NULL, "\n")) {
        if (line[0] == '#') continue;
        char *f[8];
        int k = 0;
        f[k++] = line;
        for (char *p = line; *p && k < 8; p++)
            if (*p == '\t') {
                *p = '\0';
                f[k++] = p + 1;
            }
        assert_int_equal(k, 8);
        golden_case *c = &cases[n++];
        snprintf(c->name, sizeof(c->name), "%s", f[0]);
        snprintf(c->temp, sizeof(c->temp), "%s", f[3]);
        snprintf(c->topp, sizeof(c->topp), "%s", f[4]);
        snprintf(c->seed, sizeof(c->seed), "%s", f[5]);
        snprintf(c->steps, sizeof(c->steps), "%s", f[6]);
        testenv_unescape(f[7]);
        snprintf(c->prompt, sizeof(c->prompt), "%s", f[7]);
    }
    free(text);
    /* a seed whose hot story meets no BOS in 511 tokens, in f32 and q8 */
    cases[n++] = (golden_case){"full_context", "3.0", "1.0", "6", "0", ""};
    return n;
}

/* What the PC prints for the same settings on an embedded image. */
static char *host_run(const char *image, const golden_case *c)
{
    char *argv[20] = {PICOLLAMA_BIN, "run", (char *)image, "-t", (char *)c->temp,
                      "-p", (char *)c->topp, "-s", (char *)c->seed, "-n", (char *)c->steps};
    int argc = 11;
    if (c->prompt[0]) {
        argv[argc++] = "-i";
        argv[argc++] = (char *)c->prompt;
    }
    argv[argc] = NULL;
    proc_result r;
    assert_true(proc_run(argv, NULL, 120, &r));
    assert_int_equal(r.exit_code, 0);
    char *out = r.out;
    free(r.err);
    return out;
}

/* One setting of the board: its commands, then /bench and (optionally)
 * every golden case. */
typedef struct {
    const char *precision, *cores, *image;
    int goldens;
} pass;

static void send_pass(session *s, const pass *p, const golden_case *cases, int n)
{
    char cmd[64];
    snprintf(cmd, sizeof(cmd), "/precision %s", p->precision);
    session_line(s, cmd);
    snprintf(cmd, sizeof(cmd), "/cores %s", p->cores);
    session_line(s, cmd);
    session_line(s, "/bench");
    for (int i = 0; p->goldens && i < n; i++) {
        snprintf(cmd, sizeof(cmd), "/temp %s", cases[i].temp);
        session_line(s, cmd);
        snprintf(cmd, sizeof(cmd), "/topp %s", cases[i].topp);
        session_line(s, cmd);
        snprintf(cmd, sizeof(cmd), "/seed %s", cases[i].seed);
        session_line(s, cmd);
        snprintf(cmd, sizeof(cmd), "/steps %s", cases[i].steps);
        session_line(s, cmd);
        /* a BOS story is /story; a prompt is typed as is */
        session_line(s, cases[i].prompt[0] ? cases[i].prompt : "/story");
    }
}

/* Compares the pass's generations, found in order from *cursor. */
static void check_pass(const char *out, size_t *cursor, const pass *p, const golden_case *cases,
                       int n)
{
    /* /bench: 256 tokens from BOS, t=1.0, p=0.9, seed 42 */
    static const golden_case bench = {"bench", "1.0", "0.9", "42", "256", ""};
    for (int i = -1; i < (p->goldens ? n : 0); i++) {
        const golden_case *c = i < 0 ? &bench : &cases[i];
        const char *echo = i < 0 ? "/bench" : c->prompt[0] ? c->prompt : "/story";
        char *got = session_generation(out, echo, cursor);
        char *want = host_run(p->image, c);
        if (!got || strcmp(got, want) != 0)
            print_error("%s on %s core(s), case %s: board and host differ\n--- host\n%s--- "
                        "board\n%s\n",
                        p->precision, p->cores, c->name, want, got ? got : "(not found)");
        assert_non_null(got);
        assert_string_equal(got, want);
        if (i >= 0 && !strcmp(c->name, "full_context"))
            assert_int_equal(session_token_count(out, *cursor - 5), FULL_CONTEXT_TOKENS);
        free(got);
        free(want);
    }
}

static void board_matches_host(void **state)
{
    (void)state;
    if (!FIRMWARE_F32_IMAGE[0])
        fail_msg("MODEL MISSING: the firmware was built without stories260K (run 'make models' "
                 "and rebuild)");
    golden_case cases[MAX_CASES + 1];
    int n = load_cases(cases);
    assert_true(n >= 11);
    const pass passes[] = {
        {"f32", "2", FIRMWARE_F32_IMAGE, 1},
        {"q8", "1", FIRMWARE_Q8_IMAGE, 0},
        {"q8", "2", FIRMWARE_Q8_IMAGE, 1},
    };
    const int n_passes = (int)(sizeof(passes) / sizeof(passes[0]));
    session s;
    session_begin(&s, FIRMWARE_UF2);
    session_arg(&s, "--timeout-ms");
    session_arg(&s, "3600000");
    session_expect(&s, "--- [0-9]+ tokens in .* tok/s ---\n> "); /* the boot story */
    for (int i = 0; i < n_passes; i++) send_pass(&s, &passes[i], cases, n);
    proc_result r = session_run(&s, 1800);
    if (r.exit_code != 0)
        print_error("sim exit %d:\n%s\n%s", r.exit_code, r.err,
                    r.out + (r.out_len > 3000 ? r.out_len - 3000 : 0));
    assert_int_equal(r.exit_code, 0);
    size_t cursor = 0;
    for (int i = 0; i < n_passes; i++) check_pass(r.out, &cursor, &passes[i], cases, n);
    session_free(&s);
    proc_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(board_matches_host),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
