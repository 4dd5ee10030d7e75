/* dma.c - test image: DMA memory-to-memory copy (unpaced), then a flash
 * read through the XIP streaming FIFO paced by DREQ_XIP_STREAM (the way the
 * firmware will stream weights; rp2350-facts.md 8.2). */
#include "hw.h"

#define DMA_BASE 0x50000000u
#define CH(n, r) (DMA_BASE + 0x40u * (n) + (r))
#define READ_ADDR 0x00
#define WRITE_ADDR 0x04
#define TRANS_COUNT 0x08
#define CTRL_TRIG 0x0C
#define CTRL_EN 1u
#define SIZE_WORD (2u << 2)
#define INCR_READ (1u << 4)
#define INCR_WRITE (1u << 6)
#define TREQ(n) ((uint32_t)(n) << 17)
#define CHAIN_SELF(n) ((uint32_t)(n) << 13)
#define BUSY (1u << 26)

static uint32_t src[256], dst[256], from_flash[256];
static const uint32_t flash_table[256] = {[0] = 0x12345678u, [100] = 0xCAFEBABEu, [255] = 0xDEADBEEFu};

int main(void)
{
    clocks_150mhz();
    uart_init(150000000, 115200);
    reset_release(1u << 2);   /* DMA */
    for (int i = 0; i < 256; i++) src[i] = (uint32_t)i * 0x01010101u;
    REG(CH(0, READ_ADDR)) = (uint32_t)src;
    REG(CH(0, WRITE_ADDR)) = (uint32_t)dst;
    REG(CH(0, TRANS_COUNT)) = 256;
    REG(CH(0, CTRL_TRIG)) = CTRL_EN | SIZE_WORD | INCR_READ | INCR_WRITE | TREQ(0x3F) | CHAIN_SELF(0);
    while (REG(CH(0, CTRL_TRIG)) & BUSY) {}
    int bad = 0;
    for (int i = 0; i < 256; i++) bad += dst[i] != src[i];
    print("memcpy errors: ");
    print_dec((uint32_t)bad);
    print(", INTR ");
    print_hex(REG(DMA_BASE + 0x400));
    print("\r\n");

    REG(XIP_CTRL_BASE + 0x14) = (uint32_t)flash_table;   /* STREAM_ADDR */
    REG(XIP_CTRL_BASE + 0x18) = 256;                     /* STREAM_CTR: start */
    REG(CH(1, READ_ADDR)) = 0x50500000u;                 /* XIP_AUX STREAM */
    REG(CH(1, WRITE_ADDR)) = (uint32_t)from_flash;
    REG(CH(1, TRANS_COUNT)) = 256;
    REG(CH(1, CTRL_TRIG)) = CTRL_EN | SIZE_WORD | INCR_WRITE | TREQ(49) | CHAIN_SELF(1);
    while (REG(CH(1, CTRL_TRIG)) & BUSY) {}
    print("stream: ");
    print_hex(from_flash[0]);
    print(" ");
    print_hex(from_flash[100]);
    print(" ");
    print_hex(from_flash[255]);
    print("\r\ndone\r\n");
    return 0;
}
