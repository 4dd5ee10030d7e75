/* weight_stream.h - the engine's pl_weight_stream on the device, for
 * models whose weights stay in flash or PSRAM: the next tile of rows is
 * copied into one of two SRAM buffers by the XIP stream engine and DMA
 * (hw/xip_stream.h) while the cores compute on the other. */
#ifndef PICOLLAMA_FW_WEIGHT_STREAM_H
#define PICOLLAMA_FW_WEIGHT_STREAM_H

#include <stdbool.h>
#include <stddef.h>

#include "../../engine/transformer.h"

/* Takes two buffers of tile_bytes from SRAM; NULL when they do not fit. */
const pl_weight_stream *weight_stream_create(size_t tile_bytes);
/* Waits for a copy in flight (the next token's first tile is fetched
 * ahead): call before the buffers' memory is given to something else. */
void weight_stream_stop(void);

#endif
