/* test_pack.c - `picollama pack` and `picollama eval` end to end: quality
 * of the quantized stories260K (q8 must agree with fp32 on >= 99.0% of the
 * golden prompts' positions), image and UF2 sizes for the stories15M shape,
 * the UF2's layout (its end-of-chain page too), the 4 MB board warning,
 * and bad input and outputs. */
#define _POSIX_C_SOURCE 200809L
#define _XOPEN_SOURCE 700 /* realpath */
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

#define MAX_ARGS 40

static proc_result run_tool(const char *tool, const char *first, ...)
{
    char *argv[MAX_ARGS] = {(char *)tool};
    int argc = 1;
    va_list ap;
    va_start(ap, first);
    for (const char *a = first; a && argc < MAX_ARGS - 1; a = va_arg(ap, const char *))
        argv[argc++] = (char *)a;
    va_end(ap);
    argv[argc] = NULL;
    proc_result r;
    assert_true(proc_run(argv, NULL, 900, &r));
    return r;
}

static void expect_ok(proc_result *r)
{
    if (r->signal || r->exit_code != 0)
        fail_msg("exit %d signal %d: %s", r->exit_code, r->signal, r->err);
}

static void expect_error(proc_result r, const char *needle)
{
    if (r.signal || r.exit_code != 1 || proc_count_lines(r.err) != 1 || !strstr(r.err, needle))
        fail_msg("expected one error line containing '%s'; got exit %d:\n%s", needle,
                 r.exit_code, r.err);
    proc_free(&r);
}

static const char *model(const char *name)
{
    const char *p = testenv_model(name);
    assert_non_null(p);
    return p;
}

/* Golden prompts (cases.tsv) plus BOS, as eval arguments. */
static const char *const golden_prompts[] = {"Once upon a time", "Lily and Tom went to the park",
                                             "The cat sat on the mat.",
                                             "Tim had 3 red balls and 12 blue cars!",
                                             "Hi.\nBye."};

static double eval_agreement(const char *candidate)
{
    char *argv[MAX_ARGS] = {PICOLLAMA_BIN, "eval", (char *)model("stories260K.bin"),
                            (char *)candidate, "-z", (char *)model("tok512.bin")};
    int argc = 6;
    for (int i = 0; i < 5; i++) {
        argv[argc++] = "-i";
        argv[argc++] = (char *)golden_prompts[i];
    }
    argv[argc] = NULL;
    proc_result r;
    assert_true(proc_run(argv, NULL, 600, &r));
    expect_ok(&r);
    print_message("%s", r.out); /* the table: the figures the issue asks for */
    const char *line = strstr(r.out, "agreement: ");
    assert_non_null(line);
    double agreement = atof(line + strlen("agreement: "));
    assert_non_null(strstr(line, "% mean-kl: "));
    assert_int_equal(proc_count_lines(r.out), 8); /* header, BOS + 5 prompts, total */
    proc_free(&r);
    return agreement;
}

static const char *pack_260k(const char *type)
{
    char name[64];
    snprintf(name, sizeof(name), "stories260K-%s.img", type);
    const char *out = testenv_tmp(name);
    proc_result r = run_tool(PICOLLAMA_BIN, "pack", model("stories260K.bin"), model("tok512.bin"),
                             "-q", type, "-o", out, NULL);
    expect_ok(&r);
    assert_non_null(strstr(r.out, "total"));
    proc_free(&r);
    return out;
}

static void q8_agrees_with_fp32(void **state)
{
    (void)state;
    double q8 = eval_agreement(pack_260k("q8"));
    print_message("stories260K q8 agreement: %.2f%%\n", q8);
    assert_true(q8 >= 99.0);
}

static void q4_agreement_is_reported(void **state)
{
    (void)state;
    double q4 = eval_agreement(pack_260k("q4"));
    print_message("stories260K q4 agreement: %.2f%%\n", q4);
    assert_true(q4 >= 80.0); /* a regression guard, not a target */
}

static long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

/* The UF2 holds the image page by page from 0x10080000, then a zeroed page
 * on the next 4 KB boundary that ends the slot's chain of images
 * (docs/model-format.md, "Several images in flash"); its family is ABSOLUTE,
 * so no RP2350-E10 block comes first (picotool adds none to such files:
 * they would join its transfer). */
static void check_uf2(const char *uf2, const char *img)
{
    size_t ulen, ilen;
    unsigned char *u = (unsigned char *)testenv_read(uf2, &ulen);
    unsigned char *im = (unsigned char *)testenv_read(img, &ilen);
    assert_non_null(u);
    assert_non_null(im);
    size_t pages = (ilen + 255) / 256;
    uint32_t chain_end = (0x10080000u + (uint32_t)ilen + 4095) / 4096 * 4096;
    assert_true(chain_end < 0x10FFF000u); /* else no end page: the E10 block's sector */
    assert_int_equal(ulen, (pages + 1) * 512);
    for (size_t i = 0; i < pages; i++) {
        const unsigned char *b = u + i * 512;
        assert_int_equal(testenv_le32(b), 0x0A324655u);
        assert_int_equal(testenv_le32(b + 4), 0x9E5D5157u);
        assert_int_equal(testenv_le32(b + 8), 0x00002000u);    /* family ID present */
        assert_int_equal(testenv_le32(b + 12), 0x10080000u + 256 * i);
        assert_int_equal(testenv_le32(b + 16), 256);
        assert_int_equal(testenv_le32(b + 20), i);
        assert_int_equal(testenv_le32(b + 24), pages + 1);
        assert_int_equal(testenv_le32(b + 28), 0xE48BFF57u);   /* ABSOLUTE family */
        size_t n = ilen - 256 * i < 256 ? ilen - 256 * i : 256;
        assert_memory_equal(b + 32, im + 256 * i, n);
        for (size_t k = 32 + n; k < 508; k++) assert_int_equal(b[k], 0);
        assert_int_equal(testenv_le32(b + 508), 0x0AB16F30u);
    }
    const unsigned char *end = u + pages * 512;
    assert_int_equal(testenv_le32(end), 0x0A324655u);
    assert_int_equal(testenv_le32(end + 8), 0x00002000u);
    assert_int_equal(testenv_le32(end + 12), chain_end);
    assert_int_equal(testenv_le32(end + 16), 256);
    assert_int_equal(testenv_le32(end + 20), pages);
    assert_int_equal(testenv_le32(end + 24), pages + 1);
    assert_int_equal(testenv_le32(end + 28), 0xE48BFF57u);
    for (int k = 32; k < 508; k++) assert_int_equal(end[k], 0);
    assert_int_equal(testenv_le32(end + 508), 0x0AB16F30u);
    free(u);
    free(im);
}

#define PICO2_WARNING "does not fit a 4 MB board (Raspberry Pi Pico 2)"

/* stories260K as a model UF2: laid out as check_uf2 says, and it fits a
 * Pico 2 (no warning). Placed at 0x380000 it ends past 0x103FF000: warned
 * (exit 0), as a board with 4 MB of flash would wrap it onto the firmware. */
static void stories260k_uf2_and_the_4mb_warning(void **state)
{
    (void)state;
    const char *img = testenv_tmp("slot-f32.img"), *uf2 = testenv_tmp("slot-f32.uf2");
    proc_result r = run_tool(PICOLLAMA_BIN, "pack", model("stories260K.bin"), model("tok512.bin"),
                             "-q", "f32", "-o", img, NULL);
    expect_ok(&r);
    proc_free(&r);
    r = run_tool(PICOLLAMA_BIN, "pack", model("stories260K.bin"), model("tok512.bin"), "-q",
                 "f32", "-o", uf2, NULL);
    expect_ok(&r);
    check_uf2(uf2, img);
    if (strstr(r.err, "warning")) fail_msg("unexpected warning: %s", r.err);
    assert_non_null(strstr(r.out, "end of chain: zeroed page at 0x"));
    char *full = realpath(uf2, NULL), flash[9000]; /* how to flash it (issue 20) */
    assert_non_null(full);
    snprintf(flash, sizeof(flash), "  flash it: make flash MODEL=%s   (or: picotool load -f -x %s)\n",
             full, full);
    if (!strstr(r.out, flash)) fail_msg("'%s' not in:\n%s", flash, r.out);
    free(full);
    proc_free(&r);

    const char *high = testenv_tmp("high.uf2");
    r = run_tool(PICOLLAMA_BIN, "pack", model("stories260K.bin"), model("tok512.bin"), "-q", "f32",
                 "--flash-offset", "0x380000", "-o", high, NULL);
    expect_ok(&r);
    char expected[4400];
    unsigned long end_page = (0x10380000ul + (unsigned long)file_size(img) + 4095) / 4096 * 4096;
    snprintf(expected, sizeof(expected), "warning: %s ends at 0x%08lx with its end-of-chain page: "
             "it %s; flashing it there overwrites the firmware", high, end_page + 256, PICO2_WARNING);
    if (!strstr(r.err, expected)) fail_msg("expected '%s' in:\n%s", expected, r.err);
    assert_int_equal(proc_count_lines(r.err), 1);
    proc_free(&r);
}

/* stories15M's shape with random weights: q8 fits the flash slot (and the
 * 15.8 MB target), q4 the 8 MB PSRAM; both images load and run. */
static void stories15m_shape_fits(void **state)
{
    (void)state;
    const char *ckpt = testenv_tmp("r15m.bin");
    proc_result r = run_tool(GEN_CHECKPOINT_BIN, ckpt, "--dim", "288", "--hidden", "768",
                             "--layers", "6", "--heads", "6", "--kv-heads", "6", "--vocab", "32000",
                             "--seq", "256", NULL);
    expect_ok(&r);
    proc_free(&r);
    const char *types[2] = {"q8", "q4"};
    const long limits[2] = {(long)(15.8 * 1024 * 1024), 8L * 1024 * 1024};
    for (int i = 0; i < 2; i++) {
        char name[32];
        snprintf(name, sizeof(name), "r15m-%s.img", types[i]);
        const char *img = testenv_tmp(name);
        snprintf(name, sizeof(name), "r15m-%s.uf2", types[i]);
        const char *uf2 = testenv_tmp(name);
        /* calibration does not change sizes; skip it to keep the test fast */
        r = run_tool(PICOLLAMA_BIN, "pack", ckpt, model("tokenizer.bin"), "-q", types[i],
                     "--calibrate", "0", "-o", img, NULL);
        expect_ok(&r);
        proc_free(&r);
        r = run_tool(PICOLLAMA_BIN, "pack", ckpt, model("tokenizer.bin"), "-q", types[i],
                     "--calibrate", "0", "-o", uf2, NULL);
        expect_ok(&r);
        assert_non_null(strstr(r.out, "flash slot 0x10080000"));
        assert_non_null(strstr(r.err, PICO2_WARNING)); /* neither fits a Pico 2 */
        proc_free(&r);
        long size = file_size(img);
        print_message("stories15M-shaped %s image: %ld bytes (%.2f MiB)\n", types[i], size,
                      size / 1048576.0);
        assert_true(size <= limits[i]);
        check_uf2(uf2, img);
        r = run_tool(PICOLLAMA_BIN, "run", img, "-n", "8", "-s", "1", "-i", "Once upon a time",
                     NULL);
        expect_ok(&r);
        proc_free(&r);
    }
}

static void bad_pack_and_eval_input(void **state)
{
    (void)state;
    const char *m = model("stories260K.bin"), *z = model("tok512.bin");
    const char *out = testenv_tmp("bad.img");
    expect_error(run_tool(PICOLLAMA_BIN, "pack", m, z, "-o", out, NULL), "missing -q");
    expect_error(run_tool(PICOLLAMA_BIN, "pack", m, z, "-q", "q3", "-o", out, NULL),
                 "unknown type 'q3'");
    expect_error(run_tool(PICOLLAMA_BIN, "pack", m, z, "-q", "q8", NULL), "missing -o");
    expect_error(run_tool(PICOLLAMA_BIN, "pack", m, "-q", "q8", "-o", out, NULL), "missing");
    expect_error(run_tool(PICOLLAMA_BIN, "pack", m, z, "-q", "q8", "--group", "2", "-o", out, NULL),
                 "bad --group");
    /* below the smallest group the packer makes: refused, not silently whole rows */
    expect_error(run_tool(PICOLLAMA_BIN, "pack", m, z, "-q", "q8", "--group", "7", "-o", out, NULL),
                 "bad --group '7' (16..1024)");
    expect_error(run_tool(PICOLLAMA_BIN, "pack", m, z, "-q", "q8", "--flash-offset", "0x80100",
                          "-o", out, NULL),
                 "bad --flash-offset");
    /* over the firmware's first sector, into the E10 sector, or wrapping */
    const char *offsets[] = {"0", "0xFFF000", "0xF0000000", "-4096", "0x100000000"};
    for (int i = 0; i < 5; i++)
        expect_error(run_tool(PICOLLAMA_BIN, "pack", m, z, "-q", "q8", "--flash-offset",
                              offsets[i], "-o", testenv_tmp("off.uf2"), NULL),
                     "bad --flash-offset");
    /* below the model slot is the firmware: a model UF2 there would
     * overwrite it */
    const char *firmware_offsets[] = {"0x1000", "0x7F000"};
    for (int i = 0; i < 2; i++) {
        char needle[160];
        snprintf(needle, sizeof(needle), "bad --flash-offset '%s' (a multiple of 4096 from "
                 "0x80000, the model slot: below it is the firmware, to 0xffe000)",
                 firmware_offsets[i]);
        expect_error(run_tool(PICOLLAMA_BIN, "pack", m, z, "-q", "f32", "--calibrate", "0",
                              "--flash-offset", firmware_offsets[i], "-o",
                              testenv_tmp("fw-off.uf2"), NULL),
                     needle);
    }
    /* 1 MB of f32 does not fit in the last MB of flash */
    expect_error(run_tool(PICOLLAMA_BIN, "pack", m, z, "-q", "f32", "--flash-offset", "0xF00000",
                          "-o", testenv_tmp("big.uf2"), NULL),
                 "does not fit the flash slot");
    const char *img = pack_260k("f32");
    expect_error(run_tool(PICOLLAMA_BIN, "pack", img, z, "-q", "q8", "-o", out, NULL),
                 "already a model image");
    /* a corrupted image is refused by run and eval */
    size_t len;
    char *data = testenv_read(img, &len);
    data[len / 2] ^= 0x40;
    const char *bad = testenv_tmp("corrupt.img");
    assert_true(testenv_write(bad, data, len));
    free(data);
    expect_error(run_tool(PICOLLAMA_BIN, "run", bad, NULL), "checksum mismatch");
    expect_error(run_tool(PICOLLAMA_BIN, "eval", m, bad, "-z", z, NULL), "checksum mismatch");
    expect_error(run_tool(PICOLLAMA_BIN, "eval", m, NULL), "missing REFERENCE or CANDIDATE");
    expect_error(run_tool(PICOLLAMA_BIN, "eval", m, img, "-z", z, "-n", "1", NULL), "bad value");
    /* models of different shapes cannot be compared */
    const char *other = testenv_tmp("other.bin");
    proc_result r = run_tool(GEN_CHECKPOINT_BIN, other, NULL);
    expect_ok(&r);
    proc_free(&r);
    expect_error(run_tool(PICOLLAMA_BIN, "eval", m, other, "-z", z, NULL), "different shapes");
}

/* A copy of a model file in the test's directory. */
static const char *copy_of(const char *src, const char *name)
{
    size_t len;
    char *data = testenv_read(src, &len);
    assert_non_null(data);
    const char *path = testenv_tmp(name);
    assert_true(testenv_write(path, data, len));
    free(data);
    return path;
}

static void assert_same_bytes(const char *a, const char *b)
{
    size_t alen, blen;
    char *x = testenv_read(a, &alen), *y = testenv_read(b, &blen);
    assert_non_null(x);
    assert_non_null(y);
    assert_int_equal(alen, blen);
    assert_memory_equal(x, y, alen);
    free(x);
    free(y);
}

/* The output is checked before any work: never one of the inputs (by
 * name, or by inode through a hard link), writable (no calibration first
 * for nothing); and ".UF2" is a UF2 like ".uf2". */
static void pack_output_rules(void **state)
{
    (void)state;
    const char *m = model("stories260K.bin"), *z = model("tok512.bin");
    const char *ckpt = copy_of(m, "self.bin");
    expect_error(run_tool(PICOLLAMA_BIN, "pack", ckpt, z, "-q", "f32", "-o", ckpt, NULL),
                 "is the input");
    assert_same_bytes(ckpt, m);
    const char *tok = copy_of(z, "self-tok.bin");
    expect_error(run_tool(PICOLLAMA_BIN, "pack", m, tok, "-q", "f32", "-o", tok, NULL),
                 "is the input");
    assert_same_bytes(tok, z);
    char alias[4096];
    snprintf(alias, sizeof(alias), "%s", testenv_tmp("alias.img"));
    unlink(alias);
    assert_int_equal(link(ckpt, alias), 0);
    expect_error(run_tool(PICOLLAMA_BIN, "pack", ckpt, z, "-q", "f32", "-o", alias, NULL),
                 "(the same file): refusing to overwrite it");
    assert_same_bytes(ckpt, m);

    /* one line: the error, with no "calibrating..." before it */
    expect_error(run_tool(PICOLLAMA_BIN, "pack", m, z, "-q", "q8", "-o",
                          "/nonexistent-dir/x.img", NULL),
                 "pack: /nonexistent-dir/x.img: No such file or directory");

    const char *upper = testenv_tmp("MODEL.UF2");
    proc_result r = run_tool(PICOLLAMA_BIN, "pack", m, z, "-q", "f32", "-o", upper, NULL);
    expect_ok(&r);
    assert_non_null(strstr(r.out, "flash slot 0x10080000"));
    proc_free(&r);
    size_t len;
    unsigned char *u = (unsigned char *)testenv_read(upper, &len);
    assert_non_null(u);
    assert_int_equal(len % 512, 0);
    assert_int_equal(testenv_le32(u), 0x0A324655u);
    assert_int_equal(testenv_le32(u + 12), 0x10080000u);
    free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(bad_pack_and_eval_input),
        cmocka_unit_test(pack_output_rules),
        cmocka_unit_test(stories260k_uf2_and_the_4mb_warning),
        cmocka_unit_test(q8_agrees_with_fp32),
        cmocka_unit_test(q4_agreement_is_reported),
        cmocka_unit_test(stories15m_shape_fits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
