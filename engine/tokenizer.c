/* tokenizer.c - llama2.c BPE tokenizer over an in-place tokenizer file.
 *
 * Token texts behave as C strings (run.c reads them into NUL-terminated
 * buffers), so a text ends at its first NUL byte, comparisons are strcmp's
 * unsigned byte order, and lookups follow glibc's bsearch over a list
 * sorted by (text, id) - the order glibc's stable qsort leaves - so even a
 * vocabulary with duplicate texts resolves to the same ids as run.c.
 */
#include "tokenizer.h"

#include <string.h>

static uint32_t read_u32le(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Walks the records after the header; returns the count of whole records
 * and sets *end to the offset after the last one. Stops at max_count. */
static int32_t walk_records(const uint8_t *p, size_t len, int32_t max_count, uint32_t *offsets,
                            size_t *end)
{
    size_t off = 4;
    int32_t n = 0;
    while (n < max_count && len - off >= 8) {
        uint32_t text_len = read_u32le(p + off + 4);
        if (text_len > len - off - 8 || text_len > INT32_MAX) break;
        if (offsets) offsets[n] = (uint32_t)off;
        off += 8 + (size_t)text_len;
        n++;
    }
    *end = off;
    return n;
}

pl_status pl_tokenizer_count(const void *data, size_t len, int32_t *count)
{
    if (!data || len < 4) return PL_E_TOKENIZER;
    if (len > UINT32_MAX) return PL_E_TOKENIZER;
    size_t end;
    int32_t n = walk_records(data, len, INT32_MAX, NULL, &end);
    if (end != len || n == 0) return PL_E_TOKENIZER;
    *count = n;
    return PL_OK;
}

size_t pl_tokenizer_index_size(int32_t vocab_size)
{
    return vocab_size <= 0 ? 0 : 2 * sizeof(uint32_t) * (size_t)vocab_size;
}

const char *pl_token_text(const pl_tokenizer *t, int32_t id, size_t *len)
{
    const uint8_t *rec = t->data + t->offsets[id];
    uint32_t n = read_u32le(rec + 4);
    const char *text = (const char *)rec + 8;
    const char *nul = memchr(text, '\0', n);
    *len = nul ? (size_t)(nul - text) : n;
    return text;
}

float pl_token_score(const pl_tokenizer *t, int32_t id)
{
    float score;
    memcpy(&score, t->data + t->offsets[id], sizeof(score));
    return score;
}

/* strcmp order of the concatenation a||b against s (all without NULs). */
static int compare_concat(const char *a, size_t alen, const char *b, size_t blen, const char *s,
                          size_t slen)
{
    size_t i = 0;
    for (; i < alen + blen && i < slen; i++) {
        unsigned char k = (unsigned char)(i < alen ? a[i] : b[i - alen]);
        unsigned char c = (unsigned char)s[i];
        if (k != c) return k < c ? -1 : 1;
    }
    if (alen + blen == slen) return 0;
    return alen + blen < slen ? -1 : 1;
}

static int compare_ids(const pl_tokenizer *t, uint32_t x, uint32_t y)
{
    size_t xl, yl;
    const char *xs = pl_token_text(t, (int32_t)x, &xl);
    const char *ys = pl_token_text(t, (int32_t)y, &yl);
    int c = compare_concat(xs, xl, NULL, 0, ys, yl);
    if (c != 0) return c;
    return x < y ? -1 : (x > y ? 1 : 0);
}

static void sift_down_ids(const pl_tokenizer *t, uint32_t *v, size_t root, size_t n)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n) return;
        if (child + 1 < n && compare_ids(t, v[child], v[child + 1]) < 0) child++;
        if (compare_ids(t, v[root], v[child]) >= 0) return;
        uint32_t tmp = v[root];
        v[root] = v[child];
        v[child] = tmp;
        root = child;
    }
}

static void sort_ids(const pl_tokenizer *t, uint32_t *v, size_t n)
{
    for (size_t i = n / 2; i-- > 0;) sift_down_ids(t, v, i, n);
    for (size_t end = n; end-- > 1;) {
        uint32_t tmp = v[0];
        v[0] = v[end];
        v[end] = tmp;
        sift_down_ids(t, v, 0, end);
    }
}

pl_status pl_tokenizer_init(pl_tokenizer *t, const void *data, size_t len, int32_t vocab_size,
                            void *index_mem, size_t index_len)
{
    if (!t || !data || !index_mem || vocab_size <= 0) return PL_E_ARG;
    if (index_len < pl_tokenizer_index_size(vocab_size)) return PL_E_NO_MEMORY;
    if (((uintptr_t)index_mem & 3) != 0) return PL_E_ALIGN;
    int32_t count;
    pl_status st = pl_tokenizer_count(data, len, &count);
    if (st != PL_OK) return st;
    if (count != vocab_size) return PL_E_VOCAB_MISMATCH;

    uint32_t *offsets = index_mem;
    uint32_t *sorted = offsets + vocab_size;
    size_t end;
    walk_records(data, len, vocab_size, offsets, &end);
    t->vocab_size = vocab_size;
    t->max_token_length = read_u32le(data);
    t->data = data;
    t->offsets = offsets;
    t->sorted = sorted;
    for (int32_t i = 0; i < 256; i++) {
        t->byte_pieces[2 * i] = (char)i;
        t->byte_pieces[2 * i + 1] = '\0';
    }
    for (int32_t i = 0; i < vocab_size; i++) sorted[i] = (uint32_t)i;
    sort_ids(t, sorted, (size_t)vocab_size);
    return PL_OK;
}

/* Id of the token whose text is a||b, or -1; glibc's bsearch probe order. */
static int32_t lookup_concat(const pl_tokenizer *t, const char *a, size_t alen, const char *b,
                             size_t blen)
{
    size_t lo = 0, hi = (size_t)t->vocab_size;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int32_t id = (int32_t)t->sorted[mid];
        size_t slen;
        const char *s = pl_token_text(t, id, &slen);
        int c = compare_concat(a, alen, b, blen, s, slen);
        if (c < 0) hi = mid;
        else if (c > 0) lo = mid + 1;
        else return id;
    }
    return -1;
}

static int is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

/* Splits text into codepoint tokens (or byte tokens), appending to tokens. */
static pl_status encode_codepoints(const pl_tokenizer *t, const char *text, int32_t *tokens,
                                   size_t max_tokens, size_t *n)
{
    size_t i = 0;
    while (text[i] != '\0') {
        /* a codepoint: one byte plus up to 3 continuation bytes */
        size_t start = i++;
        while (is_continuation((unsigned char)text[i]) && i - start < 4) i++;
        size_t cp_len = i - start;
        int32_t id = lookup_concat(t, text + start, cp_len, NULL, 0);
        if (id != -1) {
            if (*n >= max_tokens) return PL_E_ARG;
            tokens[(*n)++] = id;
            continue;
        }
        for (size_t b = 0; b < cp_len; b++) { /* byte fallback: <0xXX> = byte + 3 */
            int32_t byte_id = (int32_t)(unsigned char)text[start + b] + 3;
            if (byte_id >= t->vocab_size) return PL_E_ENCODE;
            if (*n >= max_tokens) return PL_E_ARG;
            tokens[(*n)++] = byte_id;
        }
    }
    return PL_OK;
}

/* Repeatedly merges the adjacent pair whose concatenation is the
 * best-scoring token, until no pair is in the vocabulary. */
static void merge_pairs(const pl_tokenizer *t, int32_t *tokens, size_t *n)
{
    for (;;) {
        float best_score = -1e10f;
        int32_t best_id = -1;
        size_t best_idx = 0;
        for (size_t i = 0; i + 1 < *n; i++) {
            size_t alen, blen;
            const char *a = pl_token_text(t, tokens[i], &alen);
            const char *b = pl_token_text(t, tokens[i + 1], &blen);
            int32_t id = lookup_concat(t, a, alen, b, blen);
            if (id != -1 && pl_token_score(t, id) > best_score) {
                best_score = pl_token_score(t, id);
                best_id = id;
                best_idx = i;
            }
        }
        if (best_id == -1) return;
        tokens[best_idx] = best_id;
        memmove(&tokens[best_idx + 1], &tokens[best_idx + 2],
                (*n - best_idx - 2) * sizeof(*tokens));
        (*n)--;
    }
}

pl_status pl_encode(const pl_tokenizer *t, const char *text, int bos, int eos, int32_t *tokens,
                    size_t max_tokens, int32_t *n_tokens)
{
    if (!t || !text || !tokens || !n_tokens) return PL_E_ARG;
    size_t n = 0;
    *n_tokens = 0;
    if (bos) {
        if (n >= max_tokens) return PL_E_ARG;
        tokens[n++] = PL_TOKEN_BOS;
    }
    if (text[0] != '\0') {
        /* sentencepiece's add_dummy_prefix: the text starts with a space */
        int32_t space = lookup_concat(t, " ", 1, NULL, 0);
        if (space == -1) return PL_E_ENCODE;
        if (n >= max_tokens) return PL_E_ARG;
        tokens[n++] = space;
    }
    pl_status st = encode_codepoints(t, text, tokens, max_tokens, &n);
    if (st != PL_OK) return st;
    merge_pairs(t, tokens, &n);
    if (eos) {
        if (n >= max_tokens) return PL_E_ARG;
        tokens[n++] = PL_TOKEN_EOS;
    }
    *n_tokens = (int32_t)n;
    return PL_OK;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int is_c_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* run.c's sscanf(piece, "<0x%02hhX>", &byte) == 1: "<0x", optional
 * whitespace, then a field of at most 2 characters: optional sign and hex
 * digits (at least one). The closing '>' is not required. */
static int parse_byte_token(const char *piece, size_t len, unsigned char *byte)
{
    if (len < 4 || memcmp(piece, "<0x", 3) != 0) return 0;
    size_t i = 3;
    while (i < len && is_c_space(piece[i])) i++;
    size_t field_end = i + 2 < len ? i + 2 : len;
    int negative = 0;
    if (i < field_end && (piece[i] == '+' || piece[i] == '-')) negative = piece[i++] == '-';
    unsigned value = 0;
    int digits = 0;
    for (; i < field_end && hex_value(piece[i]) >= 0; i++, digits++)
        value = value * 16 + (unsigned)hex_value(piece[i]);
    if (digits == 0) return 0;
    *byte = (unsigned char)(negative ? 0u - value : value);
    return 1;
}

const char *pl_decode(const pl_tokenizer *t, int32_t prev_token, int32_t token, size_t *len)
{
    if (token < 0 || token >= t->vocab_size) return NULL;
    size_t n;
    const char *piece = pl_token_text(t, token, &n);
    if (prev_token == PL_TOKEN_BOS && n > 0 && piece[0] == ' ') {
        piece++;
        n--;
    }
    unsigned char byte;
    if (parse_byte_token(piece, n, &byte)) {
        piece = t->byte_pieces + 2 * byte;
        n = byte != 0; /* "\0" is the empty string */
    }
    *len = n;
    return piece;
}

size_t pl_printable_length(const char *piece, size_t len)
{
    if (len != 1) return len;
    unsigned char c = (unsigned char)piece[0];
    int printable = (c >= 0x20 && c <= 0x7e) || (c >= '\t' && c <= '\r');
    return printable ? 1 : 0;
}
