/* testenv.h - where tests find things: the built tools, the golden files
 * and the model files (lookup order $PICOLLAMA_MODELS, models/,
 * ../shared/models/). A missing model fails the test loudly. */
#ifndef PICOLLAMA_TESTENV_H
#define PICOLLAMA_TESTENV_H

#include <stddef.h>
#include <stdint.h>

/* Path of a model file, or NULL after printing how to get it. */
const char *testenv_model(const char *name);

/* Reads a whole file into a malloc'd NUL-terminated buffer; NULL if absent. */
char *testenv_read(const char *path, size_t *len);

/* Writes len bytes to path; 1 on success. */
int testenv_write(const char *path, const void *data, size_t len);

/* The little-endian 32-bit word at p (UF2 and image fields). */
uint32_t testenv_le32(const void *p);

/* A fresh path under the test's temporary directory (static buffer per call
 * slot: up to 8 live at once). */
const char *testenv_tmp(const char *name);

/* How many times needle occurs in text, without overlaps. */
int testenv_count(const char *text, const char *needle);

/* Turns C escapes (\n, \t, \\, \xHH, \") into bytes, in place. */
void testenv_unescape(char *s);

/* 1 if path names an existing file or directory. */
int testenv_exists(const char *path);

/* Writes body to path as an executable script; 1 on success. */
int testenv_write_script(const char *path, const char *body);

#endif
