/* regs/gpio.h - IO_BANK0, PADS_BANK0 and PADS_QSPI register facts
 * (rp2350-facts.md 6). */
#ifndef SIM_REGS_GPIO_H
#define SIM_REGS_GPIO_H

#define IO_BANK0_BASE 0x40028000u
#define IO_QSPI_BASE 0x40030000u
#define PADS_BANK0_BASE 0x40038000u
#define PADS_QSPI_BASE 0x40040000u
/* IO_BANK0: GPIOn_STATUS at 8n, GPIOn_CTRL at 8n+4; interrupt registers from 0x200 */
#define IO_GPIO_CTRL_MASK 0x3003F01Fu
#define IO_STATUS_OUTTOPAD (1u << 9)
#define IO_STATUS_OETOPAD (1u << 13)
#define IO_STATUS_INFROMPAD (1u << 17)
#define IO_IRQ_BASE 0x200u
/* interrupts (SDK io_bank0.h): 8 GPIOs per register, 4 bits each
 * (LEVEL_LOW 1, LEVEL_HIGH 2, EDGE_LOW 4, EDGE_HIGH 8; the edges write-1-to-
 * clear, the levels read-only) */
#define IO_INTR0 0x230u
#define IO_PROC0_INTE0 0x248u
#define IO_PROC0_INTF0 0x260u
#define IO_PROC0_INTS0 0x278u
#define IO_PROC1_INTE0 0x290u   /* PROC1's INTE/INTF/INTS follow at the same spacing */
#define IO_INT_REGS 6
#define IO_INT_LEVEL_LOW 1u
#define IO_INT_LEVEL_HIGH 2u
#define IO_INT_EDGE_LOW 4u
#define IO_INT_EDGE_HIGH 8u
/* PADS_BANK0: VOLTAGE_SELECT 0, GPIOn at 4 + 4n, SWCLK 0xC4, SWD 0xC8 */
#define PADS_VOLTAGE_SELECT 0x00u
#define PADS_SWCLK 0xC4u
#define PADS_SWD 0xC8u
#define PADS_GPIO_RESET 0x116u
#define PADS_SW_RESET 0x5Au
/* PADS_QSPI (SDK regs/pads_qspi.h): VOLTAGE_SELECT 0, GPIO_QSPI_SCLK 4,
 * SD0..SD3 8..0x14, SS 0x18; PADS_BANK0's fields (dev_gpio.h) plus DRIVE
 * [5:4]: 0 2 mA, 1 4 mA (reset), 2 8 mA, 3 12 mA */
#define PADS_QSPI_SCLK 0x04u
#define PADS_QSPI_SD0 0x08u
#define PADS_DRIVE(pad) (((pad) >> 4) & 3u)
#define PADS_DRIVE_8MA 2u
/* pad control fields (PADS_BANK0 / PADS_QSPI GPIO registers) */
#define PADS_SLEWFAST (1u << 0)
#define PADS_SCHMITT (1u << 1)
#define PADS_PDE (1u << 2)
#define PADS_PUE (1u << 3)
#define PADS_IE (1u << 6)
#define PADS_OD (1u << 7)
#define PADS_ISO (1u << 8)

#endif
