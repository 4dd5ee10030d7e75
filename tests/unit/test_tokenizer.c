/* test_tokenizer.c - encoder and decoder against llama2.c's own encodings
 * (golden encode_*.tsv) and the corner cases of its decoder; malformed
 * tokenizer files must be refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testenv.h"
#include "tokenizer.h"

typedef struct {
    char *file;
    size_t len;
    void *index;
    pl_tokenizer tok;
} loaded;

static void load(const char *name, int32_t vocab, loaded *l)
{
    const char *path = testenv_model(name);
    assert_non_null(path);
    l->file = testenv_read(path, &l->len);
    assert_non_null(l->file);
    size_t n = pl_tokenizer_build_size(l->len, vocab);
    l->index = malloc(n);
    assert_int_equal(pl_tokenizer_build(&l->tok, l->file, l->len, vocab, l->index, n), PL_OK);
}

static void unload(loaded *l)
{
    free(l->file);
    free(l->index);
}

/* Each line: C-escaped prompt, TAB, ids separated by spaces. */
static void check_encode_file(const char *tsv, const char *tokenizer, int32_t vocab)
{
    loaded l;
    load(tokenizer, vocab, &l);
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", GOLDEN_DIR, tsv);
    char *text = testenv_read(path, NULL);
    assert_non_null(text);
    int lines = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *tab = strchr(line, '\t');
        assert_non_null(tab);
        *tab = '\0';
        testenv_unescape(line);
        int32_t ids[4096];
        int32_t n = 0;
        assert_int_equal(pl_encode(&l.tok, line, 1, 0, ids, 4096, &n), PL_OK);
        char got[16384] = "";
        for (int32_t i = 0; i < n; i++) {
            char num[16];
            snprintf(num, sizeof(num), i ? " %d" : "%d", ids[i]);
            strcat(got, num);
        }
        if (strcmp(got, tab + 1) != 0) print_error("'%s': got %s want %s\n", line, got, tab + 1);
        assert_string_equal(got, tab + 1);
        lines++;
    }
    assert_true(lines >= 5);
    free(text);
    unload(&l);
}

static void encodes_like_llama2c_tok512(void **state)
{
    (void)state;
    check_encode_file("encode_tok512.tsv", "tok512.bin", 512);
}

static void encodes_like_llama2c_tokenizer32000(void **state)
{
    (void)state;
    check_encode_file("encode_tokenizer.tsv", "tokenizer.bin", 32000);
}

static void decode_rules(void **state)
{
    (void)state;
    loaded l;
    load("tokenizer.bin", 32000, &l);
    size_t len;
    /* 13 is <0x0A>: a newline byte */
    const char *p = pl_decode(&l.tok, 5, 13, &len);
    assert_int_equal(len, 1);
    assert_int_equal(p[0], '\n');
    assert_int_equal(pl_printable_length(p, len), 1);
    /* 3 is <0x00>: an empty string */
    pl_decode(&l.tok, 5, 3, &len);
    assert_int_equal(len, 0);
    /* <0x07> is a lone control byte: decoded, but not printed */
    p = pl_decode(&l.tok, 5, 10, &len);
    assert_int_equal(len, 1);
    assert_int_equal(pl_printable_length(p, len), 0);
    /* a token with a leading space loses it right after BOS only */
    int32_t ids[8];
    int32_t n;
    assert_int_equal(pl_encode(&l.tok, "Hello", 0, 0, ids, 8, &n), PL_OK);
    assert_int_equal(n, 1);
    const char *after_bos = pl_decode(&l.tok, PL_TOKEN_BOS, ids[0], &len);
    assert_int_equal(len, 5);
    assert_memory_equal(after_bos, "Hello", 5);
    pl_decode(&l.tok, 100, ids[0], &len);
    assert_int_equal(len, 6);
    assert_null(pl_decode(&l.tok, 0, 32000, &len));
    assert_null(pl_decode(&l.tok, 0, -1, &len));
    unload(&l);
}

static void encode_edge_cases(void **state)
{
    (void)state;
    loaded l;
    load("tok512.bin", 512, &l);
    int32_t ids[64];
    int32_t n;
    /* empty text: just BOS (and EOS on request) */
    assert_int_equal(pl_encode(&l.tok, "", 1, 1, ids, 64, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], PL_TOKEN_BOS);
    assert_int_equal(ids[1], PL_TOKEN_EOS);
    /* unknown codepoints fall back to byte tokens (byte + 3) */
    assert_int_equal(pl_encode(&l.tok, "\xf0\x9f\x98\x80", 0, 0, ids, 64, &n), PL_OK);
    assert_int_equal(n, 5); /* dummy prefix + 4 bytes of U+1F600 */
    assert_int_equal(ids[1], 0xf0 + 3);
    assert_int_equal(ids[4], 0x80 + 3);
    /* stray continuation bytes and overlong sequences do not overrun */
    assert_int_equal(pl_encode(&l.tok, "\x80\x80\x80\x80\x80\x80", 0, 0, ids, 64, &n), PL_OK);
    assert_int_equal(n, 7);
    /* too small an output buffer is an error, not an overflow */
    assert_int_equal(pl_encode(&l.tok, "Once upon a time", 1, 0, ids, 3, &n), PL_E_ARG);
    unload(&l);
}

static void malformed_tokenizers_are_refused(void **state)
{
    (void)state;
    uint8_t buf[64] = {0};
    int32_t count;
    uint32_t mem[64];
    pl_tokenizer t;
    assert_int_equal(pl_tokenizer_count(buf, 3, &count), PL_E_TOKENIZER); /* no header */
    assert_int_equal(pl_tokenizer_count(buf, 4, &count), PL_E_TOKENIZER); /* no tokens */
    /* one record: score 0, length 2, "ab" */
    buf[0] = 2;
    buf[8] = 2;
    buf[12] = 'a';
    buf[13] = 'b';
    assert_int_equal(pl_tokenizer_count(buf, 14, &count), PL_OK);
    assert_int_equal(count, 1);
    assert_int_equal(pl_tokenizer_count(buf, 13, &count), PL_E_TOKENIZER); /* cut text */
    assert_int_equal(pl_tokenizer_count(buf, 15, &count), PL_E_TOKENIZER); /* trailing byte */
    buf[8] = 0xff; /* length past the end */
    assert_int_equal(pl_tokenizer_count(buf, 14, &count), PL_E_TOKENIZER);
    buf[8] = 2;
    assert_int_equal(pl_tokenizer_build(&t, buf, 14, 2, mem, sizeof(mem)), PL_E_VOCAB_MISMATCH);
    assert_int_equal(pl_tokenizer_build(&t, buf, 14, 1, mem, 4), PL_E_NO_MEMORY);
    assert_int_equal(pl_tokenizer_build(&t, buf, 14, 1, mem, sizeof(mem)), PL_OK);
    /* a vocabulary without " " or byte tokens cannot encode text, and one
     * without BOS cannot even encode an empty prompt */
    int32_t ids[16];
    int32_t n;
    assert_int_equal(pl_encode(&t, "ab", 0, 0, ids, 16, &n), PL_E_ENCODE);
    assert_int_equal(pl_encode(&t, "", 1, 0, ids, 16, &n), PL_E_ENCODE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(encodes_like_llama2c_tok512),
        cmocka_unit_test(encodes_like_llama2c_tokenizer32000),
        cmocka_unit_test(decode_rules),
        cmocka_unit_test(encode_edge_cases),
        cmocka_unit_test(malformed_tokenizers_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
