/* startup.c - vector table, the IMAGE_DEF block the RP2350 boot ROM needs
 * (rp2350-facts.md 2.2: a one-block loop marking an ARM Secure RP2350
 * executable), and the reset handler: copy .data, clear .bss, enable the FPU
 * (unless built with STARTUP_NO_FPU), call main. Built with NO_IMAGE_DEF it
 * lacks the block, for the boot ROM's refusal test. */
#include <stdint.h>

#include "hw.h"

extern uint32_t __data_start, __data_end, __data_load, __bss_start, __bss_end, __stack_top;
int main(void);
void reset_handler(void);


static void default_handler(void)
{
    for (;;) __asm volatile("bkpt #0");
}

__attribute__((section(".vectors"), used)) static const void *const vectors[16] = {
    &__stack_top, reset_handler, default_handler, default_handler,
};

#ifndef NO_IMAGE_DEF
__attribute__((section(".image_def"), used)) static const uint32_t image_def[5] = {
    0xFFFFDED3u,   /* PICOBIN_BLOCK_MARKER_START */
    0x10210142u,   /* IMAGE_TYPE: EXE, Secure, ARM, RP2350 */
    0x000001FFu,   /* LAST item: 1 word of items */
    0x00000000u,   /* link to itself: a loop of one block */
    0xAB123579u,   /* PICOBIN_BLOCK_MARKER_END */
};
#endif

void reset_handler(void)
{
    uint32_t *src = &__data_load, *dst = &__data_start;
    while (dst < &__data_end) *dst++ = *src++;
    for (dst = &__bss_start; dst < &__bss_end;) *dst++ = 0;
#ifndef STARTUP_NO_FPU   /* (the image that tests FPU use without CPACR) */
    REG(PPB_CPACR) |= 0xFu << 20;   /* CP10, CP11 full access */
#endif
    __asm volatile("dsb; isb");
    main();
    for (;;) __asm volatile("wfi");
}
