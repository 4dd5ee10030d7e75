/* dma.c - test image: DMA memory-to-memory copy (unpaced), then a flash
 * read through the XIP streaming FIFO paced by DREQ_XIP_STREAM (the way the
 * firmware will stream weights; rp2350-facts.md 8.2). */
#include "hw.h"

static uint32_t src[256], dst[256], from_flash[256];
static const uint32_t flash_table[256] = {[0] = 0x12345678u, [100] = 0xCAFEBABEu, [255] = 0xDEADBEEFu};

int main(void)
{
    clocks_150mhz();
    uart_init(150000000, 115200);
    reset_release(1u << 2);   /* DMA */
    for (int i = 0; i < 256; i++) src[i] = (uint32_t)i * 0x01010101u;
    REG(DMA_CH(0, DMA_READ_ADDR)) = (uint32_t)src;
    REG(DMA_CH(0, DMA_WRITE_ADDR)) = (uint32_t)dst;
    REG(DMA_CH(0, DMA_TRANS_COUNT)) = 256;
    REG(DMA_CH(0, DMA_CTRL_TRIG)) = DMA_CTRL_EN | DMA_SIZE_WORD | DMA_INCR_READ | DMA_INCR_WRITE |
                                    DMA_TREQ(0x3F) | DMA_CHAIN_TO(0);
    while (REG(DMA_CH(0, DMA_CTRL_TRIG)) & DMA_BUSY) {}
    int bad = 0;
    for (int i = 0; i < 256; i++) bad += dst[i] != src[i];
    print("memcpy errors: ");
    print_dec((uint32_t)bad);
    print(", INTR ");
    print_hex(REG(DMA_BASE + 0x400));
    print("\r\n");

    REG(XIP_CTRL_BASE + 0x14) = (uint32_t)flash_table;   /* STREAM_ADDR */
    REG(XIP_CTRL_BASE + 0x18) = 256;                     /* STREAM_CTR: start */
    REG(DMA_CH(1, DMA_READ_ADDR)) = 0x50500000u;                 /* XIP_AUX STREAM */
    REG(DMA_CH(1, DMA_WRITE_ADDR)) = (uint32_t)from_flash;
    REG(DMA_CH(1, DMA_TRANS_COUNT)) = 256;
    REG(DMA_CH(1, DMA_CTRL_TRIG)) = DMA_CTRL_EN | DMA_SIZE_WORD | DMA_INCR_WRITE | DMA_TREQ(49) | DMA_CHAIN_TO(1);
    while (REG(DMA_CH(1, DMA_CTRL_TRIG)) & DMA_BUSY) {}
    print("stream: ");
    print_hex(from_flash[0]);
    print(" ");
    print_hex(from_flash[100]);
    print(" ");
    print_hex(from_flash[255]);
    print("\r\ndone\r\n");
    return 0;
}
