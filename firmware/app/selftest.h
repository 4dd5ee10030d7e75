/* selftest.h - the boot-time check that the SIMD kernels equal the
 * portable ones (selftest.c). */
#ifndef PICOLLAMA_FW_SELFTEST_H
#define PICOLLAMA_FW_SELFTEST_H

/* Runs the check with scratch memory from the SRAM pool (emptied after). */
void selftest_run(void);
/* One line for the banner. */
const char *selftest_status(void);

#endif
