/* test_firmware_reset.c - rebooting the board from the host, as Pico SDK
 * firmware allows (issue 20): the reset interface picotool uses
 * (RESET_REQUEST_BOOTSEL with its wValue, RESET_REQUEST_FLASH), the
 * Microsoft OS 2.0 descriptors that give it WinUSB on Windows, and the
 * 1200-baud touch, all sent by the virtual host; the simulator reports the
 * BOOTSEL reboot as it does for /bootsel. The serial console is what it
 * was for a host that ignores the extra interface, and the test firmware,
 * built without both options, has neither. Prints the descriptor set the
 * virtual host saw. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "firmware_session.h"

#define BOOTSEL_REPORT "reboot to BOOTSEL requested by the firmware (BOOTSEL flags "

static void assert_err(const proc_result *r, const char *text)
{
    if (!strstr(r->err, text)) fail_msg("stderr lacks '%s':\n%s", text, r->err);
}

static void assert_no_err(const proc_result *r, const char *text)
{
    if (strstr(r->err, text)) fail_msg("stderr has '%s':\n%s", text, r->err);
}

/* At the prompt of the default firmware, sends the host's steps (each an
 * option and its value or NULL), then waits for the reboot to end the run. */
static proc_result reboot_with(const char *step, const char *value)
{
    session s;
    session_begin_verbose(&s, FIRMWARE_UF2);
    session_arg(&s, "--timeout-ms");
    session_arg(&s, "60000");
    session_skip_boot_story(&s);
    session_arg(&s, step);
    if (value) session_arg(&s, value);
    session_expect(&s, "this never comes"); /* the reboot ends the run first */
    proc_result r = session_run(&s, 300);
    session_expect_ok(&r);
    session_free(&s);
    return r;
}

/* picotool reboot -u -f: wValue 0 */
static void reset_request_bootsel(void **state)
{
    (void)state;
    proc_result r = reboot_with("--reset-request", "bootsel");
    assert_err(&r, "USB: the device acknowledged RESET_REQUEST_BOOTSEL");
    assert_err(&r, BOOTSEL_REPORT "0x0, activity GPIO 0)");
    proc_free(&r);
}

/* picotool load -f: wValue 1, the boot drive without its mass-storage
 * interface (BOOTSEL_FLAG_DISABLE_MSD_INTERFACE) */
static void reset_request_bootsel_without_the_drive(void **state)
{
    (void)state;
    proc_result r = reboot_with("--reset-request", "bootsel=1");
    assert_err(&r, BOOTSEL_REPORT "0x1, activity GPIO 0)");
    proc_free(&r);
}

/* picotool reboot -u -f --led 25 --active-low (0x80 | 1 << 8 | 25 << 9):
 * the ROM gets GPIO_PIN_SPECIFIED (0x20) and GPIO_PIN_ACTIVE_LOW (0x10),
 * and the pin */
static void reset_request_bootsel_with_activity_led(void **state)
{
    (void)state;
    proc_result r = reboot_with("--reset-request", "bootsel=0x3380");
    assert_err(&r, BOOTSEL_REPORT "0x30, activity GPIO 25)");
    proc_free(&r);
}

/* picotool reboot -f: a normal reboot, after which the board enumerates
 * again and the reopened port gets a new session */
static void reset_request_flash_boots_again(void **state)
{
    (void)state;
    session s;
    session_begin_verbose(&s, FIRMWARE_UF2);
    session_arg(&s, "--timeout-ms");
    session_arg(&s, "60000");
    session_skip_boot_story(&s);
    session_arg(&s, "--reset-request");
    session_arg(&s, "flash");
    session_skip_boot_story(&s);
    proc_result r = session_end_with_prompt(&s, "After the reboot", 300);
    assert_err(&r, "USB: the device acknowledged RESET_REQUEST_FLASH");
    assert_err(&r, "ROM reboot requested by core 0: type NORMAL");
    assert_no_err(&r, "BOOTSEL requested");
    session_assert_output(&r, "Llama-2 stories on the RP2350(.|\n)*Llama-2 stories on the RP2350");
    session_free(&s);
    proc_free(&r);
}

/* the port set to 1200 baud, then closed */
static void touch_1200_reboots_into_bootsel(void **state)
{
    (void)state;
    proc_result r = reboot_with("--touch-1200", NULL);
    assert_err(&r, "USB: the device acknowledged SET_CONTROL_LINE_STATE(0)");
    assert_err(&r, BOOTSEL_REPORT "0x0, activity GPIO 0)");
    proc_free(&r);
}

/* prints the lines of stderr that start with prefix */
static void print_lines(const char *err, const char *prefix)
{
    for (const char *p = err; (p = strstr(p, prefix)) != NULL;) {
        const char *end = strchr(p, '\n');
        int n = end ? (int)(end - p) : (int)strlen(p);
        printf("%.*s\n", n, p);
        p += n;
    }
}

/* What the host sees: the CDC function and the reset interface, a BOS
 * with the Microsoft OS 2.0 capability and a descriptor set that gives the
 * reset interface WinUSB; a host that binds only the CDC function (the
 * virtual one, like Linux's cdc-acm) has its console as before. */
static void descriptors_and_a_console_beside_them(void **state)
{
    (void)state;
    session s;
    session_begin_verbose(&s, FIRMWARE_UF2);
    session_arg(&s, "--timeout-ms");
    session_arg(&s, "60000");
    session_skip_boot_story(&s);
    session_arg(&s, "--ms-os-20");
    session_line(&s, "/info");
    proc_result r = session_end_with_prompt(&s, "Beside the reset interface", 300);
    assert_err(&r, "USB: interface 0 (alternate 0): class 0x02, subclass 0x02, protocol 0x00 "
                   "(CDC-ACM communications), 1 endpoint\n");
    assert_err(&r, "USB: interface 1 (alternate 0): class 0x0a, subclass 0x00, protocol 0x00 "
                   "(CDC data), 2 endpoints\n");
    assert_err(&r, "USB: interface 2 (alternate 0): class 0xff, subclass 0x00, protocol 0x01 "
                   "(vendor: Raspberry Pi reset interface (picotool)), 0 endpoints\n");
    assert_err(&r, "USB: BOS: Microsoft OS 2.0 platform capability: descriptor set of 166 bytes "
                   "for Windows 0x06030000 and later, vendor code 0x01");
    assert_err(&r, "USB: Microsoft OS 2.0 descriptor set (166 bytes): interface 2 binds WinUSB, "
                   "DeviceInterfaceGUID {bc7398c1-73cd-4cb7-98b8-913a8fca7bf6}");
    assert_no_err(&r, "interface 3");
    session_assert_output(&r, "usb: serial console; reset interface on \\(picotool reboot -f, "
                              "load -f\\); 1200-baud touch on \\(reboots into BOOTSEL\\)");
    printf("--- the descriptor set the virtual host saw (pico_llama.uf2) ---\n");
    print_lines(r.err, "sim: USB: BOS");
    print_lines(r.err, "sim: USB: interface");
    print_lines(r.err, "sim: USB: Microsoft OS 2.0");
    session_free(&s);
    proc_free(&r);
}

/* The test firmware, built with PICOLLAMA_USB_RESET_INTERFACE and
 * PICOLLAMA_USB_BAUD_TOUCH off: the two CDC interfaces alone (USB 2.0, no
 * BOS), no reset request to send, and a 1200-baud close that is just a
 * close: the port opens again to a new session. */
static void options_off(void **state)
{
    (void)state;
    session s;
    session_begin_verbose(&s, FIRMWARE_TEST_UF2);
    session_arg(&s, "--timeout-ms");
    session_arg(&s, "30000");
    session_expect(&s, "> ");
    session_arg(&s, "--reset-request");
    session_arg(&s, "bootsel");
    session_arg(&s, "--ms-os-20");
    session_arg(&s, "--touch-1200");
    session_arg(&s, "--wait-ms");
    session_arg(&s, "50");
    session_arg(&s, "--open-port");
    session_expect(&s, "type /help");
    session_line(&s, "/info");
    proc_result r = session_run(&s, 300);
    session_expect_ok(&r);
    assert_err(&r, "--reset-request: the device has no reset interface");
    assert_err(&r, "--ms-os-20: the device has no Microsoft OS 2.0 platform capability");
    assert_err(&r, "USB: the device acknowledged SET_CONTROL_LINE_STATE(0)");
    assert_err(&r, "USB: interface 1 (alternate 0)");
    assert_no_err(&r, "USB: interface 2");
    assert_no_err(&r, "USB: BOS");
    assert_no_err(&r, "BOOTSEL requested");
    assert_no_err(&r, "ROM reboot");
    session_assert_output(&r, "usb: serial console; reset interface off; 1200-baud touch off");
    session_free(&s);
    proc_free(&r);
}

/* test_firmware_reset [NAME]: every test, or the one named */
int main(int argc, char **argv)
{
    if (session_model_missing()) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reset_request_bootsel),
        cmocka_unit_test(reset_request_bootsel_without_the_drive),
        cmocka_unit_test(reset_request_bootsel_with_activity_led),
        cmocka_unit_test(reset_request_flash_boots_again),
        cmocka_unit_test(touch_1200_reboots_into_bootsel),
        cmocka_unit_test(descriptors_and_a_console_beside_them),
        cmocka_unit_test(options_off),
    };
    if (argc > 1) cmocka_set_test_filter(argv[1]);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
