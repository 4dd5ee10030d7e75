/* test_firmware_fault.c - the firmware's fault handler (boot/fault.c) on
 * the virtual board, which delivers faults to it as silicon does (issue
 * 16): a test build's /fault executes an undefined instruction; the
 * handler's report (the fault, the stacked PC and LR, CFSR with UNDEFINSTR)
 * must reach the console the user has, USB or UART. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "firmware_session.h"

/* UsageFault (enabled) or HardFault (escalated), at the firmware's own code
 * in flash, CFSR.UNDEFINSTR = bit 16 */
#define REPORT "\\*\\*\\* (UsageFault|HardFault): PC=0x1000[0-9a-f]{4} LR=0x[0-9a-f]{8} " \
               "CFSR=0x00010000 [^\n]*; waiting for a reset"

static void report_on(const char *console)
{
    session s;
    session_begin(&s, FIRMWARE_TEST_UF2);
    session_arg(&s, "--console");
    session_arg(&s, console);
    session_arg(&s, "--timeout-ms");
    session_arg(&s, "20000");
    session_expect(&s, "> ");
    session_send(&s, "/fault\r");
    session_expect(&s, "waiting for a reset");
    proc_result r = session_run(&s, 120);
    session_expect_ok(&r);
    session_assert_output(&r, REPORT);
    session_free(&s);
    proc_free(&r);
}

static void fault_report_reaches_usb(void **state)
{
    (void)state;
    report_on("usb");
}

static void fault_report_reaches_uart(void **state)
{
    (void)state;
    report_on("uart");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fault_report_reaches_usb),
        cmocka_unit_test(fault_report_reaches_uart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
