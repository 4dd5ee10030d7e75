/* psram.c - test image: PSRAM detection, set-up, and a read-back of a
 * pattern through the cached and uncached windows. */
#include "hw.h"
#include "psram.h"

int main(void)
{
    clocks_150mhz();
    uart_init(150000000, 115200);
    uint8_t id[3];
    if (!psram_init(id)) {
        print("PSRAM not found (KGD ");
        print_hex(id[1]);
        print(")\r\ndone\r\n");
        return 0;
    }
    print("PSRAM id ");
    print_hex((uint32_t)id[0] << 16 | (uint32_t)id[1] << 8 | id[2]);
    print("\r\n");
    volatile uint32_t *cached = (volatile uint32_t *)0x11000000u;
    volatile uint32_t *uncached = (volatile uint32_t *)0x15000000u;
    const uint32_t words = 8u << 20 >> 2, step = 4099;
    for (uint32_t i = 0; i < words; i += step) cached[i] = i * 2654435761u;
    uint32_t bad = 0;
    for (uint32_t i = 0; i < words; i += step) bad += uncached[i] != i * 2654435761u;
    print("PSRAM read-back errors: ");
    print_dec(bad);
    print("\r\nmirror: ");
    print(cached[(8u << 20 >> 2) + step] == step * 2654435761u ? "yes" : "no");
    print("\r\ndone\r\n");
    return 0;
}
