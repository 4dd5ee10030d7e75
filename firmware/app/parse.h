/* parse.h - strict parsing of command arguments (no libc strtod: newlib's
 * allocates). A decimal is rounded exactly as strtod + a float cast does on
 * the host, so "/temp 0.8" and "picollama run -t 0.8" mean the same float. */
#ifndef PICOLLAMA_FW_PARSE_H
#define PICOLLAMA_FW_PARSE_H

#include <stdbool.h>
#include <stdint.h>

/* [+]digits[.digits] or .digits: at most 15 significant digits (leading
 * zeros, and trailing ones after the point, do not count) and at most 22
 * digits after the point before the last nonzero one. */
bool parse_float(const char *s, float *out);
/* Decimal digits only, fitting in 64 bits. */
bool parse_u64(const char *s, uint64_t *out);

#endif
