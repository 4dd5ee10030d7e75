/* dev_qmi.h - the QSPI memory interface (datasheet 12.14): direct mode (TX/RX
 * FIFOs, chip select control, BUSY timing) and memory-mapped transfers built
 * from the M0/M1 TIMING/RFMT/RCMD/WFMT/WCMD registers, played clock by clock
 * on the QSPI bus (bus/qspi.h) to the flash (CS0) and PSRAM (CS1) chips.
 *
 * Signals: in, the chip on each chip select (qmi_chip_port), whether CS1
 * reaches the PSRAM's CE# through its GPIO (qmi_cs1_pin), the PADS_QSPI
 * SCLK and SD0-SD3 pad registers (probes: pulls, drive, slew, Schmitt);
 * out, windows_changed (a window register, ATRANS or direct mode changed:
 * the XIP windows may answer differently) and the chip-select levels
 * (selected[], sampled by GPIO for a pin with function XIP_CS1). The XIP
 * side reaches the memory-mapped transfers through qmi_xip_port
 * (bus/xip_qmi.h). */
#ifndef SIM_DEV_QMI_H
#define SIM_DEV_QMI_H

#include <stdint.h>

#include "device.h"
#include "qspi.h"
#include "services.h"
#include "signals.h"
#include "xip_qmi.h"

#define QMI_FIFO_DEPTH 4

/* in: a memory chip on a chip select */
typedef struct {
    qspi_chip *chip;                   /* NULL: nothing fitted */
    uint8_t *mem;                      /* its memory array (the fast-path checks write a pattern) */
    uint32_t size;
    void *ctx;
    /* a scratch copy of the chip in its present state, sharing its memory
     * and telling nobody of changes: a dry-run transfer plays on it */
    qspi_chip *(*scratch)(void *ctx);
    /* the scratch copy is still in the chip's mode (continuous read,
     * power-down, QPI) */
    int (*scratch_same_mode)(void *ctx);
} qmi_chip_port;

/* in: QMI CS1 reaches the PSRAM's CE# through the board's CS1 GPIO */
typedef struct {
    void *ctx;
    int (*routed)(void *ctx);            /* function XIP_CS1 and the pad's output on */
    const char *(*problem)(void *ctx);   /* why not, for messages (NULL: not routed) */
} qmi_cs1_pin;

typedef struct {
    /* cleared by a reset (qmi_reset) */
    uint32_t csr;
    qmi_window_regs win;               /* M0/M1 formats and timing, ATRANS */
    uint32_t tx[QMI_FIFO_DEPTH];
    int tx_count;
    uint16_t rx[QMI_FIFO_DEPTH];
    int rx_head, rx_count;
    uint64_t busy_until_ps;
    int selected[2];                   /* out: chip select asserted on the bus */
    int auto_frame[2];                 /* selected by AUTO_CSxN for the current frame */
    int warned_dtr, warned_psram_timing, warned_cs1_pin, warned_pads;
    /* kept across resets */
    sim_device dev;
    const board_services *svc;
    qmi_chip_port chip[2];             /* in: CS0 flash, CS1 PSRAM */
    qmi_cs1_pin cs1_pin;               /* in */
    sim_probe pad_sclk, pad_sd[4];     /* in: PADS_QSPI GPIO_QSPI_SCLK, GPIO_QSPI_SD0-3 */
    sim_signal windows_changed;        /* out */
} qmi_dev;

void qmi_init(qmi_dev *q, const board_services *svc);
void qmi_reset(qmi_dev *q);
/* the state the boot ROM leaves after finding a bootable image (2.4) */
void qmi_boot_state(qmi_dev *q);
/* the QMI's memory-mapped side, for the XIP block and the XIP cache */
xip_qmi_port qmi_xip_port(qmi_dev *q);

#endif
