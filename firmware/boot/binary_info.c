/* binary_info.c - the binary-info header picotool looks for in the first
 * 256 words of the image (the linker script puts it right after the vector
 * table, where the SDK's crt0.S puts its own), and the RAM-address mapping
 * table it points to: picotool maps a pointer into SRAM back to where the
 * boot copies that data from (.data, with the SRAM code, from flash). The
 * entries themselves are in app/program_info.c. */
#include "binary_info.h"

extern const bi_core *const __binary_info_start[], *const __binary_info_end[];
extern const uint32_t __data_load, __data_start, __data_end;

/* (load address, runtime start, runtime end) triples; a zero load address
 * ends the table. The same copy startup.c does. */
static const void *const address_mapping[] = {
    &__data_load, &__data_start, &__data_end,
    0, 0, 0,
};

__attribute__((section(".binary_info_header"), used)) const void *const binary_info_header[5] = {
    (const void *)BINARY_INFO_MARKER_START,
    __binary_info_start,
    __binary_info_end,
    address_mapping,
    (const void *)BINARY_INFO_MARKER_END,
};
