/* matmul_q8_dsp.c - the int8 matrix-vector product with the Arm DSP
 * extension (dsp.h).
 *
 * SXTB16 turns a word of four int8 weights into two pairs of int16: its
 * even bytes (w0, w2) and, rotated by 8, its odd bytes (w1, w3). SMLAD
 * multiplies a pair with the matching pair of activations - qvec.pairs
 * keeps them in the order x0 x2 x1 x3 - and adds both products to the
 * group's sum: four multiply-adds per word in five instructions. Four
 * rows (stories260K's matrices: eight) share each load of the activations.
 * The sums are the portable kernel's, exactly, and so is the float
 * arithmetic after them.
 */
#include "dsp.h"

#if PL_ARM_DSP
#include "matmul.h"

/* acc + the four products of a word of weights with its activations.
 * (Inline assembly only because GCC does not fold the rotation into
 * SXTB16.) */
static inline int32_t mac4(uint32_t w, uint32_t even_x, uint32_t odd_x, int32_t acc)
{
    uint32_t even_w, odd_w;
    __asm__("sxtb16 %[e], %[w]\n\t"
            "sxtb16 %[o], %[w], ror #8\n\t"
            "smlad %[acc], %[e], %[ex], %[acc]\n\t"
            "smlad %[acc], %[o], %[ox], %[acc]"
            : [acc] "+r"(acc), [e] "=&r"(even_w), [o] "=&r"(odd_w)
            : [w] "r"(w), [ex] "r"(even_x), [ox] "r"(odd_x));
    return acc;
}

/* acc[0..3] += one group of four rows (words words each; rows 0 and 1 at
 * *wa and *wa + stride bytes, rows 2 and 3 at *wb and *wb + stride) with
 * the activation pairs at *xp; advances the three pointers. Assembly
 * because the loop needs all fourteen registers: the compiler's version
 * keeps pointers on the stack. Each load is used two or more instructions
 * later, as the M33 needs to avoid a stall. */
/* Four rows times the same four activations: two words of activation
 * pairs at [r1], a word of each row at [r2], [r2 + r4], [r3], [r3 + r4]
 * (r2, r3 advance by 4); sums in r5..r8. Each load is used two or more
 * instructions later, as the M33 needs to avoid a stall. */
#define MAC4_ROWS                      \
    "ldrd   r9, r10, [r1], #8\n\t"     \
    "ldr    r11, [r2], #4\n\t"         \
    "ldr    lr, [r2, r4]\n\t"          \
    "sxtb16 r12, r11\n\t"              \
    "sxtb16 r11, r11, ror #8\n\t"      \
    "smlad  r5, r12, r9, r5\n\t"       \
    "smlad  r5, r11, r10, r5\n\t"      \
    "ldr    r11, [r3], #4\n\t"         \
    "sxtb16 r12, lr\n\t"               \
    "sxtb16 lr, lr, ror #8\n\t"        \
    "smlad  r6, r12, r9, r6\n\t"       \
    "smlad  r6, lr, r10, r6\n\t"       \
    "ldr    lr, [r3, r4]\n\t"          \
    "sxtb16 r12, r11\n\t"              \
    "sxtb16 r11, r11, ror #8\n\t"      \
    "smlad  r7, r12, r9, r7\n\t"       \
    "smlad  r7, r11, r10, r7\n\t"      \
    "sxtb16 r12, lr\n\t"               \
    "sxtb16 lr, lr, ror #8\n\t"        \
    "smlad  r8, r12, r9, r8\n\t"       \
    "smlad  r8, lr, r10, r8\n\t"

/* The same for the first four activations of a group: SMUAD starts each
 * row's sum, so the sums need no zeroing first. */
#define MAC4_ROWS_FIRST                \
    "ldrd   r9, r10, [r1], #8\n\t"     \
    "ldr    r11, [r2], #4\n\t"         \
    "ldr    lr, [r2, r4]\n\t"          \
    "sxtb16 r12, r11\n\t"              \
    "sxtb16 r11, r11, ror #8\n\t"      \
    "smuad  r5, r12, r9\n\t"           \
    "smlad  r5, r11, r10, r5\n\t"      \
    "ldr    r11, [r3], #4\n\t"         \
    "sxtb16 r12, lr\n\t"               \
    "sxtb16 lr, lr, ror #8\n\t"        \
    "smuad  r6, r12, r9\n\t"           \
    "smlad  r6, lr, r10, r6\n\t"       \
    "ldr    lr, [r3, r4]\n\t"          \
    "sxtb16 r12, r11\n\t"              \
    "sxtb16 r11, r11, ror #8\n\t"      \
    "smuad  r7, r12, r9\n\t"           \
    "smlad  r7, r11, r10, r7\n\t"      \
    "sxtb16 r12, lr\n\t"               \
    "sxtb16 lr, lr, ror #8\n\t"        \
    "smuad  r8, r12, r9\n\t"           \
    "smlad  r8, lr, r10, r8\n\t"

/* What the assembly blocks read (the offsets are part of the assembly
 * below; the eight-row blocks read x, row0, scales, x_scales, out and
 * blocks, counted in blocks of eight rows). */
typedef struct {
    const uint32_t *x;     /* 0: activation pairs */
    const uint32_t *row0;  /* 4: the first block's rows 0..3 = row0 + k * stride */
    int32_t block_bytes;   /* 8: 4 * stride, from a block of rows to the next */
    int32_t offset;        /* 12: stride - 4 (stride = bytes per row = cols) */
    int32_t group_bytes;   /* 16: bytes of activation pairs per group */
    const float *scales;   /* 20: the first block's row 0 weight scales */
    int32_t scale_stride;  /* 24: bytes from a row's scales to the next row's */
    const float *x_scales; /* 28 */
    int32_t groups;        /* 32 */
    float *out;            /* 36 */
    int32_t blocks;        /* 40: blocks of four rows (at least one) */
} matmul_q8_job;

/* out[0 .. 4 * blocks) = the rows' dot products with x: per group the exact
 * int32 sums, then val += ((float)sum * weight scale) * activation scale,
 * groups in order, from val = -0.0f (the portable kernel's start). All in
 * assembly: the integer loop needs all fourteen
 * core registers, so everything else waits in FPU registers (s12..s31).
 * A group of eight words (group 32, the usual one) runs unrolled. */
__attribute__((naked, noinline)) static void matmul_q8_rows4(const matmul_q8_job *job)
{
    __asm__(
        "push   {r4-r11, lr}\n\t"
        "vpush  {s16-s31}\n\t"
        "ldr    r4, [r0, #12]\n\t"           /* offset, for good */
        "ldrd   r1, r2, [r0, #0]\n\t"
        "vmov   s27, r1\n\t"                 /* x start */
        "vmov   s24, r2\n\t"                 /* row0 of the block */
        "ldr    r1, [r0, #8]\n\t"
        "vmov   s29, r1\n\t"                 /* block bytes */
        "ldrd   r1, r2, [r0, #16]\n\t"
        "vmov   s20, r1\n\t"                 /* group bytes */
        "vmov   s12, r2\n\t"                 /* the block's scales */
        "ldrd   r1, r2, [r0, #24]\n\t"
        "vmov   s22, r1\n\t"                 /* scale stride */
        "vmov   s28, r2\n\t"                 /* x scales start */
        "ldrd   r1, r2, [r0, #32]\n\t"
        "vmov   s26, r1\n\t"                 /* groups */
        "vmov   s31, r2\n\t"                 /* out */
        "ldr    r1, [r0, #40]\n\t"
        "vmov   s30, r1\n\t"                 /* blocks left */
        "mov    r1, #0x80000000\n\t"
        "vmov   s15, r1\n\t"                 /* -0.0f */
        "5:\n\t" /* a block of four rows */
        "vmov   r2, s24\n\t"
        "vmov   r1, s27\n\t"
        "vmov   r0, s28\n\t"
        "vmov   s23, r0\n\t"
        "vmov   r0, s12\n\t"
        "vmov   s21, r0\n\t"
        "vmov   r0, s26\n\t"
        "vmov   s14, r0\n\t"                 /* groups left */
        "add    r3, r2, r4, lsl #1\n\t"
        "adds   r3, r3, #8\n\t"              /* row 2 = row0 + 2 * stride */
        "vmov.f32 s16, s15\n\t"
        "vmov.f32 s17, s15\n\t"
        "vmov.f32 s18, s15\n\t"
        "vmov.f32 s19, s15\n\t"
        "4:\n\t" /* a group */
        "vmov   r0, s20\n\t"
        "cmp    r0, #64\n\t"
        "beq    6f\n\t"
        "movs   r5, #0\n\t"
        "movs   r6, #0\n\t"
        "movs   r7, #0\n\t"
        "movs   r8, #0\n\t"
        "tst    r0, #8\n\t" /* an odd number of words: one step first */
        "add    r0, r0, r1\n\t"
        "beq    1f\n\t"
        MAC4_ROWS
        "1:\n\t"
        "cmp    r1, r0\n\t"
        "beq    3f\n\t"
        "2:\n\t"
        MAC4_ROWS
        MAC4_ROWS
        "cmp    r1, r0\n\t"
        "bne    2b\n\t"
        "b      3f\n\t"
        "6:\n\t" /* eight words, the first one starting the sums */
        MAC4_ROWS_FIRST MAC4_ROWS MAC4_ROWS MAC4_ROWS
        MAC4_ROWS MAC4_ROWS MAC4_ROWS MAC4_ROWS
        "3:\n\t" /* the group's float step */
        "vmov   s0, r5\n\t"
        "vmov   s1, r6\n\t"
        "vmov   s2, r7\n\t"
        "vmov   s3, r8\n\t"
        "vmov   r0, s21\n\t"
        "vmov   lr, s22\n\t"
        "vcvt.f32.s32 s0, s0\n\t"
        "vcvt.f32.s32 s1, s1\n\t"
        "vcvt.f32.s32 s2, s2\n\t"
        "vcvt.f32.s32 s3, s3\n\t"
        "vldr   s4, [r0]\n\t"
        "add    r5, r0, lr\n\t"
        "vldr   s5, [r5]\n\t"
        "add    r5, r5, lr\n\t"
        "vldr   s6, [r5]\n\t"
        "add    r5, r5, lr\n\t"
        "vldr   s7, [r5]\n\t"
        "adds   r0, r0, #4\n\t"
        "vmov   s21, r0\n\t"
        "vmov   r0, s23\n\t"
        "vmul.f32 s0, s0, s4\n\t"
        "vmul.f32 s1, s1, s5\n\t"
        "vldmia r0!, {s8}\n\t"
        "vmul.f32 s2, s2, s6\n\t"
        "vmul.f32 s3, s3, s7\n\t"
        "vmov   s23, r0\n\t"
        "vmul.f32 s0, s0, s8\n\t"
        "vmul.f32 s1, s1, s8\n\t"
        "vmul.f32 s2, s2, s8\n\t"
        "vmul.f32 s3, s3, s8\n\t"
        "vmov   r0, s14\n\t"
        "vadd.f32 s16, s16, s0\n\t"
        "vadd.f32 s17, s17, s1\n\t"
        "vadd.f32 s18, s18, s2\n\t"
        "vadd.f32 s19, s19, s3\n\t"
        "subs   r0, r0, #1\n\t"
        "vmov   s14, r0\n\t"
        "bne    4b\n\t"
        "vmov   r0, s31\n\t" /* the block's results */
        "vstmia r0!, {s16-s19}\n\t"
        "vmov   s31, r0\n\t"
        "vmov   r0, s24\n\t"
        "vmov   r5, s29\n\t"
        "add    r0, r0, r5\n\t"
        "vmov   s24, r0\n\t"
        "vmov   r0, s12\n\t"
        "vmov   r5, s22\n\t"
        "add    r0, r0, r5, lsl #2\n\t"
        "vmov   s12, r0\n\t"
        "vmov   r0, s30\n\t"
        "subs   r0, r0, #1\n\t"
        "vmov   s30, r0\n\t"
        "bne    5b\n\t"
        "vpop   {s16-s31}\n\t"
        "pop    {r4-r11, pc}\n\t");
}

/* The float step of four rows: group 0's sums in G0 (four s registers,
 * as integers), group 1's in the core registers A..D; their eight weight
 * scales at r0 (advanced); out at r9 (advanced). The portable kernel's
 * arithmetic in its order: val = (sum0 * w0) * x0 (-0.0f + it is exactly
 * it), val += (sum1 * w1) * x1 (x0, x1 in s26, s27). */
#define FLOAT4(g0a, g0b, g0c, g0d, A, B, C, D, first)                                              \
    "vmov   s8, s9, " A ", " B "\n\t"                                                             \
    "vmov   s10, s11, " C ", " D "\n\t"                                                           \
    "vcvt.f32.s32 " g0a ", " g0a "\n\t"                                                            \
    "vcvt.f32.s32 " g0b ", " g0b "\n\t"                                                            \
    "vcvt.f32.s32 " g0c ", " g0c "\n\t"                                                            \
    "vcvt.f32.s32 " g0d ", " g0d "\n\t"                                                            \
    "vldmia r0!, {s12-s19}\n\t" /* r0g0 r0g1 r1g0 r1g1 r2g0 .. r3g1 */                             \
    "vcvt.f32.s32 s8, s8\n\t"                                                                      \
    "vcvt.f32.s32 s9, s9\n\t"                                                                      \
    "vcvt.f32.s32 s10, s10\n\t"                                                                    \
    "vcvt.f32.s32 s11, s11\n\t"                                                                    \
    "vmul.f32 " g0a ", " g0a ", s12\n\t"                                                           \
    "vmul.f32 " g0b ", " g0b ", s14\n\t"                                                           \
    "vmul.f32 " g0c ", " g0c ", s16\n\t"                                                           \
    "vmul.f32 " g0d ", " g0d ", s18\n\t"                                                           \
    "vmul.f32 s8, s8, s13\n\t"                                                                     \
    "vmul.f32 s9, s9, s15\n\t"                                                                     \
    "vmul.f32 s10, s10, s17\n\t"                                                                   \
    "vmul.f32 s11, s11, s19\n\t"                                                                   \
    "vmul.f32 " g0a ", " g0a ", s26\n\t"                                                           \
    "vmul.f32 " g0b ", " g0b ", s26\n\t"                                                           \
    "vmul.f32 " g0c ", " g0c ", s26\n\t"                                                           \
    "vmul.f32 " g0d ", " g0d ", s26\n\t"                                                           \
    "vmul.f32 s8, s8, s27\n\t"                                                                     \
    "vmul.f32 s9, s9, s27\n\t"                                                                     \
    "vmul.f32 s10, s10, s27\n\t"                                                                   \
    "vmul.f32 s11, s11, s27\n\t"                                                                   \
    "vadd.f32 " g0a ", " g0a ", s8\n\t"                                                            \
    "vadd.f32 " g0b ", " g0b ", s9\n\t"                                                            \
    "vadd.f32 " g0c ", " g0c ", s10\n\t"                                                           \
    "vadd.f32 " g0d ", " g0d ", s11\n\t"                                                           \
    "vstmia r9!, {" first "}\n\t"

/* The rows of 64 in two groups of 32 (stories260K's every matrix but w2):
 * a block's eight sums wait as integers in s0-s7, its eight weight scales
 * (rows 0..3 x groups 0, 1: contiguous) come in one VLDM, and the float
 * step runs once per block with both activation scales held in registers
 * for the whole call: the per-group bookkeeping of matmul_q8_rows4 is
 * gone. The float arithmetic is the portable kernel's, in its order:
 * val = (sum0 * w0) * x0, then val += (sum1 * w1) * x1. Reads the
 * fields of matmul_q8_job that do not depend on the group (x, row0,
 * offset, scales, x_scales, out, blocks). */
__attribute__((naked, noinline)) static void matmul_q8_rows4_g2(const matmul_q8_job *job)
{
    __asm__(
        "push   {r4-r11, lr}\n\t"
        "vpush  {s16-s31}\n\t"
        "ldr    r4, [r0, #12]\n\t"           /* offset = stride - 4 = 60 */
        "ldrd   r1, r2, [r0, #0]\n\t"        /* x pairs, row 0 */
        "vmov   s28, r1\n\t"                 /* x start */
        "ldr    r3, [r0, #28]\n\t"
        "vldmia r3, {s26-s27}\n\t"           /* the two activation scales */
        "ldrd   r5, r6, [r0, #36]\n\t"
        "vmov   s30, r5\n\t"                 /* out */
        "vmov   s31, r6\n\t"                 /* blocks left */
        "ldr    r0, [r0, #20]\n\t"           /* weight scales, for good */
        "add    r3, r2, r4, lsl #1\n\t"
        "adds   r3, r3, #8\n\t"              /* row 2 = row 0 + 2 * stride */
        "5:\n\t" /* a block of four rows */
        MAC4_ROWS_FIRST MAC4_ROWS MAC4_ROWS MAC4_ROWS
        MAC4_ROWS MAC4_ROWS MAC4_ROWS MAC4_ROWS
        "vmov   s0, s1, r5, r6\n\t"          /* group 0's sums wait here */
        "vmov   s2, s3, r7, r8\n\t"
        MAC4_ROWS_FIRST MAC4_ROWS MAC4_ROWS MAC4_ROWS
        MAC4_ROWS MAC4_ROWS MAC4_ROWS MAC4_ROWS
        "vmov   r9, s30\n\t"
        FLOAT4("s0", "s1", "s2", "s3", "r5", "r6", "r7", "r8", "s0-s3")
        "vmov   s30, r9\n\t"
        "add    r2, r3, r4\n\t"              /* next block: row 4 = row 3 + stride */
        "adds   r2, r2, #4\n\t"
        "add    r3, r2, r4, lsl #1\n\t"
        "adds   r3, r3, #8\n\t"
        "vmov   r1, s28\n\t"
        "vmov   r9, s31\n\t"
        "subs   r9, r9, #1\n\t"
        "vmov   s31, r9\n\t"
        "bne    5b\n\t"
        "vpop   {s16-s31}\n\t"
        "pop    {r4-r11, pc}\n\t");
}

/* Row R's word J of an eight-row step (rows STRIDE bytes apart from lr,
 * STRIDE a string; the activation pairs of the step in r9, r10), its
 * weight word in IN (loaded two instructions before), the next row's word
 * loaded into OUT (NEXT_ROW, NEXT_WORD) while this one's odd half settles:
 * five instructions, none waiting for a result. ROW8_FIRST starts the sum
 * (SMUAD), ROW8 adds to it. */
#define ROW8_WITH(start, stride, sum, in, out, next_row, next_word)                                 \
    "sxtb16 " out ", " in "\n\t" start                                                             \
    "sxtb16 " in ", " in ", ror #8\n\t"                                                            \
    "ldr    " out ", [lr, #" stride " * " #next_row " + 4 * " #next_word "]\n\t"                  \
    "smlad  " sum ", " in ", r10, " sum "\n\t"
#define ROW8_FIRST(stride, sum, in, out, next_row, next_word)                                      \
    ROW8_WITH("smuad  " sum ", " out ", r9\n\t", stride, sum, in, out, next_row, next_word)
#define ROW8(stride, sum, in, out, next_row, next_word)                                            \
    ROW8_WITH("smlad  " sum ", " out ", r9, " sum "\n\t", stride, sum, in, out, next_row, next_word)

/* Word J of eight rows STRIDE bytes apart: the activation pairs, then rows
 * 0..7 (row 0's word already in r11; row 0's word NEXT left in r11). */
#define STEP8(ROW, STRIDE, J, NEXT)                                                                \
    "ldrd   r9, r10, [r0, #8 * " #J "]\n\t"                                                       \
    ROW(STRIDE, "r1", "r11", "r12", 1, J) ROW(STRIDE, "r2", "r12", "r11", 2, J)                   \
    ROW(STRIDE, "r3", "r11", "r12", 3, J) ROW(STRIDE, "r4", "r12", "r11", 4, J)                   \
    ROW(STRIDE, "r5", "r11", "r12", 5, J) ROW(STRIDE, "r6", "r12", "r11", 6, J)                   \
    ROW(STRIDE, "r7", "r11", "r12", 7, J) ROW(STRIDE, "r8", "r12", "r11", 0, NEXT)

/* Eight words of eight rows (a group of 32 activations). */
#define STEPS8(ROW_FIRST, STRIDE)                                                                  \
    STEP8(ROW_FIRST, STRIDE, 0, 1) STEP8(ROW8, STRIDE, 1, 2) STEP8(ROW8, STRIDE, 2, 3)             \
    STEP8(ROW8, STRIDE, 3, 4) STEP8(ROW8, STRIDE, 4, 5) STEP8(ROW8, STRIDE, 5, 6)                  \
    STEP8(ROW8, STRIDE, 6, 7) STEP8(ROW8, STRIDE, 7, 8)

/* The eight-row blocks keep in FPU registers, for the whole call: s24 the
 * weight scales, s26 (s27) the activation scale(s), s28 the
 * activation pairs, s29 the block's row 0, s30 out, s31 the blocks left.
 * X_SCALES loads the activation scales from [r3]. */
#define ROWS8_SETUP(x_scales)                                                                      \
    "push   {r4-r11, lr}\n\t"                                                                      \
    "vpush  {s16-s31}\n\t"                                                                         \
    "ldrd   r1, r2, [r0, #0]\n\t"                                                                  \
    "vmov   s28, r1\n\t"                                                                           \
    "vmov   s29, r2\n\t"                                                                           \
    "ldr    r3, [r0, #28]\n\t" x_scales                                                            \
    "ldrd   r5, r6, [r0, #36]\n\t"                                                                 \
    "vmov   s30, r5\n\t"                                                                           \
    "vmov   s31, r6\n\t"                                                                           \
    "ldr    r3, [r0, #20]\n\t"                                                                     \
    "vmov   s24, r3\n\t"                                                                           \
    "5:\n\t" /* a block of eight rows: the bases, row 0's first word */                           \
    "vmov   lr, s29\n\t"                                                                           \
    "vmov   r0, s28\n\t"                                                                           \
    "ldr    r11, [lr]\n\t"

/* A block's end: the next eight rows (BLOCK_BYTES on), the loop, the
 * return. */
#define ROWS8_NEXT(block_bytes)                                                                    \
    "vmov   r9, s29\n\t"                                                                           \
    "addw   r9, r9, #" block_bytes "\n\t"                                                          \
    "vmov   s29, r9\n\t"                                                                           \
    "vmov   r9, s31\n\t"                                                                           \
    "subs   r9, r9, #1\n\t"                                                                        \
    "vmov   s31, r9\n\t"                                                                           \
    "bne    5b\n\t"                                                                                \
    "vpop   {s16-s31}\n\t"                                                                         \
    "pop    {r4-r11, pc}\n\t"

/* matmul_q8_rows4_g2 for eight rows a block: two more sums in flight, so
 * one load of activation pairs serves eight rows (42 cycles per 32
 * multiply-adds instead of 44), and every address is an immediate offset
 * from two base registers (rows of 64 bytes): r0 the activation pairs,
 * lr the block's row 0, advanced by a group between the two groups.
 * Group 0's eight sums wait in s0-s7; the float step is
 * matmul_q8_rows4_g2's, four rows at a time. job->blocks counts blocks of
 * eight rows. */
__attribute__((naked, noinline)) static void matmul_q8_rows8_g2(const matmul_q8_job *job)
{
    __asm__(
        ROWS8_SETUP("vldmia r3, {s26-s27}\n\t")
        "4:\n\t" /* a group: eight words of each row */
        STEPS8(ROW8_FIRST, "64")
        "vmov   r9, s29\n\t"
        "cmp    lr, r9\n\t"
        "bne    6f\n\t"
        "vmov   s0, s1, r1, r2\n\t"          /* group 0's sums wait here */
        "vmov   s2, s3, r3, r4\n\t"
        "vmov   s4, s5, r5, r6\n\t"
        "vmov   s6, s7, r7, r8\n\t"
        "adds   r0, r0, #64\n\t"             /* group 1: its activation pairs, its words */
        "adds   lr, lr, #32\n\t"
        "b      4b\n\t"
        "6:\n\t"
        "vmov   r0, s24\n\t"
        "vmov   r9, s30\n\t"
        FLOAT4("s0", "s1", "s2", "s3", "r1", "r2", "r3", "r4", "s0-s3")
        FLOAT4("s4", "s5", "s6", "s7", "r5", "r6", "r7", "r8", "s4-s7")
        "vmov   s24, r0\n\t"
        "vmov   s30, r9\n\t"
        ROWS8_NEXT("8 * 64"));
}

/* Eight rows of 172 columns in one group (stories260K's w2: 43 words a
 * row) a block, as matmul_q8_rows8_g2 does rows of 64: the sums from zero
 * through five passes of eight words and three words more, then the
 * float step val = (sum * w) * x for the eight rows at once. */
#define W2_COLS 172
__attribute__((naked, noinline)) static void matmul_q8_rows8_172(const matmul_q8_job *job)
{
    __asm__(
        ROWS8_SETUP("vldr   s26, [r3]\n\t")
        "movs   r9, #5\n\t"
        "vmov   s20, r9\n\t"                 /* passes of eight words left */
        "movs   r1, #0\n\t"
        "movs   r2, #0\n\t"
        "movs   r3, #0\n\t"
        "movs   r4, #0\n\t"
        "movs   r5, #0\n\t"
        "movs   r6, #0\n\t"
        "movs   r7, #0\n\t"
        "movs   r8, #0\n\t"
        "4:\n\t"
        STEPS8(ROW8, "172")
        "adds   r0, r0, #64\n\t"             /* the next eight words */
        "adds   lr, lr, #32\n\t"
        "vmov   r9, s20\n\t"
        "subs   r9, r9, #1\n\t"
        "vmov   s20, r9\n\t"
        "bne    4b\n\t"
        STEP8(ROW8, "172", 0, 1) STEP8(ROW8, "172", 1, 2) STEP8(ROW8, "172", 2, 3)
        "vmov   s0, s1, r1, r2\n\t"
        "vmov   s2, s3, r3, r4\n\t"
        "vmov   s4, s5, r5, r6\n\t"
        "vmov   s6, s7, r7, r8\n\t"
        "vmov   r0, s24\n\t"
        "vcvt.f32.s32 s0, s0\n\t"
        "vcvt.f32.s32 s1, s1\n\t"
        "vcvt.f32.s32 s2, s2\n\t"
        "vcvt.f32.s32 s3, s3\n\t"
        "vldmia r0!, {s8-s15}\n\t"           /* rows 0..7's weight scales */
        "vcvt.f32.s32 s4, s4\n\t"
        "vcvt.f32.s32 s5, s5\n\t"
        "vcvt.f32.s32 s6, s6\n\t"
        "vcvt.f32.s32 s7, s7\n\t"
        "vmov   s24, r0\n\t"
        "vmul.f32 s0, s0, s8\n\t"
        "vmul.f32 s1, s1, s9\n\t"
        "vmul.f32 s2, s2, s10\n\t"
        "vmul.f32 s3, s3, s11\n\t"
        "vmul.f32 s4, s4, s12\n\t"
        "vmul.f32 s5, s5, s13\n\t"
        "vmul.f32 s6, s6, s14\n\t"
        "vmul.f32 s7, s7, s15\n\t"
        "vmul.f32 s0, s0, s26\n\t"
        "vmul.f32 s1, s1, s26\n\t"
        "vmul.f32 s2, s2, s26\n\t"
        "vmul.f32 s3, s3, s26\n\t"
        "vmul.f32 s4, s4, s26\n\t"
        "vmul.f32 s5, s5, s26\n\t"
        "vmul.f32 s6, s6, s26\n\t"
        "vmul.f32 s7, s7, s26\n\t"
        "vmov   r9, s30\n\t"
        "vstmia r9!, {s0-s7}\n\t"
        "vmov   s30, r9\n\t"
        ROWS8_NEXT("8 * 172"));
}

static float one_row(const pl_qvec *x, const uint32_t *w, const float *s, int32_t groups)
{
    int32_t group_words = x->group / 4;
    const uint32_t *xp = (const uint32_t *)(const void *)x->pairs;
    float v = -0.0f;
    for (int32_t g = 0; g < groups; g++) {
        int32_t a = 0;
        for (int32_t k = 0; k < group_words; k++, xp += 2) a = mac4(*w++, xp[0], xp[1], a);
        v += ((float)a * s[g]) * x->scales[g];
    }
    return v;
}

int pl_matmul_q8_dsp(float *out, const pl_qvec *x, const int8_t *w, const float *scales,
                     int32_t cols, int32_t row_begin, int32_t row_end)
{
    if (!x->pairs || x->order != PL_PAIRS_Q8 || x->group % 4 != 0 || cols % 4 != 0 ||
        ((uintptr_t)w & 3) != 0)
        return 0;
    int32_t groups = cols / x->group, r = row_begin, blocks = (row_end - row_begin) / 4;
    const uint32_t *words = (const uint32_t *)(const void *)w;
    int g2 = x->group == 32 && cols == 64, w2 = x->group == W2_COLS && cols == W2_COLS;
    if ((g2 || w2) && blocks >= 2) { /* eight rows a block, then four when a block is left */
        matmul_q8_job job = {(const uint32_t *)(const void *)x->pairs,
                             words + (size_t)r * (size_t)(cols / 4), 0, 0, 0,
                             scales + (size_t)r * groups, 0, x->scales, 0, out + r, blocks / 2};
        if (g2) matmul_q8_rows8_g2(&job);
        else matmul_q8_rows8_172(&job);
        r += 8 * (blocks / 2);
        blocks %= 2;
    }
    if (blocks > 0) {
        matmul_q8_job job = {(const uint32_t *)(const void *)x->pairs,
                         words + (size_t)r * (size_t)(cols / 4),
                         4 * cols,
                         cols - 4,
                         x->group * 2,
                         scales + (size_t)r * groups,
                         groups * 4,
                         x->scales,
                         groups,
                         out + r,
                         blocks};
        if (g2) matmul_q8_rows4_g2(&job);
        else matmul_q8_rows4(&job);
        r += 4 * blocks;
    }
    for (; r < row_end; r++)
        out[r] = one_row(x, words + (size_t)r * (size_t)(cols / 4), scales + (size_t)r * groups,
                         groups);
    return 1;
}
#endif
