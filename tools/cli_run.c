/* cli_run.c - `picollama run`: llama2.c's run, same flags, same output. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../engine/generate.h"
#include "cli.h"
#include "host_model.h"
#include "hostio.h"

static const char usage[] =
    "Usage: picollama run MODEL [options]\n"
    "\n"
    "Generates text from a llama2.c checkpoint or a packed model image\n"
    "(picollama pack); stdout is exactly what llama2.c's run prints, the\n"
    "speed goes to stderr.\n"
    "\n"
    "Options:\n"
    "  -z PATH    tokenizer file (default: the image's own; tokenizer.bin\n"
    "             for a checkpoint)\n"
    "  -t FLOAT   temperature >= 0, 0 = greedy (default 1.0); one so small\n"
    "             that logits / T overflow (1e-45) is greedy too\n"
    "  -p FLOAT   top-p in [0,1]; 0 or 1 = plain sampling (default 0.9)\n"
    "  -s INT     random seed, -2^31 to 2^64-1; 0 = from the clock (default\n"
    "             0); negative seeds are sign-extended as run.c does\n"
    "  -n INT     steps (positions) to run, 0 to 2147483647; 0 or more than\n"
    "             the model's seq_len = seq_len (default 256)\n"
    "  -i TEXT    prompt (default: none, the story starts from BOS)\n"
    "\n"
    "A bare file name (no '/') that does not exist is also looked up in\n"
    "$PICOLLAMA_MODELS, ./models and ../shared/models.\n";

typedef struct {
    const char *model;
    const char *tokenizer;
    float temperature;
    float topp;
    uint64_t seed;
    int32_t steps;
    const char *prompt;
} run_options;

static int bad_value(const char *flag, const char *value, const char *expected)
{
    return host_error("run: bad value '%s' for %s (expected %s)", value, flag, expected);
}

/* run.c stores atoi()'s int in its 64-bit seed, so a negative seed is
 * sign-extended; larger positive seeds (which atoi cannot hold) are kept
 * whole, as the firmware's /seed takes them. */
static int parse_seed(const char *v, uint64_t *seed)
{
    int32_t negative;
    if (v[0] != '-') return host_parse_u64(v, seed);
    if (!host_parse_i32(v, INT32_MIN, -1, &negative)) return 0;
    *seed = (uint64_t)(int64_t)negative;
    return 1;
}

/* Returns -1 when the options are fine, otherwise the exit status. */
static int parse_options(int argc, char **argv, run_options *o)
{
    *o = (run_options){NULL, NULL, 1.0f, 0.9f, 0, 256, NULL};
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(usage, stdout);
            return 0;
        }
        if (a[0] != '-' || a[1] == '\0') {
            if (o->model) return host_error("run: unexpected argument '%s'", a);
            o->model = a;
            continue;
        }
        if (strlen(a) != 2 || !strchr("ztpsni", a[1]))
            return host_error("run: unknown option '%s' (see 'picollama run --help')", a);
        if (i + 1 >= argc) return host_error("run: option %s needs a value", a);
        const char *v = argv[++i];
        switch (a[1]) {
        case 'z': o->tokenizer = v; break;
        case 'i': o->prompt = v; break;
        case 't':
            if (!host_parse_float(v, &o->temperature) || o->temperature < 0)
                return bad_value(a, v, "a number >= 0");
            break;
        case 'p':
            if (!host_parse_float(v, &o->topp) || o->topp < 0 || o->topp > 1)
                return bad_value(a, v, "a number in [0,1]");
            break;
        case 's':
            if (!parse_seed(v, &o->seed))
                return bad_value(a, v, "an integer from -2^31 to 2^64-1");
            break;
        case 'n':
            if (!host_parse_i32(v, 0, INT32_MAX, &o->steps))
                return bad_value(a, v, "an integer from 0 to 2147483647");
            break;
        }
    }
    if (!o->model) return host_error("run: missing MODEL (see 'picollama run --help')");
    if (o->seed == 0) o->seed = (uint64_t)time(NULL);
    return -1;
}

typedef struct {
    double start; /* set after the first token, as run.c does */
} emit_state;

static int emit_to_stdout(void *user, const char *text, size_t len)
{
    emit_state *st = user;
    if (len) fwrite(text, 1, len, stdout);
    fflush(stdout);
    if (st->start == 0) st->start = host_seconds();
    return ferror(stdout) != 0; /* stop: main reports the failed write */
}

int cli_run(int argc, char **argv)
{
    run_options o;
    int rc = parse_options(argc, argv, &o);
    if (rc >= 0) return rc;

    host_model m;
    const char *tokenizer = o.tokenizer ? host_find_model(o.tokenizer) : NULL;
    if (!host_model_open(&m, host_find_model(o.model), tokenizer)) return 1;
    const pl_config *cfg = &m.transformer.cfg;

    pl_prob_index *probindex = malloc((size_t)cfg->vocab_size * sizeof(*probindex));
    size_t cap = pl_prompt_capacity(o.prompt);
    int32_t *tokens = malloc(cap * sizeof(*tokens));
    if (!probindex || !tokens) {
        rc = host_error("run: out of memory");
        goto done;
    }
    pl_sampler sampler;
    pl_sampler_init(&sampler, cfg->vocab_size, o.temperature, o.topp, o.seed, probindex);

    emit_state es = {0};
    pl_generation g;
    pl_status st = pl_generate(&m.transformer, &m.tokenizer, &sampler, o.prompt, o.steps, tokens,
                               cap, emit_to_stdout, &es, &g);
    if (st != PL_OK) {
        if (st == PL_E_PROMPT_TOO_LONG)
            rc = host_error("run: the prompt is %d tokens long but the model's context holds %d",
                            g.prompt_tokens, cfg->seq_len);
        else
            rc = host_error("run: %s", pl_status_message(st));
        goto done;
    }
    printf("\n");
    fflush(stdout);
    if (g.positions > 1 && !ferror(stdout)) {
        double elapsed = host_seconds() - es.start;
        fprintf(stderr, "achieved tok/s: %f\n", elapsed > 0 ? (g.positions - 1) / elapsed : 0.0);
    }
    rc = 0;
done:
    free(probindex);
    free(tokens);
    host_model_close(&m);
    return rc;
}
