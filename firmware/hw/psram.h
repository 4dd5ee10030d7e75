/* psram.h - the APS6404L QSPI PSRAM on QMI chip select 1 (GPIO47), mapped
 * at 0x11000000 once set up. */
#ifndef PICOLLAMA_FW_PSRAM_H
#define PICOLLAMA_FW_PSRAM_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
    bool present;          /* answered Read ID with a good-die code */
    uint8_t mfid, kgd, eid;
    bool eid_known;        /* the EID gave the size; else it was probed */
    uint32_t size_bytes;
    uint32_t sck_hz;
    /* boot memory test over the whole device */
    bool test_passed;
    uint32_t test_fail_offset;
    uint32_t write_kbps, read_kbps; /* KB/s through the uncached window */
} psram_info;

/* Detects the chip, enters QPI and maps it writable through QMI window 1
 * with timing derived from the current clk_sys; sizes it from the EID, or
 * by probing when the EID's density code is not a known one. */
void psram_init(psram_info *info);
/* Writes and verifies every word of the device; fills the test results. */
void psram_test(psram_info *info);

#endif
