/* qmi_direct.c - QMI direct mode transfers (see qmi_direct.h). */
#include "qmi_direct.h"

#include "platform.h"
#include "regs/qmi.h"

#define DIRECT_CLKDIV 30 /* 5 MHz at 150 MHz */

RAM_FUNC void qmi_direct_wait_idle(void)
{
    while (qmi_hw->direct_csr & QMI_DIRECT_CSR_BUSY) {
    }
}

RAM_FUNC void qmi_direct_enable(void)
{
    qmi_direct_wait_idle();
    qmi_hw->direct_csr = DIRECT_CLKDIV << QMI_DIRECT_CSR_CLKDIV_LSB | QMI_DIRECT_CSR_EN;
    qmi_direct_wait_idle();
}

RAM_FUNC uint8_t qmi_direct_byte(uint8_t tx)
{
    qmi_hw->direct_tx = tx;
    while (qmi_hw->direct_csr & QMI_DIRECT_CSR_RXEMPTY) {
    }
    return (uint8_t)qmi_hw->direct_rx;
}
