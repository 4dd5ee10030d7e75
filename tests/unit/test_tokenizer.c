/* test_tokenizer.c - encoder and decoder against llama2.c's own encodings
 * (golden encode_*.tsv) and the corner cases of its decoder; the fast
 * encoder against a plain copy of run.c's quadratic one on random and
 * adversarial text and vocabularies; malformed tokenizer files must be
 * refused. */
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
    int32_t ids[PL_ENCODE_CAPACITY(5)];
    int32_t n;
    assert_int_equal(pl_encode(&l.tok, "Hello", 0, 0, ids, PL_ENCODE_CAPACITY(5), &n), PL_OK);
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

/* ---- the encoder against run.c's algorithm ------------------------------ */

/* run.c's str_lookup over the compact form: glibc's bsearch probes over
 * the ids sorted by (text, id), strcmp order. */
static int32_t reference_lookup(const pl_tokenizer *t, const char *s, size_t len)
{
    size_t lo = 0, hi = (size_t)t->vocab_size;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2, tlen;
        const char *text = pl_token_text(t, t->sorted[mid], &tlen);
        int c = memcmp(s, text, len < tlen ? len : tlen);
        if (c == 0) c = len < tlen ? -1 : (len > tlen ? 1 : 0);
        if (c < 0) hi = mid;
        else if (c > 0) lo = mid + 1;
        else return t->sorted[mid];
    }
    return -1;
}

/* run.c's encode(), written as run.c writes it: codepoints (or byte
 * tokens), then a full rescan of the list for the best pair (the first of
 * equal ranks) after every merge. Returns PL_E_ENCODE where the engine
 * must refuse the text. */
static pl_status reference_encode(const pl_tokenizer *t, const char *text, int32_t *tokens,
                                  int32_t *n_tokens)
{
    int32_t n = 0;
    tokens[n++] = PL_TOKEN_BOS;
    if (text[0] != '\0') {
        int32_t space = reference_lookup(t, " ", 1);
        if (space == -1) return PL_E_ENCODE;
        tokens[n++] = space;
    }
    char buf[5];
    size_t len = 0;
    for (const char *c = text; *c != '\0'; c++) {
        if ((*c & 0xC0) != 0x80) len = 0;
        buf[len++] = *c;
        if ((c[1] & 0xC0) == 0x80 && len < 4) continue;
        int32_t id = reference_lookup(t, buf, len);
        if (id != -1) {
            tokens[n++] = id;
        } else {
            for (size_t i = 0; i < len; i++) {
                int32_t byte_id = (unsigned char)buf[i] + 3;
                if (byte_id >= t->vocab_size) return PL_E_ENCODE;
                tokens[n++] = byte_id;
            }
        }
        len = 0;
    }
    char pair[512];
    for (;;) {
        int32_t best_rank = 0, best_id = -1, best_idx = -1;
        for (int32_t i = 0; i + 1 < n; i++) {
            size_t alen, blen;
            const char *a = pl_token_text(t, tokens[i], &alen);
            const char *b = pl_token_text(t, tokens[i + 1], &blen);
            memcpy(pair, a, alen);
            memcpy(pair + alen, b, blen);
            int32_t id = reference_lookup(t, pair, alen + blen);
            if (id != -1 && t->ranks[id] > best_rank) {
                best_rank = t->ranks[id];
                best_id = id;
                best_idx = i;
            }
        }
        if (best_idx == -1) break;
        tokens[best_idx] = best_id;
        for (int32_t i = best_idx + 1; i + 1 < n; i++) tokens[i] = tokens[i + 1];
        n--;
    }
    *n_tokens = n;
    return PL_OK;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint32_t rng(uint32_t bound)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state >> 16) % bound;
}

/* Encodes text with the engine, in a buffer of exactly
 * PL_ENCODE_CAPACITY(strlen) slots followed by guard slots, and with the
 * reference; both must agree on the status and the ids. */
static void check_against_reference(const pl_tokenizer *t, const char *text)
{
    size_t len = strlen(text), cap = PL_ENCODE_CAPACITY(len);
    enum { GUARD = 8 };
    int32_t *got = malloc((cap + GUARD) * sizeof(int32_t));
    int32_t *want = malloc((len + 2) * sizeof(int32_t));
    assert_non_null(got);
    assert_non_null(want);
    for (size_t i = 0; i < cap + GUARD; i++) got[i] = 0x5A5A5A5A;
    int32_t n_got = 0, n_want = 0;
    pl_status st_got = pl_encode(t, text, 1, 0, got, cap, &n_got);
    pl_status st_want = reference_encode(t, text, want, &n_want);
    for (size_t i = cap; i < cap + GUARD; i++) assert_int_equal(got[i], 0x5A5A5A5A);
    if (st_got != st_want || n_got != n_want || memcmp(got, want, (size_t)n_got * 4) != 0) {
        print_error("text (%zu bytes) '%.200s': status %d/%d, %d/%d tokens\n", len, text,
                    st_got, st_want, n_got, n_want);
        for (int32_t i = 0; i < n_got || i < n_want; i++)
            print_error("  [%d] got %d want %d\n", i, i < n_got ? got[i] : -1,
                        i < n_want ? want[i] : -1);
    }
    assert_int_equal(st_got, st_want);
    assert_int_equal(n_got, n_want);
    assert_memory_equal(got, want, (size_t)n_got * sizeof(int32_t));
    free(got);
    free(want);
}

/* Pieces random texts and vocabularies are made of: ASCII, 2-, 3- and
 * 4-byte UTF-8, a stray continuation byte, a lone lead byte. */
static const char *const pieces[] = {"a", "b", "c", " ", "\n", "ab", "\xc3\xa9", "\xe2\x82\xac",
                                     "\xf0\x9f\x98\x80", "\x80", "\xe2"};
#define N_PIECES (sizeof(pieces) / sizeof(pieces[0]))

/* len bytes of one of several kinds of text (NUL-terminated in buf). */
static void random_text(char *buf, size_t len)
{
    uint32_t kind = rng(5);
    size_t n = 0;
    while (n < len) {
        const char *p;
        char one[2] = {0, 0};
        switch (kind) {
        case 0: one[0] = (char)(1 + rng(255)); p = one; break; /* any byte but NUL */
        case 1: p = pieces[rng(N_PIECES)]; break;
        case 2: p = pieces[n % 2]; break;                    /* abababab */
        case 3: p = "a"; break;                              /* one repeated char */
        default: p = rng(8) ? "a" : pieces[rng(N_PIECES)]; break; /* runs, broken */
        }
        size_t k = strlen(p);
        if (n + k > len) break;
        memcpy(buf + n, p, k);
        n += k;
    }
    buf[n] = '\0';
}

/* Appends one tokenizer.bin record. */
static size_t put_record(uint8_t *bin, size_t off, float score, const char *text, size_t len)
{
    int32_t l = (int32_t)len;
    memcpy(bin + off, &score, 4);
    memcpy(bin + off + 4, &l, 4);
    memcpy(bin + off + 8, text, len);
    return off + 8 + len;
}

/* A random vocabulary in tokenizer.bin form: <unk>, <s>, </s>, the 256
 * byte tokens (now and then with other texts, empty ones too), then
 * tokens glued from pieces, with few distinct scores (ties everywhere),
 * duplicate texts, and scores run.c never merges (-1e10). */
static uint8_t *random_vocabulary(int32_t vocab, size_t *len)
{
    static const float scores[] = {-1e10f, -3.0f, -2.0f, -1.0f, -1.0f, 0.0f, 0.5f, 2.0f};
    uint8_t *bin = malloc(4 + (size_t)vocab * (8 + 32));
    assert_non_null(bin);
    int32_t max_len = 32;
    memcpy(bin, &max_len, 4);
    size_t off = 4;
    char text[40];
    for (int32_t id = 0; id < vocab; id++) {
        float score = scores[rng(8)];
        size_t n = 0;
        if (id < 3) {
            n = (size_t)snprintf(text, sizeof(text), "%s", id == 0 ? "<unk>" : id == 1 ? "<s>" : "</s>");
        } else if (id < 259 && rng(16) != 0) {
            n = (size_t)snprintf(text, sizeof(text), "<0x%02X>", id - 3);
        } else if (id >= 259 && id < 259 + (int32_t)N_PIECES && rng(8) != 0) {
            n = strlen(pieces[id - 259]); /* the pieces themselves, mostly */
            memcpy(text, pieces[id - 259], n);
        } else {
            size_t parts = rng(5); /* 0 parts: an empty text */
            for (size_t k = 0; k < parts; k++) {
                const char *p = pieces[rng(N_PIECES)];
                memcpy(text + n, p, strlen(p));
                n += strlen(p);
            }
        }
        off = put_record(bin, off, score, text, n);
    }
    *len = off;
    return bin;
}

static void encoder_matches_run_c_on_random_vocabularies(void **state)
{
    (void)state;
    char text[256];
    for (int v = 0; v < 150; v++) {
        int32_t vocab = 259 + (int32_t)N_PIECES + (int32_t)rng(300);
        size_t len;
        uint8_t *bin = random_vocabulary(vocab, &len);
        size_t mem_len = pl_tokenizer_build_size(len, vocab);
        void *mem = malloc(mem_len);
        pl_tokenizer t;
        assert_int_equal(pl_tokenizer_build(&t, bin, len, vocab, mem, mem_len), PL_OK);
        for (int k = 0; k < 12; k++) {
            random_text(text, rng(k < 2 ? 8 : 200));
            check_against_reference(&t, text);
        }
        free(mem);
        free(bin);
    }
}

static void encoder_matches_run_c_on_real_vocabularies(void **state)
{
    (void)state;
    const char *names[2] = {"tok512.bin", "tokenizer.bin"};
    const int32_t vocabs[2] = {512, 32000};
    static char text[4001];
    for (int i = 0; i < 2; i++) {
        loaded l;
        load(names[i], vocabs[i], &l);
        for (int k = 0; k < 40; k++) {
            random_text(text, rng(k < 4 ? 4000 : 300));
            check_against_reference(&l.tok, text);
        }
        /* one long run of a repeated character: merges cascade */
        memset(text, 'a', 3000);
        text[3000] = '\0';
        check_against_reference(&l.tok, text);
        unload(&l);
    }
}

/* The merges need 2n - 1 slots for n initial tokens: one fewer is an
 * error, not a write past the buffer. */
static void encoder_needs_its_merge_room(void **state)
{
    (void)state;
    loaded l;
    load("tok512.bin", 512, &l);
    int32_t ids[32];
    int32_t n;
    for (int i = 0; i < 32; i++) ids[i] = -7;
    /* "abc": BOS, " ", a, b, c = 5 initial tokens, 9 slots */
    assert_int_equal(pl_encode(&l.tok, "abc", 1, 0, ids, 8, &n), PL_E_ARG);
    for (int i = 8; i < 32; i++) assert_int_equal(ids[i], -7);
    assert_int_equal(pl_encode(&l.tok, "abc", 1, 1, ids, PL_ENCODE_CAPACITY(3), &n), PL_OK);
    assert_int_equal(ids[0], PL_TOKEN_BOS);
    assert_int_equal(ids[n - 1], PL_TOKEN_EOS);
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
        cmocka_unit_test(encoder_matches_run_c_on_random_vocabularies),
        cmocka_unit_test(encoder_matches_run_c_on_real_vocabularies),
        cmocka_unit_test(encoder_needs_its_merge_room),
        cmocka_unit_test(malformed_tokenizers_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
