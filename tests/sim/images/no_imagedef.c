/* no_imagedef.c - test image built without an IMAGE_DEF block: the boot ROM
 * must refuse it. */
#include "hw.h"

int main(void)
{
    clocks_xosc_12mhz();
    uart_init(12000000, 115200);
    print("this must never run\r\n");
    return 0;
}
