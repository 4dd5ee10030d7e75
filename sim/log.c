/* log.c - stderr messages of the virtual board (see log.h). */
#include "log.h"

#include <stdio.h>

static int quiet_flag;

void sim_log_set_quiet(int quiet) { quiet_flag = quiet; }

static void emit(const char *prefix, const char *fmt, va_list ap)
{
    /* stdout may hold device output not yet flushed; keep the two in order
     * when both go to the same terminal */
    fflush(stdout);
    fputs(prefix, stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    fflush(stderr);
}

void sim_info(const char *fmt, ...)
{
    if (quiet_flag) return;
    va_list ap;
    va_start(ap, fmt);
    emit("sim: ", fmt, ap);
    va_end(ap);
}

void sim_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit("sim: warning: ", fmt, ap);
    va_end(ap);
}

void sim_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    emit("picollama-sim: ", fmt, ap);
    va_end(ap);
}
