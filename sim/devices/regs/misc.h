/* regs/misc.h - PSM, WATCHDOG, POWMAN, SYSINFO and SYSCFG register facts
 * (rp2350-facts.md 12.2, 14; datasheet chapters 6, 7, 12.9, 12.15). */
#ifndef SIM_REGS_MISC_H
#define SIM_REGS_MISC_H

#define PSM_BASE 0x40018000u
#define PSM_FRCE_ON 0x00u
#define PSM_FRCE_OFF 0x04u
#define PSM_WDSEL 0x08u
#define PSM_DONE 0x0Cu
#define PSM_PROC1 (1u << 24)
#define PSM_ALL 0x01FFFFFFu

#define WATCHDOG_BASE 0x400D8000u
#define WATCHDOG_CTRL 0x00u
#define WATCHDOG_LOAD 0x04u
#define WATCHDOG_REASON 0x08u
#define WATCHDOG_SCRATCH0 0x0Cu
#define WATCHDOG_CTRL_TRIGGER (1u << 31)
#define WATCHDOG_CTRL_ENABLE (1u << 30)
#define WATCHDOG_REASON_TIMER 1u
#define WATCHDOG_REASON_FORCE 2u

#define POWMAN_BASE 0x40100000u
#define POWMAN_BADPASSWD 0x00u
#define POWMAN_VREG_CTRL 0x04u
#define POWMAN_VREG_STS 0x08u
#define POWMAN_VREG 0x0Cu
#define POWMAN_LAST_PROTECTED 0xACu     /* offsets <= 0xAC need the password */
#define POWMAN_PASSWORD 0x5AFEu         /* in bits [31:16] */
#define POWMAN_BOOT0 0xD0u
#define POWMAN_VREG_CTRL_UNLOCK (1u << 13)
#define POWMAN_VREG_UPDATE_IN_PROGRESS (1u << 15)
#define POWMAN_VREG_VSEL_LSB 4
#define POWMAN_VREG_VSEL_MASK 0x1F0u

#define SYSINFO_BASE 0x40000000u
#define SYSINFO_CHIP_ID 0x00u
#define SYSINFO_PACKAGE_SEL 0x04u   /* 0 = QFN80 (RP2350B), 1 = QFN60 (RP2350A) */
#define SYSINFO_PLATFORM 0x08u
#define SYSINFO_GITREF_RP2350 0x14u

#define SYSCFG_BASE 0x40008000u
#define SYSCFG_AUXCTRL 0x14u /* bit 0: POWMAN leaves clk_ref before a reset (facts 14.3) */
#define BOOTRAM_BASE 0x400E0000u
#define OTP_DATA_BASE 0x40130000u /* OTP rows, ECC-corrected, 16 bits each */
#define OTP_BASE 0x40120000u
#define OTP_CRITICAL 0x148u        /* SDK regs/otp.h OTP_CRITICAL_OFFSET */
#define BOOTRAM_SIZE 0x400u
/* BOOTRAM registers after the 1 KB (SDK hardware/regs/bootram.h) */
#define BOOTRAM_WRITE_ONCE0 0x800u     /* writes OR into the contents until a reset */
#define BOOTRAM_BOOTLOCK_STAT 0x808u   /* bit n: 1 = lock n unclaimed (reset 0xff) */
#define BOOTRAM_BOOTLOCK0 0x80Cu       /* BOOTLOCK0-7: read claims (1 << n, or 0), write frees */
#define BOOTRAM_BOOTLOCK_COUNT 8

/* boot ROM reboot protocol through the watchdog scratch registers (14.3) */
#define BOOT_MAGIC 0xB007C0D3u

#endif
