/* timing.c - the instruction cost model (see timing.h).
 *
 * Source: RP2350 datasheet section 3.7.4.9 "Execution timing" (measured by
 * Raspberry Pi on one core, no XIP cache misses, no DMA). Each block is
 * decoded once with capstone and scheduled on a small scoreboard:
 *
 *   issue(i) = max(t, ready[src] - need(src) for every source register,
 *                  fpu_free if i uses the FPU)
 *   t        = issue(i) + core(i)           (integer pipeline occupancy)
 *   fpu_free = issue(i) + fpu(i)            (FPU occupancy, FPU instructions)
 *   ready[d] = issue(i) + latency(i)        (for every destination register)
 *
 * "latency 2" is the datasheet's "one-cycle result delay" (a result used by
 * the very next instruction costs one extra cycle). need() is 0 except for
 * accumulate operands (needed one cycle after issue, so multiply-accumulate
 * chains run without the result delay) and stored data (not a source
 * operand for result delays). Branches follow 3.7.4.9.7; a block's static
 * cost takes its final branch as not taken, and timing.h lists what the CPU
 * loop adds when it is taken.
 */
#include "timing.h"

#include <capstone/capstone.h>

#include "xip_cache.h"
#include <stdlib.h>
#include <string.h>

/* ---- the cost table: one row per timing class ---- */

enum {
    TC_ALU, TC_ALU_COMPLEX, TC_ALU_COMPLEX_S, TC_MUL, TC_MAC, TC_DIV,
    TC_LOAD, TC_LOAD_MULTI, TC_STORE, TC_STORE_MULTI, TC_BRANCH, TC_IT, TC_NOP,
    TC_FP_ARITH, TC_FP_MAC, TC_FP_DIV, TC_FP_MOV_IN, TC_FP_MOV_OUT, TC_FP_MOV64_IN,
    TC_FP_MOV64_OUT, TC_FP_LOAD, TC_FP_STORE, TC_COP_OUT, TC_COP_IN, TC_BARRIER, TC_ISB,
    TC_SYSTEM, TC_COUNT
};

#define DIV_CYCLES (4 + TIMING_DIV_ASSUMED_N / 4)

const timing_cost_row timing_cost_table[TC_COUNT] = {
    [TC_ALU] = {"simple data processing (ADD, SUB, logic, MOV/MVN #imm, MOVW/MOVT, ADDW/SUBW, "
                "LSL/LSR/ASR/ROR, UBFX/SBFX/BFI, SXTB16, CLZ, ...)", 1, 1, 0, 0,
                "3.7.4.9.2: most data processing executes in a single cycle; simple shifts, MOV "
                "immediates, 12-bit plain immediates, UBFX/SBFX/BFI have no result-use penalty"},
    [TC_ALU_COMPLEX] = {"complex data processing: shifted operand other than LSL #0-3, "
                        "immediate that entails a shift, extend with rotation, SEL", 1, 2, 0, 0,
                        "3.7.4.9.2: complex operations incur a one-cycle result-use penalty"},
    [TC_ALU_COMPLEX_S] = {"complex data processing setting flags (-S, CMP/CMN/TST/TEQ)", 2, 2, 0, 0,
                          "3.7.4.9.2: with the -S suffix the one-cycle penalty is always incurred"},
    [TC_MUL] = {"multiply (MUL, SMULL, UMULL, SMULxy, SMMUL, SMUAD, ...)", 1, 2, 0, 0,
                "3.7.4.9.3: single cycle, result delay of one cycle"},
    [TC_MAC] = {"multiply-accumulate (MLA, MLS, SMLAL, UMLAL, SMLAD, ...)", 1, 2, 0, 1,
                "3.7.4.9.3: operands on cycle n, accumulate on cycle n+1, result on n+2: "
                "chained accumulation runs at one per cycle"},
    [TC_DIV] = {"divide (SDIV, UDIV)", DIV_CYCLES, DIV_CYCLES + 1, 0, 0,
                "3.7.4.9.4: 4 + n/4 cycles (2 if n < 0), n from the operands' leading ones; "
                "ASSUMED n = 16 (8 cycles: operands are not known when a block is costed); "
                "plus the one-cycle result-use penalty"},
    [TC_LOAD] = {"load (LDR, LDRB/H, LDRSB/H, LDREX, LDA, TBB/TBH table read)", 1, 2, 0, 0,
                 "3.7.4.9.5: one cycle per register plus a one-cycle result delay"},
    [TC_LOAD_MULTI] = {"load multiple, per register (LDM, POP, LDRD)", 1, 2, 0, 0,
                       "3.7.4.9.5: one cycle per register; only the last register has the result "
                       "delay"},
    [TC_STORE] = {"store (STR, STRB/H, STREX, STL)", 1, 1, 0, 0,
                  "3.7.4.9.6: one cycle; the stored register is not a source operand"},
    [TC_STORE_MULTI] = {"store multiple, per register (STM, PUSH, STRD)", 1, 1, 0, 0,
                        "ASSUMED one cycle per register: 3.7.4.9.6 times single stores only, and "
                        "each core's data bus moves 32 bits per cycle (3.7.4.9.12)"},
    [TC_BRANCH] = {"branch (B, B<cond>, BL, BX, BLX, CBZ, TBB/TBH, POP/LDR/LDM to PC, MOV PC)",
                   0, 1, 0, 0,
                   "3.7.4.9.7: taken = basic + 2 + L + U - (K&F), not taken = basic + 1 - F "
                   "(basic = the load's own time for loads to PC, else 0)"},
    [TC_IT] = {"IT", 1, 1, 0, 0, "3.7.4.9.9: zero cycles when a 16-bit instruction follows"},
    [TC_NOP] = {"NOP", 1, 1, 0, 0,
                "3.7.4.9.9: zero cycles when folded with a following 16-bit instruction"},
    [TC_FP_ARITH] = {"VADD/VSUB/VMUL/VNMUL.F32 (and, ASSUMED alike: VCMP, VCVT, VABS, VNEG, "
                     "VSEL, VMAXNM/VMINNM, VRINT)", 1, 2, 1, 0,
                     "3.7.4.9.10: one cycle plus one cycle of result delay"},
    [TC_FP_MAC] = {"VMLA/VMLS/VNMLA/VNMLS/VFMA/VFMS/VFNMA/VFNMS.F32", 1, 4, 3, 1,
                   "3.7.4.9.10: occupy the FPU for 3 cycles plus one cycle of result delay; "
                   "into the same accumulator one every three cycles"},
    [TC_FP_DIV] = {"VDIV/VSQRT.F32", 1, 15, 14, 0,
                   "3.7.4.9.10: occupy the FPU for 14 cycles plus one cycle of result delay"},
    [TC_FP_MOV_IN] = {"VMOV Sx,Ry; VMOV Sx,Sy; VMOV Sx,#imm; VMSR", 1, 1, 1, 0,
                      "3.7.4.9.10: one cycle"},
    [TC_FP_MOV_OUT] = {"VMOV Rx,Sy; VMRS", 1, 2, 1, 0,
                       "3.7.4.9.10: one cycle plus one cycle of result delay"},
    [TC_FP_MOV64_IN] = {"VMOV Dx,Ry,Rz", 1, 2, 2, 0,
                        "3.7.4.9.10: occupies the FPU for two cycles, the integer core for one"},
    [TC_FP_MOV64_OUT] = {"VMOV Rx,Ry,Dz", 2, 2, 2, 0,
                         "3.7.4.9.10: occupies both the FPU and the integer core for two cycles"},
    [TC_FP_LOAD] = {"VLDR, VLDM, VPOP, per word", 1, 2, 0, 0,
                    "ASSUMED as LDR/LDM (3.7.4.9.5): the datasheet gives no FP load timing"},
    [TC_FP_STORE] = {"VSTR, VSTM, VPUSH, per word", 1, 1, 0, 0,
                     "ASSUMED as STR/STM: the datasheet gives no FP store timing"},
    [TC_COP_OUT] = {"MRC, MRRC (coprocessors 0-7: GPIO, DCP, RCP)", 1, 2, 0, 0,
                    "3.7.4.9.11: one cycle plus one cycle of result delay, if not stalled"},
    [TC_COP_IN] = {"MCR, MCRR, CDP", 1, 1, 0, 0, "3.7.4.9.11: one cycle, if not stalled"},
    [TC_BARRIER] = {"DMB, DSB", 1, 1, 0, 0,
                    "ASSUMED one cycle: no buffered accesses are modelled"},
    [TC_ISB] = {"ISB", 3, 1, 0, 0, "ASSUMED a pipeline refill, as a taken branch (2) + 1"},
    [TC_SYSTEM] = {"MSR, MRS, CPS, SEV, WFE/WFI (+ sleep), SVC, BKPT, CLREX, other", 1, 1, 0, 0,
                   "ASSUMED one cycle (not in the datasheet's list)"},
};
const int timing_cost_rows = TC_COUNT;

/* ---- registers of the scoreboard ---- */

enum { RG_PC = 15, RG_S0 = 16, RG_APSR = 48, RG_FPSCR = 49, RG_COUNT = 50, RG_NONE = 255 };

/* capstone register -> scoreboard registers (a D register is two S) */
static int reg_index(arm_reg r, uint8_t out[2])
{
    if (r >= ARM_REG_R0 && r <= ARM_REG_R12) { out[0] = (uint8_t)(r - ARM_REG_R0); return 1; }
    if (r == ARM_REG_SP) { out[0] = 13; return 1; }
    if (r == ARM_REG_LR) { out[0] = 14; return 1; }
    if (r == ARM_REG_PC) { out[0] = RG_PC; return 1; }
    if (r >= ARM_REG_S0 && r <= ARM_REG_S31) { out[0] = (uint8_t)(RG_S0 + (r - ARM_REG_S0)); return 1; }
    if (r >= ARM_REG_D0 && r <= ARM_REG_D15) {
        out[0] = (uint8_t)(RG_S0 + 2 * (r - ARM_REG_D0));
        out[1] = (uint8_t)(out[0] + 1);
        return 2;
    }
    if (r == ARM_REG_APSR || r == ARM_REG_APSR_NZCV || r == ARM_REG_CPSR) { out[0] = RG_APSR; return 1; }
    if (r == ARM_REG_FPSCR || r == ARM_REG_FPSCR_NZCV) { out[0] = RG_FPSCR; return 1; }
    return 0;
}

/* one decoded instruction, as the scheduler sees it */
typedef struct {
    int cls;
    int core, fpu;                 /* occupancy */
    int nsrc, ndst;
    uint8_t src[40], src_need[40];
    uint8_t dst[40], dst_lat[40];
    int sets_flags;
    int branch;                    /* can change the PC */
    int foldable_branch;           /* B, B<cond>, BX LR */
    int cond;                      /* conditional */
    int load_branch;               /* L: the PC comes from a load */
    int pushpop;                   /* PUSH or POP (U rule) */
    int size;
} insn_info;

static void add_src(insn_info *ii, arm_reg r, int need)
{
    uint8_t idx[2];
    int n = reg_index(r, idx);
    for (int k = 0; k < n; k++) {
        if (idx[k] == RG_PC) continue;   /* the PC is always known */
        int j;
        for (j = 0; j < ii->nsrc; j++)
            if (ii->src[j] == idx[k]) break;
        if (j < ii->nsrc) {
            if (need < ii->src_need[j]) ii->src_need[j] = (uint8_t)need;
            continue;
        }
        if (ii->nsrc < 40) {
            ii->src[ii->nsrc] = idx[k];
            ii->src_need[ii->nsrc++] = (uint8_t)need;
        }
    }
}

static void add_dst(insn_info *ii, arm_reg r, int lat)
{
    uint8_t idx[2];
    int n = reg_index(r, idx);
    for (int k = 0; k < n; k++) {
        if (idx[k] == RG_PC) {
            ii->branch = 1;
            continue;
        }
        int j;
        for (j = 0; j < ii->ndst; j++)
            if (ii->dst[j] == idx[k]) break;
        if (j < ii->ndst) {
            if (lat > ii->dst_lat[j]) ii->dst_lat[j] = (uint8_t)lat;
            continue;
        }
        if (ii->ndst < 40) {
            ii->dst[ii->ndst] = idx[k];
            ii->dst_lat[ii->ndst++] = (uint8_t)(lat + k);   /* second word of a D one later */
        }
    }
}

/* an accumulate operand: needed one cycle after issue (3.7.4.9.3) */
static void set_acc(insn_info *ii, arm_reg r)
{
    add_src(ii, r, 1);
    uint8_t idx[2];
    int n = reg_index(r, idx);
    for (int k = 0; k < n; k++)
        for (int j = 0; j < ii->nsrc; j++)
            if (ii->src[j] == idx[k]) ii->src_need[j] = 1;
}

static int words_of(arm_reg r) { return (r >= ARM_REG_D0 && r <= ARM_REG_D31) ? 2 : 1; }

/* an immediate the datasheet calls plain: 0x000000XY, 0x00XY00XY, 0xXY00XY00, 0xXYXYXYXY */
static int plain_imm(uint32_t v)
{
    uint32_t b = v & 0xFF, c = (v >> 8) & 0xFF;
    return v <= 0xFF || v == b * 0x00010001u || v == c * 0x01000100u || v == b * 0x01010101u;
}

static int is_id(unsigned id, const unsigned *list, int n)
{
    for (int i = 0; i < n; i++)
        if (list[i] == id) return 1;
    return 0;
}
#define IS(id, ...) is_id((id), (const unsigned[]){__VA_ARGS__}, \
                          (int)(sizeof((const unsigned[]){__VA_ARGS__}) / sizeof(unsigned)))

/* the address registers of a memory operand */
static void mem_sources(insn_info *ii, const cs_arm *a)
{
    for (int i = 0; i < a->op_count; i++) {
        const cs_arm_op *op = &a->operands[i];
        if (op->type != ARM_OP_MEM) continue;
        add_src(ii, op->mem.base, 0);
        if (op->mem.index != ARM_REG_INVALID) add_src(ii, op->mem.index, 0);
    }
}

static arm_reg mem_base(const cs_arm *a)
{
    for (int i = 0; i < a->op_count; i++)
        if (a->operands[i].type == ARM_OP_MEM) return a->operands[i].mem.base;
    return ARM_REG_INVALID;
}

static void classify(csh h, const cs_insn *in, insn_info *ii)
{
    const cs_arm *a = &in->detail->arm;
    unsigned id = in->id;
    const timing_cost_row *row;
    memset(ii, 0, sizeof(*ii));
    ii->size = in->size;
    ii->cond = a->cc != ARM_CC_AL && a->cc != ARM_CC_INVALID;
    ii->sets_flags = a->update_flags || IS(id, ARM_INS_CMP, ARM_INS_CMN, ARM_INS_TST, ARM_INS_TEQ);
    ii->pushpop = IS(id, ARM_INS_PUSH, ARM_INS_POP);

    cs_regs rr, ww;
    uint8_t nr = 0, nw = 0;
    if (cs_regs_access(h, in, rr, &nr, ww, &nw) != CS_ERR_OK) nr = nw = 0;
    int ops = a->op_count;

    /* ---- loads and stores ---- */
    int is_ldm = IS(id, ARM_INS_LDM, ARM_INS_LDMDB, ARM_INS_LDMDA, ARM_INS_LDMIB, ARM_INS_POP,
                    ARM_INS_VLDMIA, ARM_INS_VLDMDB, ARM_INS_VPOP);
    int is_stm = IS(id, ARM_INS_STM, ARM_INS_STMDB, ARM_INS_STMDA, ARM_INS_STMIB, ARM_INS_PUSH,
                    ARM_INS_VSTMIA, ARM_INS_VSTMDB, ARM_INS_VPUSH);
    if (is_ldm || is_stm) {
        int fp = IS(id, ARM_INS_VLDMIA, ARM_INS_VLDMDB, ARM_INS_VPOP, ARM_INS_VSTMIA,
                    ARM_INS_VSTMDB, ARM_INS_VPUSH);
        int stack = IS(id, ARM_INS_POP, ARM_INS_PUSH, ARM_INS_VPOP, ARM_INS_VPUSH);
        int first = stack ? 0 : 1;
        int words = 0;
        for (int i = first; i < ops; i++)
            if (a->operands[i].type == ARM_OP_REG) words += words_of(a->operands[i].reg);
        if (words < 1) words = 1;
        arm_reg base = stack ? ARM_REG_SP : a->operands[0].reg;
        add_src(ii, base, 0);
        if (stack || a->writeback) add_dst(ii, base, 1);
        int w = 0;
        for (int i = first; i < ops; i++) {
            if (a->operands[i].type != ARM_OP_REG) continue;
            arm_reg r = a->operands[i].reg;
            int n = words_of(r);
            if (is_ldm) {
                int last = w + n >= words;
                add_dst(ii, r, last ? words + 1 - (n - 1) : words);
            } else {
                add_src(ii, r, 1 + w);   /* stored data: read as it goes out */
            }
            w += n;
        }
        ii->cls = is_ldm ? (fp ? TC_FP_LOAD : TC_LOAD_MULTI) : (fp ? TC_FP_STORE : TC_STORE_MULTI);
        ii->core = words;
        if (is_ldm && ii->branch) ii->load_branch = 1;
        return;
    }
    int is_ld = IS(id, ARM_INS_LDR, ARM_INS_LDRB, ARM_INS_LDRH, ARM_INS_LDRSB, ARM_INS_LDRSH,
                   ARM_INS_LDRT, ARM_INS_LDRBT, ARM_INS_LDRHT, ARM_INS_LDRSBT, ARM_INS_LDRSHT,
                   ARM_INS_LDREX, ARM_INS_LDREXB, ARM_INS_LDREXH, ARM_INS_LDA, ARM_INS_LDAB,
                   ARM_INS_LDAH, ARM_INS_LDAEX, ARM_INS_LDAEXB, ARM_INS_LDAEXH, ARM_INS_VLDR);
    int is_ldd = IS(id, ARM_INS_LDRD, ARM_INS_LDREXD, ARM_INS_LDAEXD);
    int is_st = IS(id, ARM_INS_STR, ARM_INS_STRB, ARM_INS_STRH, ARM_INS_STRT, ARM_INS_STRBT,
                   ARM_INS_STRHT, ARM_INS_STREX, ARM_INS_STREXB, ARM_INS_STREXH, ARM_INS_STL,
                   ARM_INS_STLB, ARM_INS_STLH, ARM_INS_STLEX, ARM_INS_STLEXB, ARM_INS_STLEXH,
                   ARM_INS_VSTR);
    int is_std = IS(id, ARM_INS_STRD, ARM_INS_STREXD, ARM_INS_STLEXD);
    if (is_ld || is_ldd || is_st || is_std) {
        int fp = IS(id, ARM_INS_VLDR, ARM_INS_VSTR);
        int words = (is_ldd || is_std) ? 2 : (fp ? words_of(a->operands[0].reg) : 1);
        mem_sources(ii, a);
        int post = 0;   /* post-indexed: an offset operand after the memory operand */
        for (int i = 0; i < ops; i++)
            if (a->operands[i].type == ARM_OP_MEM && i + 1 < ops) post = 1;
        if (a->writeback || post) add_dst(ii, mem_base(a), 1);
        int w = 0;
        for (int i = 0; i < ops; i++) {
            const cs_arm_op *op = &a->operands[i];
            if (op->type != ARM_OP_REG) continue;
            if (i > 0 && op->access == CS_AC_READ && !(is_st || is_std)) continue;   /* index */
            if (is_st || is_std) {
                /* STREX's status register is written */
                if (IS(id, ARM_INS_STREX, ARM_INS_STREXB, ARM_INS_STREXH, ARM_INS_STREXD,
                       ARM_INS_STLEX, ARM_INS_STLEXB, ARM_INS_STLEXH, ARM_INS_STLEXD) && i == 0)
                    add_dst(ii, op->reg, 1);
                else
                    add_src(ii, op->reg, 1 + w++);
            } else {
                add_dst(ii, op->reg, w + 2);   /* word w arrives on cycle w, + result delay */
                w += words_of(op->reg);
            }
        }
        ii->cls = (is_ld || is_ldd) ? (fp ? TC_FP_LOAD : (is_ldd ? TC_LOAD_MULTI : TC_LOAD))
                                    : (fp ? TC_FP_STORE : (is_std ? TC_STORE_MULTI : TC_STORE));
        ii->core = words;
        if (ii->branch) ii->load_branch = 1;
        return;
    }
    if (IS(id, ARM_INS_TBB, ARM_INS_TBH)) {
        mem_sources(ii, a);
        ii->cls = TC_LOAD;
        ii->core = 1;
        ii->branch = 1;
        ii->load_branch = 1;
        return;
    }

    /* ---- everything else: the registers capstone reports ---- */
    int lat = 1;
    for (int i = 0; i < nr; i++) add_src(ii, (arm_reg)rr[i], 0);
    if (IS(id, ARM_INS_B, ARM_INS_BL, ARM_INS_BLX, ARM_INS_BX, ARM_INS_CBZ, ARM_INS_CBNZ)) {
        ii->cls = TC_BRANCH;
        ii->branch = 1;
        if (IS(id, ARM_INS_BL, ARM_INS_BLX)) add_dst(ii, ARM_REG_LR, 1);
        ii->foldable_branch = id == ARM_INS_B ||
                              (id == ARM_INS_BX && ops == 1 && a->operands[0].reg == ARM_REG_LR);
        if (IS(id, ARM_INS_CBZ, ARM_INS_CBNZ)) ii->cond = 1;
        ii->core = 0;
        return;
    }
    if (IS(id, ARM_INS_MUL, ARM_INS_SMULL, ARM_INS_UMULL, ARM_INS_SMULBB, ARM_INS_SMULBT,
           ARM_INS_SMULTB, ARM_INS_SMULTT, ARM_INS_SMULWB, ARM_INS_SMULWT, ARM_INS_SMMUL,
           ARM_INS_SMMULR, ARM_INS_SMUAD, ARM_INS_SMUADX, ARM_INS_SMUSD, ARM_INS_SMUSDX,
           ARM_INS_USAD8)) {
        ii->cls = TC_MUL;
    } else if (IS(id, ARM_INS_MLA, ARM_INS_MLS, ARM_INS_SMLABB, ARM_INS_SMLABT, ARM_INS_SMLATB,
                  ARM_INS_SMLATT, ARM_INS_SMLAWB, ARM_INS_SMLAWT, ARM_INS_SMLAD, ARM_INS_SMLADX,
                  ARM_INS_SMLSD, ARM_INS_SMLSDX, ARM_INS_SMMLA, ARM_INS_SMMLAR, ARM_INS_SMMLS,
                  ARM_INS_SMMLSR, ARM_INS_USADA8)) {
        ii->cls = TC_MAC;
        if (ops >= 4) set_acc(ii, a->operands[3].reg);   /* the accumulator */
    } else if (IS(id, ARM_INS_SMLAL, ARM_INS_UMLAL, ARM_INS_UMAAL, ARM_INS_SMLALBB, ARM_INS_SMLALBT,
                  ARM_INS_SMLALTB, ARM_INS_SMLALTT, ARM_INS_SMLALD, ARM_INS_SMLALDX, ARM_INS_SMLSLD,
                  ARM_INS_SMLSLDX)) {
        ii->cls = TC_MAC;
        set_acc(ii, a->operands[0].reg);   /* RdLo:RdHi accumulate */
        set_acc(ii, a->operands[1].reg);
    } else if (IS(id, ARM_INS_SDIV, ARM_INS_UDIV)) {
        ii->cls = TC_DIV;
    } else if (IS(id, ARM_INS_VADD, ARM_INS_VSUB, ARM_INS_VMUL, ARM_INS_VNMUL, ARM_INS_VCMP,
                  ARM_INS_VCMPE, ARM_INS_VCVT, ARM_INS_VCVTA, ARM_INS_VCVTB, ARM_INS_VCVTM,
                  ARM_INS_VCVTN, ARM_INS_VCVTP, ARM_INS_VCVTT, ARM_INS_VCVTR, ARM_INS_VABS,
                  ARM_INS_VNEG, ARM_INS_VSELEQ, ARM_INS_VSELGE, ARM_INS_VSELGT, ARM_INS_VSELVS,
                  ARM_INS_VMAXNM, ARM_INS_VMINNM, ARM_INS_VRINTA, ARM_INS_VRINTM, ARM_INS_VRINTN,
                  ARM_INS_VRINTP, ARM_INS_VRINTR, ARM_INS_VRINTX, ARM_INS_VRINTZ)) {
        ii->cls = TC_FP_ARITH;
    } else if (IS(id, ARM_INS_VMLA, ARM_INS_VMLS, ARM_INS_VNMLA, ARM_INS_VNMLS, ARM_INS_VFMA,
                  ARM_INS_VFMS, ARM_INS_VFNMA, ARM_INS_VFNMS)) {
        ii->cls = TC_FP_MAC;
        set_acc(ii, a->operands[0].reg);   /* the accumulator */
    } else if (IS(id, ARM_INS_VDIV, ARM_INS_VSQRT)) {
        ii->cls = TC_FP_DIV;
    } else if (id == ARM_INS_VMOV) {
        int core_dst = ops > 0 && a->operands[0].type == ARM_OP_REG &&
                       a->operands[0].reg >= ARM_REG_R0 && a->operands[0].reg <= ARM_REG_R12;
        core_dst = core_dst || (ops > 0 && a->operands[0].type == ARM_OP_REG &&
                                (a->operands[0].reg == ARM_REG_LR || a->operands[0].reg == ARM_REG_SP));
        int two = ops >= 3;
        ii->cls = two ? (core_dst ? TC_FP_MOV64_OUT : TC_FP_MOV64_IN)
                      : (core_dst ? TC_FP_MOV_OUT : TC_FP_MOV_IN);
    } else if (id == ARM_INS_VMRS) {
        ii->cls = TC_FP_MOV_OUT;
    } else if (id == ARM_INS_VMSR) {
        ii->cls = TC_FP_MOV_IN;
    } else if (IS(id, ARM_INS_MRC, ARM_INS_MRC2, ARM_INS_MRRC, ARM_INS_MRRC2)) {
        ii->cls = TC_COP_OUT;
    } else if (IS(id, ARM_INS_MCR, ARM_INS_MCR2, ARM_INS_MCRR, ARM_INS_MCRR2, ARM_INS_CDP,
                  ARM_INS_CDP2)) {
        ii->cls = TC_COP_IN;
    } else if (id == ARM_INS_IT) {
        ii->cls = TC_IT;
    } else if (id == ARM_INS_NOP) {
        ii->cls = TC_NOP;
    } else if (IS(id, ARM_INS_DMB, ARM_INS_DSB)) {
        ii->cls = TC_BARRIER;
    } else if (id == ARM_INS_ISB) {
        ii->cls = TC_ISB;
    } else if (IS(id, ARM_INS_MSR, ARM_INS_MRS, ARM_INS_CPS, ARM_INS_SEV, ARM_INS_SEVL, ARM_INS_WFE,
                  ARM_INS_WFI, ARM_INS_YIELD, ARM_INS_SVC, ARM_INS_BKPT, ARM_INS_UDF, ARM_INS_CLREX,
                  ARM_INS_HINT, ARM_INS_DBG, ARM_INS_PLD, ARM_INS_PLDW, ARM_INS_PLI)) {
        ii->cls = TC_SYSTEM;
    } else {
        /* data processing: simple or complex (3.7.4.9.2) */
        int complex = id == ARM_INS_SEL;
        int plain_form = IS(id, ARM_INS_LSL, ARM_INS_LSR, ARM_INS_ASR, ARM_INS_ROR, ARM_INS_RRX,
                            ARM_INS_MOV, ARM_INS_MVN, ARM_INS_MOVW, ARM_INS_MOVT, ARM_INS_ADDW,
                            ARM_INS_SUBW, ARM_INS_ADR, ARM_INS_UBFX, ARM_INS_SBFX, ARM_INS_BFI,
                            ARM_INS_BFC);
        for (int i = 0; i < ops && !complex; i++) {
            const cs_arm_op *op = &a->operands[i];
            if (op->type == ARM_OP_REG && op->shift.type != ARM_SFT_INVALID &&
                !(op->shift.type == ARM_SFT_LSL && op->shift.value <= 3) &&
                !IS(id, ARM_INS_LSL, ARM_INS_LSR, ARM_INS_ASR, ARM_INS_ROR, ARM_INS_RRX))
                complex = 1;
            if (op->type == ARM_OP_REG && op->shift.type >= ARM_SFT_ASR_REG &&
                IS(id, ARM_INS_MOV, ARM_INS_MVN))
                complex = 0;   /* MOV Rd, Rm, LSL Rs is the shift instruction */
            if (op->type == ARM_OP_IMM && !plain_form && !plain_imm((uint32_t)op->imm) &&
                !(IS(id, ARM_INS_ADD, ARM_INS_SUB) && (uint32_t)op->imm <= 0xFFF && in->size == 2))
                complex = 1;
        }
        ii->cls = complex ? (ii->sets_flags ? TC_ALU_COMPLEX_S : TC_ALU_COMPLEX) : TC_ALU;
    }
    row = &timing_cost_table[ii->cls];
    lat = row->latency;
    ii->core = row->core;
    ii->fpu = row->fpu;
    for (int i = 0; i < nw; i++)
        if (ww[i] != ARM_REG_ITSTATE) add_dst(ii, (arm_reg)ww[i], lat);
    if (ii->sets_flags && ii->cls != TC_FP_MOV_OUT) add_dst(ii, ARM_REG_APSR, lat);
    if (ii->branch) ii->cls = ii->cls == TC_ALU || ii->cls == TC_ALU_COMPLEX ? TC_BRANCH : ii->cls;
    if (ii->cls == TC_BRANCH) ii->core = 0;
}

/* ---- the decoder ---- */

static csh cs_handle;
static int cs_state;   /* 0 = not opened, 1 = ok, -1 = unavailable */

static int decoder(void)
{
    if (cs_state == 0) {
        cs_state = cs_open(CS_ARCH_ARM, CS_MODE_THUMB | CS_MODE_MCLASS | CS_MODE_V8, &cs_handle) ==
                           CS_ERR_OK ? 1 : -1;
        if (cs_state > 0) cs_option(cs_handle, CS_OPT_DETAIL, CS_OPT_ON);
    }
    return cs_state > 0;
}

/* ---- the block ---- */

/* T32 coprocessor space with coprocessor 10/11 = the FPU (Armv8-M ARM,
 * "Floating-point data-processing / load-store / register transfer"):
 * first halfword 111x 11xx xxxx xxxx, second halfword bits [11:9] = 101. */
static int is_fp_insn(uint16_t hw1, uint16_t hw2)
{
    return (hw1 & 0xEC00) == 0xEC00 && ((hw2 >> 9) & 7) == 5;
}

/* flags a raw scan finds (FP use, SEV: BF40, 32-bit form F3AF 8004, mask
 * changes) and
 * the instruction count */
static void scan_flags(const uint8_t *code, uint32_t size, timing_block *b)
{
    uint32_t off = 0;
    while (off + 2 <= size) {
        uint16_t hw1 = (uint16_t)(code[off] | code[off + 1] << 8);
        int len = thumb_insn_len(hw1);
        uint16_t hw2 = 0;
        if (len == 4 && off + 4 <= size) hw2 = (uint16_t)(code[off + 2] | code[off + 3] << 8);
        if (len == 4 && is_fp_insn(hw1, hw2) && !(b->flags & TB_HAS_FP)) {
            b->flags |= TB_HAS_FP;
            b->fp_offset = (uint16_t)off;
        }
        if (len == 2 && hw1 == 0xBF40) b->flags |= TB_HAS_SEV;
        if (len == 4 && hw1 == 0xF3AF && hw2 == 0x8004) b->flags |= TB_HAS_SEV;
        /* CPSIE (B66x) or MSR SYSm 0x10-0x13 (F38n 88xx): a held-back
         * interrupt may be taken after it */
        if (len == 2 && (hw1 & 0xFFF8) == 0xB660) b->flags |= TB_UNMASKS;
        if (len == 4 && (hw1 & 0xFFF0) == 0xF380 && (hw2 & 0xFF00) == 0x8800 &&
            (hw2 & 0xFF) >= 0x10 && (hw2 & 0xFF) <= 0x13)
            b->flags |= TB_UNMASKS;
        b->insns++;
        off += (uint32_t)len;
    }
}

static int sat8(int v) { return v < 0 ? 0 : v > 255 ? 255 : v; }

/* the scoreboard over a decoded block (see the top of the file) */
static void schedule(const insn_info *ii, int n, const uint32_t *addrs, timing_block *b)
{
    int16_t ready[RG_COUNT];
    uint8_t written[RG_COUNT], entry_seen[RG_COUNT];
    memset(ready, 0, sizeof(ready));
    memset(written, 0, sizeof(written));
    memset(entry_seen, 0, sizeof(entry_seen));
    int t = 0, fpu_free = 0, first_fpu = -1, prev_folded = 0;
    int last = n - 1;
    int has_branch = n > 0 && ii[last].branch;
    int body = has_branch ? last : n;
    for (int i = 0; i < n; i++) {
        const insn_info *x = &ii[i];
        int issue = t;
        for (int s = 0; s < x->nsrc; s++) {
            int need = ready[x->src[s]] - x->src_need[s];
            if (need > issue) issue = need;
            if (!written[x->src[s]] && !entry_seen[x->src[s]]) {
                entry_seen[x->src[s]] = 1;
                int off = t - x->src_need[s];   /* needed at, with no stall from outside */
                if (off < 0) off = 0;
                if (off < 16 && b->n_entry < TB_MAX_ENTRY) {
                    b->entry_reg[b->n_entry] = x->src[s];
                    b->entry_off[b->n_entry++] = (uint8_t)off;
                }
            }
        }
        int uses_fpu = x->fpu > 0;
        if (uses_fpu && first_fpu < 0) first_fpu = t;
        if (uses_fpu && fpu_free > issue) issue = fpu_free;
        if (i == body) {
            /* the final branch (3.7.4.9.7) */
            const insn_info *p = i > 0 ? &ii[i - 1] : NULL;
            int L = x->load_branch;
            int f_seq = 0, f_br = 0;
            if (x->foldable_branch && p && p->size == 2 && !prev_folded) {
                f_seq = 1;
                /* PrevInst branched to (it starts the block) and not word-aligned: no fold */
                f_br = (i - 1 == 0 && (addrs[0] & 2)) ? 0 : 1;
            }
            int k = !(x->cond && p && p->sets_flags);
            int nt_seq = 1 - f_seq, nt_br = 1 - f_br;
            int tk_seq = 2 + L - (k & f_seq), tk_br = 2 + L - (k & f_br);
            t = issue + x->core + nt_seq;   /* core: the load part of a load to the PC */
            b->flow.taken_extra = (uint8_t)(tk_seq - nt_seq);
            b->taken_extra_br = (uint8_t)(tk_br - nt_br);
            b->entry_br_extra = (uint8_t)(nt_br - nt_seq);
            b->flags |= TB_BRANCH;
            if (!(p && p->pushpop)) b->flags |= TB_U_OK;
            for (int d = 0; d < x->ndst; d++) {
                int r = issue + x->dst_lat[d];
                if (r > ready[x->dst[d]]) ready[x->dst[d]] = (int16_t)r;
            }
            break;
        }
        int core = x->core;
        int folded = 0;
        if (x->cls == TC_IT && i + 1 < n && ii[i + 1].size == 2) core = 0, folded = 1;
        if (x->cls == TC_NOP && i + 1 < n && ii[i + 1].size == 2) core = 0, folded = 1;
        t = issue + core;
        if (uses_fpu) fpu_free = issue + x->fpu;
        for (int d = 0; d < x->ndst; d++) {
            ready[x->dst[d]] = (int16_t)(issue + x->dst_lat[d]);
            written[x->dst[d]] = 1;
        }
        prev_folded = folded;
    }
    b->cycles = (uint32_t)t;
    b->flow.fpu_tail = (uint8_t)sat8(fpu_free - t);
    b->entry_fpu = (uint8_t)(first_fpu < 0 ? 255 : sat8(first_fpu));
    for (int r = 0; r < RG_COUNT && b->flow.n_exit < TB_MAX_EXIT; r++) {
        if (ready[r] > t) {
            b->flow.exit_reg[b->flow.n_exit] = (uint8_t)r;
            b->flow.exit_left[b->flow.n_exit++] = (uint8_t)sat8(ready[r] - t);
        }
    }
}

#define MAX_BLOCK_INSNS 1024

/* what every block starts as, before its code is looked at */
static void block_init(timing_block *b, uint32_t addr, uint32_t size)
{
    memset(b, 0, sizeof(*b));
    b->addr = addr;
    b->size = size;
    b->func = -2;
    b->entry_fpu = 255;
    b->region = (uint8_t)xc_region(addr);
    b->flow.end = addr + size;
}

void timing_block_cycles(const uint8_t *code, uint32_t addr, uint32_t size, timing_block *b)
{
    block_init(b, addr, size);
    scan_flags(code, size, b);
    b->lines = (uint8_t)((((addr + size - 1) & ~7u) - (addr & ~7u)) / 8 + 1);
    if (b->region == XR_FLASH || b->region == XR_PSRAM) b->flags |= TB_XIP;
    b->flow.flags = b->flags;
    if (!decoder()) {
        b->cycles = b->insns;   /* no capstone: one cycle per instruction */
        return;
    }
    static insn_info ii[MAX_BLOCK_INSNS];
    static uint32_t addrs[MAX_BLOCK_INSNS];
    cs_insn *in = cs_malloc(cs_handle);
    int n = 0;
    uint32_t off = 0;
    while (off + 2 <= size && n < MAX_BLOCK_INSNS) {
        const uint8_t *p = code + off;
        size_t left = size - off;
        uint64_t a = addr + off;
        uint16_t hw1 = (uint16_t)(code[off] | code[off + 1] << 8);
        int len = thumb_insn_len(hw1);
        if (cs_disasm_iter(cs_handle, &p, &left, &a, in)) {
            classify(cs_handle, in, &ii[n]);
            len = in->size;
        } else {
            /* capstone does not know it (e.g. an Armv8-M-only encoding): one cycle */
            memset(&ii[n], 0, sizeof(ii[n]));
            ii[n].cls = TC_SYSTEM;
            ii[n].core = 1;
            ii[n].size = len;
        }
        addrs[n] = addr + off;
        n++;
        off += (uint32_t)len;
    }
    cs_free(in, 1);
    schedule(ii, n, addrs, b);
    if (n > 0 && ii[0].size == 4 && (addr & 2)) b->flags |= TB_WIDE_UNALIGNED;
    b->flow.flags = b->flags;
}

void timing_cache_init(timing_cache *c)
{
    c->slots = calloc((size_t)1 << TIMING_CACHE_BITS, sizeof(timing_block));
    c->misses = 0;
    timing_cache_flush(c);
}

void timing_cache_free(timing_cache *c)
{
    free(c->slots);
    c->slots = NULL;
}

void timing_cache_flush(timing_cache *c)
{
    /* size 0 never matches a real block */
    memset(c->slots, 0, ((size_t)1 << TIMING_CACHE_BITS) * sizeof(timing_block));
}

const timing_block *timing_fill(timing_cache *c, timing_block *slot, uint32_t addr, uint32_t size,
                                timing_fetch_fn fetch, void *ctx)
{
    uint8_t stackbuf[256];
    uint8_t *code = size <= sizeof(stackbuf) ? stackbuf : malloc(size);
    c->misses++;
    if (!code || !fetch(ctx, addr, code, size)) {
        /* unreadable: count by size (2-byte instructions) */
        block_init(slot, addr, size);
        slot->insns = slot->cycles = size / 2 ? size / 2 : 1;
    } else {
        timing_block_cycles(code, addr, size, slot);
    }
    if (code != stackbuf) free(code);
    return slot;
}
