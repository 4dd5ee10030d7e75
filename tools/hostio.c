/* hostio.c - file, lookup, parsing and error helpers for the host tools. */
#define _POSIX_C_SOURCE 200809L
#include "hostio.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

int host_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("picollama: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return 1;
}

int host_read_file(const char *path, host_file *out)
{
    out->data = NULL;
    out->size = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        host_error("%s: %s", path, strerror(errno));
        return 0;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        host_error("%s: not a regular file", path);
        fclose(f);
        return 0;
    }
    size_t size = (size_t)st.st_size;
    /* +1 for a terminating NUL, rounded up for aligned_alloc */
    uint8_t *data = aligned_alloc(16, (size + 16) & ~(size_t)15);
    if (!data) {
        host_error("%s: out of memory (%zu bytes)", path, size);
        fclose(f);
        return 0;
    }
    if (size && fread(data, 1, size, f) != size) {
        host_error("%s: read error", path);
        free(data);
        fclose(f);
        return 0;
    }
    data[size] = 0;
    fclose(f);
    out->data = data;
    out->size = size;
    return 1;
}

void host_free_file(host_file *f)
{
    free(f->data);
    f->data = NULL;
    f->size = 0;
}

int host_write_file(const char *path, const void *data, size_t size)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        host_error("%s: %s", path, strerror(errno));
        return 0;
    }
    int ok = fwrite(data, 1, size, f) == size;
    ok &= fclose(f) == 0;
    if (!ok) host_error("%s: write error", path);
    return ok;
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

const char *host_find_model(const char *name)
{
    static char paths[4][4096]; /* a few results may be in use at once */
    static unsigned next;
    char *path = paths[next++ % 4];
    if (file_exists(name) || strchr(name, '/')) return name;
    const char *env = getenv("PICOLLAMA_MODELS");
    const char *dirs[] = {env, "models", "../shared/models"};
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        if (!dirs[i] || !dirs[i][0]) continue;
        snprintf(path, sizeof(paths[0]), "%s/%s", dirs[i], name);
        if (file_exists(path)) return path;
    }
    return name;
}

int host_parse_float(const char *s, float *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0' || errno == ERANGE || !isfinite(v)) return 0;
    *out = (float)v;
    return 1;
}

int host_parse_i32(const char *s, int32_t min, int32_t max, int32_t *out)
{
    char *end;
    errno = 0;
    long long v = strtoll(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE || v < min || v > max) return 0;
    *out = (int32_t)v;
    return 1;
}

int host_parse_u64(const char *s, uint64_t *out)
{
    char *end;
    if (s[0] == '-' || s[0] == '+') return 0;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE) return 0;
    *out = v;
    return 1;
}

double host_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}
