/* print.c - tiny formatted output for the test images. */
#include "hw.h"

void (*console_hook)(const char *s, int n);

void print(const char *s)
{
    int n = 0;
    for (const char *p = s; *p; p++, n++) uart_putc(*p);
    if (console_hook) console_hook(s, n);
}

void print_hex(uint32_t v)
{
    char buf[11] = "0x";
    for (int i = 0; i < 8; i++) buf[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 15];
    buf[10] = 0;
    print(buf);
}

void print_dec(uint32_t v)
{
    char buf[12];
    int i = 11;
    buf[i] = 0;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    print(buf + i);
}
