/* dev_xip.h - the XIP address space and XIP_CTRL/XIP_AUX: the cached,
 * uncached and untranslated windows onto QMI CS0 (flash) and CS1 (PSRAM),
 * cache maintenance, cache-as-SRAM pinning, and the streaming FIFO.
 *
 * Windows are mapped into Unicorn as plain memory (fast path) whenever QMI
 * state guarantees that a transfer returns exactly the chip's contents;
 * otherwise they are MMIO and every access is played on the QSPI bus (slow
 * path); in QMI direct mode they are unmapped, so any access bus-faults as
 * on silicon. A cache timing model can later hook the fast path's mapping
 * decision (xip_window_mode) and the slow path (xip_slow_read/write). */
#ifndef SIM_DEV_XIP_H
#define SIM_DEV_XIP_H

#include <stdint.h>

#include "bus.h"

enum { XIP_MAP_NONE = 0, XIP_MAP_SLOW, XIP_MAP_RO, XIP_MAP_RW };

typedef struct {
    uint32_t ctrl;
    uint32_t stream_addr, stream_ctr;
    uint64_t stream_due;               /* the word in flight reaches the FIFO (cycles) */
    int stream_inflight;
    uint32_t fifo[2];
    int fifo_count;
    uint8_t pinned[2048];              /* cache lines pinned at XIP_SRAM (8 bytes each) */
    uint8_t sram[0x4000];              /* data of pinned lines */
    int mode[2];                       /* current XIP_MAP_* of CS0 / CS1 windows */
    int mapped_any;
    int warned_slow[2], warned_write[2];
    sim_device dev_ctrl, dev_aux;
} xip_dev;

void xip_setup(machine *m);
void xip_reset(machine *m);
/* Decides and installs the window mappings in both cores' engines. */
void xip_remap(machine *m);
/* Asks for xip_remap at the next slice boundary (QMI/XIP_CTRL/GPIO change). */
void xip_request_remap(machine *m);
/* 1 if addr lies in an XIP window currently mapped in core's engine */
int xip_window_mapped(machine *m, int core, uint32_t addr);
/* Maps the XIP regions that never change (maintenance, XIP SRAM) into core c. */
int xip_map_fixed(machine *m, int core);
/* XIP reads for DMA and the sim (full bus address). */
int xip_bus_read(machine *m, int master, uint32_t addr, int size, uint32_t *v);
int xip_bus_write(machine *m, int master, uint32_t addr, int size, uint32_t v);
/* a write to a read-only XIP window (WRITABLE_Mx = 0): 1 if it is to be
 * dropped, as silicon downgrades it to a read */
int xip_write_dropped(machine *m, int core, uint32_t addr);
/* a write that hit a read-only fast mapping: dropped or played on the QSPI
 * bus; 1 if handled */
int xip_prot_write(machine *m, int core, uint32_t addr, int size, uint64_t value);
/* why an access to addr in the XIP space faulted (NULL: not an XIP reason) */
const char *xip_describe_fault(machine *m, uint32_t addr);
/* DREQ_XIP_STREAM: data waiting in the stream FIFO at time t (cycles) */
int xip_stream_ready(machine *m, uint64_t t);
/* when the stream's next word arrives (0: none in flight) */
uint64_t xip_stream_due(machine *m);
/* the memory behind QMI chip select cs (flash or PSRAM, NULL if none) and its size */
uint8_t *xip_chip_mem(machine *m, int cs, uint32_t *size);
/* the flash content changed (program/erase): drop translated code */
void xip_flash_modified(machine *m, uint32_t offset, uint32_t len);

#endif
