/* image.h - the packed model image (docs/model-format.md): one checksummed
 * file holding config, tokenizer and tensors, used in place from flash.
 *
 * pl_image_open() checks everything a corrupted or hostile image could get
 * wrong before any tensor is touched; the bind functions then point a
 * transformer and a tokenizer into the image without copying.
 */
#ifndef PICOLLAMA_IMAGE_H
#define PICOLLAMA_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "tokenizer.h"
#include "transformer.h"

#define PL_IMAGE_MAGIC 0x4D4C4C50u /* "PLLM" */
#define PL_IMAGE_VERSION 1
#define PL_IMAGE_HEADER_SIZE 64
#define PL_IMAGE_ENTRY_SIZE 40
#define PL_IMAGE_TOKENIZER_HEADER 24
#define PL_IMAGE_ALIGN 8
#define PL_IMAGE_FLAG_SHARED_CLASSIFIER 1u

typedef enum {
    PL_ROLE_EMBEDDING = 1,
    PL_ROLE_RMS_ATT,
    PL_ROLE_WQ,
    PL_ROLE_WK,
    PL_ROLE_WV,
    PL_ROLE_WO,
    PL_ROLE_RMS_FFN,
    PL_ROLE_W1,
    PL_ROLE_W2,
    PL_ROLE_W3,
    PL_ROLE_RMS_FINAL,
    PL_ROLE_CLASSIFIER,
} pl_role;

/* One tensor table entry, decoded. */
typedef struct {
    uint16_t role, layer;
    uint8_t dtype;
    uint32_t rows, cols, group;
    uint32_t data_offset, data_size;
    uint32_t scales_offset, scales_size;
} pl_image_entry;

/* Where the tokenizer arrays sit inside its section (offsets from the
 * section start), for a given vocabulary and text size. */
typedef struct {
    uint32_t lengths, block_offsets, ranks, sorted, text, size;
} pl_image_tokenizer_layout;

typedef struct {
    const uint8_t *base;
    uint32_t size;
    pl_config cfg;
    uint32_t flags;
    uint32_t tensor_count;
    uint32_t tokenizer_offset, tokenizer_size;
} pl_image;

/* True when data starts with the image magic (a cheap format sniff). */
int pl_image_is_image(const void *data, size_t len);

/* Validates an image of at most len bytes at data (8-byte aligned). With
 * check_crc = 0 the CRC is skipped (for callers that checked it already).
 * On failure *why names the check that failed. */
pl_status pl_image_open(pl_image *img, const void *data, size_t len, int check_crc,
                        const char **why);

/* Reads table entry i of an opened image. */
pl_image_entry pl_image_entry_at(const pl_image *img, uint32_t i);

/* Role and layer the format requires at table position i. */
void pl_image_expected_role(const pl_config *cfg, uint32_t i, uint16_t *role, uint16_t *layer);

/* Expected rows and cols of a role. */
void pl_image_role_shape(const pl_config *cfg, uint16_t role, uint32_t *rows, uint32_t *cols);

/* Bytes of data and scales for a tensor of this dtype, shape and group. */
void pl_image_tensor_sizes(uint8_t dtype, uint32_t rows, uint32_t cols, uint32_t group,
                           uint64_t *data_size, uint64_t *scales_size);

/* Tokenizer section layout for a vocabulary and text size. */
pl_image_tokenizer_layout pl_image_tokenizer_layout_for(int32_t vocab_size, uint32_t text_size);

/* Points w (whose layers array holds cfg.n_layers entries) at the tensors. */
void pl_image_bind_weights(const pl_image *img, pl_weights *w);

/* Points t at the image's tokenizer (already checked by pl_image_open). */
pl_status pl_image_bind_tokenizer(const pl_image *img, pl_tokenizer *t);

/* The data type of the image's matrices (that of wq). */
pl_dtype pl_image_precision(const pl_image *img);

/* How an image is run: f32 images as llama2.c (pl_reference_options),
 * quantized ones with the fast options (int8 KV cache, pl_expf_fast), on
 * the host and the device alike. */
pl_options pl_image_options(const pl_image *img);

/* CRC-32 of an image with its crc field read as zero. */
uint32_t pl_image_crc(const void *data, uint32_t size);

#endif
