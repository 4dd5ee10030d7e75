/* log.c - stderr messages of the virtual board (see log.h). */
#include "log.h"

#include <stdio.h>

static int level = SIM_LOG_NORMAL;
static FILE *log_file;

void sim_log_set_level(int l) { level = l; }

int sim_log_open(const char *path)
{
    (void)sim_log_close();
    log_file = fopen(path, "w");
    return log_file != NULL;
}

int sim_log_close(void)
{
    if (!log_file) return 1;
    int lost = ferror(log_file) | fclose(log_file);
    log_file = NULL;
    return !lost;
}

static void emit_to(FILE *f, const char *prefix, const char *fmt, va_list ap)
{
    fputs(prefix, f);
    vfprintf(f, fmt, ap);
    fputc('\n', f);
    fflush(f);
}

/* the line goes to stderr if its level is shown, and to the log file */
static void emit(int shown_from, const char *prefix, const char *fmt, va_list ap)
{
    if (log_file) {
        va_list copy;
        va_copy(copy, ap);
        emit_to(log_file, prefix, fmt, copy);
        va_end(copy);
    }
    if (level < shown_from) return;
    /* stdout may hold device output not yet flushed; keep the two in order
     * when both go to the same terminal */
    fflush(stdout);
    emit_to(stderr, prefix, fmt, ap);
}

void sim_info(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(SIM_LOG_VERBOSE, "sim: ", fmt, ap);
    va_end(ap);
}

void sim_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(SIM_LOG_NORMAL, "sim: ", fmt, ap);
    va_end(ap);
}

void sim_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(SIM_LOG_QUIET, "sim: warning: ", fmt, ap);
    va_end(ap);
}

void sim_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(SIM_LOG_QUIET, "picollama-sim: ", fmt, ap);
    va_end(ap);
}

void sim_report(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit(SIM_LOG_QUIET, "", fmt, ap);
    va_end(ap);
}
