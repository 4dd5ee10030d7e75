/* test_sim_units.c - unit tests of virtual-board parts that need no guest
 * code: the UF2 loader's rules, the boot ROM's IMAGE_DEF search, and the bus
 * (atomic aliases, narrow writes, register names, holes). */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bootrom.h"
#include "loader.h"
#include "log.h"
#include "machine.h"
#include "options.h"

/* ---- UF2 ---- */

#define BLOCK 512

static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }

static void uf2_block(uint8_t *b, uint32_t addr, uint32_t no, uint32_t count, uint32_t family)
{
    memset(b, 0, BLOCK);
    put32(b, 0x0A324655u);
    put32(b + 4, 0x9E5D5157u);
    put32(b + 8, 0x00002000u);
    put32(b + 12, addr);
    put32(b + 16, 256);
    put32(b + 20, no);
    put32(b + 24, count);
    put32(b + 28, family);
    memset(b + 32, (int)(0x40 + no), 256);
    put32(b + 508, 0x0AB16F30u);
}

/* the E10 workaround block as picotool and picollama write it */
static void e10_block(uint8_t *b)
{
    uf2_block(b, 0x10FFFF00u, 0, 2, 0xE48BFF57u);
    put32(b + 8, 0x0000A000u);
    memset(b + 32, 0xEF, 256);
    put32(b + 32 + 256, 0x9957E304u);
}

#define FLASH_16M (16u << 20)

typedef struct {
    uint8_t *flash, *sram;
    load_target t;
} uf2_fixture;

/* a board with flash_size bytes of flash (all 0xFF) */
static void uf2_board(uf2_fixture *f, uint32_t flash_size)
{
    memset(f->flash, 0xFF, flash_size);
    memset(&f->t, 0, sizeof(f->t));
    f->t.flash = f->flash;
    f->t.flash_size = flash_size;
    f->t.sram = f->sram;
    f->t.sram_size = SIM_SRAM_SIZE;
    assert_true(loader_target_init(&f->t));
}

static int uf2_setup(void **state)
{
    uf2_fixture *f = calloc(1, sizeof(*f));
    f->flash = malloc(FLASH_16M);
    f->sram = malloc(SIM_SRAM_SIZE);
    memset(f->sram, 0, SIM_SRAM_SIZE);
    uf2_board(f, FLASH_16M);
    *state = f;
    return 0;
}

static int uf2_teardown(void **state)
{
    uf2_fixture *f = *state;
    loader_target_free(&f->t);
    free(f->flash);
    free(f->sram);
    free(f);
    return 0;
}

static int load(uf2_fixture *f, uint8_t *data, size_t blocks, char *err)
{
    loader_begin_file(&f->t);
    return uf2_load(data, blocks * BLOCK, &f->t, err, 300);
}

/* loads a file that must be accepted */
static void load_ok(uf2_fixture *f, uint8_t *data, size_t blocks)
{
    char err[300] = "";
    if (!load(f, data, blocks, err)) fail_msg("refused: %s", err);
}

static void uf2_rejects(uf2_fixture *f, uint8_t *d, size_t blocks, const char *why)
{
    char err[300] = "";
    assert_false(load(f, d, blocks, err));
    if (!strstr(err, why)) fail_msg("error '%s' lacks '%s'", err, why);
}

static void uf2_accepts_a_good_file(void **state)
{
    uf2_fixture *f = *state;
    uint8_t d[3 * BLOCK];
    /* an RP2350-E10 block first, as picotool and picollama write it */
    e10_block(d);
    uf2_block(d + BLOCK, 0x10000000u, 0, 2, 0xE48BFF59u);
    uf2_block(d + 2 * BLOCK, 0x10000100u, 1, 2, 0xE48BFF59u);
    load_ok(f, d, 3);
    assert_int_equal(f->t.blocks, 2);
    assert_int_equal(f->t.e10_blocks, 1);
    assert_int_equal(f->flash[0], 0x40);
    assert_int_equal(f->flash[0x100], 0x41);
    /* the E10 page is reported apart from the data */
    assert_int_equal(f->t.nranges, 1);
    assert_int_equal(f->t.ranges[0].start, 0x10000000u);
    assert_int_equal(f->t.ranges[0].end, 0x10000200u);
    assert_string_equal(f->t.family, "RP2350_ARM_S");
    assert_int_equal(f->t.after_reboot + f->t.repeated + f->t.abandoned + f->t.wrapped, 0);
}

/* The A2 ROM does not know the "ignore block" tag: the E10 block is written
 * like any other, its sector erased first; a transfer of its own that never
 * completes, which is no error when the file's next transfer does. */
static void uf2_writes_the_e10_block(void **state)
{
    uf2_fixture *f = *state;
    uint8_t d[2 * BLOCK];
    memset(f->flash + 0xFFF000, 0x11, 0x1000);   /* something kept in the last sector */
    e10_block(d);
    uf2_block(d + BLOCK, 0x10000000u, 0, 1, 0xE48BFF59u);
    load_ok(f, d, 2);
    assert_int_equal(f->flash[0xFFF000], 0xFF);   /* erased */
    assert_int_equal(f->flash[0xFFFEFF], 0xFF);
    assert_int_equal(f->flash[0xFFFF00], 0xEF);   /* the last page: 0xEF */
    assert_int_equal(f->flash[0xFFFFFF], 0xEF);
    assert_int_equal(f->flash[0], 0x40);
    assert_int_equal(f->t.e10_blocks, 1);
    assert_int_equal(f->t.e10_addr, 0x10FFFF00u);
    assert_int_equal(f->t.abandoned, 0);   /* the E10 transfer is no news */
}

/* Each 4 KB sector is erased on its first write within a transfer; the rest
 * of flash keeps what an earlier file left. SRAM is never erased. */
static void uf2_erases_sectors_on_first_write(void **state)
{
    uf2_fixture *f = *state;
    uint8_t d[4 * BLOCK];
    /* file 1: a page in each of three sectors */
    uf2_block(d, 0x10000000u, 0, 3, 0xE48BFF59u);
    uf2_block(d + BLOCK, 0x10001000u, 1, 3, 0xE48BFF59u);
    uf2_block(d + 2 * BLOCK, 0x10002000u, 2, 3, 0xE48BFF59u);
    load_ok(f, d, 3);
    /* file 2: two pages in the middle sector; the second does not erase the first */
    e10_block(d);
    uf2_block(d + BLOCK, 0x10001100u, 0, 2, 0xE48BFF58u);
    uf2_block(d + 2 * BLOCK, 0x10001200u, 1, 2, 0xE48BFF58u);
    load_ok(f, d, 3);
    assert_int_equal(f->flash[0x0000], 0x40);   /* file 1's, kept */
    assert_int_equal(f->flash[0x2000], 0x42);
    assert_int_equal(f->flash[0x1000], 0xFF);   /* file 1's, erased */
    assert_int_equal(f->flash[0x1100], 0x40);
    assert_int_equal(f->flash[0x1200], 0x41);
    /* reported: one page of file 1 lost, in sector 0x10001000 */
    assert_int_equal(f->t.erased_lost, 1);
    assert_int_equal(f->t.overlaps, 0);
    assert_int_equal(f->t.nerased, 1);
    assert_int_equal(f->t.erased[0].start, 0x10001000u);
    assert_int_equal(f->t.erased[0].end, 0x10002000u);
    /* file 3 rewrites the page: overwritten, not lost */
    uf2_block(d, 0x10001100u, 0, 1, 0xE48BFF58u);
    load_ok(f, d, 1);
    assert_int_equal(f->t.overlaps, 1);
    assert_int_equal(f->t.erased_lost, 1);   /* 0x10001200 */
    /* SRAM: written as it is, its neighbours kept */
    memset(f->sram, 0x11, 0x1000);
    uf2_block(d, 0x20000100u, 0, 1, 0xE48BFF59u);
    load_ok(f, d, 1);
    assert_int_equal(f->sram[0], 0x11);
    assert_int_equal(f->sram[0x100], 0x40);
    assert_int_equal(f->sram[0x200], 0x11);
}

/* The ROM reboots 500 ms after the first transfer completes: what follows in
 * the file is not written (and said so); a transfer cut off by the next one
 * is no error when a later one completes. */
static void uf2_one_transfer_per_file(void **state)
{
    uf2_fixture *f = *state;
    uint8_t d[4 * BLOCK];
    uf2_block(d, 0x10000000u, 0, 1, 0xE48BFF59u);
    uf2_block(d + BLOCK, 0x10080000u, 0, 2, 0xE48BFF58u);
    uf2_block(d + 2 * BLOCK, 0x10080100u, 1, 2, 0xE48BFF58u);
    load_ok(f, d, 3);
    assert_int_equal(f->flash[0], 0x40);
    assert_int_equal(f->flash[0x80000], 0xFF);   /* not written */
    assert_int_equal(f->flash[0x80100], 0xFF);
    assert_int_equal(f->t.after_reboot, 2);
    assert_int_equal(f->t.first_after_reboot, 1);
    assert_int_equal(f->t.blocks, 1);
    /* 1 of 3 blocks, then a transfer that completes */
    uf2_block(d, 0x10100000u, 0, 3, 0xE48BFF59u);
    uf2_block(d + BLOCK, 0x10200000u, 0, 1, 0xE48BFF58u);
    load_ok(f, d, 2);
    assert_int_equal(f->flash[0x100000], 0x40);   /* written before the cut */
    assert_int_equal(f->flash[0x200000], 0x40);
    assert_int_equal(f->t.abandoned, 1);
    assert_string_equal(f->t.abandoned_what, "1 of 3 blocks of family RP2350_ARM_S (first "
                                             "missing block number 1)");
    /* A, B, A: the ROM starts A over, so it never completes */
    uf2_block(d, 0x10000000u, 0, 2, 0xE48BFF59u);
    uf2_block(d + BLOCK, 0x10300000u, 0, 3, 0xE48BFF58u);
    uf2_block(d + 2 * BLOCK, 0x10000100u, 1, 2, 0xE48BFF59u);
    char err[300] = "";
    assert_false(load(f, d, 3, err));
    if (!strstr(err, "incomplete transfer: 1 of 2 blocks of family RP2350_ARM_S (first missing "
                     "block number 0); an earlier one was cut off"))
        fail_msg("error: %s", err);
}

/* The ROM addresses 16 MB of flash; a 4 MB chip sees the address modulo
 * 4 MB: the E10 page lands at 0x103FFF00 and a block above 0x10400000
 * overwrites low flash. */
static void uf2_wraps_on_a_4mb_chip(void **state)
{
    uf2_fixture *f = *state;
    loader_target_free(&f->t);
    uf2_board(f, 4u << 20);
    uint8_t d[2 * BLOCK];
    e10_block(d);
    uf2_block(d + BLOCK, 0x10000000u, 0, 1, 0xE48BFF59u);   /* the "firmware" */
    load_ok(f, d, 2);
    assert_int_equal(f->flash[0x3FFF00], 0xEF);
    assert_int_equal(f->t.e10_addr, 0x103FFF00u);
    assert_int_equal(f->t.e10_target, 0x10FFFF00u);
    assert_int_equal(f->t.wrapped, 0);
    uf2_block(d, 0x10400000u, 0, 1, 0xE48BFF58u);
    memset(d + 32, 0x22, 256);
    load_ok(f, d, 1);
    assert_int_equal(f->flash[0], 0x22);   /* the firmware's page, overwritten */
    assert_int_equal(f->t.wrapped, 1);
    assert_int_equal(f->t.wrap_from, 0x10400000u);
    assert_int_equal(f->t.wrap_to, 0x10000000u);
    assert_int_equal(f->t.overlaps, 1);
    assert_int_equal(f->t.ranges[0].start, 0x10000000u);
    /* QMI CS1 is not written by the ROM */
    uf2_block(d, 0x11000000u, 0, 1, 0xE48BFF58u);
    uf2_rejects(f, d, 1, "outside flash (0x10000000..0x10ffffff");
}

/* A block number seen again within its transfer is not written again (the
 * first copy stays), wherever it points. */
static void uf2_repeated_block_written_once(void **state)
{
    uf2_fixture *f = *state;
    uint8_t d[4 * BLOCK];
    uf2_block(d, 0x10000000u, 0, 2, 0xE48BFF59u);
    uf2_block(d + BLOCK, 0x10000000u, 0, 2, 0xE48BFF59u);
    memset(d + BLOCK + 32, 0x0F, 256);
    uf2_block(d + 2 * BLOCK, 0x10000200u, 0, 2, 0xE48BFF59u);
    uf2_block(d + 3 * BLOCK, 0x10000100u, 1, 2, 0xE48BFF59u);
    load_ok(f, d, 4);
    assert_int_equal(f->flash[0], 0x40);
    assert_int_equal(f->flash[0x100], 0x41);
    assert_int_equal(f->flash[0x200], 0xFF);
    assert_int_equal(f->t.repeated, 2);
    assert_int_equal(f->t.blocks, 2);
}

/* Nothing sets the E10 block apart for the ROM: before a 2-block ABSOLUTE
 * image it joins that image's transfer as its block 0, and the image's own
 * block 0 is then a repeat, never written. */
static void uf2_e10_block_joins_a_2_block_absolute_transfer(void **state)
{
    uf2_fixture *f = *state;
    uint8_t d[3 * BLOCK];
    e10_block(d);
    uf2_block(d + BLOCK, 0x10080000u, 0, 2, 0xE48BFF57u);
    uf2_block(d + 2 * BLOCK, 0x10080100u, 1, 2, 0xE48BFF57u);
    load_ok(f, d, 3);
    assert_int_equal(f->flash[0xFFFF00], 0xEF);
    assert_int_equal(f->flash[0x80000], 0xFF);
    assert_int_equal(f->flash[0x80100], 0x41);
    assert_int_equal(f->t.repeated, 1);
}

/* The ROM decides RAM or flash at a transfer's first block and ignores
 * blocks of the other kind: such a transfer never completes. */
static void uf2_rejects_sram_and_flash_in_one_transfer(void **state)
{
    uint8_t d[2 * BLOCK];
    uf2_block(d, 0x20000000u, 0, 2, 0xE48BFF59u);
    uf2_block(d + BLOCK, 0x10000000u, 1, 2, 0xE48BFF59u);
    uf2_rejects(*state, d, 2, "block 1: target 0x10000000 is in flash but its transfer "
                              "(family RP2350_ARM_S, 2 blocks) began in SRAM");
}

static void uf2_rejects_bad_magic(void **state)
{
    uint8_t d[BLOCK];
    uf2_block(d, 0x10000000u, 0, 1, 0xE48BFF59u);
    put32(d + 508, 0x12345678u);
    uf2_rejects(*state, d, 1, "bad magic");
}

static void uf2_rejects_wrong_family(void **state)
{
    uint8_t d[BLOCK];
    uf2_block(d, 0x10000000u, 0, 1, 0xE48BFF56u);
    uf2_rejects(*state, d, 1, "family RP2040");
    uf2_block(d, 0x10000000u, 0, 1, 0x12345678u);
    uf2_rejects(*state, d, 1, "unknown family ID 0x12345678");
    uf2_block(d, 0x10000000u, 0, 1, 0xE48BFF59u);
    put32(d + 8, 0);   /* no family flag */
    uf2_rejects(*state, d, 1, "no family ID");
}

static void uf2_rejects_misaligned_or_outside(void **state)
{
    uint8_t d[BLOCK];
    uf2_block(d, 0x10000080u, 0, 1, 0xE48BFF59u);
    uf2_rejects(*state, d, 1, "not 256-byte aligned");
    uf2_block(d, 0x30000000u, 0, 1, 0xE48BFF59u);
    uf2_rejects(*state, d, 1, "outside flash");
    uf2_block(d, 0x10000000u, 0, 1, 0xE48BFF59u);
    put32(d + 16, 476);
    uf2_rejects(*state, d, 1, "payload size 476");
}

static void uf2_rejects_bad_numbering(void **state)
{
    uint8_t d[3 * BLOCK];
    /* block 0 twice: the repeat is not written, block 1 never comes */
    uf2_block(d, 0x10000000u, 0, 2, 0xE48BFF59u);
    uf2_block(d + BLOCK, 0x10000100u, 0, 2, 0xE48BFF59u);
    uf2_rejects(*state, d, 2, "incomplete transfer: 1 of 2 blocks of family RP2350_ARM_S (first "
                              "missing block number 1); no transfer completes, so the board would "
                              "stay in BOOTSEL");
    uf2_block(d, 0x10000000u, 2, 2, 0xE48BFF59u);
    uf2_rejects(*state, d, 1, "block number 2 is not below the block count 2");
    /* the E10 block's transfer never completes either: the image's is the one named */
    e10_block(d);
    uf2_block(d + BLOCK, 0x10000000u, 0, 3, 0xE48BFF59u);
    uf2_block(d + 2 * BLOCK, 0x10000100u, 2, 3, 0xE48BFF59u);
    uf2_rejects(*state, d, 3, "incomplete transfer: 2 of 3 blocks of family RP2350_ARM_S (first "
                              "missing block number 1)");
    uf2_rejects(*state, d, 1, "incomplete transfer: the file holds only the RP2350-E10 workaround "
                              "block");
}

static void uf2_rejects_truncated_file(void **state)
{
    uf2_fixture *f = *state;
    uint8_t d[BLOCK];
    char err[300];
    uf2_block(d, 0x10000000u, 0, 1, 0xE48BFF59u);
    loader_begin_file(&f->t);
    assert_false(uf2_load(d, BLOCK - 10, &f->t, err, sizeof(err)));
    assert_non_null(strstr(err, "not a multiple of 512"));
}

/* ---- IMAGE_DEF search ---- */

static const uint32_t image_def[5] = {0xFFFFDED3u, 0x10210142u, 0x000001FFu, 0, 0xAB123579u};

static int find(uint8_t *win, uint32_t len, boot_image *img, char *why)
{
    return bootrom_find_image(win, len, 0x10000000u, img, why, 300);
}

static void imagedef_found_after_vectors(void **state)
{
    (void)state;
    uint8_t win[4096];
    memset(win, 0, sizeof(win));
    memcpy(win + 0x124, image_def, sizeof(image_def));
    boot_image img;
    char why[300];
    assert_true(find(win, sizeof(win), &img, why));
    assert_int_equal(img.block_addr, 0x10000124u);
    assert_int_equal(img.vector_table, 0x10000000u);
    assert_int_equal(img.image_type, 0x1021);
}

static void imagedef_problems(void **state)
{
    (void)state;
    uint8_t win[8192];
    boot_image img;
    char why[300];
    memset(win, 0, sizeof(win));
    assert_false(find(win, sizeof(win), &img, why));
    assert_non_null(strstr(why, "no IMAGE_DEF block"));
    /* beyond the first 4 KB: not searched */
    memcpy(win + 4096, image_def, sizeof(image_def));
    assert_false(find(win, sizeof(win), &img, why));
    memset(win, 0, sizeof(win));
    /* non-secure: refused */
    uint32_t ns[5];
    memcpy(ns, image_def, sizeof(ns));
    ns[1] = 0x10110142u;
    memcpy(win, ns, sizeof(ns));
    assert_false(find(win, sizeof(win), &img, why));
    assert_non_null(strstr(why, "Non-secure"));
    /* RISC-V */
    ns[1] = 0x11210142u;
    memcpy(win, ns, sizeof(ns));
    assert_false(find(win, sizeof(win), &img, why));
    assert_non_null(strstr(why, "RISC-V"));
    /* a link to nowhere breaks the loop */
    memcpy(ns, image_def, sizeof(ns));
    ns[3] = 0x100;
    memcpy(win, ns, sizeof(ns));
    assert_false(find(win, sizeof(win), &img, why));
    assert_non_null(strstr(why, "block loop starting at 0x10000000 is broken"));
    /* LAST item size wrong */
    memcpy(ns, image_def, sizeof(ns));
    ns[2] = 0x000002FFu;
    memcpy(win, ns, sizeof(ns));
    assert_false(find(win, sizeof(win), &img, why));
    assert_non_null(strstr(why, "LAST item"));
}

static void imagedef_two_block_loop_with_entry(void **state)
{
    (void)state;
    uint8_t win[4096];
    memset(win, 0, sizeof(win));
    /* block A at 0: IMAGE_TYPE + ENTRY_POINT (pc, sp), links to B at 0x800 */
    const uint32_t a[9] = {0xFFFFDED3u, 0x10210142u, 0x00000344u, 0x10000201u, 0x20081000u,
                           0x000004FFu, 0x800, 0xAB123579u, 0};
    /* block B: IGNORED item, links back */
    const uint32_t b[5] = {0xFFFFDED3u, 0x000001FEu, 0x000001FFu, (uint32_t)-0x800, 0xAB123579u};
    memcpy(win, a, sizeof(a));
    memcpy(win + 0x800, b, sizeof(b));
    boot_image img;
    char why[300];
    assert_true(find(win, sizeof(win), &img, why));
    assert_int_equal(img.loop_blocks, 2);
    assert_true(img.has_entry);
    assert_int_equal(img.entry_pc, 0x10000201u);
    assert_int_equal(img.entry_sp, 0x20081000u);
}

/* ---- bus ---- */

static machine m;

static int bus_setup(void **state)
{
    (void)state;
    sim_log_set_level(SIM_LOG_QUIET);
    if (!machine_init(&m, board_find("pico-plus-2w"), &(machine_config){0})) return -1;
    /* take UART0 and TIMER0 out of reset so their registers respond */
    return bus_master_write(&m.bus, BUS_MASTER_SIM, 0x40023000u, 4, 1u << 26 | 1u << 23) ? 0 : -1;
}

static int bus_teardown(void **state)
{
    (void)state;
    machine_free(&m);
    return 0;
}

static uint32_t rd(uint32_t addr)
{
    uint32_t v = 0;
    assert_true(bus_master_read(&m.bus, BUS_MASTER_SIM, addr, 4, &v));
    return v;
}

/* ---- the cost model (sim/timing.c, sim/xip_cache.c) ---- */

/* static cost of a block of Thumb code (halfwords, little-endian) */
static uint32_t block_cost(const uint16_t *hw, int n)
{
    uint8_t code[64];
    for (int i = 0; i < n; i++) {
        code[2 * i] = (uint8_t)hw[i];
        code[2 * i + 1] = (uint8_t)(hw[i] >> 8);
    }
    timing_block b;
    timing_block_cycles(code, 0x20000000u, (uint32_t)(2 * n), &b);
    return b.cycles;
}

static void cost_of_datasheet_examples(void **state)
{
    (void)state;
    /* 3.7.4.9.3: ADD R2,R0,R1,LSL#23; MLA R3,R4,R5,R2; MOV R6,R3 completes in 4 cycles */
    const uint16_t mla[] = {0xEB00, 0x52C1, 0xFB04, 0x2305, 0x461E};
    assert_int_equal(block_cost(mla, 5), 4);
    /* 3.7.4.9.1: LDR R0,[R1]; ADD R1,R0,R2: the load's result delay */
    const uint16_t ldr_use[] = {0x6808, 0xEB00, 0x0102};
    assert_int_equal(block_cost(ldr_use, 3), 3);
    /* 3.7.4.9.2: AND R0,R1,R2,LSL#4; MOV R3,R4: no penalty ... */
    const uint16_t and_mov[] = {0xEA01, 0x1002, 0x4623};
    assert_int_equal(block_cost(and_mov, 3), 2);
    /* ... AND R0,R1,R2,LSL#4; MOV R3,R0: penalty ... */
    const uint16_t and_use[] = {0xEA01, 0x1002, 0x4603};
    assert_int_equal(block_cost(and_use, 3), 3);
    /* ... ANDS R0,R1,R2,LSL#4; MOV R3,R4: penalty always with -S */
    const uint16_t ands_mov[] = {0xEA11, 0x1002, 0x4623};
    assert_int_equal(block_cost(ands_mov, 3), 3);
}

static void cost_table_names_its_rules(void **state)
{
    (void)state;
    assert_true(timing_cost_rows > 20);
    for (int i = 0; i < timing_cost_rows; i++) {
        assert_non_null(timing_cost_table[i].name);
        assert_non_null(timing_cost_table[i].rule);
        /* every row cites the datasheet section or says it is an assumption */
        assert_true(strstr(timing_cost_table[i].rule, "3.7.4.9") ||
                    strstr(timing_cost_table[i].rule, "ASSUMED"));
    }
}

static void qspi_transfer_from_qmi_registers(void **state)
{
    (void)state;
    /* QMI M1 as the firmware programs the APS6404L at 150 MHz: CLKDIV 2,
     * RXDELAY 2, MIN_DESELECT 8, MAX_SELECT 18, SELECT_HOLD 3, PAGEBREAK
     * 1024, COOLDOWN 1; EBh quad read with 6 wait clocks, 38h quad write */
    uint32_t timing = 1u << 30 | 2u << 28 | 3u << 23 | 18u << 17 | 8u << 12 | 2u << 8 | 2u;
    assert_true(bus_master_write(&m.bus, BUS_MASTER_SIM, 0x400D0020u, 4, timing));
    assert_true(bus_master_write(&m.bus, BUS_MASTER_SIM, 0x400D0024u, 4, 0x000612AAu));
    assert_true(bus_master_write(&m.bus, BUS_MASTER_SIM, 0x400D002Cu, 4, 0x000012AAu));
    /* read of a line: (2 prefix + 6 address + 6 dummy + 16 data) SCK x 2,
     * + half an SCK + RXDELAY/2 + 1 to the requester */
    assert_int_equal(xc_transfer_cycles(&m.xc, 1, 0, 8, 0), 30 * 2 + 1 + 1 + 1);
    /* chained onto the previous transfer: the data clocks only */
    assert_int_equal(xc_transfer_cycles(&m.xc, 1, 0, 8, 1), 16 * 2 + 1 + 1 + 1);
    /* write-back of a dirty line: (2 + 6 + 16) SCK x 2 */
    assert_int_equal(xc_transfer_cycles(&m.xc, 1, 1, 8, 0), 24 * 2);
    /* CLKDIV 0 means 256 */
    assert_true(bus_master_write(&m.bus, BUS_MASTER_SIM, 0x400D0020u, 4, timing & ~0xFFu));
    assert_int_equal(xc_transfer_cycles(&m.xc, 1, 1, 8, 0), 24 * 256);
}

static void bus_atomic_aliases(void **state)
{
    (void)state;
    const uint32_t ibrd = 0x40070024u;   /* UART0 UARTIBRD */
    bus_master_write(&m.bus, BUS_MASTER_SIM, ibrd, 4, 0x1234);
    assert_int_equal(rd(ibrd), 0x1234);
    bus_master_write(&m.bus, BUS_MASTER_SIM, ibrd + 0x2000, 4, 0x8001);   /* SET */
    assert_int_equal(rd(ibrd), 0x9235);
    bus_master_write(&m.bus, BUS_MASTER_SIM, ibrd + 0x3000, 4, 0x1200);   /* CLR */
    assert_int_equal(rd(ibrd), 0x8035);
    bus_master_write(&m.bus, BUS_MASTER_SIM, ibrd + 0x1000, 4, 0x00FF);   /* XOR */
    assert_int_equal(rd(ibrd), 0x80CA);
    assert_int_equal(rd(ibrd + 0x2000), 0x80CA);   /* reads through an alias see the register */
}

static void bus_narrow_writes_replicate(void **state)
{
    (void)state;
    /* datasheet 2.1.5: a byte write of 0xa5 to WATCHDOG SCRATCH0 sets all four lanes */
    const uint32_t scratch0 = 0x400D800Cu;
    bus_master_write(&m.bus, BUS_MASTER_SIM, scratch0, 4, 0xDEADBEEFu);
    uint32_t b = 0;
    bus_master_read(&m.bus, BUS_MASTER_SIM, scratch0 + 1, 1, &b);
    assert_int_equal(b, 0xBE);
    bus_master_write(&m.bus, BUS_MASTER_SIM, scratch0, 1, 0xA5);
    assert_int_equal(rd(scratch0), 0xA5A5A5A5u);
    bus_master_write(&m.bus, BUS_MASTER_SIM, scratch0 + 2, 2, 0x1234);
    assert_int_equal(rd(scratch0), 0x12341234u);
}

static void bus_names_and_holes(void **state)
{
    (void)state;
    char buf[200];
    assert_string_equal(bus_reg_name(&m.bus, 0x40070018u, buf, sizeof(buf)), "UART0.UARTFR");
    assert_string_equal(bus_reg_name(&m.bus, 0x40072018u, buf, sizeof(buf)),
                        "UART0.UARTFR (SET alias)");
    assert_string_equal(bus_describe_addr(&m.bus, 0x40070100u, buf, sizeof(buf)),
                        "UART0: no register at offset 0x100");
    assert_non_null(strstr(bus_describe_addr(&m.bus, 0x40074000u, buf, sizeof(buf)),
                           "nothing beyond its atomic aliases"));
    assert_non_null(strstr(bus_describe_addr(&m.bus, 0x20082000u, buf, sizeof(buf)), "above the end of SRAM"));
    assert_string_equal(bus_describe_addr(&m.bus, 0xE000ED88u, buf, sizeof(buf)), "PPB.CPACR");
    /* a real register no model implements: plain storage, with its reset value */
    assert_int_equal(rd(0x400A8000u), 0);   /* PWM CH0_CSR */
    bus_master_write(&m.bus, BUS_MASTER_SIM, 0x400A8000u, 4, 0x3);
    assert_int_equal(rd(0x400A8000u), 0x3);
}

static void bus_hole_stops_the_run(void **state)
{
    (void)state;
    uint32_t v;
    assert_int_equal(m.stop, STOP_NONE);
    assert_false(bus_master_read(&m.bus, BUS_MASTER_CORE0, 0x40070100u, 4, &v));
    assert_int_equal(m.stop, STOP_FAULT);
    assert_non_null(strstr(m.stop_msg, "addr=0x40070100 (read: UART0: no register at offset 0x100)"));
}

int main(int argc, char **argv)
{
    const struct CMUnitTest timing_tests[] = {
        cmocka_unit_test(cost_of_datasheet_examples),
        cmocka_unit_test(cost_table_names_its_rules),
        cmocka_unit_test(qspi_transfer_from_qmi_registers),
    };
    const struct CMUnitTest uf2_tests[] = {
        cmocka_unit_test(uf2_accepts_a_good_file),
        cmocka_unit_test(uf2_writes_the_e10_block),
        cmocka_unit_test(uf2_erases_sectors_on_first_write),
        cmocka_unit_test(uf2_one_transfer_per_file),
        cmocka_unit_test(uf2_wraps_on_a_4mb_chip),
        cmocka_unit_test(uf2_repeated_block_written_once),
        cmocka_unit_test(uf2_e10_block_joins_a_2_block_absolute_transfer),
        cmocka_unit_test(uf2_rejects_sram_and_flash_in_one_transfer),
        cmocka_unit_test(uf2_rejects_bad_magic),
        cmocka_unit_test(uf2_rejects_wrong_family),
        cmocka_unit_test(uf2_rejects_misaligned_or_outside),
        cmocka_unit_test(uf2_rejects_bad_numbering),
        cmocka_unit_test(uf2_rejects_truncated_file),
    };
    const struct CMUnitTest boot_tests[] = {
        cmocka_unit_test(imagedef_found_after_vectors),
        cmocka_unit_test(imagedef_problems),
        cmocka_unit_test(imagedef_two_block_loop_with_entry),
    };
    const struct CMUnitTest bus_tests[] = {
        cmocka_unit_test(bus_atomic_aliases),
        cmocka_unit_test(bus_narrow_writes_replicate),
        cmocka_unit_test(bus_names_and_holes),
        cmocka_unit_test(bus_hole_stops_the_run),
    };
    int fails = 0;
    if (argc > 1) cmocka_set_test_filter(argv[1]);
    for (size_t i = 0; i < sizeof(uf2_tests) / sizeof(uf2_tests[0]); i++) {
        struct CMUnitTest t = uf2_tests[i];
        t.setup_func = uf2_setup;
        t.teardown_func = uf2_teardown;
        fails += _cmocka_run_group_tests("uf2", &t, 1, NULL, NULL);
    }
    fails += cmocka_run_group_tests_name("imagedef", boot_tests, NULL, NULL);
    fails += cmocka_run_group_tests_name("bus", bus_tests, bus_setup, bus_teardown);
    fails += cmocka_run_group_tests_name("timing", timing_tests, bus_setup, bus_teardown);
    return fails;
}
