/* hostio.c - file, lookup, parsing and error helpers for the host tools. */
#define _POSIX_C_SOURCE 200809L
#include "hostio.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

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

/* Opens path for reading. O_NONBLOCK: open() of a FIFO would otherwise
 * wait for a writer forever; such a file is refused right after. */
static FILE *open_regular_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK);
    if (fd < 0) {
        host_error("%s: %s", path, strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        host_error("%s: not a regular file", path);
        close(fd);
        return NULL;
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        host_error("%s: %s", path, strerror(errno));
        close(fd);
    }
    return f;
}

int host_read_file(const char *path, host_file *out)
{
    out->data = NULL;
    out->size = 0;
    FILE *f = open_regular_file(path);
    if (!f) return 0;
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        host_error("%s: %s", path, strerror(errno));
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

/* What an output may be: a file, or a device such as /dev/null or
 * /dev/full. Not a FIFO or socket: writing one waits for a reader. */
static int output_type_ok(mode_t mode) { return S_ISREG(mode) || S_ISCHR(mode); }

static int same_file(const struct stat *a, const char *path)
{
    struct stat b;
    return stat(path, &b) == 0 && a->st_dev == b.st_dev && a->st_ino == b.st_ino;
}

int host_check_output(const char *command, const char *path, const char *const *inputs,
                      int n_inputs)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno != ENOENT) return host_error("%s: %s: %s", command, path, strerror(errno)), 0;
        /* a new file: make sure its directory takes it, then leave no trace */
        int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0666);
        if (fd < 0) return host_error("%s: %s: %s", command, path, strerror(errno)), 0;
        close(fd);
        unlink(path);
        return 1;
    }
    if (!output_type_ok(st.st_mode))
        return host_error("%s: %s: not a regular file or character device", command, path), 0;
    for (int i = 0; i < n_inputs; i++)
        if (same_file(&st, inputs[i]))
            return host_error("%s: the output %s is the input %s (the same file): refusing to "
                               "overwrite it", command, path, inputs[i]), 0;
    int fd = open(path, O_WRONLY | O_NONBLOCK); /* writable? (not truncated yet) */
    if (fd < 0) return host_error("%s: %s: %s", command, path, strerror(errno)), 0;
    close(fd);
    return 1;
}

FILE *host_open_output(const char *path)
{
    struct stat st;
    if (stat(path, &st) == 0 && !output_type_ok(st.st_mode)) {
        host_error("%s: not a regular file or character device", path);
        return NULL;
    }
    /* O_NONBLOCK in case a FIFO took the name since: open() returns */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NONBLOCK, 0666);
    if (fd < 0) {
        host_error("%s: %s", path, strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) != 0 || !output_type_ok(st.st_mode)) {
        host_error("%s: not a regular file or character device", path);
        close(fd);
        return NULL;
    }
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK); /* ordinary writes from here on */
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        host_error("%s: %s", path, strerror(errno));
        close(fd);
    }
    return f;
}

int host_close_output(FILE *f, const char *path, int ok)
{
    struct stat st;
    int regular = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode);
    ok = ok && fflush(f) == 0;
    int err = errno;
    if (fclose(f) != 0 && ok) {
        ok = 0;
        err = errno;
    }
    if (!ok) {
        host_error("%s: write error: %s", path, strerror(err));
        if (regular) remove(path); /* never a device such as /dev/full */
    }
    return ok;
}

int host_write_file(const char *path, const void *data, size_t size)
{
    FILE *f = host_open_output(path);
    if (!f) return 0;
    return host_close_output(f, path, fwrite(data, 1, size, f) == size);
}

int host_has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), k = strlen(suffix);
    if (n < k) return 0;
    for (size_t i = 0; i < k; i++)
        if (tolower((unsigned char)name[n - k + i]) != tolower((unsigned char)suffix[i])) return 0;
    return 1;
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
