/* gen_checkpoint.c - writes a llama2.c checkpoint of any shape with random
 * weights, so tests can run shapes no published model has (grouped-query
 * ratios, separate classifiers, stories15M's shape) without downloading.
 *
 * Weights are uniform in [-a, a] with a = 1/sqrt(fan_in) so activations stay
 * in a sane range; RMSNorm weights are near 1. Same seed, same file.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
    "Usage: gen_checkpoint OUT.bin [--dim N] [--hidden N] [--layers N] [--heads N]\n"
    "                      [--kv-heads N] [--vocab N] [--seq N] [--unshared] [--seed N]\n"
    "Defaults: dim 64, hidden 172, layers 2, heads 8, kv-heads 4, vocab 512, seq 64.\n";

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static float uniform(float a)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    uint32_t r = (uint32_t)((rng * 0x2545F4914F6CDD1Dull) >> 32);
    return ((r >> 8) / 16777216.0f * 2.0f - 1.0f) * a;
}

static int write_random(FILE *f, size_t count, float a, float bias)
{
    float buf[4096];
    while (count > 0) {
        size_t n = count < 4096 ? count : 4096;
        for (size_t i = 0; i < n; i++) buf[i] = bias + uniform(a);
        if (fwrite(buf, sizeof(float), n, f) != n) return 0;
        count -= n;
    }
    return 1;
}

static int parse_int(const char *s, int32_t *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v <= 0 || v > (1 << 24)) return 0;
    *out = (int32_t)v;
    return 1;
}

int main(int argc, char **argv)
{
    int32_t dim = 64, hidden = 172, layers = 2, heads = 8, kv_heads = 4, vocab = 512, seq = 64;
    int unshared = 0;
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int32_t *target = !strcmp(a, "--dim") ? &dim : !strcmp(a, "--hidden") ? &hidden
                        : !strcmp(a, "--layers") ? &layers : !strcmp(a, "--heads") ? &heads
                        : !strcmp(a, "--kv-heads") ? &kv_heads : !strcmp(a, "--vocab") ? &vocab
                        : !strcmp(a, "--seq") ? &seq : NULL;
        if (target) {
            if (i + 1 >= argc || !parse_int(argv[++i], target)) {
                fprintf(stderr, "gen_checkpoint: bad value for %s\n", a);
                return 1;
            }
        } else if (!strcmp(a, "--seed")) {
            if (i + 1 >= argc) return 1;
            rng ^= strtoull(argv[++i], NULL, 10) * 0xD1B54A32D192ED03ull;
        } else if (!strcmp(a, "--unshared")) {
            unshared = 1;
        } else if (a[0] != '-' && !out) {
            out = a;
        } else {
            fputs(usage, stderr);
            return 1;
        }
    }
    if (!out || dim % heads || heads % kv_heads) {
        fputs(usage, stderr);
        return 1;
    }
    int32_t head = dim / heads, kv_dim = head * kv_heads;
    FILE *f = fopen(out, "wb");
    if (!f) {
        perror(out);
        return 1;
    }
    int32_t header[7] = {dim, hidden, layers, heads, kv_heads, unshared ? -vocab : vocab, seq};
    float a_dim = 1.0f / sqrtf((float)dim), a_hidden = 1.0f / sqrtf((float)hidden);
    size_t L = (size_t)layers;
    int ok = fwrite(header, sizeof(header), 1, f) == 1;
    ok = ok && write_random(f, (size_t)vocab * dim, 1.0f, 0.0f);          /* embedding */
    ok = ok && write_random(f, L * dim, 0.1f, 1.0f);                       /* rms_att */
    ok = ok && write_random(f, L * dim * dim, a_dim, 0.0f);                /* wq */
    ok = ok && write_random(f, 2 * L * dim * kv_dim, a_dim, 0.0f);         /* wk, wv */
    ok = ok && write_random(f, L * dim * dim, a_dim, 0.0f);                /* wo */
    ok = ok && write_random(f, L * dim, 0.1f, 1.0f);                       /* rms_ffn */
    ok = ok && write_random(f, L * dim * hidden, a_dim, 0.0f);             /* w1 */
    ok = ok && write_random(f, L * dim * hidden, a_hidden, 0.0f);          /* w2 */
    ok = ok && write_random(f, L * dim * hidden, a_dim, 0.0f);             /* w3 */
    ok = ok && write_random(f, (size_t)dim, 0.1f, 1.0f);                   /* rms_final */
    ok = ok && write_random(f, (size_t)seq * head, 0.0f, 0.0f);            /* old RoPE tables */
    if (unshared) ok = ok && write_random(f, (size_t)vocab * dim, a_dim * 4, 0.0f);
    ok = (fclose(f) == 0) && ok;
    if (!ok) {
        fprintf(stderr, "gen_checkpoint: cannot write %s\n", out);
        return 1;
    }
    return 0;
}
