/* test_firmware_boot.c - rebooting as the real boot ROM expects (issue 13):
 * /reboot and /bootsel call the ROM's reboot(), which writes SYSCFG AUXCTRL
 * (lost while SYSCFG is held in reset) and, for a normal reboot, records
 * boot diagnostics for the partition named by p0 (-1: none). The virtual
 * ROM reports both mistakes as warnings on stderr. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "firmware_session.h"

static void assert_rom_did_not_complain(const proc_result *r)
{
    if (strstr(r->err, "SYSCFG is held in reset")) fail_msg("SYSCFG in reset:\n%s", r->err);
    if (strstr(r->err, "ROM reboot(NORMAL) with p0")) fail_msg("normal reboot p0:\n%s", r->err);
}

static void reboot_boots_again(void **state)
{
    (void)state;
    session s;
    session_begin_verbose(&s, FIRMWARE_UF2); /* stderr names the ROM reboot */
    session_arg(&s, "--timeout-ms");
    session_arg(&s, "60000");
    session_skip_boot_story(&s);
    session_send(&s, "/reboot\r");
    session_expect(&s, "rebooting\n");
    session_skip_boot_story(&s); /* the new session's banner and story */
    proc_result r = session_end_with_prompt(&s, "After the reboot", 300);
    assert_non_null(strstr(r.err, "ROM reboot requested by core 0: type NORMAL"));
    assert_rom_did_not_complain(&r);
    session_free(&s);
    proc_free(&r);
}

static void bootsel_reboot(void **state)
{
    (void)state;
    session s;
    session_begin(&s, FIRMWARE_UF2);
    session_arg(&s, "--timeout-ms");
    session_arg(&s, "60000");
    session_skip_boot_story(&s);
    session_send(&s, "/bootsel\r");
    session_expect(&s, "this never comes"); /* the reboot ends the run first */
    proc_result r = session_run(&s, 300);
    session_expect_ok(&r);
    assert_non_null(strstr(r.err, "reboot to BOOTSEL requested by the firmware"));
    assert_rom_did_not_complain(&r);
    session_free(&s);
    proc_free(&r);
}

/* test_firmware_boot [NAME]: every test, or the one named */
int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(reboot_boots_again),
        cmocka_unit_test(bootsel_reboot),
    };
    if (argc > 1) cmocka_set_test_filter(argv[1]);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
