/* test_bench.c - scripts/bench.sh and scripts/bench-15m.sh as a new user
 * meets them, wrong usage included: --help, a --model UF2 that is not a
 * model (it would bench the built-in models and say nothing), an
 * interrupted generator or pack (its half-written file must not be taken
 * for a model by the next run), a run from another directory; and
 * `picollama eval`'s error for a prompt longer than -n. The build
 * directory is a fake one of stub programs, so no simulator runs. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "proc.h"
#include "testenv.h"

#define BENCH_SH PICOLLAMA_SOURCE_DIR "/scripts/bench.sh"
#define BENCH_15M_SH PICOLLAMA_SOURCE_DIR "/scripts/bench-15m.sh"
#define SIM_RAN "STUB-SIM-RAN"
#define GEN_RAN "STUB-GEN-RAN"

/* UF2 blocks writing 256 bytes each at addrs[0..n), each payload starting
 * with `magic` (4 bytes; "PLLM" is a model image's) */
static void make_uf2_blocks(const char *path, const uint32_t *addrs, int n, const char *magic)
{
    uint8_t blocks[2][512];
    assert_true(n >= 1 && n <= 2);
    for (int b = 0; b < n; b++) {
        uint8_t *block = blocks[b];
        memset(block, 0, 512);
        memcpy(block, (const uint8_t[]){0x55, 0x46, 0x32, 0x0A, 0x57, 0x51, 0x5D, 0x9E}, 8);
        for (int i = 0; i < 4; i++) block[12 + i] = (uint8_t)(addrs[b] >> (8 * i));
        block[16] = 0x00, block[17] = 0x01; /* 256 bytes */
        memcpy(block + 32, magic, 4);
        block[508] = 0x30, block[509] = 0x6F, block[510] = 0xB1, block[511] = 0x0A;
    }
    assert_true(testenv_write(path, blocks, (size_t)n * 512));
}

/* a one-block UF2 writing a model image's start ("PLLM") at addr */
static void make_uf2(const char *path, uint32_t addr) { make_uf2_blocks(path, &addr, 1, "PLLM"); }

/* A build directory of stubs: the simulator says it ran and fails; the
 * checkpoint generator and pack write their output, then fail when
 * STUB_GEN_FAILS / STUB_PACK_FAILS are set (as an interrupted run would
 * leave it); pack's output is a model UF2 (STUB_MODEL_UF2). Plus a models
 * directory with a tokenizer.bin for PICOLLAMA_MODELS. */
static void make_fake_build(char *build, size_t size, const char *name)
{
    snprintf(build, size, "%s", testenv_tmp(name));
    char path[4400];
    static const char *const dirs[] = {"", "sim", "firmware", "tools", "tests", "tests/tools",
                                       "tokenizers"};
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", build, dirs[i]);
        mkdir(path, 0755);
    }
    static const char sim[] = "#!/bin/sh\necho " SIM_RAN " >&2\nexit 1\n";
    static const char gen[] = "#!/bin/sh\necho " GEN_RAN " >&2\necho partial > \"$1\"\n"
                              "[ -z \"$STUB_GEN_FAILS\" ]\n";
    static const char pack[] =
        "#!/bin/sh\nwhile [ $# -gt 0 ]; do [ \"$1\" = -o ] && out=$2; shift; done\n"
        "echo partial > \"$out\"\n[ -z \"$STUB_PACK_FAILS\" ] || exit 1\n"
        "cp \"$STUB_MODEL_UF2\" \"$out\"\n";
    snprintf(path, sizeof(path), "%s/sim/picollama-sim", build);
    assert_true(testenv_write_script(path, sim));
    snprintf(path, sizeof(path), "%s/firmware/pico_llama.uf2", build);
    make_uf2(path, 0x10000000);
    snprintf(path, sizeof(path), "%s/tests/tools/gen_checkpoint", build);
    assert_true(testenv_write_script(path, gen));
    snprintf(path, sizeof(path), "%s/tools/picollama", build);
    assert_true(testenv_write_script(path, pack));
    snprintf(path, sizeof(path), "%s/tokenizers/tokenizer.bin", build);
    assert_true(testenv_write(path, "tok", 3));
    snprintf(path, sizeof(path), "%s/model.uf2", build);
    make_uf2(path, 0x10080000);
}

/* runs /usr/bin/env with args (VAR=value settings, then the command) */
static proc_result run_env(const char *const *args)
{
    proc_result r;
    assert_true(proc_run_env(args, 60, &r));
    return r;
}

static void assert_contains(const char *text, const char *needle)
{
    if (!strstr(text, needle)) fail_msg("'%s' not in:\n%s", needle, text);
}

/* script --help exits 0 and prints a usage line containing usage */
static void assert_help(const char *script, const char *usage)
{
    const char *args[] = {script, "--help", NULL};
    proc_result r = run_env(args);
    if (r.exit_code != 0) fail_msg("exit %d:\n%s%s", r.exit_code, r.out, r.err);
    assert_contains(r.out, usage);
    proc_free(&r);
}

static void bench_help_prints_usage(void **state)
{
    (void)state;
    assert_help(BENCH_SH, "scripts/bench.sh [BUILD_DIR] --model MODEL.uf2");
}

static void bench_15m_help_prints_usage(void **state)
{
    (void)state;
    assert_help(BENCH_15M_SH, "scripts/bench-15m.sh [BUILD_DIR]");
}

/* bench.sh --model X with X a firmware UF2 (writes below the model slot),
 * a UF2 with no model image at the slot, one with a model image there and
 * a block below it, or one at the slot without the image's magic: refused
 * before any run */
static void bench_refuses_a_uf2_that_is_not_a_model(void **state)
{
    (void)state;
    char build[4300], model[4400];
    make_fake_build(build, sizeof(build), "build-not-a-model");
    const struct {
        uint32_t addrs[2];
        int n;
        const char *magic;
    } cases[] = {{{0x10000000}, 1, "PLLM"},
                 {{0x10081000}, 1, "PLLM"},
                 {{0x10080000, 0x10000000}, 2, "PLLM"},
                 {{0x10080000}, 1, "XXXX"}};
    for (int i = 0; i < (int)(sizeof(cases) / sizeof(cases[0])); i++) {
        snprintf(model, sizeof(model), "%s/not-a-model-%d.uf2", build, i);
        make_uf2_blocks(model, cases[i].addrs, cases[i].n, cases[i].magic);
        const char *args[] = {BENCH_SH, build, "--model", model, NULL};
        proc_result r = run_env(args);
        assert_int_equal(r.exit_code, 1);
        assert_contains(r.err, "is not a model UF2");
        assert_null(strstr(r.err, SIM_RAN));
        proc_free(&r);
    }
}

/* a model UF2 passes that check: the (stub) simulator runs */
static void bench_takes_a_model_uf2(void **state)
{
    (void)state;
    char build[4300], model[4400];
    make_fake_build(build, sizeof(build), "build-model");
    snprintf(model, sizeof(model), "%s/model.uf2", build);
    const char *args[] = {BENCH_SH, build, "--model", model, NULL};
    proc_result r = run_env(args);
    assert_int_equal(r.exit_code, 1);
    assert_contains(r.err, SIM_RAN);
    proc_free(&r);
}

/* a generator or pack that fails (or is interrupted) half-way leaves no
 * file under the final name, which the next run would take for a model */
static void bench_15m_leaves_no_half_written_model(void **state)
{
    (void)state;
    char build[4300], models[4400], ckpt[4400], uf2[4400], stub_uf2[4400];
    make_fake_build(build, sizeof(build), "build-15m-partial");
    snprintf(models, sizeof(models), "PICOLLAMA_MODELS=%s/tokenizers", build);
    snprintf(stub_uf2, sizeof(stub_uf2), "STUB_MODEL_UF2=%s/model.uf2", build);
    snprintf(ckpt, sizeof(ckpt), "%s/models/random15M.bin", build);

    const char *gen_fails[] = {models, stub_uf2, "STUB_GEN_FAILS=1", BENCH_15M_SH, build, NULL};
    proc_result r = run_env(gen_fails);
    assert_int_not_equal(r.exit_code, 0);
    assert_contains(r.err, GEN_RAN); /* not skipped: no stories15M.bin was found */
    assert_false(testenv_exists(ckpt));
    proc_free(&r);

    const char *pack_fails[] = {models, stub_uf2, "STUB_PACK_FAILS=1", BENCH_15M_SH, build, NULL};
    r = run_env(pack_fails);
    assert_int_not_equal(r.exit_code, 0);
    for (int i = 0; i < 2; i++) {
        snprintf(uf2, sizeof(uf2), "%s/models/%s-q4.uf2", build, i ? "stories15M" : "random15M");
        assert_false(testenv_exists(uf2));
    }
    proc_free(&r);
}

/* bench-15m.sh from another directory finds its scripts and models */
static void bench_15m_runs_from_any_directory(void **state)
{
    (void)state;
    char build[4300], models[4400], stub_uf2[4400];
    make_fake_build(build, sizeof(build), "build-15m-cwd");
    snprintf(models, sizeof(models), "PICOLLAMA_MODELS=%s/tokenizers", build);
    snprintf(stub_uf2, sizeof(stub_uf2), "STUB_MODEL_UF2=%s/model.uf2", build);
    const char *args[] = {"-C", build, models, stub_uf2, BENCH_15M_SH, build, NULL};
    proc_result r = run_env(args);
    assert_int_equal(r.exit_code, 1);
    assert_contains(r.err, SIM_RAN); /* it got as far as bench.sh's first run */
    proc_free(&r);
}

/* picollama eval (docs/performance.md) with -n below a prompt's length:
 * the error names -n, not the model's context, which is far longer */
static void eval_names_n_when_a_prompt_exceeds_it(void **state)
{
    (void)state;
    char *m = (char *)testenv_model("stories260K.bin");
    char *z = (char *)testenv_model("tok512.bin");
    char *argv[] = {(char *)PICOLLAMA_BIN, (char *)"eval", m, m, (char *)"-z", z, (char *)"-n",
                    (char *)"3", (char *)"-i", (char *)"Once upon a time", NULL};
    proc_result r;
    assert_true(proc_run(argv, NULL, 60, &r));
    assert_int_equal(r.exit_code, 1);
    assert_contains(r.err, "\"Once upon a time\" is 5 tokens (BOS included), more than the 3 "
                           "positions evaluated (-n)");
    proc_free(&r);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bench_help_prints_usage),
        cmocka_unit_test(bench_15m_help_prints_usage),
        cmocka_unit_test(bench_refuses_a_uf2_that_is_not_a_model),
        cmocka_unit_test(bench_takes_a_model_uf2),
        cmocka_unit_test(bench_15m_leaves_no_half_written_model),
        cmocka_unit_test(bench_15m_runs_from_any_directory),
        cmocka_unit_test(eval_names_n_when_a_prompt_exceeds_it),
    };
    if (argc > 1) cmocka_set_test_filter(argv[1]);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
