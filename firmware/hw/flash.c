/* flash.c - QMI M0 set-up (facts 8.1, 10). Direct mode makes every XIP
 * access fault, so the whole sequence runs from SRAM and touches nothing in
 * flash until XIP is back. Before SCK goes to clk_sys / 2 the QSPI pads get
 * what the SDK's boot2 gives them. */
#include "flash.h"

#include "clocks.h"
#include "platform.h"
#include "qmi_direct.h"
#include "regs/pads_qspi.h"
#include "regs/qmi.h"
#include "regs/xip.h"

#define CMD_READ_JEDEC_ID 0x9F
#define CMD_READ_STATUS2 0x35
#define STATUS2_QE 0x02
#define CMD_QUAD_IO_READ 0xEB

/* The boot ROM runs the flash at clk_sys / 3 at most (50 MHz at 150 MHz)
 * with the pads as reset leaves them: 4 mA, slow slew, Schmitt on. For
 * clk_sys / 2 the SDK's boot2 (boot2_w25q080.S, _pad_config) first drives
 * SCLK at 8 mA with fast slew (input off: SCK is only an output) and takes
 * the Schmitt triggers off SD0-SD3, whose delay eats into the read timing. */
RAM_FUNC static void qspi_pads_for_fast_sck(void)
{
    pads_qspi_hw->gpio_qspi_sclk =
        PADS_QSPI_GPIO_QSPI_DRIVE_8MA << PADS_QSPI_GPIO_QSPI_DRIVE_LSB | PADS_QSPI_GPIO_QSPI_SLEWFAST;
    for (int i = 0; i < 4; i++)
        hw_clear_bits(&pads_qspi_hw->gpio_qspi_sd[i], PADS_QSPI_GPIO_QSPI_SCHMITT);
}

RAM_FUNC static void probe_and_configure(uint8_t *jedec, uint8_t *status2, int *fast)
{
    qmi_direct_enable();

    qmi_hw->direct_csr |= QMI_DIRECT_CSR_ASSERT_CS0N;
    qmi_direct_byte(CMD_READ_JEDEC_ID);
    for (int i = 0; i < 3; i++) jedec[i] = qmi_direct_byte(0);
    qmi_hw->direct_csr &= ~QMI_DIRECT_CSR_ASSERT_CS0N;

    qmi_hw->direct_csr |= QMI_DIRECT_CSR_ASSERT_CS0N;
    qmi_direct_byte(CMD_READ_STATUS2);
    *status2 = qmi_direct_byte(0);
    qmi_hw->direct_csr &= ~QMI_DIRECT_CSR_ASSERT_CS0N;
    qmi_direct_wait_idle();
    qmi_hw->direct_csr &= ~QMI_DIRECT_CSR_EN;

    *fast = (*status2 & STATUS2_QE) != 0;
    if (*fast) {
        qspi_pads_for_fast_sck();
        /* quad I/O read: command serial, address + mode byte + 4 dummy clocks
         * + data on four lines; SCK = clk_sys / 2 */
        qmi_hw->m[0].timing = 1u << QMI_TIMING_COOLDOWN_LSB | 2u << QMI_TIMING_RXDELAY_LSB |
                              2u << QMI_TIMING_CLKDIV_LSB;
        qmi_hw->m[0].rfmt = QMI_WIDTH_QUAD << QMI_FMT_ADDR_WIDTH_LSB |
                            QMI_WIDTH_QUAD << QMI_FMT_SUFFIX_WIDTH_LSB |
                            QMI_WIDTH_QUAD << QMI_FMT_DUMMY_WIDTH_LSB |
                            QMI_WIDTH_QUAD << QMI_FMT_DATA_WIDTH_LSB | QMI_FMT_PREFIX_LEN_8 |
                            QMI_FMT_SUFFIX_LEN_8 | 4u << QMI_FMT_DUMMY_LEN_LSB;
        qmi_hw->m[0].rcmd = CMD_QUAD_IO_READ; /* mode byte 0x00: no continuous read */
    }
    /* one read through the uncached window before returning to flash code */
    (void)*(volatile uint32_t *)XIP_NOCACHE_NOALLOC_BASE;
    dsb_isb();
}

void flash_init(flash_info *info)
{
    uint8_t status2;
    int fast;
    probe_and_configure(info->jedec, &status2, &fast);
    uint8_t code = info->jedec[2];
    info->size_bytes = code >= 16 && code <= 24 ? 1u << code : 0; /* 64 KB .. 16 MB */
    info->fast_xip = fast != 0;
    uint32_t div = (qmi_hw->m[0].timing >> QMI_TIMING_CLKDIV_LSB) & 0xFF;
    info->sck_hz = clock_sys_hz() / (div ? div : 256);
}
