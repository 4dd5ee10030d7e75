/* cli_pack.c - `picollama pack`: checkpoint + tokenizer -> model image, as
 * a file or as a UF2 for the RP2350's model slot. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/image.h"
#include "cli.h"
#include "host_model.h"
#include "hostio.h"
#include "image_writer.h"
#include "uf2.h"

#define DEFAULT_FLASH_OFFSET 0x80000u /* the model slot the firmware reads */
/* Below the slot is the firmware (firmware/link/pico_llama.ld keeps it
 * there): a model UF2 must never write over it. */
#define LOWEST_FLASH_OFFSET DEFAULT_FLASH_OFFSET
#define DEFAULT_CALIBRATION 2048
#define PSRAM_BYTES (8u * 1024 * 1024) /* APS6404L: where q4 weights live */

static const char usage[] =
    "Usage: picollama pack CHECKPOINT TOKENIZER -q f32|q8|q4 -o OUT.img|OUT.uf2\n"
    "                      [--flash-offset N] [--group N] [--calibrate N]\n"
    "\n"
    "Packs a llama2.c checkpoint and its tokenizer into one model image\n"
    "(docs/model-format.md). With an .uf2 output the image is placed in the\n"
    "RP2350's flash model slot, ready to drag onto the boot drive, followed by\n"
    "a zeroed page on the next 4 KB boundary that ends the slot's chain of\n"
    "images (an image an older UF2 left after it is not used). A UF2 ending\n"
    "past 0x103FF000 gets a warning: it does not fit a 4 MB board (Raspberry\n"
    "Pi Pico 2). Then it prints the commands that flash the UF2 (make flash\n"
    "MODEL=..., or picotool load -f -x ...).\n"
    "\n"
    "Options:\n"
    "  -q TYPE          f32 (as the checkpoint), q8 (int8, float scales) or\n"
    "                   q4 (4-bit, float16 scales); RMSNorm weights stay f32\n"
    "  -o PATH          output; a name ending in .uf2 (any case) writes a UF2;\n"
    "                   never one of the inputs\n"
    "  --flash-offset N flash offset of the model slot for a UF2: a multiple of\n"
    "                   4096 from 0x80000 (below it is the firmware) to 0xffe000\n"
    "                   (default 0x80000 = XIP 0x10080000)\n"
    "  --group N        longest quantization group, 16..1024: a row's group is\n"
    "                   the largest multiple of 4 from 16 to N dividing it, else\n"
    "                   the whole row\n"
    "                   (default: 32 for q8, 64 for q4, doubled up to whole rows\n"
    "                   until the image fits the flash slot, and for q4 the\n"
    "                   8 MB PSRAM)\n"
    "  --calibrate N    positions of sampled text used to calibrate q8/q4\n"
    "                   rounding (GPTQ; default 2048, 0 = round to nearest)\n";

typedef struct {
    const char *checkpoint, *tokenizer, *output;
    pl_dtype dtype;
    int have_dtype;
    uint32_t flash_offset;
    int32_t group;
    int32_t calibrate;
} pack_options;

static int parse_dtype(const char *s, pl_dtype *d)
{
    if (!strcmp(s, "f32")) *d = PL_DTYPE_F32;
    else if (!strcmp(s, "q8")) *d = PL_DTYPE_Q8;
    else if (!strcmp(s, "q4")) *d = PL_DTYPE_Q4;
    else return 0;
    return 1;
}

static int parse_u32(const char *s, uint32_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 0);
    if (end == s || *end || s[0] == '-' || v > 0xFFFFFFFFull) return 0;
    *out = (uint32_t)v;
    return 1;
}

/* Returns -1 when the options are fine, otherwise the exit status. */
static int parse_options(int argc, char **argv, pack_options *o)
{
    memset(o, 0, sizeof(*o));
    o->flash_offset = DEFAULT_FLASH_OFFSET;
    o->calibrate = DEFAULT_CALIBRATION;
    for (int i = 0; i < argc; i++) {
        const char *a = argv[i];
        if (cli_is_help(a)) {
            fputs(usage, stdout);
            return 0;
        }
        int takes_value = !strcmp(a, "-q") || !strcmp(a, "-o") || !strcmp(a, "--flash-offset") ||
                          !strcmp(a, "--group") || !strcmp(a, "--calibrate");
        if (takes_value && i + 1 >= argc) return host_error("pack: option %s needs a value", a);
        if (!strcmp(a, "-q")) {
            if (!parse_dtype(argv[++i], &o->dtype))
                return host_error("pack: unknown type '%s' for -q (f32, q8, q4)", argv[i]);
            o->have_dtype = 1;
        } else if (!strcmp(a, "-o")) {
            o->output = argv[++i];
        } else if (!strcmp(a, "--flash-offset")) {
            /* below the slot is the firmware; the last sector is RP2350-E10's */
            if (!parse_u32(argv[++i], &o->flash_offset) ||
                o->flash_offset % RP2350_FLASH_SECTOR != 0 ||
                o->flash_offset < LOWEST_FLASH_OFFSET ||
                o->flash_offset >= RP2350_FLASH_LAST_SECTOR - RP2350_XIP_BASE)
                return host_error("pack: bad --flash-offset '%s' (a multiple of 4096 from 0x%x, "
                                  "the model slot: below it is the firmware, to 0x%x)", argv[i],
                                  LOWEST_FLASH_OFFSET,
                                  RP2350_FLASH_LAST_SECTOR - RP2350_XIP_BASE - RP2350_FLASH_SECTOR);
        } else if (!strcmp(a, "--group")) {
            uint32_t g;
            if (!parse_u32(argv[++i], &g) || g < 16 || g > PL_MAX_GROUP) /* image_choose_group */
                return host_error("pack: bad --group '%s' (16..1024)", argv[i]);
            o->group = (int32_t)g;
        } else if (!strcmp(a, "--calibrate")) {
            if (!host_parse_i32(argv[++i], 0, 1 << 20, &o->calibrate))
                return host_error("pack: bad --calibrate '%s' (0..1048576)", argv[i]);
        } else if (a[0] == '-') {
            return host_error("pack: unknown option '%s' (see 'picollama pack --help')", a);
        } else if (!o->checkpoint) {
            o->checkpoint = a;
        } else if (!o->tokenizer) {
            o->tokenizer = a;
        } else {
            return host_error("pack: unexpected argument '%s'", a);
        }
    }
    if (!o->checkpoint || !o->tokenizer)
        return host_error("pack: missing CHECKPOINT or TOKENIZER (see 'picollama pack --help')");
    if (!o->have_dtype) return host_error("pack: missing -q f32|q8|q4");
    if (!o->output) return host_error("pack: missing -o OUTPUT");
    return -1;
}

static void print_row(const char *what, uint64_t bytes)
{
    if (bytes) printf("  %-20s %12llu bytes\n", what, (unsigned long long)bytes);
}

static void print_summary(const pack_options *o, const image_summary *s, int shared)
{
    static const char *names[] = {"f32", "q8", "q4"};
    printf("%s -> %s (%s)\n", o->checkpoint, o->output, names[o->dtype]);
    print_row("header + table", s->header_and_table);
    print_row("tokenizer", s->tokenizer);
    print_row("embedding", s->embedding);
    print_row("attention", s->attention);
    print_row("feed-forward", s->ffn);
    print_row("rmsnorm", s->norms);
    if (shared) printf("  %-20s %12s\n", "classifier", "(embedding)");
    print_row("classifier", s->classifier);
    printf("  %-20s %12llu bytes (%.2f MB, %.2f MiB)\n", "total", (unsigned long long)s->total,
           s->total / 1e6, s->total / 1048576.0);
}

/* Bytes from the slot's start to the last 4 KB sector (parse_options keeps
 * the offset below it). */
static uint64_t flash_room(const pack_options *o)
{
    return RP2350_FLASH_LAST_SECTOR - (RP2350_XIP_BASE + (uint64_t)o->flash_offset);
}

static int write_uf2(const pack_options *o, const uint8_t *img, size_t size)
{
    uint32_t base = RP2350_XIP_BASE + o->flash_offset;
    uint64_t room = flash_room(o);
    if (size > room)
        return host_error("pack: the image (%zu bytes) does not fit the flash slot at 0x%08x: %llu "
                          "bytes free before the last 4 KB sector (RP2350-E10)",
                          size, base, (unsigned long long)room);
    uf2_segment image = {img, size, base};
    if (!uf2_write_file(o->output, &image, 1, UF2_FAMILY_ABSOLUTE)) return 1;
    printf("  flash slot 0x%08x-0x%08x: %zu of %llu bytes (%.1f%%)\n", base, base + (uint32_t)size,
           size, (unsigned long long)room, 100.0 * size / room);
    uint64_t chain_end = uf2_chain_next(&image); /* uf2_write_file's end-of-chain page */
    if (chain_end < RP2350_FLASH_LAST_SECTOR)
        printf("  end of chain: zeroed page at 0x%08llx (older images after it stay unused)\n",
               (unsigned long long)chain_end);
    uf2_check_4mb_board("pack", o->output, &image);
    uf2_print_flash_command(o->output);
    return 0;
}

static int build(host_model *m, const image_options *opt, uint8_t **img, size_t *size,
                 image_summary *summary, const char **why)
{
    return image_build(&m->transformer.cfg, &m->transformer.w, m->shared_classifier,
                       &m->tokenizer, opt, img, size, summary, why);
}

/* The room an image of this kind should fit: the flash slot, and for q4
 * (meant to be copied to PSRAM) the PSRAM too. */
static uint64_t budget(const pack_options *o)
{
    uint64_t slot = flash_room(o);
    return o->dtype == PL_DTYPE_Q4 && PSRAM_BYTES < slot ? PSRAM_BYTES : slot;
}

/* Finest grouping first (best quality), then longer groups until the image
 * fits `room` or groups are whole rows. */
static int build_to_fit(host_model *m, image_options *opt, uint64_t room, uint8_t **img,
                        size_t *size, image_summary *summary, const char **why)
{
    int32_t group = opt->dtype == PL_DTYPE_Q4 ? 64 : 32;
    for (;; group *= 2) {
        opt->max_group = group;
        if (!build(m, opt, img, size, summary, why)) return 0;
        if (*size <= room || opt->dtype == PL_DTYPE_F32 || group >= PL_MAX_GROUP) return 1;
        fprintf(stderr, "pack: %zu bytes with groups of up to %d do not fit %llu; trying %d\n",
                *size, group, (unsigned long long)room, 2 * group);
        free(*img);
    }
}

int cli_pack(int argc, char **argv)
{
    pack_options o;
    int rc = parse_options(argc, argv, &o);
    if (rc >= 0) return rc;
    const char *inputs[2] = {host_find_model(o.checkpoint), host_find_model(o.tokenizer)};
    /* before the long work: an output that cannot be written fails now */
    if (!host_check_output("pack", o.output, inputs, 2)) return 1;
    host_model m;
    if (!host_model_open(&m, inputs[0], inputs[1])) return 1;
    if (m.is_image) {
        host_model_close(&m);
        return host_error("pack: %s is already a model image; pack a llama2.c checkpoint",
                          o.checkpoint);
    }
    calibration calib = {0};
    int calibrated = o.dtype != PL_DTYPE_F32 && o.calibrate > 0;
    if (calibrated) {
        fprintf(stderr, "pack: calibrating on %d positions of sampled text...\n", o.calibrate);
        if (!calibrate(&m.transformer, o.calibrate, &calib)) {
            calibration_free(&calib);
            host_model_close(&m);
            return host_error("pack: out of memory while calibrating");
        }
    }
    image_options opt = {o.dtype, o.group, calibrated ? &calib : NULL};
    uint8_t *img = NULL;
    size_t size = 0;
    image_summary summary;
    const char *why = "";
    int ok = o.group ? build(&m, &opt, &img, &size, &summary, &why)
                     : build_to_fit(&m, &opt, budget(&o), &img, &size, &summary, &why);
    calibration_free(&calib);
    if (!ok) {
        host_model_close(&m);
        return host_error("pack: %s", why);
    }
    pl_image check; /* the reader must accept what the writer wrote */
    if (pl_image_open(&check, img, size, 1, &why) != PL_OK) {
        rc = host_error("pack: internal error: the packed image fails its checks: %s", why);
    } else {
        print_summary(&o, &summary, m.shared_classifier);
        int uf2 = host_has_suffix(o.output, ".uf2");
        if (uf2) rc = write_uf2(&o, img, size);
        else rc = host_write_file(o.output, img, size) ? 0 : 1;
        if (rc == 0 && !uf2 && size > flash_room(&o))
            fprintf(stderr, "pack: note: %zu bytes do not fit the flash slot (%llu bytes): an "
                    "image for the host only\n", size, (unsigned long long)flash_room(&o));
    }
    free(img);
    host_model_close(&m);
    return rc;
}
