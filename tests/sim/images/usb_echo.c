/* usb_echo.c - test image: a USB CDC-ACM device that prints a banner when
 * the terminal asserts DTR and echoes input in upper case; Ctrl-C prints ^C;
 * DTR going away is reported. The same text is mirrored on UART0. */
#include "hw.h"
#include "usb_cdc.h"

static void usb_out(const char *s, int n)
{
    if (usb_cdc_dtr()) usb_cdc_write(s, n);
}

int main(void)
{
    clocks_150mhz();
    uart_init(150000000, 115200);
    usb_cdc_init();
    console_hook = usb_out;
    int banner = 0;
    for (;;) {
        usb_cdc_poll();
        if (usb_cdc_dtr() && !banner) {
            banner = 1;
            print("USB CDC echo ready\r\n");
        }
        if (!usb_cdc_dtr() && banner) {
            banner = 0;
            print("DTR dropped\r\n");
        }
        int c = usb_cdc_getc();
        if (c < 0) continue;
        if (c == 3) {
            print("^C\r\n");
            continue;
        }
        char s[2] = {(char)(c >= 'a' && c <= 'z' ? c - 32 : c), 0};
        print(s);
    }
}
