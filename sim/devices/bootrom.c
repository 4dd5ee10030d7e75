/* bootrom.c - the boot ROM emulation (see bootrom.h).
 *
 * Block format and boot rules: rp2350-facts.md 2.1-2.4 (SDK picobin.h; ROM
 * varm_blocks.c, varm_launch_image.c, arm8_bootrom_rt0.S). Reboot protocol:
 * facts 14.1-14.3 (ROM varm_apis.c). Core 1 wait loop: facts 12.2 (ROM
 * arm8_bootrom_rt0.S, core1_boot_path). */
#include "bootrom.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "regs/memmap.h"
#include "regs/misc.h"
#include "regs/resets.h"
#include "regs/timer.h"

/* item types */
#define ITEM_IMAGE_TYPE 0x42
#define ITEM_VECTOR_TABLE 0x03
#define ITEM_ENTRY_POINT 0x44
#define ITEM_PARTITION_TABLE 0x0A
#define ITEM_LAST 0xFF
#define MAX_BLOCK_WORDS (0x280 / 4)
#define MAX_IMAGE_DEF_WORDS (0x180 / 4)

/* synthesized ROM layout */
#define ROM_LOOKUP 0x7F00u
#define ROM_LOOKUP_ENTRY 0x7F04u
#define ROM_REBOOT 0x7F08u
#define ROM_LAUNCH 0x7F10u         /* msr msplim, r0; msr msp, r1; bx r2 */
#define ROM_CORE0_DEAD 0x7F20u     /* wfi; b . (after a no-return reboot or main returning) */
#define ROM_CORE1_DEAD 0x7F28u     /* core 1 returned from its entry */

#define CODE(a, b) ((uint32_t)(a) | (uint32_t)(b) << 8)
#define RT_FLAG_FUNC_ARM_SEC 0x0004u

static uint32_t rd32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ---- block parsing ---- */

typedef struct {
    uint32_t off;              /* offset of the start marker in the window */
    int words;                 /* items words */
    int32_t link;
    int image_def;             /* has an IMAGE_TYPE first item */
    uint32_t image_type;
    int has_vt, has_entry, has_ptable;
    uint32_t vt, entry_pc, entry_sp, entry_splim;
} parsed_block;

/* parses the block at off; 0 + why if it is not a valid block */
static int parse_block(const uint8_t *win, uint32_t len, uint32_t off, parsed_block *b,
                       char *why, size_t whylen, uint32_t base)
{
    memset(b, 0, sizeof(*b));
    b->off = off;
    uint32_t pos = 1;   /* word index after the start marker */
    for (;;) {
        if ((off + 4 * pos + 4 > len) || pos > MAX_BLOCK_WORDS) {
            snprintf(why, whylen, "block at 0x%08x: no LAST item within 0x280 bytes",
                     base + off);
            return 0;
        }
        const uint8_t *it = win + off + 4 * pos;
        uint32_t type = it[0];
        uint32_t size = (type & 0x80) ? (uint32_t)(it[1] | it[2] << 8) : it[1];
        if (type == ITEM_LAST) {
            if (size != pos - 1) {
                snprintf(why, whylen, "block at 0x%08x: LAST item says %u words of items, "
                         "found %u", base + off, size, pos - 1);
                return 0;
            }
            break;
        }
        if (size == 0) {
            snprintf(why, whylen, "block at 0x%08x: item of type 0x%02x with size 0",
                     base + off, type);
            return 0;
        }
        const uint8_t *w = it + 4;
        switch (type & 0x7F) {
        case ITEM_IMAGE_TYPE & 0x7F:
            if (pos == 1 && size == 1) {
                b->image_def = 1;
                b->image_type = (uint32_t)(it[2] | it[3] << 8);
            }
            break;
        case ITEM_VECTOR_TABLE:
            if (size != 2) goto bad_size;
            b->has_vt = 1;
            b->vt = rd32(w);
            break;
        case ITEM_ENTRY_POINT & 0x7F:
            if (size != 3 && size != 4) goto bad_size;
            b->has_entry = 1;
            b->entry_pc = rd32(w);
            b->entry_sp = rd32(w + 4);
            b->entry_splim = size == 4 ? rd32(w + 8) : 0;
            break;
        case ITEM_PARTITION_TABLE: b->has_ptable = 1; break;
        default: break;
        }
        pos += size;
        continue;
    bad_size:
        snprintf(why, whylen, "block at 0x%08x: item type 0x%02x has wrong size %u", base + off,
                 type, size);
        return 0;
    }
    b->words = (int)pos - 1;
    if (off + 4 * pos + 12 > len) {
        snprintf(why, whylen, "block at 0x%08x is cut off by the end of the image", base + off);
        return 0;
    }
    b->link = (int32_t)rd32(win + off + 4 * pos + 4);
    if (rd32(win + off + 4 * pos + 8) != PICOBIN_BLOCK_MARKER_END) {
        snprintf(why, whylen, "block at 0x%08x: end marker 0xab123579 missing after the LAST "
                 "item", base + off);
        return 0;
    }
    if (b->image_def && 4 * (pos + 3) > 0x180) {
        snprintf(why, whylen, "IMAGE_DEF block at 0x%08x is larger than 0x180 bytes", base + off);
        return 0;
    }
    return 1;
}

/* why an IMAGE_DEF cannot boot on the ARM cores, or NULL */
static const char *image_type_problem(uint32_t t)
{
    if ((t & 0xF) != 1) return (t & 0xF) == 2 ? "image type is DATA, not EXE" : "image type is not EXE";
    uint32_t cpu = (t >> 8) & 7, chip = (t >> 12) & 7, sec = (t >> 4) & 3;
    if (cpu == 1) return "the IMAGE_DEF is for RISC-V";
    if (cpu != 0) return "the IMAGE_DEF's CPU is not ARM";
    if (chip != 1) return "the IMAGE_DEF is not for the RP2350 (chip field)";
    if (sec == 1) return "the image is Non-secure: the boot ROM does not boot NS ARM images";
    return NULL;
}

/* follows the loop from first; fills img from the first bootable IMAGE_DEF */
static int walk_loop(const uint8_t *win, uint32_t len, uint32_t base, const parsed_block *first,
                     boot_image *img, char *why, size_t whylen)
{
    parsed_block cur = *first;
    const char *problem = NULL;
    uint32_t problem_at = 0;
    int found = 0, n = 0;
    for (;;) {
        n++;
        if (cur.has_ptable) {
            snprintf(why, whylen, "block at 0x%08x holds a PARTITION_TABLE: partition tables are "
                     "not supported by the virtual boot ROM", base + cur.off);
            return 0;
        }
        if (cur.image_def && !found) {
            const char *p = image_type_problem(cur.image_type);
            if (p && !problem) {
                problem = p;
                problem_at = base + cur.off;
            }
            if (!p) {
                found = 1;
                img->block_addr = base + cur.off;
                img->image_type = cur.image_type;
                img->vector_table = cur.has_vt ? cur.vt : base;
                img->has_entry = cur.has_entry;
                img->entry_pc = cur.entry_pc;
                img->entry_sp = cur.entry_sp;
                img->entry_sp_limit = cur.entry_splim;
            }
        }
        int64_t next = (int64_t)cur.off + cur.link;
        if (next == (int64_t)first->off) break;   /* loop closed */
        if (n > 64 || next < 0 || next + 8 > (int64_t)len || (next & 3) ||
            rd32(win + next) != PICOBIN_BLOCK_MARKER_START) {
            snprintf(why, whylen, "the block loop starting at 0x%08x is broken: the block at "
                     "0x%08x links to 0x%08x, where no block starts",
                     base + first->off, base + cur.off, (uint32_t)(base + next));
            return 0;
        }
        char bwhy[200];
        if (!parse_block(win, len, (uint32_t)next, &cur, bwhy, sizeof(bwhy), base)) {
            snprintf(why, whylen, "the block loop starting at 0x%08x is broken: %s",
                     base + first->off, bwhy);
            return 0;
        }
    }
    img->loop_blocks = n;
    if (!found) {
        if (problem)
            snprintf(why, whylen, "IMAGE_DEF at 0x%08x cannot boot: %s", problem_at, problem);
        else
            snprintf(why, whylen, "the block loop at 0x%08x has no IMAGE_DEF (no IMAGE_TYPE item "
                     "first in any block)", base + first->off);
        return 0;
    }
    return 1;
}

int bootrom_find_image(const uint8_t *win, uint32_t len, uint32_t base, boot_image *img,
                       char *why, size_t whylen)
{
    memset(img, 0, sizeof(*img));
    char first_why[256] = "";
    uint32_t limit = len < BOOTROM_SEARCH_MAX ? len : BOOTROM_SEARCH_MAX;
    for (uint32_t off = 0; off + 4 <= limit; off += 4) {
        if (rd32(win + off) != PICOBIN_BLOCK_MARKER_START) continue;
        parsed_block b;
        char bwhy[256];
        if (!parse_block(win, len, off, &b, bwhy, sizeof(bwhy), base)) {
            if (!first_why[0]) snprintf(first_why, sizeof(first_why), "%s", bwhy);
            continue;
        }
        if (walk_loop(win, len, base, &b, img, bwhy, sizeof(bwhy))) return 1;
        snprintf(why, whylen, "%s", bwhy);
        return 0;
    }
    if (first_why[0])
        snprintf(why, whylen, "no valid block in the first 4 KB at 0x%08x (%s)", base, first_why);
    else
        snprintf(why, whylen, "no IMAGE_DEF block (start marker 0xffffded3) in the first 4 KB at "
                 "0x%08x", base);
    return 0;
}

/* ---- the synthesized ROM ---- */

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)v);
    put16(p + 2, (uint16_t)(v >> 16));
}

void bootrom_build(uint8_t *rom)
{
    memset(rom, 0, SIM_ROM_SIZE);
    put32(rom + 0x00, 0xF0000000u);              /* no usable stack, as the real ROM */
    put32(rom + 0x04, ROM_CORE0_DEAD | 1);
    put32(rom + 0x08, ROM_CORE0_DEAD | 1);
    put32(rom + 0x0C, ROM_CORE0_DEAD | 1);
    rom[0x10] = 'M';
    rom[0x11] = 'u';
    rom[0x12] = 2;                               /* major version */
    rom[0x13] = 2;                               /* minor version (A2) */
    put16(rom + 0x14, 0x7E00);                   /* ROM table base (not readable as a table) */
    put16(rom + 0x16, ROM_LOOKUP | 1);           /* table lookup, Thumb */
    put16(rom + 0x18, ROM_LOOKUP_ENTRY | 1);
    memcpy(rom + 0x1A, "(C) virtual RP2350 ROM", 23);
    put16(rom + ROM_LOOKUP, 0x4770);             /* bx lr (the hook does the work) */
    put16(rom + ROM_LOOKUP_ENTRY, 0x4770);
    put16(rom + ROM_REBOOT, 0x4770);
    put32(rom + ROM_LAUNCH, 0x880AF380u);        /* msr msplim, r0 */
    put32(rom + ROM_LAUNCH + 4, 0x8808F381u);    /* msr msp, r1 */
    put16(rom + ROM_LAUNCH + 8, 0x4710);         /* bx r2 */
    put16(rom + ROM_CORE0_DEAD, 0xBF30);         /* wfi */
    put16(rom + ROM_CORE0_DEAD + 2, 0xE7FD);     /* b ROM_CORE0_DEAD */
    put16(rom + ROM_CORE1_DEAD, 0xBF30);         /* wfi */
    put16(rom + ROM_CORE1_DEAD + 2, 0xE7FD);
}

/* the chip access, shortened */
static uint32_t reg(bootrom_dev *r, int core, int n) { return r->chip.reg(r->chip.ctx, core, n); }
static void set_reg(bootrom_dev *r, int core, int n, uint32_t v)
{
    r->chip.set_reg(r->chip.ctx, core, n, v);
}
static int bus_read(bootrom_dev *r, uint32_t addr, uint32_t *v)
{
    return r->chip.read32(r->chip.ctx, addr, v);
}
static void bus_write(bootrom_dev *r, uint32_t addr, uint32_t v)
{
    r->chip.write32(r->chip.ctx, addr, v);
}

static void lookup_hook(bootrom_dev *r, int core)
{
    uint32_t code = reg(r, core, BOOT_REG_R0) & 0xFFFF, mask = reg(r, core, BOOT_REG_R1);
    uint32_t result = 0;
    if (code == CODE('R', 'B') && (mask & RT_FLAG_FUNC_ARM_SEC)) result = ROM_REBOOT | 1;
    if (!result) {
        static uint32_t warned[64];
        static int nwarned;
        int seen = 0;
        for (int i = 0; i < nwarned; i++) seen |= warned[i] == (code | mask << 16);
        if (!seen && nwarned < 64) {
            warned[nwarned++] = code | mask << 16;
            sim_warn("ROM table lookup of '%c%c' (code 0x%04x, mask 0x%x): the virtual boot ROM "
                     "only provides 'RB' (reboot) for Secure ARM code; returning NULL",
                     code & 0xFF, code >> 8, code, mask);
        }
    }
    set_reg(r, core, BOOT_REG_R0, result);
}

static void wd_write(bootrom_dev *r, uint32_t off, uint32_t v) { bus_write(r, WATCHDOG_BASE + off, v); }

/* The ROM sets SYSCFG AUXCTRL bit 0 before it starts the watchdog, so that
 * POWMAN leaves clk_ref and clk_pow does not glitch at the reset (ROM
 * varm_apis.c s_varm_hx_reboot). While SYSCFG is held in reset that write
 * is lost, and the firmware should have released it. */
static void set_clk_pow_guard(bootrom_dev *r)
{
    if (r->chip.reset_held(r->chip.ctx, RST_SYSCFG)) {
        sim_warn("ROM reboot: SYSCFG is held in reset, so the ROM's write to SYSCFG AUXCTRL (its "
                 "guard against a clk_pow glitch at the watchdog reset, varm_apis.c) is lost: "
                 "release SYSCFG from reset at start-up, as the SDK's runtime_init_early_resets "
                 "does");
        return;
    }
    bus_write(r, SYSCFG_BASE + 0x2000 + SYSCFG_AUXCTRL, 1);
}

/* reboot(flags, delay_ms, p0, p1), as the ROM implements it (facts 14.3) */
static void reboot_hook(bootrom_dev *r, int core)
{
    uint32_t flags = reg(r, core, BOOT_REG_R0), delay_ms = reg(r, core, BOOT_REG_R1);
    uint32_t p0 = reg(r, core, BOOT_REG_R2), p1 = reg(r, core, BOOT_REG_R3);
    uint32_t type = flags & 0xF;
    if (type != 0 && type != 2 && type != 0xD) {
        sim_warn("ROM reboot type 0x%x (flags 0x%x) is not supported by the virtual boot ROM",
                 type, flags);
        set_reg(r, core, BOOT_REG_R0, (uint32_t)-5);   /* BOOTROM_ERROR_INVALID_ARG */
        return;
    }
    sim_info("ROM reboot requested by core %d: type %s, delay %u ms", core,
             type == 2 ? "BOOTSEL" : type == 0 ? "NORMAL" : "PC_SP", delay_ms);
    if (type == 0 && p0 != (uint32_t)-1)
        sim_warn("ROM reboot(NORMAL) with p0 = %d: the ROM records boot diagnostics for that "
                 "partition (varm_apis.c: diagnostic_partition_index = p0), but there is no "
                 "partition table; pass -1 (no partition), as picotool does", (int32_t)p0);
    wd_write(r, WATCHDOG_CTRL, 0);
    bus_write(r, PSM_BASE + PSM_WDSEL, PSM_ALL & ~1u);
    if (type == 0xD) {
        wd_write(r, WATCHDOG_SCRATCH0 + 16, BOOT_MAGIC);
        wd_write(r, WATCHDOG_SCRATCH0 + 20, p0 ^ (uint32_t)-BOOT_MAGIC);
        wd_write(r, WATCHDOG_SCRATCH0 + 24, p1);
        wd_write(r, WATCHDOG_SCRATCH0 + 28, p0);
    } else {
        wd_write(r, WATCHDOG_SCRATCH0 + 8, p0);
        wd_write(r, WATCHDOG_SCRATCH0 + 12, p1);
        wd_write(r, WATCHDOG_SCRATCH0 + 16, type == 0 ? 0 : BOOT_MAGIC);
        wd_write(r, WATCHDOG_SCRATCH0 + 20, BOOT_MAGIC ^ (uint32_t)-BOOT_MAGIC);
        wd_write(r, WATCHDOG_SCRATCH0 + 24, type);
        wd_write(r, WATCHDOG_SCRATCH0 + 28, BOOT_MAGIC);
    }
    wd_write(r, WATCHDOG_LOAD, delay_ms * 1000u);
    if (!tick_running(&r->wd_tick)) {
        bus_write(r, TICKS_BASE + 0xC * TICK_WATCHDOG + 4, 12);
        bus_write(r, TICKS_BASE + 0xC * TICK_WATCHDOG, 1);
    }
    set_clk_pow_guard(r);
    wd_write(r, WATCHDOG_CTRL, WATCHDOG_CTRL_ENABLE);
    if (flags & 0x100) {
        /* NO_RETURN_ON_SUCCESS: sleep until the watchdog fires */
        set_reg(r, core, BOOT_REG_LR, ROM_CORE0_DEAD | 1);
    }
    set_reg(r, core, BOOT_REG_R0, 0);
}

void bootrom_stub(bootrom_dev *r, int core, uint32_t addr)
{
    switch (addr) {
    case ROM_LOOKUP:
    case ROM_LOOKUP_ENTRY: lookup_hook(r, core); break;
    case ROM_REBOOT: reboot_hook(r, core); break;
    case ROM_CORE1_DEAD:
        if (core == 1 && r->chip.halt_forever(r->chip.ctx, 1))
            sim_info("core 1 returned from its entry function: it now sleeps in the ROM");
        break;
    default: break;
    }
}


/* ---- boot ---- */

static void launch_core0(bootrom_dev *r, uint32_t vtor, uint32_t sp, uint32_t splim, uint32_t pc)
{
    r->chip.set_vtor(r->chip.ctx, 0, vtor);
    set_reg(r, 0, BOOT_REG_R0, splim);
    set_reg(r, 0, BOOT_REG_R1, sp);
    set_reg(r, 0, BOOT_REG_R2, pc);
    set_reg(r, 0, BOOT_REG_LR, ROM_CORE0_DEAD | 1);
    set_reg(r, 0, BOOT_REG_SP, 0xF0000000u);
    set_reg(r, 0, BOOT_REG_PC, ROM_LAUNCH | 1);
    r->chip.start_core0(r->chip.ctx);
}

/* the blocks the ROM releases from reset on its way to a flash image */
static void rom_side_effects(bootrom_dev *r)
{
    /* varm_boot_path.c resets and releases TRNG and SHA256 (:184-186), TIMER0,
     * PADS_QSPI, IO_QSPI, IO_BANK0, PADS_BANK0 (:646-655) and releases
     * USBCTRL (:683); SYSINFO is out of reset on the flash boot path too
     * (erratum RP2350-E23 describes it being left in reset only on the
     * BOOTSEL path). Everything else, SYSCFG included, stays in reset. */
    uint32_t released = 1u << RST_TRNG | 1u << RST_SHA256 | 1u << RST_TIMER0 |
                        1u << RST_PADS_QSPI | 1u << RST_IO_QSPI | 1u << RST_IO_BANK0 |
                        1u << RST_PADS_BANK0 | 1u << RST_USBCTRL | 1u << RST_SYSINFO;
    bus_write(r, RESETS_BASE + 0x3000 + RESETS_RESET, released);
    /* QSPI pads: isolation removed (varm_boot_path.c) */
    for (int i = 0; i < 6; i++)
        bus_write(r, 0x40040000u + 0x3000 + 4 + 4 * (uint32_t)i, 1u << 8);
    r->chip.flash_exit_xip(r->chip.ctx);
    r->chip.qmi_boot_state(r->chip.ctx);
}

/* the watchdog scratch / POWMAN reboot requests (facts 14.3); 1 = handled */
static int reboot_request(bootrom_dev *r)
{
    uint32_t s[8], pb[4];
    for (int i = 0; i < 8; i++) s[i] = r->chip.scratch(r->chip.ctx, i);
    for (int i = 0; i < 4; i++) pb[i] = r->chip.powman_boot(r->chip.ctx, i);
    if (pb[0] == BOOT_MAGIC && pb[1] == (pb[3] ^ (uint32_t)-BOOT_MAGIC)) {
        sim_info("boot: POWMAN boot vector PC=0x%08x SP=0x%08x", pb[3], pb[2]);
        launch_core0(r, 0, pb[2], 0, pb[3]);
        r->chip.set_powman_boot(r->chip.ctx, 0, 0);
        return 1;
    }
    if (s[4] != BOOT_MAGIC || s[5] != (s[7] ^ (uint32_t)-BOOT_MAGIC)) return 0;
    r->chip.set_scratch(r->chip.ctx, 4, 0);   /* consumed */
    if (s[7] == BOOT_MAGIC) {
        if (s[6] == 2) {
            r->chip.enter_bootsel(r->chip.ctx);
            svc_stop(r->svc, STOP_DONE, SIM_EXIT_OK, "reboot to BOOTSEL requested by the firmware "
                     "(BOOTSEL flags 0x%x, activity GPIO %u): the board is now a USB boot "
                     "drive", s[2], s[3]);
            return 1;
        }
        if (s[6] != 0)
            sim_warn("boot: reboot type %u requested through the watchdog is not supported; "
                     "booting normally", s[6]);
        return 0;
    }
    sim_info("boot: watchdog vector PC=0x%08x SP=0x%08x", s[7], s[6]);
    rom_side_effects(r);
    launch_core0(r, r->chip.vtor(r->chip.ctx, 0), s[6], 0, s[7]);
    return 1;
}

static int boot_image_at(bootrom_dev *r, uint32_t base)
{
    uint32_t len;
    const uint8_t *win = r->chip.memory(r->chip.ctx, base, &len);
    boot_image img;
    char why[400];
    if (!bootrom_find_image(win, len, base, &img, why, sizeof(why))) {
        svc_stop(r->svc, STOP_FAULT, SIM_EXIT_FAULT, "boot failed: %s (the RP2350 boot ROM would "
                 "refuse to boot it and enter BOOTSEL mode)", why);
        return 0;
    }
    uint32_t vt = img.vector_table, sp, pc, splim = 0;
    if (img.has_entry) {
        pc = img.entry_pc;
        sp = img.entry_sp;
        splim = img.entry_sp_limit;
    } else {
        uint32_t v[2];
        if (!bus_read(r, vt, &v[0]) || !bus_read(r, vt + 4, &v[1])) return 0;
        sp = v[0];
        pc = v[1];
    }
    sim_info("boot: IMAGE_DEF at 0x%08x (type 0x%04x, %d block%s in loop), vector table 0x%08x: "
             "SP=0x%08x PC=0x%08x", img.block_addr, img.image_type, img.loop_blocks,
             img.loop_blocks == 1 ? "" : "s", vt, sp, pc);
    launch_core0(r, vt, sp, splim, pc);
    return 1;
}

int bootrom_boot(bootrom_dev *r)
{
    bootrom_core1_reset(r);
    if (reboot_request(r)) return r->chip.running(r->chip.ctx);
    rom_side_effects(r);
    uint32_t ram_image = r->chip.ram_image(r->chip.ctx);
    return boot_image_at(r, ram_image ? ram_image : SIM_XIP_BASE);
}

void bootrom_init(bootrom_dev *r, const board_services *svc)
{
    memset(r, 0, sizeof(*r));
    r->svc = svc;
}

/* ---- core 1 ROM wait loop ---- */

enum { C1_START = 0, C1_WAIT_CMD, C1_WAIT_VTOR, C1_WAIT_SP, C1_WAIT_ENTRY, C1_LAUNCH };

void bootrom_core1_reset(bootrom_dev *rom)
{
    core1_rom *r = &rom->c1;
    memset(r, 0, sizeof(*r));
    r->active = 1;
    r->step = C1_START;
    bootrom_core1_poll(rom);
}

void bootrom_core1_off(bootrom_dev *rom) { rom->c1.active = 0; }

static void send(core1_rom *r, uint32_t v)
{
    r->pending_send = v;
    r->have_send = 1;
}

void bootrom_core1_poll(bootrom_dev *rom)
{
    core1_rom *r = &rom->c1;
    const bootrom_chip *chip = &rom->chip;
    while (r->active) {
        if (r->have_send) {
            if (!chip->fifo_push(chip->ctx, 0, r->pending_send)) return;   /* wait for room */
            r->have_send = 0;
            chip->send_event(chip->ctx, 0);                               /* sev */
            if (r->step == C1_LAUNCH) {
                r->active = 0;
                chip->launch_core1(chip->ctx, r->vtor, r->sp, r->entry);
                return;
            }
        }
        uint32_t v;
        if (r->step == C1_START) {
            while (chip->fifo_pop(chip->ctx, 1, &v)) {}
            send(r, 0);
            r->step = C1_WAIT_CMD;
            continue;
        }
        if (!chip->fifo_pop(chip->ctx, 1, &v)) return;
        if (v == 0) {   /* a 0 at any point restarts the handshake */
            r->step = C1_START;
            continue;
        }
        switch (r->step) {
        case C1_WAIT_CMD:
            if (v != 1) {
                r->step = C1_START;
                continue;
            }
            r->step = C1_WAIT_VTOR;
            break;
        case C1_WAIT_VTOR: r->vtor = v; r->step = C1_WAIT_SP; break;
        case C1_WAIT_SP: r->sp = v; r->step = C1_WAIT_ENTRY; break;
        case C1_WAIT_ENTRY: r->entry = v; r->step = C1_LAUNCH; break;
        default: break;
        }
        send(r, v);
    }
}
