/* cli_uf2.c - `picollama uf2`: wraps a raw flash binary into a UF2 file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "hostio.h"
#include "uf2.h"

static const char usage[] =
    "Usage: picollama uf2 INPUT.bin -o OUTPUT.uf2 [--base ADDR] [--family NAME]\n"
    "\n"
    "Writes INPUT.bin to a UF2 file for the RP2350 boot drive, placed at flash\n"
    "address ADDR (default 0x10000000, must be 256-byte aligned). The file\n"
    "starts with the RP2350-E10 workaround block, as picotool's --abs-block.\n"
    "\n"
    "Options:\n"
    "  -o PATH        output file\n"
    "  --base ADDR    flash address of the first byte (decimal or 0x...)\n"
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

int cli_uf2(int argc, char **argv)
{
    const char *input = NULL, *output = NULL;
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
            if (!parse_address(argv[++i], &base))
                return host_error("uf2: bad address '%s' for --base", argv[i]);
        } else if (!strcmp(a, "--family")) {
            if (!parse_family(argv[++i], &family))
                return host_error("uf2: unknown family '%s' (arm-s, absolute, data)", argv[i]);
        } else if (a[0] == '-') {
            return host_error("uf2: unknown option '%s'", a);
        } else if (!input) {
            input = a;
        } else {
            return host_error("uf2: unexpected argument '%s'", a);
        }
    }
    if (!input) return host_error("uf2: missing INPUT (see 'picollama uf2 --help')");
    if (!output) return host_error("uf2: missing -o OUTPUT (see 'picollama uf2 --help')");
    if (base % UF2_PAYLOAD_SIZE != 0 || base < RP2350_XIP_BASE || base >= RP2350_FLASH_LAST_SECTOR)
        return host_error("uf2: base 0x%08x is not a 256-byte aligned flash address", base);
    host_file in;
    if (!host_read_file(input, &in)) return 1;
    if ((uint64_t)base + in.size > RP2350_FLASH_LAST_SECTOR) {
        host_error("uf2: %s (%zu bytes at 0x%08x) reaches the last 4 KB flash sector, which "
                   "RP2350-E10 reserves",
                   input, in.size, base);
        host_free_file(&in);
        return 1;
    }
    FILE *out = fopen(output, "wb");
    int ok = out && uf2_write_flash(out, in.data, in.size, base, family);
    if (out && fclose(out) != 0) ok = 0;
    host_free_file(&in);
    if (!ok) return host_error("uf2: cannot write %s", output);
    return 0;
}
