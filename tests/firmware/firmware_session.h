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

#endif
