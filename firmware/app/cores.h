/* cores.h - the engine's work split over both cores: core 1 runs one part
 * of each matrix product and attention while core 0 runs the other. */
#ifndef PICOLLAMA_FW_CORES_H
#define PICOLLAMA_FW_CORES_H

#include <stdbool.h>

#include "../../engine/transformer.h"

/* Launches core 1 into its work loop; false if it does not start. */
bool cores_start(void);
bool cores_available(void);

/* A pl_parallel_fn: part 1 on core 1, part 0 here, back when both are
 * done (one part here when max_parts is 1). */
void cores_parallel(void *ctx, pl_task_fn fn, void *arg, int32_t max_parts);

#endif
