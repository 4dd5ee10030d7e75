/* regs/qmi.h - QMI (XIP_QMI), XIP_CTRL and XIP_AUX register facts
 * (rp2350-facts.md 8; datasheet 4.4 and 12.14). */
#ifndef SIM_REGS_QMI_H
#define SIM_REGS_QMI_H

#include <stdint.h>

#define QMI_BASE 0x400D0000u
#define QMI_DIRECT_CSR 0x00u
#define QMI_DIRECT_TX 0x04u
#define QMI_DIRECT_RX 0x08u
#define QMI_M0_TIMING 0x0Cu      /* window n: TIMING 0x0C + 0x14n, RFMT +4, RCMD +8, WFMT +C, WCMD +10 */
#define QMI_M_STRIDE 0x14u
#define QMI_ATRANS0 0x34u
#define QMI_ATRANS_COUNT 8

#define QMI_CSR_EN (1u << 0)
#define QMI_CSR_BUSY (1u << 1)
#define QMI_CSR_ASSERT_CS0N (1u << 2)
#define QMI_CSR_ASSERT_CS1N (1u << 3)
#define QMI_CSR_AUTO_CS0N (1u << 6)
#define QMI_CSR_AUTO_CS1N (1u << 7)
#define QMI_CSR_TXFULL (1u << 10)
#define QMI_CSR_TXEMPTY (1u << 11)
#define QMI_CSR_RXEMPTY (1u << 16)
#define QMI_CSR_RXFULL (1u << 17)
#define QMI_CSR_CLKDIV_LSB 22
#define QMI_CSR_RW_MASK 0xFFC000CDu   /* RXDELAY, CLKDIV, AUTO_CSx, ASSERT_CSx, EN */

#define QMI_TX_NOPUSH (1u << 20)
#define QMI_TX_OE (1u << 19)
#define QMI_TX_DWIDTH (1u << 18)
#define QMI_TX_IWIDTH_LSB 16

/* Mx_RFMT / Mx_WFMT fields */
#define QMI_FMT_DTR (1u << 28)
#define QMI_FMT_DUMMY_LEN(f) (((f) >> 16) & 7)       /* units of 4 bits */
#define QMI_FMT_SUFFIX_LEN(f) (((f) >> 14) & 3)      /* 0 none, 2 = 8 bits */
#define QMI_FMT_PREFIX_LEN(f) (((f) >> 12) & 1)      /* 1 = 8 bits */
#define QMI_FMT_DATA_WIDTH(f) (((f) >> 8) & 3)       /* 0 single, 1 dual, 2 quad */
#define QMI_FMT_DUMMY_WIDTH(f) (((f) >> 6) & 3)
#define QMI_FMT_SUFFIX_WIDTH(f) (((f) >> 4) & 3)
#define QMI_FMT_ADDR_WIDTH(f) (((f) >> 2) & 3)
#define QMI_FMT_PREFIX_WIDTH(f) ((f) & 3)
#define QMI_TIMING_CLKDIV(t) ((t) & 0xFF)
#define QMI_TIMING_MAX_SELECT(t) (((t) >> 17) & 0x3F)
#define QMI_TIMING_PAGEBREAK(t) (((t) >> 28) & 3)

#define XIP_CTRL_BASE 0x400C8000u
#define XIP_CTRL 0x00u
#define XIP_STAT 0x08u
#define XIP_CTR_HIT 0x0Cu
#define XIP_CTR_ACC 0x10u
#define XIP_STREAM_ADDR 0x14u
#define XIP_STREAM_CTR 0x18u
#define XIP_STREAM_FIFO 0x1Cu
#define XIP_CTRL_WRITABLE_M1 (1u << 11)
#define XIP_CTRL_WRITABLE_M0 (1u << 10)
#define XIP_CTRL_NO_UNTRANSLATED_SEC (1u << 6)
#define XIP_CTRL_NO_UNCACHED_SEC (1u << 4)
#define XIP_CTRL_POWER_DOWN (1u << 3)
#define XIP_CTRL_EN_SECURE (1u << 0)
#define XIP_STAT_FIFO_FULL (1u << 2)
#define XIP_STAT_FIFO_EMPTY (1u << 1)

#define XIP_AUX_BASE 0x50500000u
#define XIP_AUX_STREAM 0x00u
#define XIP_AUX_QMI_DIRECT_TX 0x04u
#define XIP_AUX_QMI_DIRECT_RX 0x08u

/* the XIP address space */
#define XIP_CACHED_BASE 0x10000000u
#define XIP_NOCACHE_BASE 0x14000000u
#define XIP_MAINT_BASE 0x18000000u
#define XIP_NOTRANSLATE_BASE 0x1C000000u
#define XIP_WINDOW_SIZE 0x01000000u      /* per chip select */
#define XIP_SRAM_BASE 0x13FFC000u
#define XIP_SRAM_SIZE 0x4000u
#define XIP_SPACE_END 0x20000000u         /* SRAM starts where the XIP space ends */

static inline int xip_in_space(uint32_t addr)
{
    return addr >= XIP_CACHED_BASE && addr < XIP_SPACE_END;
}

#endif
