/* psram.c - APS6404L set-up on QMI CS1 / GPIO47 for the tests, the sequence
 * of rp2350-facts.md 9 (SparkFun/MicroPython drivers), at clk_sys 150 MHz. */
#include "psram.h"

#include "hw.h"

#define DIRECT_CSR (QMI_BASE + 0x00)
#define DIRECT_TX (QMI_BASE + 0x04)
#define DIRECT_RX (QMI_BASE + 0x08)
#define M1_TIMING (QMI_BASE + 0x20)
#define M1_RFMT (QMI_BASE + 0x24)
#define M1_RCMD (QMI_BASE + 0x28)
#define M1_WFMT (QMI_BASE + 0x2C)
#define M1_WCMD (QMI_BASE + 0x30)
#define CSR_EN 1u
#define CSR_BUSY 2u
#define CSR_ASSERT_CS1N (1u << 3)
#define CSR_RXEMPTY (1u << 16)
#define TX_NOPUSH (1u << 20)
#define TX_OE (1u << 19)
#define TX_QUAD (2u << 16)

/* Direct mode makes every XIP access fault, code fetches included: all of
 * this runs from SRAM (rp2350-facts.md 10). */
#define RAMFUNC __attribute__((section(".ramfunc"), noinline))

RAMFUNC static void wait_idle(void)
{
    while (REG(DIRECT_CSR) & CSR_BUSY) {}
}

RAMFUNC static void drain(void)
{
    while (!(REG(DIRECT_CSR) & CSR_RXEMPTY)) (void)REG(DIRECT_RX);
}

/* one command byte in its own CS1 frame */
RAMFUNC static void command(uint32_t tx)
{
    REG(DIRECT_CSR + ALIAS_SET) = CSR_ASSERT_CS1N;
    REG(DIRECT_TX) = tx;
    wait_idle();
    drain();
    REG(DIRECT_CSR + ALIAS_CLR) = CSR_ASSERT_CS1N;
}

RAMFUNC static uint8_t xfer(uint32_t tx)
{
    REG(DIRECT_TX) = tx;
    wait_idle();
    return (uint8_t)REG(DIRECT_RX);
}

void psram_route_cs1(void)
{
    REG(PADS_GPIO(47)) = (REG(PADS_GPIO(47)) & ~(1u << 7)) | (1u << 6);
    REG(GPIO_CTRL(47)) = 9;                       /* XIP_CS1 */
    REG(PADS_GPIO(47) + ALIAS_CLR) = 1u << 8;     /* ISO off */
}

RAMFUNC static int psram_setup(uint8_t id[3])
{
    REG(DIRECT_CSR) = 30u << 22 | CSR_EN;
    wait_idle();
    command(TX_OE | TX_QUAD | 0xF5);              /* leave QPI mode if a reset left it there */
    REG(DIRECT_CSR + ALIAS_SET) = CSR_ASSERT_CS1N;
    xfer(TX_NOPUSH | 0x9F);
    for (int i = 0; i < 3; i++) xfer(TX_NOPUSH | 0x00);
    drain();
    id[0] = xfer(0xFF);   /* MFID */
    id[1] = xfer(0xFF);   /* KGD */
    id[2] = xfer(0xFF);   /* EID[0] */
    REG(DIRECT_CSR + ALIAS_CLR) = CSR_ASSERT_CS1N;
    if (id[1] != 0x5D) {
        REG(DIRECT_CSR + ALIAS_CLR) = CSR_EN;
        return 0;
    }
    command(0x66);                                /* reset enable */
    command(0x99);                                /* reset */
    command(0x35);                                /* enter QPI */
    REG(DIRECT_CSR + ALIAS_CLR) = CSR_EN;
    REG(M1_TIMING) = 0x61A48102u;   /* CLKDIV 2, RXDELAY 1, MIN_DESELECT 8, MAX_SELECT 18, ... */
    REG(M1_RFMT) = 0x000612AAu;     /* quad everything, 8-bit prefix, 24 dummy bits */
    REG(M1_RCMD) = 0xEB;
    REG(M1_WFMT) = 0x000012AAu;
    REG(M1_WCMD) = 0x38;
    REG(XIP_CTRL_BASE + ALIAS_SET) = 1u << 11;    /* WRITABLE_M1 */
    return 1;
}

int psram_init(uint8_t id[3])
{
    psram_route_cs1();
    return psram_setup(id);
}
