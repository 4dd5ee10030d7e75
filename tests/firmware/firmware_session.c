/* firmware_session.c - scripted virtual-board sessions for firmware tests. */
#define _POSIX_C_SOURCE 200809L
#include "firmware_session.h"

#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static void session_start(session *s, const char *uf2)
{
    memset(s, 0, sizeof(*s));
    session_arg(s, PICOSIM_BIN);
    session_arg(s, uf2);
    session_arg(s, "--no-stdin");
}

void session_begin_verbose(session *s, const char *uf2)
{
    session_start(s, uf2);
    session_arg(s, "-v"); /* the simulator's diagnostics are shown only with -v */
}

void session_begin(session *s, const char *uf2)
{
    session_start(s, uf2);
    session_arg(s, "--quiet");
}

void session_arg(session *s, const char *arg)
{
    if (s->argc >= SESSION_MAX_ARGS - 1) { /* a cut script would fail in a confusing way */
        fprintf(stderr, "firmware_session: more than %d arguments\n", SESSION_MAX_ARGS - 1);
        abort();
    }
    s->argv[s->argc++] = strdup(arg);
}

void session_expect(session *s, const char *regex)
{
    /* the board sends CR LF: let each \n of the pattern match either */
    size_t n = strlen(regex);
    char *pattern = malloc(3 * n + 1), *w = pattern;
    for (size_t i = 0; i < n; i++) {
        if (regex[i] == '\n') {
            *w++ = '\r'; /* a literal CR: POSIX EREs have no \r escape */
            *w++ = '?';
        }
        *w++ = regex[i];
    }
    *w = '\0';
    session_arg(s, "--expect");
    session_arg(s, pattern);
    free(pattern);
}

void session_send(session *s, const char *text)
{
    size_t n = strlen(text);
    char *esc = malloc(4 * n + 1), *w = esc;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '\\') {
            *w++ = '\\';
            *w++ = '\\';
        } else if (c < 0x20 || c >= 0x7f) {
            w += sprintf(w, "\\x%02x", c);
        } else {
            *w++ = (char)c;
        }
    }
    *w = '\0';
    session_arg(s, "--send");
    session_arg(s, esc);
    free(esc);
}

void session_line(session *s, const char *text)
{
    size_t n = strlen(text);
    char *typed = malloc(n + 2);
    memcpy(typed, text, n);
    typed[n] = '\r';
    typed[n + 1] = '\0';
    session_send(s, typed);
    free(typed);
    session_expect(s, "\n> ");
}

proc_result session_run(session *s, int wall_timeout_s)
{
    proc_result r;
    s->argv[s->argc] = NULL;
    if (!proc_run(s->argv, NULL, wall_timeout_s, &r)) {
        memset(&r, 0, sizeof(r));
        r.exit_code = -1;
        return r;
    }
    char *w = r.out; /* terminals get CR LF; compare text with LF only */
    for (size_t i = 0; i < r.out_len; i++)
        if (r.out[i] != '\r') *w++ = r.out[i];
    *w = '\0';
    r.out_len = (size_t)(w - r.out);
    return r;
}

void session_free(session *s)
{
    for (int i = 0; i < s->argc; i++) free(s->argv[i]);
    s->argc = 0;
}

char *session_generation(const char *out, const char *echo, size_t *cursor)
{
    size_t n = strlen(echo);
    char *key = malloc(n + 4);
    snprintf(key, n + 4, "> %s\n", echo);
    const char *start = strstr(out + *cursor, key);
    free(key);
    if (!start) return NULL;
    start += n + 3;
    const char *end = strstr(start, "\n--- ");
    if (!end) return NULL;
    *cursor = (size_t)(end - out) + 5;
    size_t len = (size_t)(end - start);
    char *text = malloc(len + 1);
    memcpy(text, start, len);
    text[len] = '\0';
    return text;
}

int session_token_count(const char *out, size_t from)
{
    const char *p = strstr(out + from, "--- ");
    int n;
    return p && sscanf(p, "--- %d tokens in", &n) == 1 ? n : -1;
}

void session_expect_ok(const proc_result *r)
{
    if (r->exit_code != 0 || r->signal)
        fail_msg("sim exit %d signal %d:\n%s\n--- output tail\n%s", r->exit_code, r->signal, r->err,
                 r->out + (r->out_len > 3000 ? r->out_len - 3000 : 0));
}

int session_matches(const char *text, const char *regex)
{
    regex_t re;
    assert_int_equal(regcomp(&re, regex, REG_EXTENDED | REG_NOSUB), 0);
    int ok = regexec(&re, text, 0, NULL, 0) == 0;
    regfree(&re);
    return ok;
}

void session_assert_output(const proc_result *r, const char *regex)
{
    if (!session_matches(r->out, regex)) fail_msg("output lacks /%s/:\n%s", regex, r->out);
}

void session_assert_no_output(const proc_result *r, const char *regex)
{
    if (session_matches(r->out, regex)) fail_msg("output has /%s/:\n%s", regex, r->out);
}

void session_begin_booted(session *s, const char *timeout_ms)
{
    session_begin(s, FIRMWARE_UF2);
    session_arg(s, "--timeout-ms");
    session_arg(s, timeout_ms);
    session_expect(s, "tok/s ---\n> ");
}

void session_skip_boot_story(session *s)
{
    session_expect(s, "type /help");
    session_send(s, "\x03");
    session_expect(s, "tok/s ---\n> ");
}

void session_begin_at_prompt(session *s, const char *timeout_ms)
{
    session_begin(s, FIRMWARE_UF2);
    session_arg(s, "--timeout-ms");
    session_arg(s, timeout_ms);
    session_skip_boot_story(s);
}

int session_model_missing(void)
{
    if (FIRMWARE_F32_IMAGE[0] && FIRMWARE_Q8_IMAGE[0]) return 0;
    fprintf(stderr, "MODEL MISSING: the firmware was built without stories260K "
                    "(run 'make models' and rebuild)\n");
    return 1;
}

proc_result session_end_with_prompt(session *s, const char *prompt, int wall_seconds)
{
    session_line(s, "/steps 8");
    session_line(s, prompt);
    proc_result r = session_run(s, wall_seconds);
    session_expect_ok(&r);
    size_t cursor = 0;
    char *after = session_generation(r.out, prompt, &cursor);
    if (!after) fail_msg("no generation from '%s' at the end:\n%s", prompt, r.out);
    free(after);
    return r;
}

proc_result session_tool(const char *const *argv)
{
    proc_result r;
    assert_true(proc_run((char *const *)argv, NULL, 600, &r));
    if (r.exit_code != 0 || r.signal)
        fail_msg("%s exit %d signal %d:\n%s", argv[0], r.exit_code, r.signal, r.err);
    return r;
}

char *session_host_greedy(const char *image, int steps, const char *prompt)
{
    char n[16];
    snprintf(n, sizeof(n), "%d", steps);
    const char *argv[] = {PICOLLAMA_BIN, "run", image, "-t", "0", "-n", n, "-i", prompt, NULL};
    proc_result host = session_tool(argv);
    char *text = host.out;
    host.out = NULL;
    proc_free(&host);
    return text;
}
