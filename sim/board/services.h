/* services.h - what the board offers every model: modelled time, the
 * frequency of each clock, ending the running core's slice (state changed
 * that the scheduler must see) and stopping the run. The machine implements
 * it (machine.c, wiring.c); a model keeps the pointer it was given at init and never
 * sees the machine itself. Warnings go through the logger (log.h).
 */
#ifndef SIM_SERVICES_H
#define SIM_SERVICES_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>

/* why a run stopped */
enum {
    STOP_NONE = 0,
    STOP_FAULT,        /* emulation fault (exit 2) */
    STOP_TIMEOUT,      /* timeout, failed expectation, script step that cannot run (exit 1) */
    STOP_DONE,         /* script complete / BOOTSEL reboot (exit 0) */
};

typedef struct board_services {
    void *board;
    uint64_t (*now_ps)(void *board);
    uint64_t (*now_cycles)(void *board);                 /* clk_sys cycles since power-on */
    uint64_t (*cycles_to_ps)(void *board, uint64_t cycles);   /* at today's clk_sys */
    uint64_t (*clk_hz)(void *board, int clk);            /* CLK_* of regs/clocks.h; 0 = stopped */
    void (*end_slice)(void *board);
    /* ends the run (the first reason wins); code = SIM_EXIT_* of log.h */
    void (*stop)(void *board, int stop, int code, const char *msg);
    /* the strict "bad access" stop (a DMA master only gets a bus error warning) */
    void (*bad_access)(void *board, int master, uint32_t addr, int is_write, int size,
                       const char *why);
} board_services;

static inline uint64_t svc_now_ps(const board_services *s) { return s->now_ps(s->board); }
static inline uint64_t svc_now_cycles(const board_services *s) { return s->now_cycles(s->board); }
static inline uint64_t svc_cycles_to_ps(const board_services *s, uint64_t cycles)
{
    return s->cycles_to_ps(s->board, cycles);
}
static inline uint64_t svc_clk_hz(const board_services *s, int clk) { return s->clk_hz(s->board, clk); }
static inline void svc_end_slice(const board_services *s) { s->end_slice(s->board); }
static inline void svc_bad_access(const board_services *s, int master, uint32_t addr, int is_write,
                                  int size, const char *why)
{
    s->bad_access(s->board, master, addr, is_write, size, why);
}

static inline void svc_stop(const board_services *s, int stop, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static inline void svc_stop(const board_services *s, int stop, int code, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    s->stop(s->board, stop, code, msg);
}

#endif
