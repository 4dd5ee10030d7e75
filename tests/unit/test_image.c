/* test_image.c - the packed model image: what the writer produces the
 * reader accepts and runs exactly like the checkpoint (f32) or closely (q8,
 * q4); every kind of corruption is refused with a reason, never read. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checkpoint.h"
#include "crc32.h"
#include "image.h"
#include "image_writer.h"
#include "testenv.h"
#include "transformer.h"

typedef struct {
    float *file;
    size_t len;
    pl_config cfg;
    int shared;
    void *arena;
    pl_transformer t;
    char *tok_file;
    void *tok_mem;
    pl_tokenizer tok;
} source_model;

static uint64_t rng = 88172645463325252ull;
static float rnd(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return ((rng >> 40) / 16777216.0f - 0.5f) * 0.5f;
}

/* A random checkpoint of a small shape with tok512's vocabulary. */
static void make_source(source_model *m, int shared)
{
    memset(m, 0, sizeof(*m));
    pl_config c = {32, 64, 2, 4, 2, 512, 16};
    m->len = pl_checkpoint_size(&c, shared);
    m->file = aligned_alloc(16, (m->len + 15) & ~(size_t)15);
    int32_t h[7] = {c.dim, c.hidden_dim, c.n_layers, c.n_heads, c.n_kv_heads,
                    shared ? c.vocab_size : -c.vocab_size, c.seq_len};
    memcpy(m->file, h, 28);
    float *w = (float *)((char *)m->file + 28);
    for (size_t i = 0; i < (m->len - 28) / 4; i++) w[i] = rnd();
    assert_int_equal(pl_checkpoint_read_config(m->file, m->len, &m->cfg, &m->shared, NULL), PL_OK);
    size_t n = pl_transformer_arena_size(&m->cfg, NULL);
    m->arena = malloc(n);
    assert_int_equal(pl_transformer_init(&m->t, &m->cfg, NULL, m->arena, n), PL_OK);
    assert_int_equal(pl_checkpoint_bind(m->file, m->len, &m->cfg, m->shared, &m->t.w), PL_OK);
    const char *tok_path = testenv_model("tok512.bin");
    assert_non_null(tok_path);
    size_t tok_len;
    m->tok_file = testenv_read(tok_path, &tok_len);
    size_t mem = pl_tokenizer_build_size(tok_len, 512);
    m->tok_mem = malloc(mem);
    assert_int_equal(pl_tokenizer_build(&m->tok, m->tok_file, tok_len, 512, m->tok_mem, mem), PL_OK);
}

static void free_source(source_model *m)
{
    free(m->file);
    free(m->arena);
    free(m->tok_file);
    free(m->tok_mem);
}

static uint8_t *pack(source_model *m, pl_dtype dtype, size_t *size)
{
    image_options opt = {dtype, 16, NULL};
    uint8_t *img;
    image_summary s;
    const char *why = NULL;
    assert_true(image_build(&m->cfg, &m->t.w, m->shared, &m->tok, &opt, &img, size, &s, &why));
    assert_int_equal(s.total, *size);
    return img;
}

/* A pl_weight_stream that copies rows into two buffers, as the device's
 * DMA does, and counts how often the engine announced the tile it then
 * asked for. */
typedef struct {
    _Alignas(16) uint8_t buf[2][512];
    int current; /* the buffer of the tile in use */
    const pl_tensor *w;
    int32_t begin, end; /* what the last prefetch copied into buf[1 - current] */
    int fetches, announced;
} copy_stream;

static pl_tensor copy_rows(uint8_t *buf, const pl_tensor *w, int32_t begin, int32_t end)
{
    const void *data, *scales;
    size_t data_bytes, scale_bytes;
    pl_tensor_rows_span(w, begin, end, &data, &data_bytes, &scales, &scale_bytes);
    size_t at = (data_bytes + 7) & ~(size_t)7;
    assert_true(at + scale_bytes <= sizeof(((copy_stream *)0)->buf[0]));
    memset(buf, 0xA5, sizeof(((copy_stream *)0)->buf[0])); /* stale rows must not survive */
    memcpy(buf, data, data_bytes);
    memcpy(buf + at, scales, scale_bytes);
    pl_tensor tile = *w;
    tile.rows = end - begin;
    tile.data = buf;
    tile.scales = buf + at;
    return tile;
}

static void copy_prefetch(void *ctx, const pl_tensor *w, int32_t begin, int32_t end)
{
    copy_stream *s = ctx;
    copy_rows(s->buf[1 - s->current], w, begin, end);
    s->w = w;
    s->begin = begin;
    s->end = end;
}

static pl_tensor copy_fetch(void *ctx, const pl_tensor *w, int32_t begin, int32_t end)
{
    copy_stream *s = ctx;
    s->fetches++;
    s->current = 1 - s->current;
    if (s->w == w && s->begin == begin && s->end == end) {
        s->announced++;
        s->w = NULL;
        pl_tensor tile = *w;
        const void *data, *scales;
        size_t data_bytes, scale_bytes;
        pl_tensor_rows_span(w, begin, end, &data, &data_bytes, &scales, &scale_bytes);
        tile.rows = end - begin;
        tile.data = s->buf[s->current];
        tile.scales = s->buf[s->current] + ((data_bytes + 7) & ~(size_t)7);
        return tile;
    }
    return copy_rows(s->buf[s->current], w, begin, end);
}

/* Opens an image and runs a few positions with options opt (NULL: the
 * reference; its quantized weights through stream when not NULL; layer 0's
 * wk replaced by wk0 when not NULL); returns the last logits copy. */
static float *run_image_with(const uint8_t *img, size_t size, int positions,
                             const pl_weight_stream *stream, const pl_tensor *wk0,
                             const pl_options *opt)
{
    pl_image im;
    const char *why = NULL;
    pl_status st = pl_image_open(&im, img, size, 1, &why);
    if (st != PL_OK) fail_msg("image refused: %s", why);
    size_t n = pl_transformer_arena_size(&im.cfg, opt);
    void *arena = malloc(n);
    pl_transformer t;
    assert_int_equal(pl_transformer_init(&t, &im.cfg, opt, arena, n), PL_OK);
    pl_image_bind_weights(&im, &t.w);
    if (wk0) t.w.layers[0].wk = *wk0;
    t.stream = stream;
    if (stream) { /* four rows of the widest matrix (w2: 64 values) fit a tile */
        size_t need = pl_stream_min_tile_bytes(&t);
        assert_true(need > 0 && need <= stream->tile_bytes);
        const pl_tensor *w2 = &t.w.layers[0].w2;
        int q4 = w2->dtype == PL_DTYPE_Q4;
        assert_int_equal(need, (size_t)(4 * w2->cols / (q4 ? 2 : 1)) +
                                   (size_t)(4 * (w2->cols / w2->group) * (q4 ? 2 : 4)));
    }
    float *logits = malloc(sizeof(float) * im.cfg.vocab_size);
    for (int pos = 0; pos < positions; pos++)
        memcpy(logits, pl_forward(&t, (pos * 37 + 1) % im.cfg.vocab_size, pos),
               sizeof(float) * im.cfg.vocab_size);
    free(arena);
    return logits;
}

static float *run_image_streamed(const uint8_t *img, size_t size, int positions,
                                 const pl_weight_stream *stream, const pl_tensor *wk0)
{
    return run_image_with(img, size, positions, stream, wk0, NULL);
}

static float *run_image(const uint8_t *img, size_t size, int positions)
{
    return run_image_streamed(img, size, positions, NULL, NULL);
}

static float *run_source(source_model *m, int positions)
{
    float *logits = malloc(sizeof(float) * m->cfg.vocab_size);
    for (int pos = 0; pos < positions; pos++)
        memcpy(logits, pl_forward(&m->t, (pos * 37 + 1) % m->cfg.vocab_size, pos),
               sizeof(float) * m->cfg.vocab_size);
    return logits;
}

static void f32_image_is_bit_identical(void **state)
{
    (void)state;
    for (int shared = 0; shared < 2; shared++) {
        source_model m;
        make_source(&m, shared);
        size_t size;
        uint8_t *img = pack(&m, PL_DTYPE_F32, &size);
        float *a = run_image(img, size, 10), *b = run_source(&m, 10);
        assert_memory_equal(a, b, sizeof(float) * 512);
        /* and the tokenizer inside encodes like the file it came from */
        pl_image im;
        pl_tokenizer tok;
        assert_int_equal(pl_image_open(&im, img, size, 1, NULL), PL_OK);
        assert_int_equal(pl_image_bind_tokenizer(&im, &tok), PL_OK);
        int32_t x[64], y[64], nx, ny;
        assert_int_equal(pl_encode(&tok, "Once upon a time, Lily", 1, 0, x, 64, &nx), PL_OK);
        assert_int_equal(pl_encode(&m.tok, "Once upon a time, Lily", 1, 0, y, 64, &ny), PL_OK);
        assert_int_equal(nx, ny);
        assert_memory_equal(x, y, sizeof(int32_t) * (size_t)nx);
        free(a);
        free(b);
        free(img);
        free_source(&m);
    }
}

static void quantized_images_stay_close(void **state)
{
    (void)state;
    source_model m;
    make_source(&m, 1);
    float *want = run_source(&m, 10);
    const pl_dtype types[2] = {PL_DTYPE_Q8, PL_DTYPE_Q4};
    const double tolerance[2] = {0.02, 0.3};
    for (int i = 0; i < 2; i++) {
        size_t size;
        uint8_t *img = pack(&m, types[i], &size);
        float *got = run_image(img, size, 10);
        double worst = 0, scale = 0;
        for (int k = 0; k < 512; k++) {
            worst = fmax(worst, fabs(got[k] - want[k]));
            scale = fmax(scale, fabs(want[k]));
        }
        if (worst > tolerance[i] * scale) fail_msg("dtype %d: error %g of %g", types[i], worst, scale);
        free(got);
        free(img);
    }
    free(want);
    free_source(&m);
}

/* Weights fetched tile by tile give the same bits as weights in place, and
 * every tile but the very first was announced before it was asked for. */
static void streamed_weights_are_invisible(void **state)
{
    (void)state;
    const pl_dtype types[2] = {PL_DTYPE_Q8, PL_DTYPE_Q4};
    for (int shared = 0; shared < 2; shared++) {
        source_model m;
        make_source(&m, shared);
        for (int i = 0; i < 2; i++) {
            size_t size;
            uint8_t *img = pack(&m, types[i], &size);
            copy_stream cs;
            memset(&cs, 0, sizeof(cs));
            pl_weight_stream stream = {copy_prefetch, copy_fetch, &cs, 400};
            float *want = run_image(img, size, 6);
            float *got = run_image_streamed(img, size, 6, &stream, NULL);
            assert_memory_equal(want, got, sizeof(float) * 512);
            assert_true(cs.fetches > 6 * 2 * 7);
            assert_int_equal(cs.announced, cs.fetches - 1);
            free(want);
            free(got);
            /* an f32 matrix among quantized ones is used in place, and the
             * stream's announcements skip it */
            memset(&cs, 0, sizeof(cs));
            want = run_image_streamed(img, size, 6, NULL, &m.t.w.layers[0].wk);
            got = run_image_streamed(img, size, 6, &stream, &m.t.w.layers[0].wk);
            assert_memory_equal(want, got, sizeof(float) * 512);
            assert_int_equal(cs.announced, cs.fetches - 1);
            free(want);
            free(got);
            /* the fast precisions as the firmware runs them (RMSNorm
             * quantized straight into the streamed matmuls' input) */
            static const pl_options fast = {PL_KV_COMPACT, 1, 1};
            memset(&cs, 0, sizeof(cs));
            want = run_image_with(img, size, 6, NULL, NULL, &fast);
            got = run_image_with(img, size, 6, &stream, NULL, &fast);
            assert_memory_equal(want, got, sizeof(float) * 512);
            free(want);
            free(got);
            free(img);
        }
        free_source(&m);
    }
}

/* ---- corruption --------------------------------------------------------- */

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static uint32_t get32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }

/* Opens a mutated copy; with reseal the CRC is recomputed so the structural
 * checks behind it are what gets tested. */
static pl_status open_mutated(const uint8_t *img, size_t size, size_t len, int reseal,
                              void (*mutate)(uint8_t *, size_t), const char **why)
{
    uint8_t *copy = aligned_alloc(16, (size + 64 + 15) & ~(size_t)15);
    memcpy(copy, img, size);
    if (mutate) mutate(copy, size);
    uint32_t declared = get32(copy + 8);
    if (reseal && declared <= size) put32(copy + 12, pl_image_crc(copy, declared));
    pl_image im;
    pl_status st = pl_image_open(&im, copy, len, 1, why);
    free(copy);
    return st;
}

static uint8_t *entry(uint8_t *img, int i) { return img + 64 + 40 * i; }

static void bad_magic(uint8_t *p, size_t n) { (void)n; p[0] ^= 1; }
static void bad_version(uint8_t *p, size_t n) { (void)n; p[4] = 2; }
static void flipped_payload_bit(uint8_t *p, size_t n) { p[n - 3] ^= 0x10; }
static void size_too_big(uint8_t *p, size_t n) { put32(p + 8, (uint32_t)n + 8); }
static void zero_dim(uint8_t *p, size_t n) { (void)n; put32(p + 16, 0); }
static void absurd_dim(uint8_t *p, size_t n) { (void)n; put32(p + 16, 0x7fffffff); }
static void odd_heads(uint8_t *p, size_t n) { (void)n; put32(p + 28, 3); }
static void wrong_count(uint8_t *p, size_t n) { (void)n; put32(p + 48, get32(p + 48) + 1); }
static void offset_past_end(uint8_t *p, size_t n) { put32(entry(p, 3) + 20, (uint32_t)n); }
static void offset_huge(uint8_t *p, size_t n) { (void)n; put32(entry(p, 3) + 20, 0xfffffff8u); }
static void overlapping(uint8_t *p, size_t n) { (void)n; put32(entry(p, 4) + 20, get32(entry(p, 3) + 20)); }
static void misaligned(uint8_t *p, size_t n) { (void)n; put32(entry(p, 3) + 20, get32(entry(p, 3) + 20) + 4); }
static void wrong_role(uint8_t *p, size_t n) { (void)n; entry(p, 3)[0] = 7; }
static void wrong_shape(uint8_t *p, size_t n) { (void)n; put32(entry(p, 3) + 8, 31); }
static void wrong_size(uint8_t *p, size_t n) { (void)n; put32(entry(p, 3) + 24, get32(entry(p, 3) + 24) - 8); }
static void bad_dtype(uint8_t *p, size_t n) { (void)n; entry(p, 3)[4] = 9; }
static void quantized_norm(uint8_t *p, size_t n) { (void)n; entry(p, 1)[4] = 1; }
static void group_not_dividing(uint8_t *p, size_t n) { (void)n; put32(entry(p, 3) + 16, 24); }
static void tokenizer_vocab(uint8_t *p, size_t n) { (void)n; put32(p + get32(p + 56), 511); }
static void tokenizer_unsorted(uint8_t *p, size_t n)
{
    (void)n;
    pl_image_tokenizer_layout l = pl_image_tokenizer_layout_for(512, get32(p + get32(p + 56) + 8));
    uint8_t *sorted = p + get32(p + 56) + l.sorted;
    uint8_t t0 = sorted[0], t1 = sorted[1];
    sorted[0] = sorted[2];
    sorted[1] = sorted[3];
    sorted[2] = t0;
    sorted[3] = t1;
}
static void tokenizer_nul_text(uint8_t *p, size_t n)
{
    (void)n;
    pl_image_tokenizer_layout l = pl_image_tokenizer_layout_for(512, get32(p + get32(p + 56) + 8));
    p[get32(p + 56) + l.text + 100] = 0;
}
static void tokenizer_lengths(uint8_t *p, size_t n)
{
    (void)n;
    pl_image_tokenizer_layout l = pl_image_tokenizer_layout_for(512, 0);
    p[get32(p + 56) + l.lengths + 5]++;
}
static void unknown_flag(uint8_t *p, size_t n) { (void)n; p[44] |= 4; }
static void entry_reserved(uint8_t *p, size_t n) { (void)n; entry(p, 3)[6] = 1; }
static void entry_reserved_tail(uint8_t *p, size_t n) { (void)n; put32(entry(p, 5) + 36, 1); }
static void tokenizer_reserved(uint8_t *p, size_t n) { (void)n; put32(p + get32(p + 56) + 20, 1); }
static void tokenizer_past_end(uint8_t *p, size_t n) { put32(p + 60, (uint32_t)n); }
static void scales_past_end(uint8_t *p, size_t n) { put32(entry(p, 3) + 28, (uint32_t)n - 8); }
static void group_zero(uint8_t *p, size_t n) { (void)n; put32(entry(p, 3) + 16, 0); }
static void group_huge(uint8_t *p, size_t n) { (void)n; put32(entry(p, 3) + 16, 0xffffffffu); }
static void count_huge(uint8_t *p, size_t n) { (void)n; put32(p + 48, 0xffffffffu); }
static void bad_header_size(uint8_t *p, size_t n) { (void)n; p[6] = 72; }
static void table_moved(uint8_t *p, size_t n) { (void)n; put32(p + 52, 72); }
static void tensor_over_tokenizer(uint8_t *p, size_t n) { (void)n; put32(entry(p, 0) + 20, get32(p + 56)); }

static void corrupted_images_are_refused(void **state)
{
    (void)state;
    source_model m;
    make_source(&m, 1);
    size_t size;
    uint8_t *img = pack(&m, PL_DTYPE_Q8, &size);
    const char *why;
    assert_int_equal(open_mutated(img, size, size, 0, NULL, &why), PL_OK);
    struct {
        void (*mutate)(uint8_t *, size_t);
        int reseal;
        pl_status want;
    } cases[] = {
        {bad_magic, 1, PL_E_FORMAT},       {bad_version, 1, PL_E_FORMAT},
        {flipped_payload_bit, 0, PL_E_CHECKSUM},
        {size_too_big, 0, PL_E_TRUNCATED}, {zero_dim, 1, PL_E_CONFIG},
        {absurd_dim, 1, PL_E_TOO_LARGE},   {odd_heads, 1, PL_E_CONFIG},
        {wrong_count, 1, PL_E_FORMAT},     {offset_past_end, 1, PL_E_FORMAT},
        {offset_huge, 1, PL_E_FORMAT},     {overlapping, 1, PL_E_FORMAT},
        {misaligned, 1, PL_E_FORMAT},      {wrong_role, 1, PL_E_FORMAT},
        {wrong_shape, 1, PL_E_FORMAT},     {wrong_size, 1, PL_E_FORMAT},
        {bad_dtype, 1, PL_E_FORMAT},       {quantized_norm, 1, PL_E_FORMAT},
        {group_not_dividing, 1, PL_E_FORMAT},
        {tokenizer_vocab, 1, PL_E_VOCAB_MISMATCH},
        {tokenizer_unsorted, 1, PL_E_TOKENIZER},
        {tokenizer_nul_text, 1, PL_E_TOKENIZER},
        {tokenizer_lengths, 1, PL_E_TOKENIZER},
        {unknown_flag, 1, PL_E_FORMAT},
        {entry_reserved, 1, PL_E_FORMAT}, {entry_reserved_tail, 1, PL_E_FORMAT},
        {tokenizer_reserved, 1, PL_E_TOKENIZER},
        {tokenizer_past_end, 1, PL_E_FORMAT}, {scales_past_end, 1, PL_E_FORMAT},
        {group_zero, 1, PL_E_FORMAT},      {group_huge, 1, PL_E_FORMAT},
        {count_huge, 1, PL_E_FORMAT},      {bad_header_size, 1, PL_E_FORMAT},
        {table_moved, 1, PL_E_FORMAT},     {tensor_over_tokenizer, 1, PL_E_FORMAT},
        /* header, table or tokenizer bytes changed without a new CRC */
        {zero_dim, 0, PL_E_CHECKSUM},      {wrong_shape, 0, PL_E_CHECKSUM},
        {tokenizer_lengths, 0, PL_E_CHECKSUM},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        why = NULL;
        pl_status st = open_mutated(img, size, size, cases[i].reseal, cases[i].mutate, &why);
        if (st != cases[i].want) fail_msg("case %zu: status %d (%s), want %d", i, st, why, cases[i].want);
        assert_non_null(why);
    }
    /* truncated at every interesting length */
    for (size_t len = 0; len < size; len += len < 4096 ? 7 : 997)
        assert_int_not_equal(open_mutated(img, size, len, 0, NULL, &why), PL_OK);
    free(img);
    free_source(&m);
}

static void crc_is_the_standard_one(void **state)
{
    (void)state;
    assert_int_equal(pl_crc32(0, "123456789", 9), 0xCBF43926u); /* the check value */
    assert_int_equal(pl_crc32(pl_crc32(0, "12345", 5), "6789", 4), 0xCBF43926u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(crc_is_the_standard_one),
        cmocka_unit_test(streamed_weights_are_invisible),
        cmocka_unit_test(f32_image_is_bit_identical),
        cmocka_unit_test(quantized_images_stay_close),
        cmocka_unit_test(corrupted_images_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
