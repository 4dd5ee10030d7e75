/* test_coproc.c - the double-precision coprocessor (DCP, sim/cpu/coproc.c)
 * driven alone, as the Pico SDK's canned sequences drive it: each sequence
 * below is written from the SDK's macros (hardware/dcp_canned.inc.S), the
 * coprocessor instructions encoded here from hardware/dcp_instr.inc.S and
 * the Armv8-M T32 encodings, the CPU's own instructions (umull, smmlar...)
 * done in C on a register file. Results are compared bit for bit with the
 * host's IEEE doubles, denormals aside: the DCP reads denormal operands as
 * zero and flushes results below the normal range to zero (silicon vectors
 * in the SDK's test/pico_float_test/m33.c, a few of which are checked
 * here). The conversions between double and float (__aeabi_d2f's WXUP,
 * NRDF, RDFG; float2double's WXYU, NRDD, RDDG) are compared with the
 * host's casts under the same rules. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "coproc.h"

/* ---- the core: a register file and APSR.NZCV ---- */

static uint32_t r[16];
static uint32_t nzcv;
static coproc cp;

static uint32_t reg_read(void *ctx, int n) { (void)ctx; return r[n]; }
static void reg_write(void *ctx, int n, uint32_t v) { (void)ctx; r[n] = v; }
static void nzcv_write(void *ctx, uint32_t v) { (void)ctx; nzcv = v; }

/* the core's SIO as the GPIO coprocessor sees it: reads from a register
 * file, writes logged in order */
static uint32_t sio[0x50 / 4];
static struct { uint32_t offset, value; } sio_log[8];
static int sio_writes;
static uint32_t sio_read(void *ctx, uint32_t offset) { (void)ctx; return sio[offset / 4]; }
static void sio_write(void *ctx, uint32_t offset, uint32_t v)
{
    (void)ctx;
    assert_true(sio_writes < 8);
    sio_log[sio_writes].offset = offset;
    sio_log[sio_writes++].value = v;
}
static const core_regs regs = {NULL, reg_read, reg_write, nzcv_write, sio_read, sio_write};

static int setup(void **state)
{
    (void)state;
    memset(r, 0, sizeof(r));
    nzcv = 0;
    memset(sio, 0, sizeof(sio));
    sio_writes = 0;
    coproc_reset(&cp);
    return 0;
}

/* ---- T32 coprocessor encodings (Armv8-M ARM, A7.7: MCRR, MRRC, MCR, MRC,
 * CDP; T = 1 for the *2 forms) ---- */

static uint32_t enc_mcrr(int t, int cpn, int opc1, int rt, int rt2, int crm, int load)
{
    uint32_t hw1 = 0xEC40u | (uint32_t)t << 12 | (uint32_t)load << 4 | (uint32_t)rt2;
    uint32_t hw2 = (uint32_t)rt << 12 | (uint32_t)cpn << 8 | (uint32_t)opc1 << 4 | (uint32_t)crm;
    return hw1 << 16 | hw2;
}

static uint32_t enc_mrc(int t, int cpn, int opc1, int rt, int crn, int crm, int opc2, int load)
{
    uint32_t hw1 = 0xEE00u | (uint32_t)t << 12 | (uint32_t)opc1 << 5 | (uint32_t)load << 4 |
                   (uint32_t)crn;
    uint32_t hw2 = (uint32_t)rt << 12 | (uint32_t)cpn << 8 | (uint32_t)opc2 << 5 | 0x10u |
                   (uint32_t)crm;
    return hw1 << 16 | hw2;
}

static uint32_t enc_cdp(int cpn, int opc1, int crd, int crn, int crm, int opc2)
{
    uint32_t hw1 = 0xEE00u | (uint32_t)opc1 << 4 | (uint32_t)crn;
    uint32_t hw2 = (uint32_t)crd << 12 | (uint32_t)cpn << 8 | (uint32_t)opc2 << 5 | (uint32_t)crm;
    return hw1 << 16 | hw2;
}

/* the DCP mnemonics (dcp_instr.inc.S) */
#define MCRR4(opc1, rl, rh, crm) enc_mcrr(0, 4, opc1, rl, rh, crm, 0)
#define MRRC4(opc1, rl, rh, crm) enc_mrrc_(0, opc1, rl, rh, crm)
#define MRRC4P(opc1, rl, rh, crm) enc_mrrc_(1, opc1, rl, rh, crm)
static uint32_t enc_mrrc_(int t, int opc1, int rl, int rh, int crm)
{
    return enc_mcrr(t, 4, opc1, rl, rh, crm, 1);
}
#define CDP4(opc1, crm, opc2) enc_cdp(4, opc1, 0, 0, crm, opc2)
#define MRC4(rt, crm, opc2) enc_mrc(0, 4, 0, rt, 0, crm, opc2, 1)
#define MRC4P(rt, crm, opc2) enc_mrc(1, 4, 0, rt, 0, crm, opc2, 1)

#define INIT CDP4(0, 0, 0)
#define ADD0 CDP4(0, 1, 0)
#define ADD1 CDP4(1, 1, 0)
#define SUB1 CDP4(1, 1, 1)
#define SQR0 CDP4(2, 1, 0)
#define NRDD CDP4(8, 0, 1)
#define NTDC CDP4(8, 0, 2)
#define NRDC CDP4(8, 0, 3)
#define NRDF CDP4(8, 2, 1)
#define WXMD(l, h) MCRR4(0, l, h, 0)
#define WYMD(l, h) MCRR4(0, l, h, 1)
#define WEFD(l, h) MCRR4(0, l, h, 2)
#define WXUP(l, h) MCRR4(1, l, h, 0)
#define WYUP(l, h) MCRR4(1, l, h, 1)
#define WXMS(l, h) MCRR4(2, l, h, 0)
#define WXMO(l, h) MCRR4(3, l, h, 0)
#define WXDD(l, h) MCRR4(4, l, h, 0)
#define WXUC(l, h) MCRR4(6, l, h, 0)
#define WXIC(l, h) MCRR4(7, l, h, 0)
#define WXDC(l, h) MCRR4(8, l, h, 0)
#define WXYU(l, h) MCRR4(1, l, h, 2)
#define WXDQ(l, h) MCRR4(5, l, h, 0)
#define RXVD(t) MRC4(t, 0, 0)
#define RCMP(t) MRC4(t, 0, 1)
#define PCMP(t) MRC4P(t, 0, 1)
#define RDIC(t) MRC4(t, 3, 0)
#define RDUC(t) MRC4(t, 3, 1)
#define RDFG(t) MRC4(t, 2, 5)
#define PXMD(l, h) MRRC4P(0, l, h, 8)
#define PYMD(l, h) MRRC4P(0, l, h, 9)
#define REFD(l, h) MRRC4(0, l, h, 10)
#define RXMS(l, h, s) MRRC4(s, l, h, 4)
#define RYMS(l, h, s) MRRC4(s, l, h, 5)
#define RYMR(l, h) MRRC4(2, l, h, 1)
#define RDDA(l, h) MRRC4(1, l, h, 0)
#define RDDS(l, h) MRRC4(3, l, h, 0)
#define RDDM(l, h) MRRC4(5, l, h, 0)
#define RDDD(l, h) MRRC4(7, l, h, 0)
#define RXMQ(l, h) MRRC4(4, l, h, 1)
#define RDDQ(l, h) MRRC4(9, l, h, 0)
#define RDDG(l, h) MRRC4(11, l, h, 0)

enum { R0, R1, R2, R3, R4, R12 = 12, R14 = 14, PC = 15 };

static void X(uint32_t insn)
{
    if (!coproc_execute(&cp, insn, &regs)) fail_msg("DCP refused %08x", insn);
}

/* ---- the CPU's half of the sequences ---- */

static void umull(int lo, int hi, int a, int b)
{
    uint64_t p = (uint64_t)r[a] * r[b];
    r[lo] = (uint32_t)p;
    r[hi] = (uint32_t)(p >> 32);
}

static void umlal(int lo, int hi, int a, int b)
{
    uint64_t acc = ((uint64_t)r[hi] << 32 | r[lo]) + (uint64_t)r[a] * r[b];
    r[lo] = (uint32_t)acc;
    r[hi] = (uint32_t)(acc >> 32);
}

static void smmlar(int d, int n, int m, int a)
{
    uint64_t p = (uint64_t)((int64_t)(int32_t)r[n] * (int32_t)r[m]);
    r[d] = (uint32_t)((((uint64_t)r[a] << 32) + p + 0x80000000u) >> 32);
}

static void smmlsr(int d, int n, int m, int a)
{
    uint64_t p = (uint64_t)((int64_t)(int32_t)r[n] * (int32_t)r[m]);
    r[d] = (uint32_t)((((uint64_t)r[a] << 32) - p + 0x80000000u) >> 32);
}

static void smmulr(int d, int n, int m)
{
    uint64_t p = (uint64_t)((int64_t)(int32_t)r[n] * (int32_t)r[m]);
    r[d] = (uint32_t)((p + 0x80000000u) >> 32);
}

static void mla(int d, int n, int m, int a) { r[d] = r[a] + r[n] * r[m]; }

static uint64_t bits(double v) { uint64_t b; memcpy(&b, &v, 8); return b; }
static double dbl(uint64_t b) { double v; memcpy(&v, &b, 8); return v; }
static void set_pair(int lo, uint64_t v) { r[lo] = (uint32_t)v; r[lo + 1] = (uint32_t)(v >> 32); }
static uint64_t get_pair(int lo) { return (uint64_t)r[lo + 1] << 32 | r[lo]; }

/* ---- the SDK's sequences (dcp_canned.inc.S), operands in r0:r1, r2:r3 ---- */

static uint64_t dcp_dadd(uint64_t x, uint64_t y)
{
    set_pair(R0, x); set_pair(R2, y);
    X(WXUP(R0, R1)); X(WYUP(R2, R3)); X(ADD0); X(ADD1); X(NRDD); X(RDDA(R0, R1));
    return get_pair(R0);
}

static uint64_t dcp_dsub(uint64_t x, uint64_t y)
{
    set_pair(R0, x); set_pair(R2, y);
    X(WXUP(R0, R1)); X(WYUP(R2, R3)); X(ADD0); X(SUB1); X(NRDD); X(RDDS(R0, R1));
    return get_pair(R0);
}

/* dcp_dmul_m r0,r1, r0,r1,r2,r3, r0,r1,r2,r3,r4,r12,r14 (double_aeabi_dcp.S)
 * up to the product written back (WXMO): the DCP holds it, unrounded */
static void dcp_dmul_product(uint64_t x, uint64_t y)
{
    enum { ra = R0, rb = R1, rc = R2, rd = R3, re = R4, rf = R12, rg = R14 };
    set_pair(R0, x); set_pair(R2, y);
    X(WXUP(R0, R1)); X(WYUP(R2, R3));
    X(RXMS(ra, rb, 0)); X(RYMS(rc, rd, 0));
    umull(re, rf, ra, rc);
    r[rg] = 0;
    umlal(rf, rg, ra, rd);
    umlal(rf, rg, rb, rc);
    X(WXMS(re, rf));
    r[re] = 0;
    umlal(rg, re, rb, rd);
    X(WXMO(rg, re));
}

static uint64_t dcp_dmul(uint64_t x, uint64_t y)
{
    dcp_dmul_product(x, y);
    X(NRDD); X(RDDM(R0, R1));
    return get_pair(R0);
}

/* dcp_ddiv_m / dcp_ddiv_fast_m r0,r1, r0,r1,r2,r3, r0,r1,r2,r3,r12 */
static uint64_t dcp_ddiv_seq(uint64_t x, uint64_t y, int correctly_rounded)
{
    enum { ra = R0, rb = R1, rc = R2, rd = R3, re = R12 };
    set_pair(R0, x); set_pair(R2, y);
    X(WXUP(R0, R1)); X(WYUP(R2, R3));
    X(RYMR(ra, rb));
    umull(rb, rc, ra, rb);
    r[rc] = ~(r[rc] << 2);
    smmlar(ra, rc, ra, ra);
    smmulr(rc, rc, rc);
    smmlar(ra, rc, ra, ra);
    r[re] = r[ra] - (r[ra] >> 31);
    X(RXMS(rc, rd, 0));
    smmulr(rb, re, rd);
    X(RYMS(rc, rd, 1));
    umull(rc, ra, rb, rc);
    mla(ra, rb, rd, ra);
    X(RXMS(rc, rd, 4));
    r[ra] = r[rc] - r[ra];
    smmulr(rc, ra, re);
    r[rd] = r[rb] >> 4;
    uint64_t sum = (uint64_t)r[rc] + (uint64_t)(r[rb] << 28);      /* adds */
    r[ra] = (uint32_t)sum;
    r[rb] = r[rd] + (uint32_t)((int32_t)r[rc] >> 31) + (uint32_t)(sum >> 32);   /* adc */
    if (correctly_rounded) {
        r[ra] |= r[rb] >> 21;
        r[ra] &= ~(r[rb] >> 22);
        r[ra] &= ~7u;
        X(RYMS(rc, rd, 7));
        umull(rd, re, ra, rc);
        X(RYMS(rc, rd, 7));
        mla(re, ra, rd, re);
        mla(re, rb, rc, re);
        X(RXMS(rc, rd, 0));
        r[re] -= r[rc] << 18;
        r[ra] |= r[re] >> 29;
        r[ra] -= 1;
    }
    X(WXDD(ra, rb)); X(NRDD); X(RDDD(R0, R1));
    return get_pair(R0);
}

static uint64_t dcp_ddiv(uint64_t x, uint64_t y) { return dcp_ddiv_seq(x, y, 1); }

static uint64_t dcp_i2d(uint32_t v, int is_signed)
{
    r[R0] = v;
    X(is_signed ? WXIC(R0, R0) : WXUC(R0, R0)); X(ADD0); X(SUB1); X(NRDD); X(RDDS(R0, R1));
    return get_pair(R0);
}

static uint32_t dcp_d2i(uint64_t x, int is_signed, int round)
{
    set_pair(R0, x);
    X(WXDC(R0, R1)); X(ADD0); X(ADD1); X(round ? NRDC : NTDC);
    X(is_signed ? RDIC(R0) : RDUC(R0));
    return r[R0];
}

/* dcp_dsqrt_m / dcp_dsqrt_fast_m r0,r1, r0,r1, r0,r1,r2,r3,r12
 * (double_aeabi_dcp.S:128,134) */
static uint64_t dcp_dsqrt_seq(uint64_t x, int correctly_rounded)
{
    enum { ra = R0, rb = R1, rc = R2, rd = R3, re = R12 };
    set_pair(R0, x);
    X(WXUP(R0, R1)); X(SQR0);
    X(RXMQ(rc, rd));
    umull(ra, rb, rc, rc);
    umull(ra, rb, rb, rd);
    r[rb] <<= 3;
    r[rb] -= 0x80000000u;
    smmlsr(rc, rc, rb, rc);
    umull(ra, rb, rc, rc);
    umull(ra, rb, rb, rd);
    uint32_t carry = (r[ra] >> 27) & 1;                          /* movs ra,ra,lsr #28 */
    r[ra] >>= 28;
    r[rb] = r[ra] + (r[rb] << 4) + carry;                        /* adc */
    smmulr(ra, rb, rc);
    r[rc] -= (uint32_t)((int32_t)r[ra] >> 1);
    umull(ra, rb, rc, rd);
    r[rb] >>= 1;
    umull(rd, ra, rb, rb);
    X(RXMS(ra, re, 6));
    if (!correctly_rounded) {
        r[ra] -= r[rd];
        smmulr(ra, ra, rc);
        r[rb] += (uint32_t)((int32_t)r[ra] >> 28);
        r[ra] <<= 4;
        X(WXDQ(ra, rb));
    } else {
        r[rd] = r[ra] - r[rd];
        smmulr(rd, rd, rc);
        r[rb] += (uint32_t)((int32_t)r[rd] >> 28);
        r[rd] <<= 4;
        r[rd] &= ~255u;
        r[rd] |= 128;
        umull(re, rc, rd, rd);
        r[re] = r[rb] * r[rb];
        umlal(rc, re, rb, rd);
        umlal(rc, re, rb, rd);
        r[re] -= r[ra];
        r[rd] |= r[re] >> 24;
        r[rd] -= 11;
        X(WXDQ(rd, rb));
    }
    X(NRDD); X(RDDQ(R0, R1));
    return get_pair(R0);
}

static uint64_t dcp_dsqrt(uint64_t x) { return dcp_dsqrt_seq(x, 1); }
static uint64_t dcp_dsqrt_fast(uint64_t x) { return dcp_dsqrt_seq(x, 0); }

/* dcp_dclassify_m apsr_nzcv,r0,r1 (double_aeabi_dcp.S:139) */
static uint32_t dcp_dclassify(uint64_t x)
{
    set_pair(R0, x);
    nzcv = 0;
    X(WXUP(R0, R1)); X(RXVD(PC));
    return nzcv;
}

/* dcp_fclassify_m apsr_nzcv,r0 and dcp_fcmp_m apsr_nzcv,r0,r1 (single
 * precision through WXYU) */
static uint32_t dcp_fclassify(uint32_t x)
{
    r[R0] = x;
    nzcv = 0;
    X(WXYU(R0, R0)); X(RXVD(PC));
    return nzcv;
}

static uint32_t dcp_fcmp(uint32_t x, uint32_t y)
{
    r[R0] = x; r[R1] = y;
    X(WXYU(R0, R1)); X(ADD0); X(RCMP(PC));
    return nzcv;
}

/* dcp_double2float_m r0,r0,r1 (double_aeabi_dcp.S:144-147, __aeabi_d2f)
 * and dcp_float2double_m r0,r1,r0 (dcp_canned.inc.S:314-324) */
static uint32_t dcp_d2f(uint64_t x)
{
    set_pair(R0, x);
    X(WXUP(R0, R1)); X(NRDF); X(RDFG(R0));
    return r[R0];
}

static uint64_t dcp_f2d(uint32_t x)
{
    r[R0] = x;
    X(WXYU(R0, R0)); X(NRDD); X(RDDG(R0, R1));
    return get_pair(R0);
}

/* dcp_dcmp_m apsr_nzcv,...: the flags of x against y */
static uint32_t dcp_dcmp(uint64_t x, uint64_t y)
{
    set_pair(R0, x); set_pair(R2, y);
    X(WXUP(R0, R1)); X(WYUP(R2, R3)); X(ADD0); X(RCMP(PC));
    return nzcv;
}

/* ---- expectations: IEEE on the host, with the DCP's flush to zero ---- */

static int is_denormal(uint64_t b) { return ((b >> 52) & 0x7FF) == 0 && (b & ((1ull << 52) - 1)); }
static uint64_t flush(uint64_t b) { return is_denormal(b) ? b & (1ull << 63) : b; }

typedef uint64_t (*dcp_op)(uint64_t, uint64_t);
typedef double (*host_op)(double, double);
static double h_add(double a, double b) { return a + b; }
static double h_sub(double a, double b) { return a - b; }
static double h_mul(double a, double b) { return a * b; }
static double h_div(double a, double b) { return a / b; }

/* The host rounds a product or quotient just under DBL_MIN at the
 * denormals' precision and may reach DBL_MIN; the DCP rounds to 53 bits
 * with no lower exponent limit, then flushes what is below DBL_MIN. Redo
 * such a result with one operand scaled by 2^200 to see which side of
 * DBL_MIN the 53-bit rounding falls. */
static double beyond_denormal_precision(host_op h, double a, double b, double res)
{
    if (fabs(res) != DBL_MIN || (h != h_mul && h != h_div)) return res;
    int ea, eb;
    frexp(a, &ea);
    frexp(b, &eb);
    double scaled = h == h_mul ? (ea < eb ? h(ldexp(a, 200), b) : h(a, ldexp(b, 200)))
                  : fabs(a) < 1 ? h(ldexp(a, 200), b) : h(a, ldexp(b, -200));
    return fabs(scaled) < ldexp(DBL_MIN, 200) ? copysign(0.0, res) : res;
}

static void expect_op(dcp_op op, host_op h, const char *name, uint64_t x, uint64_t y)
{
    double a = dbl(flush(x)), b = dbl(flush(y));
    uint64_t want = flush(bits(beyond_denormal_precision(h, a, b, h(a, b))));
    uint64_t got = op(x, y);
    if (got != want)
        fail_msg("%s(%016llx, %016llx) = %016llx, want %016llx", name, (unsigned long long)x,
                 (unsigned long long)y, (unsigned long long)got, (unsigned long long)want);
}

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* a finite, non-NaN double with an exponent within +-span of 1.0, or one
 * with a mantissa of many trailing zeros (exact cases, ties) */
static uint64_t random_double(int span)
{
    uint64_t v = next_random();
    int64_t e = 1023 + (int64_t)(next_random() % (uint64_t)(2 * span + 1)) - span;
    uint64_t frac = v & ((1ull << 52) - 1);
    if ((v >> 60) == 0) frac &= ~((1ull << 40) - 1);
    return (v & (1ull << 63)) | (uint64_t)e << 52 | frac;
}

static const uint64_t interesting[] = {
    0x3FF0000000000000ull, 0xBFF0000000000000ull, 0x4000000000000000ull,
    0x3FEFFFFFFFFFFFFFull, 0x3FF0000000000001ull, 0x3FFFFFFFFFFFFFFFull,
    0x4008000000000000ull, 0x3FB999999999999Aull, 0x400921FB54442D18ull,
    0x7FEFFFFFFFFFFFFFull, 0xFFEFFFFFFFFFFFFFull, 0x0010000000000000ull,
    0x8010000000000000ull, 0x0010000000000001ull, 0x0000000000000000ull,
    0x8000000000000000ull, 0x7FF0000000000000ull, 0xFFF0000000000000ull,
    0x000FFFFFFFFFFFFFull, 0x8000000000000001ull, 0x4330000000000000ull,
    0x4330000100000000ull, 0x43E0000000000000ull, 0x3CA0000000000000ull,
};
#define N_INTERESTING (sizeof(interesting) / sizeof(interesting[0]))

static void sweep(dcp_op op, host_op h, const char *name, int span, int n)
{
    for (size_t i = 0; i < N_INTERESTING; i++)
        for (size_t j = 0; j < N_INTERESTING; j++)
            expect_op(op, h, name, interesting[i], interesting[j]);
    for (int k = 0; k < n; k++) expect_op(op, h, name, random_double(span), random_double(span));
    /* close magnitudes: cancellation in add/sub, quotients near 1 */
    for (int k = 0; k < n; k++) {
        uint64_t a = random_double(4);
        expect_op(op, h, name, a, (a ^ (next_random() & 0xFFF)) ^ (next_random() & (1ull << 63)));
    }
}

/* ---- tests ---- */

static void dadd_matches_ieee(void **state) { (void)state; sweep(dcp_dadd, h_add, "dadd", 60, 20000); }
static void dsub_matches_ieee(void **state) { (void)state; sweep(dcp_dsub, h_sub, "dsub", 60, 20000); }
static void dmul_matches_ieee(void **state) { (void)state; sweep(dcp_dmul, h_mul, "dmul", 600, 20000); }
static void ddiv_matches_ieee(void **state) { (void)state; sweep(dcp_ddiv, h_div, "ddiv", 600, 20000); }

/* results that leave the range: overflow to infinity, underflow to zero */
static void range_edges(void **state)
{
    (void)state;
    assert_int_equal(dcp_dmul(bits(1e200), bits(1e200)), bits(INFINITY));
    assert_int_equal(dcp_dmul(bits(-1e200), bits(1e200)), bits(-INFINITY));
    assert_int_equal(dcp_dadd(0x7FEFFFFFFFFFFFFFull, 0x7CA0000000000000ull), bits(INFINITY));
    assert_int_equal(dcp_ddiv(bits(1e-300), bits(1e100)), 0);
    assert_int_equal(dcp_dmul(bits(-1e-200), bits(1e-200)), 1ull << 63);
    /* DBL_MIN / 2 is a denormal on the host: zero here */
    assert_int_equal(dcp_dmul(0x0010000000000000ull, 0x3FE0000000000000ull), 0);
    assert_int_equal(dcp_dsub(0x0018000000000000ull, 0x0010000000000001ull), 0);
    assert_int_equal(dcp_dmul(bits(2.0), 0x0010000000000000ull), 0x0020000000000000ull);
}

/* silicon results from the SDK's own test (test/pico_float_test/m33.c,
 * the checkd lines: dadd, dsub, dmul, ddiv_fast) */
static void silicon_vectors(void **state)
{
    (void)state;
    static const struct { char op; uint64_t x, y, want; } v[] = {
        {'+', 0x000000fc75a5900aull, 0x5bc7667ff4f5aed4ull, 0x5bc7667ff4f5aed4ull},
        {'+', 0x3b795f9a7971afcaull, 0x3b795f7a89f1afcaull, 0x3b895f8a81b1afcaull},
        {'+', 0x800c3012be12e063ull, 0x0007ffffffffffb2ull, 0x0000000000000000ull},
        {'+', 0xf318c8542dbf290full, 0x7318c84fdc68b825ull, 0xf1f14559c3a80000ull},
        {'+', 0x7fecab31e7006bc2ull, 0xffec71829182845full, 0x7f7cd7aabef3b180ull},
        {'-', 0x956bc258e14cf502ull, 0x956bc257257e217bull, 0x942bbced38700000ull},
        {'-', 0x800000304a84d45aull, 0x0c32000000000026ull, 0x8c32000000000026ull},
        {'-', 0x9cfebf98a0150dc2ull, 0x1cceb5d8a0150dc3ull, 0x9d014b29da0bd7bdull},
        {'*', 0x7eee03dd737c3204ull, 0xc19afd2262fa8aa9ull, 0xfff0000000000000ull},
        {'*', 0x80760ca8a50d4410ull, 0x807512348901231bull, 0x0000000000000000ull},
        {'*', 0x7b386a737bf6693dull, 0xfff70000000000ecull, 0xffff0000000000ecull},
        {'*', 0x407f0007866747d5ull, 0xe0408003c333a303ull, 0xe0cff80f0cd052ebull},
        {'*', 0x4d1f3420ca65f2baull, 0x8000282866063841ull, 0x8000000000000000ull},
        {'*', 0xc787a9a862f5b946ull, 0xcbdeeaeafe6b567dull, 0x5376dcc440db5e02ull},
        /* ddiv_fast: not correctly rounded; the quotient path as silicon has it */
        {'/', 0x94885bb8363252b5ull, 0x9484cbb8363252b6ull, 0x3ff2bdae4b39ea58ull},
        {'/', 0x9098cf9d1d63a8a6ull, 0x0000bce378acc9edull, 0xfff0000000000000ull},
        {'/', 0x9f7b7105213fc016ull, 0x9f7b7105206fc017ull, 0x3ff00000007946b7ull},
        {'/', 0x9646a0875dd00eb0ull, 0x579f2c0d32efbfc3ull, 0x8000000000000000ull},
        {'/', 0x3e62ca75a07c1ac2ull, 0xb048d234e122da6dull, 0xce0839c35d7657d1ull},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        uint64_t got = v[i].op == '+' ? dcp_dadd(v[i].x, v[i].y)
                     : v[i].op == '-' ? dcp_dsub(v[i].x, v[i].y)
                     : v[i].op == '*' ? dcp_dmul(v[i].x, v[i].y)
                                      : dcp_ddiv_seq(v[i].x, v[i].y, 0);
        if (got != v[i].want)
            fail_msg("vector %zu: %016llx %c %016llx = %016llx, silicon %016llx", i,
                     (unsigned long long)v[i].x, v[i].op, (unsigned long long)v[i].y,
                     (unsigned long long)got, (unsigned long long)v[i].want);
    }
}

/* NaN in, NaN out (quiet, payload kept); invalid operations give the
 * default NaN; signed zeros as IEEE round-to-nearest gives them */
static void special_values(void **state)
{
    (void)state;
    const uint64_t qnan = 0x7FF8000000001234ull, snan = 0xFFF0000000000042ull;
    const uint64_t dnan = 0xFFF8000000000000ull, one = bits(1.0), zero = 0, nzero = 1ull << 63;
    const uint64_t inf = bits(INFINITY), ninf = bits(-INFINITY);
    assert_int_equal(dcp_dadd(qnan, one), qnan);
    assert_int_equal(dcp_dadd(one, snan), snan | (1ull << 51));
    assert_int_equal(dcp_dsub(one, qnan), qnan);
    assert_int_equal(dcp_dmul(qnan, snan), qnan);
    assert_int_equal(dcp_ddiv(one, snan), snan | (1ull << 51));
    assert_int_equal(dcp_dadd(inf, ninf), dnan);
    assert_int_equal(dcp_dsub(inf, inf), dnan);
    assert_int_equal(dcp_dadd(inf, inf), inf);
    assert_int_equal(dcp_dsub(one, inf), ninf);
    assert_int_equal(dcp_dmul(inf, zero), dnan);
    assert_int_equal(dcp_dmul(ninf, bits(2.0)), ninf);
    assert_int_equal(dcp_ddiv(zero, zero), dnan);
    assert_int_equal(dcp_ddiv(inf, ninf), dnan);
    assert_int_equal(dcp_ddiv(bits(-1.0), zero), ninf);
    assert_int_equal(dcp_ddiv(one, ninf), nzero);
    assert_int_equal(dcp_dadd(nzero, nzero), nzero);
    assert_int_equal(dcp_dadd(nzero, zero), zero);
    assert_int_equal(dcp_dsub(one, one), zero);
    assert_int_equal(dcp_dsub(nzero, zero), nzero);
    assert_int_equal(dcp_dmul(nzero, one), nzero);
    /* denormal operands read as zero, with their sign */
    assert_int_equal(dcp_dadd(0x8000000000000001ull, one), one);
    assert_int_equal(dcp_dmul(0x800FFFFFFFFFFFFFull, bits(1e300)), nzero);
    assert_int_equal(dcp_ddiv(one, 0x0000000000000001ull), inf);
}

static void int_to_double(void **state)
{
    (void)state;
    static const int32_t s[] = {0, 1, -1, 2, -2, 1000, -123456789, INT32_MAX, INT32_MIN, 0x40000000};
    for (size_t i = 0; i < sizeof(s) / sizeof(s[0]); i++)
        assert_int_equal(dcp_i2d((uint32_t)s[i], 1), bits((double)s[i]));
    static const uint32_t u[] = {0, 1, 7, 0x80000000u, 0xFFFFFFFFu, 0xDEADBEEFu};
    for (size_t i = 0; i < sizeof(u) / sizeof(u[0]); i++)
        assert_int_equal(dcp_i2d(u[i], 0), bits((double)u[i]));
    for (int k = 0; k < 20000; k++) {
        uint32_t v = (uint32_t)next_random();
        assert_int_equal(dcp_i2d(v, 1), bits((double)(int32_t)v));
        assert_int_equal(dcp_i2d(v, 0), bits((double)v));
    }
}

/* truncation toward zero as C's casts (d2iz, d2uiz); outside the range
 * the result saturates, NaN gives 0 */
static void double_to_int(void **state)
{
    (void)state;
    static const double in_range[] = {0.0, -0.0, 0.5, -0.5, 0.999999, -0.999999, 1.0, -1.0, 1.5,
                                      -1.5, 2.5, -2.5, 123456.789, -123456.789, 2147483647.0,
                                      2147483647.9, -2147483648.0, -2147483648.9, 1e-300, -1e-300};
    for (size_t i = 0; i < sizeof(in_range) / sizeof(in_range[0]); i++)
        assert_int_equal((int32_t)dcp_d2i(bits(in_range[i]), 1, 0), (int32_t)in_range[i]);
    static const double uin[] = {0.0, 0.7, 1.0, 4294967295.0, 4294967295.5, 2147483648.0, 3e9};
    for (size_t i = 0; i < sizeof(uin) / sizeof(uin[0]); i++)
        assert_int_equal(dcp_d2i(bits(uin[i]), 0, 0), (uint32_t)uin[i]);
    for (int k = 0; k < 20000; k++) {
        double d = ldexp((double)(int64_t)next_random(), -(int)(next_random() % 60) - 4);
        if (fabs(d) < 2147483648.0) assert_int_equal((int32_t)dcp_d2i(bits(d), 1, 0), (int32_t)d);
        if (d >= 0 && d < 4294967296.0) assert_int_equal(dcp_d2i(bits(d), 0, 0), (uint32_t)d);
    }
    assert_int_equal(dcp_d2i(bits(2147483648.0), 1, 0), 0x7FFFFFFFu);
    assert_int_equal(dcp_d2i(bits(-2147483649.0), 1, 0), 0x80000000u);
    assert_int_equal(dcp_d2i(bits(1e300), 1, 0), 0x7FFFFFFFu);
    assert_int_equal(dcp_d2i(bits(-1e300), 1, 0), 0x80000000u);
    assert_int_equal(dcp_d2i(bits(INFINITY), 1, 0), 0x7FFFFFFFu);
    assert_int_equal(dcp_d2i(bits(-INFINITY), 1, 0), 0x80000000u);
    assert_int_equal(dcp_d2i(bits(NAN), 1, 0), 0);
    assert_int_equal(dcp_d2i(bits(4294967296.0), 0, 0), 0xFFFFFFFFu);
    assert_int_equal(dcp_d2i(bits(-1.5), 0, 0), 0);
    assert_int_equal(dcp_d2i(bits(NAN), 0, 0), 0);
    /* NRDC: to nearest, ties to even (double2int_r) */
    assert_int_equal((int32_t)dcp_d2i(bits(2.5), 1, 1), 2);
    assert_int_equal((int32_t)dcp_d2i(bits(3.5), 1, 1), 4);
    assert_int_equal((int32_t)dcp_d2i(bits(-2.5), 1, 1), -2);
    assert_int_equal((int32_t)dcp_d2i(bits(-2.6), 1, 1), -3);
    assert_int_equal((int32_t)dcp_d2i(bits(2.4999), 1, 1), 2);
}

/* the flags the SDK's comparison wrappers test (double_aeabi_dcp.S):
 * dcmplt swaps the operands and takes "hi", dcmpge takes "hs", dcmpgt
 * "hi", dcmpeq bit 30 (Z), dcmpun bit 28 (V) */
static void compare_flags(void **state)
{
    (void)state;
    static const double v[] = {0.0, -0.0, 1.0, -1.0, 1.0000000000000002, 1e300, -1e-300,
                               INFINITY, -INFINITY, NAN};
    const uint32_t Z = 1u << 30, C = 1u << 29, V = 1u << 28;
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        for (size_t j = 0; j < sizeof(v) / sizeof(v[0]); j++) {
            double a = v[i], b = v[j];
            uint32_t f = dcp_dcmp(bits(a), bits(b));
            int hs = (f & C) != 0, hi = hs && !(f & Z);
            uint32_t lt = dcp_dcmp(bits(b), bits(a));
            int lt_hi = (lt & C) && !(lt & Z);
            if (hs != (a >= b) || hi != (a > b) || ((f & Z) != 0) != (a == b) ||
                ((f & V) != 0) != (isnan(a) || isnan(b)) || lt_hi != (a < b))
                fail_msg("dcmp(%g, %g): flags %08x", a, b, f);
        }
    }
}

/* sqrt as IEEE gives it, with the DCP's flush of denormal operands: a
 * NaN comes back quiet, a negative (not -0) gives the default NaN */
static uint64_t expected_sqrt(uint64_t x)
{
    const uint64_t dnan = 0xFFF8000000000000ull;
    uint64_t f = flush(x);
    if (isnan(dbl(f))) return f | (1ull << 51);
    if ((f >> 63) && (f << 1)) return dnan;
    return bits(sqrt(dbl(f)));
}

static void expect_sqrt(uint64_t x)
{
    uint64_t got = dcp_dsqrt(x), want = expected_sqrt(x);
    if (got != want)
        fail_msg("dsqrt(%016llx) = %016llx, want %016llx", (unsigned long long)x,
                 (unsigned long long)got, (unsigned long long)want);
}

/* x whose square root lies within an ulp's fraction of a rounding
 * boundary: m + 1/2 (a midpoint between two doubles of 53 bits) squared,
 * rounded to a double */
static uint64_t square_of_a_midpoint(void)
{
    uint64_t m = (next_random() >> 11) | (1ull << 52);
    long double mid = (long double)m + 0.5L;                    /* 54 bits: exact in x87/quad */
    double sq = (double)(mid * mid);                            /* ~2^105, rounded */
    return bits(ldexp(sq, -104 + 2 * (int)(next_random() % 600) - 600));
}

static void dsqrt_matches_ieee(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_INTERESTING; i++) expect_sqrt(interesting[i]);
    static const uint64_t more[] = {
        0x7FF8000000001234ull, 0xFFF0000000000042ull, 0x7FF0000000000001ull,
        0xBFF0000000000000ull, 0x8000000000000001ull, 0x4010000000000000ull,
        0x3FE0000000000000ull, 0x0000000000000001ull, 0x7FEFFFFFFFFFFFFFull,
        0x4000000000000001ull, 0x3FFFFFFFFFFFFFFFull, 0x3FF0000000000001ull,
    };
    for (size_t i = 0; i < sizeof(more) / sizeof(more[0]); i++) expect_sqrt(more[i]);
    for (int k = 0; k < 100000; k++) {
        uint64_t x = next_random() & ~(1ull << 63);            /* any positive encoding */
        expect_sqrt(x);
        expect_sqrt(random_double(1000));
        expect_sqrt(square_of_a_midpoint());
    }
    /* exact squares: the root is exact, no rounding */
    for (int k = 0; k < 20000; k++) {
        double root = ldexp((double)(next_random() >> 38), (int)(next_random() % 200) - 100);
        expect_sqrt(bits(root * root));
    }
}

/* sqrt_fast: not correctly rounded; the SDK's silicon results
 * (test/pico_float_test/m33.c, the dsqrt_fast checkd lines) exactly, and
 * within an ulp of the correct root otherwise */
static void dsqrt_fast_silicon_vectors(void **state)
{
    (void)state;
    static const struct { uint64_t x, want; } v[] = {
        {0x56d82e2279837d7bull, 0x4b63ab5aaabcb779ull}, {0xfc6998b66a2a51deull, 0xfff8000000000000ull},
        {0x2c0cc3149408dcc9ull, 0x35fe567d3c418723ull}, {0x1f71e22e323600e6ull, 0x2fb0ea62598ef070ull},
        {0x71a6cf9286fdea03ull, 0x58cb047c625fe761ull}, {0x307b55796f027243ull, 0x3834e9a8788bda68ull},
        {0x10518d57b7b32094ull, 0x2820c212d75b45adull}, {0x85d55765699fc337ull, 0xfff8000000000000ull},
        {0x030a70b7171e4c51ull, 0x217d166dff1d7836ull}, {0x5284145a8007521full, 0x493959345ef6a420ull},
    };
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        uint64_t got = dcp_dsqrt_fast(v[i].x);
        if (got != v[i].want)
            fail_msg("vector %zu: dsqrt_fast(%016llx) = %016llx, silicon %016llx", i,
                     (unsigned long long)v[i].x, (unsigned long long)got,
                     (unsigned long long)v[i].want);
    }
    for (int k = 0; k < 100000; k++) {
        uint64_t x = k & 1 ? random_double(1000) : square_of_a_midpoint();
        uint64_t got = dcp_dsqrt_fast(x), want = expected_sqrt(x);
        uint64_t diff = got > want ? got - want : want - got;
        if (diff > 1)
            fail_msg("dsqrt_fast(%016llx) = %016llx, correct %016llx", (unsigned long long)x,
                     (unsigned long long)got, (unsigned long long)want);
    }
    const uint64_t dnan = 0xFFF8000000000000ull;
    assert_int_equal(dcp_dsqrt_fast(bits(4.0)), bits(2.0));
    assert_int_equal(dcp_dsqrt_fast(1ull << 63), 1ull << 63);
    assert_int_equal(dcp_dsqrt_fast(bits(INFINITY)), bits(INFINITY));
    assert_int_equal(dcp_dsqrt_fast(bits(-INFINITY)), dnan);
    assert_int_equal(dcp_dsqrt_fast(0x7FF0000000000001ull), 0x7FF8000000000001ull);
    assert_int_equal(dcp_dsqrt_fast(0x000FFFFFFFFFFFFFull), 0);
}

/* dclassify's flags against fpclassify: N = negative, Z = zero (a denormal
 * included: the DCP reads it as zero), C = infinite, V = NaN */
static void expect_class(uint32_t f, double v, int cls)
{
    const uint32_t N = 1u << 31, Z = 1u << 30, C = 1u << 29, V = 1u << 28;
    uint32_t want = signbit(v) ? N : 0;
    if (cls == FP_ZERO || cls == FP_SUBNORMAL) want |= Z;
    else if (cls == FP_INFINITE) want |= C;
    else if (cls == FP_NAN) want |= V;
    if (f != want) fail_msg("classify(%a): flags %08x, want %08x", v, f, want);
}

static void dclassify_matches_fpclassify(void **state)
{
    (void)state;
    static const double v[] = {0.0, -0.0, 1.0, -1.0, DBL_MIN, -DBL_MIN, DBL_MAX, -DBL_MAX,
                               DBL_MIN / 4, -DBL_MIN / 3, 5e-324, INFINITY, -INFINITY, NAN, -NAN};
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) expect_class(dcp_dclassify(bits(v[i])), v[i], fpclassify(v[i]));
    assert_int_equal(dcp_dclassify(0xFFF0000000000001ull), 0x90000000u);   /* -sNaN: N, V */
    for (int k = 0; k < 20000; k++) {
        uint64_t x = next_random();
        expect_class(dcp_dclassify(x), dbl(x), fpclassify(dbl(x)));
    }
    /* a sequence ends disengaged */
    X(PCMP(PC));
    assert_int_equal(nzcv & 0x80000000u, 0);
}

/* WXYU: the single-precision forms of classify and compare */
static void wxyu_single_precision(void **state)
{
    (void)state;
    static const float v[] = {0.0f, -0.0f, 1.0f, -1.0f, 1.5f, FLT_MIN, -FLT_MAX, FLT_MIN / 8,
                              INFINITY, -INFINITY, NAN};
    const uint32_t Z = 1u << 30, C = 1u << 29, V = 1u << 28;
    for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
        uint32_t a;
        memcpy(&a, &v[i], 4);
        expect_class(dcp_fclassify(a), v[i], fpclassify(v[i]));   /* float's class */
        for (size_t j = 0; j < sizeof(v) / sizeof(v[0]); j++) {
            uint32_t b;
            memcpy(&b, &v[j], 4);
            float x = v[i], y = v[j];
            if (fpclassify(x) == FP_SUBNORMAL) x = copysignf(0.0f, x);
            if (fpclassify(y) == FP_SUBNORMAL) y = copysignf(0.0f, y);
            uint32_t f = dcp_fcmp(a, b);
            if (((f & C) != 0) != (x >= y) || ((f & Z) != 0) != (x == y) ||
                ((f & V) != 0) != (isnan(x) || isnan(y)))
                fail_msg("fcmp(%a, %a): flags %08x", (double)v[i], (double)v[j], f);
        }
    }
}

/* ---- double <-> float (__aeabi_d2f: WXUP, NRDF, RDFG) ---- */

static uint32_t fbits(float v) { uint32_t b; memcpy(&b, &v, 4); return b; }
static float flt(uint32_t b) { float v; memcpy(&v, &b, 4); return v; }

/* IEEE's double -> float with the DCP's rules: a denormal operand reads
 * as zero; the rounding to 24 bits knows no lower exponent limit and what
 * lands below FLT_MIN is flushed to zero (the host instead rounds there at
 * the denormals' precision, so tiny values are redone scaled by 2^64); a
 * NaN comes back quiet with the top 23 bits of its payload. */
static uint32_t expected_d2f(uint64_t x)
{
    uint32_t sign = (uint32_t)(x >> 63) << 31;
    double a = dbl(x);
    if (is_denormal(x)) return sign;
    if (isnan(a)) return sign | 0x7FC00000u | (uint32_t)((x >> 29) & 0x7FFFFF);
    if (fabs(a) >= 0x1p-100) return fbits((float)a);
    float scaled = (float)(a * 0x1p64);                   /* exact scaling, 24-bit rounding */
    if (fabsf(scaled) < 0x1p-62f) return sign;            /* below FLT_MIN once scaled back */
    return fbits(scaled * 0x1p-64f);
}

static void expect_d2f(uint64_t x)
{
    uint32_t got = dcp_d2f(x), want = expected_d2f(x);
    if (got != want)
        fail_msg("d2f(%016llx) = %08x, want %08x", (unsigned long long)x, got, want);
}

/* a double near the float range, its low 29 bits (what the rounding drops)
 * often a tie or one off it */
static uint64_t random_double_for_d2f(void)
{
    uint64_t v = next_random();
    switch (v >> 61) {
    case 0: return v;                                               /* anything: NaNs, huge, tiny */
    case 1: v = (v & ~(0x1FFFFFFFull)) | 0x10000000ull; break;      /* a tie */
    case 2:                                                         /* one off a tie */
        v = (v & ~(0x1FFFFFFFull)) | (next_random() & 1 ? 0x10000001ull : 0x0FFFFFFFull);
        break;
    default: break;
    }
    int64_t e = 1023 - 160 + (int64_t)(next_random() % 300);      /* 2^-160 .. 2^139 */
    return (v & ~(0x7FFull << 52)) | (uint64_t)e << 52;
}

static void d2f_matches_ieee(void **state)
{
    (void)state;
    static const uint64_t edge[] = {
        0x0000000000000000ull, 0x8000000000000000ull, 0x3FF0000000000000ull,
        0xBFF0000000000000ull, 0x3FB999999999999Aull, 0x400921FB54442D18ull,
        0x3FF0000010000000ull, 0x3FF0000030000000ull, 0x3FF0000010000001ull,
        0x3FF000000FFFFFFFull, 0x3FFFFFFFF0000000ull, 0xBFEFFFFFF0000000ull,
        /* the top: FLT_MAX, just under and at its half ulp, 2^128, DBL_MAX */
        0x47EFFFFFE0000000ull, 0xC7EFFFFFE0000000ull, 0x47EFFFFFEFFFFFFFull,
        0x47EFFFFFF0000000ull, 0xC7EFFFFFF0000000ull, 0x47EFFFFFF0000001ull,
        0x47F0000000000000ull, 0x7FEFFFFFFFFFFFFFull, 0xFFEFFFFFFFFFFFFFull,
        0x7FF0000000000000ull, 0xFFF0000000000000ull,
        /* NaNs: quiet, signalling, payloads the conversion cuts */
        0x7FF8000000000000ull, 0xFFF8000000000000ull, 0x7FF0000000000001ull,
        0xFFF0000020000000ull, 0x7FF7FFFFFFFFFFFFull, 0x7FF0000010000000ull,
        0x7FFFFFFFF0000000ull, 0xFFFFFFFFFFFFFFFFull, 0x7FF4000000000000ull,
        /* the bottom: FLT_MIN, under it, float denormals, tiny, denormal doubles */
        0x3810000000000000ull, 0xB810000000000000ull, 0x3810000000000001ull,
        0x380FFFFFF0000000ull, 0x380FFFFFF0000001ull, 0x380FFFFFFFFFFFFFull,
        0x3800000000000000ull, 0xB7F0000000000000ull, 0x36A0000000000000ull,
        0x3690000000000000ull, 0x0010000000000000ull, 0x8010000000000000ull,
        0x0000000000000001ull, 0x800FFFFFFFFFFFFFull, 0x01A56E1FC2F8F359ull,
    };
    for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) expect_d2f(edge[i]);
    for (int k = 0; k < 100000; k++) expect_d2f(random_double_for_d2f());
    /* every float, as a double, comes back as itself (denormals aside) */
    for (int k = 0; k < 20000; k++) {
        uint32_t f = (uint32_t)next_random();
        if (((f >> 23) & 0xFF) == 0 || isnan(flt(f))) continue;
        assert_int_equal(dcp_d2f(bits((double)flt(f))), f);
    }
}

/* the conversion's edges spelt out: overflow, the flush, NaNs, signs */
static void d2f_edges(void **state)
{
    (void)state;
    assert_int_equal(dcp_d2f(0x47EFFFFFE0000000ull), fbits(FLT_MAX));
    assert_int_equal(dcp_d2f(0x47EFFFFFEFFFFFFFull), fbits(FLT_MAX));    /* under half an ulp */
    assert_int_equal(dcp_d2f(0x47EFFFFFF0000000ull), 0x7F800000u);      /* the tie: to even, inf */
    assert_int_equal(dcp_d2f(bits(-1e300)), 0xFF800000u);
    assert_int_equal(dcp_d2f(bits(-INFINITY)), 0xFF800000u);
    assert_int_equal(dcp_d2f(0x3FFFFFFFF0000000ull), fbits(2.0f));      /* carry out of the mantissa */
    assert_int_equal(dcp_d2f(0x3FF0000010000000ull), fbits(1.0f));      /* tie to even, down */
    assert_int_equal(dcp_d2f(0x3FF0000030000000ull), 0x3F800002u);      /* tie to even, up */
    assert_int_equal(dcp_d2f(1ull << 63), 0x80000000u);
    assert_int_equal(dcp_d2f(bits(FLT_MIN)), 0x00800000u);
    assert_int_equal(dcp_d2f(bits(FLT_MIN / 2)), 0);                     /* a float denormal: flushed */
    assert_int_equal(dcp_d2f(bits(-FLT_MIN / 2)), 0x80000000u);
    assert_int_equal(dcp_d2f(bits(-1e-300)), 0x80000000u);
    assert_int_equal(dcp_d2f(0x800FFFFFFFFFFFFFull), 0x80000000u);      /* a denormal operand */
    /* just under FLT_MIN: 24-bit rounding, then the flush. FLT_MIN - 2^-151
     * ties to FLT_MIN; FLT_MIN - 2^-150 is exact at 24 bits, below FLT_MIN,
     * so flushed (the host's denormal rounding would give FLT_MIN) */
    assert_int_equal(dcp_d2f(0x380FFFFFF0000000ull), 0x00800000u);
    assert_int_equal(dcp_d2f(0x380FFFFFE0000000ull), 0);
    /* NaNs: quiet, sign and the top 23 bits of the payload kept, not rounded */
    assert_int_equal(dcp_d2f(0x7FF0000000000001ull), 0x7FC00000u);
    assert_int_equal(dcp_d2f(0xFFF0000020000000ull), 0xFFC00001u);
    assert_int_equal(dcp_d2f(0x7FFFFFFFF0000000ull), 0x7FFFFFFFu);
    assert_int_equal(dcp_d2f(0x7FF7FFFFFFFFFFFFull), 0x7FFFFFFFu);
    /* a sequence ends disengaged */
    X(PCMP(PC));
    assert_int_equal(nzcv & 0x80000000u, 0);
}

/* float2double (WXYU, NRDD, RDDG): exact, a denormal float reads as zero,
 * a NaN comes back quiet with its payload */
static uint64_t expected_f2d(uint32_t f)
{
    uint64_t sign = (uint64_t)(f >> 31) << 63;
    if (((f >> 23) & 0xFF) == 0) return sign;
    if (isnan(flt(f))) return sign | 0x7FF8000000000000ull | (uint64_t)(f & 0x7FFFFF) << 29;
    return bits((double)flt(f));
}

static void f2d_exact(void **state)
{
    (void)state;
    static const uint32_t edge[] = {
        0x00000000u, 0x80000000u, 0x3F800000u, 0xBF800000u, 0x7F7FFFFFu, 0xFF7FFFFFu,
        0x00800000u, 0x80800000u, 0x007FFFFFu, 0x80000001u, 0x7F800000u, 0xFF800000u,
        0x7FC00000u, 0xFFC00001u, 0x7F800001u, 0x7FBFFFFFu, 0x3EAAAAABu,
    };
    for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
        assert_int_equal(dcp_f2d(edge[i]), expected_f2d(edge[i]));
    for (int k = 0; k < 100000; k++) {
        uint32_t f = (uint32_t)next_random();
        uint64_t got = dcp_f2d(f), want = expected_f2d(f);
        if (got != want)
            fail_msg("f2d(%08x) = %016llx, want %016llx", f, (unsigned long long)got,
                     (unsigned long long)want);
    }
    assert_int_equal(dcp_f2d(0x7F800001u), 0x7FF8000020000000ull);
    assert_int_equal(dcp_f2d(0x807FFFFFu), 1ull << 63);
    X(PCMP(PC));
    assert_int_equal(nzcv & 0x80000000u, 0);
}

/* the runtime init's probe ("mrc p4,#0,r0,c0,c0,#1", runtime_init.c:127)
 * clears the engaged flag; the wrappers' entry test (PCMP to APSR, N set
 * while engaged) does not */
static void engaged_flag_and_the_probe(void **state)
{
    (void)state;
    X(PCMP(PC));
    assert_int_equal(nzcv & 0x80000000u, 0);
    set_pair(R0, bits(1.0));
    X(WXUP(R0, R1));
    X(PCMP(PC));
    assert_int_equal(nzcv & 0x80000000u, 0x80000000u);
    X(PCMP(PC));                       /* a peek keeps it */
    assert_int_equal(nzcv & 0x80000000u, 0x80000000u);
    X(RCMP(R0));                       /* the probe */
    assert_int_equal(r[R0] & 0x80000000u, 0x80000000u);
    X(PCMP(PC));
    assert_int_equal(nzcv & 0x80000000u, 0);
    /* a sequence ends disengaged */
    dcp_dmul(bits(3.0), bits(5.0));
    X(PCMP(PC));
    assert_int_equal(nzcv & 0x80000000u, 0);
}

/* an interrupt handler saves the state mid-sequence (generic_save_state:
 * PXMD, PYMD, REFD), runs its own operation and restores it (WXMD, WYMD,
 * WEFD); the interrupted sequence then finishes with the right result */
static void save_and_restore_mid_sequence(void **state)
{
    (void)state;
    set_pair(R0, bits(1.25)); set_pair(R2, bits(-0.0625));
    X(WXUP(R0, R1)); X(WYUP(R2, R3)); X(ADD0); X(ADD1);
    X(PXMD(R4, R4 + 1)); X(PYMD(6, 7)); X(REFD(8, 9));
    uint32_t saved[6] = {r[4], r[5], r[6], r[7], r[8], r[9]};
    assert_int_equal(dcp_ddiv(bits(10.0), bits(4.0)), bits(2.5));
    X(PCMP(PC));
    assert_int_equal(nzcv & 0x80000000u, 0);
    r[12] = saved[0]; r[14] = saved[1]; X(WXMD(12, 14));
    r[12] = saved[2]; r[14] = saved[3]; X(WYMD(12, 14));
    r[12] = saved[4]; r[14] = saved[5]; X(WEFD(12, 14));
    X(PCMP(PC));
    assert_int_equal(nzcv & 0x80000000u, 0x80000000u);    /* engaged again, as saved */
    X(NRDD); X(RDDA(R0, R1));
    assert_int_equal(get_pair(R0), bits(1.1875));
}

/* the same across a multiply whose exponent register went negative (an
 * underflowing product, 1e-300 * -1e-100: flushed to -0 once restored) */
static void save_and_restore_a_negative_exponent(void **state)
{
    (void)state;
    dcp_dmul_product(bits(1e-300), bits(-1e-100));
    X(PXMD(6, 7)); X(PYMD(8, 9)); X(REFD(10, 11));
    uint32_t saved[6] = {r[6], r[7], r[8], r[9], r[10], r[11]};
    assert_int_equal(dcp_dadd(bits(1e300), bits(-3e300)), bits(1e300 + -3e300));
    r[2] = saved[0]; r[3] = saved[1]; X(WXMD(2, 3));
    r[2] = saved[2]; r[3] = saved[3]; X(WYMD(2, 3));
    r[2] = saved[4]; r[3] = saved[5]; X(WEFD(2, 3));
    X(NRDD); X(RDDM(R0, R1));
    assert_int_equal(get_pair(R0), 1ull << 63);
}

/* the encodings above are the words the SDK build put in the fixtures
 * (arm-none-eabi-objdump -d ../shared/fixtures/sdk/pico2/uart_hello.elf:
 * __wrap___aeabi_dadd, generic_save_state, runtime_init_per_core_enable_
 * coprocessors), and what is not the DCP's is left to the core */
static void decoding(void **state)
{
    (void)state;
    assert_int_equal(WXUP(R0, R1), 0xEC410410u);
    assert_int_equal(WYUP(R2, R3), 0xEC432411u);
    assert_int_equal(ADD0, 0xEE000401u);
    assert_int_equal(NRDD, 0xEE800420u);
    assert_int_equal(RDDA(R0, R1), 0xEC510410u);
    assert_int_equal(PCMP(PC), 0xFE10F430u);
    assert_int_equal(RCMP(R0), 0xEE100430u);
    assert_int_equal(PXMD(R0, R1), 0xFC510408u);
    assert_int_equal(REFD(R0, R1), 0xEC51040Au);
    assert_int_equal(WEFD(12, 14), 0xEC4EC402u);
    /* the square root and classify words, from arm-none-eabi-as on the
     * SDK's macros (dcp_instr.inc.S) */
    assert_int_equal(SQR0, 0xEE200401u);
    assert_int_equal(RXMQ(R2, R3), 0xEC532441u);
    assert_int_equal(WXDQ(R0, R1), 0xEC410450u);
    assert_int_equal(RDDQ(R0, R1), 0xEC510490u);
    assert_int_equal(RXMS(R0, R12, 6), 0xEC5C0464u);
    assert_int_equal(WXYU(R0, R1), 0xEC410412u);
    assert_int_equal(RXVD(PC), 0xEE10F410u);
    /* the conversions' words, the same way */
    assert_int_equal(NRDF, 0xEE800422u);
    assert_int_equal(RDFG(R0), 0xEE1004B2u);
    assert_int_equal(RDDG(R0, R1), 0xEC5104B0u);
    assert_int_equal(MRRC4(1, R0, R1, 1), 0xEC510411u);     /* RXYH */
    assert_int_equal(CDP4(8, 2, 0), 0xEE800402u);            /* NORM */
    assert_int_equal(coproc_number(0xEE100430u), 4);
    assert_int_equal(coproc_number(0xEC410A10u), 10);       /* vmov: the FPU's */
    assert_int_equal(coproc_number(0xF8D00000u), -1);       /* ldr.w */
    assert_int_equal(coproc_number(0x4770u << 16), -1);
    /* not modelled: the core keeps its fault */
    assert_int_equal(coproc_execute(&cp, enc_mrc(0, 0, 0, R0, 1, 0, 0, 1), &regs), 0);  /* p0 c1 */
    assert_int_equal(coproc_execute(&cp, enc_cdp(7, 0, 0, 0, 0, 1), &regs), 0);         /* rcp_panic */
    assert_int_equal(coproc_execute(&cp, enc_mrc(0, 5, 0, R0, 0, 0, 1, 1), &regs), 0);  /* p5 */
    assert_int_equal(coproc_execute(&cp, MCRR4(9, R0, R1, 2), &regs), 0);               /* WXFC */
    assert_int_equal(coproc_execute(&cp, MRRC4(1, R0, R1, 1), &regs), 0);               /* RXYH */
    assert_int_equal(coproc_execute(&cp, CDP4(8, 2, 0), &regs), 0);                     /* NORM */
    assert_int_equal(coproc_execute(&cp, MRC4(R0, 2, 0), &regs), 0);                    /* RDFA */
    assert_int_equal(coproc_execute(&cp, INIT, &regs), 1);
}

/* ---- the GPIO coprocessor (coprocessor 0): each instruction of the SDK's
 * hardware/gpio_coproc.h against the SIO access its comment equates it with ---- */

#define GPIO_IN 0x004u
#define GPIO_HI_IN 0x008u
#define GPIO_OUT 0x010u
#define GPIO_HI_OUT 0x014u
#define GPIO_OUT_SET 0x018u
#define GPIO_HI_OUT_SET 0x01Cu
#define GPIO_OUT_CLR 0x020u
#define GPIO_HI_OUT_CLR 0x024u
#define GPIO_OUT_XOR 0x028u
#define GPIO_HI_OUT_XOR 0x02Cu
#define GPIO_OE 0x030u
#define GPIO_HI_OE_SET 0x03Cu
#define GPIO_OE_CLR 0x040u
#define GPIO_HI_OE_CLR 0x044u
#define GPIO_OE_XOR 0x048u
#define GPIO_HI_OE_XOR 0x04Cu

#define MCR0(opc1, rt, crm) enc_mrc(0, 0, opc1, rt, 0, crm, 0, 0)
#define MRC0(rt, crm) enc_mrc(0, 0, 0, rt, 0, crm, 0, 1)
#define MCRR0(opc1, rt, rt2, crm) enc_mcrr(0, 0, opc1, rt, rt2, crm, 0)
#define MRRC0(rt, rt2, crm) enc_mcrr(0, 0, 0, rt, rt2, crm, 1)

/* runs one instruction with r0 = a, r1 = b; expects the SIO writes given
 * as (offset, value) pairs, n of them */
static void gpioc(uint32_t insn, uint32_t a, uint32_t b, int n, ...)
{
    r[R0] = a;
    r[R1] = b;
    sio_writes = 0;
    if (!coproc_execute(&cp, insn, &regs)) fail_msg("GPIO coprocessor refused %08x", insn);
    assert_int_equal(sio_writes, n);
    va_list ap;
    va_start(ap, n);
    for (int i = 0; i < n; i++) {
        assert_int_equal(sio_log[i].offset, va_arg(ap, unsigned));
        assert_int_equal(sio_log[i].value, va_arg(ap, unsigned));
    }
    va_end(ap);
}

static void gpio_coprocessor_writes(void **state)
{
    (void)state;
    gpioc(MCR0(0, R0, 0), 0x12345678u, 0, 1, GPIO_OUT, 0x12345678u);          /* lo_out_put */
    gpioc(MCR0(1, R0, 1), 0x00008001u, 0, 1, GPIO_HI_OUT_XOR, 0x00008001u);   /* hi_out_xor */
    gpioc(MCR0(3, R0, 4), 0x0000000Fu, 0, 1, GPIO_OE_CLR, 0xFu);              /* lo_oe_clr */
    gpioc(MCRR0(2, R0, R1, 0), 0x1u, 0x8000u, 2, GPIO_OUT_SET, 0x1u,           /* hilo_out_set */
          GPIO_HI_OUT_SET, 0x8000u);
    gpioc(MCRR0(0, R0, R1, 4), 0xAu, 0xBu, 2, GPIO_OE, 0xAu, 0x034u, 0xBu);     /* hilo_oe_put */
    /* single bits: pin in Rt, value in Rt2 */
    gpioc(MCRR0(4, R0, R1, 0), 33, 1, 2, GPIO_OUT_SET, 0u, GPIO_HI_OUT_SET, 2u); /* bit_out_put */
    gpioc(MCRR0(4, R0, R1, 0), 3, 0, 2, GPIO_OUT_CLR, 8u, GPIO_HI_OUT_CLR, 0u);
    gpioc(MCR0(5, R0, 0), 31, 0, 2, GPIO_OUT_XOR, 0x80000000u, GPIO_HI_OUT_XOR, 0u); /* bit_out_xor */
    gpioc(MCR0(6, R0, 4), 47, 0, 2, 0x038u, 0u, GPIO_HI_OE_SET, 0x8000u);      /* bit_oe_set */
    gpioc(MCRR0(5, R0, R1, 4), 2, 1, 2, GPIO_OE_XOR, 4u, GPIO_HI_OE_XOR, 0u);   /* bit_oe_xor2 */
    gpioc(MCRR0(7, R0, R1, 4), 2, 0, 0);                                       /* bit_oe_clr2, false */
    /* indexed: value in Rt, register index in Rt2 */
    gpioc(MCRR0(11, R0, R1, 4), 0x30u, 1, 1, GPIO_HI_OE_CLR, 0x30u);           /* index_oe_clr */
    gpioc(MCRR0(8, R0, R1, 0), 0x55u, 0, 1, GPIO_OUT, 0x55u);                  /* index_out_put */
}

static void gpio_coprocessor_reads(void **state)
{
    (void)state;
    sio[GPIO_IN / 4] = 0xCAFEF00Du;
    sio[GPIO_HI_IN / 4] = 0x0000BEEFu;
    sio[GPIO_OUT / 4] = 0x11u;
    sio[GPIO_HI_OUT / 4] = 0x22u;
    sio[GPIO_OE / 4] = 0x33u;
    assert_int_equal(coproc_execute(&cp, MRC0(R2, 8), &regs), 1);    /* lo_in_get */
    assert_int_equal(r[R2], 0xCAFEF00Du);
    assert_int_equal(coproc_execute(&cp, MRC0(R2, 9), &regs), 1);    /* hi_in_get */
    assert_int_equal(r[R2], 0xBEEFu);
    assert_int_equal(coproc_execute(&cp, MRC0(R3, 4), &regs), 1);    /* lo_oe_get */
    assert_int_equal(r[R3], 0x33u);
    assert_int_equal(coproc_execute(&cp, MRRC0(R0, R1, 0), &regs), 1);   /* hilo_out_get */
    assert_int_equal(r[R0], 0x11u);
    assert_int_equal(r[R1], 0x22u);
    assert_int_equal(coproc_execute(&cp, MRRC0(R0, R1, 8), &regs), 1);   /* hilo_in_get */
    assert_int_equal(r[R0], 0xCAFEF00Du);
    assert_int_equal(r[R1], 0xBEEFu);
    assert_int_equal(sio_writes, 0);
}

static void gpio_coprocessor_refuses_the_undefined(void **state)
{
    (void)state;
    r[R1] = 2;   /* an index other than 0 or 1 */
    assert_int_equal(coproc_execute(&cp, MCRR0(8, R0, R1, 0), &regs), 0);
    assert_int_equal(coproc_execute(&cp, MCR0(0, R0, 8), &regs), 0);        /* IN is read-only */
    assert_int_equal(coproc_execute(&cp, MCR0(4, R0, 0), &regs), 0);        /* opc1 4 is MCRR only */
    assert_int_equal(coproc_execute(&cp, MCRR0(12, R0, R1, 0), &regs), 0);
    assert_int_equal(coproc_execute(&cp, enc_cdp(0, 0, 0, 0, 0, 0), &regs), 0);
    assert_int_equal(coproc_execute(&cp, enc_mrc(1, 0, 0, R0, 0, 0, 0, 1), &regs), 0);  /* MRC2 */
    assert_int_equal(sio_writes, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(dadd_matches_ieee, setup),
        cmocka_unit_test_setup(dsub_matches_ieee, setup),
        cmocka_unit_test_setup(dmul_matches_ieee, setup),
        cmocka_unit_test_setup(ddiv_matches_ieee, setup),
        cmocka_unit_test_setup(range_edges, setup),
        cmocka_unit_test_setup(silicon_vectors, setup),
        cmocka_unit_test_setup(special_values, setup),
        cmocka_unit_test_setup(int_to_double, setup),
        cmocka_unit_test_setup(double_to_int, setup),
        cmocka_unit_test_setup(compare_flags, setup),
        cmocka_unit_test_setup(dsqrt_matches_ieee, setup),
        cmocka_unit_test_setup(dsqrt_fast_silicon_vectors, setup),
        cmocka_unit_test_setup(dclassify_matches_fpclassify, setup),
        cmocka_unit_test_setup(wxyu_single_precision, setup),
        cmocka_unit_test_setup(d2f_matches_ieee, setup),
        cmocka_unit_test_setup(d2f_edges, setup),
        cmocka_unit_test_setup(f2d_exact, setup),
        cmocka_unit_test_setup(engaged_flag_and_the_probe, setup),
        cmocka_unit_test_setup(save_and_restore_mid_sequence, setup),
        cmocka_unit_test_setup(save_and_restore_a_negative_exponent, setup),
        cmocka_unit_test_setup(decoding, setup),
        cmocka_unit_test_setup(gpio_coprocessor_writes, setup),
        cmocka_unit_test_setup(gpio_coprocessor_reads, setup),
        cmocka_unit_test_setup(gpio_coprocessor_refuses_the_undefined, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
