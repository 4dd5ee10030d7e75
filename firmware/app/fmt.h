/* fmt.h - a small printf-style formatter for the firmware: no heap, no
 * locale, deterministic float output (newlib's printf needs both heap and
 * a lot of stack). Supports %s %c %d %u %x %X (with width, 0 flag, l/ll)
 * and %.Nf; returns the length written (truncated to cap - 1). */
#ifndef PICOLLAMA_FW_FMT_H
#define PICOLLAMA_FW_FMT_H

#include <stdarg.h>
#include <stddef.h>

size_t fmt(char *buf, size_t cap, const char *format, ...) __attribute__((format(printf, 3, 4)));
size_t vfmt(char *buf, size_t cap, const char *format, va_list ap);

#endif
