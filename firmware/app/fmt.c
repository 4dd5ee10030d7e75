/* fmt.c - printf subset (see fmt.h). */
#include "fmt.h"

#include <stdint.h>

typedef struct {
    char *buf;
    size_t cap, len;
} out;

static void put(out *o, char c)
{
    if (o->len + 1 < o->cap) o->buf[o->len] = c;
    o->len++;
}

static void put_padded(out *o, const char *digits, size_t n, int width, char pad, int negative)
{
    int total = (int)n + negative;
    if (negative && pad == '0') put(o, '-');
    for (; total < width; total++) put(o, pad);
    if (negative && pad != '0') put(o, '-');
    for (size_t i = 0; i < n; i++) put(o, digits[i]);
}

static void put_unsigned(out *o, unsigned long long v, unsigned base, int upper, int width,
                         char pad, int negative)
{
    char tmp[24]; /* filled from the end: least significant digit last */
    char *p = tmp + sizeof(tmp);
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        *--p = digits[v % base];
        v /= base;
    } while (v);
    put_padded(o, p, (size_t)(tmp + sizeof(tmp) - p), width, pad, negative);
}

/* Fixed-point rendering: the integer part and `decimals` rounded digits. */
static void put_fixed(out *o, double v, int decimals, int width)
{
    int negative = v < 0;
    if (negative) v = -v;
    if (!(v < 1e18)) { /* inf, nan, huge: not worth exact digits */
        put_padded(o, v != v ? "nan" : "inf", 3, width, ' ', negative);
        return;
    }
    unsigned long long scale = 1;
    for (int i = 0; i < decimals; i++) scale *= 10;
    unsigned long long fixed = (unsigned long long)(v * (double)scale + 0.5);
    char tmp[48]; /* filled from the end, as in put_unsigned */
    char *p = tmp + sizeof(tmp);
    unsigned long long whole = fixed / scale, frac = fixed % scale;
    for (int i = 0; i < decimals; i++, frac /= 10) *--p = (char)('0' + frac % 10);
    if (decimals) *--p = '.';
    do {
        *--p = (char)('0' + whole % 10);
        whole /= 10;
    } while (whole);
    put_padded(o, p, (size_t)(tmp + sizeof(tmp) - p), width, ' ', negative);
}

size_t vfmt(char *buf, size_t cap, const char *f, va_list ap)
{
    out o = {buf, cap, 0};
    for (; *f; f++) {
        if (*f != '%') {
            put(&o, *f);
            continue;
        }
        f++;
        char pad = ' ';
        int width = 0, precision = -1, longs = 0;
        if (*f == '0') {
            pad = '0';
            f++;
        }
        while (*f >= '0' && *f <= '9') width = width * 10 + (*f++ - '0');
        if (*f == '.') {
            precision = 0;
            for (f++; *f >= '0' && *f <= '9'; f++) precision = precision * 10 + (*f - '0');
        }
        while (*f == 'l') {
            longs++;
            f++;
        }
        switch (*f) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (!s) s = "(null)";
            size_t n = 0;
            while (s[n] && (precision < 0 || (int)n < precision)) n++;
            put_padded(&o, s, n, width, ' ', 0);
            break;
        }
        case 'c':
            put(&o, (char)va_arg(ap, int));
            break;
        case 'd':
        case 'i': {
            long long v = longs >= 2 ? va_arg(ap, long long) : longs ? va_arg(ap, long) : va_arg(ap, int);
            unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
            put_unsigned(&o, mag, 10, 0, width, pad, v < 0);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            unsigned long long v = longs >= 2 ? va_arg(ap, unsigned long long)
                                   : longs    ? va_arg(ap, unsigned long)
                                              : va_arg(ap, unsigned);
            put_unsigned(&o, v, *f == 'u' ? 10 : 16, *f == 'X', width, pad, 0);
            break;
        }
        case 'f':
            put_fixed(&o, va_arg(ap, double), precision < 0 ? 6 : precision, width);
            break;
        case '%':
            put(&o, '%');
            break;
        default: /* unknown conversion: print it as is */
            put(&o, '%');
            if (*f) put(&o, *f);
            else f--;
            break;
        }
    }
    if (cap) buf[o.len < cap ? o.len : cap - 1] = '\0';
    return o.len < cap ? o.len : (cap ? cap - 1 : 0);
}

size_t fmt(char *buf, size_t cap, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    size_t n = vfmt(buf, cap, format, ap);
    va_end(ap);
    return n;
}
