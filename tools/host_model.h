/* host_model.h - loads a model file and its tokenizer for the host tools:
 * reads the files, validates them, and gives the engine its memory. */
#ifndef PICOLLAMA_HOST_MODEL_H
#define PICOLLAMA_HOST_MODEL_H

#include "../engine/tokenizer.h"
#include "../engine/transformer.h"
#include "hostio.h"

typedef struct {
    host_file model_file;
    host_file tokenizer_file;
    void *arena;
    void *tokenizer_index;
    pl_transformer transformer;
    pl_tokenizer tokenizer;
} host_model;

/* Opens a llama2.c checkpoint and the tokenizer at tokenizer_path. Prints
 * one error line and returns 0 on failure (nothing left to free). */
int host_model_open(host_model *m, const char *model_path, const char *tokenizer_path);
void host_model_close(host_model *m);

/* Opens just a tokenizer file; its vocabulary size is the number of tokens
 * it holds. Same error convention. */
int host_tokenizer_open(host_model *m, const char *tokenizer_path);

#endif
