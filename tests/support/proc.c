/* proc.c - fork/exec with pipes and a deadline, for end-to-end tests. */
#define _POSIX_C_SOURCE 200809L
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct {
    char *data;
    size_t len, cap;
} buffer;

static void buffer_add(buffer *b, const char *p, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->data = realloc(b->data, b->cap);
        if (!b->data) abort();
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int proc_run(char *const argv[], const char *stdin_data, int timeout_s, proc_result *r)
{
    memset(r, 0, sizeof(*r));
    int in[2], out[2], err[2];
    if (pipe(in) || pipe(out) || pipe(err)) return 0;
    pid_t pid = fork();
    if (pid < 0) return 0;
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        dup2(err[1], 2);
        close(in[1]);
        close(out[0]);
        close(err[0]);
        execv(argv[0], argv);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    close(err[1]);
    signal(SIGPIPE, SIG_IGN);
    if (stdin_data) {
        /* small inputs only: the child may not read before it exits */
        ssize_t unused = write(in[1], stdin_data, strlen(stdin_data));
        (void)unused;
    }
    close(in[1]);

    buffer bo = {0}, be = {0};
    buffer_add(&bo, "", 0);
    buffer_add(&be, "", 0);
    struct pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    int open_fds = 2;
    double deadline = now_seconds() + timeout_s;
    while (open_fds > 0) {
        int left_ms = (int)((deadline - now_seconds()) * 1000);
        if (left_ms <= 0) {
            r->timed_out = 1;
            kill(pid, SIGKILL);
            break;
        }
        if (poll(fds, 2, left_ms) < 0 && errno != EINTR) break;
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            char chunk[65536];
            ssize_t n = read(fds[i].fd, chunk, sizeof(chunk));
            if (n > 0) {
                buffer_add(i == 0 ? &bo : &be, chunk, (size_t)n);
            } else {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            }
        }
    }
    for (int i = 0; i < 2; i++)
        if (fds[i].fd >= 0) close(fds[i].fd);
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) r->signal = WTERMSIG(status);
    else r->exit_code = WEXITSTATUS(status);
    r->out = bo.data;
    r->out_len = bo.len;
    r->err = be.data;
    r->err_len = be.len;
    return 1;
}

int proc_run_env(const char *const *args, int timeout_s, proc_result *r)
{
    char *argv[24];
    int n = 0;
    argv[n++] = (char *)"/usr/bin/env";
    for (int i = 0; args[i]; i++) {
        if (n == 23) return 0; /* more than the room: refused, not cut short */
        argv[n++] = (char *)args[i];
    }
    argv[n] = NULL;
    return proc_run(argv, NULL, timeout_s, r);
}

void proc_free(proc_result *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof(*r));
}

int proc_count_lines(const char *s)
{
    int n = 0;
    for (const char *p = s; *p; p++)
        if (*p == '\n' || p[1] == '\0') n++;
    return n;
}
