/* dev_xip.h - the XIP address space and XIP_CTRL/XIP_AUX (datasheet 4.4):
 * the cached, uncached and untranslated windows onto QMI CS0 (flash) and
 * CS1 (PSRAM), cache maintenance, cache-as-SRAM pinning, and the streaming
 * FIFO.
 *
 * Windows are mapped into each core's engine as plain memory (fast path)
 * whenever QMI state guarantees that a transfer returns exactly the chip's
 * contents; otherwise they are MMIO and every access is played on the QSPI
 * bus (slow path); in QMI direct mode they are unmapped, so any access
 * bus-faults as on silicon. The XIP cache timing (bus/xip_cache.h) times
 * every access.
 *
 * Signals: in, the QMI's memory-mapped side (xip_qmi_port, bus/xip_qmi.h),
 * the flash and PSRAM arrays (the fast path maps them), the cores' engines
 * and clocks (xip_board_port: map/unmap/flush a window, a core's time and
 * stalls, the DMA's time, "remap requested", the bus's description of an
 * address), windows_changed (xip_windows_changed: QMI or pad registers
 * changed); out, DREQ_XIP_STREAM as xip_stream_ready / xip_stream_due,
 * which the DMA samples. */
#ifndef SIM_DEV_XIP_H
#define SIM_DEV_XIP_H

#include <stddef.h>
#include <stdint.h>

#include "device.h"
#include "services.h"
#include "signals.h"
#include "xip_cache.h"
#include "xip_qmi.h"

enum { XIP_MAP_NONE = 0, XIP_MAP_SLOW, XIP_MAP_RO, XIP_MAP_RW };
enum { XIP_KIND_CACHED = 0, XIP_KIND_NOCACHE = 1, XIP_KIND_NOTRANSLATE = 2, XIP_KIND_COUNT = 3 };

/* an MMIO region of the XIP space in a core's engine: the board calls the
 * handlers with the bus address */
typedef struct {
    void *xip;
    int core;
    uint32_t base;
    uint64_t (*read)(void *xip, int core, uint32_t addr, unsigned size);
    void (*write)(void *xip, int core, uint32_t addr, unsigned size, uint64_t value);
} xip_mmio;

/* in: what the XIP block needs of the rest of the board */
typedef struct {
    void *ctx;
    /* maps [base, base + size) of core's engine read/execute-only onto mem
     * (1 = done; *err says why not) */
    int (*map_memory)(void *ctx, int core, uint32_t base, uint32_t size, uint8_t *mem,
                      const char **err);
    /* maps [base, base + size) of core's engine onto io's handlers */
    int (*map_mmio)(void *ctx, int core, uint32_t base, uint32_t size, xip_mmio *io,
                    const char **err);
    void (*unmap)(void *ctx, int core, uint32_t base, uint32_t size);
    /* drops translated code of [addr, addr + len) in core's engine */
    void (*flush_code)(void *ctx, int core, uint32_t addr, uint32_t len);
    /* the code in the XIP space changed: drop cached block timings */
    void (*flush_timing)(void *ctx);
    /* the running core's position (cycles) and a wait inserted there */
    uint64_t (*core_now)(void *ctx, int core);
    void (*core_stall)(void *ctx, int core, uint32_t cycles);
    /* the DMA's current time (cycles), for its XIP_AUX stream pops */
    uint64_t (*dma_now)(void *ctx);
    /* xip_remap is wanted at the next slice boundary */
    void (*remap_requested)(void *ctx);
    /* what is at addr, for the bad-access message */
    const char *(*describe)(void *ctx, uint32_t addr, char *buf, size_t len);
} xip_board_port;

typedef struct {
    /* cleared by a reset (xip_reset) */
    uint32_t ctrl;
    uint32_t stream_addr, stream_ctr;
    uint64_t stream_due;               /* the word in flight reaches the FIFO (cycles) */
    int stream_inflight;
    uint32_t fifo[2];
    int fifo_count;
    uint8_t pinned[2048];              /* cache lines pinned at XIP_SRAM (8 bytes each) */
    uint8_t sram[0x4000];              /* data of pinned lines */
    int mapped_any;
    int warned_slow[2], warned_write[2];
    /* kept across resets */
    int mode[2];                       /* current XIP_MAP_* of CS0 / CS1 windows */
    int mapped[2][XIP_KIND_COUNT][2];  /* what is mapped in each core's engine: [core][kind][cs] */
    int mapped_valid[2];
    xip_mmio window_io[2][XIP_KIND_COUNT][2], maint_io[2], sram_io[2];
    sim_device dev_ctrl, dev_aux;
    const board_services *svc;
    xip_qmi_port qmi;                  /* in */
    xip_board_port board;              /* in */
    xip_cache *xc;                     /* the cache's timing (shared with the cores and the DMA) */
    uint8_t *mem[2];                   /* in: flash (CS0) and PSRAM (CS1) arrays, NULL = none */
    uint32_t mem_size[2];
} xip_dev;

void xip_init(xip_dev *x, const board_services *svc);
void xip_reset(xip_dev *x);
/* Decides and installs the window mappings in both cores' engines. */
void xip_remap(xip_dev *x);
/* Asks for xip_remap at the next slice boundary (QMI/XIP_CTRL/GPIO change). */
void xip_request_remap(xip_dev *x);
/* the windows_changed input (QMI registers, pads, CS1 routing) */
void xip_windows_changed(void *xip, int n, uint32_t unused);
/* 1 if addr lies in an XIP window currently mapped in core's engine */
int xip_window_mapped(xip_dev *x, int core, uint32_t addr);
/* Maps the XIP regions that never change (maintenance, XIP SRAM) into core c. */
int xip_map_fixed(xip_dev *x, int core);
/* XIP reads for DMA and the sim (full bus address). */
int xip_bus_read(xip_dev *x, int master, uint32_t addr, int size, uint32_t *v);
int xip_bus_write(xip_dev *x, int master, uint32_t addr, int size, uint32_t v);
/* a write to a read-only XIP window (WRITABLE_Mx = 0): 1 if it is to be
 * dropped, as silicon downgrades it to a read */
int xip_write_dropped(xip_dev *x, int core, uint32_t addr);
/* a write that hit a read-only fast mapping: dropped or played on the QSPI
 * bus; 1 if handled */
int xip_prot_write(xip_dev *x, int core, uint32_t addr, int size, uint64_t value);
/* why an access by core to addr in the XIP space faulted (NULL: not an XIP reason) */
const char *xip_describe_fault(xip_dev *x, int core, uint32_t addr);
/* DREQ_XIP_STREAM: data waiting in the stream FIFO at time t (cycles) */
int xip_stream_ready(xip_dev *x, uint64_t t);
/* when the stream's next word arrives (0: none in flight) */
uint64_t xip_stream_due(xip_dev *x);
/* the flash content changed (program/erase): drop translated code */
void xip_flash_modified(xip_dev *x, uint32_t offset, uint32_t len);

#endif
