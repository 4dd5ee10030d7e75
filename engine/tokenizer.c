/* tokenizer.c - llama2.c BPE tokenizer over the compact form (see
 * tokenizer.h): building it from a tokenizer.bin, checking it when it comes
 * from an image, encoding and decoding.
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

static size_t align4(size_t n) { return (n + 3) & ~(size_t)3; }

/* ---- reading llama2.c's tokenizer.bin ----------------------------------- */

/* Walks the records after the header, storing each one's offset (if
 * offsets); returns the count of whole records, *end the offset after them. */
static int32_t walk_records(const uint8_t *p, size_t len, int32_t max_count, uint32_t *offsets,
                            size_t *end)
{
    size_t off = 4;
    int32_t n = 0;
    while (n < max_count && len - off >= 8) {
        uint32_t text_len = read_u32le(p + off + 4);
        if (text_len > len - off - 8) break;
        if (offsets) offsets[n] = (uint32_t)off;
        off += 8 + (size_t)text_len;
        n++;
    }
    *end = off;
    return n;
}

pl_status pl_tokenizer_count(const void *bin, size_t len, int32_t *count)
{
    if (!bin || len < 4 || len > UINT32_MAX) return PL_E_TOKENIZER;
    size_t end;
    int32_t n = walk_records(bin, len, INT32_MAX, NULL, &end);
    if (end != len || n == 0) return PL_E_TOKENIZER;
    *count = n;
    return PL_OK;
}

/* The compact arrays, laid out in one block of memory. */
typedef struct {
    uint8_t *lengths;
    uint32_t *blocks;
    uint16_t *ranks;
    uint16_t *sorted;
    uint32_t *records; /* scratch: offset of each record in the .bin */
    char *text;
    size_t total;
} build_layout;

/* Offsets of the arrays in the build memory; pointers only when base is set. */
static build_layout layout_build(uint8_t *base, size_t bin_len, int32_t vocab)
{
    size_t v = (size_t)vocab;
    size_t lengths = 0;
    size_t blocks = align4(lengths + v);
    size_t records = blocks + 4 * (size_t)pl_tokenizer_blocks(vocab);
    size_t ranks = records + 4 * v;
    size_t sorted = align4(ranks + 2 * v);
    size_t text = align4(sorted + 2 * v);
    build_layout l = {0};
    l.total = text + bin_len;
    if (base) {
        l.lengths = base + lengths;
        l.blocks = (uint32_t *)(void *)(base + blocks);
        l.records = (uint32_t *)(void *)(base + records);
        l.ranks = (uint16_t *)(void *)(base + ranks);
        l.sorted = (uint16_t *)(void *)(base + sorted);
        l.text = (char *)base + text;
    }
    return l;
}

size_t pl_tokenizer_build_size(size_t bin_len, int32_t vocab_size)
{
    if (vocab_size <= 0 || vocab_size > PL_TOKENIZER_MAX_VOCAB) return 0;
    return layout_build(NULL, bin_len, vocab_size).total;
}

static float record_score(const uint8_t *bin, uint32_t record)
{
    float score;
    memcpy(&score, bin + record, sizeof(score));
    return score;
}

/* A score run.c can ever pick as a merge: greater than its -1e10 start. */
static int score_can_merge(float s) { return s > -1e10f; }

/* Ranking order: unmergeable first, then by score, ties by id. */
static int score_before(const uint8_t *bin, const uint32_t *records, uint16_t a, uint16_t b)
{
    float sa = record_score(bin, records[a]), sb = record_score(bin, records[b]);
    int ma = score_can_merge(sa), mb = score_can_merge(sb);
    if (ma != mb) return ma < mb;
    if (ma && sa != sb) return sa < sb;
    return a < b;
}

/* Heap sort of ids by an ordering function (no scratch memory needed). */
typedef int (*id_order)(const void *ctx, const void *aux, uint16_t a, uint16_t b);

static void sift(uint16_t *v, size_t root, size_t n, id_order before, const void *ctx,
                 const void *aux)
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n) return;
        if (child + 1 < n && before(ctx, aux, v[child], v[child + 1])) child++;
        if (!before(ctx, aux, v[root], v[child])) return;
        uint16_t tmp = v[root];
        v[root] = v[child];
        v[child] = tmp;
        root = child;
    }
}

static void sort_ids(uint16_t *v, size_t n, id_order before, const void *ctx, const void *aux)
{
    for (size_t i = n / 2; i-- > 0;) sift(v, i, n, before, ctx, aux);
    for (size_t end = n; end-- > 1;) {
        uint16_t tmp = v[0];
        v[0] = v[end];
        v[end] = tmp;
        sift(v, 0, end, before, ctx, aux);
    }
}

static int by_score(const void *bin, const void *records, uint16_t a, uint16_t b)
{
    return score_before(bin, records, a, b);
}

static int text_compare(const pl_tokenizer *t, uint16_t a, uint16_t b);

static int by_text(const void *t, const void *unused, uint16_t a, uint16_t b)
{
    (void)unused;
    return text_compare(t, a, b) < 0;
}

static void fill_byte_pieces(pl_tokenizer *t)
{
    for (int i = 0; i < 256; i++) {
        t->byte_pieces[2 * i] = (char)i;
        t->byte_pieces[2 * i + 1] = '\0';
    }
}

/* Ranks preserving the order of the scores; 0 for scores run.c never picks. */
static void assign_ranks(const uint8_t *bin, build_layout *l, int32_t vocab)
{
    for (int32_t i = 0; i < vocab; i++) l->sorted[i] = (uint16_t)i;
    sort_ids(l->sorted, (size_t)vocab, by_score, bin, l->records);
    uint16_t rank = 0;
    float previous = 0.0f;
    for (int32_t i = 0; i < vocab; i++) {
        uint16_t id = l->sorted[i];
        float s = record_score(bin, l->records[id]);
        if (!score_can_merge(s)) {
            l->ranks[id] = 0;
            continue;
        }
        if (rank == 0 || s != previous) rank++;
        previous = s;
        l->ranks[id] = rank;
    }
}

pl_status pl_tokenizer_build(pl_tokenizer *t, const void *bin, size_t len, int32_t vocab_size,
                             void *mem, size_t mem_len)
{
    if (!t || !bin || !mem || vocab_size <= 0) return PL_E_ARG;
    if (vocab_size > PL_TOKENIZER_MAX_VOCAB) return PL_E_TOO_LARGE;
    if (mem_len < pl_tokenizer_build_size(len, vocab_size)) return PL_E_NO_MEMORY;
    if (((uintptr_t)mem & 3) != 0) return PL_E_ALIGN;
    int32_t count;
    pl_status st = pl_tokenizer_count(bin, len, &count);
    if (st != PL_OK) return st;
    if (count != vocab_size) return PL_E_VOCAB_MISMATCH;

    build_layout l = layout_build(mem, len, vocab_size);
    size_t end;
    walk_records(bin, len, vocab_size, l.records, &end);
    const uint8_t *b = bin;
    uint32_t text_size = 0;
    for (int32_t i = 0; i < vocab_size; i++) {
        if (i % PL_TOKEN_BLOCK == 0) l.blocks[i / PL_TOKEN_BLOCK] = text_size;
        const char *s = (const char *)b + l.records[i] + 8;
        uint32_t n = read_u32le(b + l.records[i] + 4);
        const char *nul = memchr(s, '\0', n); /* a C string ends at its NUL */
        if (nul) n = (uint32_t)(nul - s);
        if (n > 255) return PL_E_TOKENIZER;
        l.lengths[i] = (uint8_t)n;
        memcpy(l.text + text_size, s, n);
        text_size += n;
    }
    l.blocks[pl_tokenizer_blocks(vocab_size) - 1] = text_size;
    assign_ranks(b, &l, vocab_size);

    t->vocab_size = vocab_size;
    t->max_token_length = read_u32le(b);
    t->lengths = l.lengths;
    t->block_offsets = l.blocks;
    t->ranks = l.ranks;
    t->sorted = l.sorted;
    t->text = l.text;
    t->text_size = text_size;
    fill_byte_pieces(t);
    for (int32_t i = 0; i < vocab_size; i++) l.sorted[i] = (uint16_t)i;
    sort_ids(l.sorted, (size_t)vocab_size, by_text, t, NULL);
    return PL_OK;
}

/* ---- text access and comparison ----------------------------------------- */

const char *pl_token_text(const pl_tokenizer *t, int32_t id, size_t *len)
{
    int32_t first = id - id % PL_TOKEN_BLOCK;
    uint32_t off = t->block_offsets[id / PL_TOKEN_BLOCK];
    for (int32_t i = first; i < id; i++) off += t->lengths[i];
    *len = t->lengths[id];
    return t->text + off;
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

/* Order of the sorted list: text, then id. */
static int text_compare(const pl_tokenizer *t, uint16_t a, uint16_t b)
{
    size_t al, bl;
    const char *as = pl_token_text(t, a, &al);
    const char *bs = pl_token_text(t, b, &bl);
    int c = compare_concat(as, al, NULL, 0, bs, bl);
    if (c != 0) return c;
    return a < b ? -1 : (a > b ? 1 : 0);
}

pl_status pl_tokenizer_attach(pl_tokenizer *t, int32_t vocab_size, uint32_t max_token_length,
                              const uint8_t *lengths, const uint32_t *block_offsets,
                              const uint16_t *ranks, const uint16_t *sorted, const char *text,
                              uint32_t text_size)
{
    if (!t || !lengths || !block_offsets || !ranks || !sorted || !text) return PL_E_ARG;
    if (vocab_size <= 0 || vocab_size > PL_TOKENIZER_MAX_VOCAB) return PL_E_TOKENIZER;
    uint64_t off = 0;
    for (int32_t i = 0; i < vocab_size; i++) {
        if (i % PL_TOKEN_BLOCK == 0 && block_offsets[i / PL_TOKEN_BLOCK] != off)
            return PL_E_TOKENIZER;
        off += lengths[i];
    }
    if (off != text_size || block_offsets[pl_tokenizer_blocks(vocab_size) - 1] != text_size)
        return PL_E_TOKENIZER;
    if (memchr(text, '\0', text_size)) return PL_E_TOKENIZER;
    for (int32_t i = 0; i < vocab_size; i++)
        if (sorted[i] >= vocab_size) return PL_E_TOKENIZER;
    t->vocab_size = vocab_size;
    t->max_token_length = max_token_length;
    t->lengths = lengths;
    t->block_offsets = block_offsets;
    t->ranks = ranks;
    t->sorted = sorted;
    t->text = text;
    t->text_size = text_size;
    fill_byte_pieces(t);
    /* strictly increasing (text, id) also proves sorted is a permutation */
    for (int32_t i = 0; i + 1 < vocab_size; i++)
        if (text_compare(t, sorted[i], sorted[i + 1]) >= 0) return PL_E_TOKENIZER;
    return PL_OK;
}

/* ---- encoding ----------------------------------------------------------- */

/* Id of the token whose text is a||b, or -1; glibc's bsearch probe order. */
static int32_t lookup_concat(const pl_tokenizer *t, const char *a, size_t alen, const char *b,
                             size_t blen)
{
    size_t lo = 0, hi = (size_t)t->vocab_size;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int32_t id = t->sorted[mid];
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

static pl_status push_token(int32_t *tokens, size_t max_tokens, size_t *n, int32_t id)
{
    if (*n >= max_tokens) return PL_E_ARG;
    tokens[(*n)++] = id;
    return PL_OK;
}

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
            if (push_token(tokens, max_tokens, n, id) != PL_OK) return PL_E_ARG;
            continue;
        }
        for (size_t b = 0; b < cp_len; b++) { /* byte fallback: <0xXX> = byte + 3 */
            int32_t byte_id = (int32_t)(unsigned char)text[start + b] + 3;
            if (byte_id >= t->vocab_size) return PL_E_ENCODE;
            if (push_token(tokens, max_tokens, n, byte_id) != PL_OK) return PL_E_ARG;
        }
    }
    return PL_OK;
}

/* ---- merging ------------------------------------------------------------
 *
 * run.c merges, again and again, the adjacent pair whose concatenation is
 * the best-ranked token (the leftmost of equals), rescanning the whole list
 * after every merge: quadratic in the text (10 s for 20 KB). The same
 * merges, in the same order, come here from two structures that live in
 * the caller's token buffer:
 *
 *  - the token list, in place. A token starts at a "live" slot and spans
 *    it and the dead slots up to the next live one: merging two tokens
 *    kills the right one's first slot. A dead slot that holds a link
 *    (a negative value, see dead_link) tells the span's start or end, so
 *    neighbours are found in O(1) with no memory of their own;
 *  - a max tree over the pairs: leaf i holds the rank of the pair that
 *    starts at slot i (0: none, a dead slot, or a pair that never merges),
 *    every inner node the largest rank below it. The best pair is found by
 *    descending from the root to the leftmost leaf holding the maximum, a
 *    rank is changed by walking back up: O(log n) each.
 *
 * Each merge changes three leaves (the dead slot's, the merged token's
 * pair with its right neighbour, and its left neighbour's pair with it),
 * so encoding takes O(n log n) lookups and tree steps.
 */

/* Id of the token whose text is text(a)||text(b), or -1. */
static int32_t pair_token(const pl_tokenizer *t, int32_t a, int32_t b)
{
    size_t alen, blen;
    const char *as = pl_token_text(t, a, &alen);
    const char *bs = pl_token_text(t, b, &blen);
    return lookup_concat(t, as, alen, bs, blen);
}

/* Merge rank of the pair (a, b): 0 when run.c never merges it. */
static uint16_t pair_rank(const pl_tokenizer *t, int32_t a, int32_t b)
{
    int32_t id = pair_token(t, a, b);
    return id == -1 ? 0 : t->ranks[id];
}

/* Live slots hold a token id (>= 0); the links in dead slots hold a slot
 * number p as -1 - p. A token spanning slots [start, end) keeps start in
 * its last slot and, when it spans three slots or more, end in its second
 * one; other dead slots hold leftovers that are never read. */
static int32_t dead_link(size_t slot) { return -1 - (int32_t)slot; }
static size_t link_target(int32_t value) { return (size_t)(-1 - value); }

/* First slot after the token starting at live slot i (n: the list's end). */
static size_t span_end(const int32_t *slots, size_t n, size_t i)
{
    if (i + 1 >= n || slots[i + 1] >= 0) return i + 1;
    size_t link = link_target(slots[i + 1]);
    return link == i ? i + 2 : link; /* back to i: slot i + 1 is also its last */
}

/* Start of the token before live slot i (i > 0). */
static size_t span_start_before(const int32_t *slots, size_t i)
{
    return slots[i - 1] >= 0 ? i - 1 : link_target(slots[i - 1]);
}

/* Makes the token at slot start span [start, end) with id `id`. */
static void join_span(int32_t *slots, size_t start, size_t end, int32_t id)
{
    slots[start] = id;
    slots[end - 1] = dead_link(start);
    if (end - start >= 3) slots[start + 1] = dead_link(end);
}

/* The max tree: node v covers leaves [lo, hi); when hi - lo >= 2 its left
 * child v + 1 covers [lo, mid) and its right child v + 2 * (mid - lo)
 * covers [mid, hi), mid = lo + (hi - lo) / 2 (pre-order, 2 * leaves - 1
 * nodes). Ranks are 16-bit, two nodes to a 32-bit word of the buffer. */
typedef struct {
    uint32_t *words;
    size_t leaves;
} rank_tree;

#define RANK_TREE_MAX_DEPTH (8 * sizeof(size_t)) /* ceil(log2(leaves)) */

static size_t rank_tree_words(size_t leaves) { return leaves; } /* (2 * leaves - 1 + 1) / 2 */

static uint16_t node_rank(const rank_tree *tr, size_t v)
{
    uint32_t w = tr->words[v / 2];
    return (uint16_t)(v % 2 ? w >> 16 : w & 0xFFFFu);
}

static void set_node_rank(rank_tree *tr, size_t v, uint16_t rank)
{
    uint32_t w = tr->words[v / 2];
    tr->words[v / 2] = v % 2 ? (w & 0xFFFFu) | (uint32_t)rank << 16 : (w & 0xFFFF0000u) | rank;
}

static size_t tree_mid(size_t lo, size_t hi) { return lo + (hi - lo) / 2; }

/* Sets leaf `leaf` to rank and updates the maxima above it. */
static void rank_tree_set(rank_tree *tr, size_t leaf, uint16_t rank)
{
    size_t path[RANK_TREE_MAX_DEPTH], right_child[RANK_TREE_MAX_DEPTH];
    size_t depth = 0, v = 0, lo = 0, hi = tr->leaves;
    while (hi - lo > 1) {
        size_t mid = tree_mid(lo, hi);
        path[depth] = v;
        right_child[depth++] = v + 2 * (mid - lo);
        if (leaf < mid) {
            v = v + 1;
            hi = mid;
        } else {
            v = v + 2 * (mid - lo);
            lo = mid;
        }
    }
    set_node_rank(tr, v, rank);
    while (depth-- > 0) {
        uint16_t left = node_rank(tr, path[depth] + 1), right = node_rank(tr, right_child[depth]);
        uint16_t max = left > right ? left : right;
        if (node_rank(tr, path[depth]) == max) return; /* nothing above changes either */
        set_node_rank(tr, path[depth], max);
    }
}

/* The leftmost leaf holding the largest rank, if that rank is not 0. */
static int rank_tree_best(const rank_tree *tr, size_t *leaf)
{
    uint16_t best = node_rank(tr, 0);
    if (best == 0) return 0;
    size_t v = 0, lo = 0, hi = tr->leaves;
    while (hi - lo > 1) {
        size_t mid = tree_mid(lo, hi);
        if (node_rank(tr, v + 1) == best) {
            v = v + 1;
            hi = mid;
        } else {
            v = v + 2 * (mid - lo);
            lo = mid;
        }
    }
    *leaf = lo;
    return 1;
}

/* Merges the n tokens at the start of slots (capacity slots in all) as
 * run.c does, leaving the result at the start and its count in *n. */
static pl_status merge_pairs(const pl_tokenizer *t, int32_t *slots, size_t capacity, size_t *n)
{
    size_t count = *n;
    if (count < 2) return PL_OK;
    rank_tree tree = {(uint32_t *)(void *)(slots + count), count - 1}; /* a leaf per pair */
    if (capacity - count < rank_tree_words(tree.leaves)) return PL_E_ARG;
    memset(tree.words, 0, rank_tree_words(tree.leaves) * sizeof(*tree.words));
    for (size_t i = 0; i + 1 < count; i++) rank_tree_set(&tree, i, pair_rank(t, slots[i], slots[i + 1]));

    size_t left;
    while (rank_tree_best(&tree, &left)) {
        size_t right = span_end(slots, count, left);
        size_t end = span_end(slots, count, right);
        int32_t merged = pair_token(t, slots[left], slots[right]);
        join_span(slots, left, end, merged);
        if (right < tree.leaves) rank_tree_set(&tree, right, 0); /* no token starts there now */
        rank_tree_set(&tree, left, end < count ? pair_rank(t, merged, slots[end]) : 0);
        if (left > 0) {
            size_t before = span_start_before(slots, left);
            rank_tree_set(&tree, before, pair_rank(t, slots[before], merged));
        }
    }

    size_t kept = 0; /* the live slots, in order: slot kept <= i is already read */
    for (size_t i = 0; i < count;) {
        size_t next = span_end(slots, count, i);
        slots[kept++] = slots[i];
        i = next;
    }
    *n = kept;
    return PL_OK;
}

pl_status pl_encode(const pl_tokenizer *t, const char *text, int bos, int eos, int32_t *tokens,
                    size_t max_tokens, int32_t *n_tokens)
{
    if (!t || !text || !tokens || !n_tokens) return PL_E_ARG;
    size_t n = 0;
    *n_tokens = 0;
    if (max_tokens > INT32_MAX) max_tokens = INT32_MAX; /* counts and dead links are int32 */
    if ((bos && t->vocab_size <= PL_TOKEN_BOS) || (eos && t->vocab_size <= PL_TOKEN_EOS))
        return PL_E_ENCODE; /* a vocabulary too small to have them */
    if (bos && push_token(tokens, max_tokens, &n, PL_TOKEN_BOS) != PL_OK) return PL_E_ARG;
    if (text[0] != '\0') {
        /* sentencepiece's add_dummy_prefix: the text starts with a space */
        int32_t space = lookup_concat(t, " ", 1, NULL, 0);
        if (space == -1) return PL_E_ENCODE;
        if (push_token(tokens, max_tokens, &n, space) != PL_OK) return PL_E_ARG;
    }
    pl_status st = encode_codepoints(t, text, tokens, max_tokens, &n);
    if (st == PL_OK) st = merge_pairs(t, tokens, max_tokens, &n);
    if (st != PL_OK) return st;
    if (eos && push_token(tokens, max_tokens, &n, PL_TOKEN_EOS) != PL_OK) return PL_E_ARG;
    *n_tokens = (int32_t)n;
    return PL_OK;
}

/* ---- decoding ----------------------------------------------------------- */

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
