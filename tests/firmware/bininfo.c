/* bininfo.c - binary info of an RP2350 UF2, read as picotool reads it (see
 * bininfo.h). Numbers from the SDK's pico_binary_info (defs.h, structure.h)
 * and picotool (main.cpp, elf2uf2.cpp check_abs_block). */
#include "bininfo.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UF2_MAGIC_START0 0x0A324655u
#define UF2_MAGIC_START1 0x9E5D5157u
#define UF2_MAGIC_END 0x0AB16F30u
#define UF2_FLAG_NOT_MAIN_FLASH 0x00000001u
#define UF2_FLAG_FAMILY_ID_PRESENT 0x00002000u
#define UF2_FLAG_EXTENSION_FLAGS_PRESENT 0x00008000u
#define UF2_EXTENSION_RP2_IGNORE_BLOCK 0x9957E304u
#define FAMILY_ABSOLUTE 0xE48BFF57u
#define PAGE 256u

#define FLASH_START 0x10000000u
#define FLASH_END 0x11000000u
#define SRAM_START 0x20000000u
#define SRAM_END 0x20082000u

#define MARKER_START 0x7188ebf2u
#define MARKER_END 0xe71aa390u
#define HEADER_SEARCH_WORDS 256u /* RP2350; 64 on the RP2040 */

#define TYPE_RAW_DATA 1
#define TYPE_SIZED_DATA 2
#define TYPE_LIST_ZERO_TERMINATED 3
#define TYPE_BSON 4
#define TYPE_ID_AND_INT 5
#define TYPE_ID_AND_STRING 6
#define TYPE_BLOCK_DEVICE 7
#define TYPE_PINS_WITH_FUNC 8
#define TYPE_PINS_WITH_NAME 9
#define TYPE_NAMED_GROUP 10
#define TYPE_PINS64_WITH_FUNC 13
#define TYPE_PINS64_WITH_NAME 14
#define ENCODING_RANGE 1
#define ENCODING_MULTI 2

#define ID_SDK_VERSION 0x5360b3abu
#define ID_BOOT2_NAME 0x7f8882e1u

static uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }

static int fail(bininfo *bi, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(bi->error, sizeof(bi->error), fmt, ap);
    va_end(ap);
    return 0;
}

/* elf2uf2.cpp check_abs_block: the RP2350-E10 dummy block */
static int is_e10_block(const uint8_t *b)
{
    for (unsigned i = 0; i < PAGE; i++)
        if (b[32 + i] != 0xEF) return 0;
    uint32_t flags = le32(b + 8);
    if ((flags & ~UF2_FLAG_EXTENSION_FLAGS_PRESENT) != UF2_FLAG_FAMILY_ID_PRESENT) return 0;
    if (le32(b + 16) != PAGE || le32(b + 24) != 2 || le32(b + 28) != FAMILY_ABSOLUTE ||
        le32(b + 20) != 0)
        return 0;
    return !(flags & UF2_FLAG_EXTENSION_FLAGS_PRESENT) ||
           le32(b + 32 + PAGE) == UF2_EXTENSION_RP2_IGNORE_BLOCK;
}

static const uint8_t *page_of(const bininfo *bi, uint32_t addr)
{
    uint32_t base = addr & ~(PAGE - 1);
    int lo = 0, hi = bi->npages - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (bi->page_addr[mid] == base) return bi->page_data[mid];
        if (bi->page_addr[mid] < base) lo = mid + 1;
        else hi = mid - 1;
    }
    return NULL;
}

/* raw flash bytes, no mapping */
static int read_raw(const bininfo *bi, uint32_t addr, uint8_t *out, size_t len, int zero_fill)
{
    for (size_t i = 0; i < len; i++) {
        const uint8_t *p = page_of(bi, addr + (uint32_t)i);
        if (!p && !zero_fill) return 0;
        out[i] = p ? p[(addr + i) % PAGE] : 0;
    }
    return 1;
}

/* remapped_memory_access: an address in a mapped SRAM range reads the
 * flash it is copied from */
static uint32_t unmap(const bininfo *bi, uint32_t addr)
{
    for (int i = 0; i < bi->nmappings; i++) {
        const bininfo_mapping *m = &bi->mappings[i];
        if (addr >= m->dest_start && addr < m->dest_end) return m->source + (addr - m->dest_start);
    }
    return addr;
}

int bininfo_read(const bininfo *bi, uint32_t addr, void *out, size_t len)
{
    uint8_t *o = out;
    for (size_t i = 0; i < len; i++)
        if (!read_raw(bi, unmap(bi, addr + (uint32_t)i), o + i, 1, 0)) return 0;
    return 1;
}

/* read_string: up to 512 bytes, zero-filled past the image */
static void read_string(const bininfo *bi, uint32_t addr, char *out, size_t cap)
{
    size_t n = 0;
    for (; n + 1 < cap; n++) {
        uint8_t c = 0;
        read_raw(bi, unmap(bi, addr + (uint32_t)n), &c, 1, 1);
        if (!c) break;
        out[n] = (char)c;
    }
    out[n] = '\0';
}

/* build_rmap_uf2: the main-flash 256-byte blocks of the first family seen
 * (the E10 block skipped) */
static int load_pages(bininfo *bi, size_t size)
{
    size_t nblocks = size / 512;
    bi->page_addr = calloc(nblocks + 1, sizeof(*bi->page_addr));
    bi->page_data = calloc(nblocks + 1, sizeof(*bi->page_data));
    if (!bi->page_addr || !bi->page_data) return fail(bi, "out of memory");
    for (size_t i = 0; i < nblocks; i++) {
        const uint8_t *b = bi->file + i * 512;
        if (le32(b) != UF2_MAGIC_START0 || le32(b + 4) != UF2_MAGIC_START1 ||
            le32(b + 508) != UF2_MAGIC_END)
            continue;
        uint32_t flags = le32(b + 8), addr = le32(b + 12), family = le32(b + 28);
        if (!(flags & UF2_FLAG_FAMILY_ID_PRESENT) || (flags & UF2_FLAG_NOT_MAIN_FLASH) ||
            le32(b + 16) != PAGE || (bi->family && family != bi->family))
            continue;
        if (is_e10_block(b)) continue;
        if (addr % PAGE) return fail(bi, "block %zu: address 0x%08x is not page aligned", i, addr);
        bi->family = family;
        int k = bi->npages;
        while (k > 0 && bi->page_addr[k - 1] > addr) k--;
        if (k > 0 && bi->page_addr[k - 1] == addr)
            return fail(bi, "block %zu: page 0x%08x written twice", i, addr);
        memmove(bi->page_addr + k + 1, bi->page_addr + k, (size_t)(bi->npages - k) * sizeof(uint32_t));
        memmove(bi->page_data + k + 1, bi->page_data + k, (size_t)(bi->npages - k) * sizeof(void *));
        bi->page_addr[k] = addr;
        bi->page_data[k] = b + 32;
        bi->npages++;
    }
    if (!bi->npages) return fail(bi, "no main-flash UF2 blocks");
    return 1;
}

static int memory_type(uint32_t a)
{
    if (a >= FLASH_START && a < FLASH_END) return 1;
    if (a >= SRAM_START && a < SRAM_END) return 2;
    return 0;
}

/* find_binary_info: the header in the first 256 words from the binary
 * start, its entry array, the mapping table (zero-terminated, at most 10) */
static int find_header(bininfo *bi)
{
    uint8_t words[HEADER_SEARCH_WORDS * 4];
    read_raw(bi, bi->binary_start, words, sizeof(words), 1);
    for (uint32_t i = 0; i + 4 < HEADER_SEARCH_WORDS; i++) {
        if (le32(words + 4 * i) != MARKER_START || le32(words + 4 * (i + 4)) != MARKER_END) continue;
        uint32_t from = le32(words + 4 * (i + 1)), to = le32(words + 4 * (i + 2));
        if (!(to > from && memory_type(from) == memory_type(to) && from % 4 == 0 && to % 4 == 0))
            continue;
        bi->header_addr = bi->binary_start + 4 * i;
        bi->entries_start = from;
        bi->entries_end = to;
        bi->mapping_table = le32(words + 4 * (i + 3));
        for (uint32_t t = bi->mapping_table; bi->nmappings < BININFO_MAX_MAPPINGS; t += 12) {
            uint8_t m[12];
            if (!read_raw(bi, t, m, 12, 1)) break;
            if (!le32(m)) break;
            bi->mappings[bi->nmappings++] = (bininfo_mapping){le32(m), le32(m + 4), le32(m + 8)};
        }
        return 1;
    }
    return fail(bi, "no binary info header (0x%08x ... 0x%08x) in the first %u words at 0x%08x",
                MARKER_START, MARKER_END, HEADER_SEARCH_WORDS, bi->binary_start);
}

static bininfo_item *new_item(bininfo *bi, uint32_t addr, uint16_t type, uint16_t tag)
{
    if (bi->nitems == BININFO_MAX_ITEMS) return NULL;
    bininfo_item *it = &bi->items[bi->nitems++];
    memset(it, 0, sizeof(*it));
    it->addr = addr;
    it->type = type;
    it->tag = tag;
    it->pin_func = -1;
    return it;
}

/* bi_visitor_base::do_pins_func: the pins of a func encoding */
static void decode_pins(bininfo_item *it, uint64_t enc, int wide)
{
    int bpp = wide ? 8 : 5, first = wide ? 8 : 7, max = wide ? 7 : 5;
    uint64_t pm = wide ? 0xFF : 0x1F;
    it->pin_func = (int)((enc >> 3) & 0xF);
    if ((enc & 7) == ENCODING_RANGE) {
        int lo = (int)((enc >> first) & pm), hi = (int)((enc >> (first + bpp)) & pm);
        for (int p = lo; p <= hi; p++) it->pin_mask |= 1ull << p;
    } else if ((enc & 7) == ENCODING_MULTI) {
        int last = -1;
        uint64_t work = enc >> first;
        for (int i = 0; i < max; i++) {
            int cur = (int)(work & pm);
            it->pin_mask |= 1ull << cur;
            if (cur == last) break;
            last = cur;
            work >>= bpp;
        }
    }
}

/* bi_visitor_base::visit, one entry */
static int visit(bininfo *bi, uint32_t addr, int depth)
{
    uint8_t e[32];
    if (!bininfo_read(bi, addr, e, 4)) return fail(bi, "entry at 0x%08x is not in the image", addr);
    uint16_t type = le16(e), tag = le16(e + 2);
    static const int sizes[15] = {0, 4, 8, 8, 4, 12, 12, 22, 8, 12, 20, 16, 20, 12, 16};
    int size = type < 15 && sizes[type] ? sizes[type] : 4;
    if (!bininfo_read(bi, addr, e, (size_t)size))
        return fail(bi, "entry at 0x%08x (type %u) runs out of the image", addr, type);
    bininfo_item *it = new_item(bi, addr, type, tag);
    if (!it) return fail(bi, "more than %d entries", BININFO_MAX_ITEMS);
    switch (type) {
    case TYPE_ID_AND_INT:
        it->id = le32(e + 4);
        it->value = (int32_t)le32(e + 8);
        break;
    case TYPE_ID_AND_STRING:
        it->id = le32(e + 4);
        read_string(bi, le32(e + 8), it->text, sizeof(it->text));
        break;
    case TYPE_PINS_WITH_FUNC: decode_pins(it, le32(e + 4), 0); break;
    case TYPE_PINS64_WITH_FUNC: decode_pins(it, le32(e + 4) | (uint64_t)le32(e + 8) << 32, 1); break;
    case TYPE_PINS_WITH_NAME:
        it->pin_mask = le32(e + 4);
        read_string(bi, le32(e + 8), it->text, sizeof(it->text));
        break;
    case TYPE_PINS64_WITH_NAME:
        it->pin_mask = le32(e + 4) | (uint64_t)le32(e + 8) << 32;
        read_string(bi, le32(e + 12), it->text, sizeof(it->text));
        break;
    case TYPE_NAMED_GROUP:
        it->parent_id = le32(e + 4);
        it->flags = le16(e + 8);
        it->group_tag = le16(e + 10);
        it->id = le32(e + 12);
        read_string(bi, le32(e + 16), it->text, sizeof(it->text));
        break;
    case TYPE_LIST_ZERO_TERMINATED: { /* a list of further entries */
        if (depth > 4) return fail(bi, "entry lists nested too deeply at 0x%08x", addr);
        uint32_t list = le32(e + 4);
        for (uint32_t p;; list += 4) {
            if (!bininfo_read(bi, list, &p, 4)) return fail(bi, "list at 0x%08x runs out", list);
            if (!p) break;
            if (!visit(bi, p, depth + 1)) return 0;
        }
        break;
    }
    default: break; /* raw data, BSON, block devices, unknown: picotool shows nothing */
    }
    return 1;
}

int bininfo_read_uf2(bininfo *bi, const char *path)
{
    memset(bi, 0, sizeof(*bi));
    FILE *f = fopen(path, "rb");
    if (!f) return fail(bi, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    bi->file = malloc(size > 0 ? (size_t)size : 1);
    size_t got = bi->file ? fread(bi->file, 1, (size_t)size, f) : 0;
    fclose(f);
    if (size <= 0 || got != (size_t)size) return fail(bi, "cannot read %s", path);
    if (!load_pages(bi, (size_t)size)) return 0;
    /* find_binary_start: a flash image starts at 0x10000000 */
    if (!page_of(bi, FLASH_START)) return fail(bi, "the UF2 writes no page at 0x%08x", FLASH_START);
    bi->binary_start = FLASH_START;
    if (!find_header(bi)) return 0;
    for (uint32_t p = bi->entries_start; p < bi->entries_end; p += 4) {
        uint8_t w[4];
        if (!bininfo_read(bi, p, w, 4)) return fail(bi, "entry pointer at 0x%08x is not in the image", p);
        if (!visit(bi, le32(w), 0)) return 0;
    }
    return 1;
}

void bininfo_free(bininfo *bi)
{
    free(bi->page_addr);
    free(bi->page_data);
    free(bi->file);
    memset(bi, 0, sizeof(*bi));
}

const char *bininfo_string(const bininfo *bi, uint32_t id)
{
    for (int i = 0; i < bi->nitems; i++)
        if (bi->items[i].type == TYPE_ID_AND_STRING && bi->items[i].tag == TAG_RP &&
            bi->items[i].id == id)
            return bi->items[i].text;
    return NULL;
}

/* RP2350 datasheet GPIO function table, for the functions used here: UART
 * (F2) by groups of four pins, UART0/1/1/0 in every 16; XIP CS1 (F9) on
 * GPIO 0, 8, 19 and 47 */
const char *bininfo_pin_function(int pin, int func, char *buf, size_t cap)
{
    static const char *uart_signal[4] = {"TX", "RX", "CTS", "RTS"};
    if (func == 2 && pin < 48) {
        int group = (pin / 4) % 4;
        snprintf(buf, cap, "UART%d %s", group == 1 || group == 2, uart_signal[pin % 4]);
    } else if (func == 9 && (pin == 0 || pin == 8 || pin == 19 || pin == 47)) {
        snprintf(buf, cap, "XIP CS1");
    } else {
        snprintf(buf, cap, "function %d", func);
    }
    return buf;
}

/* ---- the listing ---- */

typedef struct {
    char *buf;
    size_t cap, len;
} out_text;

static void put(out_text *o, const char *fmt, ...)
{
    if (o->len >= o->cap) return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
    va_end(ap);
    if (n > 0) o->len += (size_t)n < o->cap - o->len ? (size_t)n : o->cap - o->len - 1;
}

/* " key:   value", further lines of a value under the first */
static void pair(out_text *o, const char *key, const char *value)
{
    if (!value || !*value) return; /* picotool leaves empty ones out */
    char k[64];
    snprintf(k, sizeof(k), "%s:", key);
    put(o, " %-18s", k);
    for (const char *p = value; *p; p++) {
        put(o, "%c", *p);
        if (*p == '\n' && p[1]) put(o, " %-18s", "");
    }
    put(o, "\n");
}

/* the values of every ID_AND_STRING with this tag and id, one per line */
static void joined(const bininfo *bi, uint16_t tag, uint32_t id, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int i = 0; i < bi->nitems; i++) {
        const bininfo_item *it = &bi->items[i];
        if (it->type != TYPE_ID_AND_STRING || it->tag != tag || it->id != id) continue;
        n += (size_t)snprintf(out + n, n < cap ? cap - n : 0, "%s%s", n ? "\n" : "", it->text);
    }
}

/* the labels of one pin, sorted and joined with ", " (picotool's pins map) */
static void pin_labels(const bininfo *bi, int pin, char *out, size_t cap)
{
    char labels[8][96];
    int n = 0;
    for (int i = 0; i < bi->nitems && n < 8; i++) {
        const bininfo_item *it = &bi->items[i];
        if (!(it->pin_mask & (1ull << pin))) continue;
        if (it->pin_func >= 0) {
            bininfo_pin_function(pin, it->pin_func, labels[n++], sizeof(labels[0]));
            continue;
        }
        /* a named pin: the k-th name of the label for the k-th set bit */
        const char *name = it->text;
        for (int p = 0; p < pin; p++)
            if (it->pin_mask & (1ull << p)) {
                const char *bar = strchr(name, '|');
                name = bar ? bar + 1 : name + strlen(name);
            }
        size_t len = strcspn(name, "|");
        if (len) snprintf(labels[n++], sizeof(labels[0]), "%.*s", (int)len, name);
    }
    for (int i = 1; i < n; i++) /* insertion sort */
        for (int k = i; k > 0 && strcmp(labels[k - 1], labels[k]) > 0; k--) {
            char t[96];
            memcpy(t, labels[k], sizeof(t));
            memcpy(labels[k], labels[k - 1], sizeof(t));
            memcpy(labels[k - 1], t, sizeof(t));
        }
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < n; i++)
        len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, "%s%s", i ? ", " : "", labels[i]);
}

char *bininfo_listing(const bininfo *bi, char *buf, size_t cap)
{
    out_text o = {buf, cap, 0};
    buf[0] = '\0';
    char v[2048], hex[16];
    put(&o, "Program Information\n");
    pair(&o, "name", bininfo_string(bi, ID_PROGRAM_NAME));
    pair(&o, "version", bininfo_string(bi, ID_PROGRAM_VERSION));
    pair(&o, "web site", bininfo_string(bi, ID_PROGRAM_URL));
    pair(&o, "description", bininfo_string(bi, ID_PROGRAM_DESCRIPTION));
    joined(bi, TAG_RP, ID_PROGRAM_FEATURE, v, sizeof(v));
    pair(&o, "features", v);
    for (int i = 0; i < bi->nitems; i++) { /* named feature groups */
        const bininfo_item *g = &bi->items[i];
        if (g->type != TYPE_NAMED_GROUP || g->tag != TAG_RP || g->parent_id != ID_PROGRAM_FEATURE)
            continue;
        joined(bi, g->group_tag, g->id, v, sizeof(v));
        pair(&o, g->text, v);
    }
    snprintf(hex, sizeof(hex), "0x%08x", bi->binary_start);
    pair(&o, "binary start", hex);
    for (int i = 0; i < bi->nitems; i++)
        if (bi->items[i].type == TYPE_ID_AND_INT && bi->items[i].tag == TAG_RP &&
            bi->items[i].id == ID_BINARY_END) {
            snprintf(hex, sizeof(hex), "0x%08x", (uint32_t)bi->items[i].value);
            pair(&o, "binary end", hex);
        }
    put(&o, "\nFixed Pin Information\n");
    for (int pin = 0; pin < BININFO_MAX_PINS; pin++) {
        pin_labels(bi, pin, v, sizeof(v));
        if (!v[0]) continue;
        int last = pin; /* consecutive pins with the same labels share a line */
        char next[2048];
        while (last + 1 < BININFO_MAX_PINS && (pin_labels(bi, last + 1, next, sizeof(next)), !strcmp(next, v)))
            last++;
        char key[16];
        if (last > pin) snprintf(key, sizeof(key), "%d-%d", pin, last);
        else snprintf(key, sizeof(key), "%d", pin);
        pair(&o, key, v);
        pin = last;
    }
    put(&o, "\nBuild Information\n");
    pair(&o, "sdk version", bininfo_string(bi, ID_SDK_VERSION));
    pair(&o, "pico_board", bininfo_string(bi, ID_PICO_BOARD));
    pair(&o, "boot2_name", bininfo_string(bi, ID_BOOT2_NAME));
    pair(&o, "build date", bininfo_string(bi, ID_BUILD_DATE));
    joined(bi, TAG_RP, ID_BUILD_ATTRIBUTE, v, sizeof(v));
    pair(&o, "build attributes", v);
    put(&o, "\nBinary info header at 0x%08x: %d entries (0x%08x-0x%08x), mapping table at 0x%08x\n",
        bi->header_addr, (int)((bi->entries_end - bi->entries_start) / 4), bi->entries_start,
        bi->entries_end, bi->mapping_table);
    for (int i = 0; i < bi->nmappings; i++)
        put(&o, " 0x%08x-0x%08x at runtime is copied from 0x%08x\n", bi->mappings[i].dest_start,
            bi->mappings[i].dest_end, bi->mappings[i].source);
    return buf;
}
