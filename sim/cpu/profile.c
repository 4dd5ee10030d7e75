/* profile.c - the cycle profiler (see profile.h). */
#include "profile.h"

#include <fcntl.h>
#include <gelf.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- function classes: one table; the first matching row wins ---- */

typedef struct {
    const char *pattern;   /* a name, or a prefix ending in '*' */
    const char *cls;
} class_row;

static const class_row class_table[] = {
    {"pl_matmul*", "matmul"},
    {"matmul_*", "matmul"},
    {"pl_quantize*", "matmul"},
    {"quantize_*", "matmul"},
    {"parts_quantize_*", "matmul"},
    {"one_group_part", "matmul"},
    {"q8_pairs_now", "matmul"},
    {"pl_max_abs", "matmul"},
    {"swiglu*", "matmul"},
    {"xip_stream*", "stream"},
    {"pl_softmax*", "softmax/exp"},
    {"softmax_*", "softmax/exp"},
    {"exp_nonpositive", "softmax/exp"},
    {"pl_expf*", "softmax/exp"},
    {"expf*", "softmax/exp"},
    {"exp2*", "softmax/exp"},
    {"pl_forward", "attention"},
    {"pl_attention*", "attention"},
    {"attention_*", "attention"},
    {"pl_kv_*", "attention"},
    {"rmsnorm*", "attention"},
    {"pl_rmsnorm*", "attention"},
    {"pl_rope*", "attention"},
    {"rope_*", "attention"},
    {"attention", "attention"},
    {"kv_head_part", "attention"},
    {"group_part", "attention"},
    {"shared_groups", "attention"},
    {"balanced_part0_heads", "attention"},
    {"key_run_end", "attention"},
    {"whole_head_init", "attention"},
    {"pl_sincosf", "attention"},
    {"sincos_*", "attention"},
    {"pl_powf", "attention"},
    {"pl_sample*", "sampling"},
    {"topp_*", "sampling"},
    {"collect_candidates", "sampling"},
    {"pl_sampler*", "sampling"},
    {"sift_down", "sampling"},
    {"qsort*", "sampling"},
    {"compare_prob*", "sampling"},
    {"pl_encode*", "tokenizer"},
    {"pl_decode*", "tokenizer"},
    {"pl_tokenizer*", "tokenizer"},
    {"pl_printable*", "tokenizer"},
    {"lookup_concat", "tokenizer"},
    {"compare_concat", "tokenizer"},
    {"text_compare", "tokenizer"},
    {"console_*", "console/USB"},
    {"usb_*", "console/USB"},
    {"uart_*", "console/USB"},
    {"emit", "console/USB"},
    {"keep_usb_alive", "console/USB"},
    {"fmt", "console/USB"},
    {"vfmt", "console/USB"},
    {"put_*", "console/USB"},
    {"on_setup", "console/USB"},
    {"on_transfer_done", "console/USB"},
    {"on_bus_reset", "console/USB"},
    {"deliver", "console/USB"},
    {"request*", "console/USB"},
    {"transfer_done", "console/USB"},
    {"get_descriptor", "console/USB"},
    {"string_descriptor", "console/USB"},
    {"init_ep0", "console/USB"},
    {"arm_out", "console/USB"},
    {"dcd_*", "console/USB"},
    {"cdc_*", "console/USB"},
};

const char *prof_class_of(const char *name)
{
    for (size_t i = 0; i < sizeof(class_table) / sizeof(class_table[0]); i++) {
        const char *p = class_table[i].pattern;
        size_t n = strlen(p);
        if (n && p[n - 1] == '*' ? strncmp(name, p, n - 1) == 0 : strcmp(name, p) == 0)
            return class_table[i].cls;
    }
    return "other";
}

/* ---- symbols ---- */

static int by_addr(const void *a, const void *b)
{
    const prof_sym *x = a, *y = b;
    return x->addr < y->addr ? -1 : x->addr > y->addr;
}

static int load_symbols(profiler *p, const char *path, char *err, size_t errlen)
{
    if (elf_version(EV_CURRENT) == EV_NONE) {
        snprintf(err, errlen, "libelf: %s", elf_errmsg(-1));
        return 0;
    }
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        snprintf(err, errlen, "cannot read %s", path);
        return 0;
    }
    Elf *e = elf_begin(fd, ELF_C_READ, NULL);
    if (!e || elf_kind(e) != ELF_K_ELF) {
        snprintf(err, errlen, "%s is not an ELF file", path);
        if (e) elf_end(e);
        close(fd);
        return 0;
    }
    int cap = 0;
    Elf_Scn *scn = NULL;
    while ((scn = elf_nextscn(e, scn)) != NULL) {
        GElf_Shdr sh;
        if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize) continue;
        Elf_Data *d = elf_getdata(scn, NULL);
        size_t n = sh.sh_size / sh.sh_entsize;
        for (size_t i = 0; d && i < n; i++) {
            GElf_Sym sym;
            if (!gelf_getsym(d, (int)i, &sym) || GELF_ST_TYPE(sym.st_info) != STT_FUNC) continue;
            const char *name = elf_strptr(e, sh.sh_link, sym.st_name);
            if (!name || !*name) continue;
            if (p->nsyms == cap) {
                cap = cap ? 2 * cap : 256;
                p->syms = realloc(p->syms, (size_t)cap * sizeof(prof_sym));
            }
            prof_sym *s = &p->syms[p->nsyms++];
            s->addr = (uint32_t)sym.st_value & ~1u;
            s->size = (uint32_t)sym.st_size;
            s->name = strdup(name);
        }
    }
    elf_end(e);
    close(fd);
    if (!p->nsyms) {
        snprintf(err, errlen, "%s has no function symbols", path);
        return 0;
    }
    qsort(p->syms, (size_t)p->nsyms, sizeof(prof_sym), by_addr);
    /* one entry per address; a symbol without a size runs to the next one */
    int k = 0;
    for (int i = 0; i < p->nsyms; i++) {
        if (k && p->syms[k - 1].addr == p->syms[i].addr) {
            if (!p->syms[k - 1].size) p->syms[k - 1].size = p->syms[i].size;
            free(p->syms[i].name);
            continue;
        }
        p->syms[k++] = p->syms[i];
    }
    p->nsyms = k;
    for (int i = 0; i < k; i++)
        if (!p->syms[i].size && i + 1 < k) p->syms[i].size = p->syms[i + 1].addr - p->syms[i].addr;
    return 1;
}

int prof_init(profiler *p, const char *elf_path, char *err, size_t errlen)
{
    memset(p, 0, sizeof(*p));
    if (elf_path) {
        snprintf(p->elf, sizeof(p->elf), "%s", elf_path);
        if (!load_symbols(p, elf_path, err, errlen)) return 0;
    }
    size_t n = (size_t)p->nsyms + PROF_EXTRA;
    p->cycles = calloc(n, sizeof(uint64_t));
    p->stall = calloc(n, sizeof(uint64_t));
    p->insns = calloc(n, sizeof(uint64_t));
    for (int core = 0; core < 2; core++) p->core_cycles[core] = calloc(n, sizeof(uint64_t));
    p->on = 1;
    return 1;
}

void prof_free(profiler *p)
{
    for (int i = 0; i < p->nsyms; i++) free(p->syms[i].name);
    free(p->syms);
    free(p->cycles);
    free(p->stall);
    free(p->insns);
    for (int core = 0; core < 2; core++) free(p->core_cycles[core]);
    memset(p, 0, sizeof(*p));
}

int32_t prof_func_of(const profiler *p, uint32_t addr)
{
    int lo = 0, hi = p->nsyms - 1, found = -1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2;
        if (p->syms[mid].addr <= addr) {
            found = mid;
            lo = mid + 1;
        } else {
            hi = mid - 1;
        }
    }
    if (found >= 0 && addr - p->syms[found].addr < (p->syms[found].size ? p->syms[found].size : 1))
        return found;
    static const int bucket[XR_COUNT] = {PROF_NOSYM_ROM, PROF_NOSYM_SRAM, PROF_NOSYM_FLASH,
                                         PROF_NOSYM_PSRAM, PROF_NOSYM_XIPSRAM, PROF_NOSYM_OTHER};
    return p->nsyms + bucket[xc_region(addr)];
}

void prof_restart(profiler *p, const uint64_t core_cycles[2], uint64_t now_ps)
{
    if (p->on) {
        size_t n = (size_t)p->nsyms + PROF_EXTRA;
        memset(p->cycles, 0, n * sizeof(uint64_t));
        memset(p->stall, 0, n * sizeof(uint64_t));
        memset(p->insns, 0, n * sizeof(uint64_t));
        for (int core = 0; core < 2; core++) memset(p->core_cycles[core], 0, n * sizeof(uint64_t));
    }
    for (int i = 0; i < 2; i++) p->start_cycles[i] = core_cycles[i];
    p->start_ps = now_ps;
}

/* ---- the report ---- */

static double pct(uint64_t part, uint64_t whole) { return whole ? 100.0 * (double)part / (double)whole : 0.0; }

/* A function class's share of the profile. */
typedef struct {
    const char *name;
    uint64_t cycles, stall, core[2];
} class_sum;

static const char *entry_class(const profiler *p, int i)
{
    if (i < p->nsyms) return prof_class_of(p->syms[i].name);
    return i - p->nsyms == PROF_IDLE ? "idle" : "other";
}

static int by_class_cycles(const void *a, const void *b)
{
    uint64_t x = ((const class_sum *)a)->cycles, y = ((const class_sum *)b)->cycles;
    return x < y ? 1 : x > y ? -1 : 0;
}

/* The profile summed by class, largest first, with each core's part (for
 * two cores, where the work falls: what one core does alone while the
 * other idles). */
static void report_classes(const profiler *p, uint64_t total, FILE *f)
{
    enum { MAX_CLASSES = 32 };
    class_sum sums[MAX_CLASSES];
    int count = 0;
    for (int i = 0; i < p->nsyms + PROF_EXTRA; i++) {
        if (!p->cycles[i]) continue;
        const char *name = entry_class(p, i);
        int j = 0;
        while (j < count && strcmp(sums[j].name, name)) j++;
        if (j == MAX_CLASSES) continue;
        if (j == count) sums[count++] = (class_sum){name, 0, 0, {0, 0}};
        sums[j].cycles += p->cycles[i];
        sums[j].stall += p->stall[i];
        for (int core = 0; core < 2; core++) sums[j].core[core] += p->core_cycles[core][i];
    }
    qsort(sums, (size_t)count, sizeof(class_sum), by_class_cycles);
    fprintf(f, "#\n# by class (sim/cpu/profile.c maps functions to classes)\n");
    fprintf(f, "# %-14s %8s %14s %12s %14s %14s\n", "Class", "Overhead", "Cycles", "XIP wait",
            "Core 0", "Core 1");
    for (int j = 0; j < count; j++)
        fprintf(f, "class %-14s %7.2f%% %14llu %12llu %14llu %14llu\n", sums[j].name,
                pct(sums[j].cycles, total), (unsigned long long)sums[j].cycles,
                (unsigned long long)sums[j].stall, (unsigned long long)sums[j].core[0],
                (unsigned long long)sums[j].core[1]);
}

static const char *entry_name(const profiler *p, int i, char *buf, size_t len)
{
    static const char *extra[PROF_EXTRA] = {"[ROM, no symbol]", "[SRAM, no symbol]",
                                            "[flash, no symbol]", "[PSRAM, no symbol]",
                                            "[XIP SRAM, no symbol]", "[other, no symbol]",
                                            "[idle: WFE/WFI]"};
    if (i < p->nsyms) return p->syms[i].name;
    snprintf(buf, len, "%s", extra[i - p->nsyms]);
    return buf;
}

static const profiler *sort_p;
static int by_cycles(const void *a, const void *b)
{
    uint64_t x = sort_p->cycles[*(const int *)a], y = sort_p->cycles[*(const int *)b];
    return x < y ? 1 : x > y ? -1 : 0;
}

void prof_report(const profiler *p, const prof_board_view *board, FILE *f)
{
    int n = p->nsyms + PROF_EXTRA;
    uint64_t total = 0, total_stall = 0;
    for (int i = 0; i < n; i++) {
        total += p->cycles[i];
        total_stall += p->stall[i];
    }
    double ms = (double)(board->now_ps - p->start_ps) / 1e9;
    fprintf(f, "# picollama-sim profile: %llu cycles on the cores (%.3f ms modelled, clk_sys %.3f MHz)%s\n",
            (unsigned long long)total, ms, (double)board->f_sys / 1e6,
            p->nsyms ? "" : "; no ELF symbols (give --elf)");
    if (p->elf[0]) fprintf(f, "# symbols: %s\n", p->elf);
    fprintf(f, "# cycles: instructions (datasheet 3.7.4.9 costs) + XIP wait (cache misses and "
               "uncached accesses on the QSPI bus)\n#\n");
    fprintf(f, "# %8s %14s %12s %13s %6s %14s %14s  %s\n", "Overhead", "Cycles", "XIP wait",
            "Instructions", "CPI", "Core 0", "Core 1", "Function");
    int *order = malloc((size_t)n * sizeof(int));
    for (int i = 0; i < n; i++) order[i] = i;
    sort_p = p;
    qsort(order, (size_t)n, sizeof(int), by_cycles);
    char buf[64];
    for (int k = 0; k < n; k++) {
        int i = order[k];
        if (!p->cycles[i]) break;
        if (k >= 60 && pct(p->cycles[i], total) < 0.01) break;
        fprintf(f, "  %8.2f%% %14llu %12llu %13llu %6.2f %14llu %14llu  %s\n",
                pct(p->cycles[i], total), (unsigned long long)p->cycles[i],
                (unsigned long long)p->stall[i], (unsigned long long)p->insns[i],
                p->insns[i] ? (double)p->cycles[i] / (double)p->insns[i] : 0.0,
                (unsigned long long)p->core_cycles[0][i], (unsigned long long)p->core_cycles[1][i],
                entry_name(p, i, buf, sizeof(buf)));
    }
    free(order);

    report_classes(p, total, f);

    /* memory regions */
    static const char *rn[XR_COUNT] = {"ROM", "SRAM", "flash (QMI CS0)", "PSRAM (QMI CS1)",
                                       "XIP cache-as-SRAM", "other"};
    fprintf(f, "#\n# by memory region (exec: cycles of code fetched from it; wait: cycles the "
               "cores waited for it)\n");
    fprintf(f, "# %-17s %14s %12s %11s %11s %10s %8s %12s %12s %10s %9s\n", "Region", "Exec cycles",
            "Wait cycles", "Fetch lines", "Data reads", "Writes", "Hit rate", "QSPI read B",
            "QSPI write B", "Transfers", "Chained");
    for (int r = 0; r < XR_COUNT; r++) {
        const xc_region_stats *s = &board->regions[r];
        uint64_t acc = s->fetches + s->reads + s->writes;
        if (!s->exec_cycles && !s->stall_cycles && !acc && !s->transfers) continue;
        char hit[16] = "-";
        if (acc) snprintf(hit, sizeof(hit), "%.2f%%", pct(acc - s->misses - s->uncached, acc));
        fprintf(f, "region %-17s %14llu %12llu %11llu %11llu %10llu %8s %12llu %12llu %10llu %9llu\n",
                rn[r], (unsigned long long)s->exec_cycles, (unsigned long long)s->stall_cycles,
                (unsigned long long)s->fetches, (unsigned long long)s->reads,
                (unsigned long long)s->writes, hit, (unsigned long long)s->qspi_read_bytes,
                (unsigned long long)s->qspi_write_bytes, (unsigned long long)s->transfers,
                (unsigned long long)s->chained);
    }
    fprintf(f, "# total XIP wait %llu cycles (%.2f%%)\n", (unsigned long long)total_stall,
            pct(total_stall, total));
}
