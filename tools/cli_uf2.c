/* cli_uf2.c - `picollama uf2`: wraps raw flash binaries into one UF2. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hostio.h"
#include "uf2.h"

#define MAX_INPUTS 8

static const char usage[] =
    "Usage: picollama uf2 INPUT[@ADDR]... -o OUTPUT.uf2 [--base ADDR] [--family NAME]\n"
    "\n"
    "Writes raw flash binaries to one UF2 file for the RP2350 boot drive, each\n"
    "at its flash address: INPUT@ADDR, or --base (default 0x10000000) for an\n"
    "input without one. INPUT@next places an input on the first 4 KB boundary\n"
    "after the previous one: how several model images share the firmware's\n"
    "model slot (e.g. stories-f32.img@0x10080000 stories-q8.img@next).\n"
    "After the last model image of a chain (an input starting with the image\n"
    "magic) a zeroed page on the next 4 KB boundary ends the chain, unless an\n"
    "input writes there: images an older UF2 left behind stay out of it.\n"
    "Addresses must be 256-byte aligned; the last 4 KB sector stays free;\n"
    "inputs must not be empty, share a 256-byte page, or be the output. As\n"
    "picotool's --abs-block, the file starts with the RP2350-E10 workaround\n"
    "block, unless its family is absolute. An input ending past 0x103FF000\n"
    "gets a warning: it does not fit a 4 MB board (Raspberry Pi Pico 2).\n"
    "It ends by printing the commands that flash the UF2 (make flash\n"
    "MODEL=..., or picotool load -f -x ...).\n"
    "\n"
    "Options:\n"
    "  -o PATH        output file\n"
    "  --base ADDR    address for inputs without @ADDR (decimal or 0x...)\n"
    "  --family NAME  arm-s (default, 0xE48BFF59), absolute (0xE48BFF57) or\n"
    "                 data (0xE48BFF58)\n";

static int parse_family(const char *s, uint32_t *family)
{
    if (strcmp(s, "arm-s") == 0) *family = UF2_FAMILY_RP2350_ARM_S;
    else if (strcmp(s, "absolute") == 0) *family = UF2_FAMILY_ABSOLUTE;
    else if (strcmp(s, "data") == 0) *family = UF2_FAMILY_DATA;
    else return 0;
    return 1;
}

static int parse_address(const char *s, uint32_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    if (end == s || *end != '\0' || s[0] == '-' || v > 0xFFFFFFFFull) return 0;
    *out = (uint32_t)v;
    return 1;
}

static int flash_address_ok(uint32_t a)
{
    return a % UF2_PAYLOAD_SIZE == 0 && a >= RP2350_XIP_BASE && a < RP2350_FLASH_LAST_SECTOR;
}

static int bad_address(const char *what)
{
    return host_error("uf2: '%s' is not a flash address a UF2 can write: 256-byte aligned, from "
                      "0x%08x to 0x%08x (the last 4 KB sector is the RP2350-E10 block's)",
                      what, RP2350_XIP_BASE, RP2350_FLASH_LAST_SECTOR - UF2_PAYLOAD_SIZE);
}

/* An input as given: its file name and where it goes. */
typedef struct {
    char *name;
    int after_previous; /* @next */
    int has_address;    /* @ADDR (else --base) */
    uint32_t address;
} uf2_input;

/* Splits NAME@ADDR / NAME@next (the last '@': a name may hold one). */
static int parse_input(char *arg, uf2_input *in)
{
    *in = (uf2_input){arg, 0, 0, 0};
    char *at = strrchr(arg, '@');
    if (!at) return 1;
    *at = '\0';
    if (!strcmp(at + 1, "next")) {
        in->after_previous = 1;
        return 1;
    }
    in->has_address = 1;
    if (parse_address(at + 1, &in->address) && flash_address_ok(in->address)) return 1;
    bad_address(at + 1);
    return 0;
}

/* Reads the inputs and places them; returns the number read (all of them
 * unless *rc is set). */
static int load_inputs(const uf2_input *inputs, int n, uint32_t base, host_file *files,
                       uf2_segment *segments, int *rc)
{
    for (int i = 0; i < n; i++) {
        const uf2_input *in = &inputs[i];
        uint32_t addr = in->has_address ? in->address : base;
        if (in->after_previous) {
            if (i == 0) {
                *rc = host_error("uf2: %s@next has no input before it", in->name);
                return i;
            }
            uint64_t next = uf2_chain_next(&segments[i - 1]);
            addr = next < RP2350_FLASH_LAST_SECTOR ? (uint32_t)next : RP2350_FLASH_LAST_SECTOR;
        }
        if (!host_read_file(in->name, &files[i])) {
            *rc = 1;
            return i;
        }
        segments[i] = (uf2_segment){files[i].data, files[i].size, addr};
        if (files[i].size == 0) {
            *rc = host_error("uf2: %s is empty: nothing to write", in->name);
            return i + 1;
        }
        if ((uint64_t)addr + files[i].size > RP2350_FLASH_LAST_SECTOR) {
            *rc = host_error("uf2: %s (%zu bytes at 0x%08x) reaches the last 4 KB flash sector, "
                             "which RP2350-E10 reserves",
                             in->name, files[i].size, addr);
            return i + 1;
        }
    }
    return n;
}

/* Each page of flash comes from one input: names the first two that share one. */
static int check_apart(const uf2_input *inputs, const uf2_segment *segments, int n)
{
    int a, b;
    if (!uf2_find_overlap(segments, n, &a, &b)) return 0;
    return host_error("uf2: %s (0x%08x-0x%08llx) and %s (0x%08x-0x%08llx) overlap: each 256-byte "
                      "page must come from one input",
                      inputs[a].name, segments[a].target,
                      (unsigned long long)uf2_pages_end(&segments[a]), inputs[b].name,
                      segments[b].target, (unsigned long long)uf2_pages_end(&segments[b]));
}

int cli_uf2(int argc, char **argv)
{
    uf2_input inputs[MAX_INPUTS];
    const char *names[MAX_INPUTS];
    int n_inputs = 0;
    const char *output = NULL;
    uint32_t base = RP2350_XIP_BASE, family = UF2_FAMILY_RP2350_ARM_S;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(usage, stdout);
            return 0;
        }
        int takes_value = !strcmp(a, "-o") || !strcmp(a, "--base") || !strcmp(a, "--family");
        if (takes_value && i + 1 >= argc) return host_error("uf2: option %s needs a value", a);
        if (!strcmp(a, "-o")) {
            output = argv[++i];
        } else if (!strcmp(a, "--base")) {
            if (!parse_address(argv[++i], &base) || !flash_address_ok(base))
                return bad_address(argv[i]);
        } else if (!strcmp(a, "--family")) {
            if (!parse_family(argv[++i], &family))
                return host_error("uf2: unknown family '%s' (arm-s, absolute, data)", argv[i]);
        } else if (a[0] == '-') {
            return host_error("uf2: unknown option '%s'", a);
        } else if (n_inputs < MAX_INPUTS) {
            if (!parse_input(argv[i], &inputs[n_inputs])) return 1;
            names[n_inputs] = inputs[n_inputs].name;
            n_inputs++;
        } else {
            return host_error("uf2: at most %d inputs", MAX_INPUTS);
        }
    }
    if (n_inputs == 0) return host_error("uf2: missing INPUT (see 'picollama uf2 --help')");
    if (!output) return host_error("uf2: missing -o OUTPUT (see 'picollama uf2 --help')");
    if (!host_check_output("uf2", output, names, n_inputs)) return 1;

    host_file files[MAX_INPUTS] = {0};
    uf2_segment segments[MAX_INPUTS];
    int rc = 0;
    int loaded = load_inputs(inputs, n_inputs, base, files, segments, &rc);
    if (rc == 0) rc = check_apart(inputs, segments, n_inputs);
    if (rc == 0 && !uf2_write_file(output, segments, n_inputs, family)) rc = 1;
    for (int i = 0; i < n_inputs && rc == 0; i++)
        uf2_check_4mb_board("uf2", inputs[i].name, &segments[i]);
    if (rc == 0) uf2_print_flash_command(output);
    for (int i = 0; i < loaded; i++) host_free_file(&files[i]);
    return rc;
}
