/* test_golden.c - `picollama run` and `picollama tokenize` against llama2.c's
 * own outputs (tests/golden/data, copied from ../shared/golden): stdout must
 * be byte-identical for every case. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "proc.h"
#include "testenv.h"

/* Splits a TSV line in place into at most n fields. */
static int split_tabs(char *line, char **fields, int n)
{
    int k = 0;
    fields[k++] = line;
    for (char *p = line; *p && k < n; p++) {
        if (*p == '\t') {
            *p = '\0';
            fields[k++] = p + 1;
        }
    }
    return k;
}

static char *golden_path(const char *name)
{
    static char path[4096];
    snprintf(path, sizeof(path), "%s/%s", GOLDEN_DIR, name);
    return path;
}

/* Runs every case of cases.tsv; with image set, on that packed image (which
 * carries its own tokenizer) instead of the case's checkpoint. */
static void check_run_cases(const char *image)
{
    char *cases = testenv_read(golden_path("cases.tsv"), NULL);
    assert_non_null(cases);
    int checked = 0;
    for (char *line = strtok(cases, "\n"); line; line = strtok(NULL, "\n")) {
        if (line[0] == '#') continue;
        char *f[8];
        assert_int_equal(split_tabs(line, f, 8), 8);
        const char *model = testenv_model(f[1]);
        const char *tokenizer = testenv_model(f[2]);
        assert_non_null(model);
        assert_non_null(tokenizer);
        testenv_unescape(f[7]);
        char *argv[20] = {PICOLLAMA_BIN, "run", (char *)(image ? image : model)};
        int argc = 3;
        if (!image) {
            argv[argc++] = "-z";
            argv[argc++] = (char *)tokenizer;
        }
        char *flags[] = {"-t", f[3], "-p", f[4], "-s", f[5], "-n", f[6]};
        for (int i = 0; i < 8; i++) argv[argc++] = flags[i];
        if (f[7][0]) {
            argv[argc++] = "-i";
            argv[argc++] = f[7];
        }
        argv[argc] = NULL;
        proc_result r;
        assert_true(proc_run(argv, NULL, 120, &r));
        char name[256];
        snprintf(name, sizeof(name), "%s.out", f[0]);
        size_t want_len;
        char *want = testenv_read(golden_path(name), &want_len);
        assert_non_null(want);
        if (r.exit_code != 0 || r.out_len != want_len || memcmp(r.out, want, want_len) != 0)
            print_error("case %s differs:\n--- want\n%s--- got (exit %d)\n%s%s\n", f[0], want,
                        r.exit_code, r.out, r.err);
        assert_int_equal(r.exit_code, 0);
        assert_int_equal(r.out_len, want_len);
        assert_memory_equal(r.out, want, want_len);
        assert_non_null(strstr(r.err, "achieved tok/s: "));
        free(want);
        proc_free(&r);
        checked++;
    }
    assert_true(checked >= 11);
    free(cases);
}

static void run_cases_match_llama2c(void **state)
{
    (void)state;
    check_run_cases(NULL);
}

/* The f32 image of stories260K must tell exactly the same stories. */
static void f32_image_matches_llama2c(void **state)
{
    (void)state;
    const char *image = testenv_tmp("stories260K-f32.img");
    const char *model = testenv_model("stories260K.bin"), *tok = testenv_model("tok512.bin");
    assert_non_null(model);
    assert_non_null(tok);
    char *argv[] = {PICOLLAMA_BIN, "pack", (char *)model, (char *)tok, "-q", "f32", "-o",
                    (char *)image, NULL};
    proc_result r;
    assert_true(proc_run(argv, NULL, 60, &r));
    assert_int_equal(r.exit_code, 0);
    proc_free(&r);
    check_run_cases(image);
}

static void check_tokenize_file(const char *tsv, const char *tokenizer_name)
{
    char *text = testenv_read(golden_path(tsv), NULL);
    assert_non_null(text);
    const char *tokenizer = testenv_model(tokenizer_name);
    assert_non_null(tokenizer);
    int checked = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *f[2] = {NULL, NULL};
        assert_int_equal(split_tabs(line, f, 2), 2);
        testenv_unescape(f[0]);
        char *argv[] = {PICOLLAMA_BIN, "tokenize", "-z", (char *)tokenizer, "--", f[0], NULL};
        proc_result r;
        assert_true(proc_run(argv, NULL, 30, &r));
        assert_int_equal(r.exit_code, 0);
        char want[8192];
        snprintf(want, sizeof(want), "%s\n", f[1]);
        assert_string_equal(r.out, want);
        proc_free(&r);
        checked++;
    }
    assert_true(checked >= 5);
    free(text);
}

static void tokenize_matches_llama2c(void **state)
{
    (void)state;
    check_tokenize_file("encode_tok512.tsv", "tok512.bin");
    check_tokenize_file("encode_tokenizer.tsv", "tokenizer.bin");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(run_cases_match_llama2c),
        cmocka_unit_test(f32_image_matches_llama2c),
        cmocka_unit_test(tokenize_matches_llama2c),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
