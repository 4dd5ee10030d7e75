/* test_firmware_board.c - the firmware on boards that differ from the usual
 * one in what the chips say about themselves: a PSRAM whose EID the density
 * bits alone misread (0x26, 8 MB), PSRAMs whose EID gives no size (the
 * firmware must say so and use the size it finds), and the QSPI pads the
 * flash needs at 75 MHz. Each session ends at the boot banner. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "firmware_session.h"
#include "proc.h"

/* Boots the firmware with the extra sim options (NULL-terminated) and
 * returns the run, ended at the banner's last line. */
static proc_result boot_to_banner(const char *opt, ...)
{
    session s;
    session_begin(&s, FIRMWARE_UF2);
    session_arg(&s, "--timeout-ms");
    session_arg(&s, "60000");
    va_list ap;
    va_start(ap, opt);
    for (const char *a = opt; a; a = va_arg(ap, const char *)) session_arg(&s, a);
    va_end(ap);
    session_expect(&s, "type /help for commands");
    proc_result r = session_run(&s, 120);
    session_free(&s);
    session_expect_ok(&r);
    return r;
}

/* An 8 MB APS6404L that answers EID 0x26 (bits [7:5] = 1, which alone
 * would mean 4 MB) is used as 8 MB, as the SDK and other drivers decode it. */
static void psram_eid_0x26_is_8mb(void **state)
{
    (void)state;
    /* the boot's own lines go to the UART: a USB session starts with its banner */
    proc_result r = boot_to_banner("--psram-eid", "0x26", "--console", "uart", NULL);
    session_assert_output(&r, "psram: testing 8 MB\\.\\.\\.");
    session_assert_output(&r, "psram: 8 MB APS6404L \\(EID 0x26\\) at 75 MHz QPI, memory test passed");
    session_assert_output(&r, "PSRAM free 8[0-9]{6} bytes");
    proc_free(&r);
}

/* EIDs whose density code no driver knows: the banner says so, and the
 * size is the one probing finds (the part repeats above its size), which the
 * memory test then proves. 4 MB and the whole 16 MB window. */
static void psram_unknown_eid_is_probed(void **state)
{
    (void)state;
    proc_result r = boot_to_banner("--psram-eid", "0xe0", "--psram-mb", "4", "--console", "uart", NULL);
    session_assert_output(&r, "psram: testing 4 MB\\.\\.\\.");
    session_assert_output(&r, "psram: 4 MB \\(unknown EID 0xe0: size found by probing\\) at 75 MHz QPI, "
                      "memory test passed");
    proc_free(&r);
    r = boot_to_banner("--psram-eid", "0xa0", "--psram-mb", "16", NULL);
    session_assert_output(&r, "psram: 16 MB \\(unknown EID 0xa0: size found by probing\\) at 75 MHz QPI, "
                      "memory test passed");
    session_assert_output(&r, "PSRAM free 1[0-9]{7} bytes");
    proc_free(&r);
}

/* Flash at clk_sys / 2 = 75 MHz, with the pads set up for it first (SCLK
 * 8 mA, fast slew, no Schmitt triggers on SD0-SD3, as the SDK's boot2
 * does): the board has nothing to warn about. */
static void flash_75mhz_with_boot2_pads(void **state)
{
    (void)state;
    proc_result r = boot_to_banner(NULL);
    session_assert_output(&r, "flash: 16 MB \\(JEDEC ef 40 18\\), quad XIP at 75 MHz");
    if (strstr(r.err, "QSPI SCLK pad"))
        fail_msg("the board warns about the QSPI pads:\n%s", r.err);
    proc_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(psram_eid_0x26_is_8mb),
        cmocka_unit_test(psram_unknown_eid_is_probed),
        cmocka_unit_test(flash_75mhz_with_boot2_pads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
