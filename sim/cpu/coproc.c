/* coproc.c - the RP2350's double-precision coprocessor (DCP, datasheet
 * 3.6.2) as the Pico SDK 2.2.0 drives it (see coproc.h).
 *
 * The datasheet gives the registers, the instruction list (tables 109-111)
 * and the canned-sequence model; the SDK's hardware/dcp_instr.inc.S gives
 * the encodings and hardware/dcp_canned.inc.S the sequences. Where neither
 * says how a value is laid out, the layout here is the one the CPU half of
 * the SDK's sequences computes with (worked out from dcp_canned.inc.S and
 * noted at each instruction), so a sequence gives the IEEE result:
 * round to nearest even, denormal operands read as zero and results below
 * the normal range flushed to zero (both as in the SDK's silicon vectors,
 * test/pico_float_test/m33.c), a NaN operand returned quiet with its
 * payload, invalid operations giving the default NaN 0xfff8000000000000
 * (m33.c: sqrt of a negative). The conversions to and from single
 * precision (NRDF/RDFG, RDDG) follow the same rules at a float's 24 bits.
 */
#include "coproc.h"

#include "gpioc.h"

#include <stddef.h>

/* ---- decoding (Armv8-M T32 coprocessor encodings) ---- */

/* insn = hw1 << 16 | hw2 */
#define HW1(i) ((i) >> 16)
#define HW2(i) ((i) & 0xFFFFu)
#define IS_MCRR_MRRC(i) ((HW1(i) & 0xEFE0u) == 0xEC40u)     /* 111T 1100 010L Rt2 */
#define IS_CDP_MCR_MRC(i) ((HW1(i) & 0xEF00u) == 0xEE00u)   /* 111T 1110 ... */
#define T_BIT(i) ((HW1(i) >> 12) & 1u)                     /* the *2 forms: the DCP's 'peek' reads */

int coproc_number(uint32_t insn)
{
    if (IS_MCRR_MRRC(insn) || IS_CDP_MCR_MRC(insn)) return (int)((HW2(insn) >> 8) & 0xF);
    return -1;
}

/* ---- the DCP's registers ---- */

/* status (3.6.2.3): six bits of alignment shift, two of magnitude
 * comparison, the engaged flag. Which comparison code means what is not
 * documented; it is only seen through RCMP and the saved state. */
enum {
    DCP_ST_SHIFT = 0x3F,
    DCP_ST_XGT = 1u << 6,       /* |X| > |Y| */
    DCP_ST_XEQ = 1u << 7,       /* |X| == |Y| */
    DCP_ST_ENGAGED = 1u << 8,
};

#define FRAC_BITS 52
#define FRAC_MASK ((1ull << FRAC_BITS) - 1)
#define EXP_MAX 0x7FF
#define BIAS 1023
#define ONE_Q62 (1ull << 62)
#define ROUND_LSB (1ull << 10)              /* a double's last bit in a Q62 mantissa */
#define ROUND_LSB_SINGLE (1ull << 39)       /* a float's last bit in a Q62 mantissa */
#define SINGLE_FRAC_MASK 0x7FFFFFu
#define SINGLE_EXP_MAX 0xFF
#define SINGLE_BIAS 127
#define SINGLE_INF 0x7F800000u
#define SINGLE_QUIET_BIT 0x400000u
#define QUIET_BIT (1ull << 51)
#define DEFAULT_NAN 0xFFF8000000000000ull   /* m33.c: dsqrt_fast of a negative */
#define CONV_K ((1ull << 52) + (1ull << 32))  /* 2^52 + 2^32 of WXUC/WXIC/WXDC (table 109) */
#define CONV_K_EXP (BIAS + 52)

static void set_engaged(dcp_state *d) { d->status |= DCP_ST_ENGAGED; }

/* 'write unpacked' (3.6.2.3): mantissa 01.fraction from bit 62, exponent
 * field as is, flags by the operand's class. An exponent field of zero
 * reads as zero: the DCP flushes denormal operands (m33.c: dmul by
 * 0x8000282866063841 gives -0, ddiv_fast by 0x0000bce378acc9ed gives -inf). */
static void unpack(uint64_t v, uint64_t *m, int32_t *e, uint8_t *f)
{
    uint32_t exp = (uint32_t)(v >> FRAC_BITS) & EXP_MAX;
    uint64_t frac = v & FRAC_MASK;
    *m = ONE_Q62 | frac << 10;
    *e = (int32_t)exp;
    *f = (uint8_t)((v >> 63) ? DCP_F_SIGN : 0);
    if (exp == 0) *f |= DCP_F_ZERO;
    else if (exp == EXP_MAX) *f |= frac ? DCP_F_NAN : DCP_F_INF;
}

/* an integer n < 2^53 with bit 52 set, exactly, as an unpacked double */
static void unpack_integer(uint64_t n, uint64_t *m, int32_t *e, uint8_t *f)
{
    *m = n << 10;
    *e = CONV_K_EXP;
    *f = 0;
}

static uint64_t pair(uint32_t lo, uint32_t hi) { return (uint64_t)hi << 32 | lo; }

/* ---- rounding and packing ---- */

static uint64_t shift_right_jam(uint64_t m, unsigned n)
{
    if (n == 0) return m;
    if (n >= 64) return m != 0;
    return (m >> n) | ((m & ((1ull << n) - 1)) != 0);
}

static int leading_zeros64(uint64_t m) { return m ? __builtin_clzll(m) : 64; }

/* NRDD / NRDF: normalise X to 01.xxx at bit 62 and round to nearest even
 * at lsb (a double's last bit, bit 10, or a float's, bit 39), the bits
 * below it being round and sticky. The rounding knows no exponent limit:
 * the read flushes what lands below the normal range. */
static void normalise_round(dcp_state *d, uint64_t lsb)
{
    if (d->xm == 0) return;                  /* an exact zero: the read gives its sign */
    int lz = leading_zeros64(d->xm);
    if (lz == 0) {
        d->xm = shift_right_jam(d->xm, 1);
        d->xe += 1;
    } else {
        d->xm <<= lz - 1;
        d->xe -= lz - 1;
    }
    uint64_t rest = d->xm & (lsb - 1);
    d->xm &= ~(lsb - 1);
    if (rest > lsb / 2 || (rest == lsb / 2 && (d->xm & lsb))) d->xm += lsb;
    if (d->xm >> 63) {                       /* rounded up to 2.0 */
        d->xm >>= 1;
        d->xe += 1;
    }
}

static uint64_t signed_zero(int neg) { return (uint64_t)(neg != 0) << 63; }
static uint64_t signed_inf(int neg) { return signed_zero(neg) | (uint64_t)EXP_MAX << FRAC_BITS; }

/* a NaN operand comes back quiet with its sign and payload (m33.c: dmul by
 * 0xfff70000000000ec gives 0xffff0000000000ec) */
static uint64_t quiet_nan(uint8_t f, uint64_t m)
{
    return signed_inf(f & DCP_F_SIGN) | ((m >> 10) & FRAC_MASK) | QUIET_BIT;
}

/* a normalised, rounded X as a double: overflow to infinity, results below
 * the normal range to zero (m33.c: dmul 0x80760ca8a50d4410 * 0x807512348901231b
 * gives +0; no vector lands in the denormal range itself, so the flush is
 * taken after rounding, as an exponent below 1) */
static uint64_t pack(int neg, uint64_t m, int32_t e)
{
    if (e >= EXP_MAX) return signed_inf(neg);
    if (e <= 0 || m == 0) return signed_zero(neg);
    return signed_zero(neg) | (uint64_t)e << FRAC_BITS | ((m >> 10) & FRAC_MASK);
}

/* NRDF (pico_double's __aeabi_d2f: WXUP, NRDF, RDFG): X rounded to a
 * float's 24 bits. A NaN's mantissa is left alone: RDFG keeps the top 23
 * bits of its payload, cut rather than rounded (IEEE 754's conversion, and
 * the M33 FPU's VCVT; rounding could carry out of the payload). */
static void normalise_round_single(dcp_state *d)
{
    set_engaged(d);
    if (d->xf & DCP_F_NAN) return;
    normalise_round(d, ROUND_LSB_SINGLE);
}

static uint32_t single_sign(int neg) { return (uint32_t)(neg != 0) << 31; }

/* a normalised, rounded X as a float, by the rules of pack: overflow to
 * infinity, below FLT_MIN (a biased exponent under 1 after the 24-bit
 * rounding) to zero. The flush to zero is the DCP's for single-precision
 * results too: the SDK's float vectors (test/pico_float_test/m33.c:67,114,
 * in a block compiled out since pico_float uses the FPU) have fmul
 * 0x2e3ba1b3 * 0x0fa7a191 = +0 and 0x290fc5cc * 0x8d7fcbed = -0 where IEEE
 * gives the denormals 0x0007adce and 0x80000012. */
static uint32_t pack_single(int neg, uint64_t m, int32_t e)
{
    int32_t es = e - (BIAS - SINGLE_BIAS);
    if (es >= SINGLE_EXP_MAX) return single_sign(neg) | SINGLE_INF;
    if (es <= 0 || m == 0) return single_sign(neg);
    return single_sign(neg) | (uint32_t)es << 23 | ((uint32_t)(m >> 39) & SINGLE_FRAC_MASK);
}

/* RDFG: X as a float by its flags: a NaN quiet with its sign and the top of
 * its payload, infinity, a zero (a denormal operand read as one) with its
 * sign, else the rounded value */
static uint32_t read_single_result(const dcp_state *d)
{
    int neg = (d->xf & DCP_F_SIGN) != 0;
    if (d->xf & DCP_F_NAN) {
        uint32_t payload = (uint32_t)(d->xm >> 39) & SINGLE_FRAC_MASK;
        return single_sign(neg) | SINGLE_INF | SINGLE_QUIET_BIT | payload;
    }
    if (d->xf & DCP_F_INF) return single_sign(neg) | SINGLE_INF;
    if (d->xf & DCP_F_ZERO) return single_sign(neg);
    return pack_single(neg, d->xm, d->xe);
}

/* RDDG (dcp_float2double_m: WXYU, NRDD, RDDG): X as a double by its flags,
 * the same way; a float's NaN payload lands in the top of the double's */
static uint64_t read_double_result(const dcp_state *d)
{
    int neg = (d->xf & DCP_F_SIGN) != 0;
    if (d->xf & DCP_F_NAN) return quiet_nan(d->xf, d->xm);
    if (d->xf & DCP_F_INF) return signed_inf(neg);
    if (d->xf & DCP_F_ZERO) return signed_zero(neg);
    return pack(neg, d->xm, d->xe);
}

/* ---- add, subtract, compare ---- */

static uint64_t magnitude(uint64_t m, uint8_t f) { return (f & DCP_F_ZERO) ? 0 : m; }

/* |X| against |Y|, zero below everything, infinity (exponent 0x7ff,
 * mantissa 1.0) above every finite value */
static int compare_magnitudes(const dcp_state *d)
{
    int xz = d->xf & DCP_F_ZERO, yz = d->yf & DCP_F_ZERO;
    if (xz || yz) return xz && yz ? 0 : xz ? -1 : 1;
    if (d->xe != d->ye) return d->xe > d->ye ? 1 : -1;
    if (d->xm != d->ym) return d->xm > d->ym ? 1 : -1;
    return 0;
}

/* ADD0: compare X with Y, set the alignment shift and the comparison */
static void add0(dcp_state *d)
{
    int c = compare_magnitudes(d);
    int32_t diff = d->xe - d->ye;
    if (diff < 0) diff = -diff;
    if (diff > DCP_ST_SHIFT) diff = DCP_ST_SHIFT;
    d->status = DCP_ST_ENGAGED | (c > 0 ? DCP_ST_XGT : c == 0 ? DCP_ST_XEQ : 0) | (uint32_t)diff;
}

static int x_not_smaller(const dcp_state *d) { return (d->status & (DCP_ST_XGT | DCP_ST_XEQ)) != 0; }

/* ADD1 / SUB1 (table 110): the larger operand plus or minus the smaller
 * aligned by the status shift, into xm with the larger exponent. The flags
 * stay: the result read (RDDA/RDDS) takes the sign and the special values
 * from them and from the comparison. */
static void add1(dcp_state *d, int subtract)
{
    int x_big = x_not_smaller(d);
    int ys = ((d->yf & DCP_F_SIGN) != 0) ^ subtract;
    int effective_subtract = ((d->xf & DCP_F_SIGN) != 0) != ys;
    uint64_t big = x_big ? magnitude(d->xm, d->xf) : magnitude(d->ym, d->yf);
    uint64_t small = x_big ? magnitude(d->ym, d->yf) : magnitude(d->xm, d->xf);
    small = shift_right_jam(small, d->status & DCP_ST_SHIFT);
    d->xm = effective_subtract ? big - small : big + small;
    if (!x_big) d->xe = d->ye;
    set_engaged(d);
}

/* RDDA / RDDS: X + Y or X - Y packed, with the special values */
static uint64_t read_add_result(const dcp_state *d, int subtract)
{
    int xs = (d->xf & DCP_F_SIGN) != 0;
    int ys = ((d->yf & DCP_F_SIGN) != 0) ^ subtract;
    if (d->xf & DCP_F_NAN) return quiet_nan(d->xf, d->xm);
    if (d->yf & DCP_F_NAN) return quiet_nan(d->yf, d->ym);
    if ((d->xf & DCP_F_INF) && (d->yf & DCP_F_INF)) return xs == ys ? signed_inf(xs) : DEFAULT_NAN;
    if (d->xf & DCP_F_INF) return signed_inf(xs);
    if (d->yf & DCP_F_INF) return signed_inf(ys);
    if (d->xm == 0) return signed_zero(xs == ys && xs);   /* x - x is +0; -0 + -0 is -0 */
    return pack(x_not_smaller(d) ? xs : ys, d->xm, d->xe);
}

/* RCMP / PCMP: N = engaged (the SDK's entry test, double_aeabi_dcp.S:52
 * "PCMP apsr_nzcv; bmi" saves the state when set), Z = equal (dcmpeq takes
 * bit 30), C = X >= Y (dcmpge "hs", dcmpgt "hi"), V = unordered (dcmpun
 * takes bit 28; unordered leaves C and Z clear, so "hs"/"hi" give 0) */
static uint32_t compare_flags(const dcp_state *d)
{
    uint32_t n = (d->status & DCP_ST_ENGAGED) ? 1u << 31 : 0;
    const uint32_t Z = 1u << 30, C = 1u << 29, V = 1u << 28;
    if ((d->xf | d->yf) & DCP_F_NAN) return n | V;
    int xz = d->xf & DCP_F_ZERO, yz = d->yf & DCP_F_ZERO;
    if (xz && yz) return n | Z | C;
    int xs = (d->xf & DCP_F_SIGN) != 0, ys = (d->yf & DCP_F_SIGN) != 0;
    int order;                                   /* X against Y, signed */
    if (xs != ys) order = xs ? -1 : 1;
    else {
        order = (d->status & DCP_ST_XGT) ? 1 : (d->status & DCP_ST_XEQ) ? 0 : -1;
        if (xs) order = -order;
    }
    return n | (order == 0 ? Z | C : order > 0 ? C : 0);
}

/* ---- multiply and divide: the CPU multiplies, the DCP keeps exponents ---- */

/* RXMS/RYMS s: the mantissa Q62 read as Q(62-s) (dmul s=0, ddiv s=0,1,4,7) */
static uint64_t mantissa_shifted(uint64_t m, unsigned s) { return m >> s; }

/* RYMR: hi = Y's mantissa as Q31 (01.x from bit 62 -> 1.x from bit 31),
 * lo = an approximation of 1/y in Q31 that the sequence refines twice by
 * Newton-Raphson (dcp_canned.inc.S dcp_ddiv_m: "umull rb,rc,ra,rb; mvn
 * rc,rc,lsl #2" forms 1 - r*y only with those two formats). The datasheet
 * says a small table gives it; its contents are not published, so this is
 * 1/y rounded down to 16 bits: below 1/y like a truncated table (the
 * refined value then stays at or under 2^31, as "sub re,ra,ra,lsr #31"
 * expects), and good to 2^-15, so two steps reach the full 32 bits. */
static uint64_t reciprocal_read(uint64_t ym)
{
    uint32_t y_q31 = (uint32_t)(ym >> 31);
    uint64_t r = ((1ull << 62) - 1) / y_q31;          /* < 2^31 */
    r &= ~0x7FFFull;
    return (uint64_t)y_q31 << 32 | r;
}

/* WXMS: bit 0 of xm says whether the low half of the 128-bit product is
 * non-zero (a sticky bit for WXMO). A NaN X keeps its payload. */
static void write_product_sticky(dcp_state *d, uint64_t v)
{
    if (!(d->xf & DCP_F_NAN)) d->xm = v != 0;
    set_engaged(d);
}

/* WXMO: the high half of the product of two Q62 mantissas, Q60, ORed with
 * the sticky bit; exponents add (one biased), +2 for Q60 */
static void write_product(dcp_state *d, uint64_t v)
{
    if (!(d->xf & DCP_F_NAN)) {
        d->xm = v | (d->xm & 1);
        d->xe = d->xe + d->ye - BIAS + 2;
    }
    set_engaged(d);
}

/* WXDD: the quotient the sequence computed, Q57 (dcp_ddiv_m builds it from
 * the Q31 reciprocal and the Q30 top of X: "mov rd,rb,lsr #4; adds
 * ra,rc,rb,lsl #28"); exponents subtract, +5 for Q57 */
static void write_quotient(dcp_state *d, uint64_t v)
{
    if (!(d->xf & DCP_F_NAN)) {
        d->xm = v;
        d->xe = d->xe - d->ye + BIAS + 5;
    }
    set_engaged(d);
}

static uint64_t first_nan(const dcp_state *d)
{
    return (d->xf & DCP_F_NAN) ? quiet_nan(d->xf, d->xm) : quiet_nan(d->yf, d->ym);
}

/* RDDM */
static uint64_t read_mul_result(const dcp_state *d)
{
    int s = ((d->xf ^ d->yf) & DCP_F_SIGN) != 0;
    uint8_t any = d->xf | d->yf;
    if (any & DCP_F_NAN) return first_nan(d);
    if ((any & DCP_F_INF) && (any & DCP_F_ZERO)) return DEFAULT_NAN;
    if (any & DCP_F_INF) return signed_inf(s);
    if (any & DCP_F_ZERO) return signed_zero(s);
    return pack(s, d->xm, d->xe);
}

/* RDDD */
static uint64_t read_div_result(const dcp_state *d)
{
    int s = ((d->xf ^ d->yf) & DCP_F_SIGN) != 0;
    if ((d->xf | d->yf) & DCP_F_NAN) return first_nan(d);
    if ((d->xf & d->yf) & (DCP_F_INF | DCP_F_ZERO)) return DEFAULT_NAN;   /* inf/inf, 0/0 */
    if ((d->xf & DCP_F_INF) || (d->yf & DCP_F_ZERO)) return signed_inf(s);
    if ((d->xf & DCP_F_ZERO) || (d->yf & DCP_F_INF)) return signed_zero(s);
    return pack(s, d->xm, d->xe);
}

/* ---- square root: the CPU refines a reciprocal square root ---- */

/* SQR0: X = the operand made ready for dcp_dsqrt_m / dcp_dsqrt_fast_m.
 * The exponent is halved (the result's, biased) and the mantissa doubled
 * when the unbiased exponent is odd, so xm holds d in [1, 4) as Q62 (bit 63
 * set for d >= 2) and the operand is d * 4^(xe - 1023). The datasheet does
 * not give the format; this one is what the sequence needs: it reads
 * "RXMS ra,re,6" as d in Q56 and compares it with the square of its Q28
 * root, and its Newton steps on "RXMQ rc,rd" hold only for rd = d in Q30
 * and rc = r ~ 1/sqrt(d) in Q31 (then rc*rc*rd = 2^92 * d*r*r, and
 * 8 * that / 2^64 - 2^31 = 2^31 * (d*r*r - 1), the Newton step's error
 * term), which forces d >= 1 (rc must stay under 2^31 for the signed
 * smmlsr/smmulr). Specials keep their mantissa (a NaN's payload) and go
 * by the flags in RDDQ. */
static void sqrt_prepare(dcp_state *d)
{
    set_engaged(d);
    if (d->xf & (DCP_F_ZERO | DCP_F_INF | DCP_F_NAN)) return;
    int32_t e = d->xe - BIAS;
    d->xm <<= e & 1;
    d->xe = (e >> 1) + BIAS;                 /* arithmetic: floor(e / 2) */
}

/* RXMQ: lo = an approximation of 1/sqrt(d) in Q31, hi = d in Q30 (xm's top
 * word). Like RYMR's reciprocal, the hardware takes it from a small table
 * whose contents are not published; here it is 1/sqrt(d) rounded down to
 * 16 bits (so under 2^31 even for d = 1), good to 2^-15: the sequence's
 * two Newton steps then reach the 32-bit limit of its own arithmetic.
 * r = k * 2^15 with k the largest under 2^16 such that k^2 * hi < 2^62,
 * i.e. r^2 * d < 2^62, r < 2^31 / sqrt(d). */
static uint64_t reciprocal_sqrt_read(uint64_t xm)
{
    uint32_t d_q30 = (uint32_t)(xm >> 32);
    uint64_t k = 0;
    for (uint64_t bit = 1u << 15; bit; bit >>= 1)
        if ((k | bit) * (k | bit) * d_q30 < (1ull << 62)) k |= bit;   /* < 2^64: no overflow */
    return (uint64_t)d_q30 << 32 | k << 15;
}

/* WXDQ: the root the sequence computed, sqrt(d) in Q60 ("add rb,rb,ra,asr
 * #28; mov ra,ra,lsl #4": the Q28 root plus its Newton correction, 32
 * more bits below); the halved exponent stays, +2 for Q60. A NaN keeps
 * its payload. */
static void write_root(dcp_state *d, uint64_t v)
{
    if (!(d->xf & (DCP_F_NAN | DCP_F_INF | DCP_F_ZERO))) {
        d->xm = v;
        d->xe += 2;
    }
    set_engaged(d);
}

/* RDDQ: sqrt(+-0) = +-0 (a denormal read as zero gives its signed zero),
 * a NaN comes back quiet, any other negative gives the default NaN (m33.c:
 * dsqrt_fast of 0xfc6998b66a2a51de and 0x85d55765699fc337) */
static uint64_t read_sqrt_result(const dcp_state *d)
{
    int neg = (d->xf & DCP_F_SIGN) != 0;
    if (d->xf & DCP_F_NAN) return quiet_nan(d->xf, d->xm);
    if (d->xf & DCP_F_ZERO) return signed_zero(neg);
    if (neg) return DEFAULT_NAN;
    if (d->xf & DCP_F_INF) return signed_inf(0);
    return pack(0, d->xm, d->xe);
}

/* ---- classification ---- */

/* WXYU: X from Rt, Y from Rt2, each a single-precision value unpacked to
 * the same form as a double (01.fraction from bit 62, the exponent
 * rebiased to 1023), denormals read as zero as for doubles */
static void unpack_single(uint32_t v, uint64_t *m, int32_t *e, uint8_t *f)
{
    uint32_t exp = (v >> 23) & 0xFF, frac = v & 0x7FFFFF;
    *m = ONE_Q62 | (uint64_t)frac << 39;
    *e = (int32_t)exp - 127 + BIAS;
    *f = (uint8_t)((v >> 31) ? DCP_F_SIGN : 0);
    if (exp == 0) *f |= DCP_F_ZERO;
    else if (exp == 0xFF) {
        *f |= frac ? DCP_F_NAN : DCP_F_INF;
        *e = EXP_MAX;
    }
}

/* RXVD: X's flags in bits 31:28, in the order 3.6.2.3 lists them (sign,
 * zero, infinity, NaN), so that dcp_dclassify_m's "RXVD apsr_nzcv" gives
 * N = negative, Z = zero (a denormal included: the DCP flushes it),
 * C = infinite, V = NaN; none set = a positive normal number. The
 * datasheet's own bit assignment could not be checked here and no SDK
 * code reads the flags back (dclassify is exported, not called). */
static uint32_t classify_flags(const dcp_state *d)
{
    uint32_t v = 0;
    if (d->xf & DCP_F_SIGN) v |= 1u << 31;
    if (d->xf & DCP_F_ZERO) v |= 1u << 30;
    if (d->xf & DCP_F_INF) v |= 1u << 29;
    if (d->xf & DCP_F_NAN) v |= 1u << 28;
    return v;
}

/* ---- conversions ---- */

/* WXUC / WXIC (table 109): X = the integer + 2^52 + 2^32, Y = 2^52 + 2^32;
 * ADD0, SUB1, NRDD then give the integer exactly */
static void write_int(dcp_state *d, uint32_t v, int is_signed)
{
    int64_t n = is_signed ? (int64_t)(int32_t)v : (int64_t)v;
    unpack_integer(CONV_K + (uint64_t)n, &d->xm, &d->xe, &d->xf);
    unpack_integer(CONV_K, &d->ym, &d->ye, &d->yf);
    set_engaged(d);
}

/* WXDC: X = the double, Y = 2^52 + 2^32; ADD0, ADD1 put x + 2^52 + 2^32 in
 * X with x's bits below the integer point kept as round and sticky bits */
static void write_double_for_int(dcp_state *d, uint64_t v)
{
    unpack(v, &d->xm, &d->xe, &d->xf);
    unpack_integer(CONV_K, &d->ym, &d->ye, &d->yf);
    set_engaged(d);
}

/* NTDC / NRDC: the integer x is, truncated toward zero (the SDK's d2iz;
 * double2int gets the floor by subtracting 1 from it for negative
 * non-integers, double_aeabi_dcp.S:227-229) or rounded to nearest even
 * (the rounding of x + 2^52 + 2^32), left in xm as a 64-bit two's
 * complement integer saturated to the int64 range, for RDIC/RDUC. */
static void to_integer(dcp_state *d, int truncate)
{
    set_engaged(d);
    if (d->xf & (DCP_F_NAN | DCP_F_INF)) return;       /* the read goes by the flags */
    int neg = (d->xf & DCP_F_SIGN) && !(d->xf & DCP_F_ZERO);
    if (x_not_smaller(d)) {                             /* |x| >= 2^52 + 2^32 */
        d->xm = neg ? (uint64_t)INT64_MIN : (uint64_t)INT64_MAX;
        return;
    }
    /* s = 2^52 + 2^32 + x >= 0 is xm * 2^(xe - 1085), xe = 1075 here */
    int n = BIAS + 62 - d->xe;
    if (n <= 0 || n >= 64) {
        d->xm = neg ? (uint64_t)INT64_MIN : (uint64_t)INT64_MAX;
        return;
    }
    uint64_t ip = d->xm >> n, frac = d->xm & ((1ull << n) - 1), half = 1ull << (n - 1);
    if (truncate) {
        if (neg && frac) ip += 1;             /* s = K - |x|: ceil(s) - K = -floor(|x|) */
    } else if (frac > half || (frac == half && (ip & 1))) {
        ip += 1;
    }
    d->xm = (uint64_t)((int64_t)ip - (int64_t)CONV_K);
}

/* RDIC: saturating, NaN reads 0 (as the M33's own VCVT does) */
static uint32_t read_int(const dcp_state *d)
{
    int neg = (d->xf & DCP_F_SIGN) != 0;
    if (d->xf & DCP_F_NAN) return 0;
    if (d->xf & DCP_F_INF) return neg ? 0x80000000u : 0x7FFFFFFFu;
    int64_t v = (int64_t)d->xm;
    if (v > INT32_MAX) return 0x7FFFFFFFu;
    if (v < INT32_MIN) return 0x80000000u;
    return (uint32_t)v;
}

/* RDUC: saturating to 0..2^32-1, NaN reads 0 */
static uint32_t read_uint(const dcp_state *d)
{
    int neg = (d->xf & DCP_F_SIGN) != 0;
    if (d->xf & DCP_F_NAN) return 0;
    if (d->xf & DCP_F_INF) return neg ? 0 : 0xFFFFFFFFu;
    int64_t v = (int64_t)d->xm;
    if (v < 0) return 0;
    if (v > (int64_t)UINT32_MAX) return 0xFFFFFFFFu;
    return (uint32_t)v;
}

/* ---- state save and restore (3.6.2.4) ---- */

/* REFD/WEFD word: the datasheet gives the contents (xe, xf, ye, yf and the
 * status), not the layout; software only stores and reloads it. lo =
 * xe[13:0] | xf << 14 | ye[13:0] << 18, hi = yf | status << 4. */
static uint64_t exponents_flags_word(const dcp_state *d)
{
    uint32_t lo = ((uint32_t)d->xe & 0x3FFF) | (uint32_t)d->xf << 14 | ((uint32_t)d->ye & 0x3FFF) << 18;
    uint32_t hi = d->yf | d->status << 4;
    return pair(lo, hi);
}

static int32_t sign_extend14(uint32_t v) { return (int32_t)(v << 18) >> 18; }

static void write_exponents_flags(dcp_state *d, uint64_t v)
{
    uint32_t lo = (uint32_t)v, hi = (uint32_t)(v >> 32);
    d->xe = sign_extend14(lo & 0x3FFF);
    d->xf = (uint8_t)((lo >> 14) & 0xF);
    d->ye = sign_extend14(lo >> 18);
    d->yf = (uint8_t)(hi & 0xF);
    d->status = (hi >> 4) & 0x1FF;
}

/* ---- instruction groups (encodings: hardware/dcp_instr.inc.S) ---- */

/* MCRR p4,#opc1,Rt,Rt2,CRm */
static int dcp_mcrr(dcp_state *d, unsigned opc1, unsigned crm, uint32_t lo, uint32_t hi)
{
    uint64_t v = pair(lo, hi);
    switch (opc1 << 4 | crm) {
    case 0x00: d->xm = v; set_engaged(d); return 1;                   /* WXMD */
    case 0x01: d->ym = v; set_engaged(d); return 1;                   /* WYMD */
    case 0x02: write_exponents_flags(d, v); return 1;                 /* WEFD */
    case 0x10: unpack(v, &d->xm, &d->xe, &d->xf); set_engaged(d); return 1;   /* WXUP */
    case 0x11: unpack(v, &d->ym, &d->ye, &d->yf); set_engaged(d); return 1;   /* WYUP */
    case 0x20: write_product_sticky(d, v); return 1;                  /* WXMS */
    case 0x30: write_product(d, v); return 1;                         /* WXMO */
    case 0x40: write_quotient(d, v); return 1;                        /* WXDD */
    case 0x60: write_int(d, lo, 0); return 1;                         /* WXUC */
    case 0x70: write_int(d, lo, 1); return 1;                         /* WXIC */
    case 0x80: write_double_for_int(d, v); return 1;                  /* WXDC */
    case 0x12:                                                        /* WXYU */
        unpack_single(lo, &d->xm, &d->xe, &d->xf);
        unpack_single(hi, &d->ym, &d->ye, &d->yf);
        set_engaged(d);
        return 1;
    case 0x50: write_root(d, v); return 1;                            /* WXDQ */
    default: return 0;  /* WXFC, WXFM, WXFD, WXFQ: single precision */
    }
}

/* MRRC p4,#opc1,Rt,Rt2,CRm: the value read, 'final' when an R read ends
 * a sequence (clears engaged) */
static int dcp_mrrc(dcp_state *d, unsigned opc1, unsigned crm, uint64_t *v, int *final)
{
    *final = 0;
    switch (crm) {
    case 8: if (opc1) return 0; *v = d->xm; return 1;                 /* RXMD = PXMD */
    case 9: if (opc1) return 0; *v = d->ym; *final = 1; return 1;     /* RYMD: engaged = 0 */
    case 10: if (opc1) return 0; *v = exponents_flags_word(d); return 1;   /* REFD = PEFD */
    case 4: *v = mantissa_shifted(d->xm, opc1); return 1;             /* RXMS */
    case 5: *v = mantissa_shifted(d->ym, opc1); return 1;             /* RYMS */
    case 1:
        if (opc1 == 2) { *v = reciprocal_read(d->ym); return 1; }     /* RYMR */
        if (opc1 == 4) { *v = reciprocal_sqrt_read(d->xm); return 1; } /* RXMQ */
        return 0;                                                     /* RXYH */
    case 0:
        *final = 1;
        switch (opc1) {
        case 1: *v = read_add_result(d, 0); return 1;                 /* RDDA */
        case 3: *v = read_add_result(d, 1); return 1;                 /* RDDS */
        case 5: *v = read_mul_result(d); return 1;                    /* RDDM */
        case 7: *v = read_div_result(d); return 1;                    /* RDDD */
        case 9: *v = read_sqrt_result(d); return 1;                   /* RDDQ */
        case 11: *v = read_double_result(d); return 1;                /* RDDG */
        default: return 0;
        }
    default: return 0;
    }
}

/* MRC p4,#0,Rt,c0,CRm,#opc2 */
static int dcp_mrc(dcp_state *d, unsigned opc1, unsigned crn, unsigned crm, unsigned opc2,
                   uint32_t *v)
{
    if (opc1 != 0 || crn != 0) return 0;
    if (crm == 0 && opc2 == 0) { *v = classify_flags(d); return 1; }  /* RXVD */
    if (crm == 0 && opc2 == 1) { *v = compare_flags(d); return 1; }   /* RCMP */
    if (crm == 3 && opc2 == 0) { *v = read_int(d); return 1; }        /* RDIC */
    if (crm == 3 && opc2 == 1) { *v = read_uint(d); return 1; }       /* RDUC */
    if (crm == 2 && opc2 == 5) { *v = read_single_result(d); return 1; }   /* RDFG */
    return 0;                            /* RDFA..RDFQ: single precision */
}

/* CDP p4,#opc1,c0,c0,CRm,#opc2 */
static int dcp_cdp(dcp_state *d, unsigned opc1, unsigned crd, unsigned crn, unsigned crm,
                   unsigned opc2)
{
    if (crd != 0 || crn != 0) return 0;
    switch (opc1 << 8 | crm << 4 | opc2) {
    case 0x000: *d = (dcp_state){0}; set_engaged(d); return 1;        /* INIT */
    case 0x010: add0(d); return 1;                                    /* ADD0 */
    case 0x110: add1(d, 0); return 1;                                 /* ADD1 */
    case 0x111: add1(d, 1); return 1;                                 /* SUB1 */
    case 0x210: sqrt_prepare(d); return 1;                            /* SQR0 */
    case 0x801: normalise_round(d, ROUND_LSB); set_engaged(d); return 1;   /* NRDD */
    case 0x821: normalise_round_single(d); return 1;                  /* NRDF */
    case 0x802: to_integer(d, 1); return 1;                           /* NTDC */
    case 0x803: to_integer(d, 0); return 1;                           /* NRDC */
    default: return 0;                                    /* NORM */
    }
}

static void clear_engaged(dcp_state *d) { d->status &= ~(uint32_t)DCP_ST_ENGAGED; }

static int dcp_execute(dcp_state *d, uint32_t insn, const core_regs *r)
{
    uint32_t hw1 = HW1(insn), hw2 = HW2(insn);
    int peek = T_BIT(insn);
    unsigned rt = hw2 >> 12;
    if (IS_MCRR_MRRC(insn)) {
        unsigned rt2 = hw1 & 0xF, opc1 = (hw2 >> 4) & 0xF, crm = hw2 & 0xF;
        if (rt >= 15 || rt2 >= 15) return 0;          /* UNPREDICTABLE: not modelled */
        if (!(hw1 & 0x10)) {
            if (peek) return 0;                           /* MCRR2: none documented */
            return dcp_mcrr(d, opc1, crm, r->read(r->ctx, (int)rt), r->read(r->ctx, (int)rt2));
        }
        uint64_t v;
        int final;
        if (!dcp_mrrc(d, opc1, crm, &v, &final)) return 0;
        if (final && !peek) clear_engaged(d);
        r->write(r->ctx, (int)rt, (uint32_t)v);
        r->write(r->ctx, (int)rt2, (uint32_t)(v >> 32));
        return 1;
    }
    unsigned opc2 = (hw2 >> 5) & 7, crm = hw2 & 0xF, crn = hw1 & 0xF;
    if (!(hw2 & 0x10)) {
        if (peek) return 0;                               /* CDP2: none documented */
        return dcp_cdp(d, (hw1 >> 4) & 0xF, rt, crn, crm, opc2);
    }
    if (!(hw1 & 0x10)) return 0;                          /* MCR: none documented */
    uint32_t v;
    if (!dcp_mrc(d, (hw1 >> 5) & 7, crn, crm, opc2, &v)) return 0;
    if (!peek) clear_engaged(d);                          /* every MRC read ends a sequence */
    if (rt == 15) r->write_nzcv(r->ctx, v & 0xF0000000u);
    else r->write(r->ctx, (int)rt, v);
    return 1;
}

int coproc_execute(coproc *cp, uint32_t insn, const core_regs *regs)
{
    switch (coproc_number(insn)) {
    case 0: return gpioc_execute(insn, regs);
    case 4: return dcp_execute(&cp->dcp, insn, regs);
    default: return 0;
    }
}

void coproc_reset(coproc *cp) { *cp = (coproc){0}; }
