/* regs/ppb.h - Cortex-M33 private peripheral bus register facts used by the
 * PPB model (rp2350-facts.md 13; SDK m33.h; Armv8-M ARM). Offsets from PPB
 * base 0xE0000000. */
#ifndef SIM_REGS_PPB_H
#define SIM_REGS_PPB_H

#define PPB_BASE 0xE0000000u
#define EPPB_BASE 0xE0080000u
#define PPB_SIZE 0x50000u      /* up to the CTI at 0xE0042000 */

#define DWT_CTRL 0x1000u
#define DWT_CYCCNT 0x1004u
#define DWT_CTRL_CYCCNTENA (1u << 0)
#define SYST_CSR 0xE010u
#define SYST_RVR 0xE014u
#define SYST_CVR 0xE018u
#define SYST_CALIB 0xE01Cu
#define SYST_CSR_ENABLE (1u << 0)
#define SYST_CSR_TICKINT (1u << 1)
#define SYST_CSR_CLKSOURCE (1u << 2)
#define SYST_CSR_COUNTFLAG (1u << 16)
#define NVIC_ISER0 0xE100u
#define NVIC_ICER0 0xE180u
#define NVIC_ISPR0 0xE200u
#define NVIC_ICPR0 0xE280u
#define NVIC_IABR0 0xE300u
#define NVIC_ITNS0 0xE380u
#define NVIC_IPR0 0xE400u
#define SCB_CPUID 0xED00u
#define SCB_ICSR 0xED04u
#define SCB_VTOR 0xED08u
#define SCB_AIRCR 0xED0Cu
#define SCB_SCR 0xED10u
#define SCB_CCR 0xED14u
#define SCB_SHPR1 0xED18u
#define SCB_SHCSR 0xED24u
#define SCB_CFSR 0xED28u
#define SCB_HFSR 0xED2Cu
#define SCB_BFAR 0xED38u
/* CFSR cause bits (SDK m33.h:4012-4126, M33_CFSR_UFSR_* / BFSR_*) */
#define CFSR_IBUSERR (1u << 8)
#define CFSR_PRECISERR (1u << 9)
#define CFSR_BFARVALID (1u << 15)
#define CFSR_UNDEFINSTR (1u << 16)
#define CFSR_INVSTATE (1u << 17)
#define CFSR_NOCP (1u << 19)
#define CFSR_STKOF (1u << 20)
#define CFSR_UNALIGNED (1u << 24)
#define SCB_CPACR 0xED88u
#define SCB_NSACR 0xED8Cu
#define MPU_TYPE 0xED90u
#define MPU_CTRL 0xED94u
#define SAU_CTRL 0xEDD0u
#define DEMCR 0xEDFCu
#define DEMCR_TRCENA (1u << 24)
#define FPCCR 0xEF34u
#define FPCAR 0xEF38u
/* FPCCR fields (SDK m33.h:6031-6194, M33_FPCCR_*) and its reset value: the
 * Armv8-M ARM's for Secure state, ASPEN, LSPEN and S set (as Unicorn's own
 * QEMU core resets it, target/arm/cpu.c:245-247). The SDK header's
 * M33_FPCCR_RESET 0x20000472 (ASPEN and LSPEN clear, the fault-ready bits
 * set) reads like a snapshot, not a reset value; the engine sets
 * CONTROL.FPCA on every FP instruction as ASPEN=1 says either way. */
#define FPCCR_WRITABLE 0xFC0007FFu
#define FPCCR_ASPEN (1u << 31)
#define FPCCR_LSPEN (1u << 30)
#define FPCCR_HFRDY (1u << 4)
#define FPCCR_THREAD (1u << 3)
#define FPCCR_S (1u << 2)
#define FPCCR_USER (1u << 1)
#define FPCCR_LSPACT (1u << 0)
#define FPCCR_RESET (FPCCR_ASPEN | FPCCR_LSPEN | FPCCR_S)
#define FPDSCR 0xEF3Cu
#define AIRCR_VECTKEY 0x05FAu
#define AIRCR_SYSRESETREQ (1u << 2)
#define CPACR_CP10_SHIFT 20

/* ICSR and SHCSR fields (SDK m33.h: M33_ICSR_*, M33_SHCSR_*) */
#define ICSR_PENDSVSET (1u << 28)
#define ICSR_PENDSVCLR (1u << 27)
#define ICSR_PENDSTSET (1u << 26)
#define ICSR_PENDSTCLR (1u << 25)
#define ICSR_ISRPENDING (1u << 22)
#define ICSR_VECTPENDING_SHIFT 12
#define ICSR_RETTOBASE (1u << 11)
#define SHCSR_ENABLES 0x000F0000u   /* SECUREFAULTENA, USGFAULTENA, BUSFAULTENA, MEMFAULTENA */

/* exception numbers (Armv8-M ARM B3.30); IRQ n is 16 + n */
#define EXC_NMI 2
#define EXC_HARDFAULT 3
#define EXC_MEMMANAGE 4
#define EXC_BUSFAULT 5
#define EXC_USAGEFAULT 6
#define EXC_SECUREFAULT 7
#define EXC_SVCALL 11
#define EXC_DEBUGMON 12
#define EXC_PENDSV 14
#define EXC_SYSTICK 15
#define EXC_IRQ0 16
#define NVIC_IRQS 52          /* RP2350 NUM_IRQS (rp2350-facts.md 13) */
#define NVIC_PRIO_MASK 0xF0u  /* 4 priority bits: RP2350.h:112 __NVIC_PRIO_BITS; m33.h NVIC_IPR0_BITS 0xf0f0f0f0 */

#endif
