/* image_writer.c - packing float weights into a model image. */
#include "image_writer.h"

#include <stdlib.h>
#include <string.h>

#include "../engine/image.h"
#include "../engine/quant.h"
#include "gptq.h"


static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static uint64_t align8(uint64_t v) { return (v + 7) & ~(uint64_t)7; }

int32_t image_choose_group(int32_t cols, int32_t max_group)
{
    for (int32_t g = max_group - max_group % 4; g >= 16; g -= 4)
        if (cols % g == 0) return g;
    return cols;
}

/* One tensor to write: where its float source is and how to store it. */
typedef struct {
    pl_image_entry e;
    const float *src;
} planned_tensor;

static const float *source_of(const pl_weights *w, uint16_t role, uint16_t layer)
{
    const pl_layer_weights *L = &w->layers[layer];
    switch (role) {
    case PL_ROLE_EMBEDDING: return w->embedding.data;
    case PL_ROLE_RMS_ATT: return L->rms_att;
    case PL_ROLE_WQ: return L->wq.data;
    case PL_ROLE_WK: return L->wk.data;
    case PL_ROLE_WV: return L->wv.data;
    case PL_ROLE_WO: return L->wo.data;
    case PL_ROLE_RMS_FFN: return L->rms_ffn;
    case PL_ROLE_W1: return L->w1.data;
    case PL_ROLE_W2: return L->w2.data;
    case PL_ROLE_W3: return L->w3.data;
    case PL_ROLE_RMS_FINAL: return w->rms_final;
    default: return w->classifier.data;
    }
}

static uint64_t *summary_slot(image_summary *s, uint16_t role)
{
    switch (role) {
    case PL_ROLE_EMBEDDING: return &s->embedding;
    case PL_ROLE_CLASSIFIER: return &s->classifier;
    case PL_ROLE_RMS_ATT:
    case PL_ROLE_RMS_FFN:
    case PL_ROLE_RMS_FINAL: return &s->norms;
    case PL_ROLE_W1:
    case PL_ROLE_W2:
    case PL_ROLE_W3: return &s->ffn;
    default: return &s->attention;
    }
}

/* Decides every tensor's type, group and place; returns the image size or
 * 0 when a tensor cannot be stored as asked (*why set). */
static uint64_t plan(const pl_config *cfg, const pl_weights *w, uint32_t count,
                     const image_options *opt, uint64_t tokenizer_size, planned_tensor *t,
                     image_summary *s, const char **why)
{
    int32_t max_group = opt->max_group;
    uint64_t cursor = align8(PL_IMAGE_HEADER_SIZE + (uint64_t)count * PL_IMAGE_ENTRY_SIZE);
    s->header_and_table = cursor;
    cursor += tokenizer_size;
    s->tokenizer = tokenizer_size;
    for (uint32_t i = 0; i < count; i++) {
        pl_image_entry *e = &t[i].e;
        memset(e, 0, sizeof(*e));
        pl_image_expected_role(cfg, i, &e->role, &e->layer);
        pl_image_role_shape(cfg, e->role, &e->rows, &e->cols);
        t[i].src = source_of(w, e->role, e->layer);
        e->dtype = e->rows == 1 ? PL_DTYPE_F32 : (uint8_t)opt->dtype;
        e->group = e->dtype == PL_DTYPE_F32 ? e->cols
                                            : (uint32_t)image_choose_group((int32_t)e->cols, max_group);
        if (e->dtype == PL_DTYPE_Q4 && e->group % 2 != 0) {
            *why = "4-bit packing needs an even row length";
            return 0;
        }
        uint64_t data_size, scales_size;
        pl_image_tensor_sizes(e->dtype, e->rows, e->cols, e->group, &data_size, &scales_size);
        cursor = align8(cursor);
        e->data_offset = (uint32_t)cursor;
        e->data_size = (uint32_t)data_size;
        cursor += data_size;
        if (scales_size) {
            cursor = align8(cursor);
            e->scales_offset = (uint32_t)cursor;
            e->scales_size = (uint32_t)scales_size;
            cursor += scales_size;
        }
        *summary_slot(s, e->role) += align8(data_size) + align8(scales_size);
        if (cursor > UINT32_MAX) {
            *why = "the image would exceed 4 GB";
            return 0;
        }
    }
    s->total = cursor;
    return cursor;
}

static void write_header(uint8_t *p, const pl_config *c, int shared, uint32_t count,
                         uint32_t tok_offset, uint32_t tok_size, uint32_t size)
{
    put32(p, PL_IMAGE_MAGIC);
    put16(p + 4, PL_IMAGE_VERSION);
    put16(p + 6, PL_IMAGE_HEADER_SIZE);
    put32(p + 8, size);
    const int32_t f[7] = {c->dim, c->hidden_dim, c->n_layers, c->n_heads, c->n_kv_heads,
                          c->vocab_size, c->seq_len};
    for (int i = 0; i < 7; i++) put32(p + 16 + 4 * i, (uint32_t)f[i]);
    put32(p + 44, shared ? PL_IMAGE_FLAG_SHARED_CLASSIFIER : 0);
    put32(p + 48, count);
    put32(p + 52, PL_IMAGE_HEADER_SIZE);
    put32(p + 56, tok_offset);
    put32(p + 60, tok_size);
}

static void write_entry(uint8_t *p, const pl_image_entry *e)
{
    put16(p, e->role);
    put16(p + 2, e->layer);
    p[4] = e->dtype;
    put32(p + 8, e->rows);
    put32(p + 12, e->cols);
    put32(p + 16, e->group);
    put32(p + 20, e->data_offset);
    put32(p + 24, e->data_size);
    put32(p + 28, e->scales_offset);
    put32(p + 32, e->scales_size);
}

static void write_tokenizer(uint8_t *p, const pl_tokenizer *tok)
{
    pl_image_tokenizer_layout l = pl_image_tokenizer_layout_for(tok->vocab_size, tok->text_size);
    put32(p, (uint32_t)tok->vocab_size);
    put32(p + 4, tok->max_token_length);
    put32(p + 8, tok->text_size);
    put32(p + 12, PL_TOKEN_BLOCK);
    size_t v = (size_t)tok->vocab_size;
    memcpy(p + l.lengths, tok->lengths, v);
    for (int32_t i = 0; i < pl_tokenizer_blocks(tok->vocab_size); i++)
        put32(p + l.block_offsets + 4 * i, tok->block_offsets[i]);
    for (size_t i = 0; i < v; i++) {
        put16(p + l.ranks + 2 * i, tok->ranks[i]);
        put16(p + l.sorted + 2 * i, tok->sorted[i]);
    }
    memcpy(p + l.text, tok->text, tok->text_size);
}

/* Returns 0 when calibrated quantization fails. */
static int write_tensor(uint8_t *base, const planned_tensor *t, const calibration *calib)
{
    const pl_image_entry *e = &t->e;
    uint8_t *data = base + e->data_offset;
    int32_t rows = (int32_t)e->rows, cols = (int32_t)e->cols, group = (int32_t)e->group;
    const calib_input *in = calib && e->dtype != PL_DTYPE_F32 ? calibration_find(calib, t->src) : NULL;
    if (in && in->samples > 0)
        return gptq_quantize((pl_dtype)e->dtype, t->src, rows, cols, group, in->h, data,
                             base + e->scales_offset);
    switch (e->dtype) {
    case PL_DTYPE_F32:
        memcpy(data, t->src, e->data_size);
        break;
    case PL_DTYPE_Q8:
        pl_quantize_q8(t->src, rows, cols, group, (int8_t *)data,
                       (float *)(void *)(base + e->scales_offset));
        break;
    case PL_DTYPE_Q4:
        pl_quantize_q4(t->src, rows, cols, group, data,
                       (uint16_t *)(void *)(base + e->scales_offset));
        break;
    }
    return 1;
}

int image_build(const pl_config *cfg, const pl_weights *w, int shared, const pl_tokenizer *tok,
                const image_options *opt, uint8_t **out, size_t *out_size, image_summary *s,
                const char **why)
{
    memset(s, 0, sizeof(*s));
    if (tok->vocab_size != cfg->vocab_size) {
        *why = "tokenizer and model vocabulary sizes differ";
        return 0;
    }
    uint32_t count = 9u * (uint32_t)cfg->n_layers + 2 + (shared ? 0 : 1);
    planned_tensor *t = calloc(count, sizeof(*t));
    pl_image_tokenizer_layout tl = pl_image_tokenizer_layout_for(tok->vocab_size, tok->text_size);
    uint64_t size = t ? plan(cfg, w, count, opt, align8(tl.size), t, s, why) : 0;
    uint8_t *img = size ? calloc(1, size) : NULL;
    if (!img) {
        if (!t || size) *why = "out of memory"; /* else plan() said why */
        free(t);
        return 0;
    }
    uint32_t tok_offset = (uint32_t)s->header_and_table;
    write_header(img, cfg, shared, count, tok_offset, tl.size, (uint32_t)size);
    write_tokenizer(img + tok_offset, tok);
    for (uint32_t i = 0; i < count; i++) {
        write_entry(img + PL_IMAGE_HEADER_SIZE + (size_t)i * PL_IMAGE_ENTRY_SIZE, &t[i].e);
        if (!write_tensor(img, &t[i], opt->calib)) {
            *why = "calibrated quantization failed (singular input statistics)";
            free(t);
            free(img);
            return 0;
        }
    }
    put32(img + 12, pl_image_crc(img, (uint32_t)size));
    free(t);
    *out = img;
    *out_size = (size_t)size;
    return 1;
}
