/* host_model.h - loads a model for the host tools: a llama2.c checkpoint
 * plus tokenizer file, or a packed model image (tokenizer inside). Reads the
 * files, validates them and gives the engine its memory. */
#ifndef PICOLLAMA_HOST_MODEL_H
#define PICOLLAMA_HOST_MODEL_H

#include "../engine/image.h"
#include "../engine/tokenizer.h"
#include "../engine/transformer.h"
#include "hostio.h"

typedef struct {
    host_file model_file;
    int is_image;
    int shared_classifier;
    void *arena;
    void *tokenizer_mem;
    pl_transformer transformer;
    pl_tokenizer tokenizer;
} host_model;

/* Opens a checkpoint or an image. tokenizer_path is required for a
 * checkpoint; for an image it is optional and replaces the image's own
 * tokenizer. Prints one error line and returns 0 on failure (nothing left
 * to free). */
int host_model_open(host_model *m, const char *model_path, const char *tokenizer_path);
void host_model_close(host_model *m);

/* Opens just a tokenizer file; its vocabulary size is the number of tokens
 * it holds. Same error convention. */
int host_tokenizer_open(host_model *m, const char *tokenizer_path);

#endif
