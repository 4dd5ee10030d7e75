/* platform.h - small compiler-level helpers for bare-metal code: code that
 * must run from SRAM (while XIP is unusable) and barriers. */
#ifndef PICOLLAMA_FW_PLATFORM_H
#define PICOLLAMA_FW_PLATFORM_H

/* Placed in SRAM by the linker script (copied with .data at boot). */
#define RAM_FUNC __attribute__((section(".ram_func"), noinline))

static inline void dsb_isb(void) { __asm volatile("dsb\n\tisb" ::: "memory"); }
static inline void dmb(void) { __asm volatile("dmb" ::: "memory"); }

#endif
