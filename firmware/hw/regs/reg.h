/* reg.h - register access helpers shared by every register header: volatile
 * 32-bit register types, the RP2350's atomic XOR/SET/CLR bus aliases
 * (+0x1000 / +0x2000 / +0x3000 on APB/AHB blocks, facts 1.4), and a
 * compile-time check that a register struct matches the datasheet offset. */
#ifndef PICOLLAMA_FW_REG_H
#define PICOLLAMA_FW_REG_H

#include <stddef.h>
#include <stdint.h>

typedef volatile uint32_t io_rw_32;
typedef const volatile uint32_t io_ro_32;
typedef volatile uint32_t io_wo_32;

#define REG_ALIAS_XOR 0x1000u
#define REG_ALIAS_SET 0x2000u
#define REG_ALIAS_CLR 0x3000u

/* The same register seen through an atomic alias of its block. */
#define hw_alias(ptr, alias) ((io_rw_32 *)((uintptr_t)(ptr) + (alias)))

/* Atomically set / clear bits of a peripheral register. */
static inline void hw_set_bits(io_rw_32 *reg, uint32_t mask) { *hw_alias(reg, REG_ALIAS_SET) = mask; }
static inline void hw_clear_bits(io_rw_32 *reg, uint32_t mask) { *hw_alias(reg, REG_ALIAS_CLR) = mask; }

/* Writes `value` into the bits of `mask` only (read-modify-write). */
static inline void hw_write_masked(io_rw_32 *reg, uint32_t value, uint32_t mask)
{
    *reg = (*reg & ~mask) | (value & mask);
}

#define REG_CHECK(type, member, offset) \
    _Static_assert(offsetof(type, member) == (offset), #type "." #member " offset")

#endif
