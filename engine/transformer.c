/* transformer.c - Llama-2 forward pass, one position at a time.
 *
 * With the reference options it follows llama2.c's run.c step by step (same
 * operations in the same order, so the same floats come out); the only
 * departures are where the result is unchanged: RoPE sines/cosines computed
 * once per position instead of once per head, matmuls that work on several
 * rows at once, work split by whole rows and heads across cores.
 *
 * The fast options trade the last bits for speed the same way everywhere:
 * a compact KV cache (kv_cache.h) whose attention runs in integers, its
 * softmax from a table (kernels/attention.h), pl_expf_fast, SwiGLU's
 * sigmoid interpolated in a table (sigmoid_table.h), and RMSNorm's output
 * quantized straight from its input, the norm's factor applied to the
 * group scales (pl_quantize_normed), by the parts of the matmul before it.
 */
#include "transformer.h"

#include <string.h>

#include "kernels/attention.h"
#include "kernels/matmul.h"
#include "plmath.h"
#include "sigmoid_table.h"

const pl_options pl_reference_options = {PL_KV_F32, 0, 1};

static const pl_options *or_reference(const pl_options *opt)
{
    return opt ? opt : &pl_reference_options;
}

/* ---- arena layout ------------------------------------------------------- */

#define ARENA_ALIGN 16

typedef struct {
    uint8_t *base; /* NULL while only measuring */
    uint64_t used;
} arena_cursor;

static void *arena_take(arena_cursor *a, uint64_t bytes)
{
    a->used = (a->used + ARENA_ALIGN - 1) & ~(uint64_t)(ARENA_ALIGN - 1);
    void *p = a->base ? a->base + a->used : NULL;
    a->used += bytes;
    return p;
}

static float *take_floats(arena_cursor *a, uint64_t count)
{
    return arena_take(a, count * sizeof(float));
}

/* Entries of a part's softmax weights (compact KV): one past the last
 * position (a zero partner for an odd count), even (word-aligned pairs). */
static int32_t weights_stride(const pl_config *c) { return (c->seq_len + 2) & ~1; }

/* One function both measures and lays out, so the two cannot disagree.
 * with_kv: the whole KV cache goes in the arena too. */
static void layout_arena(arena_cursor *a, int with_kv, const pl_config *c, const pl_options *opt,
                         pl_transformer *t)
{
    uint64_t dim = (uint64_t)c->dim, hidden = (uint64_t)c->hidden_dim;
    uint64_t kv_dim = (uint64_t)pl_kv_dim(c), heads = (uint64_t)c->n_heads;
    uint64_t half_head = (uint64_t)pl_head_size(c) / 2, seq = (uint64_t)c->seq_len;
    uint64_t parts = opt->parts > 1 ? (uint64_t)opt->parts : 1;
    int compact = opt->kv == PL_KV_COMPACT;
    pl_run_state s;
    s.x = take_floats(a, dim);
    s.xb = take_floats(a, dim);
    s.xb2 = take_floats(a, dim);
    s.hb = take_floats(a, hidden);
    s.hb2 = take_floats(a, hidden);
    s.q = take_floats(a, dim);
    s.k_new = compact ? take_floats(a, kv_dim) : NULL;
    s.v_new = compact ? take_floats(a, kv_dim) : NULL;
    s.att = compact ? NULL : take_floats(a, parts * seq);
    s.logits = take_floats(a, (uint64_t)c->vocab_size);
    s.q16 = compact ? arena_take(a, dim * sizeof(int16_t)) : NULL;
    s.q16_scale = compact ? take_floats(a, heads) : NULL;
    s.scores = compact ? arena_take(a, parts * seq * sizeof(int32_t)) : NULL;
    s.weights = compact ? arena_take(a, parts * weights_stride(c) * sizeof(int16_t)) : NULL;
    s.acc = compact ? arena_take(a, parts * half_head * 2 * sizeof(int32_t)) : NULL;
    s.rope_freq = take_floats(a, half_head);
    s.rope_cos = take_floats(a, half_head);
    s.rope_sin = take_floats(a, half_head);
    uint64_t widest = hidden > dim ? hidden : dim;
    s.xq.q = arena_take(a, widest * sizeof(int16_t));
    s.xq.pairs = arena_take(a, widest * sizeof(int16_t));
    s.xq.scales = take_floats(a, widest);
    s.xq_next.q = arena_take(a, dim * sizeof(int16_t));
    s.xq_next.pairs = arena_take(a, dim * sizeof(int16_t));
    s.xq_next.scales = take_floats(a, 2 * (dim / 8 + 1)); /* then norm_sums: one alignment */
    s.norm_sums = s.xq_next.scales ? s.xq_next.scales + dim / 8 + 1 : NULL;
    pl_layer_weights *layers =
        arena_take(a, (uint64_t)c->n_layers * sizeof(pl_layer_weights));
    uint8_t *kv = NULL;
    if (with_kv) {
        size_t kv_bytes = pl_kv_size(c, opt->kv, c->seq_len);
        kv = arena_take(a, kv_bytes ? kv_bytes : UINT64_MAX / 2);
    }
    if (t) {
        t->s = s;
        t->w.layers = layers;
        if (with_kv) pl_kv_init(&t->s.kv, c, opt->kv, kv, c->seq_len, NULL);
    }
}

static size_t rounded_size(uint64_t used)
{
    uint64_t total = used + ARENA_ALIGN; /* room to align the caller's base */
    return total > (uint64_t)SIZE_MAX ? 0 : (size_t)total;
}

size_t pl_transformer_arena_size(const pl_config *cfg, const pl_options *opt)
{
    arena_cursor a = {NULL, 0};
    layout_arena(&a, 1, cfg, or_reference(opt), NULL);
    return rounded_size(a.used);
}

size_t pl_transformer_state_size(const pl_config *cfg, const pl_options *opt)
{
    arena_cursor a = {NULL, 0};
    layout_arena(&a, 0, cfg, or_reference(opt), NULL);
    return rounded_size(a.used);
}

/* Rotation frequency of each pair of a head, as run.c computes it. */
static void init_rope_frequencies(pl_transformer *t)
{
    int32_t head_size = pl_head_size(&t->cfg);
    for (int32_t j = 0; j < head_size / 2; j++) {
        int32_t head_dim = 2 * j;
        t->s.rope_freq[j] = 1.0f / pl_powf(10000.0f, head_dim / (float)head_size);
    }
}

static uint8_t *align_base(void *p)
{
    uintptr_t misalign = (uintptr_t)p & (ARENA_ALIGN - 1);
    return (uint8_t *)p + (misalign ? ARENA_ALIGN - misalign : 0);
}

static int aligned_kv(const void *p) { return ((uintptr_t)p & (ARENA_ALIGN - 1)) == 0; }

/* Checks the arguments and clears t: PL_OK or why not. */
static pl_status check(pl_transformer *t, const pl_config *cfg, const pl_options *opt,
                       void *arena, size_t arena_size, int with_kv)
{
    if (!t || !cfg || !arena) return PL_E_ARG;
    if (opt->kv != PL_KV_F32 && opt->kv != PL_KV_COMPACT) return PL_E_ARG;
    if (opt->parts < 0 || opt->parts > 64) return PL_E_ARG;
    if (pl_config_validate(cfg, NULL) != PL_OK) return PL_E_CONFIG;
    size_t need = with_kv ? pl_transformer_arena_size(cfg, opt) : pl_transformer_state_size(cfg, opt);
    if (need == 0) return PL_E_TOO_LARGE;
    if (arena_size < need) return PL_E_NO_MEMORY;
    memset(arena, 0, need);
    memset(t, 0, sizeof(*t));
    t->cfg = *cfg;
    t->opt = *opt;
    return PL_OK;
}

pl_status pl_transformer_init(pl_transformer *t, const pl_config *cfg, const pl_options *opt,
                              void *arena, size_t arena_size)
{
    opt = or_reference(opt);
    pl_status st = check(t, cfg, opt, arena, arena_size, 1);
    if (st != PL_OK) return st;
    arena_cursor a = {align_base(arena), 0};
    layout_arena(&a, 1, cfg, opt, t);
    init_rope_frequencies(t);
    return PL_OK;
}

pl_status pl_transformer_init_split(pl_transformer *t, const pl_config *cfg,
                                    const pl_options *opt, void *state, size_t state_size,
                                    void *kv0, size_t kv0_size, void *kv1, size_t kv1_size)
{
    opt = or_reference(opt);
    if (!kv0 || !cfg) return PL_E_ARG;
    if (!aligned_kv(kv0) || (kv1 && !aligned_kv(kv1))) return PL_E_ALIGN;
    if (pl_config_validate(cfg, NULL) != PL_OK) return PL_E_CONFIG;
    int32_t count0 = pl_kv_positions(cfg, opt->kv, kv0_size);
    int32_t rest = cfg->seq_len - count0;
    if (count0 < 1 || (rest > 0 && (!kv1 || pl_kv_size(cfg, opt->kv, rest) == 0 ||
                                    kv1_size < pl_kv_size(cfg, opt->kv, rest))))
        return PL_E_NO_MEMORY;
    pl_status st = check(t, cfg, opt, state, state_size, 0);
    if (st != PL_OK) return st;
    arena_cursor a = {align_base(state), 0};
    layout_arena(&a, 0, cfg, opt, t);
    pl_kv_init(&t->s.kv, cfg, opt->kv, kv0, count0, rest > 0 ? kv1 : NULL);
    init_rope_frequencies(t);
    return PL_OK;
}

/* ---- running work in parts (one per core) ------------------------------ */

static void run_parts(pl_transformer *t, pl_task_fn fn, void *arg)
{
    if (t->parallel && t->opt.parts > 1) t->parallel(t->parallel_ctx, fn, arg, t->opt.parts);
    else fn(arg, 0, 1);
}

/* Where part `part` of `parts` starts in n items cut in units of `unit`
 * (32-bit arithmetic: no 64-bit division on the device). */
static int32_t share_start(int32_t n, int32_t unit, int32_t part, int32_t parts)
{
    if (part >= parts) return n;
    if (part == 0) return 0; /* the formula's value, without its divisions */
    int32_t units = (n + unit - 1) / unit;
    int32_t first = parts == 2 ? units >> 1 /* the formula's value for part 1 of 2 */
                               : units / parts * part + units % parts * part / parts;
    return first * unit < n ? first * unit : n;
}

/* The share [begin, end) of n items that part `part` of `parts` takes,
 * whole units (a matrix kernel's block of rows) where possible. */
static void share(int32_t n, int32_t unit, int32_t part, int32_t parts, int32_t *begin,
                  int32_t *end)
{
    *begin = share_start(n, unit, part, parts);
    *end = share_start(n, unit, part + 1, parts);
}

/* ---- building blocks ---------------------------------------------------- */

static void softmax_of(const pl_transformer *t, float *x, int32_t n)
{
    if (t->opt.fast_math) pl_softmax_fast(x, n);
    else pl_softmax(x, n);
}

static void rmsnorm(float *o, const float *x, const float *weight, int32_t size)
{
    float ss = 0.0f;
    for (int32_t j = 0; j < size; j++) ss += x[j] * x[j];
    ss = pl_rms_factor(ss, size);
    for (int32_t j = 0; j < size; j++) o[j] = weight[j] * (ss * x[j]);
}

/* The fast precisions' RMSNorm: the sum of squares in four running sums,
 * four values per step in both loops, so the FPU overlaps them instead of
 * waiting on one chain (o may be x). */
static void rmsnorm_fast(float *o, const float *x, const float *weight, int32_t size)
{
    float s0 = 0.0f, s1 = 0.0f, s2 = 0.0f, s3 = 0.0f;
    int32_t j = 0;
    for (; j + 4 <= size; j += 4) {
        s0 += x[j] * x[j];
        s1 += x[j + 1] * x[j + 1];
        s2 += x[j + 2] * x[j + 2];
        s3 += x[j + 3] * x[j + 3];
    }
    for (; j < size; j++) s0 += x[j] * x[j];
    float ss = pl_rms_factor((s0 + s1) + (s2 + s3), size);
    for (j = 0; j + 4 <= size; j += 4) {
        float a = weight[j] * (ss * x[j]), b = weight[j + 1] * (ss * x[j + 1]);
        float c = weight[j + 2] * (ss * x[j + 2]), d = weight[j + 3] * (ss * x[j + 3]);
        o[j] = a;
        o[j + 1] = b;
        o[j + 2] = c;
        o[j + 3] = d;
    }
    for (; j < size; j++) o[j] = weight[j] * (ss * x[j]);
}

static void rmsnorm_of(const pl_transformer *t, float *o, const float *x, const float *weight)
{
    if (t->opt.fast_math) rmsnorm_fast(o, x, weight, t->cfg.dim);
    else rmsnorm(o, x, weight, t->cfg.dim);
}

static void rope_prepare(pl_transformer *t, int32_t pos)
{
    int32_t pairs = pl_head_size(&t->cfg) / 2;
    for (int32_t j = 0; j < pairs; j++) {
        float val = pos * t->s.rope_freq[j];
        if (t->opt.fast_math) pl_sincosf_fast(val, &t->s.rope_sin[j], &t->s.rope_cos[j]);
        else pl_sincosf(val, &t->s.rope_sin[j], &t->s.rope_cos[j]); /* run.c's sinf/cosf */
    }
}

static void rotate_pair(float *vec, int32_t i, float fcr, float fci)
{
    float v0 = vec[i], v1 = vec[i + 1];
    vec[i] = v0 * fcr - v1 * fci;
    vec[i + 1] = v0 * fci + v1 * fcr;
}

/* RoPE of one head's head_size values. */
static void rope_head(const pl_transformer *t, float *v)
{
    int32_t pairs = pl_head_size(&t->cfg) / 2;
    for (int32_t j = 0; j < pairs; j++) rotate_pair(v, 2 * j, t->s.rope_cos[j], t->s.rope_sin[j]);
}

/* RoPE: rotates each pair of q (all heads) and k (kv heads) by its angle. */
static void rope_apply(pl_transformer *t, float *q, float *k)
{
    const pl_config *c = &t->cfg;
    int32_t head_size = pl_head_size(c), kv_dim = pl_kv_dim(c);
    for (int32_t i = 0; i < c->dim; i += 2) {
        int32_t j = (i % head_size) / 2;
        float fcr = t->s.rope_cos[j], fci = t->s.rope_sin[j];
        rotate_pair(q, i, fcr, fci);
        if (i < kv_dim) rotate_pair(k, i, fcr, fci);
    }
}

/* ---- attention ---------------------------------------------------------- */

/* Positions [first, first + m) of a segment that come before n (m <= 0:
 * none). */
static int32_t positions_in(const pl_kv_segment *seg, int32_t n)
{
    return n - seg->first < seg->count ? n - seg->first : seg->count;
}

/* Head h's query against every position before n, in whichever segments
 * hold them: scores in att, then the weighted values into xb (run.c). */
static void attention_head_f32(pl_transformer *t, int32_t layer, int32_t h, int32_t n,
                               float *att)
{
    const pl_config *c = &t->cfg;
    pl_run_state *s = &t->s;
    int32_t hs = pl_head_size(c), kv_dim = pl_kv_dim(c);
    size_t head_offset = (size_t)(h / (c->n_heads / c->n_kv_heads)) * (size_t)hs;
    float *xb = s->xb + (size_t)h * (size_t)hs;
    for (int32_t g = 0; g < s->kv.segments; g++) {
        const pl_kv_segment *seg = &s->kv.seg[g];
        int32_t m = positions_in(seg, n);
        if (m <= 0) break;
        size_t row = pl_kv_layer_offset(seg, layer) * (size_t)kv_dim + head_offset;
        pl_attention_scores_f32(att + seg->first, s->q + (size_t)h * hs,
                                (const float *)seg->keys + row, (size_t)kv_dim, hs, m);
    }
    softmax_of(t, att, n);
    memset(xb, 0, (size_t)hs * sizeof(float));
    for (int32_t g = 0; g < s->kv.segments; g++) {
        const pl_kv_segment *seg = &s->kv.seg[g];
        int32_t m = positions_in(seg, n);
        if (m <= 0) break;
        size_t row = pl_kv_layer_offset(seg, layer) * (size_t)kv_dim + head_offset;
        pl_attention_mix_f32(xb, att + seg->first, (const float *)seg->values + row,
                             (size_t)kv_dim, hs, m);
    }
}

/* The end of the run of a segment's positions from i on (of m) whose keys
 * share the exponent e[i].key: the exponents never fall along the
 * positions (kv_cache.h), so halving finds it. */
static int32_t key_run_end(const pl_kv_exponents *e, int32_t i, int32_t m)
{
    if (e[m - 1].key == e[i].key) return m; /* the last run: most of a context */
    int32_t lo = i + 1, hi = m;
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if (e[mid].key > e[i].key) hi = mid;
        else lo = mid + 1;
    }
    return lo;
}

/* The most runs of key exponents a layer's heads take in one call
 * (pl_attention_head); more (a context whose keys' scale rose that often)
 * go kernel by kernel. */
#define MAX_KEY_RUNS 16

/* What every head of a part shares in a layer: worked out once. */
typedef struct {
    int32_t layer, n;           /* attending positions [0, n) */
    int32_t hs, kv_dim, per_kv; /* head size, kv_dim, query heads per kv head */
    int32_t *scores;            /* the part's scratch */
    int16_t *w;
    int32_t *acc;               /* zero between uses (see attention_head_compact's end) */
    pl_kv_exponents last;       /* position n - 1's: the running maxima */
    float sqrt_hs, key_unit, value_unit; /* sqrt(hs), 2^last.key, 2^last.value_max */
    int whole;                  /* one call a head (whole_head_init) */
    pl_attention_head head;     /* its fields but q, k, v and logit_step (the head's own) */
    pl_key_run runs[MAX_KEY_RUNS];
} attention_ctx;

/* A run's key shift: from its exponent up to the layer's latest one. */
static int32_t key_shift(const pl_kv_exponents *last, const pl_kv_exponents *e)
{
    int32_t shift = last->key - e->key;
    return shift < 0 ? 0 : (shift > 31 ? 31 : shift);
}

/* When the first segment holds the whole context (n <= PL_MIX_SPAN) in at
 * most MAX_KEY_RUNS runs: x->head and its runs, set for one call a head. */
static void whole_head_init(attention_ctx *x, const pl_kv_cache *kv)
{
    const pl_kv_segment *seg = &kv->seg[0];
    int32_t n = x->n, runs = 0;
    x->whole = 0;
    if (seg->first != 0 || positions_in(seg, n) != n || n > PL_MIX_SPAN) return;
    const pl_kv_exponents *e = seg->exp + pl_kv_layer_offset(seg, x->layer);
    for (int32_t i = 0, end; i < n; i = end, runs++) {
        if (runs == MAX_KEY_RUNS) return;
        end = key_run_end(e, i, n);
        x->runs[runs] = (pl_key_run){end, key_shift(&x->last, &e[i])};
    }
    x->head = (pl_attention_head){
        .key_stride = (size_t)x->kv_dim, .e = e, .pair_stride = 2 * (size_t)x->kv_dim,
        .runs = x->runs, .n_runs = runs, .head_size = x->hs, .n = n,
        .latest = pl_attention_latest_run(e, n, x->last.value_max),
        .value_max = x->last.value_max, .value_unit = x->value_unit,
        .s = x->scores, .w = x->w, .acc = x->acc};
    x->whole = 1;
}

static void attention_ctx_init(attention_ctx *x, pl_transformer *t, int32_t layer, int32_t n,
                               int32_t part)
{
    const pl_config *c = &t->cfg;
    pl_run_state *s = &t->s;
    x->layer = layer;
    x->n = n;
    x->hs = pl_head_size(c);
    x->kv_dim = pl_kv_dim(c);
    x->per_kv = c->n_heads / c->n_kv_heads;
    x->scores = s->scores + (size_t)part * (size_t)c->seq_len;
    x->w = s->weights + (size_t)part * (size_t)weights_stride(c);
    x->acc = s->acc + (size_t)part * (size_t)x->hs;
    x->last = pl_kv_exponents_of(&s->kv, layer, n - 1);
    x->sqrt_hs = pl_sqrtf((float)x->hs);
    x->key_unit = pl_pow2f(x->last.key);
    x->value_unit = pl_pow2f(x->last.value_max);
    whole_head_init(x, &s->kv);
}

/* Where query head h's kv head starts in a position's key or value. */
static size_t kv_head_offset(const attention_ctx *x, int32_t h)
{
    return (size_t)(h / x->per_kv) * (size_t)x->hs;
}

/* The key of the kv head at head_offset, at a segment's first position of
 * the layer. */
static const int16_t *head_keys(const attention_ctx *x, const pl_kv_segment *seg,
                                size_t head_offset)
{
    return (const int16_t *)seg->keys + pl_kv_layer_offset(seg, x->layer) * (size_t)x->kv_dim +
           head_offset;
}

/* The values of the kv head at head_offset in the layer's pair `pair` of
 * a segment's positions. */
static const int8_t *head_values(const attention_ctx *x, const pl_kv_segment *seg,
                                 size_t head_offset, size_t pair)
{
    return (const int8_t *)seg->values +
           (pl_kv_pair_offset(seg, x->layer) + pair) * 2 * (size_t)x->kv_dim + 2 * head_offset;
}

/* What a score step of head h is worth in natural-log units: its query's
 * scale times the layer's key scale, over sqrt(head_size). */
static float logit_step_of(const pl_transformer *t, const attention_ctx *x, int32_t h)
{
    return t->s.q16_scale[h] / x->sqrt_hs * x->key_unit;
}

/* Head h in one call (attention_ctx's whole): x->head set to it. */
static void attention_head_whole(pl_transformer *t, attention_ctx *x, int32_t h)
{
    pl_run_state *s = &t->s;
    const pl_kv_segment *seg = &s->kv.seg[0];
    size_t head_offset = kv_head_offset(x, h);
    pl_attention_head *head = &x->head;
    head->q = s->q16 + (size_t)h * (size_t)x->hs;
    head->k = head_keys(x, seg, head_offset);
    head->v = head_values(x, seg, head_offset, 0);
    head->logit_step = logit_step_of(t, x, h);
    pl_attention_head_int(s->xb + (size_t)h * (size_t)x->hs, head);
}

/* Head h against the compact cache, in integers (kernels/attention.h):
 * scores brought to the layer's largest key exponent so far (one shift
 * per run of positions stored at the same exponent), softmax weights from
 * the table of 2^(-i/64) for every position (a head costs the same at
 * every position: no cutoff to scan for), then the values summed with
 * those weights in int32 over spans of PL_MIX_SPAN positions that start at
 * multiples of it (wherever the cache is split, the same sums), normalised
 * once. */
static void attention_head_compact(pl_transformer *t, attention_ctx *x, int32_t h)
{
    if (x->whole) {
        attention_head_whole(t, x, h);
        return;
    }
    pl_run_state *s = &t->s;
    const pl_kv_cache *kv = &s->kv;
    int32_t hs = x->hs, kv_dim = x->kv_dim, layer = x->layer, n = x->n;
    size_t head_offset = kv_head_offset(x, h);
    int32_t *scores = x->scores, *acc = x->acc;
    int16_t *w = x->w;
    pl_kv_exponents last = x->last;
    int32_t best = INT32_MIN, sum = 0;
    for (int32_t g = 0; g < kv->segments && positions_in(&kv->seg[g], n) > 0; g++) {
        const pl_kv_segment *seg = &kv->seg[g];
        const pl_kv_exponents *e = seg->exp + pl_kv_layer_offset(seg, layer);
        const int16_t *keys = head_keys(x, seg, head_offset);
        for (int32_t i = 0, end, m = positions_in(seg, n); i < m; i = end) {
            end = key_run_end(e, i, m);
            int32_t b = pl_attention_scores_int(scores + seg->first + i, s->q16 + (size_t)h * hs,
                                                keys + (size_t)i * (size_t)kv_dim, (size_t)kv_dim,
                                                key_shift(&last, &e[i]), hs, end - i);
            best = b > best ? b : best;
        }
    }
    pl_attention_softmax sm;
    pl_attention_softmax_prepare(&sm, logit_step_of(t, x, h), best, last.value_max);
    for (int32_t g = 0; g < kv->segments && positions_in(&kv->seg[g], n) > 0; g++) {
        const pl_kv_segment *seg = &kv->seg[g];
        sum += pl_attention_weights_int(w + seg->first, scores + seg->first,
                                        seg->exp + pl_kv_layer_offset(seg, layer), &sm,
                                        positions_in(seg, n));
    }
    w[n] = 0; /* the partner of an odd last position */
    float scale = x->value_unit / (float)sum; /* sum >= the best's weight > 0 */
    float *xb = s->xb + (size_t)h * (size_t)hs;
    for (int32_t begin = 0; begin < n; begin += PL_MIX_SPAN) {
        int32_t end = n - begin > PL_MIX_SPAN ? begin + PL_MIX_SPAN : n;
        for (int32_t g = 0; g < kv->segments; g++) {
            const pl_kv_segment *seg = &kv->seg[g];
            /* lo - seg->first is even: spans and segments start on pairs */
            int32_t lo = begin > seg->first ? begin : seg->first;
            int32_t hi = seg->first + positions_in(seg, end);
            if (lo >= hi) continue;
            pl_attention_mix_int(acc, w + lo,
                                 head_values(x, seg, head_offset, (size_t)(lo - seg->first) / 2),
                                 2 * (size_t)kv_dim, hs, (hi - lo + 1) / 2);
        }
        for (int32_t i = 0; i < hs; i++) { /* acc is left zero for the next span or head */
            float sum_i = (float)acc[i] * scale;
            xb[i] = begin == 0 ? sum_i : xb[i] + sum_i;
            acc[i] = 0;
        }
    }
}

typedef struct {
    pl_transformer *t;
    int32_t layer, pos;
    const pl_tensor *wo;  /* compact: its input is quantized by the parts (NULL: not) */
    int32_t parts;        /* how many parts ran (set by part 0) */
} attention_task;

/* Query heads of part `part` of `parts` (the float cache). */
static void attention_share(const pl_config *c, int32_t part, int32_t parts, int32_t *begin,
                            int32_t *end)
{
    share(c->n_heads, 1, part, parts, begin, end);
}

/* The kv heads [begin, end) that part `part` of `parts` attends with
 * (compact cache: a part takes whole kv heads and their query heads): an
 * even split, as every head costs the same (kernels/attention.h). */
static void kv_head_share(const pl_config *c, int32_t part, int32_t parts, int32_t *begin,
                          int32_t *end)
{
    share(c->n_kv_heads, 1, part, parts, begin, end);
}

/* The dims of wo's input one kv head's query heads produce. */
static int32_t per_kv_dims(const attention_task *a)
{
    const pl_config *c = &a->t->cfg;
    return pl_head_size(c) * (c->n_heads / c->n_kv_heads);
}

/* The groups of wo's input that lie wholly in the outputs of kv heads
 * [begin, end): [*first, *last). */
static void groups_within(const attention_task *a, int32_t begin, int32_t end, int32_t *first,
                          int32_t *last)
{
    int32_t dims = per_kv_dims(a), group = a->wo->group;
    *first = (begin * dims + group - 1) / group;
    *last = end * dims / group;
}

/* The group of wo's input that two parts' heads share across the start of
 * part p's kv heads, or -1 when that start is a group boundary. */
static int32_t group_across(const attention_task *a, int32_t p, int32_t parts)
{
    int32_t dim = share_start(a->t->cfg.n_kv_heads, 1, p, parts) * per_kv_dims(a),
            group = a->wo->group;
    return dim % group ? dim / group : -1;
}

/* Compact cache: a part does all the work of its kv heads, so that core 0
 * has little of it left to do alone: RoPE of their queries, their keys and
 * values into the cache, the queries quantized (15 bits per head),
 * attention, then the groups of wo's input that lie in its heads' outputs
 * quantized. Every step is per head or per group, and the position's KV
 * exponents come from the whole (rotated) key and value in every part alike:
 * the same bits whichever part does what. */
static void attention_part_compact(attention_task *a, int32_t part, int32_t parts)
{
    pl_transformer *t = a->t;
    pl_run_state *s = &t->s;
    const pl_config *c = &t->cfg;
    int32_t hs = pl_head_size(c), per_kv = c->n_heads / c->n_kv_heads, begin, end;
    kv_head_share(c, part, parts, &begin, &end);
    if (begin < end) /* this part's kv heads into the cache at once (one exponent computation) */
        pl_kv_store_part(&s->kv, a->layer, a->pos, s->k_new, s->v_new, begin * hs, end * hs);
    for (int32_t h = begin * per_kv; h < end * per_kv; h++) rope_head(t, s->q + (size_t)h * hs);
    pl_qvec q = {s->q16, s->q16_scale, c->dim, hs, NULL, PL_PAIRS_Q8}; /* one call: its heads */
    pl_quantize_groups(&q, s->q, begin * per_kv, end * per_kv);
    attention_ctx x;
    attention_ctx_init(&x, t, a->layer, a->pos + 1, part);
    for (int32_t h = begin * per_kv; h < end * per_kv; h++) attention_head_compact(t, &x, h);
    if (a->wo && begin < end) { /* the groups of wo's input that are this part's alone */
        int32_t first, last;
        groups_within(a, begin, end, &first, &last);
        if (first < last) pl_quantize_groups(&s->xq, s->xb, first, last);
    }
}

static void attention_part(void *arg, int32_t part, int32_t parts)
{
    attention_task *a = arg;
    pl_transformer *t = a->t;
    if (part == 0) a->parts = parts;
    if (t->opt.kv == PL_KV_COMPACT) {
        attention_part_compact(a, part, parts);
        return;
    }
    int32_t begin, end;
    attention_share(&t->cfg, part, parts, &begin, &end);
    float *att = t->s.att + (size_t)part * (size_t)t->cfg.seq_len;
    for (int32_t h = begin; h < end; h++) attention_head_f32(t, a->layer, h, a->pos + 1, att);
}

/* Whether the parts can quantize wo's input as they finish their heads:
 * an int8 wo with Q8 pairs made group by group. */
static int parts_quantize_wo_input(const pl_transformer *t, const pl_tensor *wo)
{
    return t->opt.kv == PL_KV_COMPACT && !t->stream && wo->dtype == PL_DTYPE_Q8 &&
           wo->group % 4 == 0;
}

/* Attention of position pos in layer l; with the compact cache also the
 * queries' RoPE and the KV store. Returns whether t->s.xq now holds xb
 * quantized for wo. */
static int attention(pl_transformer *t, int32_t layer, int32_t pos, const pl_tensor *wo)
{
    attention_task a = {t, layer, pos, NULL, 1};
    if (parts_quantize_wo_input(t, wo)) {
        a.wo = wo;
        t->s.xq.order = PL_PAIRS_Q8;
        t->s.xq.n = wo->cols;
        t->s.xq.group = wo->group;
    }
    run_parts(t, attention_part, &a);
    if (!a.wo) return 0;
    for (int32_t p = 1, g, last = -1; p < a.parts; p++) /* groups two parts' heads share: here */
        if ((g = group_across(&a, p, a.parts)) > last) {
            pl_quantize_groups(&t->s.xq, t->s.xb, g, g + 1);
            last = g;
        }
    return 1;
}

/* ---- matrix products, in parts ------------------------------------------ */

static void add_into(float *x, const float *y, int32_t n)
{
    for (int32_t i = 0; i < n; i++) x[i] += y[i];
}

typedef struct {
    const pl_transformer *t;
    const float *x;
    const pl_qvec *xq;
    int32_t count;
    float *const *outs;
    const pl_tensor *const *ws;
    uint32_t run;       /* bit i set: this pass computes matrix i */
    int swiglu;         /* then outs[0] = swiglu(outs[0], outs[1]) over the rows done */
    float *residual;    /* not NULL: then residual += outs[0] over the rows done */
    const struct norm_job *norm; /* not NULL: then RMSNorm of residual's rows quantized */
    float *maxima;      /* not NULL: maxima[part] = max |outs[0]| over the rows done */
} matmul_task;

/* The most parts whose maxima matmul_shared collects for w2's input. */
#define MAX_PART_MAXIMA 4

/* The RMSNorm that follows a residual matmul, quantized for the matrices
 * after it (pl_quantize_normed): its weights, where the codes go, the
 * groups' sums of squares, and the codes' length, group and pair order
 * (kept here: with streamed weights out is t->s.xq, which the matmul before
 * the norm quantizes its own input into). */
typedef struct norm_job {
    const float *weight;
    pl_qvec *out;
    float *sums;
    int32_t n, group;
    pl_pair_order order;
} norm_job;

/* The job's codes made here, all groups at once: what its parts make. */
static void norm_serially(const norm_job *job, float *v, const float *x)
{
    job->out->order = job->order;
    pl_quantize_normed(job->out, v, x, job->weight, job->n, job->group, job->sums);
}

/* Whether the parts of the matmul before a norm can make its codes: not
 * into the matmul's own input t->s.xq, and only pairs made group by group
 * (Q8 order in groups of a multiple of 4: the parts' rows are then whole
 * groups). */
static int norm_in_parts(const pl_transformer *t, const pl_qvec *q)
{
    return q != &t->s.xq && q->order == PL_PAIRS_Q8 && q->group % 4 == 0;
}

/* x * sigmoid(x) * gate with the sigmoid interpolated linearly in
 * pl_sigmoid_table (within 1.2e-5 of it; the result is quantized to 15
 * bits of the vector's largest value next) at |x|, taken as the last
 * entry from 16 on; silu(x) = min(x, 0) + |x| sigmoid(|x|), as
 * sigmoid(-a) = 1 - sigmoid(a). About twenty instructions, no branch,
 * instead of an exponential and a division. */
static inline __attribute__((always_inline)) float silu_gate_table(float x, float gate)
{
    float a = __builtin_fabsf(x);
    float t = __builtin_fminf(a * (float)PL_SIGMOID_STEPS_PER_UNIT,
                              (float)(PL_SIGMOID_ENTRIES - 1) - 0.5f);
    int32_t i = (int32_t)t;               /* 0 <= t < last (fminf drops a nan x) */
    float f = t - __builtin_truncf(t);    /* VRINTZ: no trip through a core register */
    float lo = pl_sigmoid_table[i], s = lo + f * (pl_sigmoid_table[i + 1] - lo);
    return (__builtin_fminf(x, 0.0f) + a * s) * gate;
}

/* SwiGLU: hb = silu(hb) * hb2. */
static void swiglu(const pl_transformer *t, float *hb, const float *hb2, int32_t n)
{
    int32_t i = 0;
    if (t->opt.fast_math) {
        for (; i + 2 <= n; i += 2) {
            float a = silu_gate_table(hb[i], hb2[i]);
            float b = silu_gate_table(hb[i + 1], hb2[i + 1]);
            hb[i] = a;
            hb[i + 1] = b;
        }
        if (i < n) hb[i] = silu_gate_table(hb[i], hb2[i]);
        return;
    }
    for (; i < n; i++) {
        float val = hb[i];
        val *= (1.0f / (1.0f + pl_expf(-val)));
        val *= hb2[i];
        hb[i] = val;
    }
}

static void matmul_part(void *arg, int32_t part, int32_t parts)
{
    const matmul_task *m = arg;
    int32_t begin = 0, end = 0;
    int32_t unit = m->norm ? m->norm->out->group : 4; /* a multiple of 4 (norm_in_parts) */
    int32_t rows = -1;
    for (int32_t i = 0; i < m->count; i++) {
        if (!(m->run >> i & 1)) continue;
        if (m->ws[i]->rows != rows) { /* wk and wv: the same share */
            rows = m->ws[i]->rows;
            share(rows, unit, part, parts, &begin, &end);
        }
        pl_matmul_rows(m->outs[i], m->x, m->xq, m->ws[i], begin, end);
    }
    if (m->swiglu) swiglu(m->t, m->outs[0] + begin, m->outs[1] + begin, end - begin);
    if (m->maxima) m->maxima[part] = pl_max_abs(m->outs[0] + begin, end - begin);
    if (m->residual)
        for (int32_t i = begin; i < end; i++) m->residual[i] += m->outs[0][i];
    if (m->norm) /* the next RMSNorm's groups over these rows, quantized; outs[0] is free now */
        pl_quantize_normed_groups(m->norm->out, m->outs[0], m->residual, m->norm->weight,
                                  begin / unit, end / unit, m->norm->sums);
}

/* The SIMD pair order of a quantized matrix's input. */
static pl_pair_order pair_order_of(const pl_tensor *w)
{
    return w->dtype == PL_DTYPE_Q4 ? PL_PAIRS_Q4 : PL_PAIRS_Q8;
}

/* t->s.xq = x quantized for w (its group; SIMD pairs in its order). */
static void quantize_input(pl_transformer *t, const float *x, const pl_tensor *w)
{
    t->s.xq.order = pair_order_of(w);
    pl_quantize_activations(&t->s.xq, x, w->cols, w->group);
}

typedef struct {
    pl_qvec *out;
    const float *x;
    float max_abs;
} one_group_task;

static void one_group_part(void *arg, int32_t part, int32_t parts)
{
    const one_group_task *q = arg;
    int32_t begin, end;
    share(q->out->n, 4, part, parts, &begin, &end);
    if (!pl_quantize_activations_max_part(q->out, q->x, q->max_abs, begin, end) && part == 0)
        pl_quantize_activations_max(q->out, q->x, q->out->n, q->max_abs); /* not piece by piece */
}

/* t->s.xq = x quantized for w in one group of w->cols values, whose
 * largest magnitude max_abs is known: in parts (a pass of the cores
 * costs less than the codes of 172 values on one core). */
static void quantize_one_group(pl_transformer *t, const float *x, const pl_tensor *w,
                               float max_abs)
{
    one_group_task q = {&t->s.xq, x, max_abs};
    q.out->order = pair_order_of(w);
    q.out->n = w->cols;
    q.out->group = w->cols;
    run_parts(t, one_group_part, &q);
}

/* Whether w is quantized in one group per row, so that its input's scale
 * comes from the input's maximum alone (stories260K's w2: 172 columns,
 * no group length that divides them). */
static int one_group_rows(const pl_tensor *w)
{
    return w->dtype != PL_DTYPE_F32 && w->group == w->cols;
}

/* ---- streamed weights (pl_weight_stream) ------------------------------- */

void pl_tensor_rows_span(const pl_tensor *w, int32_t begin, int32_t end, const void **data,
                         size_t *data_bytes, const void **scales, size_t *scale_bytes)
{
    int32_t n = end - begin, cols = w->cols, group = w->group;
    const uint8_t *d = w->data, *sc = w->scales;
    if (w->dtype == PL_DTYPE_F32) {
        *data = d + (size_t)begin * (size_t)cols * sizeof(float);
        *data_bytes = (size_t)n * (size_t)cols * sizeof(float);
        *scales = NULL;
        *scale_bytes = 0;
        return;
    }
    int q4 = w->dtype == PL_DTYPE_Q4; /* q4: cols is even, so rows start on bytes */
    *data = d + (q4 ? pl_q4_data_bytes(begin, cols) : pl_q8_data_bytes(begin, cols));
    *data_bytes = q4 ? pl_q4_data_bytes(n, cols) : pl_q8_data_bytes(n, cols);
    *scales = sc + (q4 ? pl_q4_scale_bytes(begin, cols, group) : pl_q8_scale_bytes(begin, cols, group));
    *scale_bytes = q4 ? pl_q4_scale_bytes(n, cols, group) : pl_q8_scale_bytes(n, cols, group);
}

/* Data + scale bytes of four rows of a quantized matrix (0 for f32: never
 * streamed). */
static size_t four_rows_bytes(const pl_tensor *w)
{
    if (w->dtype == PL_DTYPE_F32) return 0;
    const void *d, *sc;
    size_t data_bytes, scale_bytes;
    pl_tensor_rows_span(w, 0, 4, &d, &data_bytes, &sc, &scale_bytes);
    return data_bytes + scale_bytes;
}

/* Rows of w in one tile of at most tile_bytes: a multiple of four, at
 * least four (pl_stream_min_tile_bytes tells whether four fit). */
static int32_t tile_rows(const pl_tensor *w, size_t tile_bytes)
{
    size_t blocks = tile_bytes / four_rows_bytes(w);
    if (blocks < 1) blocks = 1;
    if (blocks > (size_t)(w->rows + 3) / 4) blocks = (size_t)(w->rows + 3) / 4;
    return (int32_t)blocks * 4;
}

size_t pl_stream_min_tile_bytes(const pl_transformer *t)
{
    size_t most = four_rows_bytes(&t->w.classifier);
    for (int32_t l = 0; l < t->cfg.n_layers; l++) {
        const pl_layer_weights *L = &t->w.layers[l];
        const pl_tensor *all[7] = {&L->wq, &L->wk, &L->wv, &L->wo, &L->w1, &L->w2, &L->w3};
        for (int i = 0; i < 7; i++) {
            size_t b = four_rows_bytes(all[i]);
            most = b > most ? b : most;
        }
    }
    return most;
}

/* The matrix the forward pass multiplies after w (see pl_weight_stream). */
static const pl_tensor *next_matrix(const pl_transformer *t, const pl_tensor *w)
{
    const pl_weights *W = &t->w;
    if (w == &W->classifier || w == &W->embedding) return &W->layers[0].wq;
    for (int32_t l = 0; l < t->cfg.n_layers; l++) {
        const pl_layer_weights *L = &W->layers[l];
        const pl_tensor *order[7] = {&L->wq, &L->wk, &L->wv, &L->wo, &L->w1, &L->w3, &L->w2};
        for (int i = 0; i < 6; i++)
            if (w == order[i]) return order[i + 1];
        if (w == &L->w2) return l + 1 < t->cfg.n_layers ? &W->layers[l + 1].wq : &W->classifier;
    }
    return NULL;
}

/* Announces the tile after rows [.., end) of w. */
static void prefetch_after(const pl_transformer *t, const pl_tensor *w, int32_t end)
{
    const pl_weight_stream *st = t->stream;
    if (end >= w->rows) { /* the next quantized matrix (f32 ones are not streamed) */
        end = 0;
        int32_t left = 7 * t->cfg.n_layers + 1;
        do w = next_matrix(t, w);
        while (w && w->dtype == PL_DTYPE_F32 && --left > 0);
        if (!w || w->dtype == PL_DTYPE_F32) return;
    }
    int32_t rows = tile_rows(w, st->tile_bytes);
    st->prefetch(st->ctx, w, end, end + rows < w->rows ? end + rows : w->rows);
}

/* out = w x, tile by tile through t->stream; x is quantized in t->s.xq. */
static void matmul_streamed(pl_transformer *t, const float *x, float *out, const pl_tensor *w)
{
    const pl_weight_stream *st = t->stream;
    int32_t rows = tile_rows(w, st->tile_bytes);
    for (int32_t begin = 0; begin < w->rows; begin += rows) {
        int32_t end = begin + rows < w->rows ? begin + rows : w->rows;
        if (t->yield && begin > 0) t->yield(t->yield_ctx); /* a large matrix takes long */
        pl_tensor tile = st->fetch(st->ctx, w, begin, end);
        prefetch_after(t, w, end);
        float *tile_out = out + begin;
        const pl_tensor *tw = &tile;
        matmul_task m = {t, x, &t->s.xq, 1, &tile_out, &tw, 1, 0, NULL, NULL, NULL};
        run_parts(t, matmul_part, &m);
    }
}

/* Whether two quantized matrices take their input quantized alike: the
 * same group length and type. */
static int same_kind(const pl_tensor *a, const pl_tensor *b)
{
    return a->group == b->group && a->dtype == b->dtype;
}

/* matmul_shared with t->stream: quantized matrices tile by tile, f32
 * ones in place; SwiGLU, the residual and the norm follow them. */
static void matmul_shared_streamed(pl_transformer *t, const float *x, int32_t count,
                                   float *const *outs, const pl_tensor *const *ws,
                                   int with_swiglu, const pl_qvec *in_q, float *residual,
                                   const norm_job *norm)
{
    const pl_tensor *last = NULL;
    for (int32_t i = 0; i < count; i++) {
        if (ws[i]->dtype == PL_DTYPE_F32) {
            matmul_task m = {t, x, &t->s.xq, 1, &outs[i], &ws[i], 1, 0, NULL, NULL, NULL};
            run_parts(t, matmul_part, &m);
            continue;
        }
        if (!last || !same_kind(ws[i], last))
            if (!(in_q && !last)) quantize_input(t, x, ws[i]); /* (in_q is t->s.xq here) */
        last = ws[i];
        matmul_streamed(t, x, outs[i], ws[i]);
    }
    if (with_swiglu) swiglu(t, outs[0], outs[1], ws[0]->rows);
    if (residual) add_into(residual, outs[0], ws[0]->rows);
    if (norm) norm_serially(norm, outs[0], residual);
}

/* The matrices of the next pass among those not done (bits of done):
 * the f32 ones and the quantized ones of the first one's group and type
 * (one pass in practice: the packer gives matrices of one input the same
 * group and type). Sets *first to that first quantized matrix (it sets how
 * the pass's input is quantized), or NULL when the pass is floats only. */
static uint32_t next_pass(const pl_tensor *const *ws, int32_t count, uint32_t done,
                          const pl_tensor **first)
{
    *first = NULL;
    for (int32_t i = 0; i < count && !*first; i++)
        if (!(done >> i & 1) && ws[i]->dtype != PL_DTYPE_F32) *first = ws[i];
    uint32_t run = 0;
    for (int32_t i = 0; i < count; i++)
        if (!(done >> i & 1) && (ws[i]->dtype == PL_DTYPE_F32 || same_kind(ws[i], *first)))
            run |= 1u << i;
    return run;
}

/* One pass of matmul_shared: outs[i] = ws[i] x for the matrices of run,
 * x quantized already in in_q (f32 matrices read x). `all`: the pass does
 * every matrix, so its parts can also apply SwiGLU (with_swiglu), find
 * its maximum (swiglu_max), add into residual (one matrix) and make the
 * norm's codes. Returns whether they made the norm's codes. */
static int matmul_pass(pl_transformer *t, const float *x, const pl_qvec *in_q, int32_t count,
                       float *const *outs, const pl_tensor *const *ws, uint32_t run,
                       int all, int with_swiglu, float *residual, const norm_job *norm,
                       float *swiglu_max)
{
    int32_t parts = t->parallel && t->opt.parts > 1 ? t->opt.parts : 1;
    const norm_job *fused = all && norm && norm_in_parts(t, norm->out) ? norm : NULL;
    float maxima[MAX_PART_MAXIMA];
    int find_max = swiglu_max && with_swiglu && all && parts <= MAX_PART_MAXIMA;
    matmul_task m = {t, x, in_q, count, outs, ws, run, with_swiglu && all,
                     all && count == 1 ? residual : NULL, fused, find_max ? maxima : NULL};
    for (int32_t p = 0; p < parts && find_max; p++) maxima[p] = 0.0f; /* parts given no rows */
    run_parts(t, matmul_part, &m);
    if (find_max) { /* exact in any order: pl_max_abs of all the rows */
        *swiglu_max = maxima[0];
        for (int32_t p = 1; p < parts; p++) *swiglu_max = __builtin_fmaxf(*swiglu_max, maxima[p]);
    }
    if (residual && count == 1 && !all) add_into(residual, outs[0], ws[0]->rows);
    if (fused) pl_quantize_normed_finish(norm->out, norm->sums);
    return fused != NULL;
}

/* outs[i] = ws[i] x for matrices sharing the input x. The input is
 * quantized once per group length and type among the quantized ones (one
 * pass in practice: the packer gives matrices of one input the same group
 * and type). With with_swiglu (two matrices of the same rows: w1 and w3),
 * each part also applies SwiGLU to its rows once both are done. With t->stream, quantized
 * matrices go tile by tile instead, and SwiGLU follows them. */
static void matmul_shared(pl_transformer *t, const float *x, int32_t count, float *const *outs,
                          const pl_tensor *const *ws, int with_swiglu, const pl_qvec *in_q,
                          float *residual, const norm_job *norm, float *swiglu_max)
{
    if (swiglu_max) *swiglu_max = -1.0f; /* none: set below when the parts find it */
    if (t->yield) t->yield(t->yield_ctx);
    if (t->observer) t->observer(t->observer_ctx, ws, count, x);
    if (t->stream) {
        matmul_shared_streamed(t, x, count, outs, ws, with_swiglu, in_q, residual, norm);
        return;
    }
    uint32_t done = 0, every = (1u << count) - 1;
    int passes = 0;
    for (; done != every; passes++) {
        const pl_tensor *first;
        uint32_t run = next_pass(ws, count, done, &first);
        done |= run;
        if (first && !(in_q && passes == 0)) quantize_input(t, x, first);
        if (matmul_pass(t, x, in_q && passes == 0 ? in_q : &t->s.xq, count, outs, ws, run,
                        done == every && passes == 0, with_swiglu, residual, norm, swiglu_max))
            norm = NULL;
    }
    if (with_swiglu && passes > 1) swiglu(t, outs[0], outs[1], ws[0]->rows);
    if (norm) norm_serially(norm, outs[0], residual); /* not in the parts: the same arithmetic */
}

/* The matrices that take one RMSNorm's output. */
typedef struct {
    const pl_tensor *w[3];
    int32_t count;
} matrix_set;

static matrix_set attention_inputs(const pl_transformer *t, int32_t l)
{
    const pl_layer_weights *L = &t->w.layers[l];
    matrix_set m = {{&L->wq, &L->wk, &L->wv}, 3};
    return m;
}

/* Whether RMSNorm's output for the matrices m goes straight into a
 * quantized vector (pl_quantize_normed) instead of floats: with the fast
 * precisions, when they are all quantized alike over dim in groups of at
 * least 8 (t->s.xq_next's room) and no observer wants the floats. It depends on the model and
 * the options only, not on the parts or the streaming, so the board and
 * the host compute the same. */
static int norm_quantizes(const pl_transformer *t, const matrix_set *m)
{
    const pl_tensor *w = m->w[0];
    if (!t->opt.fast_math || t->observer || w->dtype == PL_DTYPE_F32) return 0;
    for (int32_t i = 1; i < m->count; i++)
        if (m->w[i]->dtype != w->dtype || m->w[i]->group != w->group) return 0;
    return w->cols == t->cfg.dim && w->group >= 8 && t->cfg.dim % w->group == 0;
}

/* The job of the RMSNorm of t->s.x with weight for the matrices m into
 * *job, or NULL when it stays in floats (norm_quantizes). Its codes go to
 * t->s.xq_next, which the parts of the matmul before it can fill while
 * that matmul reads t->s.xq; with streamed weights to t->s.xq (the
 * streamed matmul quantizes there; the norm then follows the matmul). */
static const norm_job *prepare_norm(pl_transformer *t, const float *weight, const matrix_set *m,
                                    norm_job *job)
{
    if (!norm_quantizes(t, m)) return NULL;
    job->weight = weight;
    job->out = t->stream ? &t->s.xq : &t->s.xq_next;
    job->sums = t->s.norm_sums;
    job->n = t->cfg.dim;
    job->group = m->w[0]->group;
    job->order = pair_order_of(m->w[0]);
    if (job->out == &t->s.xq_next) { /* no one else's: the parts can fill it (norm_in_parts) */
        job->out->n = job->n;
        job->out->group = job->group;
        job->out->order = job->order;
    }
    return job;
}

/* RMSNorm of t->s.x with weight for the matrices m, when no matmul comes
 * before it: quantized (returned), or NULL: the caller normalizes in
 * floats. */
static const pl_qvec *normed_input(pl_transformer *t, const float *weight, const matrix_set *m)
{
    norm_job job;
    if (!prepare_norm(t, weight, m, &job)) return NULL;
    norm_serially(&job, t->s.xb, t->s.x);
    return job.out;
}

/* x += w in, the addition done by each part for its rows (in_q: in
 * already quantized there); then the RMSNorm of x with weight for the
 * matrices next, quantized by the parts for their rows where they can,
 * and returned; NULL: the caller normalizes in floats. */
static const pl_qvec *matmul_residual(pl_transformer *t, float *x, float *out, const float *in,
                                      const pl_tensor *w, const pl_qvec *in_q,
                                      const float *weight, const matrix_set *next)
{
    norm_job job;
    const norm_job *norm = prepare_norm(t, weight, next, &job);
    matmul_shared(t, in, 1, &out, &w, 0, in_q, x, norm, NULL);
    return norm ? norm->out : NULL;
}

/* Layer l at position pos; in: its attention input (RMSNorm) quantized,
 * or NULL. Returns the next layer's (or the classifier's) likewise. */
static const pl_qvec *layer_forward(pl_transformer *t, int32_t l, int32_t pos, const pl_qvec *in)
{
    const pl_layer_weights *L = &t->w.layers[l];
    pl_run_state *s = &t->s;
    float *k = s->k_new, *v = s->v_new;
    if (t->opt.kv == PL_KV_F32) { /* straight into the cache, as run.c */
        k = pl_kv_key_f32(&s->kv, l, pos);
        v = pl_kv_value_f32(&s->kv, l, pos);
    }

    if (!in) rmsnorm_of(t, s->xb, s->x, L->rms_att);
    float *const qkv_out[3] = {s->q, k, v};
    matrix_set qkv = attention_inputs(t, l);
    matmul_shared(t, s->xb, 3, qkv_out, qkv.w, 0, in, NULL, NULL, NULL);
    if (t->opt.kv == PL_KV_F32) {
        rope_apply(t, s->q, k);
    } else { /* the keys here (every part needs them all for the exponent), queries in the parts */
        for (int32_t h = 0; h < t->cfg.n_kv_heads; h++) rope_head(t, k + (size_t)h * pl_head_size(&t->cfg));
    }
    int quantized = attention(t, l, pos, &L->wo);
    matrix_set ffn = {{&L->w1, &L->w3}, 2};
    in = matmul_residual(t, s->x, s->xb2, s->xb, &L->wo, quantized ? &s->xq : NULL, L->rms_ffn,
                         &ffn);

    if (!in) rmsnorm_of(t, s->xb, s->x, L->rms_ffn);
    float *const ffn_out[2] = {s->hb, s->hb2};
    /* w2's input in one group: its maximum from the parts, which find it
     * as they make their rows (only then: other models' w2 does not use it) */
    float hidden_max = -1.0f;
    matmul_shared(t, s->xb, 2, ffn_out, ffn.w, 1, in, NULL, NULL,
                  one_group_rows(&L->w2) ? &hidden_max : NULL);
    const pl_qvec *w2_in = NULL;
    if (hidden_max >= 0.0f) {
        quantize_one_group(t, s->hb, &L->w2, hidden_max);
        w2_in = &s->xq;
    }
    int last = l + 1 == t->cfg.n_layers;
    matrix_set next = last ? (matrix_set){{&t->w.classifier}, 1} : attention_inputs(t, l + 1);
    return matmul_residual(t, s->x, s->xb, s->hb, &L->w2, w2_in,
                           last ? t->w.rms_final : t->w.layers[l + 1].rms_att, &next);
}

float *pl_forward(pl_transformer *t, int32_t token, int32_t pos)
{
    const pl_config *c = &t->cfg;
    if (token < 0 || token >= c->vocab_size || pos < 0 || pos >= c->seq_len) return NULL;
    pl_tensor_row(&t->w.embedding, token, t->s.x);
    rope_prepare(t, pos);
    matrix_set first = attention_inputs(t, 0);
    const pl_qvec *in = normed_input(t, t->w.layers[0].rms_att, &first);
    for (int32_t l = 0; l < c->n_layers; l++) in = layer_forward(t, l, pos, in);
    const pl_tensor *cls = &t->w.classifier;
    if (!in) rmsnorm_of(t, t->s.x, t->s.x, t->w.rms_final);
    matmul_shared(t, t->s.x, 1, &t->s.logits, &cls, 0, in, NULL, NULL, NULL);
    return t->s.logits;
}
