/* psram.c - APS6404L bring-up (facts 9): identify it over SPI in QMI direct
 * mode, reset it, switch it to QPI, then describe its QPI read (EBh, 6 wait
 * clocks) and write (38h) commands and its timing limits to QMI window M1.
 * Direct mode faults every XIP access, so the set-up runs from SRAM. The
 * size comes from the EID, or is probed where the EID does not say. */
#include "psram.h"

#include "clocks.h"
#include "gpio.h"
#include "pins.h"
#include "platform.h"
#include "qmi_direct.h"
#include "regs/io_bank0.h"
#include "regs/qmi.h"
#include "regs/xip.h"

#define CMD_RESET_ENABLE 0x66
#define CMD_RESET 0x99
#define CMD_READ_ID 0x9F
#define CMD_ENTER_QPI 0x35
#define CMD_EXIT_QPI 0xF5
#define CMD_QUAD_READ 0xEB
#define CMD_QUAD_WRITE 0x38
#define KGD_PASS 0x5D

/* Chip limits as the known-good drivers encode them (facts 9; the
 * datasheet values themselves are UNVERIFIED): */
#define PSRAM_MAX_SCK_HZ 109000000u /* at 3.3 V */
#define PSRAM_MAX_SELECT_NS 8000u   /* tCEM: CS low at most 8 us (refresh) */
#define PSRAM_MIN_DESELECT_NS 50u   /* CS high between accesses */
#define PSRAM_WINDOW_BYTES (16u << 20) /* QMI window M1: 24 address bits */

RAM_FUNC static void select(bool on)
{
    if (on) qmi_hw->direct_csr |= QMI_DIRECT_CSR_ASSERT_CS1N;
    else qmi_hw->direct_csr &= ~QMI_DIRECT_CSR_ASSERT_CS1N;
}

RAM_FUNC static void spi_command(uint8_t cmd)
{
    select(true);
    qmi_direct_byte(cmd);
    qmi_direct_wait_idle();
    select(false);
    for (volatile int i = 0; i < 20; i++) { /* deselect time between commands */
    }
}

typedef struct {
    uint32_t timing, rfmt, rcmd, wfmt, wcmd;
} m1_config;

/* Identifies the chip (MFID, KGD, EID into id[]); if it answers, resets
 * it, enters QPI and programs window M1. Everything happens with the QMI
 * idle and no instruction fetched from flash. */
RAM_FUNC static void detect_and_setup(uint8_t *id, const m1_config *m1)
{
    qmi_direct_enable();
    /* leave QPI first in case a previous boot left the chip in it; the
     * command must then be clocked out on four lines */
    select(true);
    qmi_hw->direct_tx = QMI_DIRECT_TX_OE | QMI_DIRECT_TX_IWIDTH_QUAD | QMI_DIRECT_TX_NOPUSH |
                        CMD_EXIT_QPI;
    qmi_direct_wait_idle();
    select(false);

    select(true);
    qmi_direct_byte(CMD_READ_ID);
    for (int i = 0; i < 3; i++) qmi_direct_byte(0); /* address */
    id[0] = qmi_direct_byte(0xFF); /* MFID */
    id[1] = qmi_direct_byte(0xFF); /* KGD */
    id[2] = qmi_direct_byte(0xFF); /* EID */
    select(false);
    bool present = id[1] == KGD_PASS;
    if (present) {
        spi_command(CMD_RESET_ENABLE);
        spi_command(CMD_RESET);
        spi_command(CMD_ENTER_QPI);
    }
    qmi_direct_wait_idle();
    qmi_hw->direct_csr &= ~(QMI_DIRECT_CSR_EN | QMI_DIRECT_CSR_ASSERT_CS1N);
    if (present) {
        qmi_hw->m[1].timing = m1->timing;
        qmi_hw->m[1].rfmt = m1->rfmt;
        qmi_hw->m[1].rcmd = m1->rcmd;
        qmi_hw->m[1].wfmt = m1->wfmt;
        qmi_hw->m[1].wcmd = m1->wcmd;
        hw_set_bits(&xip_ctrl_hw->ctrl, XIP_CTRL_WRITABLE_M1);
    }
    dsb_isb();
}

static uint32_t div_round_up(uint64_t a, uint64_t b) { return (uint32_t)((a + b - 1) / b); }

/* QMI window 1 timing for the chip's limits at the current clk_sys. */
static uint32_t m1_timing(uint32_t sys_hz, uint32_t *sck_hz)
{
    uint32_t clkdiv = div_round_up(sys_hz, PSRAM_MAX_SCK_HZ);
    if (clkdiv < 2) clkdiv = 2;
    *sck_hz = sys_hz / clkdiv;
    /* MAX_SELECT counts 64 clk_sys cycles: stay at or under tCEM */
    uint32_t max_select = (uint32_t)((uint64_t)PSRAM_MAX_SELECT_NS * sys_hz / 64 / 1000000000u);
    if (max_select > 63) max_select = 63;
    uint32_t min_deselect = div_round_up((uint64_t)PSRAM_MIN_DESELECT_NS * sys_hz, 1000000000u);
    if (min_deselect > 31) min_deselect = 31;
    uint32_t rxdelay = clkdiv; /* sample half an SCK later at these rates */
    return 1u << QMI_TIMING_COOLDOWN_LSB | QMI_TIMING_PAGEBREAK_1024 << QMI_TIMING_PAGEBREAK_LSB |
           3u << QMI_TIMING_SELECT_HOLD_LSB | max_select << QMI_TIMING_MAX_SELECT_LSB |
           min_deselect << QMI_TIMING_MIN_DESELECT_LSB | rxdelay << QMI_TIMING_RXDELAY_LSB |
           clkdiv << QMI_TIMING_CLKDIV_LSB;
}

/* The density in the EID byte as the Pico SDK's psram_eid_to_size()
 * (hardware_psram) and the MicroPython and arduino-pico drivers decode it:
 * bits [7:5] = 0, 1, 2 are AP Memory's 2, 4 and 8 MB, 3 and 4 ISSI's 8 and
 * 16 MB; EID 0x26, the early 8 MB APS6404L (ESP-IDF: "64MBIT_TRIAL"), says
 * 1 in bits [7:5] but holds 8 MB. 0: codes 5-7, which the drivers do not
 * agree on (the firmware probes the size instead). */
static uint32_t eid_size(uint8_t eid)
{
    if (eid == 0x26) return 8u << 20;
    switch (eid >> 5) {
    case 0: return 2u << 20;
    case 1: return 4u << 20;
    case 2:
    case 3: return 8u << 20;
    case 4: return 16u << 20;
    default: return 0;
    }
}

/* The size the chip really has, for an EID that does not say: a PSRAM
 * ignores the address bits above its size, so the first power of two whose
 * offset lands back on offset 0 is the size (1 MB at least, the 16 MB window
 * at most). A chip that stores nothing gives 1 MB and fails the memory test. */
static uint32_t probe_size(void)
{
    volatile uint32_t *mem = (volatile uint32_t *)XIP_PSRAM_NOCACHE_BASE;
    const uint32_t marker = 0x50D1E5A7u;
    mem[0] = marker;
    uint32_t size = 1u << 20;
    for (; size < PSRAM_WINDOW_BYTES; size <<= 1) {
        mem[size / 4] = ~marker;
        if (mem[0] != marker) break;
    }
    return size;
}

void psram_init(psram_info *info)
{
    *info = (psram_info){0};
    gpio_set_function(PSRAM_CS_PIN, GPIO_FUNC_XIP_CS1);
    const uint32_t quad_all = QMI_WIDTH_QUAD << QMI_FMT_PREFIX_WIDTH_LSB |
                              QMI_WIDTH_QUAD << QMI_FMT_ADDR_WIDTH_LSB |
                              QMI_WIDTH_QUAD << QMI_FMT_SUFFIX_WIDTH_LSB |
                              QMI_WIDTH_QUAD << QMI_FMT_DUMMY_WIDTH_LSB |
                              QMI_WIDTH_QUAD << QMI_FMT_DATA_WIDTH_LSB | QMI_FMT_PREFIX_LEN_8;
    m1_config m1 = {
        .timing = m1_timing(clock_sys_hz(), &info->sck_hz),
        .rfmt = quad_all | 6u << QMI_FMT_DUMMY_LEN_LSB, /* 24 bits = 6 wait clocks */
        .rcmd = CMD_QUAD_READ,
        .wfmt = quad_all,
        .wcmd = CMD_QUAD_WRITE,
    };
    uint8_t id[3];
    detect_and_setup(id, &m1);
    info->mfid = id[0];
    info->kgd = id[1];
    info->eid = id[2];
    info->present = id[1] == KGD_PASS;
    if (!info->present) {
        info->sck_hz = 0;
        return;
    }
    info->size_bytes = eid_size(id[2]);
    info->eid_known = info->size_bytes != 0;
    if (!info->eid_known) info->size_bytes = probe_size();
}

/* A value no neighbouring or aliased word shares. */
static uint32_t pattern(uint32_t i) { return i * 2654435761u ^ 0xA5C3F00Fu; }

void psram_test(psram_info *info)
{
    volatile uint32_t *mem = (volatile uint32_t *)XIP_PSRAM_NOCACHE_BASE;
    uint32_t words = info->size_bytes / 4;
    info->test_passed = false;
    if (!info->present || words == 0) return;
    uint64_t t0 = time_us();
    for (uint32_t i = 0; i < words; i++) mem[i] = pattern(i);
    uint64_t t1 = time_us();
    uint32_t bad = words;
    for (uint32_t i = 0; i < words && bad == words; i++)
        if (mem[i] != pattern(i)) bad = i;
    uint64_t t2 = time_us();
    info->test_passed = bad == words;
    info->test_fail_offset = bad * 4;
    uint64_t kb = info->size_bytes / 1024;
    info->write_kbps = t1 > t0 ? (uint32_t)(kb * 1000000u / (t1 - t0)) : 0;
    info->read_kbps = t2 > t1 ? (uint32_t)(kb * 1000000u / (t2 - t1)) : 0;
}
