/* gpioc.c - the RP2350's GPIO coprocessor (coprocessor 0, datasheet 3.6.1):
 * a core's direct port to its SIO GPIO registers, one instruction per
 * access instead of a bus write. The Pico SDK uses it by default for
 * gpio_put, gpio_set_dir and friends (hardware/gpio.h: PICO_USE_GPIO_
 * COPROCESSOR defaults to 1 on RP2350 Arm).
 *
 * The instruction set is the one the SDK's hardware/gpio_coproc.h encodes,
 * each given there as the SIO write or read it equals:
 *   MCR  opc1 0-3, CRm c0/c1/c4/c5: OUT/HI_OUT/OE/HI_OE put, xor, set, clr
 *   MCR  opc1 5-7, CRm c0/c4: xor, set, clr the one OUT/OE bit Rt names
 *   MCRR opc1 0-3, CRm c0/c4: both halves at once (Rt low, Rt2 high)
 *   MCRR opc1 4, CRm c0/c4: OUT/OE bit Rt := Rt2
 *   MCRR opc1 5-7, CRm c0/c4: xor, set, clr bit Rt if Rt2
 *   MCRR opc1 8-11, CRm c0/c4: put, xor, set, clr register Rt2 (0 low, 1 high) with Rt
 *   MRC  opc1 0, CRm c0/c1, c4/c5, c8/c9: OUT, OE, IN, low or high half
 *   MRRC opc1 0, CRm c0/c4/c8: both halves (Rt low, Rt2 high)
 * So the model turns each into the SIO register accesses it stands for,
 * through the core's own SIO port; the SIO model does the rest. An index
 * other than 0 or 1 is undefined in the SDK's words and is refused (NOCP).
 */
#include "gpioc.h"

#include "regs/sio.h"

#define HW1(i) ((i) >> 16)
#define HW2(i) ((i) & 0xFFFFu)
#define IS_MCRR_MRRC(i) ((HW1(i) & 0xEFE0u) == 0xEC40u)
#define IS_MRC_MRRC(i) ((HW1(i) & 0x10u) != 0)
#define IS_CDP(i) (!IS_MCRR_MRRC(i) && !(HW2(i) & 0x10u))

/* the SIO's OUT and OE banks: put, then set, clr, xor, each a low and a
 * high register (regs/sio.h, datasheet 3.1.11) */
enum { OP_PUT = 0, OP_XOR = 1, OP_SET = 2, OP_CLR = 3 };
static const uint32_t op_offset[4] = {[OP_PUT] = 0x0, [OP_SET] = 0x8, [OP_CLR] = 0x10, [OP_XOR] = 0x18};

/* CRm names the bank: c0 OUT, c4 OE, c8 IN (reads only); +1 the high half */
static int bank_base(unsigned crm, uint32_t *base)
{
    switch (crm & ~1u) {
    case 0: *base = SIO_GPIO_OUT; return 1;
    case 4: *base = SIO_GPIO_OE; return 1;
    default: return 0;
    }
}

static void write_half(const core_regs *r, uint32_t base, int high, int op, uint32_t v)
{
    r->sio_write(r->ctx, base + op_offset[op] + (high ? 4u : 0u), v);
}

static void write_both(const core_regs *r, uint32_t base, int op, uint64_t mask)
{
    write_half(r, base, 0, op, (uint32_t)mask);
    write_half(r, base, 1, op, (uint32_t)(mask >> 32));
}

/* opc1 5, 6, 7 of the single-bit forms */
static const int bit_op[3] = {OP_XOR, OP_SET, OP_CLR};

static uint64_t pin_mask(uint32_t pin) { return 1ull << (pin & 63u); }

/* MCR: one half with a mask (opc1 0-3) or one bit by number (opc1 5-7) */
static int gpioc_mcr(const core_regs *r, unsigned opc1, unsigned crm, uint32_t v)
{
    uint32_t base;
    if (!bank_base(crm, &base)) return 0;
    if (opc1 <= OP_CLR) {
        write_half(r, base, crm & 1, (int)opc1, v);
        return 1;
    }
    if (opc1 < 5 || (crm & 1)) return 0;
    write_both(r, base, bit_op[opc1 - 5], pin_mask(v));
    return 1;
}

/* MCRR: both halves, a bit by number (maybe conditional), or an indexed half */
static int gpioc_mcrr(const core_regs *r, unsigned opc1, unsigned crm, uint32_t rt, uint32_t rt2)
{
    uint32_t base;
    if ((crm & 1) || !bank_base(crm, &base)) return 0;
    if (opc1 <= OP_CLR) {
        write_both(r, base, (int)opc1, (uint64_t)rt2 << 32 | rt);
        return 1;
    }
    if (opc1 == 4) {
        write_both(r, base, (rt2 & 1) ? OP_SET : OP_CLR, pin_mask(rt));
        return 1;
    }
    if (opc1 <= 7) {
        if (rt2 & 1) write_both(r, base, bit_op[opc1 - 5], pin_mask(rt));
        return 1;
    }
    if (opc1 <= 11 && rt2 <= 1) {
        write_half(r, base, (int)rt2, (int)(opc1 - 8), rt);
        return 1;
    }
    return 0;
}

/* MRC/MRRC: OUT, OE or IN */
static int read_base(unsigned crm, uint32_t *base)
{
    if ((crm & ~1u) == 8) {
        *base = SIO_GPIO_IN;
        return 1;
    }
    return bank_base(crm, base);
}

/* IN's halves are 4 bytes apart like the others: GPIO_IN 0x004, GPIO_HI_IN 0x008 */
static uint32_t read_half(const core_regs *r, uint32_t base, int high)
{
    return r->sio_read(r->ctx, base + (high ? 4u : 0u));
}

int gpioc_execute(uint32_t insn, const core_regs *r)
{
    uint32_t hw1 = HW1(insn), hw2 = HW2(insn);
    unsigned rt = hw2 >> 12, crm = hw2 & 0xF;
    if ((hw1 >> 12) & 1u) return 0;                 /* the *2 forms: none documented */
    if (IS_CDP(insn) || rt >= 15) return 0;
    if (IS_MCRR_MRRC(insn)) {
        unsigned rt2 = hw1 & 0xF, opc1 = (hw2 >> 4) & 0xF;
        if (rt2 >= 15) return 0;
        if (!IS_MRC_MRRC(insn))
            return gpioc_mcrr(r, opc1, crm, r->read(r->ctx, (int)rt), r->read(r->ctx, (int)rt2));
        uint32_t base;
        if (opc1 != 0 || (crm & 1) || !read_base(crm, &base)) return 0;
        uint32_t lo = read_half(r, base, 0), hi = read_half(r, base, 1);
        r->write(r->ctx, (int)rt, lo);
        r->write(r->ctx, (int)rt2, hi);
        return 1;
    }
    unsigned opc1 = (hw1 >> 5) & 7, crn = hw1 & 0xF, opc2 = (hw2 >> 5) & 7;
    if (crn != 0 || opc2 != 0) return 0;
    if (!IS_MRC_MRRC(insn)) return gpioc_mcr(r, opc1, crm, r->read(r->ctx, (int)rt));
    uint32_t base;
    if (opc1 != 0 || !read_base(crm, &base)) return 0;
    r->write(r->ctx, (int)rt, read_half(r, base, crm & 1));
    return 1;
}
