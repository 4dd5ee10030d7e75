/* fpu_nocp.c - test image (built with STARTUP_NO_FPU): a floating-point
 * instruction without CPACR granting the FPU (UsageFault NOCP, a HardFault
 * here). */
#include "hw.h"

volatile float f = 1.5f;

int main(void)
{
    clocks_xosc_12mhz();
    uart_init(12000000, 115200);
    print("using the FPU without enabling it\r\n");
    f = f * 3.0f;
    print("still running\r\n");
    return 0;
}
