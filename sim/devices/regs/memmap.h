/* regs/memmap.h - the RP2350's memories on the system bus as the virtual
 * board lays them out (datasheet 2.2 "Address map"; rp2350-facts.md 1.1):
 * the boot ROM, the main SRAM (SRAM0-9 as one striped block) and the start
 * of the XIP space (flash on QMI CS0). */
#ifndef SIM_REGS_MEMMAP_H
#define SIM_REGS_MEMMAP_H

#define SIM_ROM_SIZE 0x8000u
#define SIM_ROM_BASE 0x00000000u
#define SIM_SRAM_BASE 0x20000000u
#define SIM_SRAM_SIZE 0x82000u
#define SIM_XIP_BASE 0x10000000u

#endif
