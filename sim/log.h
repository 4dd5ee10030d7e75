/* log.h - how the virtual board talks to the user: info lines, one-time
 * warnings, and the run-ending verdicts (emulation fault, timeout) with the
 * exit codes the CLI documents. Everything goes to stderr: stdout carries
 * only what the firmware prints. */
#ifndef SIM_LOG_H
#define SIM_LOG_H

#include <stdarg.h>

/* Exit codes of picollama-sim. */
enum {
    SIM_EXIT_OK = 0,       /* script completed, or the firmware asked to stop */
    SIM_EXIT_TIMEOUT = 1,  /* timeout or failed expectation */
    SIM_EXIT_FAULT = 2,    /* emulation fault: bad access, HardFault, USB violation, ... */
    SIM_EXIT_USAGE = 3     /* bad command line or unreadable input */
};

void sim_log_set_quiet(int quiet);

/* "sim: ..." informational line (suppressed by --quiet). */
void sim_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "sim: warning: ..." (always shown). */
void sim_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "picollama-sim: ..." for command-line and file errors. */
void sim_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
