/* parse.c - number parsing for console commands (see parse.h). */
#include "parse.h"

bool parse_u64(const char *s, uint64_t *out)
{
    if (!*s) return false;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return false;
        uint64_t d = (uint64_t)(*s - '0');
        if (v > (UINT64_MAX - d) / 10) return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

bool parse_float(const char *s, float *out)
{
    if (*s == '+') s++;
    uint64_t mantissa = 0;
    int digits = 0, decimals = 0;
    bool point = false;
    for (; *s; s++) {
        if (*s == '.' && !point) {
            point = true;
            continue;
        }
        if (*s < '0' || *s > '9' || digits >= 15) return false;
        mantissa = mantissa * 10 + (uint64_t)(*s - '0');
        digits++;
        if (point) decimals++;
    }
    if (digits == 0) return false;
    /* both operands are exact doubles (< 2^53, 10^15): one correctly rounded
     * division gives strtod's double, and the same float after the cast */
    double scale = 1.0;
    for (int i = 0; i < decimals; i++) scale *= 10.0;
    *out = (float)((double)mantissa / scale);
    return true;
}
