/* test_bootrom_api.c - the virtual boot ROM's table and functions as SDK
 * firmware calls them (sim/devices/bootrom.c), on a whole board without
 * guest code: the function runs natively as when a core enters its stub,
 * with its arguments in core 0's registers. Also a write to the ROM through
 * the bus (ignored, reported once). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bootrom.h"
#include "log.h"
#include "machine.h"
#include "regs/misc.h"

#define CODE(a, b) ((uint32_t)(a) | (uint32_t)(b) << 8)
#define ROM_LOOKUP_VAL 0x7F00u     /* what the well-known pointer at 0x16 points at */
#define ROM_LOOKUP_ENTRY 0x7F04u   /* ... at 0x18 */
#define BUF 0x20010000u            /* a buffer in SRAM */

static machine m;
static char log_path[64];

static int setup(void **state)
{
    (void)state;
    snprintf(log_path, sizeof(log_path), "/tmp/test_bootrom_api.XXXXXX");
    int fd = mkstemp(log_path);
    if (fd < 0) return -1;
    close(fd);
    sim_log_set_level(SIM_LOG_QUIET);
    if (!sim_log_open(log_path)) return -1;
    if (!machine_init(&m, board_find("pico2"), &(machine_config){0})) return -1;
    /* a minimal flash image: vector table, one IMAGE_DEF block (EXE, Secure
     * ARM, RP2350) looping to itself; the board boots it as silicon would */
    const uint32_t image[] = {0x20082000u, 0x10000101u};
    const uint32_t block[] = {0xFFFFDED3u, 0x10210142u, 0x000001FFu, 0, 0xAB123579u};
    memcpy(m.flash, image, sizeof(image));
    memcpy(m.flash + 0x100, block, sizeof(block));
    if (!machine_reset(&m, 1)) return -1;
    m.cur_core = 0;   /* the ROM functions run on core 0, whose time then advances */
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    machine_free(&m);
    sim_log_close();
    unlink(log_path);
    return 0;
}

/* how many times text was logged so far */
static int logged(const char *text)
{
    FILE *f = fopen(log_path, "r");
    assert_non_null(f);
    char line[1024];
    int n = 0;
    while (fgets(line, sizeof(line), f))
        if (strstr(line, text)) n++;
    fclose(f);
    return n;
}

static uint32_t rd(uint32_t addr)
{
    uint32_t v = 0;
    if (!bus_master_read(&m.bus, BUS_MASTER_SIM, addr, 4, &v)) fail_msg("%s", m.stop_msg);
    return v;
}

static void wr(uint32_t addr, uint32_t v) { assert_true(bus_master_write(&m.bus, BUS_MASTER_SIM, addr, 4, v)); }

/* calls the ROM function at addr (Thumb bit ignored) with up to four
 * arguments; returns r0 */
static uint32_t rom_call(uint32_t addr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    bootrom_chip *c = &m.bootrom.chip;
    c->set_reg(c->ctx, 0, BOOT_REG_R0, a0);
    c->set_reg(c->ctx, 0, BOOT_REG_R1, a1);
    c->set_reg(c->ctx, 0, BOOT_REG_R2, a2);
    c->set_reg(c->ctx, 0, BOOT_REG_R3, a3);
    bootrom_stub(&m.bootrom, 0, addr & ~1u);
    return c->reg(c->ctx, 0, BOOT_REG_R0);
}

/* rom_func_lookup as the SDK does it: through the hword pointer at 0x16 */
static uint32_t lookup(uint32_t code, uint32_t mask)
{
    uint32_t fn = rd(0x14) >> 16;
    assert_int_equal(fn & ~1u, ROM_LOOKUP_VAL);
    return rom_call(fn, code, mask, 0, 0);
}

static void lookup_finds_functions_and_data(void **state)
{
    (void)state;
    static const char *funcs[] = {"SR", "GS", "RB", "IF", "EX", "RE", "RP", "FC", "CX", "XM", "RA"};
    for (size_t i = 0; i < sizeof(funcs) / sizeof(funcs[0]); i++) {
        uint32_t f = lookup(CODE(funcs[i][0], funcs[i][1]), 0x4);
        assert_true(f & 1);                                   /* Thumb */
        assert_in_range(f & ~1u, BOOTROM_STUBS_START, BOOTROM_STUBS_END - 1);
    }
    /* a data entry answers the data mask only, as the ROM's flag match does */
    assert_int_equal(lookup(CODE('F', 'D'), 0x4), 0);
    uint32_t p = lookup(CODE('F', 'D'), 0x40);
    assert_int_equal(rd(p), BOOTRAM_BASE + 0x33C);           /* always.zero_init.flash_devinfo */
    /* the entry form (0x18) returns where the value is stored */
    uint32_t entry = rom_call(ROM_LOOKUP_ENTRY, CODE('R', 'E'), 0x4, 0, 0);
    assert_int_equal((rd(entry & ~3u) >> ((entry & 2) * 8)) & 0xFFFF, lookup(CODE('R', 'E'), 0x4));
}

/* what the boot left in BOOTRAM: the XIP setup function SDK flash code copies
 * and calls to get XIP back (flash_init_boot2_copyout), pointed to by 'XF' */
static void boot_leaves_the_xip_setup_function(void **state)
{
    (void)state;
    uint32_t xf = rd(lookup(CODE('X', 'F'), 0x40));
    assert_int_equal(xf, BOOTRAM_BASE);
    assert_int_equal(rd(xf), 0x6850A201u);                       /* adr r2, 1f; ldr r0, [r2, #4] */
    assert_int_equal(rd(xf + 8) >> 16, lookup(CODE('X', 'M'), 0x4));   /* tail-calls XM */
    assert_int_equal(rd(xf + 12), 3);                             /* EBh quad */
    assert_int_equal(rd(xf + 16), 3);                             /* CLKDIV 3 */
}

static void lookup_of_an_unknown_code_returns_0_with_a_warning(void **state)
{
    (void)state;
    int before = logged("'ZQ'");
    assert_int_equal(lookup(CODE('Z', 'Q'), 0x4), 0);
    assert_int_equal(rom_call(ROM_LOOKUP_ENTRY, CODE('Z', 'Q'), 0x4, 0, 0), 0);
    assert_int_equal(logged("'ZQ'"), before + 1);           /* warned once */
    /* a known code with a flag the table does not hold (RISC-V) */
    assert_int_equal(lookup(CODE('R', 'E'), 0x1), 0);
}

static void state_reset_frees_the_boot_locks(void **state)
{
    (void)state;
    const uint32_t lock7 = BOOTRAM_BASE + BOOTRAM_BOOTLOCK0 + 7 * 4;
    assert_int_equal(rd(lock7), 0x80);     /* claimed */
    assert_int_equal(rd(lock7), 0);        /* already claimed */
    uint32_t sr = lookup(CODE('S', 'R'), 0x4);
    /* BOOTROM_STATE_RESET_CURRENT_CORE (1): nothing on ARM, returns its argument */
    assert_int_equal(rom_call(sr, 0x1, 0, 0, 0), 0x1);
    assert_int_equal(rd(lock7), 0);
    /* GLOBAL_STATE (4): all locks freed; returns BOOTROM_API_CALLBACK_COUNT (1) */
    assert_int_equal(rom_call(sr, 0x4, 0, 0, 0), 1);
    assert_int_equal(rd(BOOTRAM_BASE + BOOTRAM_BOOTLOCK_STAT), 0xFF);
    assert_int_equal(rd(lock7), 0x80);
    wr(lock7, 0);
}

static void get_sys_info_chip_info_and_errors(void **state)
{
    (void)state;
    uint32_t gs = lookup(CODE('G', 'S'), 0x4);
    for (int i = 0; i < 9; i++) wr(BUF + 4 * (uint32_t)i, 0xAAAAAAAAu);
    /* pico_unique_id: 9 words, SYS_INFO_CHIP_INFO -> 4 words */
    assert_int_equal(rom_call(gs, BUF, 9, 0x1, 0), 4);
    assert_int_equal(rd(BUF), 0x1);                                 /* the flags answered */
    assert_int_equal(rd(BUF + 4), 1);                               /* PACKAGE_SEL: QFN60 */
    assert_int_equal(rd(BUF + 8), (uint32_t)m.board->chip_id);      /* CHIPID0, CHIPID1 */
    assert_int_equal(rd(BUF + 12), (uint32_t)(m.board->chip_id >> 32));
    assert_int_equal(rd(BUF + 16), 0xAAAAAAAAu);                    /* nothing more written */
    /* unsupported flags are dropped from the answer (0x20 NONCE, 0x80) */
    assert_int_equal(rom_call(gs, BUF, 9, 0xA0, 0), 1);
    assert_int_equal(rd(BUF), 0);
    /* FLASH_DEV_INFO | BOOT_INFO: 1 + 1 + 4 */
    assert_int_equal(rom_call(gs, BUF, 9, 0x48, 0), 6);
    assert_int_equal(rd(BUF), 0x48);
    assert_int_equal(rd(BUF + 4), 0x0C00);        /* FLASH_DEFAULT_DEVINFO: CS0 16 MB, no CS1 */
    assert_int_equal(rd(BUF + 8), 0x00FF00FFu);   /* no partition, BOOT_TYPE_NORMAL */
    /* buffer too small; unaligned buffer */
    assert_int_equal((int32_t)rom_call(gs, BUF, 3, 0x1, 0), -13);
    assert_int_equal((int32_t)rom_call(gs, BUF + 2, 9, 0x1, 0), -11);
}

/* the SDK's flash_range_erase / flash_range_program sequence: IF, EX,
 * RE or RP, FC, then XIP back on (CX) */
static void flash_op(uint32_t op, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3)
{
    rom_call(lookup(CODE('I', 'F'), 0x4), 0, 0, 0, 0);
    rom_call(lookup(CODE('E', 'X'), 0x4), 0, 0, 0, 0);
    rom_call(op, a0, a1, a2, a3);
    rom_call(lookup(CODE('F', 'C'), 0x4), 0, 0, 0, 0);
    rom_call(lookup(CODE('C', 'X'), 0x4), 0, 0, 0, 0);
}

static void flash_erase_and_program_change_xip_reads(void **state)
{
    (void)state;
    const uint32_t off = 0x40000;
    memset(m.flash + off, 0x5A, 0x2000);      /* two sectors of old data */
    assert_int_equal(rd(SIM_XIP_BASE + off), 0x5A5A5A5Au);
    uint64_t t0 = machine_now_ps(&m);
    /* 4 KB with 64 KB blocks (D8h): the ROM uses a 20h sector erase */
    flash_op(lookup(CODE('R', 'E'), 0x4), off, 4096, 65536, 0xD8);
    assert_int_equal(rd(SIM_XIP_BASE + off), 0xFFFFFFFFu);
    assert_int_equal(rd(SIM_XIP_BASE + off + 4092), 0xFFFFFFFFu);
    assert_int_equal(rd(SIM_XIP_BASE + off + 4096), 0x5A5A5A5Au);   /* next sector kept */
    /* the core waited for the erase (busy polling): milliseconds of modelled time */
    assert_true(machine_now_ps(&m) - t0 > 1000000000ull);
    for (uint32_t i = 0; i < 256; i += 4) wr(BUF + i, 0x03020100u + i * 0x01010101u);
    flash_op(lookup(CODE('R', 'P'), 0x4), off, BUF, 256, 0);
    assert_int_equal(rd(SIM_XIP_BASE + off), 0x03020100u);
    assert_int_equal(rd(SIM_XIP_BASE + off + 252), 0xFFFEFDFCu);
    assert_int_equal(rd(SIM_XIP_BASE + off + 256), 0xFFFFFFFFu);
    /* CX left the QMI in the ROM's 03h serial read mode */
    assert_int_equal(rd(0x400D0000u + 0x10), 0x00001000u);   /* M0_RFMT */
    assert_int_equal(rd(0x400D0000u + 0x14), 0x03u);         /* M0_RCMD */
}

static void write_to_the_rom_is_ignored_and_reported_once(void **state)
{
    (void)state;
    int before = logged("in the boot ROM by");
    uint8_t first = m.rom[0x10];
    assert_true(bus_master_write(&m.bus, BUS_MASTER_DMA, 0x10, 4, 0x12345678u));
    assert_true(bus_master_write(&m.bus, BUS_MASTER_SIM, 0x0, 1, 0xFF));
    assert_int_equal(m.rom[0x10], first);
    assert_int_equal(m.stop, STOP_NONE);
    assert_int_equal(logged("in the boot ROM by"), before + 1);
    assert_true(bus_rom_write_ignored(&m.bus, BUS_MASTER_CORE0, 0x0, 4, 0));
    assert_false(bus_rom_write_ignored(&m.bus, BUS_MASTER_CORE0, 0x20000000u, 4, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lookup_finds_functions_and_data),
        cmocka_unit_test(boot_leaves_the_xip_setup_function),
        cmocka_unit_test(lookup_of_an_unknown_code_returns_0_with_a_warning),
        cmocka_unit_test(state_reset_frees_the_boot_locks),
        cmocka_unit_test(get_sys_info_chip_info_and_errors),
        cmocka_unit_test(flash_erase_and_program_change_xip_reads),
        cmocka_unit_test(write_to_the_rom_is_ignored_and_reported_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
