/* image.c - reading and checking packed model images (docs/model-format.md). */
#include "image.h"

#include "crc32.h"
#include "quant.h"

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static uint32_t align_up(uint32_t v) { return (v + PL_IMAGE_ALIGN - 1) & ~(uint32_t)(PL_IMAGE_ALIGN - 1); }

static pl_status fail(pl_status st, const char *reason, const char **why)
{
    if (why) *why = reason;
    return st;
}

int pl_image_is_image(const void *data, size_t len)
{
    return data && len >= 4 && rd32(data) == PL_IMAGE_MAGIC;
}

uint32_t pl_image_crc(const void *data, uint32_t size)
{
    static const uint8_t zero[4] = {0};
    uint32_t crc = pl_crc32(0, data, 12);
    crc = pl_crc32(crc, zero, 4);
    return pl_crc32(crc, (const uint8_t *)data + 16, size - 16);
}

void pl_image_expected_role(const pl_config *cfg, uint32_t i, uint16_t *role, uint16_t *layer)
{
    uint32_t per_layer = 9, layers = (uint32_t)cfg->n_layers;
    *layer = 0;
    if (i == 0) {
        *role = PL_ROLE_EMBEDDING;
    } else if (i <= per_layer * layers) {
        *layer = (uint16_t)((i - 1) / per_layer);
        *role = (uint16_t)(PL_ROLE_RMS_ATT + (i - 1) % per_layer);
    } else if (i == per_layer * layers + 1) {
        *role = PL_ROLE_RMS_FINAL;
    } else {
        *role = PL_ROLE_CLASSIFIER;
    }
}

void pl_image_role_shape(const pl_config *c, uint16_t role, uint32_t *rows, uint32_t *cols)
{
    uint32_t dim = (uint32_t)c->dim, hidden = (uint32_t)c->hidden_dim;
    uint32_t kv_dim = (uint32_t)pl_kv_dim(c), vocab = (uint32_t)c->vocab_size;
    *cols = dim;
    switch (role) {
    case PL_ROLE_EMBEDDING:
    case PL_ROLE_CLASSIFIER: *rows = vocab; break;
    case PL_ROLE_WQ:
    case PL_ROLE_WO: *rows = dim; break;
    case PL_ROLE_WK:
    case PL_ROLE_WV: *rows = kv_dim; break;
    case PL_ROLE_W1:
    case PL_ROLE_W3: *rows = hidden; break;
    case PL_ROLE_W2: *rows = dim; *cols = hidden; break;
    default: *rows = 1; break; /* RMSNorm weights */
    }
}

void pl_image_tensor_sizes(uint8_t dtype, uint32_t rows, uint32_t cols, uint32_t group,
                           uint64_t *data_size, uint64_t *scales_size)
{
    uint64_t n = (uint64_t)rows * cols, groups = group ? (uint64_t)rows * (cols / group) : 0;
    switch (dtype) {
    case PL_DTYPE_Q8: *data_size = n; *scales_size = groups * 4; break;
    case PL_DTYPE_Q4: *data_size = (n + 1) / 2; *scales_size = groups * 2; break;
    default: *data_size = n * 4; *scales_size = 0; break;
    }
}

pl_image_tokenizer_layout pl_image_tokenizer_layout_for(int32_t vocab_size, uint32_t text_size)
{
    uint32_t v = (uint32_t)vocab_size;
    pl_image_tokenizer_layout l;
    l.lengths = PL_IMAGE_TOKENIZER_HEADER;
    l.block_offsets = align_up(l.lengths + v);
    l.ranks = align_up(l.block_offsets + 4 * (uint32_t)pl_tokenizer_blocks(vocab_size));
    l.sorted = align_up(l.ranks + 2 * v);
    l.text = align_up(l.sorted + 2 * v);
    l.size = l.text + text_size;
    return l;
}

pl_image_entry pl_image_entry_at(const pl_image *img, uint32_t i)
{
    const uint8_t *p = img->base + PL_IMAGE_HEADER_SIZE + (size_t)i * PL_IMAGE_ENTRY_SIZE;
    pl_image_entry e;
    e.role = rd16(p);
    e.layer = rd16(p + 2);
    e.dtype = p[4];
    e.rows = rd32(p + 8);
    e.cols = rd32(p + 12);
    e.group = rd32(p + 16);
    e.data_offset = rd32(p + 20);
    e.data_size = rd32(p + 24);
    e.scales_offset = rd32(p + 28);
    e.scales_size = rd32(p + 32);
    return e;
}

/* A region that must start 8-aligned at or after *cursor and end inside the
 * image; advances the cursor past it. */
static int take_region(uint32_t offset, uint32_t size, uint32_t image_size, uint32_t *cursor)
{
    if (offset % PL_IMAGE_ALIGN != 0 || offset < *cursor) return 0;
    if (size > image_size || offset > image_size - size) return 0;
    *cursor = offset + size;
    return 1;
}

static pl_status check_entry(const pl_image *img, uint32_t i, uint32_t *cursor, const char **why)
{
    pl_image_entry e = pl_image_entry_at(img, i);
    const uint8_t *raw = img->base + PL_IMAGE_HEADER_SIZE + (size_t)i * PL_IMAGE_ENTRY_SIZE;
    if (raw[5] | raw[6] | raw[7] || rd32(raw + 36) != 0)
        return fail(PL_E_FORMAT, "reserved tensor table bytes are not zero", why);
    uint16_t role, layer;
    pl_image_expected_role(&img->cfg, i, &role, &layer);
    if (e.role != role || e.layer != layer)
        return fail(PL_E_FORMAT, "tensor table out of order (wrong role or layer)", why);
    uint32_t rows, cols;
    pl_image_role_shape(&img->cfg, role, &rows, &cols);
    if (e.rows != rows || e.cols != cols)
        return fail(PL_E_FORMAT, "tensor shape does not match the config", why);
    int is_norm = rows == 1;
    if (e.dtype > PL_DTYPE_Q4) return fail(PL_E_FORMAT, "unknown tensor data type", why);
    if (is_norm && e.dtype != PL_DTYPE_F32)
        return fail(PL_E_FORMAT, "RMSNorm weights must be f32", why);
    if (e.group == 0 || e.cols % e.group != 0)
        return fail(PL_E_FORMAT, "quantization group does not divide the row", why);
    if (e.dtype == PL_DTYPE_F32 && e.group != e.cols)
        return fail(PL_E_FORMAT, "f32 tensor with a group other than its row", why);
    if (e.dtype != PL_DTYPE_F32 && e.group > PL_MAX_GROUP)
        return fail(PL_E_FORMAT, "quantization group longer than 1024 (int32 sums could overflow)", why);
    if (e.dtype == PL_DTYPE_Q4 && e.group % 2 != 0)
        return fail(PL_E_FORMAT, "4-bit group length must be even", why);
    uint64_t data_size, scales_size;
    pl_image_tensor_sizes(e.dtype, e.rows, e.cols, e.group, &data_size, &scales_size);
    if (e.data_size != data_size || e.scales_size != scales_size)
        return fail(PL_E_FORMAT, "tensor size does not match its type and shape", why);
    if (!take_region(e.data_offset, e.data_size, img->size, cursor))
        return fail(PL_E_FORMAT, "tensor data out of place (misaligned, overlapping or past the end)", why);
    if (e.dtype != PL_DTYPE_F32 &&
        !take_region(e.scales_offset, e.scales_size, img->size, cursor))
        return fail(PL_E_FORMAT, "tensor scales out of place (misaligned, overlapping or past the end)", why);
    if (e.dtype == PL_DTYPE_F32 && (e.scales_offset != 0 || e.scales_size != 0))
        return fail(PL_E_FORMAT, "f32 tensor with scales", why);
    return PL_OK;
}

pl_status pl_image_open(pl_image *img, const void *data, size_t len, int check_crc,
                        const char **why)
{
    if (why) *why = NULL;
    const uint8_t *p = data;
    if (!p || len < PL_IMAGE_HEADER_SIZE) return fail(PL_E_TRUNCATED, "shorter than an image header", why);
    if (((uintptr_t)p & (PL_IMAGE_ALIGN - 1)) != 0) return fail(PL_E_ALIGN, "image not 8-byte aligned", why);
    if (rd32(p) != PL_IMAGE_MAGIC) return fail(PL_E_FORMAT, "bad magic (not a model image)", why);
    if (rd16(p + 4) != PL_IMAGE_VERSION) return fail(PL_E_FORMAT, "unsupported image version", why);
    if (rd16(p + 6) != PL_IMAGE_HEADER_SIZE) return fail(PL_E_FORMAT, "bad header size", why);
    img->base = p;
    img->size = rd32(p + 8);
    if (img->size < PL_IMAGE_HEADER_SIZE) return fail(PL_E_FORMAT, "image size smaller than its header", why);
    if (img->size > len) return fail(PL_E_TRUNCATED, "the header's image_size is past the end", why);
    if (check_crc && pl_image_crc(p, img->size) != rd32(p + 12))
        return fail(PL_E_CHECKSUM, "CRC-32 mismatch", why);

    int32_t f[7];
    for (int i = 0; i < 7; i++) f[i] = (int32_t)rd32(p + 16 + 4 * i);
    img->cfg = (pl_config){f[0], f[1], f[2], f[3], f[4], f[5], f[6]};
    pl_status st = pl_config_validate(&img->cfg, why);
    if (st != PL_OK) return st;
    img->flags = rd32(p + 44);
    if (img->flags & ~PL_IMAGE_FLAG_SHARED_CLASSIFIER) return fail(PL_E_FORMAT, "unknown flags", why);
    int shared = (img->flags & PL_IMAGE_FLAG_SHARED_CLASSIFIER) != 0;
    img->tensor_count = rd32(p + 48);
    if (img->tensor_count != 9u * (uint32_t)img->cfg.n_layers + 2 + (shared ? 0 : 1))
        return fail(PL_E_FORMAT, "tensor count does not match the config", why);
    if (rd32(p + 52) != PL_IMAGE_HEADER_SIZE) return fail(PL_E_FORMAT, "tensor table not after the header", why);
    img->tokenizer_offset = rd32(p + 56);
    img->tokenizer_size = rd32(p + 60);

    uint32_t cursor = PL_IMAGE_HEADER_SIZE;
    if (!take_region(PL_IMAGE_HEADER_SIZE, img->tensor_count * PL_IMAGE_ENTRY_SIZE, img->size, &cursor))
        return fail(PL_E_TRUNCATED, "tensor table past the end", why);
    if (!take_region(img->tokenizer_offset, img->tokenizer_size, img->size, &cursor))
        return fail(PL_E_FORMAT, "tokenizer section out of place", why);
    pl_tokenizer tok;
    st = pl_image_bind_tokenizer(img, &tok);
    if (st != PL_OK) return fail(st, "tokenizer section is inconsistent", why);
    for (uint32_t i = 0; i < img->tensor_count; i++) {
        st = check_entry(img, i, &cursor, why);
        if (st != PL_OK) return st;
    }
    if (cursor != img->size) return fail(PL_E_FORMAT, "unused bytes after the last tensor", why);
    return PL_OK;
}

static pl_tensor entry_tensor(const pl_image *img, const pl_image_entry *e)
{
    pl_tensor t;
    t.dtype = (pl_dtype)e->dtype;
    t.rows = (int32_t)e->rows;
    t.cols = (int32_t)e->cols;
    t.group = (int32_t)e->group;
    t.data = img->base + e->data_offset;
    t.scales = e->dtype == PL_DTYPE_F32 ? NULL : img->base + e->scales_offset;
    return t;
}

void pl_image_bind_weights(const pl_image *img, pl_weights *w)
{
    for (uint32_t i = 0; i < img->tensor_count; i++) {
        pl_image_entry e = pl_image_entry_at(img, i);
        pl_tensor t = entry_tensor(img, &e);
        pl_layer_weights *L = &w->layers[e.layer];
        switch (e.role) {
        case PL_ROLE_EMBEDDING: w->embedding = t; break;
        case PL_ROLE_RMS_ATT: L->rms_att = t.data; break;
        case PL_ROLE_WQ: L->wq = t; break;
        case PL_ROLE_WK: L->wk = t; break;
        case PL_ROLE_WV: L->wv = t; break;
        case PL_ROLE_WO: L->wo = t; break;
        case PL_ROLE_RMS_FFN: L->rms_ffn = t.data; break;
        case PL_ROLE_W1: L->w1 = t; break;
        case PL_ROLE_W2: L->w2 = t; break;
        case PL_ROLE_W3: L->w3 = t; break;
        case PL_ROLE_RMS_FINAL: w->rms_final = t.data; break;
        case PL_ROLE_CLASSIFIER: w->classifier = t; break;
        }
    }
    if (img->flags & PL_IMAGE_FLAG_SHARED_CLASSIFIER) w->classifier = w->embedding;
}

pl_status pl_image_bind_tokenizer(const pl_image *img, pl_tokenizer *t)
{
    const uint8_t *s = img->base + img->tokenizer_offset;
    uint32_t size = img->tokenizer_size;
    if (size < PL_IMAGE_TOKENIZER_HEADER) return PL_E_TOKENIZER;
    int32_t vocab = (int32_t)rd32(s);
    uint32_t text_size = rd32(s + 8);
    if (vocab != img->cfg.vocab_size) return PL_E_VOCAB_MISMATCH;
    if (vocab > PL_TOKENIZER_MAX_VOCAB || rd32(s + 12) != PL_TOKEN_BLOCK) return PL_E_TOKENIZER;
    if (rd32(s + 16) != 0 || rd32(s + 20) != 0) return PL_E_TOKENIZER; /* reserved */
    pl_image_tokenizer_layout l = pl_image_tokenizer_layout_for(vocab, 0);
    if (l.text > size || text_size != size - l.text) return PL_E_TOKENIZER;
    return pl_tokenizer_attach(t, vocab, rd32(s + 4), s + l.lengths,
                               (const uint32_t *)(const void *)(s + l.block_offsets),
                               (const uint16_t *)(const void *)(s + l.ranks),
                               (const uint16_t *)(const void *)(s + l.sorted),
                               (const char *)s + l.text, text_size);
}

pl_dtype pl_image_precision(const pl_image *img)
{
    pl_image_entry wq = pl_image_entry_at(img, 2); /* embedding, rms_att, wq */
    return (pl_dtype)wq.dtype;
}

pl_options pl_image_options(const pl_image *img)
{
    if (pl_image_precision(img) == PL_DTYPE_F32) return pl_reference_options;
    pl_options fast = {PL_KV_COMPACT, 1, 1};
    return fast;
}
