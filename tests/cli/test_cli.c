/* test_cli.c - the picollama command line end to end: bad input of every
 * kind gets one clear line on stderr and exit status 1 (never a crash or a
 * hang), and random-weight checkpoints of other shapes run through
 * `picollama run`. */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700 /* realpath */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "proc.h"
#include "testenv.h"

#define MAX_ARGS 24

/* Runs picollama with the given arguments (NULL-terminated list). */
static proc_result picollama(const char *first, ...)
{
    char *argv[MAX_ARGS] = {PICOLLAMA_BIN};
    int argc = 1;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && argc < MAX_ARGS - 1; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    proc_result r;
    assert_true(proc_run(argv, NULL, 120, &r));
    return r;
}

/* The error contract: exit 1, nothing on stdout, one line on stderr that
 * contains `needle`. */
static void expect_error(proc_result r, const char *needle)
{
    if (r.signal || r.exit_code != 1 || proc_count_lines(r.err) != 1 || !strstr(r.err, needle))
        print_error("expected one error line containing '%s'; got exit %d signal %d:\n%s",
                    needle, r.exit_code, r.signal, r.err);
    assert_int_equal(r.signal, 0);
    assert_int_equal(r.exit_code, 1);
    assert_int_equal(r.out_len, 0);
    assert_int_equal(proc_count_lines(r.err), 1);
    assert_non_null(strstr(r.err, needle));
    proc_free(&r);
}

static const char *model260k(void) { const char *p = testenv_model("stories260K.bin"); assert_non_null(p); return p; }
static const char *tok512(void) { const char *p = testenv_model("tok512.bin"); assert_non_null(p); return p; }

static void help_and_usage(void **state)
{
    (void)state;
    const char *cmds[] = {"run", "tokenize", "uf2", "pack", "eval"};
    for (int i = 0; i < 5; i++) {
        proc_result r = picollama(cmds[i], "--help", NULL);
        assert_int_equal(r.exit_code, 0);
        assert_non_null(strstr(r.out, "Usage: picollama"));
        proc_free(&r);
    }
    proc_result r = picollama("--help", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_non_null(strstr(r.out, "Commands:"));
    proc_free(&r);
    expect_error(picollama(NULL), "missing command");
    expect_error(picollama("frobnicate", NULL), "unknown command 'frobnicate'");
}

static void missing_files(void **state)
{
    (void)state;
    expect_error(picollama("run", "/nonexistent/model.bin", "-z", tok512(), NULL),
                 "/nonexistent/model.bin: No such file");
    expect_error(picollama("run", model260k(), "-z", "/nonexistent/tok.bin", NULL),
                 "/nonexistent/tok.bin: No such file");
    expect_error(picollama("run", "/tmp", "-z", tok512(), NULL), "not a regular file");
    expect_error(picollama("tokenize", "-z", "/nonexistent/tok.bin", "hi", NULL), "No such file");
}

/* A copy of stories260K.bin cut or extended by delta bytes. */
static const char *resized_model(const char *name, long delta)
{
    size_t len;
    char *data = testenv_read(model260k(), &len);
    assert_non_null(data);
    size_t new_len = (size_t)((long)len + delta);
    data = realloc(data, new_len > len ? new_len : len);
    if (new_len > len) memset(data + len, 0, new_len - len);
    const char *path = testenv_tmp(name);
    assert_true(testenv_write(path, data, new_len));
    free(data);
    return path;
}

static void bad_model_files(void **state)
{
    (void)state;
    expect_error(picollama("run", resized_model("trunc.bin", -100), "-z", tok512(), NULL),
                 "truncated");
    expect_error(picollama("run", resized_model("header.bin", -1056540 + 10), "-z", tok512(), NULL),
                 "too short");
    expect_error(picollama("run", resized_model("big.bin", 4096), "-z", tok512(), NULL),
                 "larger than its header");
    const char *empty = testenv_tmp("empty.bin");
    assert_true(testenv_write(empty, "", 0));
    expect_error(picollama("run", empty, "-z", tok512(), NULL), "too short");
    char garbage[4096];
    for (size_t i = 0; i < sizeof(garbage); i++) garbage[i] = (char)(i * 2654435761u >> 13);
    const char *junk = testenv_tmp("junk.bin");
    assert_true(testenv_write(junk, garbage, sizeof(garbage)));
    expect_error(picollama("run", junk, "-z", tok512(), NULL), "dimension");
    /* a tokenizer is not a model */
    expect_error(picollama("run", tok512(), "-z", tok512(), NULL), "dim");
    /* nor is a model a tokenizer */
    expect_error(picollama("run", model260k(), "-z", model260k(), NULL), "malformed tokenizer");
}

static void vocab_mismatch(void **state)
{
    (void)state;
    const char *big_tok = testenv_model("tokenizer.bin");
    assert_non_null(big_tok);
    expect_error(picollama("run", model260k(), "-z", big_tok, NULL),
                 "tokenizer has 32000 tokens but the model's vocabulary has 512");
}

static void bad_flag_values(void **state)
{
    (void)state;
    const char *m = model260k(), *z = tok512();
    expect_error(picollama("run", m, "-z", z, "-t", "hot", NULL), "bad value 'hot' for -t");
    expect_error(picollama("run", m, "-z", z, "-t", "-1", NULL), "bad value '-1' for -t");
    expect_error(picollama("run", m, "-z", z, "-t", "inf", NULL), "for -t");
    expect_error(picollama("run", m, "-z", z, "-p", "1.5", NULL), "bad value '1.5' for -p");
    expect_error(picollama("run", m, "-z", z, "-n", "-5", NULL), "bad value '-5' for -n");
    expect_error(picollama("run", m, "-z", z, "-n", "12x", NULL), "for -n");
    expect_error(picollama("run", m, "-z", z, "-n", "99999999999", NULL),
                 "bad value '99999999999' for -n (expected an integer from 0 to 2147483647)");
    expect_error(picollama("run", m, "-z", z, "-t", "nan", NULL), "bad value 'nan' for -t");
    expect_error(picollama("run", m, "-z", z, "-p", "nan", NULL), "for -p");
    expect_error(picollama("run", m, "-z", z, "-p", "-0.1", NULL), "for -p");
    expect_error(picollama("run", m, "-z", z, "-s", "x", NULL), "bad value 'x' for -s");
    expect_error(picollama("run", m, "-z", z, "-s", "-2147483649", NULL), "for -s");
    expect_error(picollama("run", m, "-z", z, "-s", "18446744073709551616", NULL),
                 "for -s (expected an integer from -2^31 to 2^64-1)");
    expect_error(picollama("run", m, "-z", z, "-q", "1", NULL), "unknown option '-q'");
    expect_error(picollama("run", m, "-z", z, "--foo", NULL), "unknown option '--foo'");
    expect_error(picollama("run", m, "-z", z, "-n", NULL), "option -n needs a value");
    expect_error(picollama("run", m, "-z", NULL), "option -z needs a value");
    expect_error(picollama("run", m, "-z", z, "-i", NULL), "option -i needs a value");
    expect_error(picollama("tokenize", "hi", NULL), "missing -z TOKENIZER");
    expect_error(picollama("tokenize", "-z", z, "hi", "there", NULL), "unexpected argument 'there'");
    expect_error(picollama("tokenize", "-z", z, "-x", "hi", NULL), "unknown option '-x'");
    expect_error(picollama("tokenize", "-z", NULL), "option -z needs a value");
    expect_error(picollama("tokenize", "-z", z, "--", NULL), "missing TEXT");
    expect_error(picollama("tokenize", "-z", z, "hi", "--", "-x", NULL), "unexpected argument '-x'");
    expect_error(picollama("run", m, "extra.bin", NULL), "unexpected argument 'extra.bin'");
    expect_error(picollama("tokenize", "-z", z, NULL), "missing TEXT");
    expect_error(picollama("run", NULL), "missing MODEL");
    expect_error(picollama("uf2", m, "-o", testenv_tmp("x.uf2"), "--base", "0x10000001", NULL),
                 "'0x10000001' is not a flash address a UF2 can write: 256-byte aligned, from "
                 "0x10000000 to 0x10ffef00");
    expect_error(picollama("tokenize", "-z", z, "-f", NULL), "option -f needs a value");
    expect_error(picollama("tokenize", "-z", z, "-f", z, "hi", NULL), "TEXT and -f FILE");
}

/* run.c keeps atoi()'s int in a 64-bit seed: -3 is 2^64 - 3. */
static void negative_seed_is_sign_extended(void **state)
{
    (void)state;
    const char *m = model260k(), *z = tok512();
    proc_result neg = picollama("run", m, "-z", z, "-n", "40", "-s", "-3", NULL);
    proc_result wide = picollama("run", m, "-z", z, "-n", "40", "-s", "18446744073709551613", NULL);
    proc_result other = picollama("run", m, "-z", z, "-n", "40", "-s", "3", NULL);
    assert_int_equal(neg.exit_code, 0);
    assert_int_equal(wide.exit_code, 0);
    assert_string_equal(neg.out, wide.out);
    assert_string_not_equal(neg.out, other.out);
    proc_free(&neg);
    proc_free(&wide);
    proc_free(&other);
}

/* Runs picollama through sh with its stdout sent to /dev/full. */
static proc_result picollama_to_full_disk(const char *cmd, const char *a, const char *b,
                                          const char *c)
{
    char *argv[] = {"/bin/sh", "-c", "exec \"$0\" \"$@\" >/dev/full", PICOLLAMA_BIN,
                    (char *)cmd, (char *)a, (char *)b, (char *)c, NULL};
    proc_result r;
    assert_true(proc_run(argv, NULL, 120, &r));
    return r;
}

static void full_disk_is_an_error(void **state)
{
    (void)state;
    expect_error(picollama_to_full_disk("run", model260k(), "-z", tok512()),
                 "cannot write to standard output");
    expect_error(picollama_to_full_disk("tokenize", "-z", tok512(), "Once upon a time"),
                 "cannot write to standard output");
}

/* Without -z a checkpoint takes tokenizer.bin, looked up like the model:
 * here both are found only through $PICOLLAMA_MODELS. */
static void default_tokenizer_is_looked_up(void **state)
{
    (void)state;
    size_t len;
    char *tok = testenv_read(tok512(), &len);
    assert_non_null(tok);
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s", testenv_tmp("tokenizer.bin"));
    assert_true(testenv_write(dir, tok, len));
    free(tok);
    *strrchr(dir, '/') = '\0';
    char *argv[] = {"/bin/sh", "-c", "cd / && PICOLLAMA_MODELS=\"$1\" exec \"$0\" run \"$2\" -n 8",
                    PICOLLAMA_BIN, dir, (char *)model260k(), NULL};
    proc_result r;
    assert_true(proc_run(argv, NULL, 120, &r));
    if (r.exit_code != 0) print_error("%s", r.err);
    assert_int_equal(r.exit_code, 0);
    assert_true(r.out_len > 1);
    proc_free(&r);
}

/* A 28-byte file whose header describes a 7B model: refused by its size
 * before any run state is allocated for it. */
static void short_file_with_a_huge_header(void **state)
{
    (void)state;
    const int32_t llama7b[7] = {4096, 11008, 32, 32, 32, 32000, 2048};
    const char *path = testenv_tmp("7b-header.bin");
    assert_true(testenv_write(path, llama7b, sizeof(llama7b)));
    expect_error(picollama("run", path, "-z", tok512(), NULL), "truncated");
}

/* Image files: a bad magic, bytes past the image, a wrong -z. */
static void bad_image_files(void **state)
{
    (void)state;
    const char *img = testenv_tmp("run.img");
    proc_result r = picollama("pack", model260k(), tok512(), "-q", "q8", "--calibrate", "0",
                              "-o", img, NULL);
    assert_int_equal(r.exit_code, 0);
    proc_free(&r);
    size_t len;
    char *data = testenv_read(img, &len);
    assert_non_null(data);
    const char *longer = testenv_tmp("longer.img");
    data = realloc(data, len + 8);
    memset(data + len, 0, 8);
    assert_true(testenv_write(longer, data, len + 8));
    expect_error(picollama("run", longer, NULL), "8 bytes after the image's end");
    data[0] ^= 1;
    const char *magic = testenv_tmp("magic.img");
    assert_true(testenv_write(magic, data, len));
    expect_error(picollama("run", magic, NULL), "neither a model image nor a valid llama2.c");
    free(data);
    const char *big_tok = testenv_model("tokenizer.bin");
    assert_non_null(big_tok);
    expect_error(picollama("run", img, "-z", big_tok, NULL),
                 "tokenizer has 32000 tokens but the model's vocabulary has 512");
}

/* Generates a random checkpoint with gen_checkpoint's options. */
static const char *gen_model(const char *name, const char *opts[])
{
    const char *path = testenv_tmp(name);
    char *argv[MAX_ARGS] = {GEN_CHECKPOINT_BIN, (char *)path};
    int argc = 2;
    for (int i = 0; opts[i]; i++) argv[argc++] = (char *)opts[i];
    argv[argc] = NULL;
    proc_result r;
    assert_true(proc_run(argv, NULL, 60, &r));
    assert_int_equal(r.exit_code, 0);
    proc_free(&r);
    return path;
}

static void prompt_longer_than_context(void **state)
{
    (void)state;
    const char *opts[] = {"--seq", "8", NULL};
    const char *m = gen_model("seq8.bin", opts);
    expect_error(picollama("run", m, "-z", tok512(), "-i",
                           "One day a little girl named Lily went to the park with her mom.",
                           NULL),
                 "but the model's context holds 8");
}

/* Runs a generated model twice with the same seed: same text, success. */
static char *run_twice(const char *model, const char *tokenizer, const char *steps,
                       const char *prompt)
{
    char *outs[2];
    for (int i = 0; i < 2; i++) {
        proc_result r = prompt ? picollama("run", model, "-z", tokenizer, "-n", steps, "-s", "7",
                                           "-i", prompt, NULL)
                               : picollama("run", model, "-z", tokenizer, "-n", steps, "-s", "7",
                                           NULL);
        if (r.exit_code != 0) print_error("%s", r.err);
        assert_int_equal(r.exit_code, 0);
        assert_true(r.out_len >= 1);
        assert_int_equal(r.out[r.out_len - 1], '\n');
        outs[i] = strdup(r.out);
        proc_free(&r);
    }
    assert_string_equal(outs[0], outs[1]);
    free(outs[1]);
    return outs[0];
}

static void other_shapes_run_end_to_end(void **state)
{
    (void)state;
    const char *shapes[][12] = {
        {"--dim", "64", "--heads", "8", "--kv-heads", "8", NULL},                /* GQA 1:1 */
        {"--dim", "64", "--heads", "8", "--kv-heads", "4", NULL},                /* GQA 2:1 */
        {"--dim", "48", "--heads", "6", "--kv-heads", "2", NULL},                /* GQA 3:1 */
        {"--dim", "32", "--heads", "4", "--kv-heads", "4", "--unshared", NULL},  /* classifier */
    };
    for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
        char name[32];
        snprintf(name, sizeof(name), "shape%zu.bin", i);
        free(run_twice(gen_model(name, shapes[i]), tok512(), "48", "Once upon a time"));
    }
}

static void vocab_32000_with_llama_tokenizer(void **state)
{
    (void)state;
    const char *opts[] = {"--dim", "32", "--hidden", "64", "--heads", "4", "--kv-heads", "4",
                          "--vocab", "32000", "--seq", "32", NULL};
    const char *m = gen_model("v32000.bin", opts);
    const char *tok = testenv_model("tokenizer.bin");
    assert_non_null(tok);
    free(run_twice(m, tok, "24", "Once upon a time, in a land far away"));
    /* a tokenizer smaller than the model's vocabulary */
    expect_error(picollama("run", m, "-z", tok512(), NULL),
                 "tokenizer has 512 tokens but the model's vocabulary has 32000");
}

static void steps_clamp_to_context(void **state)
{
    (void)state;
    const char *opts[] = {"--seq", "16", NULL};
    const char *m = gen_model("seq16.bin", opts);
    char *full = run_twice(m, tok512(), "0", NULL);
    char *over = run_twice(m, tok512(), "1000", NULL);
    char *exact = run_twice(m, tok512(), "16", NULL);
    assert_string_equal(full, over);
    assert_string_equal(full, exact);
    free(full);
    free(over);
    free(exact);
}

/* INPUT@next: the next 4 KB boundary after the previous input. */
static void uf2_chains_inputs_at_next(void **state)
{
    (void)state;
    static unsigned char a[5000], b[300];
    memset(a, 0xA5, sizeof(a));
    memset(b, 0x5A, sizeof(b));
    const char *pa = testenv_tmp("chain-a.bin"), *pb = testenv_tmp("chain-b.bin");
    assert_true(testenv_write(pa, a, sizeof(a)));
    assert_true(testenv_write(pb, b, sizeof(b)));
    char arg_a[512], arg_b[512];
    snprintf(arg_a, sizeof(arg_a), "%s@0x10080000", pa);
    snprintf(arg_b, sizeof(arg_b), "%s@next", pb);
    const char *out = testenv_tmp("chain.uf2");
    proc_result r = picollama("uf2", arg_a, arg_b, "-o", out, NULL);
    assert_int_equal(r.exit_code, 0);
    /* how to flash it (issue 20) */
    char *full = realpath(out, NULL), flash[9000];
    assert_non_null(full);
    snprintf(flash, sizeof(flash), "  flash it: make flash MODEL=%s   (or: picotool load -f -x %s)\n",
             full, full);
    if (!strstr(r.out, flash)) fail_msg("'%s' not in:\n%s", flash, r.out);
    free(full);
    proc_free(&r);
    size_t len;
    unsigned char *u = (unsigned char *)testenv_read(out, &len);
    assert_non_null(u);
    assert_int_equal(len, (1 + 20 + 2) * 512); /* E10 block, 20 + 2 pages */
    assert_int_equal(testenv_le32(u + 512 * 20 + 12), 0x10080000u + 19 * 256);
    assert_int_equal(testenv_le32(u + 512 * 21 + 12), 0x10082000u);
    assert_int_equal(u[512 * 21 + 32], 0x5A);
    assert_int_equal(testenv_le32(u + 512 * 22 + 12), 0x10082100u);
    free(u);
    snprintf(arg_a, sizeof(arg_a), "%s@next", pa);
    expect_error(picollama("uf2", arg_a, "-o", out, NULL), "has no input before it");
}

/* A UF2 file read back block by block. */
typedef struct {
    unsigned char *data;
    size_t blocks;
} uf2_blocks;

static uf2_blocks read_uf2(const char *path)
{
    size_t len;
    uf2_blocks u = {(unsigned char *)testenv_read(path, &len), 0};
    assert_non_null(u.data);
    assert_int_equal(len % 512, 0);
    u.blocks = len / 512;
    /* block 0 is the E10 block; the rest are one transfer numbered in order */
    assert_int_equal(testenv_le32(u.data + 12), 0x10FFFF00u);
    for (size_t i = 1; i < u.blocks; i++) {
        const unsigned char *b = u.data + 512 * i;
        assert_int_equal(testenv_le32(b), 0x0A324655u);
        assert_int_equal(testenv_le32(b + 20), i - 1);
        assert_int_equal(testenv_le32(b + 24), u.blocks - 1);
        assert_int_equal(testenv_le32(b + 508), 0x0AB16F30u);
    }
    return u;
}

/* The block that writes flash address addr, or NULL. */
static const unsigned char *uf2_block_at(const uf2_blocks *u, uint32_t addr)
{
    for (size_t i = 1; i < u->blocks; i++)
        if (testenv_le32(u->data + 512 * i + 12) == addr) return u->data + 512 * i;
    return NULL;
}

static void assert_zero_page(const unsigned char *block)
{
    assert_non_null(block);
    for (int k = 0; k < 256; k++) assert_int_equal(block[32 + k], 0);
}

/* A file of len bytes of fill, starting with the model image magic when
 * image is set (all `picollama uf2` looks at). */
static const char *make_input(const char *name, size_t len, int fill, int image)
{
    unsigned char *data = malloc(len);
    assert_non_null(data);
    memset(data, fill, len);
    if (image) memcpy(data, "PLLM", 4); /* PL_IMAGE_MAGIC, little-endian */
    const char *path = testenv_tmp(name);
    assert_true(testenv_write(path, data, len));
    free(data);
    return path;
}

/* Runs `picollama uf2` on inputs given as "PATH@ADDR" (NULL-terminated);
 * returns its result (stdout/stderr kept for the caller). */
static proc_result uf2_of(const char *out, const char *first, ...)
{
    char *argv[MAX_ARGS] = {PICOLLAMA_BIN, "uf2"};
    static char args[8][4300];
    int argc = 2, k = 0;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && k < 8; a = va_arg(ap, const char *), k++) {
        snprintf(args[k], sizeof(args[k]), "%s", a);
        argv[argc++] = args[k];
    }
    va_end(ap);
    argv[argc++] = "-o";
    argv[argc++] = (char *)out;
    argv[argc] = NULL;
    proc_result r;
    assert_true(proc_run(argv, NULL, 120, &r));
    if (r.exit_code != 0) print_error("%s", r.err);
    assert_int_equal(r.exit_code, 0);
    return r;
}

static char *at(const char *path, const char *where)
{
    static char buf[4][4300];
    static int slot;
    char *b = buf[slot++ % 4];
    snprintf(b, sizeof(buf[0]), "%s@%s", path, where);
    return b;
}

/* A model image ends its chain with a zeroed page on the next 4 KB
 * boundary (an older image there must not become part of the chain),
 * unless an input writes that page or it is in the last (E10) sector. */
static void uf2_ends_model_chains(void **state)
{
    (void)state;
    const char *img = make_input("chain.img", 5000, 0xA5, 1);
    const char *img2 = make_input("chain2.img", 300, 0x3C, 1);
    const char *raw = make_input("chain.bin", 5000, 0xA5, 0);
    const char *data = make_input("chain-data.bin", 300, 0x5A, 0);
    const char *out = testenv_tmp("chain-end.uf2");

    /* one image: 20 pages, then the end page at 0x10082000 */
    proc_result r = uf2_of(out, at(img, "0x10080000"), NULL);
    assert_int_equal(r.err_len, 0);
    proc_free(&r);
    uf2_blocks u = read_uf2(out);
    assert_int_equal(u.blocks, 1 + 20 + 1);
    assert_zero_page(uf2_block_at(&u, 0x10082000u));
    assert_int_equal(u.data[512 + 32], 'P');
    free(u.data);

    /* the same bytes without the magic are not a model: no end page */
    r = uf2_of(out, at(raw, "0x10080000"), NULL);
    proc_free(&r);
    u = read_uf2(out);
    assert_int_equal(u.blocks, 1 + 20);
    free(u.data);

    /* two chained images: one end page, after the second */
    r = uf2_of(out, at(img, "0x10080000"), at(img2, "next"), NULL);
    proc_free(&r);
    u = read_uf2(out);
    assert_int_equal(u.blocks, 1 + 20 + 2 + 1);
    assert_int_equal(uf2_block_at(&u, 0x10082000u)[32], 'P');
    assert_zero_page(uf2_block_at(&u, 0x10083000u));
    free(u.data);

    /* an input already writes the page on the boundary: it ends the chain */
    r = uf2_of(out, at(img, "0x10080000"), at(data, "next"), NULL);
    proc_free(&r);
    u = read_uf2(out);
    assert_int_equal(u.blocks, 1 + 20 + 2);
    assert_int_equal(uf2_block_at(&u, 0x10082000u)[32], 0x5A);
    free(u.data);

    /* the boundary is the last sector, the E10 block's: no end page */
    r = uf2_of(out, at(img, "0x10FFD000"), NULL);
    proc_free(&r);
    u = read_uf2(out);
    assert_int_equal(u.blocks, 1 + 20);
    assert_null(uf2_block_at(&u, 0x10FFF000u));
    free(u.data);
}

/* An input ending past 0x103FF000 does not fit a 4 MB board (Pico 2): a
 * warning, and the UF2 is still written (exit 0). */
static void uf2_warns_past_4mb(void **state)
{
    (void)state;
    const char *page = make_input("sector.bin", 4096, 0x11, 0);
    const char *out = testenv_tmp("4mb.uf2");
    proc_result r = uf2_of(out, at(page, "0x103FE000"), NULL); /* ends at 0x103FF000: fits */
    assert_int_equal(r.err_len, 0);
    proc_free(&r);
    r = uf2_of(out, at(page, "0x103FF000"), NULL); /* the sector the E10 block erases there */
    assert_int_equal(proc_count_lines(r.err), 1);
    assert_non_null(strstr(r.err, "warning: "));
    assert_non_null(strstr(r.err, "sector.bin ends at 0x10400000: it does not fit a 4 MB board "
                                  "(Raspberry Pi Pico 2)"));
    proc_free(&r);
    r = uf2_of(out, at(page, "0x10400000"), NULL); /* wraps onto the firmware there */
    assert_non_null(strstr(r.err, "ends at 0x10401000: it does not fit a 4 MB board "
                                  "(Raspberry Pi Pico 2); flashing it there overwrites the "
                                  "firmware"));
    proc_free(&r);
    uf2_blocks u = read_uf2(out);
    assert_int_equal(u.blocks, 1 + 16);
    free(u.data);
    /* a model image that ends in the last sector: its end-of-chain page
     * goes to 0x10400000, which wraps onto the firmware */
    const char *model = make_input("model.img", 2048, 0x22, 1);
    r = uf2_of(out, at(model, "0x103FF000"), NULL);
    assert_non_null(strstr(r.err, "model.img ends at 0x10400100 with its end-of-chain page: it "
                                  "does not fit a 4 MB board (Raspberry Pi Pico 2); flashing it "
                                  "there overwrites the firmware"));
    proc_free(&r);
}

/* A FIFO nobody writes or reads blocks open() forever: as a model, a
 * tokenizer, an eval candidate, a pack or uf2 input or output it is refused
 * at once. */
static void fifos_are_refused_not_waited_for(void **state)
{
    (void)state;
    const char *fifo = testenv_tmp("pipe.fifo");
    unlink(fifo);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    const char *m = model260k(), *z = tok512();
    expect_error(picollama("run", fifo, "-z", z, NULL), "pipe.fifo: not a regular file");
    expect_error(picollama("run", m, "-z", fifo, NULL), "pipe.fifo: not a regular file");
    expect_error(picollama("tokenize", "-z", fifo, "hi", NULL), "pipe.fifo: not a regular file");
    expect_error(picollama("tokenize", "-z", z, "-f", fifo, NULL), "pipe.fifo: not a regular file");
    expect_error(picollama("eval", m, fifo, "-z", z, NULL), "pipe.fifo: not a regular file");
    expect_error(picollama("pack", fifo, z, "-q", "f32", "-o", testenv_tmp("f.img"), NULL),
                 "pipe.fifo: not a regular file");
    expect_error(picollama("pack", m, fifo, "-q", "f32", "-o", testenv_tmp("f.img"), NULL),
                 "pipe.fifo: not a regular file");
    expect_error(picollama("pack", m, z, "-q", "f32", "-o", fifo, NULL),
                 "pipe.fifo: not a regular file or character device");
    expect_error(picollama("uf2", fifo, "-o", testenv_tmp("f.uf2"), NULL),
                 "pipe.fifo: not a regular file");
    expect_error(picollama("uf2", z, "-o", fifo, NULL),
                 "pipe.fifo: not a regular file or character device");
    /* a character device is a fine output */
    proc_result r = picollama("uf2", z, "-o", "/dev/null", NULL);
    assert_int_equal(r.exit_code, 0);
    assert_null(strstr(r.out, "flash it")); /* nothing to flash */
    proc_free(&r);
}

/* `uf2 fw.bin -o fw.bin` would read its input and replace it: refused, by
 * name or through another name (a hard link), and the file is untouched. */
static void uf2_output_is_never_an_input(void **state)
{
    (void)state;
    static unsigned char fw[1000];
    memset(fw, 0x42, sizeof(fw));
    const char *path = testenv_tmp("fw.bin");
    assert_true(testenv_write(path, fw, sizeof(fw)));
    expect_error(picollama("uf2", path, "-o", path, NULL),
                 "is the input");
    char alias[4096];
    snprintf(alias, sizeof(alias), "%s", testenv_tmp("fw-alias.bin"));
    unlink(alias);
    assert_int_equal(link(path, alias), 0);
    char placed[4200];
    snprintf(placed, sizeof(placed), "%s@0x10000000", path);
    expect_error(picollama("uf2", placed, "-o", alias, NULL), "(the same file)");
    size_t len;
    char *after = testenv_read(path, &len);
    assert_non_null(after);
    assert_int_equal(len, sizeof(fw));
    assert_memory_equal(after, fw, sizeof(fw));
    free(after);
}

/* Bad uf2 input is named with the rule it breaks. */
static void uf2_input_rules(void **state)
{
    (void)state;
    const char *empty = testenv_tmp("empty-in.bin"), *out = testenv_tmp("rules.uf2");
    assert_true(testenv_write(empty, "", 0));
    expect_error(picollama("uf2", empty, "-o", out, NULL), "empty-in.bin is empty: nothing to write");
    static unsigned char a[5000], b[300];
    const char *pa = testenv_tmp("over-a.bin"), *pb = testenv_tmp("over-b.bin");
    assert_true(testenv_write(pa, a, sizeof(a)));
    assert_true(testenv_write(pb, b, sizeof(b)));
    char arg_a[4200], arg_b[4200];
    snprintf(arg_a, sizeof(arg_a), "%s@0x10000000", pa);
    snprintf(arg_b, sizeof(arg_b), "%s@0x10001000", pb);
    char needle[4400];
    snprintf(needle, sizeof(needle), "over-a.bin (0x10000000-0x10001400) and %s "
             "(0x10001000-0x10001200) overlap: each 256-byte page must come from one input", pb);
    expect_error(picollama("uf2", arg_a, arg_b, "-o", out, NULL), needle);
    snprintf(arg_b, sizeof(arg_b), "%s@0x20000000", pb);
    expect_error(picollama("uf2", arg_b, "-o", out, NULL),
                 "'0x20000000' is not a flash address a UF2 can write: 256-byte aligned, from "
                 "0x10000000 to 0x10ffef00 (the last 4 KB sector is the RP2350-E10 block's)");
    expect_error(picollama("eval", model260k(), model260k(), "-z", tok512(), "-n", "999999999999",
                           NULL),
                 "bad value '999999999999' for -n (an integer from 2 to 2147483647)");
}

/* -t 1e-45 makes logits / T overflow: softmax of infinities is NaN and
 * run.c prints <unk><unk>...; the engine samples greedily instead, which
 * is exactly -t 0's text. */
static void overflowing_temperature_is_greedy(void **state)
{
    (void)state;
    const char *m = model260k(), *z = tok512();
    proc_result tiny = picollama("run", m, "-z", z, "-n", "40", "-s", "5", "-t", "1e-45", NULL);
    proc_result greedy = picollama("run", m, "-z", z, "-n", "40", "-t", "0", NULL);
    assert_int_equal(tiny.exit_code, 0);
    assert_int_equal(greedy.exit_code, 0);
    assert_null(strstr(tiny.out, "<unk>"));
    assert_string_equal(tiny.out, greedy.out);
    proc_free(&tiny);
    proc_free(&greedy);
}

/* -f FILE: the same ids as the text given as an argument (which cannot
 * pass 128 KB on Linux). */
static void tokenize_reads_a_file(void **state)
{
    (void)state;
    const char *text = "Once upon a time, Lily saw a \xe2\x82\xac on the mat.\nThe end.";
    const char *path = testenv_tmp("text.txt");
    assert_true(testenv_write(path, text, strlen(text)));
    proc_result arg = picollama("tokenize", "-z", tok512(), text, NULL);
    proc_result file = picollama("tokenize", "-z", tok512(), "-f", path, NULL);
    assert_int_equal(arg.exit_code, 0);
    if (file.exit_code != 0) print_error("%s", file.err);
    assert_int_equal(file.exit_code, 0);
    assert_string_equal(arg.out, file.out);
    proc_free(&arg);
    proc_free(&file);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(help_and_usage),
        cmocka_unit_test(missing_files),
        cmocka_unit_test(bad_model_files),
        cmocka_unit_test(vocab_mismatch),
        cmocka_unit_test(bad_flag_values),
        cmocka_unit_test(prompt_longer_than_context),
        cmocka_unit_test(other_shapes_run_end_to_end),
        cmocka_unit_test(vocab_32000_with_llama_tokenizer),
        cmocka_unit_test(steps_clamp_to_context),
        cmocka_unit_test(uf2_chains_inputs_at_next),
        cmocka_unit_test(uf2_ends_model_chains),
        cmocka_unit_test(uf2_warns_past_4mb),
        cmocka_unit_test(negative_seed_is_sign_extended),
        cmocka_unit_test(full_disk_is_an_error),
        cmocka_unit_test(default_tokenizer_is_looked_up),
        cmocka_unit_test(short_file_with_a_huge_header),
        cmocka_unit_test(bad_image_files),
        cmocka_unit_test(fifos_are_refused_not_waited_for),
        cmocka_unit_test(uf2_output_is_never_an_input),
        cmocka_unit_test(uf2_input_rules),
        cmocka_unit_test(overflowing_temperature_is_greedy),
        cmocka_unit_test(tokenize_reads_a_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
