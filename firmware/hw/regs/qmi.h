/* qmi.h - QSPI memory interface: direct mode and the two XIP windows M0
 * (CS0, flash) and M1 (CS1, PSRAM) (facts 8.1; SDK regs/qmi.h). */
#ifndef PICOLLAMA_FW_REGS_QMI_H
#define PICOLLAMA_FW_REGS_QMI_H

#include "reg.h"

#define XIP_QMI_BASE 0x400D0000u

typedef struct {
    io_rw_32 timing;
    io_rw_32 rfmt;
    io_rw_32 rcmd;
    io_rw_32 wfmt;
    io_rw_32 wcmd;
} qmi_window_t;

typedef struct {
    io_rw_32 direct_csr;
    io_wo_32 direct_tx;
    io_ro_32 direct_rx;
    qmi_window_t m[2];
    io_rw_32 atrans[8];
} qmi_hw_t;
REG_CHECK(qmi_hw_t, m[0].timing, 0x0C);
REG_CHECK(qmi_hw_t, m[1].timing, 0x20);
REG_CHECK(qmi_hw_t, m[1].wcmd, 0x30);
REG_CHECK(qmi_hw_t, atrans[0], 0x34);

#define qmi_hw ((qmi_hw_t *)XIP_QMI_BASE)

/* DIRECT_CSR */
#define QMI_DIRECT_CSR_EN (1u << 0)
#define QMI_DIRECT_CSR_BUSY (1u << 1)
#define QMI_DIRECT_CSR_ASSERT_CS0N (1u << 2)
#define QMI_DIRECT_CSR_ASSERT_CS1N (1u << 3)
#define QMI_DIRECT_CSR_TXEMPTY (1u << 11)
#define QMI_DIRECT_CSR_RXEMPTY (1u << 16)
#define QMI_DIRECT_CSR_CLKDIV_LSB 22
/* DIRECT_TX */
#define QMI_DIRECT_TX_OE (1u << 19)
#define QMI_DIRECT_TX_NOPUSH (1u << 20)
#define QMI_DIRECT_TX_IWIDTH_QUAD (2u << 16)
/* Mx_TIMING */
#define QMI_TIMING_COOLDOWN_LSB 30
#define QMI_TIMING_PAGEBREAK_LSB 28
#define QMI_TIMING_PAGEBREAK_1024 2u
#define QMI_TIMING_SELECT_HOLD_LSB 23
#define QMI_TIMING_MAX_SELECT_LSB 17
#define QMI_TIMING_MIN_DESELECT_LSB 12
#define QMI_TIMING_RXDELAY_LSB 8
#define QMI_TIMING_CLKDIV_LSB 0
/* Mx_RFMT / Mx_WFMT: widths 0 single, 1 dual, 2 quad */
#define QMI_FMT_PREFIX_WIDTH_LSB 0
#define QMI_FMT_ADDR_WIDTH_LSB 2
#define QMI_FMT_SUFFIX_WIDTH_LSB 4
#define QMI_FMT_DUMMY_WIDTH_LSB 6
#define QMI_FMT_DATA_WIDTH_LSB 8
#define QMI_FMT_PREFIX_LEN_8 (1u << 12)
#define QMI_FMT_SUFFIX_LEN_8 (2u << 14)
#define QMI_FMT_DUMMY_LEN_LSB 16 /* units of 4 bits */
#define QMI_WIDTH_QUAD 2u

#endif
