/* m33.h - Cortex-M33 private peripherals used by the firmware (facts 13;
 * SDK regs/m33.h). */
#ifndef PICOLLAMA_FW_REGS_M33_H
#define PICOLLAMA_FW_REGS_M33_H

#include "reg.h"

#define PPB_BASE 0xE0000000u

#define M33_DWT_CTRL (*(io_rw_32 *)(PPB_BASE + 0x1000u))
#define M33_DWT_CYCCNT (*(io_rw_32 *)(PPB_BASE + 0x1004u))
#define M33_VTOR (*(io_rw_32 *)(PPB_BASE + 0xED08u))
#define M33_AIRCR (*(io_rw_32 *)(PPB_BASE + 0xED0Cu))
#define M33_CCR (*(io_rw_32 *)(PPB_BASE + 0xED14u))
#define M33_SHCSR (*(io_rw_32 *)(PPB_BASE + 0xED24u))
#define M33_CFSR (*(io_rw_32 *)(PPB_BASE + 0xED28u))
#define M33_HFSR (*(io_rw_32 *)(PPB_BASE + 0xED2Cu))
#define M33_MMFAR (*(io_rw_32 *)(PPB_BASE + 0xED34u))
#define M33_BFAR (*(io_rw_32 *)(PPB_BASE + 0xED38u))
#define M33_CPACR (*(io_rw_32 *)(PPB_BASE + 0xED88u))
#define M33_DEMCR (*(io_rw_32 *)(PPB_BASE + 0xEDFCu))

#define M33_CPACR_CP10_FULL (3u << 20) /* the FPU */
#define M33_CPACR_CP11_FULL (3u << 22) /* set equal to CP10 by Arm convention */
#define M33_DEMCR_TRCENA (1u << 24)
#define M33_DWT_CTRL_CYCCNTENA (1u << 0)
#define M33_SHCSR_USGFAULTENA (1u << 18)
#define M33_SHCSR_BUSFAULTENA (1u << 17)
#define M33_SHCSR_MEMFAULTENA (1u << 16)

#endif
