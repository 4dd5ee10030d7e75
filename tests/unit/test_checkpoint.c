/* test_checkpoint.c - llama2.c checkpoint parsing: every malformed header
 * and size must be refused with the right code, never read out of bounds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "checkpoint.h"
#include "transformer.h"

typedef struct {
    int32_t f[7];
} header;

static const header small = {{8, 16, 2, 2, 1, 10, 4}};

/* A zero-filled checkpoint with header h and `extra` bytes more (or fewer)
 * than its exact size; *len receives the length. */
static void *make_checkpoint(const header *h, long extra, size_t *len)
{
    pl_config c = {h->f[0], h->f[1], h->f[2], h->f[3], h->f[4], abs(h->f[5]), h->f[6]};
    size_t exact = pl_checkpoint_size(&c, h->f[5] > 0);
    *len = (size_t)((long)exact + extra);
    uint8_t *buf = aligned_alloc(16, (*len + 16) & ~(size_t)15);
    memset(buf, 0, *len);
    memcpy(buf, h->f, sizeof(h->f));
    return buf;
}

static pl_status read_config(const header *h, pl_config *c, int *shared)
{
    const char *why;
    return pl_checkpoint_read_config(h->f, sizeof(h->f), c, shared, &why);
}

static void valid_header_is_read(void **state)
{
    (void)state;
    pl_config c;
    int shared;
    assert_int_equal(read_config(&small, &c, &shared), PL_OK);
    assert_int_equal(c.dim, 8);
    assert_int_equal(c.vocab_size, 10);
    assert_int_equal(shared, 1);
    header unshared = small;
    unshared.f[5] = -10;
    assert_int_equal(read_config(&unshared, &c, &shared), PL_OK);
    assert_int_equal(c.vocab_size, 10);
    assert_int_equal(shared, 0);
}

static void bad_dimensions_are_refused(void **state)
{
    (void)state;
    struct {
        header h;
        pl_status want;
    } cases[] = {
        {{{0, 16, 2, 2, 1, 10, 4}}, PL_E_CONFIG},       /* zero dim */
        {{{8, -16, 2, 2, 1, 10, 4}}, PL_E_CONFIG},      /* negative hidden */
        {{{8, 16, 0, 2, 1, 10, 4}}, PL_E_CONFIG},       /* no layers */
        {{{8, 16, 2, 0, 1, 10, 4}}, PL_E_CONFIG},       /* no heads */
        {{{8, 16, 2, 3, 1, 10, 4}}, PL_E_CONFIG},       /* dim % heads */
        {{{8, 16, 2, 4, 3, 10, 4}}, PL_E_CONFIG},       /* heads % kv_heads */
        {{{8, 16, 2, 2, 4, 10, 4}}, PL_E_CONFIG},       /* kv_heads > heads */
        {{{6, 16, 2, 2, 1, 10, 4}}, PL_E_CONFIG},       /* odd head size */
        {{{8, 16, 2, 2, 1, 0, 4}}, PL_E_CONFIG},        /* no vocab */
        {{{8, 16, 2, 2, 1, INT32_MIN, 4}}, PL_E_CONFIG},/* -INT32_MIN overflows */
        {{{8, 16, 2, 2, 1, 10, 0}}, PL_E_CONFIG},       /* no context */
        {{{INT32_MAX, 16, 2, 2, 1, 10, 4}}, PL_E_TOO_LARGE},
        {{{8, INT32_MAX, 2, 2, 1, 10, 4}}, PL_E_TOO_LARGE},
        {{{8, 16, INT32_MAX, 2, 1, 10, 4}}, PL_E_TOO_LARGE},
        {{{8, 16, 2, 2, 1, INT32_MAX, 4}}, PL_E_TOO_LARGE},
        {{{8, 16, 2, 2, 1, 10, INT32_MAX}}, PL_E_TOO_LARGE},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        pl_config c;
        int shared;
        const char *why = NULL;
        pl_status st = pl_checkpoint_read_config(cases[i].h.f, 28, &c, &shared, &why);
        if (st != cases[i].want) print_error("case %zu: got %d\n", i, st);
        assert_int_equal(st, cases[i].want);
        assert_non_null(why);
    }
}

static void short_header_is_truncated(void **state)
{
    (void)state;
    pl_config c;
    int shared;
    assert_int_equal(pl_checkpoint_read_config(small.f, 27, &c, &shared, NULL), PL_E_TRUNCATED);
    assert_int_equal(pl_checkpoint_read_config(NULL, 0, &c, &shared, NULL), PL_E_TRUNCATED);
}

static pl_status bind(const header *h, long extra, size_t offset)
{
    size_t len;
    uint8_t *buf = make_checkpoint(h, extra + (long)offset, &len);
    pl_config c;
    int shared;
    pl_status st = pl_checkpoint_read_config(buf, len, &c, &shared, NULL);
    assert_int_equal(st, PL_OK);
    pl_layer_weights layers[8];
    pl_weights w = {.layers = layers};
    if (offset) memmove(buf + offset, buf, len - offset);
    st = pl_checkpoint_bind(buf + offset, len - offset, &c, shared, &w);
    free(buf);
    return st;
}

static void sizes_must_match_the_header(void **state)
{
    (void)state;
    assert_int_equal(bind(&small, 0, 0), PL_OK);
    assert_int_equal(bind(&small, -1, 0), PL_E_TRUNCATED);
    assert_int_equal(bind(&small, -4, 0), PL_E_TRUNCATED);
    assert_int_equal(bind(&small, 4, 0), PL_E_TRAILING);
    assert_int_equal(bind(&small, 0, 2), PL_E_ALIGN);
    header unshared = small;
    unshared.f[5] = -10;
    assert_int_equal(bind(&unshared, 0, 0), PL_OK);
    /* an unshared header on a shared-size file is short by the classifier */
    size_t len;
    uint8_t *buf = make_checkpoint(&small, 0, &len);
    memcpy(buf, unshared.f, 28);
    pl_config c;
    int shared;
    assert_int_equal(pl_checkpoint_read_config(buf, len, &c, &shared, NULL), PL_OK);
    pl_layer_weights layers[2];
    pl_weights w = {.layers = layers};
    assert_int_equal(pl_checkpoint_bind(buf, len, &c, shared, &w), PL_E_TRUNCATED);
    free(buf);
}

static void bound_tensors_point_in_run_c_order(void **state)
{
    (void)state;
    header unshared = small;
    unshared.f[5] = -10;
    size_t len;
    uint8_t *buf = make_checkpoint(&unshared, 0, &len);
    pl_config c;
    int shared;
    assert_int_equal(pl_checkpoint_read_config(buf, len, &c, &shared, NULL), PL_OK);
    pl_layer_weights layers[2];
    pl_weights w = {.layers = layers};
    assert_int_equal(pl_checkpoint_bind(buf, len, &c, shared, &w), PL_OK);
    const float *base = (const float *)(buf + 28);
    /* dim 8, hidden 16, 2 layers, kv_dim 4, vocab 10, seq 4, head 4 */
    assert_ptr_equal(w.embedding.data, base);
    assert_ptr_equal(layers[0].rms_att, base + 80);
    assert_ptr_equal(layers[1].rms_att, base + 88);
    assert_ptr_equal(layers[0].wq.data, base + 96);
    assert_ptr_equal(layers[0].wk.data, base + 96 + 128);
    assert_int_equal(layers[0].wk.rows, 4);
    assert_ptr_equal(layers[0].wv.data, base + 96 + 128 + 64);
    assert_ptr_equal(layers[0].wo.data, base + 96 + 128 + 128);
    assert_ptr_equal(layers[0].rms_ffn, base + 96 + 128 + 128 + 128);
    const float *w1 = base + 96 + 128 + 128 + 128 + 16;
    assert_ptr_equal(layers[0].w1.data, w1);
    assert_ptr_equal(layers[0].w2.data, w1 + 256);
    assert_int_equal(layers[0].w2.cols, 16);
    assert_ptr_equal(layers[0].w3.data, w1 + 512);
    assert_ptr_equal(w.rms_final, w1 + 768);
    assert_ptr_equal(w.classifier.data, w1 + 768 + 8 + 16); /* after 2 RoPE tables */
    assert_ptr_equal((const uint8_t *)w.classifier.data + 320, buf + len);
    free(buf);
}

static void arena_size_grows_with_context(void **state)
{
    (void)state;
    pl_config c = {8, 16, 2, 2, 1, 10, 4};
    size_t a = pl_transformer_arena_size(&c, NULL);
    c.seq_len = 8;
    size_t b = pl_transformer_arena_size(&c, NULL);
    /* doubling the context adds 4 positions of K and V (2 layers x kv_dim 4)
     * and 4 attention scores (one part) */
    assert_true(b - a >= 2 * 2 * 4 * 4 * sizeof(float) + 4 * sizeof(float));
    pl_transformer t;
    uint8_t small_arena[64];
    assert_int_equal(pl_transformer_init(&t, &c, NULL, small_arena, sizeof(small_arena)), PL_E_NO_MEMORY);
    void *arena = malloc(b);
    assert_int_equal(pl_transformer_init(&t, &c, NULL, (uint8_t *)arena + 1, b - 1), PL_E_NO_MEMORY);
    assert_int_equal(pl_transformer_init(&t, &c, NULL, arena, b), PL_OK);
    free(arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_header_is_read),
        cmocka_unit_test(bad_dimensions_are_refused),
        cmocka_unit_test(short_header_is_truncated),
        cmocka_unit_test(sizes_must_match_the_header),
        cmocka_unit_test(bound_tensors_point_in_run_c_order),
        cmocka_unit_test(arena_size_grows_with_context),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
