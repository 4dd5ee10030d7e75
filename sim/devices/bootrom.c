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
#include "regs/gpio.h"
#include "regs/misc.h"
#include "regs/qmi.h"
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
/* the ROM table's functions (native, each a bx lr the block hook runs) */
#define ROM_STATE_RESET 0x7F40u    /* 'SR' */
#define ROM_GET_SYS_INFO 0x7F44u   /* 'GS' */
#define ROM_CONNECT_FLASH 0x7F48u  /* 'IF' */
#define ROM_EXIT_XIP 0x7F4Cu       /* 'EX' */
#define ROM_RANGE_ERASE 0x7F50u    /* 'RE' */
#define ROM_RANGE_PROGRAM 0x7F54u  /* 'RP' */
#define ROM_FLUSH_CACHE 0x7F58u    /* 'FC' */
#define ROM_ENTER_CMD_XIP 0x7F5Cu  /* 'CX' */
#define ROM_SELECT_XIP_MODE 0x7F60u /* 'XM' */
#define ROM_RESET_ATRANS 0x7F64u   /* 'RA' */
/* data the table points at (outside the stubs) */
#define ROM_DATA_DEVINFO_PTR 0x7F80u  /* 'FD': the address of BOOTRAM's FLASH_DEVINFO */
#define ROM_DATA_XIP_SETUP_PTR 0x7F84u /* 'XF': the address of the XIP setup function */

#define CODE(a, b) ((uint32_t)(a) | (uint32_t)(b) << 8)
/* ROM table entry flags (SDK boot/bootrom_constants.h RT_FLAG_*) */
#define RT_FLAG_FUNC_ARM_SEC 0x0004u
#define RT_FLAG_DATA 0x0040u

/* BOOTRAM as the ROM lays it out (ROM src/main/native/bootram.h; the
 * "always" part is the last BOOTRAM_ALWAYS_SIZE = 0xd8 bytes, CMakeLists.txt) */
#define BR_XIP_SETUP 0x000u        /* runtime.xip_setup_code */
#define BR_ALWAYS 0x328u
#define BR_BOOT_RANDOM (BR_ALWAYS + 0x00)   /* 4 words */
#define BR_FLASH_DEVINFO (BR_ALWAYS + 0x14) /* zero_init.flash_devinfo (16 bits) */
#define BR_REBOOT_PARAMS (BR_ALWAYS + 0x18) /* zero_init.reboot_params, 2 words */
#define BR_BOOT_WORD (BR_ALWAYS + 0x30)     /* diag. partition, boot_type, recent boot */
#define BR_BOOT_DIAGNOSTIC (BR_ALWAYS + 0x34)

/* FLASH_DEFAULT_DEVINFO (ROM native_generic_flash.h): CS0 16 MB, no CS1 */
#define FLASH_DEFAULT_DEVINFO 0x0C00u
#define BOOT_TYPE_NORMAL 0
#define BOOT_TYPE_RAM_IMAGE 3
#define BOOT_TYPE_PC_SP 0xD
/* the ROM's serial clock divisor for its own flash commands
 * (BOOTROM_SPI_CLKDIV_DEFAULT, native_generic_flash.h) */
#define ROM_SPI_CLKDIV 12u

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

/* the ROM table: code, flags, then one hword per flag bit set (lowest
 * first); a zero code ends it (ROM rom_table.S) */
static const struct {
    uint16_t code, flags, value;
} rom_table[] = {
    {CODE('S', 'R'), RT_FLAG_FUNC_ARM_SEC, ROM_STATE_RESET | 1},
    {CODE('G', 'S'), RT_FLAG_FUNC_ARM_SEC, ROM_GET_SYS_INFO | 1},
    {CODE('R', 'B'), RT_FLAG_FUNC_ARM_SEC, ROM_REBOOT | 1},
    {CODE('I', 'F'), RT_FLAG_FUNC_ARM_SEC, ROM_CONNECT_FLASH | 1},
    {CODE('R', 'A'), RT_FLAG_FUNC_ARM_SEC, ROM_RESET_ATRANS | 1},
    {CODE('E', 'X'), RT_FLAG_FUNC_ARM_SEC, ROM_EXIT_XIP | 1},
    {CODE('R', 'E'), RT_FLAG_FUNC_ARM_SEC, ROM_RANGE_ERASE | 1},
    {CODE('R', 'P'), RT_FLAG_FUNC_ARM_SEC, ROM_RANGE_PROGRAM | 1},
    {CODE('F', 'C'), RT_FLAG_FUNC_ARM_SEC, ROM_FLUSH_CACHE | 1},
    {CODE('C', 'X'), RT_FLAG_FUNC_ARM_SEC, ROM_ENTER_CMD_XIP | 1},
    {CODE('X', 'M'), RT_FLAG_FUNC_ARM_SEC, ROM_SELECT_XIP_MODE | 1},
    {CODE('X', 'F'), RT_FLAG_DATA, ROM_DATA_XIP_SETUP_PTR},
    {CODE('F', 'D'), RT_FLAG_DATA, ROM_DATA_DEVINFO_PTR},
};

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
    put16(rom + 0x14, BOOTROM_TABLE);            /* ROM table base */
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
    uint8_t *t = rom + BOOTROM_TABLE;
    for (size_t i = 0; i < sizeof(rom_table) / sizeof(rom_table[0]); i++, t += 6) {
        put16(t, rom_table[i].code);
        put16(t + 2, rom_table[i].flags);
        put16(t + 4, rom_table[i].value);
        if (rom_table[i].flags & RT_FLAG_FUNC_ARM_SEC)
            put16(rom + (rom_table[i].value & ~1u), 0x4770);   /* bx lr */
    }
    put16(t, 0);                                 /* end of table */
    put32(rom + ROM_DATA_DEVINFO_PTR, BOOTRAM_BASE + BR_FLASH_DEVINFO);
    put32(rom + ROM_DATA_XIP_SETUP_PTR, BOOTRAM_BASE + BR_XIP_SETUP);
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

static uint32_t rom_hword(bootrom_dev *r, uint32_t addr)
{
    uint32_t w = 0;
    bus_read(r, addr & ~3u, &w);
    return (w >> ((addr & 2) * 8)) & 0xFFFF;
}

/* rom_table_lookup as arm8_table_lookup_entry does it (ROM
 * arm8_bootrom_rt0.S): the entry with this code whose flags share a bit with
 * the mask; the address of the hword for the lowest such bit (one hword per
 * flag bit set, lowest first); 0 when there is none */
static uint32_t table_entry(bootrom_dev *r, uint32_t code, uint32_t mask)
{
    for (uint32_t e = BOOTROM_TABLE;; ) {
        uint32_t c = rom_hword(r, e), flags = rom_hword(r, e + 2);
        if (c == 0) return 0;
        if (c == code && (flags & mask)) {
            uint32_t first = flags & mask & -(flags & mask), at = e + 4;
            for (uint32_t bit = 1; bit < first; bit <<= 1)
                if (flags & bit) at += 2;
            return at;
        }
        uint32_t n = 0;
        for (uint32_t f = flags; f; f &= f - 1) n++;
        e += 4 + 2 * n;
    }
}

static void warn_missing(uint32_t code, uint32_t mask)
{
    static uint32_t warned[64];
    static int nwarned;
    for (int i = 0; i < nwarned; i++)
        if (warned[i] == (code | mask << 16)) return;
    if (nwarned < 64) warned[nwarned++] = code | mask << 16;
    sim_warn("ROM table lookup of '%c%c' (code 0x%04x, mask 0x%x): not in the virtual boot ROM's "
             "table (it holds Secure ARM functions and data only); returning 0 as the ROM does "
             "for a code it lacks", code & 0xFF, code >> 8, code, mask);
}

/* 0x16 (rom_table_lookup_val): the hword value, 0 if none ("the first
 * halfword of ROM is 0, so NULLs propagate"); 0x18 (..._entry): the
 * address of that hword */
static void lookup_hook(bootrom_dev *r, int core, int want_value)
{
    uint32_t code = reg(r, core, BOOT_REG_R0) & 0xFFFF, mask = reg(r, core, BOOT_REG_R1);
    uint32_t at = table_entry(r, code, mask);
    if (!at) warn_missing(code, mask);
    set_reg(r, core, BOOT_REG_R0, want_value ? rom_hword(r, at) : at);
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

/* ---- the ROM table's functions ---- */

#define BOOTROM_ERROR_BAD_ALIGNMENT (-11)
#define BOOTROM_ERROR_BUFFER_TOO_SMALL (-13)
#define BOOTROM_STATE_RESET_GLOBAL_STATE 0x4u
#define BOOTROM_API_CALLBACK_COUNT 1u

/* bootrom_state_reset(flags) (ROM varm_apis.c
 * s_varm_step_safe_api_crit_bootrom_state_reset): GLOBAL_STATE frees the
 * eight boot locks (a write to each BOOTLOCKn) and clears the NS API
 * permissions and callbacks, and the function then returns
 * BOOTROM_API_CALLBACK_COUNT (its loop counter); otherwise it returns its
 * argument. CURRENT_CORE does nothing on ARM; OTHER_CORE only touches
 * RISC-V state. */
static void state_reset_hook(bootrom_dev *r, int core)
{
    uint32_t flags = reg(r, core, BOOT_REG_R0), ret = flags;
    if (flags & BOOTROM_STATE_RESET_GLOBAL_STATE) {
        for (uint32_t i = 0; i < BOOTRAM_BOOTLOCK_COUNT; i++)
            bus_write(r, BOOTRAM_BASE + BOOTRAM_BOOTLOCK0 + 4 * i, 0);
        ret = BOOTROM_API_CALLBACK_COUNT;
    }
    set_reg(r, core, BOOT_REG_R0, ret);
}

static uint32_t bootram_word(bootrom_dev *r, uint32_t off)
{
    uint32_t v = 0;
    bus_read(r, BOOTRAM_BASE + off, &v);
    return v;
}

/* get_sys_info(buffer, words, flags) (ROM varm_apis.c s_varm_api_get_sys_info):
 * word 0 = the flags it supports of those asked, then per flag, lowest
 * first: CHIP_INFO 3 words (SYSINFO PACKAGE_SEL, the 64-bit chip id from OTP
 * CHIPID0-3), CRITICAL 1 (OTP CRITICAL), CPU_INFO 1 (0: ARM), FLASH_DEV_INFO
 * 1, BOOT_RANDOM 4, BOOT_INFO 4 (boot word, diagnostic, reboot p0, p1).
 * Returns the words written; -BAD_ALIGNMENT for an unaligned buffer;
 * -BUFFER_TOO_SMALL when the next item does not fit (what fits is written). */
static void get_sys_info_hook(bootrom_dev *r, int core)
{
    uint32_t buf = reg(r, core, BOOT_REG_R0), size = reg(r, core, BOOT_REG_R1);
    uint32_t flags = reg(r, core, BOOT_REG_R2) & 0x5Fu;   /* no NONCE: FEATURE_EXEC2 is off */
    if (buf & 3) {
        set_reg(r, core, BOOT_REG_R0, (uint32_t)BOOTROM_ERROR_BAD_ALIGNMENT);
        return;
    }
    uint32_t out[16], lens[8], n_items = 0, n = 0;
    out[n++] = flags;
    lens[n_items++] = 1;
    uint32_t otp0 = 0, otp1 = 0, v = 0;
    if (flags & 0x01) {
        bus_read(r, SYSINFO_BASE + SYSINFO_PACKAGE_SEL, &v);
        out[n++] = v;
        lens[n_items++] = 1;
        bus_read(r, OTP_DATA_BASE, &otp0);        /* CHIPID0, CHIPID1 */
        bus_read(r, OTP_DATA_BASE + 4, &otp1);    /* CHIPID2, CHIPID3 */
        out[n++] = otp0;
        out[n++] = otp1;
        lens[n_items++] = 2;
    }
    if (flags & 0x02) {
        bus_read(r, OTP_BASE + OTP_CRITICAL, &v);
        out[n++] = v;
        lens[n_items++] = 1;
    }
    if (flags & 0x04) {
        out[n++] = 0;                              /* OTP ARCHSEL: this core is ARM */
        lens[n_items++] = 1;
    }
    if (flags & 0x08) {
        out[n++] = bootram_word(r, BR_FLASH_DEVINFO & ~3u) & 0xFFFF;
        lens[n_items++] = 1;
    }
    if (flags & 0x10) {
        for (uint32_t i = 0; i < 4; i++) out[n++] = bootram_word(r, BR_BOOT_RANDOM + 4 * i);
        lens[n_items++] = 4;
    }
    if (flags & 0x40) {
        out[n++] = bootram_word(r, BR_BOOT_WORD);
        out[n++] = bootram_word(r, BR_BOOT_DIAGNOSTIC);
        lens[n_items++] = 2;
        out[n++] = bootram_word(r, BR_REBOOT_PARAMS);
        out[n++] = bootram_word(r, BR_REBOOT_PARAMS + 4);
        lens[n_items++] = 2;
    }
    uint32_t dest = 0;
    for (uint32_t i = 0; i < n_items; i++) {
        if (dest + lens[i] > size) {
            set_reg(r, core, BOOT_REG_R0, (uint32_t)BOOTROM_ERROR_BUFFER_TOO_SMALL);
            return;
        }
        for (uint32_t k = 0; k < lens[i]; k++, dest++) bus_write(r, buf + 4 * dest, out[dest]);
    }
    set_reg(r, core, BOOT_REG_R0, dest);
}

/* connect_internal_flash() (ROM varm_generic_flash.c
 * s_varm_api_crit_connect_internal_flash): IO_QSPI and PADS_QSPI reset and
 * released, 3.3 V pads (OTP BOOT_FLAGS0 is blank), the six QSPI pins' CTRL
 * back to 0 (the XIP function), pad isolation removed. (No CS1 GPIO: OTP
 * FLASH_DEVINFO is not enabled.) */
static void connect_internal_flash(bootrom_dev *r)
{
    uint32_t blocks = 1u << RST_IO_QSPI | 1u << RST_PADS_QSPI, done = 0;
    bus_write(r, RESETS_BASE + 0x2000 + RESETS_RESET, blocks);
    bus_write(r, RESETS_BASE + 0x3000 + RESETS_RESET, blocks);
    bus_read(r, RESETS_BASE + RESETS_RESET_DONE, &done);
    bus_write(r, PADS_QSPI_BASE, 0);                           /* VOLTAGE_SELECT */
    for (uint32_t i = 0; i < 6; i++) bus_write(r, IO_QSPI_BASE + 0x14 + 8 * i, 0);
    for (uint32_t i = 0; i < 6; i++)
        bus_write(r, PADS_QSPI_BASE + 0x3000 + 4 + 4 * i, 1u << 8);   /* ISO cleared */
}

/* flash_select_xip_read_mode(mode, clkdiv) (varm_generic_flash.c): direct
 * mode off with the divisor, and both windows' TIMING, RFMT and RCMD for
 * one of four serial command read modes (bootrom_xip_mode_cfgs) */
static void select_xip_read_mode(bootrom_dev *r, uint32_t mode, uint32_t clkdiv)
{
    static const uint32_t rfmt[4] = {
        0x00001000u,      /* 03h serial: PREFIX_LEN 8 */
        0x00021000u,      /* 0Bh serial, 8 dummy bits */
        0x00009154u,      /* BBh dual I/O, 8-bit suffix (mode 00h) */
        0x000492A8u,      /* EBh quad I/O, 8-bit suffix, 16 dummy bits */
    };
    static const uint32_t rcmd[4] = {0x03, 0x0B, 0xBB, 0xEB};
    if (mode > 3) {
        sim_warn("ROM flash_select_xip_read_mode: mode %u does not exist (0-3)", mode);
        mode &= 3;   /* the ROM indexes its table without a check */
    }
    uint32_t timing = clkdiv | 1u << 30 | 2u << 28 | 7u << 12 | 2u << 8;
    bus_write(r, QMI_BASE + QMI_DIRECT_CSR, clkdiv << QMI_CSR_CLKDIV_LSB);
    for (uint32_t i = 0; i < 2; i++) {
        uint32_t m = QMI_BASE + QMI_M0_TIMING + QMI_M_STRIDE * i;
        bus_write(r, m, timing);
        bus_write(r, m + 4, rfmt[mode]);
        bus_write(r, m + 8, rcmd[mode]);
    }
}

/* flash_reset_address_trans() (varm_generic_flash.c): ATRANS0-7 to the
 * identity map, 16 MB per chip select */
static void reset_address_trans(bootrom_dev *r)
{
    for (uint32_t i = 0; i < QMI_ATRANS_COUNT; i++)
        bus_write(r, QMI_BASE + QMI_ATRANS0 + 4 * i, 0x400u << 16 | (i & 3) * 0x400u);
}

/* clk_sys cycles a serial transfer of n bytes takes at the ROM's divisor */
static uint32_t spi_cycles(uint32_t n) { return n * 8 * ROM_SPI_CLKDIV; }

static void flash_cmd(bootrom_dev *r, int core, const uint8_t *tx, uint32_t ntx, uint8_t *rx,
                      uint32_t nrx)
{
    r->chip.flash_xfer(r->chip.ctx, tx, ntx, rx, nrx);
    r->chip.stall(r->chip.ctx, core, spi_cycles(ntx + nrx));
}

/* flash_exit_xip() (varm_generic_flash.c s_varm_api_crit_flash_exit_xip):
 * enter_cmd_xip's QMI setup, then the exit sequence (two 32-clock bursts
 * with the pads pulled, QPI exit F5h, 16 ones, FFh) that leaves the flash
 * taking serial commands, and the pads as it leaves them: SD0/SD1 pulled
 * down, SD2/SD3 (WP#/HOLD#) pulled up. Time: the two 50 us-at-23 MHz pull
 * delays and the sequence's clocks. */
static void flash_exit_xip(bootrom_dev *r, int core)
{
    select_xip_read_mode(r, 0, ROM_SPI_CLKDIV);
    r->chip.flash_exit_xip(r->chip.ctx);
    uint32_t sd0 = 0;
    bus_read(r, PADS_QSPI_BASE + PADS_QSPI_SD0, &sd0);
    const uint32_t od = 1u << 7, pue = 1u << 3, pde = 1u << 2;
    uint32_t low = (sd0 & ~(pue | od)) | pde, high = (sd0 & ~(pue | od | pde)) | pue;
    for (uint32_t i = 0; i < 4; i++)
        bus_write(r, PADS_QSPI_BASE + PADS_QSPI_SD0 + 4 * i, i < 2 ? low : high);
    r->chip.stall(r->chip.ctx, core, 2 * 50 * 23 + spi_cycles(4 + 4 + 1 + 2 + 1));
}

/* the ROM polls the status register until BUSY clears
 * (s_varm_flash_wait_ready); each poll is a 2-byte transfer */
static void flash_wait_ready(bootrom_dev *r, int core)
{
    static const uint8_t rdsr = 0x05;
    for (uint32_t polls = 0;; polls++) {
        uint8_t st = 0;
        flash_cmd(r, core, &rdsr, 1, &st, 1);
        if (!(st & 1)) return;
        if (polls > 100000000u) {   /* 19 s of polls: not a real flash any more */
            sim_warn("ROM flash function: the flash stays busy; giving up");
            return;
        }
    }
}

/* write enable, then cmd + 24-bit offset (+ data), then wait for the
 * flash (s_varm_flash_erase_or_program) */
static void flash_write_op(bootrom_dev *r, int core, uint8_t cmd, uint32_t offset,
                           const uint8_t *data, uint32_t n)
{
    static const uint8_t wren = 0x06;
    uint8_t tx[4 + 256] = {cmd, (uint8_t)(offset >> 16), (uint8_t)(offset >> 8), (uint8_t)offset};
    flash_cmd(r, core, &wren, 1, NULL, 0);
    if (n) memcpy(tx + 4, data, n);
    flash_cmd(r, core, tx, 4 + n, NULL, 0);
    flash_wait_ready(r, core);
}

/* the ROM's flash functions reach CS0 only here (offsets from 16 MB are CS1) */
static int flash_offset_ok(uint32_t offset, const char *fn)
{
    if (offset < (1u << 24)) return 1;
    sim_warn("ROM %s at flash offset 0x%08x: chip select 1 is not reachable through the virtual "
             "boot ROM; ignored", fn, offset);
    return 0;
}

/* flash_range_erase(offset, count, block_size, block_cmd)
 * (s_varm_api_flash_range_erase): block_cmd where a whole aligned block
 * fits, else 4 KB sector erases (20h) */
static void flash_range_erase_hook(bootrom_dev *r, int core)
{
    uint32_t offset = reg(r, core, BOOT_REG_R0), count = reg(r, core, BOOT_REG_R1);
    uint32_t block_size = reg(r, core, BOOT_REG_R2), block_cmd = reg(r, core, BOOT_REG_R3) & 0xFF;
    uint32_t goal = offset + count;
    while (offset < goal) {
        if (!flash_offset_ok(offset, "flash_range_erase")) return;
        if (block_size && !(offset & (block_size - 1)) && goal - offset >= block_size) {
            flash_write_op(r, core, (uint8_t)block_cmd, offset, NULL, 0);
            offset += block_size;
        } else {
            flash_write_op(r, core, 0x20, offset, NULL, 0);
            offset += 4096;
        }
    }
}

/* flash_range_program(offset, data, count) (s_varm_api_flash_range_program):
 * 256-byte page programs (02h) from the caller's buffer */
static void flash_range_program_hook(bootrom_dev *r, int core)
{
    uint32_t offset = reg(r, core, BOOT_REG_R0), data = reg(r, core, BOOT_REG_R1);
    uint32_t goal = offset + reg(r, core, BOOT_REG_R2);
    for (; offset < goal; offset += 256, data += 256) {
        if (!flash_offset_ok(offset, "flash_range_program")) return;
        uint8_t page[256];
        for (uint32_t i = 0; i < 256; i += 4) {
            uint32_t w = 0;
            bus_read(r, data + i, &w);
            memcpy(page + i, &w, 4);
        }
        flash_write_op(r, core, 0x02, offset, page, 256);
    }
}

/* flash_flush_cache() (ROM varm_misc.S s_varm_api_crit_flash_flush_cache_impl):
 * invalidate by set/way over the whole XIP cache, a byte store per 8-byte
 * line to the maintenance window's top 16 KB, by the calling core. (The
 * SDK's comment: it also removes the CSn force; the QMI has none set.) */
static void flash_flush_cache(bootrom_dev *r, int core)
{
    const uint32_t base = 0x1BFFC000u;   /* XIP_MAINTENANCE_BASE + XIP_SRAM_BASE - XIP_BASE */
    for (uint32_t off = 0x4000 - 8;; off -= 8) {
        r->chip.core_write(r->chip.ctx, core, base + off, 1, off);
        if (!off) break;
    }
}

void bootrom_stub(bootrom_dev *r, int core, uint32_t addr)
{
    switch (addr) {
    case ROM_LOOKUP: lookup_hook(r, core, 1); break;
    case ROM_LOOKUP_ENTRY: lookup_hook(r, core, 0); break;
    case ROM_REBOOT: reboot_hook(r, core); break;
    case ROM_STATE_RESET: state_reset_hook(r, core); break;
    case ROM_GET_SYS_INFO: get_sys_info_hook(r, core); break;
    case ROM_CONNECT_FLASH: connect_internal_flash(r); break;
    case ROM_EXIT_XIP: flash_exit_xip(r, core); break;
    case ROM_RANGE_ERASE: flash_range_erase_hook(r, core); break;
    case ROM_RANGE_PROGRAM: flash_range_program_hook(r, core); break;
    case ROM_FLUSH_CACHE: flash_flush_cache(r, core); break;
    case ROM_ENTER_CMD_XIP: select_xip_read_mode(r, 0, ROM_SPI_CLKDIV); break;
    case ROM_SELECT_XIP_MODE:
        select_xip_read_mode(r, reg(r, core, BOOT_REG_R0), reg(r, core, BOOT_REG_R1) & 0xFF);
        break;
    case ROM_RESET_ATRANS: reset_address_trans(r); break;
    case ROM_CORE1_DEAD:
        if (core == 1 && r->chip.halt_forever(r->chip.ctx, 1))
            sim_info("core 1 returned from its entry function: it now sleeps in the ROM");
        break;
    default: break;
    }
}


/* ---- boot ---- */

/* what the ROM leaves in BOOTRAM for the image it launches
 * (arm8_bootrom_rt0.S, varm_boot_path.c): at offset 0 the default XIP setup
 * function, the rest below the "always" area cleared (varm_misc.S
 * s_native_default_xip_setup: adr r2, 1f; ldr r0,
 * [r2, #4]; ldr r1, [r2, #8]; ldrh r2, [r2, #2]; 1: bx r2; .hword
 * flash_select_xip_read_mode+1) and its two arguments, the XIP mode found at
 * boot (EBh quad, CLKDIV 3: rp2350-facts.md 2.4); FLASH_DEVINFO as the ROM
 * defaults it (OTP FLASH_DEVINFO not enabled); the boot word (no partition,
 * the boot type). Boot random and diagnostics stay 0 (not modelled). */
static void leave_boot_state(bootrom_dev *r, uint32_t boot_type)
{
    static const uint32_t xip_setup[5] = {
        0x6850A201u,                           /* adr r2, 1f; ldr r0, [r2, #4] */
        0x88526891u,                           /* ldr r1, [r2, #8]; ldrh r2, [r2, #2] */
        (uint32_t)(ROM_SELECT_XIP_MODE | 1) << 16 | 0x4710u,   /* bx r2; .hword fn */
        3,                                     /* mode: BOOTROM_XIP_MODE_EBH_QUAD */
        3,                                     /* clkdiv */
    };
    for (uint32_t off = 0; off < BR_ALWAYS; off += 4) bus_write(r, BOOTRAM_BASE + off, 0);
    for (uint32_t i = 0; i < 5; i++) bus_write(r, BOOTRAM_BASE + BR_XIP_SETUP + 4 * i, xip_setup[i]);
    bus_write(r, BOOTRAM_BASE + BR_FLASH_DEVINFO, FLASH_DEFAULT_DEVINFO);   /* + autovarm, pad: 0 */
    bus_write(r, BOOTRAM_BASE + BR_REBOOT_PARAMS, 0);
    bus_write(r, BOOTRAM_BASE + BR_REBOOT_PARAMS + 4, 0);
    bus_write(r, BOOTRAM_BASE + BR_BOOT_WORD, 0x00FF00FFu | boot_type << 8);
    bus_write(r, BOOTRAM_BASE + BR_BOOT_DIAGNOSTIC, 0);
}

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
        leave_boot_state(r, BOOT_TYPE_PC_SP);
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
    leave_boot_state(r, BOOT_TYPE_PC_SP);
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
    leave_boot_state(r, base == SIM_XIP_BASE ? BOOT_TYPE_NORMAL : BOOT_TYPE_RAM_IMAGE);
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
