/* transformer.c - Llama-2 forward pass, one position at a time.
 *
 * With the reference options it follows llama2.c's run.c step by step (same
 * operations in the same order, so the same floats come out); the only
 * departures are where the result is unchanged: RoPE sines/cosines computed
 * once per position instead of once per head, matmuls that work on several
 * rows at once, work split by whole rows and heads across cores.
 *
 * The fast options trade the last bits for speed the same way everywhere:
 * a compact KV cache (kv_cache.h) whose attention is integer dot products
 * (kernels/attention.h), and pl_expf_fast.
 */
#include "transformer.h"

#include <string.h>

#include "kernels/attention.h"
#include "kernels/matmul.h"
#include "plmath.h"

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
    s.att = take_floats(a, parts * seq);
    s.logits = take_floats(a, (uint64_t)c->vocab_size);
    s.q16 = compact ? arena_take(a, dim * sizeof(int16_t)) : NULL;
    s.q16_scale = compact ? take_floats(a, heads) : NULL;
    s.mix = compact ? arena_take(a, parts * seq * sizeof(uint32_t)) : NULL;
    s.acc = compact ? arena_take(a, parts * half_head * 2 * sizeof(int32_t)) : NULL;
    s.kept = compact ? arena_take(a, (uint64_t)c->n_layers * heads * sizeof(int32_t)) : NULL;
    s.rope_freq = take_floats(a, half_head);
    s.rope_cos = take_floats(a, half_head);
    s.rope_sin = take_floats(a, half_head);
    uint64_t widest = hidden > dim ? hidden : dim;
    s.xq.q = arena_take(a, widest * sizeof(int16_t));
    s.xq.pairs = arena_take(a, widest * sizeof(int16_t));
    s.xq.scales = take_floats(a, widest);
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
    int32_t units = (n + unit - 1) / unit;
    int32_t first = units / parts * part + units % parts * part / parts;
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
    ss /= size;
    ss += 1e-5f;
    ss = 1.0f / pl_sqrtf(ss);
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
    float ss = (s0 + s1) + (s2 + s3);
    ss /= size;
    ss += 1e-5f;
    ss = 1.0f / pl_sqrtf(ss);
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

/* Compact cache: positions whose score is this far below the head's best
 * get no weight (e^-10 is about one 15-bit step; most of a long context's
 * positions fall below it, and skipping them costs no measurable
 * agreement: docs/performance.md). */
#define ATTENTION_CUTOFF 10.0f

/* Head h against the compact cache: integer scores; softmax numerators
 * of the positions within ATTENTION_CUTOFF of the best score only, times
 * their value scales; then an integer weighted sum of the values of those
 * positions with 15-bit weights (one scale for the head), normalised at
 * the end. Returns how many positions took part. */
static int32_t attention_head_compact(pl_transformer *t, int32_t layer, int32_t h, int32_t n,
                                      int32_t part)
{
    const pl_config *c = &t->cfg;
    pl_run_state *s = &t->s;
    const pl_kv_cache *kv = &s->kv;
    int32_t hs = pl_head_size(c), kv_dim = pl_kv_dim(c);
    size_t head_offset = (size_t)(h / (c->n_heads / c->n_kv_heads)) * (size_t)hs;
    float *att = s->att + (size_t)part * (size_t)c->seq_len;
    uint32_t *mix = s->mix + (size_t)part * (size_t)c->seq_len;
    int32_t *acc = s->acc + (size_t)part * (size_t)hs;
    float q_factor = s->q16_scale[h] / pl_sqrtf((float)hs), best = 0.0f;
    for (int32_t g = 0; g < kv->segments && positions_in(&kv->seg[g], n) > 0; g++) {
        const pl_kv_segment *seg = &kv->seg[g];
        size_t first = pl_kv_layer_offset(seg, layer);
        float b = pl_attention_scores_int(
            att + seg->first, s->q16 + (size_t)h * hs,
            (const int16_t *)seg->keys + first * (size_t)kv_dim + head_offset, (size_t)kv_dim,
            seg->key_scale + first, q_factor, hs, positions_in(seg, n));
        best = g == 0 ? b : __builtin_fmaxf(best, b);
    }
    float sum = 0.0f, pmax = 0.0f;
    int32_t seg_end[2] = {0, 0}, count = 0;
    for (int32_t g = 0; g < kv->segments && positions_in(&kv->seg[g], n) > 0; g++) {
        const pl_kv_segment *seg = &kv->seg[g];
        count += pl_attention_weights(att + seg->first,
                                      seg->value_scale + pl_kv_layer_offset(seg, layer),
                                      positions_in(seg, n), best, best - ATTENTION_CUTOFF,
                                      att + count, mix + count, &sum, &pmax);
        seg_end[g] = count;
    }
    float inv = pmax > 0.0f ? PL_ACT_MAX / pmax : 0.0f, scale = (pmax / PL_ACT_MAX) / sum;
    /* int32 sums over at most PL_MIX_SPAN entries, added up as floats */
    float *xb = s->xb + (size_t)h * (size_t)hs;
    memset(xb, 0, (size_t)hs * sizeof(float));
    for (int32_t begin = 0; begin < count; begin += PL_MIX_SPAN) {
        int32_t end = count - begin > PL_MIX_SPAN ? begin + PL_MIX_SPAN : count;
        memset(acc, 0, (size_t)hs * sizeof(int32_t));
        for (int32_t g = 0, lo = 0; g < kv->segments; lo = seg_end[g++]) {
            const pl_kv_segment *seg = &kv->seg[g];
            int32_t a = begin > lo ? begin : lo, b = end < seg_end[g] ? end : seg_end[g];
            if (a >= b) continue;
            size_t row = pl_kv_layer_offset(seg, layer) * (size_t)kv_dim + head_offset;
            pl_attention_mix_int(acc, mix + a, att + a, inv, b - a,
                                 (const int8_t *)seg->values + row, (size_t)kv_dim, hs);
        }
        for (int32_t i = 0; i < hs; i++) xb[i] += (float)acc[i] * scale;
    }
    return count;
}

typedef struct {
    pl_transformer *t;
    int32_t layer, pos;
    const pl_tensor *wo;  /* compact: its input is quantized by the parts (NULL: not) */
    int32_t parts;        /* how many parts ran (set by part 0) */
    uint32_t part0_heads; /* compact, two parts: the kv heads part 0 takes (bit per head) */
} attention_task;

/* Query heads of part `part` of `parts` (the float cache). */
static void attention_share(const pl_config *c, int32_t part, int32_t parts, int32_t *begin,
                            int32_t *end)
{
    share(c->n_heads, 1, part, parts, begin, end);
}

/* The part that attends with kv head kvh (compact cache: a part takes whole
 * kv heads and their query heads): with two parts as part0_heads says,
 * else an even split. */
static int32_t kv_head_part(const attention_task *a, int32_t kvh, int32_t parts)
{
    if (parts == 1) return 0;
    if (parts == 2 && a->part0_heads) return (a->part0_heads >> kvh) & 1 ? 0 : 1;
    int32_t n = a->t->cfg.n_kv_heads;
    for (int32_t p = 0; p < parts; p++)
        if (kvh < share_start(n, 1, p + 1, parts)) return p;
    return parts - 1;
}

/* The part whose heads produce all of group g of wo's input, or -1 when
 * two parts share it. */
static int32_t group_part(const attention_task *a, int32_t g, int32_t parts)
{
    const pl_config *c = &a->t->cfg;
    int32_t per_kv_dims = pl_head_size(c) * (c->n_heads / c->n_kv_heads), group = a->wo->group;
    int32_t first = g * group / per_kv_dims, last = ((g + 1) * group - 1) / per_kv_dims;
    int32_t p = kv_head_part(a, first, parts);
    for (int32_t kvh = first + 1; kvh <= last; kvh++)
        if (kv_head_part(a, kvh, parts) != p) return -1;
    return p;
}

/* Compact cache: a part does all the work of its kv heads, so that core 0
 * has little of it left to do alone: RoPE of their queries, their keys and
 * values into the cache, the queries quantized (15 bits per head),
 * attention, then the groups of wo's input that lie in its heads' outputs
 * quantized. Every step is per head or per group, and the position's KV
 * scales come from the whole (rotated) key and value in every part alike:
 * the same bits whichever part does what. */
static void attention_part_compact(attention_task *a, int32_t part, int32_t parts)
{
    pl_transformer *t = a->t;
    pl_run_state *s = &t->s;
    const pl_config *c = &t->cfg;
    int32_t hs = pl_head_size(c), per_kv = c->n_heads / c->n_kv_heads;
    for (int32_t kvh = 0, run = 0; kvh < c->n_kv_heads; kvh++) {
        if (kv_head_part(a, kvh, parts) != part) continue;
        /* a run of this part's kv heads into the cache at once (one scale computation) */
        if (kvh >= run) {
            for (run = kvh + 1; run < c->n_kv_heads && kv_head_part(a, run, parts) == part; run++) {
            }
            pl_kv_store_part(&s->kv, a->layer, a->pos, s->k_new, s->v_new, kvh * hs, run * hs);
        }
        for (int32_t h = kvh * per_kv; h < (kvh + 1) * per_kv; h++) {
            rope_head(t, s->q + (size_t)h * hs);
            pl_qvec q = {s->q16, s->q16_scale, c->dim, hs, NULL, PL_PAIRS_Q8};
            pl_quantize_groups(&q, s->q, h, h + 1);
            s->kept[a->layer * c->n_heads + h] = attention_head_compact(t, a->layer, h, a->pos + 1, part);
        }
    }
    if (a->wo)
        for (int32_t g = 0; g < a->wo->cols / a->wo->group; g++)
            if (group_part(a, g, parts) == part) pl_quantize_groups(&s->xq, s->xb, g, g + 1);
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

/* Modelled cost of a head's attention (device cycles, roughly): every
 * position is scored and scanned, those kept get an exponential and a
 * weighted sum; a group of wo's input whose heads two parts share is
 * quantized on core 0 alone after them. */
#define COST_PER_POSITION 30
#define COST_PER_KEPT 52
#define COST_SHARED_GROUP(group) (8 * (group) + 160)

/* How many groups of wo's input (groups_kv[g]: the bits of their kv heads)
 * part 0 shares with part 1 when it takes the kv heads of mask m. */
static int32_t shared_groups(const uint32_t *groups_kv, int32_t groups, uint32_t m)
{
    int32_t shared = 0;
    for (int32_t g = 0; g < groups; g++)
        shared += (m & groups_kv[g]) != 0 && (m & groups_kv[g]) != groups_kv[g];
    return shared;
}

/* Which kv heads part 0 of two should take so that both parts' attention
 * costs about the same, from how many positions each head kept at the
 * previous position (a head's cost moves slowly from one position to the
 * next; which part attends with which head changes no result): the least
 * of the imbalance plus twice the serial work it leaves (elapsed time =
 * half the imbalance + the serial work), every split tried, the even
 * split first (kept on ties). 0: the even split (the first
 * position, or too many kv heads to try every way). */
static uint32_t balanced_part0_heads(const pl_transformer *t, int32_t layer, int32_t n,
                                     const pl_tensor *wo)
{
    const pl_config *c = &t->cfg;
    int32_t kv_heads = c->n_kv_heads, per_kv = c->n_heads / kv_heads;
    if (!t->parallel || t->opt.parts < 2 || kv_heads < 2 || kv_heads > 8 || n < 2) return 0;
    int32_t cost[8], total = 0, hs = pl_head_size(c);
    for (int32_t kvh = 0; kvh < kv_heads; kvh++) {
        cost[kvh] = 0;
        for (int32_t h = kvh * per_kv; h < (kvh + 1) * per_kv; h++)
            cost[kvh] += COST_PER_POSITION * n + COST_PER_KEPT * t->s.kept[layer * c->n_heads + h];
        total += cost[kvh];
    }
    /* the kv heads of each group of wo's input (when the parts quantize it) */
    uint32_t groups_kv[8];
    int32_t groups = 0, shared_cost = 0;
    if (wo && wo->cols / wo->group <= 8) {
        groups = wo->cols / wo->group;
        shared_cost = 2 * COST_SHARED_GROUP(wo->group);
        for (int32_t g = 0; g < groups; g++) {
            int32_t first = g * wo->group / (hs * per_kv);
            int32_t last = ((g + 1) * wo->group - 1) / (hs * per_kv);
            groups_kv[g] = ((2u << last) - 1) & ~((1u << first) - 1);
        }
    }
    uint32_t full = (1u << kv_heads) - 1, even = (1u << (uint32_t)share_start(kv_heads, 1, 1, 2)) - 1;
    uint32_t best = even;
    int32_t best_score = INT32_MAX;
    /* part 0 keeps kv head 0 (a split and its mirror image cost the same):
     * the odd masks, the even split first */
    for (uint32_t k = 0; k <= full / 2; k++) {
        uint32_t m = k == 0 ? even : (2 * k - 1) | 1u;
        if (k > 0 && (m == even || m == full)) continue;
        int32_t part0 = 0;
        for (uint32_t bits = m; bits; bits &= bits - 1) part0 += cost[__builtin_ctz(bits)];
        int32_t gap = 2 * part0 - total;
        int32_t score = (gap < 0 ? -gap : gap) + shared_cost * shared_groups(groups_kv, groups, m);
        if (score < best_score) {
            best_score = score;
            best = m;
        }
    }
    return best;
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
    attention_task a = {t, layer, pos, NULL, 1, 0};
    int parts_quantize = parts_quantize_wo_input(t, wo);
    if (t->opt.kv == PL_KV_COMPACT)
        a.part0_heads = balanced_part0_heads(t, layer, pos + 1, parts_quantize ? wo : NULL);
    if (parts_quantize) {
        a.wo = wo;
        t->s.xq.order = PL_PAIRS_Q8;
        t->s.xq.n = wo->cols;
        t->s.xq.group = wo->group;
    }
    run_parts(t, attention_part, &a);
    if (!a.wo) return 0;
    for (int32_t g = 0; g < wo->cols / wo->group; g++) /* groups two parts' heads share: here */
        if (group_part(&a, g, a.parts) < 0) pl_quantize_groups(&t->s.xq, t->s.xb, g, g + 1);
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
    const uint8_t *run; /* which of the matrices this pass computes */
    int swiglu;         /* then outs[0] = swiglu(outs[0], outs[1]) over the rows done */
    float *residual;    /* not NULL: then residual += outs[0] over the rows done */
} matmul_task;

/* x * sigmoid(x) * gate with pl_expf_fast: the exponent clamped to
 * [-86, 88] (VMAXNM/VMINNM, no branches; beyond it sigmoid is 0 or 1 to
 * float precision anyway), two values per step so their polynomials
 * overlap in the FPU. */
static inline __attribute__((always_inline)) float silu_gate_fast(float x, float gate)
{
    float e = pl_expf_fast_in_range(__builtin_fminf(__builtin_fmaxf(-x, -86.0f), 88.0f));
    return x * (1.0f / (1.0f + e)) * gate;
}

/* SwiGLU: hb = silu(hb) * hb2. */
static void swiglu(const pl_transformer *t, float *hb, const float *hb2, int32_t n)
{
    int32_t i = 0;
    if (t->opt.fast_math) {
        for (; i + 2 <= n; i += 2) {
            float a = silu_gate_fast(hb[i], hb2[i]);
            float b = silu_gate_fast(hb[i + 1], hb2[i + 1]);
            hb[i] = a;
            hb[i + 1] = b;
        }
        if (i < n) hb[i] = silu_gate_fast(hb[i], hb2[i]);
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
    for (int32_t i = 0; i < m->count; i++) {
        if (!m->run[i]) continue;
        share(m->ws[i]->rows, 4, part, parts, &begin, &end);
        pl_matmul_rows(m->outs[i], m->x, m->xq, m->ws[i], begin, end);
    }
    if (m->swiglu) swiglu(m->t, m->outs[0] + begin, m->outs[1] + begin, end - begin);
    if (m->residual)
        for (int32_t i = begin; i < end; i++) m->residual[i] += m->outs[0][i];
}

/* t->s.xq = x quantized for w (its group; SIMD pairs in its order). */
static void quantize_input(pl_transformer *t, const float *x, const pl_tensor *w)
{
    t->s.xq.order = w->dtype == PL_DTYPE_Q4 ? PL_PAIRS_Q4 : PL_PAIRS_Q8;
    pl_quantize_activations(&t->s.xq, x, w->cols, w->group);
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
    const uint8_t run = 1;
    for (int32_t begin = 0; begin < w->rows; begin += rows) {
        int32_t end = begin + rows < w->rows ? begin + rows : w->rows;
        if (t->yield && begin > 0) t->yield(t->yield_ctx); /* a large matrix takes long */
        pl_tensor tile = st->fetch(st->ctx, w, begin, end);
        prefetch_after(t, w, end);
        float *tile_out = out + begin;
        const pl_tensor *tw = &tile;
        matmul_task m = {t, x, &t->s.xq, 1, &tile_out, &tw, &run, 0, NULL};
        run_parts(t, matmul_part, &m);
    }
}

/* outs[i] = ws[i] x for matrices sharing the input x. The input is
 * quantized once per group length and type among the quantized ones (one
 * pass in practice: the packer gives matrices of one input the same group
 * and type). With with_swiglu (two matrices of the same rows: w1 and w3),
 * each part also applies SwiGLU to its rows once both are done. With t->stream, quantized
 * matrices go tile by tile instead, and SwiGLU follows them. */
static void matmul_shared(pl_transformer *t, const float *x, int32_t count, float *const *outs,
                          const pl_tensor *const *ws, int with_swiglu, int quantized,
                          float *residual)
{
    enum { MAX_SHARED = 3 };
    if (t->yield) t->yield(t->yield_ctx);
    if (t->observer) t->observer(t->observer_ctx, ws, count, x);
    if (t->stream) { /* quantized matrices tile by tile, f32 ones in place */
        const pl_tensor *last = NULL;
        for (int32_t i = 0; i < count; i++) {
            if (ws[i]->dtype == PL_DTYPE_F32) {
                const uint8_t run = 1;
                matmul_task m = {t, x, &t->s.xq, 1, &outs[i], &ws[i], &run, 0, NULL};
                run_parts(t, matmul_part, &m);
                continue;
            }
            if (!last || ws[i]->group != last->group || ws[i]->dtype != last->dtype)
                quantize_input(t, x, ws[i]); /* (quantized is never set with a stream) */
            last = ws[i];
            matmul_streamed(t, x, outs[i], ws[i]);
        }
        if (with_swiglu) swiglu(t, outs[0], outs[1], ws[0]->rows);
        if (residual) add_into(residual, outs[0], ws[0]->rows);
        return;
    }
    uint8_t done[MAX_SHARED] = {0}, run[MAX_SHARED];
    int passes = 0;
    for (int32_t left = count; left > 0; passes++) {
        const pl_tensor *first = NULL; /* sets the group of this pass; NULL = floats only */
        for (int32_t i = 0; i < count && !first; i++)
            if (!done[i] && ws[i]->dtype != PL_DTYPE_F32) first = ws[i];
        for (int32_t i = 0; i < count; i++) {
            run[i] = !done[i] && (ws[i]->dtype == PL_DTYPE_F32 ||
                                  (ws[i]->group == first->group && ws[i]->dtype == first->dtype));
            done[i] |= run[i];
            left -= run[i];
        }
        if (first && !(quantized && passes == 0)) quantize_input(t, x, first);
        int all = left == 0 && passes == 0;
        matmul_task m = {t, x, &t->s.xq, count, outs, ws, run, with_swiglu && all,
                         all && count == 1 ? residual : NULL};
        run_parts(t, matmul_part, &m);
        if (residual && count == 1 && !all) add_into(residual, outs[0], ws[0]->rows);
    }
    if (with_swiglu && passes > 1) swiglu(t, outs[0], outs[1], ws[0]->rows);
}

static void matmul(pl_transformer *t, float *out, const float *x, const pl_tensor *w)
{
    matmul_shared(t, x, 1, &out, &w, 0, 0, NULL);
}

/* x += w in, the addition done by each part for its rows; with quantized,
 * t->s.xq already holds in quantized for w. */
static void matmul_residual(pl_transformer *t, float *x, float *out, const float *in,
                            const pl_tensor *w, int quantized)
{
    matmul_shared(t, in, 1, &out, &w, 0, quantized, x);
}

static void layer_forward(pl_transformer *t, int32_t l, int32_t pos)
{
    const pl_layer_weights *L = &t->w.layers[l];
    pl_run_state *s = &t->s;
    float *k = s->k_new, *v = s->v_new;
    if (t->opt.kv == PL_KV_F32) { /* straight into the cache, as run.c */
        k = pl_kv_key_f32(&s->kv, l, pos);
        v = pl_kv_value_f32(&s->kv, l, pos);
    }

    rmsnorm_of(t, s->xb, s->x, L->rms_att);
    float *const qkv_out[3] = {s->q, k, v};
    const pl_tensor *const qkv[3] = {&L->wq, &L->wk, &L->wv};
    matmul_shared(t, s->xb, 3, qkv_out, qkv, 0, 0, NULL);
    if (t->opt.kv == PL_KV_F32) {
        rope_apply(t, s->q, k);
    } else { /* the keys here (every part needs them all for the scale), queries in the parts */
        for (int32_t h = 0; h < t->cfg.n_kv_heads; h++) rope_head(t, k + (size_t)h * pl_head_size(&t->cfg));
    }
    int quantized = attention(t, l, pos, &L->wo);
    matmul_residual(t, s->x, s->xb2, s->xb, &L->wo, quantized);

    rmsnorm_of(t, s->xb, s->x, L->rms_ffn);
    float *const ffn_out[2] = {s->hb, s->hb2};
    const pl_tensor *const ffn_in[2] = {&L->w1, &L->w3};
    matmul_shared(t, s->xb, 2, ffn_out, ffn_in, 1, 0, NULL);
    matmul_residual(t, s->x, s->xb, s->hb, &L->w2, 0);
}

float *pl_forward(pl_transformer *t, int32_t token, int32_t pos)
{
    const pl_config *c = &t->cfg;
    if (token < 0 || token >= c->vocab_size || pos < 0 || pos >= c->seq_len) return NULL;
    pl_tensor_row(&t->w.embedding, token, t->s.x);
    rope_prepare(t, pos);
    for (int32_t l = 0; l < c->n_layers; l++) layer_forward(t, l, pos);
    rmsnorm_of(t, t->s.x, t->s.x, t->w.rms_final);
    matmul(t, t->s.logits, t->s.x, &t->w.classifier);
    return t->s.logits;
}
