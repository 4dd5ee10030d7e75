/* testenv.c - locating models, goldens and scratch files for tests. */
#define _POSIX_C_SOURCE 200809L
#include "testenv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef PICOLLAMA_SOURCE_DIR
#error "PICOLLAMA_SOURCE_DIR must be defined by the build"
#endif

int testenv_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

int testenv_write_script(const char *path, const char *body)
{
    return testenv_write(path, body, strlen(body)) && chmod(path, 0755) == 0;
}

const char *testenv_model(const char *name)
{
    static char paths[4][4096];
    static int slot;
    char *path = paths[slot++ % 4];
    const char *env = getenv("PICOLLAMA_MODELS");
    if (env && *env) {
        snprintf(path, 4096, "%s/%s", env, name);
        if (testenv_exists(path)) return path;
    }
    snprintf(path, 4096, "%s/models/%s", PICOLLAMA_SOURCE_DIR, name);
    if (testenv_exists(path)) return path;
    snprintf(path, 4096, "%s/../shared/models/%s", PICOLLAMA_SOURCE_DIR, name);
    if (testenv_exists(path)) return path;
    fprintf(stderr,
            "MODEL MISSING: %s not found in $PICOLLAMA_MODELS, models/ or ../shared/models/; "
            "run 'make models' to download it\n",
            name);
    return NULL;
}

char *testenv_read(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    if (!buf) return NULL;
    buf[n] = '\0';
    if (len) *len = (size_t)n;
    return buf;
}

int testenv_write(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) return 0;
    int ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

uint32_t testenv_le32(const void *p)
{
    const unsigned char *b = p;
    return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

const char *testenv_tmp(const char *name)
{
    static char dir[4096];
    static char paths[8][4200];
    static int slot;
    if (!dir[0]) {
        const char *base = getenv("TMPDIR");
        snprintf(dir, sizeof(dir), "%s/picollama-test-XXXXXX", base && *base ? base : "/tmp");
        if (!mkdtemp(dir)) abort();
    }
    char *path = paths[slot++ % 8];
    snprintf(path, 4200, "%s/%s", dir, name);
    return path;
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

void testenv_unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (*r != '\\' || !r[1]) {
            *w++ = *r;
            continue;
        }
        r++;
        switch (*r) {
        case 'n': *w++ = '\n'; break;
        case 't': *w++ = '\t'; break;
        case 'r': *w++ = '\r'; break;
        case '0': *w++ = '\0'; break;
        case 'x': {
            int v = 0, d;
            while ((d = hex_digit(r[1])) >= 0) {
                v = v * 16 + d;
                r++;
            }
            *w++ = (char)v;
            break;
        }
        default: *w++ = *r; break;
        }
    }
    *w = '\0';
}

int testenv_count(const char *text, const char *needle)
{
    int n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle)) n++;
    return n;
}
