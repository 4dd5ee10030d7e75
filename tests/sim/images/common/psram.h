/* psram.h - PSRAM set-up for the test images. */
#ifndef TESTIMG_PSRAM_H
#define TESTIMG_PSRAM_H

#include <stdint.h>

/* GPIO47 to XIP_CS1 (pad enabled, isolation off) */
void psram_route_cs1(void);
/* detects and sets up the PSRAM; 1 if found (id = MFID, KGD, EID0) */
int psram_init(uint8_t id[3]);

#endif
