/* firmware_session.h - running the real firmware on the virtual board with
 * a scripted console session, and reading its output back. */
#ifndef PICOLLAMA_TEST_FIRMWARE_SESSION_H
#define PICOLLAMA_TEST_FIRMWARE_SESSION_H

#include <stddef.h>

#include "proc.h"

#define SESSION_MAX_ARGS 1024

typedef struct {
    char *argv[SESSION_MAX_ARGS];
    int argc;
} session;

/* A session on picollama-sim with the given firmware image(s) and options. */
void session_begin(session *s, const char *uf2);
/* The same with the simulator's diagnostics on stderr (-v). */
void session_begin_verbose(session *s, const char *uf2);
void session_arg(session *s, const char *arg);
void session_expect(session *s, const char *regex);
/* Sends text (raw bytes; escaped here for the sim's --send). */
void session_send(session *s, const char *text);
/* Types a line (text, then Enter) and waits for the next prompt. */
void session_line(session *s, const char *text);
/* Runs it; the output has its CRs removed. */
proc_result session_run(session *s, int wall_timeout_s);
void session_free(session *s);

/* The text a generation printed: after "> " + echo + "\n", up to the
 * "\n--- N tokens" line (NULL if not found); *cursor advances past it. */
char *session_generation(const char *out, const char *echo, size_t *cursor);

/* The N of the n-th "--- N tokens in" line after *cursor (-1 if none). */
int session_token_count(const char *out, size_t from);

/* cmocka checks of a finished session */
void session_expect_ok(const proc_result *r);          /* exit 0, no signal */
void session_assert_output(const proc_result *r, const char *regex);
void session_assert_no_output(const proc_result *r, const char *regex);
int session_matches(const char *text, const char *regex); /* extended regex, CR-free text */

/* A session on the default board (FIRMWARE_UF2), past its boot story. */
void session_begin_booted(session *s, const char *timeout_ms);
/* Waits for the banner's end and stops the boot story with Ctrl-C (it can
 * take minutes and is not what the test is about); then at the prompt. */
void session_skip_boot_story(session *s);
/* A session on the default board, its boot story stopped: at the prompt. */
void session_begin_at_prompt(session *s, const char *timeout_ms);
/* 1, with a message on stderr, if the firmware was built without the
 * stories260K images the tests compare against. */
int session_model_missing(void);
/* Ends a session with a short generation from prompt, which must arrive
 * (the console still works); returns the finished run. */
proc_result session_end_with_prompt(session *s, const char *prompt, int wall_seconds);
/* Runs a host tool (argv[0] a path, NULL-terminated), which must exit 0;
 * returns what it printed. */
proc_result session_tool(const char *const *argv);
/* What `picollama run IMAGE -t 0 -n steps -i prompt` prints (the greedy
 * text the board must print for the same settings). */
char *session_host_greedy(const char *image, int steps, const char *prompt);

#endif
