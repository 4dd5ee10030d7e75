/* test_firmware_usb.c - the firmware's USB console against what real hosts
 * do (issue 13): the virtual host reads like Linux's cdc-acm (128-byte bulk
 * IN requests that reach the terminal only on a short packet or when full),
 * clears endpoint halts mid-session as FreeBSD and libusb do, suspends and
 * resumes the bus, and resets it mid-session. Nothing typed or printed may
 * be lost and the console must keep working. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "firmware_session.h"
#include "testenv.h"

#define STORY_STEPS 120
#define STORY_PROMPT "Once upon a time"

/* Starts a greedy generation of STORY_STEPS positions and waits until it
 * is under way (some text after the echo). */
static void start_story(session *s)
{
    session_line(s, "/temp 0");
    session_line(s, "/steps 120");
    session_send(s, STORY_PROMPT "\r");
    session_expect(s, STORY_PROMPT "\n[^\n]{30}");
}

/* The story the board told equals the PC's: no byte lost or repeated. */
static void assert_story_complete(const proc_result *r)
{
    size_t cursor = 0;
    char *board = session_generation(r->out, STORY_PROMPT, &cursor);
    if (!board) fail_msg("the story never ended:\n%s", r->out);
    char *host = session_host_greedy(FIRMWARE_Q8_IMAGE, STORY_STEPS, STORY_PROMPT);
    assert_string_equal(board, host);
    free(board);
    free(host);
}

/* CLEAR_FEATURE(ENDPOINT_HALT) on endpoints that are not halted, while a
 * story streams: the data toggles go back to DATA0, the IN packet in flight
 * (the host stops reading for a moment, so there is one) is sent again, the
 * armed OUT buffer stays armed, so typing still works. */
static void clear_halt_mid_story_loses_nothing(void **state)
{
    (void)state;
    session s;
    session_begin_booted(&s, "60000");
    start_story(&s);
    session_arg(&s, "--host-stall-ms");
    session_arg(&s, "30");
    session_arg(&s, "--wait-ms");
    session_arg(&s, "10");
    session_arg(&s, "--clear-halt");
    session_expect(&s, "tok/s ---\n> ");
    session_arg(&s, "--clear-halt"); /* at the prompt, with nothing in flight */
    session_line(&s, "/steps 8");
    session_line(&s, "Typed after the clear");
    proc_result r = session_run(&s, 900);
    assert_story_complete(&r); /* first: nothing printed was lost */
    session_expect_ok(&r);     /* then: what was typed arrived */
    size_t cursor = 0;
    char *typed = session_generation(r.out, "Typed after the clear", &cursor);
    assert_non_null(typed);
    free(typed);
    session_free(&s);
    proc_free(&r);
}

/* Output that pauses right after a full 64-byte packet: a Linux host holds
 * those bytes in its 128-byte request until a short packet ends it, so the
 * board must send a zero-length packet. Here the echo of 65 typed
 * characters goes out as 1 + 64 bytes while the host is not reading. */
static void zero_length_packet_ends_a_full_burst(void **state)
{
    (void)state;
    char typed[67];
    typed[0] = '/';
    memset(typed + 1, 'z', 64);
    typed[65] = '\0';
    session s;
    session_begin_booted(&s, "60000");
    session_arg(&s, "--host-stall-ms");
    session_arg(&s, "200");
    session_send(&s, typed);
    session_expect(&s, "/z{64}"); /* every echoed character arrives */
    session_send(&s, "\r");
    session_expect(&s, "unknown command '/z{39}[.][.][.]'.*\n> ");
    proc_result r = session_end_with_prompt(&s, "After the echo", 900);
    session_free(&s);
    proc_free(&r);
}

/* The host suspends the bus in the middle of a story and resumes it: the
 * device keeps its configuration and nothing is lost. */
static void suspend_and_resume_mid_story(void **state)
{
    (void)state;
    session s;
    session_begin_booted(&s, "60000");
    start_story(&s);
    session_arg(&s, "--suspend-ms");
    session_arg(&s, "50");
    session_expect(&s, "tok/s ---\n> ");
    proc_result r = session_end_with_prompt(&s, "After the suspend", 900);
    assert_story_complete(&r);
    session_free(&s);
    proc_free(&r);
}

/* A bus reset in the middle of a story: the board enumerates again, the
 * reopened port gets a new session, and the console works. */
static void bus_reset_mid_story(void **state)
{
    (void)state;
    session s;
    session_begin_booted(&s, "60000");
    start_story(&s);
    session_arg(&s, "--bus-reset");
    session_expect(&s, "Pico LLaMA [0-9.]+: Llama-2 stories");
    session_expect(&s, "tok/s ---\n> ");
    proc_result r = session_end_with_prompt(&s, "After the reset", 900);
    session_free(&s);
    proc_free(&r);
}

/* What `make story` shows: the board's own output first. Without -v the
 * simulator keeps its diagnostics (clock switches, XIP windows, USB
 * enumeration) to itself, so a healthy boot to the prompt leaves one line
 * on stderr: how the run ended. */
static void the_board_speaks_first(void **state)
{
    (void)state;
    session s;
    memset(&s, 0, sizeof(s)); /* neither --quiet nor -v: as `make story` runs it */
    session_arg(&s, PICOSIM_BIN);
    session_arg(&s, FIRMWARE_UF2);
    session_arg(&s, "--no-stdin");
    session_arg(&s, "--timeout-ms");
    session_arg(&s, "60000");
    session_skip_boot_story(&s);
    proc_result r = session_run(&s, 300);
    session_expect_ok(&r);
    session_assert_output(&r, "Pico LLaMA [0-9.]+: Llama-2 stories");
    /* (a sanitizer build may add its own report after it) */
    if (strncmp(r.err, "sim: script completed\n", 22) != 0 || testenv_count(r.err, "sim:") != 1)
        fail_msg("stderr is more than how the run ended:\n%s", r.err);
    session_free(&s);
    proc_free(&r);
}

/* The terminal closes the port and opens it again at once (a terminal
 * program restarted): the host drops DTR before raising it again, the
 * board sees the drop, and the reopened port is a new session with its
 * own banner. */
static void close_and_open_at_once_is_a_new_session(void **state)
{
    (void)state;
    session s;
    session_begin_at_prompt(&s, "60000");
    session_arg(&s, "--close-port");
    session_arg(&s, "--open-port");
    session_skip_boot_story(&s); /* the new session's banner, then its story stopped */
    proc_result r = session_end_with_prompt(&s, "After the reopen", 900);
    session_assert_output(&r, "Llama-2 stories on the RP2350(.|\n)*tok/s ---(.|\n)*"
                              "Llama-2 stories on the RP2350");
    session_free(&s);
    proc_free(&r);
}

/* test_firmware_usb [NAME]: every test, or the one named */
int main(int argc, char **argv)
{
    if (session_model_missing()) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clear_halt_mid_story_loses_nothing),
        cmocka_unit_test(zero_length_packet_ends_a_full_burst),
        cmocka_unit_test(suspend_and_resume_mid_story),
        cmocka_unit_test(bus_reset_mid_story),
        cmocka_unit_test(the_board_speaks_first),
        cmocka_unit_test(close_and_open_at_once_is_a_new_session),
    };
    if (argc > 1) cmocka_set_test_filter(argv[1]);
    return cmocka_run_group_tests(tests, NULL, NULL);
}
