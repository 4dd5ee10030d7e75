/* loader_elf.c - ELF images, loaded as a debugger loads them: every PT_LOAD
 * segment's file bytes at its physical (load) address, so initialised data
 * lands in flash where crt0 expects to copy it from. The board then boots
 * through the boot ROM emulation like it would from a UF2. */
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <string.h>

#include "loader.h"

static int check_header(Elf *e, char *err, size_t errlen)
{
    GElf_Ehdr eh;
    if (elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
        snprintf(err, errlen, "not an ELF file");
        return 0;
    }
    if (eh.e_ident[EI_CLASS] != ELFCLASS32 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
        eh.e_machine != EM_ARM) {
        snprintf(err, errlen, "not a 32-bit little-endian ARM ELF file");
        return 0;
    }
    return 1;
}

int elf_load(const uint8_t *data, size_t len, load_target *t, char *err, size_t errlen)
{
    if (elf_version(EV_CURRENT) == EV_NONE) {
        snprintf(err, errlen, "libelf unusable");
        return 0;
    }
    Elf *e = elf_memory((char *)data, len);
    if (!e) {
        snprintf(err, errlen, "not an ELF file (%s)", elf_errmsg(-1));
        return 0;
    }
    int ok = check_header(e, err, errlen);
    size_t nph = 0;
    if (ok && elf_getphdrnum(e, &nph) != 0) {
        snprintf(err, errlen, "no program headers");
        ok = 0;
    }
    for (size_t i = 0; ok && i < nph; i++) {
        GElf_Phdr ph;
        if (!gelf_getphdr(e, (int)i, &ph)) continue;
        if (ph.p_type != PT_LOAD || ph.p_filesz == 0) continue;
        if (ph.p_offset + ph.p_filesz > len) {
            snprintf(err, errlen, "segment %zu lies outside the file", i);
            ok = 0;
            break;
        }
        char werr[200];
        if (!loader_write(t, (uint32_t)ph.p_paddr, data + ph.p_offset, (uint32_t)ph.p_filesz, werr,
                          sizeof(werr))) {
            snprintf(err, errlen, "segment %zu: %s", i, werr);
            ok = 0;
        }
    }
    if (ok && t->bytes == 0) {
        snprintf(err, errlen, "no loadable segment");
        ok = 0;
    }
    elf_end(e);
    if (ok) snprintf(t->family, sizeof(t->family), "ELF");
    return ok;
}
