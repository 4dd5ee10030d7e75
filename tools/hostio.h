/* hostio.h - the host tools' small I/O layer: whole-file reads, model file
 * lookup, strict number parsing and one-line error reporting. */
#ifndef PICOLLAMA_HOSTIO_H
#define PICOLLAMA_HOSTIO_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct {
    uint8_t *data; /* 16-byte aligned, NUL-terminated one byte past size */
    size_t size;
} host_file;

/* Reads a whole regular file (anything else, a FIFO say, is refused
 * without blocking); on failure prints "picollama: PATH: reason" and
 * returns 0. */
int host_read_file(const char *path, host_file *out);
void host_free_file(host_file *f);

/* Before any long work: can path take `command`'s output? It must be a
 * regular file or a character device (/dev/null; a FIFO would block), not
 * be one of the n_inputs files (same device and inode: another name or a
 * link to it counts), and be writable (for a new file: creatable in its
 * directory). Prints one error line and returns 0 otherwise. */
int host_check_output(const char *command, const char *path, const char *const *inputs,
                      int n_inputs);

/* Opens path for writing, replacing a regular file; refuses (without
 * blocking) anything but a regular file or a character device. Prints the
 * reason and returns NULL on failure. */
FILE *host_open_output(const char *path);

/* Closes an output from host_open_output; ok = 0 when writing it failed.
 * On any failure prints the reason, removes a regular file (nothing
 * half-written stays) and returns 0. */
int host_close_output(FILE *f, const char *path, int ok);

/* Writes size bytes to path (replacing it) as the two functions above do;
 * prints the reason and returns 0 on failure. */
int host_write_file(const char *path, const void *data, size_t size);

/* True when name ends with suffix, ignoring ASCII case (".uf2", ".UF2"). */
int host_has_suffix(const char *name, const char *suffix);

/* Resolves a model file name: an existing path is used as given; a bare file
 * name is also looked up in $PICOLLAMA_MODELS, ./models, ../shared/models.
 * Returns name itself or one of four static buffers (reused in turn). */
const char *host_find_model(const char *name);

/* Strict parsers: the whole string must be a number in range. */
int host_parse_float(const char *s, float *out);
int host_parse_i32(const char *s, int32_t min, int32_t max, int32_t *out);
int host_parse_u64(const char *s, uint64_t *out);

/* Prints "picollama: " + message + newline on stderr; returns 1 (the exit
 * status for errors). */
int host_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Monotonic time in seconds. */
double host_seconds(void);

#endif
