/* host_model.c - checkpoint + tokenizer loading for the host tools. */
#include "host_model.h"

#include <stdlib.h>
#include <string.h>

#include "../engine/checkpoint.h"

static void print_config_error(const char *path, pl_status st, const char *why,
                               const pl_config *c)
{
    host_error("%s: %s%s%s (dim=%d hidden_dim=%d n_layers=%d n_heads=%d n_kv_heads=%d "
               "vocab_size=%d seq_len=%d)",
               path, pl_status_message(st), why ? ": " : "", why ? why : "", c->dim,
               c->hidden_dim, c->n_layers, c->n_heads, c->n_kv_heads, c->vocab_size, c->seq_len);
}

static int open_checkpoint(host_model *m, const char *path)
{
    const host_file *f = &m->model_file;
    pl_config cfg;
    int shared = 0;
    const char *why = NULL;
    pl_status st = pl_checkpoint_read_config(f->data, f->size, &cfg, &shared, &why);
    if (st == PL_E_TRUNCATED && f->size < PL_CHECKPOINT_HEADER_BYTES) {
        host_error("%s: too short for a llama2.c checkpoint (%zu bytes)", path, f->size);
        return 0;
    }
    if (st != PL_OK) {
        print_config_error(path, st, why, &cfg);
        return 0;
    }
    size_t arena_size = pl_transformer_arena_size(&cfg);
    m->arena = arena_size ? aligned_alloc(16, (arena_size + 15) & ~(size_t)15) : NULL;
    if (!m->arena) {
        host_error("%s: cannot allocate %zu bytes of run state", path, arena_size);
        return 0;
    }
    st = pl_transformer_init(&m->transformer, &cfg, m->arena, arena_size);
    if (st == PL_OK) st = pl_checkpoint_bind(f->data, f->size, &cfg, shared, &m->transformer.w);
    if (st != PL_OK) {
        size_t expected = pl_checkpoint_size(&cfg, shared);
        host_error("%s: %s (%zu bytes, header implies %zu)", path, pl_status_message(st), f->size,
                   expected);
        return 0;
    }
    return 1;
}

static int open_tokenizer(host_model *m, const char *path, int32_t vocab_size)
{
    if (!host_read_file(path, &m->tokenizer_file)) return 0;
    int32_t count = 0;
    pl_status st = pl_tokenizer_count(m->tokenizer_file.data, m->tokenizer_file.size, &count);
    if (st != PL_OK) {
        host_error("%s: %s", path, pl_status_message(st));
        return 0;
    }
    if (vocab_size == 0) vocab_size = count;
    if (count != vocab_size) {
        host_error("%s: tokenizer has %d tokens but the model's vocabulary has %d", path, count,
                   vocab_size);
        return 0;
    }
    size_t index_size = pl_tokenizer_index_size(vocab_size);
    m->tokenizer_index = malloc(index_size);
    if (!m->tokenizer_index) {
        host_error("%s: out of memory", path);
        return 0;
    }
    st = pl_tokenizer_init(&m->tokenizer, m->tokenizer_file.data, m->tokenizer_file.size,
                           vocab_size, m->tokenizer_index, index_size);
    if (st != PL_OK) {
        host_error("%s: %s", path, pl_status_message(st));
        return 0;
    }
    return 1;
}

int host_model_open(host_model *m, const char *model_path, const char *tokenizer_path)
{
    memset(m, 0, sizeof(*m));
    int ok = host_read_file(model_path, &m->model_file) && open_checkpoint(m, model_path) &&
             open_tokenizer(m, tokenizer_path, m->transformer.cfg.vocab_size);
    if (!ok) host_model_close(m);
    return ok;
}

int host_tokenizer_open(host_model *m, const char *tokenizer_path)
{
    memset(m, 0, sizeof(*m));
    int ok = open_tokenizer(m, tokenizer_path, 0);
    if (!ok) host_model_close(m);
    return ok;
}

void host_model_close(host_model *m)
{
    host_free_file(&m->model_file);
    host_free_file(&m->tokenizer_file);
    free(m->arena);
    free(m->tokenizer_index);
    memset(m, 0, sizeof(*m));
}
