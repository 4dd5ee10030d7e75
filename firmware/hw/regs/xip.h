/* xip.h - XIP_CTRL (cache control, streaming) and the XIP address windows
 * (facts 1.2, 8.2-8.4; SDK regs/xip.h, addressmap.h). */
#ifndef PICOLLAMA_FW_REGS_XIP_H
#define PICOLLAMA_FW_REGS_XIP_H

#include "reg.h"

#define XIP_BASE 0x10000000u            /* cached, CS0 flash */
#define XIP_PSRAM_BASE 0x11000000u      /* cached, CS1 */
#define XIP_NOCACHE_NOALLOC_BASE 0x14000000u
#define XIP_PSRAM_NOCACHE_BASE 0x15000000u
#define XIP_MAINTENANCE_BASE 0x18000000u
#define XIP_CTRL_BASE 0x400C8000u

typedef struct {
    io_rw_32 ctrl;
    uint32_t _pad0;
    io_ro_32 stat;
    io_rw_32 ctr_hit;
    io_rw_32 ctr_acc;
    io_rw_32 stream_addr;
    io_rw_32 stream_ctr;
    io_ro_32 stream_fifo;
} xip_ctrl_hw_t;
REG_CHECK(xip_ctrl_hw_t, stat, 0x08);
REG_CHECK(xip_ctrl_hw_t, stream_fifo, 0x1C);

#define xip_ctrl_hw ((xip_ctrl_hw_t *)XIP_CTRL_BASE)

#define XIP_STAT_FIFO_EMPTY (1u << 1)
#define XIP_STREAM_CTR_MAX 0x3FFFFFu /* STREAM_CTR is 22 bits of words */

/* XIP_AUX: the stream FIFO's fast alias for the DMA (facts 8.2) */
#define XIP_AUX_STREAM 0x50500000u

#define XIP_CTRL_WRITABLE_M1 (1u << 11)
#define XIP_CTRL_WRITABLE_M0 (1u << 10)

#endif
