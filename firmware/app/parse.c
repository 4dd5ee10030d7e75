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

#define MAX_SIGNIFICANT 15 /* 10^15 < 2^53: the mantissa is an exact double */
#define MAX_DECIMALS 22    /* 10^22 is the largest power of ten a double holds exactly */

static double power_of_ten(int n)
{
    double p = 1.0;
    for (int i = 0; i < n; i++) p *= 10.0;
    return p;
}

bool parse_float(const char *s, float *out)
{
    if (*s == '+') s++;
    uint64_t mantissa = 0;
    int digits = 0, significant = 0, decimals = 0;
    int int_zeros = 0, frac_zeros = 0; /* zeros after the last nonzero digit, not yet counted */
    bool point = false;
    for (; *s; s++) {
        if (*s == '.' && !point) {
            point = true;
            continue;
        }
        if (*s < '0' || *s > '9') return false;
        digits++;
        if (point) decimals++;
        if (*s == '0') { /* leading zeros are not significant; others may be */
            if (significant) *(point ? &frac_zeros : &int_zeros) += 1;
            continue;
        }
        while (int_zeros + frac_zeros > 0) { /* zeros inside the number */
            if (++significant > MAX_SIGNIFICANT) return false;
            mantissa *= 10;
            *(int_zeros ? &int_zeros : &frac_zeros) -= 1;
        }
        mantissa = mantissa * 10 + (uint64_t)(*s - '0');
        if (++significant > MAX_SIGNIFICANT) return false;
    }
    if (digits == 0) return false;
    /* trailing zeros: of the integer part scale the mantissa, of the
     * fraction change nothing */
    if (significant + int_zeros > MAX_SIGNIFICANT) return false;
    for (; int_zeros > 0; int_zeros--) mantissa *= 10;
    decimals -= frac_zeros;
    if (decimals > MAX_DECIMALS) return false;
    /* both operands are exact doubles: one correctly rounded division gives
     * strtod's double, and the same float after the cast */
    *out = (float)((double)mantissa / power_of_ten(decimals));
    return true;
}
