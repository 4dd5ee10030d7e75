/* flash_qmi.c - test image: the QMI windows as the boot ROM left them, then
 * QMI direct mode on the flash (JEDEC ID 9Fh, SFDP 5Ah, sector erase + page
 * program with status polling), then XIP re-programmed for quad EBh with
 * continuous-read mode at CLKDIV 2, as the SDK's W25Q080 XIP set-up does
 * (rp2350-facts.md 10), but with the QSPI pads left at reset, which the
 * board warns about. All QMI work runs from SRAM: XIP faults while direct
 * mode is on. */
#include "hw.h"

#define DIRECT_CSR (QMI_BASE + 0x00)
#define DIRECT_TX (QMI_BASE + 0x04)
#define DIRECT_RX (QMI_BASE + 0x08)
#define M0_TIMING (QMI_BASE + 0x0C)
#define M0_RFMT (QMI_BASE + 0x10)
#define M0_RCMD (QMI_BASE + 0x14)
#define M1_TIMING (QMI_BASE + 0x20)
#define CSR_EN 1u
#define CSR_BUSY 2u
#define CSR_ASSERT_CS0N (1u << 2)
#define CSR_RXEMPTY (1u << 16)
#define RAMFUNC __attribute__((section(".ramfunc"), noinline))
#define TEST_OFFSET 0x100000u   /* 1 MB into flash */

static uint8_t jedec[3], sfdp[8], density[4], status_seen;
static const uint32_t rodata_probe = 0xA5C3F00Du;

RAMFUNC static uint8_t xfer(uint8_t b)
{
    REG(DIRECT_TX) = b;
    while (REG(DIRECT_CSR) & CSR_BUSY) {}
    return (uint8_t)REG(DIRECT_RX);
}

RAMFUNC static void cs(int on)
{
    if (on) REG(DIRECT_CSR + ALIAS_SET) = CSR_ASSERT_CS0N;
    else REG(DIRECT_CSR + ALIAS_CLR) = CSR_ASSERT_CS0N;
}

RAMFUNC static void cmd_addr(uint8_t c, uint32_t a)
{
    xfer(c);
    xfer((uint8_t)(a >> 16));
    xfer((uint8_t)(a >> 8));
    xfer((uint8_t)a);
}

RAMFUNC static void wait_not_busy(void)
{
    uint8_t sr;
    do {
        cs(1);
        xfer(0x05);
        sr = xfer(0xFF);
        cs(0);
        status_seen |= sr;
    } while (sr & 1);
}

RAMFUNC static void write_enable(void)
{
    cs(1);
    xfer(0x06);
    cs(0);
}

RAMFUNC static void qmi_work(void)
{
    REG(DIRECT_CSR) = 30u << 22 | CSR_EN;
    while (REG(DIRECT_CSR) & CSR_BUSY) {}
    cs(1);
    xfer(0x9F);
    for (int i = 0; i < 3; i++) jedec[i] = xfer(0xFF);
    cs(0);
    cs(1);
    cmd_addr(0x5A, 0);
    xfer(0xFF);   /* 8 dummy clocks */
    for (int i = 0; i < 8; i++) sfdp[i] = xfer(0xFF);
    cs(0);
    cs(1);
    cmd_addr(0x5A, 0x84);   /* basic table DWORD2: density */
    xfer(0xFF);
    for (int i = 0; i < 4; i++) density[i] = xfer(0xFF);
    cs(0);
    /* erase a sector and program a page */
    write_enable();
    cs(1);
    cmd_addr(0x20, TEST_OFFSET);
    cs(0);
    wait_not_busy();
    write_enable();
    cs(1);
    cmd_addr(0x02, TEST_OFFSET);
    for (int i = 0; i < 256; i++) xfer((uint8_t)(i ^ 0x5A));
    cs(0);
    wait_not_busy();
    REG(DIRECT_CSR + ALIAS_CLR) = CSR_EN;
    /* XIP: EBh quad I/O, mode bits A0 (continuous read), CLKDIV 2 */
    REG(M0_TIMING) = 0x40000202u;
    REG(M0_RCMD) = 0x0000A0EBu;
    REG(M0_RFMT) = 0x000492A8u;
    (void)*(volatile uint8_t *)0x14000000u;   /* the flash enters continuous-read mode */
    REG(M0_RFMT) = 0x000482A8u;               /* later reads send only address + mode */
    __asm volatile("dsb; isb");
}

/* TIMING, RFMT, RCMD of window base (M0 or M1) */
static void print_window(const char *name, uint32_t base)
{
    print(name);
    for (uint32_t i = 0; i < 3; i++) {
        print(" ");
        print_hex(REG(base + 4 * i));
    }
    print("\r\n");
}

int main(void)
{
    clocks_150mhz();
    uart_init(150000000, 115200);
    print_window("boot M0", M0_TIMING);
    print_window("boot M1", M1_TIMING);
    qmi_work();
    print("JEDEC ");
    print_hex((uint32_t)jedec[0] << 16 | (uint32_t)jedec[1] << 8 | jedec[2]);
    print("\r\nSFDP ");
    print(sfdp[0] == 'S' && sfdp[1] == 'F' && sfdp[2] == 'D' && sfdp[3] == 'P' ? "signature ok" : "bad signature");
    print(", density ");
    uint32_t bits = (uint32_t)density[0] | (uint32_t)density[1] << 8 | (uint32_t)density[2] << 16 |
                    (uint32_t)density[3] << 24;
    print_dec((bits + 1) / 8 / 1024 / 1024);
    print(" MB\r\nbusy seen ");
    print_dec(status_seen & 1);
    print("\r\n");
    const volatile uint8_t *page = (const volatile uint8_t *)(0x10000000u + TEST_OFFSET);
    int bad = 0;
    for (int i = 0; i < 256; i++) bad += page[i] != (uint8_t)(i ^ 0x5A);
    print("programmed page errors ");
    print_dec((uint32_t)bad);
    print(", rest of sector ");
    print_hex(*(const volatile uint32_t *)(page + 256));
    print("\r\nxip read ");
    print_hex(rodata_probe);
    print("\r\ndone\r\n");
    return 0;
}
