/* udf.c - test image: an undefined instruction. */
#include "hw.h"

int main(void)
{
    clocks_xosc_12mhz();
    uart_init(12000000, 115200);
    print("executing UDF\r\n");
    __asm volatile("udf #7");
    print("still running\r\n");
    return 0;
}
