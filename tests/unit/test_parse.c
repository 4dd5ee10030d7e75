/* test_parse.c - the firmware's console number parsing (firmware/app/parse.c,
 * plain C) against the host's rule: strtod, then a float cast, so that
 * "/temp X" on the board and "-t X" on the PC mean the same float. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../../firmware/app/parse.h"

static void same_float_as_strtod(const char *text)
{
    float got;
    if (!parse_float(text, &got)) fail_msg("'%s' refused", text);
    float want = (float)strtod(text, NULL);
    if (memcmp(&got, &want, sizeof(got)) != 0)
        fail_msg("'%s': %.9g, strtod gives %.9g", text, (double)got, (double)want);
}

static void refused(const char *text)
{
    float f;
    if (parse_float(text, &f)) fail_msg("'%s' accepted as %g", text, (double)f);
}

/* Zeros that carry no digit of the value do not count against the 15
 * significant digits: "/temp 0000000000000001" was refused. */
static void leading_and_trailing_zeros_are_not_significant(void **state)
{
    (void)state;
    same_float_as_strtod("0000000000000001");
    same_float_as_strtod("0.000000000000000000001");
    same_float_as_strtod("0.80000000000000000000");
    same_float_as_strtod("100.00");
    same_float_as_strtod("10.50");
    same_float_as_strtod("100000000000000");      /* 1 and 14 zeros: 15 digits, all needed */
    same_float_as_strtod("000.1000000000000000000"); /* 0.1 */
    same_float_as_strtod("1.00000000000001");       /* 15 significant */
    same_float_as_strtod("+.5");
    same_float_as_strtod("7.");
}

static void beyond_the_rule_is_refused(void **state)
{
    (void)state;
    refused("1.000000000000001");  /* 16 significant digits */
    refused("10000000000000000");  /* 17 digits before the point */
    refused("0.00000000000000000000001"); /* 23 decimals */
    refused("");
    refused(".");
    refused("+");
    refused("-1");
    refused("1e3");
    refused("1.2.3");
    refused(" 1");
    refused("inf");
    refused("nan");
}

/* Many random decimals of up to 15 significant digits, padded with zeros. */
static void random_decimals_match_strtod(void **state)
{
    (void)state;
    srand(12345);
    char text[64];
    for (int i = 0; i < 200000; i++) {
        int lead = rand() % 4, digits = 1 + rand() % 15, point = rand() % (digits + 2),
            trail = rand() % 4;
        size_t n = 0;
        for (int k = 0; k < lead; k++) text[n++] = '0';
        for (int k = 0; k < digits; k++) {
            if (k == point) text[n++] = '.';
            text[n++] = (char)('0' + rand() % 10);
        }
        if (point >= digits) text[n++] = '.';
        for (int k = 0; k < trail; k++) text[n++] = '0';
        text[n] = '\0';
        same_float_as_strtod(text);
    }
}

static void integers(void **state)
{
    (void)state;
    uint64_t u;
    assert_true(parse_u64("18446744073709551615", &u));
    assert_true(u == UINT64_MAX);
    assert_false(parse_u64("18446744073709551616", &u));
    assert_false(parse_u64("", &u));
    assert_false(parse_u64("12x", &u));
    assert_false(parse_u64("-1", &u));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(leading_and_trailing_zeros_are_not_significant),
        cmocka_unit_test(beyond_the_rule_is_refused),
        cmocka_unit_test(random_decimals_match_strtod),
        cmocka_unit_test(integers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
