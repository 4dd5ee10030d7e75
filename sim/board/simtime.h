/* simtime.h - picoseconds, the simulator's unit of time, and the cycles of
 * a clock: conversions for the machine and the device models. */
#ifndef SIM_SIMTIME_H
#define SIM_SIMTIME_H

#include <stdint.h>

/* Picoseconds <-> cycles of a clock of hz Hz, rounded down (_up: rounded
 * up). 128-bit products where the 64-bit one could overflow (1 s of
 * picoseconds times 12 MHz already does). */
#define PS_PER_S 1000000000000ull
#define PS_PER_MS 1000000000ull

static inline uint64_t ps_to_clk_cycles(uint64_t ps, uint64_t hz)
{
    return (uint64_t)((unsigned __int128)ps * hz / PS_PER_S);
}

static inline uint64_t clk_cycles_to_ps(uint64_t n, uint64_t hz)
{
    if (n <= UINT64_MAX / PS_PER_S) return n * PS_PER_S / hz;   /* no overflow: 64-bit divide */
    return (uint64_t)((unsigned __int128)n * PS_PER_S / hz);
}

static inline uint64_t clk_cycles_to_ps_up(uint64_t n, uint64_t hz)
{
    return (uint64_t)(((unsigned __int128)n * PS_PER_S + hz - 1) / hz);
}

#endif
