/* image_writer.h - builds a packed model image (docs/model-format.md) from
 * float weights and a tokenizer: chooses each tensor's type and group,
 * quantizes, lays the regions out and seals the CRC. */
#ifndef PICOLLAMA_IMAGE_WRITER_H
#define PICOLLAMA_IMAGE_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "../engine/model.h"
#include "../engine/tokenizer.h"
#include "calibrate.h"

typedef struct {
    pl_dtype dtype;     /* for the matrices; RMSNorm weights stay f32 */
    int32_t max_group;  /* longest quantization group (image_choose_group) */
    const calibration *calib; /* input statistics for GPTQ; NULL = round to nearest */
} image_options;

/* Bytes per tensor class, for the size summary. */
typedef struct {
    uint64_t header_and_table, tokenizer, embedding, attention, ffn, norms, classifier, total;
} image_summary;

/* Group length used for a row of `cols` values: the largest divisor of cols
 * that is a multiple of 4 and at most max_group; the whole row when that
 * would be shorter than 16 (e.g. stories260K's hidden dim 172 = 4 x 43). */
int32_t image_choose_group(int32_t cols, int32_t max_group);

/* Builds the image into a malloc'd buffer. Returns 0 (with *why set) when
 * the model cannot be packed as asked. */
int image_build(const pl_config *cfg, const pl_weights *w, int shared_classifier,
                const pl_tokenizer *tok, const image_options *opt, uint8_t **out,
                size_t *out_size, image_summary *summary, const char **why);

#endif
