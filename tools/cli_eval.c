/* cli_eval.c - `picollama eval`: how closely a quantized model follows its
 * float reference. For each prompt (and BOS alone) the reference continues
 * greedily to the full context; the candidate is teacher-forced along that
 * same token sequence. At every generated position we ask whether the
 * candidate's argmax equals the reference's token (top-1 agreement) and how
 * far its distribution is from the reference's (KL divergence). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/generate.h"
#include "../engine/sampler.h"
#include "cli.h"
#include "host_model.h"
#include "hostio.h"

#define MAX_PROMPTS 64

static const char usage[] =
    "Usage: picollama eval REFERENCE CANDIDATE [-i PROMPT]... [-z TOKENIZER] [-n STEPS]\n"
    "\n"
    "Teacher-forced comparison of CANDIDATE (e.g. a q8 image) with REFERENCE\n"
    "(e.g. the f32 checkpoint or image) over the reference's greedy\n"
    "continuation of BOS and of each prompt, to the full context (or STEPS\n"
    "positions). Prints a table and a last line\n"
    "  agreement: NN.NN% mean-kl: X\n"
    "where agreement is the share of positions whose candidate argmax equals\n"
    "the reference token, and mean-kl the mean KL(reference || candidate).\n"
    "\n"
    "Options:\n"
    "  -i TEXT    a prompt (repeatable; BOS alone is always evaluated too)\n"
    "  -z PATH    tokenizer for checkpoints (images carry their own)\n"
    "  -n INT     positions per sequence, 2 to 2147483647 (default and at most:\n"
    "             the reference's seq_len)\n";

typedef struct {
    int positions;
    int agree;
    double kl;
} score;

/* KL(softmax(p) || softmax(q)) in double precision. */
static double kl_divergence(const float *p, const float *q, int n)
{
    double pmax = p[0], qmax = q[0];
    for (int i = 1; i < n; i++) {
        if (p[i] > pmax) pmax = p[i];
        if (q[i] > qmax) qmax = q[i];
    }
    double psum = 0, qsum = 0;
    for (int i = 0; i < n; i++) {
        psum += exp(p[i] - pmax);
        qsum += exp(q[i] - qmax);
    }
    double plog = pmax + log(psum), qlog = qmax + log(qsum), kl = 0;
    for (int i = 0; i < n; i++) {
        double lp = p[i] - plog, lq = q[i] - qlog;
        kl += exp(lp) * (lp - lq);
    }
    return kl;
}

/* Runs one sequence through both models in lockstep. */
static int evaluate(host_model *ref, host_model *cand, const char *prompt, int steps, score *s)
{
    memset(s, 0, sizeof(*s));
    const pl_config *c = &ref->transformer.cfg;
    size_t cap = pl_prompt_capacity(prompt);
    int32_t *prompt_tokens = malloc(cap * sizeof(int32_t));
    float *ref_logits = malloc((size_t)c->vocab_size * sizeof(float));
    int32_t n_prompt = 0;
    pl_status st = prompt_tokens && ref_logits
                       ? pl_encode(&ref->tokenizer, prompt, 1, 0, prompt_tokens, cap, &n_prompt)
                       : PL_E_NO_MEMORY;
    int too_long = st == PL_OK && n_prompt > steps;
    int32_t token = st == PL_OK ? prompt_tokens[0] : 0;
    for (int32_t pos = 0; st == PL_OK && !too_long && pos + 1 < steps; pos++) {
        float *r = pl_forward(&ref->transformer, token, pos);
        float *q = pl_forward(&cand->transformer, token, pos);
        if (!r || !q) {
            st = PL_E_TOKEN;
            break;
        }
        memcpy(ref_logits, r, (size_t)c->vocab_size * sizeof(float));
        if (pos + 1 < n_prompt) {
            token = prompt_tokens[pos + 1]; /* still inside the prompt */
            continue;
        }
        token = pl_sample_argmax(ref_logits, c->vocab_size);
        s->positions++;
        s->agree += pl_sample_argmax(q, c->vocab_size) == token;
        s->kl += kl_divergence(ref_logits, q, c->vocab_size);
    }
    free(prompt_tokens);
    free(ref_logits);
    if (too_long) /* steps is -n's when it is below the context: name what limits it */
        return host_error("eval: \"%s\" is %d tokens (BOS included), more than the %d positions "
                          "evaluated (%s)", prompt, (int)n_prompt, (int)steps,
                          steps < c->seq_len ? "-n" : "the model's context, seq_len"), 0;
    if (st != PL_OK) return host_error("eval: \"%s\": %s", prompt, pl_status_message(st)), 0;
    return 1;
}

static void print_row(const char *prompt, const score *s)
{
    char shown[31]; /* the column's width, so a long prompt cannot shift the figures */
    snprintf(shown, sizeof(shown), "%s", prompt[0] ? prompt : "(BOS)");
    if (strlen(prompt) >= sizeof(shown)) memcpy(shown + sizeof(shown) - 4, "...", 3);
    for (char *p = shown; *p; p++)
        if (*p == '\n' || *p == '\t') *p = ' ';
    printf("%-30s %9d %9.2f%% %12.6f\n", shown, s->positions,
           s->positions ? 100.0 * s->agree / s->positions : 0.0,
           s->positions ? s->kl / s->positions : 0.0);
}

int cli_eval(int argc, char **argv)
{
    const char *paths[2] = {NULL, NULL}, *tokenizer = NULL;
    const char *prompts[MAX_PROMPTS + 1] = {""};
    int n_prompts = 1;
    int32_t steps = 0;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(usage, stdout);
            return 0;
        }
        int takes_value = !strcmp(a, "-i") || !strcmp(a, "-z") || !strcmp(a, "-n");
        if (takes_value && i + 1 >= argc) return host_error("eval: option %s needs a value", a);
        if (!strcmp(a, "-i")) {
            if (n_prompts > MAX_PROMPTS) return host_error("eval: at most %d prompts", MAX_PROMPTS);
            prompts[n_prompts++] = argv[++i];
        } else if (!strcmp(a, "-z")) {
            tokenizer = argv[++i];
        } else if (!strcmp(a, "-n")) {
            if (!host_parse_i32(argv[++i], 2, INT32_MAX, &steps))
                return host_error("eval: bad value '%s' for -n (an integer from 2 to %d)",
                                  argv[i], INT32_MAX);
        } else if (a[0] == '-') {
            return host_error("eval: unknown option '%s' (see 'picollama eval --help')", a);
        } else if (!paths[0]) {
            paths[0] = a;
        } else if (!paths[1]) {
            paths[1] = a;
        } else {
            return host_error("eval: unexpected argument '%s'", a);
        }
    }
    if (!paths[1]) return host_error("eval: missing REFERENCE or CANDIDATE (see 'picollama eval --help')");

    host_model models[2];
    const char *tok = tokenizer ? host_find_model(tokenizer) : NULL;
    if (!host_model_open(&models[0], host_find_model(paths[0]), tok)) return 1;
    if (!host_model_open(&models[1], host_find_model(paths[1]), tok)) {
        host_model_close(&models[0]);
        return 1;
    }
    const pl_config *a = &models[0].transformer.cfg, *b = &models[1].transformer.cfg;
    int rc = 0;
    if (memcmp(a, b, sizeof(*a)) != 0) {
        rc = host_error("eval: the two models have different shapes");
    } else {
        if (steps == 0 || steps > a->seq_len) steps = a->seq_len;
        printf("%-30s %9s %10s %12s\n", "prompt", "positions", "agreement", "mean-kl");
        score total = {0};
        for (int i = 0; i < n_prompts && rc == 0; i++) {
            score s;
            if (!evaluate(&models[0], &models[1], prompts[i], steps, &s)) {
                rc = 1;
                break;
            }
            print_row(prompts[i], &s);
            total.positions += s.positions;
            total.agree += s.agree;
            total.kl += s.kl;
        }
        if (rc == 0)
            printf("agreement: %.2f%% mean-kl: %.6f\n",
                   total.positions ? 100.0 * total.agree / total.positions : 0.0,
                   total.positions ? total.kl / total.positions : 0.0);
    }
    host_model_close(&models[0]);
    host_model_close(&models[1]);
    return rc;
}
