/* regs/sio.h - SIO register facts (rp2350-facts.md 12.1; datasheet 3.1;
 * erratum RP2350-E2). */
#ifndef SIM_REGS_SIO_H
#define SIM_REGS_SIO_H

#define SIO_BASE 0xD0000000u
#define SIO_NONSEC_BASE 0xD0020000u
#define SIO_CPUID 0x000u
#define SIO_GPIO_IN 0x004u
#define SIO_GPIO_HI_IN 0x008u
#define SIO_GPIO_OUT 0x010u      /* OUT, HI_OUT, OUT_SET, HI_OUT_SET, OUT_CLR, HI_OUT_CLR, OUT_XOR, HI_OUT_XOR */
#define SIO_GPIO_OE 0x030u       /* same pattern up to 0x04C */
#define SIO_FIFO_ST 0x050u
#define SIO_FIFO_WR 0x054u
#define SIO_FIFO_RD 0x058u
#define SIO_SPINLOCK_ST 0x05Cu
#define SIO_SPINLOCK0 0x100u
#define SIO_DOORBELL_OUT_SET 0x180u
#define SIO_DOORBELL_OUT_CLR 0x184u
#define SIO_DOORBELL_IN_SET 0x188u
#define SIO_DOORBELL_IN_CLR 0x18Cu
#define SIO_FIFO_ST_VLD (1u << 0)
#define SIO_FIFO_ST_RDY (1u << 1)
#define SIO_FIFO_ST_WOF (1u << 2)
#define SIO_FIFO_ST_ROE (1u << 3)
#define SIO_GPIO_HI_MASK 0xFF00FFFFu

#endif
