/* uc_xipwatch.c - lets the XIP cache model see the guest's data reads from
 * the XIP windows without slowing down every other load (Unicorn trick).
 *
 * Why: the XIP cache model (xip_cache.c) must see each data read from
 * flash and PSRAM, while code keeps executing from flash at full speed and
 * SRAM loads stay on Unicorn's fast path. The obvious UC_HOOK_MEM_READ
 * makes Unicorn generate the slow path for EVERY load of EVERY address
 * (tcg-target.inc.c, "fast path if hookmem is not enable": the check is
 * global, the hook's range is only tested afterwards), which made the
 * firmware's /bench 75% slower. Mapping the windows as MMIO would stop code
 * from executing there.
 *
 * How: QEMU marks a page's TLB read entry (addr_read, not addr_code) with
 * TLB_WATCHPOINT when cpu_watchpoint_address_matches() reports a read
 * watchpoint on it; loads from such a page leave the fast path for
 * load_helper(), where Unicorn calls the UC_HOOK_MEM_READ_AFTER hooks
 * (cputlb.c, "_out:"). Unicorn 2.x compiles watchpoints out (the function
 * returns 0 and cpu_check_watchpoint() is empty), and the library calls
 * the function through its PLT (`cpu_watchpoint_address_matches_arm@plt`
 * in tlb_set_page_with_attrs), so the definition below, exported by the
 * executable, takes its place: XIP pages get the flag, instruction fetch
 * (addr_code) and every other page keep the fast path, and a
 * UC_HOOK_MEM_READ_AFTER hook bounded to the XIP space (cpu.c) sees exactly
 * the XIP data reads. UC_HOOK_MEM_READ_AFTER does not switch the code
 * generator to the slow path (only UC_HOOK_MEM_READ/WRITE do).
 *
 * cpu.c checks once at start-up, on a scratch engine, that a load from an
 * XIP page really reaches the hook (a library built without PLT calls, or a
 * future Unicorn, would not), and otherwise falls back to UC_HOOK_MEM_READ
 * with a warning. Writes need no trick: XIP windows are mapped without
 * write permission and stores reach UC_HOOK_MEM_WRITE_PROT (dev_xip.c).
 * The test images prove the result (tests/sim: xip_cache_misses).
 */
#include <stdint.h>

/* set by cpu.c: whether XIP pages are to be flagged */
extern int sim_xip_watch_on;
int sim_xip_watch_on;
/* tells cpu.c that this interposer is linked in */
extern const int sim_xip_watch_linked;
const int sim_xip_watch_linked = 1;

#define BP_MEM_READ 0x01   /* QEMU include/hw/core/cpu.h */

struct CPUState;
int cpu_watchpoint_address_matches_arm(struct CPUState *cpu, uint64_t addr, uint64_t len);

int cpu_watchpoint_address_matches_arm(struct CPUState *cpu, uint64_t addr, uint64_t len)
{
    (void)cpu;
    (void)len;
    if (!sim_xip_watch_on || addr < 0x10000000u || addr >= 0x20000000u) return 0;
    /* the QMI windows: cached 0x10-0x11, uncached 0x14-0x15, untranslated
     * 0x1C-0x1D (the maintenance window and XIP SRAM are MMIO anyway) */
    uint32_t off = (uint32_t)addr & 0x03FFFFFFu;
    return off < 0x02000000u && ((addr >> 26) & 3) != 2 ? BP_MEM_READ : 0;
}
