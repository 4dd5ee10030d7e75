/* weight_stream.c - tiles of weights from XIP memory into SRAM (see
 * weight_stream.h). A tile is two copies: its rows' data, then their
 * scales (they lie apart in the image). The data copy of the next tile
 * starts when the engine announces it; its scales follow when the engine
 * asks for the tile, so the QSPI bus, the bottleneck, stays busy. A
 * matrix the firmware copied into SRAM (llm.c, when SRAM is left over)
 * is used in place: no copy, nothing to announce. */
#include "weight_stream.h"

#include <stdint.h>
#include <string.h>

#include "../hw/platform.h"
#include "../hw/xip_stream.h"
#include "memory.h"

typedef struct {
    const pl_tensor *w; /* NULL: no tile */
    int32_t begin, end;
    pl_tensor view; /* the rows in the buffer */
    const void *scales_src;
    size_t scale_bytes;
} tile;

static struct {
    pl_weight_stream api;
    uint8_t *buf[2];
    int current;  /* the buffer of the tile in use */
    tile pending; /* the announced tile, its data copy started */
    bool active;  /* created (the DMA is out of reset) */
} ws;

/* Starts copying bytes from src into dst + (src & 3) (the stream reads
 * whole aligned words); returns where the bytes land. */
static RAM_FUNC uint8_t *copy_start(const void *src, size_t bytes, uint8_t *dst)
{
    uintptr_t from = (uintptr_t)src & ~(uintptr_t)3;
    size_t lead = (uintptr_t)src & 3;
    xip_stream_start((const void *)from, dst, (lead + bytes + 3) / 4);
    return dst + lead;
}

/* Lays out rows [begin, end) of w in buffer b and starts their data copy. */
static RAM_FUNC void tile_start(tile *t, const pl_tensor *w, int32_t begin, int32_t end, int b)
{
    const void *data;
    size_t data_bytes;
    pl_tensor_rows_span(w, begin, end, &data, &data_bytes, &t->scales_src, &t->scale_bytes);
    t->w = w;
    t->begin = begin;
    t->end = end;
    t->view = *w;
    t->view.rows = end - begin;
    t->view.data = copy_start(data, data_bytes, ws.buf[b]);
    /* the scales after the data, 8-aligned, with room for their lead */
    size_t at = (3 + data_bytes + 7) & ~(size_t)7;
    t->view.scales = ws.buf[b] + at + ((uintptr_t)t->scales_src & 3);
}

/* Copies the scales once the data is in (xip_stream_start waits for it);
 * the tile is usable when this returns. */
static RAM_FUNC void tile_finish(tile *t)
{
    copy_start(t->scales_src, t->scale_bytes,
               (uint8_t *)((uintptr_t)t->view.scales & ~(uintptr_t)3));
    xip_stream_wait();
}

/* Whether w's bytes are a copy in SRAM (the firmware's buffers). */
static RAM_FUNC bool in_sram(const pl_tensor *w)
{
    uintptr_t at = (uintptr_t)w->data;
    return at >= sram_pool.base && at < sram_pool.end;
}

/* Rows [begin, end) of a matrix in SRAM, in place. */
static RAM_FUNC pl_tensor rows_in_place(const pl_tensor *w, int32_t begin, int32_t end)
{
    const void *data, *scales;
    size_t data_bytes, scale_bytes;
    pl_tensor_rows_span(w, begin, end, &data, &data_bytes, &scales, &scale_bytes);
    pl_tensor view = *w;
    view.rows = end - begin;
    view.data = data;
    view.scales = scales;
    return view;
}

static RAM_FUNC void prefetch(void *ctx, const pl_tensor *w, int32_t begin, int32_t end)
{
    (void)ctx;
    if (!in_sram(w)) tile_start(&ws.pending, w, begin, end, 1 - ws.current);
}

static RAM_FUNC pl_tensor fetch(void *ctx, const pl_tensor *w, int32_t begin, int32_t end)
{
    (void)ctx;
    if (in_sram(w)) return rows_in_place(w, begin, end);
    ws.current = 1 - ws.current;
    tile *t = &ws.pending;
    if (t->w != w || t->begin != begin || t->end != end) /* not announced: fetch it now */
        tile_start(t, w, begin, end, ws.current);
    tile_finish(t);
    t->w = NULL;
    return t->view;
}

const pl_weight_stream *weight_stream_create(size_t tile_bytes)
{
    weight_stream_stop();
    memset(&ws, 0, sizeof(ws));
    /* room for the data's and the scales' leading bytes and alignment */
    size_t cap = tile_bytes + 16;
    ws.buf[0] = memory_take(&sram_pool, cap);
    ws.buf[1] = memory_take(&sram_pool, cap);
    if (!ws.buf[0] || !ws.buf[1]) return NULL;
    ws.api = (pl_weight_stream){prefetch, fetch, NULL, tile_bytes};
    xip_stream_init();
    ws.active = true;
    return &ws.api;
}

void weight_stream_stop(void)
{
    if (ws.active) xip_stream_wait();
    ws.pending.w = NULL;
}
