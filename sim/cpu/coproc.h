/* coproc.h - the RP2350's own coprocessors on a Cortex-M33 core (datasheet
 * 3.6): today the double-precision coprocessor, DCP (3.6.2, coprocessor 4),
 * as the Pico SDK's canned sequences drive it (hardware_dcp's
 * dcp_canned.inc.S, pico_double's double_aeabi_dcp.S).
 *
 * Unicorn's Cortex-M33 raises UsageFault NOCP for every coprocessor
 * instruction but the FPU's (10, 11). The core calls coproc_execute there,
 * after checking that CPACR grants the coprocessor; a handled instruction
 * is 32 bits long and completes in one cycle (3.6.2.2: "Each coprocessor
 * instruction takes a single cycle"), so the core resumes at PC + 4.
 *
 * The model sees the core only through core_regs (r0-r14 and APSR.NZCV),
 * so it runs alone in the unit tests (tests/sim/test_coproc.c).
 *
 * What the datasheet documents is modelled as it says: the X and Y
 * registers (64-bit mantissa, 14-bit exponent, 4-bit flags), the 9-bit
 * status (alignment shift, magnitude comparison, 'engaged'), three MRRC to
 * save the state and three MCRR to restore it, 'R' reads ending a sequence
 * clear engaged and 'P' (peek, the *2 encodings) keep it. What it does not
 * document (the fixed-point formats the CPU side of the multiply, divide
 * and conversion sequences relies on, the layout of the saved status word)
 * is the one that makes the SDK's sequences give IEEE results; see
 * coproc.c for each choice. Square root (SQR0, RXMQ, WXDQ, RDDQ: sqrt and
 * sqrt_fast), classification (RXVD: dclassify, fclassify), WXYU (X and Y
 * from single precision) and the conversions between double and float
 * (NRDF and RDFG: pico_double's __aeabi_d2f, "WXUP; NRDF; RDFG"; RDDG:
 * dcp_float2double_m, "WXYU; NRDD; RDDG") are modelled. Not modelled
 * (coproc_execute returns 0, the core keeps its NOCP fault): the other
 * single-precision instructions (RXYH, WXFC/WXFM/WXFD/WXFQ, NORM, RDFA/
 * RDFS/RDFM/RDFD/RDFQ: the pico_float_pico_dcp build), coprocessor 5
 * (the Non-secure instance seen from Secure code), the redundancy
 * coprocessor (7), and the GPIO coprocessor as Non-secure code would see
 * it (Secure only here, like our firmware and the SDK's default build).
 */
#ifndef SIM_COPROC_H
#define SIM_COPROC_H

#include <stdint.h>

#include "core_regs.h"

/* X/Y flag bits (3.6.2.3: sign, zero, infinity, NaN) */
enum { DCP_F_SIGN = 1, DCP_F_ZERO = 2, DCP_F_INF = 4, DCP_F_NAN = 8 };

/* One DCP instance: the registers of 3.6.2.3. A mantissa written unpacked
 * holds 01.fraction from bit 62 down; the exponent is the biased exponent of
 * that value (so a value is xm * 2^(xe - 1023 - 62)). */
typedef struct {
    uint64_t xm, ym;
    int32_t xe, ye;       /* 14 bits on silicon (range checked in coproc.c) */
    uint8_t xf, yf;       /* DCP_F_* */
    uint32_t status;      /* DCP_ST_*: shift 5:0, comparison 7:6, engaged 8 */
} dcp_state;

/* All the coprocessors of one core. */
typedef struct {
    dcp_state dcp;
} coproc;

/* the coprocessor number of a coprocessor instruction (MCR/MRC/MCRR/MRRC/
 * CDP and their *2 forms), insn = first halfword << 16 | second; -1 if it
 * is none of those */
int coproc_number(uint32_t insn);

/* executes one instruction; 1 = done (the core goes on at PC + 4),
 * 0 = not a coprocessor instruction this model implements (the core takes
 * its NOCP UsageFault as before) */
int coproc_execute(coproc *cp, uint32_t insn, const core_regs *regs);

/* the state at reset (all registers zero, not engaged) */
void coproc_reset(coproc *cp);

#endif
