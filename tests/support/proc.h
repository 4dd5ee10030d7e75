/* proc.h - runs a program for a test and captures what it did: stdout,
 * stderr, exit status, or the signal that killed it. */
#ifndef PICOLLAMA_TEST_PROC_H
#define PICOLLAMA_TEST_PROC_H

#include <stddef.h>

typedef struct {
    char *out;      /* stdout bytes, NUL-terminated (may contain NULs) */
    size_t out_len;
    char *err;      /* stderr bytes, NUL-terminated */
    size_t err_len;
    int exit_code;  /* valid when signal == 0 */
    int signal;     /* nonzero if the program was killed by a signal */
    int timed_out;  /* killed after timeout_s seconds */
} proc_result;

/* Runs argv (argv[0] is a path) with stdin from stdin_data (may be NULL),
 * killing it after timeout_s seconds. Returns 0 if it could not start. */
int proc_run(char *const argv[], const char *stdin_data, int timeout_s, proc_result *r);
/* The same through /usr/bin/env: args are VAR=value settings (and env's
 * own options, such as -C DIR), then the command and its arguments, up to
 * a NULL; at most 22 of them. */
int proc_run_env(const char *const *args, int timeout_s, proc_result *r);
void proc_free(proc_result *r);

/* Number of lines in s (a final line without '\n' counts). */
int proc_count_lines(const char *s);

#endif
