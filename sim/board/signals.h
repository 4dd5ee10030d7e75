/* signals.h - the wires between models, as QEMU's qemu_irq and rp2040js's
 * callbacks: an output a model drives and the board connects to whatever
 * listens (an interrupt line into a core's NVIC, a DMA request, a block's
 * reset from RESETS, a clock change, GPIO levels, the USB cable). Only the
 * board file (board/wiring.c) connects them; an unconnected output goes
 * nowhere. Three kinds:
 *   - sim_signal: pushed by the driver on every change (value = new level,
 *     or the new word for a bus of lines);
 *   - sim_probe: a level the receiver samples when it needs it (a pad's
 *     input, whether a pin is routed to a function);
 *   - sim_tick_input: a tick stream (TICKS -> TIMER, WATCHDOG, SysTick)
 *     counted by its receiver.
 */
#ifndef SIM_SIGNALS_H
#define SIM_SIGNALS_H

#include <stdint.h>

typedef void (*signal_handler)(void *ctx, int n, uint32_t value);

typedef struct {
    signal_handler handler;
    void *ctx;
    int n;                  /* which input of the receiver */
} sim_signal;

static inline void signal_connect(sim_signal *s, signal_handler handler, void *ctx, int n)
{
    s->handler = handler;
    s->ctx = ctx;
    s->n = n;
}

static inline void signal_set(const sim_signal *s, uint32_t value)
{
    if (s->handler) s->handler(s->ctx, s->n, value);
}

typedef uint32_t (*probe_handler)(void *ctx, int n);

typedef struct {
    probe_handler read;
    void *ctx;
    int n;
} sim_probe;

static inline void probe_connect(sim_probe *p, probe_handler read, void *ctx, int n)
{
    p->read = read;
    p->ctx = ctx;
    p->n = n;
}

/* the sampled level; `unconnected` when nothing drives it */
static inline uint32_t probe_read(const sim_probe *p, uint32_t unconnected)
{
    return p->read ? p->read(p->ctx, p->n) : unconnected;
}

typedef struct {
    void *ctx;
    int gen;                                               /* which generator */
    uint64_t (*count)(void *ctx, int gen);                 /* ticks emitted since power-on */
    int (*running)(void *ctx, int gen);
    uint64_t (*time_of)(void *ctx, int gen, uint64_t n);   /* ps when count n is reached, 0 = never */
} sim_tick_input;

static inline uint64_t tick_count(const sim_tick_input *t) { return t->count(t->ctx, t->gen); }
static inline int tick_running(const sim_tick_input *t) { return t->running(t->ctx, t->gen); }
static inline uint64_t tick_time_of(const sim_tick_input *t, uint64_t n)
{
    return t->time_of(t->ctx, t->gen, n);
}

#endif
