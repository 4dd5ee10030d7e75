/* bininfo.h - reads the binary info of an RP2350 UF2 the way picotool does
 * (main.cpp: build_rmap_uf2, find_binary_start, find_binary_info,
 * remapped_memory_access, bi_visitor_base), our own code, for the tests:
 * the flash pages of the first family (the RP2350-E10 block left out), the
 * header (marker 0x7188ebf2, entry array start and end, mapping table,
 * marker 0xe71aa390) in the first 256 words of the image at 0x10000000,
 * the RAM-address mapping table, then every entry, pointers into SRAM
 * followed back to flash through the table. */
#ifndef PICOLLAMA_TEST_BININFO_H
#define PICOLLAMA_TEST_BININFO_H

#include <stddef.h>
#include <stdint.h>

/* the Raspberry Pi tag and the SDK's standard ids (pico_binary_info
 * structure.h) */
#define TAG_RP 0x5052u /* 'R' | 'P' << 8 */
#define ID_PROGRAM_NAME 0x02031c86u
#define ID_PROGRAM_VERSION 0x11a9bc3au
#define ID_BUILD_DATE 0x9da22254u
#define ID_BINARY_END 0x68f465deu
#define ID_PROGRAM_URL 0x1856239au
#define ID_PROGRAM_DESCRIPTION 0xb6a07c19u
#define ID_PROGRAM_FEATURE 0xa1f4b453u
#define ID_BUILD_ATTRIBUTE 0x4275f0d3u
#define ID_PICO_BOARD 0xb63cffbbu

#define BININFO_MAX_ITEMS 64
#define BININFO_MAX_MAPPINGS 10 /* picotool's "arbitrary max" */
#define BININFO_MAX_PINS 64

typedef struct {
    uint32_t source, dest_start, dest_end;
} bininfo_mapping;

/* one entry as found, its strings already read */
typedef struct {
    uint32_t addr;
    uint16_t type, tag;
    uint32_t id;          /* ID_AND_INT / ID_AND_STRING; a group's group_id */
    int32_t value;        /* ID_AND_INT */
    char text[512];       /* ID_AND_STRING's value; a group's or pins' label */
    uint32_t parent_id;   /* NAMED_GROUP */
    uint16_t group_tag, flags;
    uint64_t pin_mask;    /* PINS(64)_WITH_FUNC / _WITH_NAME */
    int pin_func;         /* -1 for the named ones */
} bininfo_item;

typedef struct {
    uint32_t family;                  /* of the pages read */
    uint32_t binary_start;
    uint32_t header_addr;             /* where the header's first marker is */
    uint32_t entries_start, entries_end, mapping_table;
    bininfo_mapping mappings[BININFO_MAX_MAPPINGS];
    int nmappings;
    bininfo_item items[BININFO_MAX_ITEMS];
    int nitems;
    /* the flash image: 256-byte pages by address */
    uint32_t *page_addr;
    const uint8_t **page_data;
    int npages;
    uint8_t *file;
    char error[300];
} bininfo;

/* Reads path; 1 on success, else 0 with bi->error saying why. */
int bininfo_read_uf2(bininfo *bi, const char *path);
void bininfo_free(bininfo *bi);

/* The bytes at a runtime address (the mapping applied, as picotool reads
 * entries); 0 when some byte is in no page of the UF2. */
int bininfo_read(const bininfo *bi, uint32_t addr, void *out, size_t len);

/* The value of the first ID_AND_STRING under the Raspberry Pi tag with this
 * id, or NULL. */
const char *bininfo_string(const bininfo *bi, uint32_t id);

/* The name of GPIO pin for function func on the RP2350 (the few functions
 * the firmware uses: UART, XIP CS1), e.g. "UART0 TX"; else "function N". */
const char *bininfo_pin_function(int pin, int func, char *buf, size_t cap);

/* Prints what `picotool info -a` shows from the binary info (Program
 * Information, Fixed Pin Information, Build Information), plus the header
 * and the mapping table, to buf; returns buf. */
char *bininfo_listing(const bininfo *bi, char *buf, size_t cap);

#endif
