/* xip_qmi.h - the QMI's memory-mapped side as the XIP block (dev_xip.c) and
 * the XIP cache timing (xip_cache.c) use it: a transfer through window CS0
 * (flash) or CS1 (PSRAM), its address translation (ATRANS), whether the
 * window's formats return the chip's contents (the fast-path checks),
 * direct mode, the XIP_AUX aliases of the direct-mode FIFOs, and the
 * window registers the QSPI transfer timing is computed from (datasheet
 * 4.4 and 12.14). Owned by neither side: the QMI offers it
 * (qmi_xip_port), the board hands it to the XIP block and the cache, as
 * bus/qspi.h sits between the QMI and the chips. */
#ifndef SIM_XIP_QMI_H
#define SIM_XIP_QMI_H

#include <stdint.h>

#include "regs/qmi.h"

/* the QMI's memory-window registers, read only on the XIP side */
typedef struct {
    uint32_t m[2][5];                  /* per window: TIMING, RFMT, RCMD, WFMT, WCMD */
    uint32_t atrans[QMI_ATRANS_COUNT];
    uint32_t gen;                      /* bumped on every window/ATRANS register change */
} qmi_window_regs;

typedef struct {
    void *qmi;
    const qmi_window_regs *regs;
    /* DIRECT_CSR.EN: memory-mapped accesses bus-fault */
    int (*direct_enabled)(void *qmi);
    /* ATRANS0-7 are the identity for both windows */
    int (*atrans_identity)(void *qmi);
    /* an XIP offset (0..32 MB) to (cs, chip offset); 0 if ATRANS maps nothing there */
    int (*translate)(void *qmi, uint32_t xip_off, int *cs, uint32_t *chip_off);
    /* a memory-mapped transfer of size bytes at a chip offset through window cs */
    uint32_t (*read)(void *qmi, int cs, uint32_t off, int size);
    void (*write)(void *qmi, int cs, uint32_t off, int size, uint32_t value);
    /* 1 if a read (write) through window cs now returns (stores) exactly the
     * chip's memory and leaves the chip as it was (the fast path may be
     * used); why (may be NULL) says what is wrong otherwise */
    int (*read_ok)(void *qmi, int cs, const char **why);
    int (*write_ok)(void *qmi, int cs, const char **why);
    /* XIP_AUX's aliases of DIRECT_TX / DIRECT_RX */
    void (*aux_tx)(void *qmi, uint32_t v);
    uint32_t (*aux_rx)(void *qmi);
} xip_qmi_port;

#endif
