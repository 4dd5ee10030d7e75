/* parallel.h - how the engine hands work to several cores: a task split into
 * parts that may run at once. Results never depend on the split: every part
 * computes whole units (matrix rows, attention heads, fixed chunks) with
 * the arithmetic a single part would use. */
#ifndef PICOLLAMA_PARALLEL_H
#define PICOLLAMA_PARALLEL_H

#include <stdint.h>

/* fn must be called for part = 0 .. parts-1 (in any order, at once or one
 * after another), and the call returns when all are done. */
typedef void (*pl_task_fn)(void *arg, int32_t part, int32_t parts);
/* Runs fn in at most max_parts parts. */
typedef void (*pl_parallel_fn)(void *ctx, pl_task_fn fn, void *arg, int32_t max_parts);

#endif
