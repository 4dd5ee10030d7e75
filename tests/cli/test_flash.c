/* test_flash.c - `make flash` and scripts/flash.sh without a board (issue
 * 20): with picotool it runs `picotool load -f -x`; without it (or when it
 * fails) the UF2 is copied to the RP2350 boot drive (RP2350_DRIVE, a
 * directory here); a running Pico LLaMA is first sent the 1200-baud touch
 * (stty, faked here); with no drive the user is told to hold BOOTSEL. No
 * wait is exercised: FLASH_WAIT_S=0. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "proc.h"
#include "testenv.h"

#define FLASH_SH PICOLLAMA_SOURCE_DIR "/scripts/flash.sh"
#define NO_PICOTOOL "PICOTOOL=picotool-that-is-not-installed"

/* a one-block UF2 (the magic words are what the script checks) */
static const char *make_uf2(const char *name)
{
    uint8_t block[512] = {0x55, 0x46, 0x32, 0x0A, 0x57, 0x51, 0x5D, 0x9E};
    for (int i = 32; i < 288; i++) block[i] = (uint8_t)i;
    block[508] = 0x30, block[509] = 0x6F, block[510] = 0xB1, block[511] = 0x0A;
    const char *path = testenv_tmp(name);
    assert_true(testenv_write(path, block, sizeof(block)));
    return path;
}

static const char *make_dir(const char *name)
{
    const char *path = testenv_tmp(name);
    mkdir(path, 0755);
    return path;
}

/* runs /usr/bin/env with args (VAR=value settings, then the command) */
static proc_result run_env(const char *const *args)
{
    proc_result r;
    assert_true(proc_run_env(args, 60, &r));
    return r;
}

static void assert_contains(const char *text, const char *needle)
{
    if (!strstr(text, needle)) fail_msg("'%s' not in:\n%s", needle, text);
}

static void assert_same_file(const char *a, const char *b)
{
    size_t la, lb;
    char *x = testenv_read(a, &la), *y = testenv_read(b, &lb);
    if (!x || !y) fail_msg("%s or %s is missing", a, b);
    assert_int_equal(la, lb);
    assert_memory_equal(x, y, la);
    free(x);
    free(y);
}

/* flash.sh with picotool_var (a PICOTOOL=... setting) and a drive dir
 * `drive`: it must succeed by copying a UF2 `name` to the drive; the run,
 * for its messages. */
static proc_result flash_to_drive(const char *picotool_var, const char *name, const char *drive)
{
    const char *uf2 = make_uf2(name), *dir = make_dir(drive);
    char drive_var[300], copied[400];
    snprintf(drive_var, sizeof(drive_var), "RP2350_DRIVE=%s", dir);
    const char *args[] = {picotool_var, drive_var, "FLASH_WAIT_S=0", FLASH_SH, uf2, NULL};
    proc_result r = run_env(args);
    if (r.exit_code != 0) fail_msg("exit %d:\n%s%s", r.exit_code, r.out, r.err);
    snprintf(copied, sizeof(copied), "%s/%s", dir, name);
    assert_same_file(uf2, copied);
    return r;
}

static void picotool_loads_and_runs(void **state)
{
    (void)state;
    const char *uf2 = make_uf2("fw.uf2"), *log = testenv_tmp("picotool.log");
    const char *drive = make_dir("drive-a"), *tool = testenv_tmp("picotool");
    char body[600], tool_var[300], drive_var[300];
    snprintf(body, sizeof(body), "#!/bin/sh\necho \"$@\" > %s\n", log);
    assert_true(testenv_write_script(tool, body));
    snprintf(tool_var, sizeof(tool_var), "PICOTOOL=%s", tool);
    snprintf(drive_var, sizeof(drive_var), "RP2350_DRIVE=%s", drive);
    const char *args[] = {tool_var, drive_var, "FLASH_WAIT_S=0", FLASH_SH, uf2, NULL};
    proc_result r = run_env(args);
    if (r.exit_code != 0) fail_msg("exit %d:\n%s%s", r.exit_code, r.out, r.err);
    char *called = testenv_read(log, NULL);
    char want[400];
    snprintf(want, sizeof(want), "load -f -x %s\n", uf2);
    assert_non_null(called);
    assert_string_equal(called, want);
    char copied[400];
    snprintf(copied, sizeof(copied), "%s/fw.uf2", drive);
    assert_false(testenv_exists(copied)); /* picotool did it: no copy */
    free(called);
    proc_free(&r);
}

/* picotool present but failing (no permission for the device, say): the
 * drive is used */
static void a_failing_picotool_falls_back_to_the_drive(void **state)
{
    (void)state;
    const char *tool = testenv_tmp("picotool-fails");
    assert_true(testenv_write_script(tool, "#!/bin/sh\necho 'No accessible RP-series devices' >&2\nexit 1\n"));
    char tool_var[300];
    snprintf(tool_var, sizeof(tool_var), "PICOTOOL=%s", tool);
    proc_result r = flash_to_drive(tool_var, "fw2.uf2", "drive-b");
    assert_contains(r.err, "picotool could not flash the board");
    proc_free(&r);
}

static void without_picotool_the_drive_gets_the_uf2(void **state)
{
    (void)state;
    proc_result r = flash_to_drive(NO_PICOTOOL, "model.uf2", "drive-c");
    assert_contains(r.out, "picotool is not on the PATH");
    proc_free(&r);
}

/* no drive, no board: a bounded wait (none here) and what to do */
static void without_a_drive_the_user_is_told_to_hold_bootsel(void **state)
{
    (void)state;
    const char *uf2 = make_uf2("fw3.uf2");
    char drive_var[300], serial_var[300];
    snprintf(drive_var, sizeof(drive_var), "RP2350_DRIVE=%s", testenv_tmp("no-such-drive"));
    snprintf(serial_var, sizeof(serial_var), "PICOLLAMA_SERIAL=%s", testenv_tmp("no-such-port"));
    const char *args[] = {NO_PICOTOOL, drive_var, serial_var, "FLASH_WAIT_S=0", FLASH_SH, uf2, NULL};
    proc_result r = run_env(args);
    assert_int_equal(r.exit_code, 1);
    assert_contains(r.out, "hold the BOOTSEL button while plugging the board in");
    assert_contains(r.err, "no RP2350 boot drive appeared in 0 s");
    assert_contains(r.err, "hold BOOTSEL while plugging the board in");
    if (strstr(r.out, "1200-baud touch")) fail_msg("a touch without a port:\n%s", r.out);
    proc_free(&r);
}

/* a running Pico LLaMA (its serial port there): the 1200-baud touch, as
 * `stty -F PORT 1200` does it (open, set 1200, close: DTR drops) */
static void a_running_board_gets_the_1200_baud_touch(void **state)
{
    (void)state;
    const char *uf2 = make_uf2("fw4.uf2"), *bin = make_dir("fakebin");
    const char *port = testenv_tmp("ttyACM-pico-llama"), *log = testenv_tmp("stty.log");
    assert_true(testenv_write(port, "", 0));
    char stty[400], body[600], path_var[5000], serial_var[300], drive_var[300];
    snprintf(stty, sizeof(stty), "%s/stty", bin);
    snprintf(body, sizeof(body), "#!/bin/sh\necho \"$@\" >> %s\n", log);
    assert_true(testenv_write_script(stty, body));
    snprintf(path_var, sizeof(path_var), "PATH=%s:%s", bin, getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
    snprintf(serial_var, sizeof(serial_var), "PICOLLAMA_SERIAL=%s", port);
    snprintf(drive_var, sizeof(drive_var), "RP2350_DRIVE=%s", testenv_tmp("no-drive-yet"));
    const char *args[] = {NO_PICOTOOL, path_var, serial_var, drive_var, "FLASH_WAIT_S=0", FLASH_SH,
                          uf2, NULL};
    proc_result r = run_env(args);
    assert_int_equal(r.exit_code, 1); /* no drive came: the fake board did not reboot */
    assert_contains(r.out, "1200-baud touch");
    char *called = testenv_read(log, NULL), want[400];
    snprintf(want, sizeof(want), "-F %s 1200\n", port);
    assert_non_null(called);
    assert_string_equal(called, want);
    free(called);
    proc_free(&r);
}

static void only_a_uf2_is_flashed(void **state)
{
    (void)state;
    const char *text = testenv_tmp("notes.txt"), *drive = make_dir("drive-d");
    assert_true(testenv_write(text, "not a UF2\n", 10));
    char drive_var[300];
    snprintf(drive_var, sizeof(drive_var), "RP2350_DRIVE=%s", drive);
    const char *args[] = {NO_PICOTOOL, drive_var, "FLASH_WAIT_S=0", FLASH_SH, text, NULL};
    proc_result r = run_env(args);
    assert_int_equal(r.exit_code, 1);
    assert_contains(r.err, "is not a UF2 file");
    proc_free(&r);
    const char *missing[] = {NO_PICOTOOL, drive_var, FLASH_SH, testenv_tmp("none.uf2"), NULL};
    r = run_env(missing);
    assert_int_equal(r.exit_code, 1);
    assert_contains(r.err, "no such file");
    proc_free(&r);
}

/* make flash MODEL=x.uf2: the script with that file (no build) */
static void make_flash_model(void **state)
{
    (void)state;
    const char *uf2 = make_uf2("stories.uf2"), *drive = make_dir("drive-e");
    char drive_var[300], model_var[400], copied[400];
    snprintf(drive_var, sizeof(drive_var), "RP2350_DRIVE=%s", drive);
    snprintf(model_var, sizeof(model_var), "MODEL=%s", uf2);
    const char *args[] = {NO_PICOTOOL, drive_var, "FLASH_WAIT_S=0", "make", "-s", "-C",
                          PICOLLAMA_SOURCE_DIR, "flash", model_var, NULL};
    proc_result r = run_env(args);
    if (r.exit_code != 0) fail_msg("exit %d:\n%s%s", r.exit_code, r.out, r.err);
    snprintf(copied, sizeof(copied), "%s/stories.uf2", drive);
    assert_same_file(uf2, copied);
    proc_free(&r);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(picotool_loads_and_runs),
        cmocka_unit_test(a_failing_picotool_falls_back_to_the_drive),
        cmocka_unit_test(without_picotool_the_drive_gets_the_uf2),
        cmocka_unit_test(without_a_drive_the_user_is_told_to_hold_bootsel),
        cmocka_unit_test(a_running_board_gets_the_1200_baud_touch),
        cmocka_unit_test(only_a_uf2_is_flashed),
        cmocka_unit_test(make_flash_model),
    };
    if (argc > 1) cmocka_set_test_filter(argv[1]);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
