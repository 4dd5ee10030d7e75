/* test_firmware_bininfo.c - the binary info picotool reads from
#define _POSIX_C_SOURCE 200809L
 * pico_llama.uf2 (issue 20): read as picotool reads it (bininfo.c: the UF2
 * pages, the header in the first 256 words, the RAM-address mapping table,
 * every entry), each entry checked against what the build put in; the
 * mapping table against the ELF's .data; the test firmware, built without
 * the reset interface and the 1200-baud touch, lists neither. Prints the
 * `picotool info -a`-style listing of pico_llama.uf2. */
#include <elf.h>
#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bininfo.h"
#include "testenv.h"

#define FAMILY_RP2350_ARM_S 0xE48BFF59u

static int matches(const char *text, const char *pattern)
{
    regex_t re;
    if (regcomp(&re, pattern, REG_EXTENDED | REG_NOSUB)) return 0;
    int ok = regexec(&re, text, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

static void read_uf2(bininfo *bi, const char *path)
{
    if (!bininfo_read_uf2(bi, path)) fail_msg("%s: %s", path, bi->error);
}

/* Every entry is one of those expected, and each expected one is there
 * once: `used` marks the entries a check accounted for. */
typedef struct {
    const bininfo *bi;
    int used[BININFO_MAX_ITEMS];
} checker;

static const bininfo_item *take(checker *c, uint16_t type, uint16_t tag, uint32_t id, const char *what)
{
    const bininfo_item *found = NULL;
    for (int i = 0; i < c->bi->nitems; i++) {
        const bininfo_item *it = &c->bi->items[i];
        if (it->type != type || it->tag != tag || it->id != id || c->used[i]) continue;
        if (found) fail_msg("%s: more than one entry", what);
        found = it;
        c->used[i] = 1;
    }
    if (!found) fail_msg("%s: no entry (type %u, id 0x%08x)", what, type, id);
    return found;
}

static void take_string(checker *c, uint32_t id, const char *what, const char *pattern)
{
    const bininfo_item *it = take(c, 6, TAG_RP, id, what);
    if (!matches(it->text, pattern)) fail_msg("%s is '%s', not /%s/", what, it->text, pattern);
}

/* the id-and-string entries with this tag and id, in order, '\n'-joined */
static void take_all(checker *c, uint16_t tag, uint32_t id, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < c->bi->nitems; i++) {
        const bininfo_item *it = &c->bi->items[i];
        if (it->type != 6 || it->tag != tag || it->id != id) continue;
        c->used[i] = 1;
        n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? "\n" : "", it->text);
    }
}

static void take_pins(checker *c, uint16_t type, uint64_t mask, int func, const char *label)
{
    for (int i = 0; i < c->bi->nitems; i++) {
        const bininfo_item *it = &c->bi->items[i];
        if (it->type != type || it->pin_mask != mask || it->pin_func != func || c->used[i]) continue;
        if (label && strcmp(it->text, label)) continue;
        c->used[i] = 1;
        return;
    }
    fail_msg("no pin entry of type %u for mask 0x%llx, function %d%s%s", type,
             (unsigned long long)mask, func, label ? ", label " : "", label ? label : "");
}

static void all_taken(const checker *c)
{
    for (int i = 0; i < c->bi->nitems; i++)
        if (!c->used[i])
            fail_msg("unexpected entry at 0x%08x: type %u, tag 0x%04x, id 0x%08x '%s'",
                     c->bi->items[i].addr, c->bi->items[i].type, c->bi->items[i].tag,
                     c->bi->items[i].id, c->bi->items[i].text);
}

static long file_size(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fclose(f);
    return n;
}

/* The entries both firmware builds have; features: the expected feature
 * lines. */
static void check_common(checker *c, const char *features, const char *bin)
{
    const bininfo *bi = c->bi;
    assert_int_equal(bi->family, FAMILY_RP2350_ARM_S);
    assert_int_equal(bi->binary_start, 0x10000000u);
    /* right after the vector table (68 words), well within picotool's 256 */
    assert_int_equal(bi->header_addr, 0x10000000u + 68 * 4);
    take_string(c, ID_PROGRAM_NAME, "name", "^pico_llama$");
    /* the banner's version, then git describe of the build (a commit, a
     * tag, tag-N-gCOMMIT, "-dirty" after any; "unknown" without git) */
    take_string(c, ID_PROGRAM_VERSION, "version", "^0\\.5 \\(git [^ ()]+\\)$");
    take_string(c, ID_PROGRAM_DESCRIPTION, "description",
                "^Llama-2 inference \\(llama2\\.c models\\) telling stories over USB serial$");
    take_string(c, ID_PROGRAM_URL, "web site", "^https://[^ ]+$");
    take_string(c, ID_BUILD_DATE, "build date", "^[A-Z][a-z]{2} [ 1-3][0-9] 20[0-9]{2}$");
    take_string(c, ID_BUILD_ATTRIBUTE, "build attribute", "^Release$");
    take_string(c, ID_PICO_BOARD, "board", "^pimoroni_pico_plus2_w_rp2350$");
    char got[2048];
    take_all(c, TAG_RP, ID_PROGRAM_FEATURE, got, sizeof(got));
    assert_string_equal(got, features);
    /* the end of what the image writes: pico_llama.bin ends there */
    const bininfo_item *end = take(c, 5, TAG_RP, ID_BINARY_END, "binary end");
    assert_int_equal((uint32_t)end->value, 0x10000000u + (uint32_t)file_size(bin));
    /* pins: UART0 on GP0/GP1 (function 2), PSRAM CS on GP47 (XIP CS1,
     * function 9), and the named ones */
    take_pins(c, 13, 0x3, 2, NULL);
    take_pins(c, 13, 1ull << 47, 9, NULL);
    take_pins(c, 14, 1ull << 45 | 1ull << 47, -1, "User button (new story)|PSRAM CS");
}

/* the embedded-models group and its values */
static void check_models(checker *c, const char *models)
{
    const bininfo_item *g = take(c, 10, TAG_RP, 0x4d6f646cu, "embedded models group");
    assert_int_equal(g->parent_id, ID_PROGRAM_FEATURE);
    assert_string_equal(g->text, "embedded models");
    char got[512];
    take_all(c, g->group_tag, g->id, got, sizeof(got));
    assert_string_equal(got, models);
}

/* The ELF's .data: where it runs (the section) and where it is stored
 * (the load address of the segment holding it). */
static void elf_data(const char *path, uint32_t *vma, uint32_t *size, uint32_t *lma)
{
    size_t len;
    char *f = testenv_read(path, &len);
    if (!f || len < sizeof(Elf32_Ehdr)) fail_msg("cannot read %s", path);
    const Elf32_Ehdr *eh = (const Elf32_Ehdr *)f;
    const Elf32_Shdr *sh = (const Elf32_Shdr *)(f + eh->e_shoff);
    const char *names = f + sh[eh->e_shstrndx].sh_offset;
    *vma = *size = *lma = 0;
    for (int i = 0; i < eh->e_shnum; i++)
        if (!strcmp(names + sh[i].sh_name, ".data")) {
            *vma = sh[i].sh_addr;
            *size = sh[i].sh_size;
        }
    const Elf32_Phdr *ph = (const Elf32_Phdr *)(f + eh->e_phoff);
    for (int i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_LOAD && *vma >= ph[i].p_vaddr && *vma < ph[i].p_vaddr + ph[i].p_memsz)
            *lma = ph[i].p_paddr + (*vma - ph[i].p_vaddr);
    free(f);
    if (!*size || !*lma) fail_msg("%s: no .data section in a loaded segment", path);
}

static void firmware_entries(void **state)
{
    (void)state;
    bininfo bi;
    read_uf2(&bi, FIRMWARE_UF2);
    checker c = {&bi, {0}};
    check_common(&c, "USB CDC console\nUART console (UART0, 115200 8N1)\n"
                     "USB reset interface (picotool reboot -f, load -f)\n"
                     "1200-baud touch reboots into BOOTSEL",
                 FIRMWARE_BIN);
    check_models(&c, FIRMWARE_F32_IMAGE[0] ? "stories260K (f32)\nstories260K (q8)" : "");
    all_taken(&c);
    /* the mapping table: .data (and the SRAM code in it), copied at boot */
    uint32_t vma, size, lma;
    elf_data(FIRMWARE_ELF, &vma, &size, &lma);
    assert_int_equal(bi.nmappings, 1);
    assert_int_equal(bi.mappings[0].source, lma);
    assert_int_equal(bi.mappings[0].dest_start, vma);
    assert_int_equal(bi.mappings[0].dest_end, vma + size);
    /* read through the table, SRAM holds what flash has at the load address */
    uint8_t through[64], direct[64];
    assert_true(bininfo_read(&bi, vma, through, sizeof(through)));
    bininfo copy = bi;
    copy.nmappings = 0;
    assert_true(bininfo_read(&copy, lma, direct, sizeof(direct)));
    assert_memory_equal(through, direct, sizeof(through));
    char listing[8192];
    printf("--- %s ---\n%s", FIRMWARE_UF2, bininfo_listing(&bi, listing, sizeof(listing)));
    bininfo_free(&bi);
}

/* The test firmware: no models, and built with the reset interface and
 * the 1200-baud touch off, which it does not claim. */
static void options_off_are_not_listed(void **state)
{
    (void)state;
    bininfo bi;
    read_uf2(&bi, FIRMWARE_TEST_UF2);
    checker c = {&bi, {0}};
    check_common(&c, "USB CDC console\nUART console (UART0, 115200 8N1)", FIRMWARE_TEST_BIN);
    check_models(&c, "");
    all_taken(&c);
    bininfo_free(&bi);
}

/* ---- the reader itself, on a hand-made UF2 ---- */

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* one page of flash at 0x10000000 as a UF2 block (and the E10 block first) */
static void write_one_page_uf2(const char *path, const uint8_t page[256])
{
    uint8_t blocks[2][512];
    memset(blocks, 0, sizeof(blocks));
    for (int b = 0; b < 2; b++) {
        put32(blocks[b], 0x0A324655u);
        put32(blocks[b] + 4, 0x9E5D5157u);
        put32(blocks[b] + 8, 0x2000u);
        put32(blocks[b] + 16, 256);
        put32(blocks[b] + 508, 0x0AB16F30u);
    }
    /* the RP2350-E10 block: another family, which the reader leaves out */
    put32(blocks[0] + 12, 0x10FFFF00u);
    put32(blocks[0] + 24, 2);
    put32(blocks[0] + 28, 0xE48BFF57u);
    memset(blocks[0] + 32, 0xEF, 256);
    put32(blocks[1] + 12, 0x10000000u);
    put32(blocks[1] + 24, 1);
    put32(blocks[1] + 28, FAMILY_RP2350_ARM_S);
    memcpy(blocks[1] + 32, page, 256);
    assert_true(testenv_write(path, blocks, sizeof(blocks)));
}

/* A name whose pointer is an SRAM address: found through the mapping
 * table in flash, and not found without the table. */
static void sram_pointers_are_mapped_back_to_flash(void **state)
{
    (void)state;
    uint8_t page[256] = {0};
    const uint32_t b = 0x10000000u;
    uint32_t header[5] = {0x7188ebf2u, b + 0x40, b + 0x44, b + 0x60, 0xe71aa390u};
    for (int i = 0; i < 5; i++) put32(page + 0x20 + 4 * i, header[i]);
    put32(page + 0x40, b + 0x48);                    /* the one entry */
    put32(page + 0x48, 6 | (uint32_t)TAG_RP << 16);  /* id and string */
    put32(page + 0x4C, ID_PROGRAM_NAME);
    put32(page + 0x50, 0x20000008u);                 /* in SRAM */
    put32(page + 0x60, b + 0x80);                    /* 0x20000000-0x20000040 from +0x80 */
    put32(page + 0x64, 0x20000000u);
    put32(page + 0x68, 0x20000040u);
    memcpy(page + 0x88, "mapped name", 12);
    const char *path = testenv_tmp("mapped.uf2");
    write_one_page_uf2(path, page);
    bininfo bi;
    read_uf2(&bi, path);
    assert_int_equal(bi.nmappings, 1);
    assert_string_equal(bininfo_string(&bi, ID_PROGRAM_NAME), "mapped name");
    bininfo_free(&bi);
    put32(page + 0x60, 0); /* an empty table: the name's SRAM address is nowhere */
    write_one_page_uf2(path, page);
    read_uf2(&bi, path);
    assert_int_equal(bi.nmappings, 0);
    assert_string_equal(bininfo_string(&bi, ID_PROGRAM_NAME), "");
    bininfo_free(&bi);
    /* the header must sit in the first 256 words */
    memset(page + 0x20, 0, 20);
    write_one_page_uf2(path, page);
    assert_false(bininfo_read_uf2(&bi, path));
    assert_non_null(strstr(bi.error, "no binary info header"));
    bininfo_free(&bi);
}

/* test_firmware_bininfo [NAME]: every test, or the one named */
int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sram_pointers_are_mapped_back_to_flash),
        cmocka_unit_test(firmware_entries),
        cmocka_unit_test(options_off_are_not_listed),
    };
    if (argc > 1) cmocka_set_test_filter(argv[1]);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
