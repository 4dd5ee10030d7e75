/* host_model.c - checkpoint, image and tokenizer loading for the host tools. */
#include "host_model.h"

#include <stdlib.h>
#include <string.h>

#include "../engine/checkpoint.h"

static void print_config_error(const char *path, pl_status st, const char *why,
                               const pl_config *c)
{
    host_error("%s: neither a model image nor a valid llama2.c checkpoint: %s%s%s (dim=%d hidden_dim=%d n_layers=%d n_heads=%d n_kv_heads=%d "
               "vocab_size=%d seq_len=%d)",
               path, pl_status_message(st), why ? ": " : "", why ? why : "", c->dim,
               c->hidden_dim, c->n_layers, c->n_heads, c->n_kv_heads, c->vocab_size, c->seq_len);
}

/* Gives the transformer its run-state memory for a validated config. */
static int init_transformer(host_model *m, const char *path, const pl_config *cfg,
                            const pl_options *opt)
{
    size_t arena_size = pl_transformer_arena_size(cfg, opt);
    m->arena = arena_size ? aligned_alloc(16, (arena_size + 15) & ~(size_t)15) : NULL;
    if (!m->arena) {
        host_error("%s: cannot allocate %zu bytes of run state", path, arena_size);
        return 0;
    }
    pl_status st = pl_transformer_init(&m->transformer, cfg, opt, m->arena, arena_size);
    if (st != PL_OK) {
        host_error("%s: %s", path, pl_status_message(st));
        return 0;
    }
    return 1;
}

static int open_checkpoint(host_model *m, const char *path)
{
    const host_file *f = &m->model_file;
    pl_config cfg;
    const char *why = NULL;
    pl_status st = pl_checkpoint_read_config(f->data, f->size, &cfg, &m->shared_classifier, &why);
    if (st == PL_E_TRUNCATED && f->size < PL_CHECKPOINT_HEADER_BYTES) {
        host_error("%s: too short for a llama2.c checkpoint (%zu bytes)", path, f->size);
        return 0;
    }
    if (st != PL_OK) {
        print_config_error(path, st, why, &cfg);
        return 0;
    }
    /* size first: a short file with a huge header must not cost its run state */
    size_t expected = pl_checkpoint_size(&cfg, m->shared_classifier);
    if (f->size != expected) {
        host_error("%s: %s (%zu bytes, header implies %zu)", path,
                   pl_status_message(f->size < expected ? PL_E_TRUNCATED : PL_E_TRAILING),
                   f->size, expected);
        return 0;
    }
    if (!init_transformer(m, path, &cfg, &pl_reference_options)) return 0;
    st = pl_checkpoint_bind(f->data, f->size, &cfg, m->shared_classifier, &m->transformer.w);
    if (st != PL_OK) {
        host_error("%s: %s", path, pl_status_message(st));
        return 0;
    }
    return 1;
}

static int open_image(host_model *m, const char *path, int use_own_tokenizer)
{
    pl_image img;
    const char *why = NULL;
    pl_status st = pl_image_open(&img, m->model_file.data, m->model_file.size, 1, &why);
    if (st != PL_OK) {
        host_error("%s: %s%s%s", path, pl_status_message(st), why ? ": " : "", why ? why : "");
        return 0;
    }
    if (img.size != m->model_file.size) {
        host_error("%s: %zu bytes after the image's end (image_size %u): not one image file",
                   path, m->model_file.size - img.size, (unsigned)img.size);
        return 0;
    }
    m->is_image = 1;
    m->shared_classifier = (img.flags & PL_IMAGE_FLAG_SHARED_CLASSIFIER) != 0;
    pl_options opt = pl_image_options(&img);
    if (!init_transformer(m, path, &img.cfg, &opt)) return 0;
    pl_image_bind_weights(&img, &m->transformer.w);
    if (use_own_tokenizer) pl_image_bind_tokenizer(&img, &m->tokenizer); /* checked by open */
    return 1;
}

/* Builds the tokenizer from a llama2.c tokenizer file (vocab_size 0: any). */
static int open_tokenizer(host_model *m, const char *path, int32_t vocab_size)
{
    host_file f;
    if (!host_read_file(path, &f)) return 0;
    int32_t count = 0;
    pl_status st = pl_tokenizer_count(f.data, f.size, &count);
    int ok = 0;
    if (st != PL_OK) {
        host_error("%s: %s", path, pl_status_message(st));
    } else if (vocab_size != 0 && count != vocab_size) {
        host_error("%s: tokenizer has %d tokens but the model's vocabulary has %d", path, count,
                   vocab_size);
    } else {
        size_t mem_size = pl_tokenizer_build_size(f.size, count);
        m->tokenizer_mem = mem_size ? malloc(mem_size) : NULL;
        if (!m->tokenizer_mem) {
            host_error("%s: cannot hold a %d-token vocabulary", path, count);
        } else {
            st = pl_tokenizer_build(&m->tokenizer, f.data, f.size, count, m->tokenizer_mem,
                                    mem_size);
            if (st != PL_OK) host_error("%s: %s", path, pl_status_message(st));
            ok = st == PL_OK;
        }
    }
    host_free_file(&f);
    return ok;
}

int host_model_open(host_model *m, const char *model_path, const char *tokenizer_path)
{
    memset(m, 0, sizeof(*m));
    int ok = host_read_file(model_path, &m->model_file);
    if (ok && pl_image_is_image(m->model_file.data, m->model_file.size)) {
        ok = open_image(m, model_path, tokenizer_path == NULL);
    } else if (ok) {
        if (!tokenizer_path) tokenizer_path = host_find_model("tokenizer.bin"); /* run.c's default */
        ok = open_checkpoint(m, model_path);
    }
    if (ok && tokenizer_path)
        ok = open_tokenizer(m, tokenizer_path, m->transformer.cfg.vocab_size);
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
    free(m->arena);
    free(m->tokenizer_mem);
    memset(m, 0, sizeof(*m));
}
