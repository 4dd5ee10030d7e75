/* xip_cache.h - time on the XIP side: the 16 KB XIP cache (2 ways x 1024
 * sets of 8-byte lines, 1-cycle hit, random replacement, write-allocate
 * with write-back; datasheet 4.4.1) and the QSPI transfers the QMI makes on
 * a miss, an uncached access, a dirty eviction or for the streaming FIFO,
 * timed from the window's M0/M1 TIMING and RFMT/WFMT registers as the
 * firmware programmed them (datasheet 12.14; the formula is at the top of
 * xip_cache.c). Both cores, the DMA and the stream share one cache and one
 * QSPI bus.
 *
 * Every function takes the time the request is made (clk_sys cycles since
 * power-on) and returns how many cycles the requester waits beyond the
 * access's own single cycle (0 for a hit).
 *
 * Inputs (given at xc_init): the QMI's memory-mapped side (bus/xip_qmi.h:
 * window TIMING/RFMT/WFMT registers, ATRANS) and XIP_CTRL.CTRL (the cache
 * enable); the per-region statistics live here (st[]), read by the profiler.
 */
#ifndef SIM_XIP_CACHE_H
#define SIM_XIP_CACHE_H

#include <stdint.h>

#include "regs/qmi.h"
#include "xip_qmi.h"

#define XC_WAYS 2
#define XC_SETS 1024
#define XC_VALID 0x80000000u
#define XC_XFERS 64              /* recent QSPI transfers kept for the bus timeline */
/* cycles from the QMI capturing the last data bit of a line fill (or an
 * uncached read) to the data reaching the requester: ASSUMED 1 (the cache
 * writes the line and forwards the word; the datasheet gives no number) */
#define XC_FILL_CYCLES 1

/* where time goes, per memory region (profiler) */
enum { XR_ROM = 0, XR_SRAM, XR_FLASH, XR_PSRAM, XR_XIPSRAM, XR_OTHER, XR_COUNT };

typedef struct {
    uint64_t exec_cycles;        /* cycles of instructions fetched from the region */
    uint64_t stall_cycles;       /* cycles the cores waited for the region (misses, uncached) */
    uint64_t fetches, reads, writes;   /* XIP accesses: instruction lines, data reads, data writes */
    uint64_t misses, uncached;         /* the rest hit the cache */
    uint64_t streamed;                 /* words read by the stream engine (no cache access) */
    uint64_t qspi_read_bytes, qspi_write_bytes;
    uint64_t transfers, chained;
} xc_region_stats;

typedef struct {
    uint64_t start;              /* chip select asserted (or chaining resumed) */
    uint64_t end;                /* last SCK falling edge of the transfer */
    uint64_t sel_start;          /* chip select asserted for this burst */
    uint32_t next;               /* chip address right after the data */
    uint8_t cs, write;
    uint8_t can_chain;           /* COOLDOWN holds CS (no page break, MAX_SELECT not reached) */
    uint16_t half, hold, min_deselect;
    uint32_t cooldown;
} xc_xfer;

/* the transfer parameters of a window (QMI Mx_TIMING/RFMT/WFMT) */
typedef struct {
    uint32_t T, h, rx, setup, hold, min_deselect, cooldown, max_select, page;
    uint32_t sck_cmd;             /* prefix + address + suffix + dummy */
    uint32_t data_shift;          /* log2(data lines) + DTR: data bits per SCK = 1 << this */
    int dtr;
} xfer_params;

typedef struct {
    uint32_t tag[XC_WAYS][XC_SETS];    /* line number (XIP address[25:3]) | XC_VALID */
    uint8_t dirty[XC_WAYS][XC_SETS];
    uint8_t pinned[XC_WAYS][XC_SETS];
    uint32_t rng;
    xc_xfer xf[XC_XFERS];              /* ring, in start-time order */
    int xf_head, xf_count;
    xc_region_stats st[XR_COUNT];
    int64_t ctr_acc_base, ctr_hit_base;   /* XIP_CTRL CTR_ACC / CTR_HIT = totals - base */
    uint32_t gen;                      /* QMI register generation the cached values are for */
    int identity;                      /* ATRANS is the identity */
    xfer_params params[2][2];          /* [cs][write]: the QMI registers parsed at generation gen */
    int last_write_size;               /* an unaligned write being split into bytes */
    uint32_t last_write_addr, last_write_left;
    /* wiring, kept across resets */
    xip_qmi_port qmi;                  /* in: the QMI's windows */
    const uint32_t *xip_ctrl;          /* in: XIP_CTRL.CTRL */
} xip_cache;

void xc_init(xip_cache *c, xip_qmi_port qmi, const uint32_t *xip_ctrl);
void xc_reset(xip_cache *c);
void xc_stats_reset(xip_cache *c);

/* XIP_CTRL turns the cache on: EN_SECURE set, POWER_DOWN clear */
static inline int xc_enabled(uint32_t xip_ctrl)
{
    return (xip_ctrl & (XIP_CTRL_EN_SECURE | XIP_CTRL_POWER_DOWN)) == XIP_CTRL_EN_SECURE;
}

/* the line holding addr is in the cache (way index) or -1 */
static inline int xc_lookup(const xip_cache *c, uint32_t addr)
{
    uint32_t line = (addr & 0x03FFFFF8u) >> 3, set = line & (XC_SETS - 1), want = line | XC_VALID;
    return c->tag[0][set] == want ? 0 : c->tag[1][set] == want ? 1 : -1;
}

/* Instruction fetch of the 8-byte line holding addr (any XIP window). */
uint32_t xc_fetch(xip_cache *c, int master, uint32_t addr, uint64_t now);
/* Data accesses by a core or the DMA (any XIP window). */
uint32_t xc_read(xip_cache *c, int master, uint32_t addr, int size, uint64_t now);
uint32_t xc_write(xip_cache *c, int master, uint32_t addr, int size, uint64_t now);
/* A cache maintenance write (0x18000000 + offset + op): applies it to the
 * tags; returns the wait for a clean that writes a dirty line back. */
uint32_t xc_maintain(xip_cache *c, int master, uint32_t addr, uint64_t now);
/* The streaming FIFO reads the word at addr (an XIP address): the time its
 * data arrives. */
uint64_t xc_stream_read(xip_cache *c, uint32_t addr, uint64_t now);
/* the region (XR_*) of an address */
int xc_region(uint32_t addr);
/* XIP_CTRL CTR_ACC / CTR_HIT (saturating) and their clearing */
uint32_t xc_ctr(xip_cache *c, int hits);
void xc_ctr_clear(xip_cache *c, int hits);
/* cycles of one QSPI transfer of nbytes through window cs as programmed
 * now, starting with the chip deselected (for tests and the report) */
uint32_t xc_transfer_cycles(xip_cache *c, int cs, int write, int nbytes, int chained);

#endif
