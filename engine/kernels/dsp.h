/* dsp.h - whether the Arm DSP extension's SIMD instructions (SMLAD, SXTB16:
 * Cortex-M4/M7/M33, the RP2350's cores) are there to use. Kernels with a
 * DSP version keep the portable one as the reference and for every other
 * target; both give the same bits (integer sums are exact in any order). */
#ifndef PICOLLAMA_DSP_H
#define PICOLLAMA_DSP_H

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && !defined(PL_NO_DSP)
#define PL_ARM_DSP 1
#include <arm_acle.h>
#else
#define PL_ARM_DSP 0
#endif

#endif
