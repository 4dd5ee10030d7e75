/* log.h - how the virtual board talks to the user: diagnostics, one-time
 * warnings, how the run ended, and the exit codes the CLI documents.
 * Everything goes to stderr (stdout carries only what the firmware prints),
 * by level: an interactive session shows the board first, so diagnostics
 * (clock switches, XIP window states, USB enumeration, ...) appear only with
 * -v; warnings and the reasons a run stops always do. --log FILE gets every
 * line of every level. */
#ifndef SIM_LOG_H
#define SIM_LOG_H

#include <stdarg.h>

/* Exit codes of picollama-sim. */
enum {
    SIM_EXIT_OK = 0,       /* script completed, or the firmware asked to stop */
    SIM_EXIT_TIMEOUT = 1,  /* timeout, failed expectation or a script step that cannot run */
    SIM_EXIT_FAULT = 2,    /* emulation fault: bad access, HardFault, USB violation, ... */
    SIM_EXIT_USAGE = 3     /* bad command line or unreadable input */
};

/* what reaches stderr */
enum {
    SIM_LOG_QUIET = 0,     /* -q: warnings and errors only */
    SIM_LOG_NORMAL = 1,    /* the default: also how the run ended (sim_note) */
    SIM_LOG_VERBOSE = 2    /* -v: also the diagnostics (sim_info) */
};

void sim_log_set_level(int level);
/* --log FILE: every message, whatever the level, also goes to FILE.
 * Returns 0 if it cannot be written. */
int sim_log_open(const char *path);
/* Closes it; 0 when something written to it was lost (1: none open). */
int sim_log_close(void);

/* "sim: ..." diagnostic line: stderr only with -v. */
void sim_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "sim: ..." how the run ended, e.g. "script completed" (not with -q). */
void sim_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "sim: warning: ..." (always shown). */
void sim_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "picollama-sim: ..." for command-line and file errors. */
void sim_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A line without a prefix that is always shown: the verdict of a run that
 * failed (bad access, fault, timeout) and what goes with it. */
void sim_report(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
