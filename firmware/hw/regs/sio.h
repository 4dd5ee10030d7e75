/* sio.h - single-cycle IO: CPUID, GPIO, inter-core FIFOs, spinlocks
 * (facts 12.1; SDK regs/sio.h). SIO has no atomic bus aliases. */
#ifndef PICOLLAMA_FW_REGS_SIO_H
#define PICOLLAMA_FW_REGS_SIO_H

#include "reg.h"

#define SIO_BASE 0xD0000000u

typedef struct {
    io_ro_32 cpuid;
    io_ro_32 gpio_in;
    io_ro_32 gpio_hi_in;
    uint32_t _pad0;
    io_rw_32 gpio_out, gpio_hi_out;
    io_wo_32 gpio_set, gpio_hi_set;
    io_wo_32 gpio_clr, gpio_hi_clr;
    io_wo_32 gpio_togl, gpio_hi_togl;
    io_rw_32 gpio_oe, gpio_hi_oe;
    io_wo_32 gpio_oe_set, gpio_hi_oe_set;
    io_wo_32 gpio_oe_clr, gpio_hi_oe_clr;
    io_wo_32 gpio_oe_togl, gpio_hi_oe_togl;
    io_rw_32 fifo_st;
    io_wo_32 fifo_wr;
    io_ro_32 fifo_rd;
    io_ro_32 spinlock_st;
} sio_hw_t;
REG_CHECK(sio_hw_t, gpio_hi_in, 0x008);
REG_CHECK(sio_hw_t, gpio_hi_oe, 0x034);
REG_CHECK(sio_hw_t, fifo_st, 0x050);
REG_CHECK(sio_hw_t, spinlock_st, 0x05C);

#define sio_hw ((sio_hw_t *)SIO_BASE)

#define SIO_FIFO_ST_VLD (1u << 0) /* RX FIFO has data */
#define SIO_FIFO_ST_RDY (1u << 1) /* TX FIFO has room */
#define SIO_FIFO_ST_WOF (1u << 2)
#define SIO_FIFO_ST_ROE (1u << 3)

#endif
