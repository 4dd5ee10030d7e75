/* cores.c - core 1 as the engine's second worker (see cores.h).
 *
 * Core 0 passes a task through the SIO FIFO (a pointer to the function and
 * its argument), does its own part, then waits for core 1's "done" word.
 * The FIFO write is the only synchronisation needed: SRAM has no cache,
 * and a DMB makes each core's stores visible before the word that
 * announces them. Core 1 never touches the console or USB. */
#include "cores.h"

#include <stdint.h>

#include "../hw/multicore.h"
#include "../hw/platform.h"

typedef struct {
    pl_task_fn fn;
    void *arg;
} task;

static bool started;

/* In SRAM, like everything core 1 runs: it never competes with core 0 for
 * the XIP cache and the QSPI bus. */
RAM_FUNC static void core1_main(void)
{
    extern uint32_t __stack1_limit[];
    multicore_core1_prepare(__stack1_limit);
    for (;;) {
        const task *t = (const task *)(uintptr_t)multicore_fifo_pop();
        dmb();
        t->fn(t->arg, 1, 2);
        dmb();
        multicore_fifo_push(1);
    }
}

bool cores_start(void)
{
    extern uint32_t __stack1_top[];
    started = multicore_launch_core1(core1_main, __stack1_top);
    return started;
}

bool cores_available(void) { return started; }

RAM_FUNC void cores_parallel(void *ctx, pl_task_fn fn, void *arg, int32_t max_parts)
{
    (void)ctx;
    if (max_parts < 2) {
        fn(arg, 0, 1);
        return;
    }
    task t = {fn, arg};
    dmb();
    multicore_fifo_push((uint32_t)(uintptr_t)&t);
    fn(arg, 0, 2);
    (void)multicore_fifo_pop();
    dmb();
}
