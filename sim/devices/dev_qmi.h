/* dev_qmi.h - the QSPI memory interface: direct mode (TX/RX FIFOs, chip
 * select control, BUSY timing) and memory-mapped transfers built from the
 * M0/M1 TIMING/RFMT/RCMD/WFMT/WCMD registers, played clock by clock on the
 * QSPI bus to the flash (CS0) and PSRAM (CS1) chip models. */
#ifndef SIM_DEV_QMI_H
#define SIM_DEV_QMI_H

#include <stdint.h>

#include "bus.h"
#include "qspi.h"

#define QMI_FIFO_DEPTH 4

typedef struct {
    uint32_t csr;
    uint32_t m[2][5];                  /* TIMING, RFMT, RCMD, WFMT, WCMD */
    uint32_t atrans[8];
    uint32_t tx[QMI_FIFO_DEPTH];
    int tx_count;
    uint16_t rx[QMI_FIFO_DEPTH];
    int rx_head, rx_count;
    uint64_t busy_until_ps;
    int selected[2];                   /* chip select asserted on the bus */
    int auto_frame[2];                 /* selected by AUTO_CSxN for the current frame */
    int warned_dtr, warned_psram_timing, warned_cs1_pin, warned_pads;
    uint32_t gen;                      /* bumped on every window/ATRANS register change */
    sim_device dev;
} qmi_dev;

void qmi_setup(machine *m);
void qmi_reset(machine *m);
/* the state the boot ROM leaves after finding a bootable image (2.4) */
void qmi_boot_state(machine *m);
/* the chip on chip select cs as the bus sees it (NULL = nothing answers) */
qspi_chip *qmi_chip(machine *m, int cs);
/* memory-mapped transfer of size bytes at offset (within the 16 MB window of
 * cs, after translation) through the window's formats. */
uint32_t qmi_xip_read(machine *m, int cs, uint32_t offset, int size);
void qmi_xip_write(machine *m, int cs, uint32_t offset, int size, uint32_t value);
/* 1 if a memory-mapped read (write) through window cs now returns (stores)
 * exactly the chip's memory and leaves the chip as it was, i.e. the fast path
 * may be used. why (may be NULL) says what is wrong otherwise. */
int qmi_xip_read_ok(machine *m, int cs, const char **why);
int qmi_xip_write_ok(machine *m, int cs, const char **why);
int qmi_direct_enabled(machine *m);
/* XIP_AUX aliases of DIRECT_TX / DIRECT_RX */
void qmi_aux_tx(machine *m, uint32_t v);
uint32_t qmi_aux_rx(machine *m);
/* identity address translation for both windows? */
int qmi_atrans_identity(machine *m);
/* translate an XIP offset (0..32 MB) to (cs, chip offset); 0 if unmapped */
int qmi_translate(machine *m, uint32_t xip_off, int *cs, uint32_t *chip_off);

#endif
