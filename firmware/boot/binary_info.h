/* binary_info.h - the Pico SDK's "binary info" format, which picotool reads
 * from a UF2, ELF or a board's flash (`picotool info -a`): a header of five
 * words in the first 256 words of the image (marker 0x7188ebf2, the start
 * and end of an array of pointers to entries, the RAM-address mapping
 * table, marker 0xe71aa390), and entries that each start with a type and
 * a tag. Layouts and numbers from the SDK's pico_binary_info (defs.h,
 * structure.h); picotool finds the header and follows the pointers
 * (main.cpp find_binary_info, bi_visitor_base). Only the entry types the
 * firmware uses are here. */
#ifndef PICOLLAMA_FW_BINARY_INFO_H
#define PICOLLAMA_FW_BINARY_INFO_H

#include <stdint.h>

#define BINARY_INFO_MARKER_START 0x7188ebf2u
#define BINARY_INFO_MARKER_END 0xe71aa390u

#define BINARY_INFO_TYPE_ID_AND_INT 5
#define BINARY_INFO_TYPE_ID_AND_STRING 6
#define BINARY_INFO_TYPE_NAMED_GROUP 10
/* pin entries for chips with more than 32 GPIOs (the RP2350B's 48) */
#define BINARY_INFO_TYPE_PINS64_WITH_FUNC 13
#define BINARY_INFO_TYPE_PINS64_WITH_NAME 14

#define BINARY_INFO_MAKE_TAG(c1, c2) ((uint16_t)(((c2) & 0xFFu) << 8 | ((c1) & 0xFFu)))
#define BINARY_INFO_TAG_RASPBERRY_PI BINARY_INFO_MAKE_TAG('R', 'P')

/* IDs under the Raspberry Pi tag that picotool shows */
#define BINARY_INFO_ID_RP_PROGRAM_NAME 0x02031c86u
#define BINARY_INFO_ID_RP_PROGRAM_VERSION_STRING 0x11a9bc3au
#define BINARY_INFO_ID_RP_PROGRAM_BUILD_DATE_STRING 0x9da22254u
#define BINARY_INFO_ID_RP_BINARY_END 0x68f465deu
#define BINARY_INFO_ID_RP_PROGRAM_URL 0x1856239au
#define BINARY_INFO_ID_RP_PROGRAM_DESCRIPTION 0xb6a07c19u
#define BINARY_INFO_ID_RP_PROGRAM_FEATURE 0xa1f4b453u
#define BINARY_INFO_ID_RP_PROGRAM_BUILD_ATTRIBUTE 0x4275f0d3u
#define BINARY_INFO_ID_RP_PICO_BOARD 0xb63cffbbu

/* pins encodings: a list of up to 7 pins (the last one repeated when
 * fewer), or a range */
#define BI_PINS_ENCODING_MULTI 2

typedef struct __attribute__((packed)) {
    uint16_t type;
    uint16_t tag;
} bi_core;

typedef struct __attribute__((packed)) {
    bi_core core;
    uint32_t id;
    int32_t value;
} bi_id_and_int;

typedef struct __attribute__((packed)) {
    bi_core core;
    uint32_t id;
    const char *value;
} bi_id_and_string;

/* bits 0-2 encoding, 3-7 function (GPIO FUNCSEL), then 8 bits per pin */
typedef struct __attribute__((packed)) {
    bi_core core;
    uint64_t pin_encoding;
} bi_pins64_with_func;

/* label: one name per set bit of the mask, lowest pin first, '|' between */
typedef struct __attribute__((packed)) {
    bi_core core;
    uint64_t pin_mask;
    const char *label;
} bi_pins64_with_name;

/* A group of values shown under its label: the id-and-string entries whose
 * tag and id are the group's. */
typedef struct __attribute__((packed)) {
    bi_core core; /* tag: the parent's */
    uint32_t parent_id;
    uint16_t flags;
    uint16_t group_tag;
    uint32_t group_id;
    const char *label;
} bi_named_group;

/* Puts a pointer to entry into the array picotool walks (the linker
 * script gathers .binary_info.* between __binary_info_start and _end). */
#define BI_DECLARE(entry)                                                                          \
    __attribute__((section(".binary_info." #entry), used)) static const bi_core *const entry##_ptr = \
        &(entry).core

#endif
