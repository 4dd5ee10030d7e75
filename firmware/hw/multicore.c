/* multicore.c - core 1 launch and inter-core FIFO (see multicore.h). */
#include "multicore.h"

#include "platform.h"
#include "regs/m33.h"
#include "regs/sio.h"

static inline void sev(void) { __asm volatile("sev"); }
static inline void wfe(void) { __asm volatile("wfe"); }

RAM_FUNC void multicore_fifo_push(uint32_t value)
{
    while (!(sio_hw->fifo_st & SIO_FIFO_ST_RDY)) wfe();
    sio_hw->fifo_wr = value;
    sev(); /* the other core may be waiting in WFE */
}

RAM_FUNC uint32_t multicore_fifo_pop(void)
{
    while (!(sio_hw->fifo_st & SIO_FIFO_ST_VLD)) wfe();
    return sio_hw->fifo_rd;
}

static void fifo_drain(void)
{
    while (sio_hw->fifo_st & SIO_FIFO_ST_VLD) (void)sio_hw->fifo_rd;
}

/* Bounded wait for the ROM's echo: a core 1 that never answers must not
 * hang the boot. */
static bool pop_within(uint32_t tries, uint32_t *value)
{
    while (tries--) {
        if (sio_hw->fifo_st & SIO_FIFO_ST_VLD) {
            *value = sio_hw->fifo_rd;
            return true;
        }
    }
    return false;
}

bool multicore_launch_core1(void (*entry)(void), uint32_t *stack_top)
{
    extern const void *const vector_table[];
    /* facts 12.2: 0, 0, 1, VTOR, SP, entry; each echoed; a wrong echo restarts */
    const uint32_t seq[] = {0, 0, 1, (uint32_t)(uintptr_t)vector_table,
                            (uint32_t)(uintptr_t)stack_top, (uint32_t)(uintptr_t)entry};
    uint32_t i = 0, attempts = 0;
    while (i < sizeof(seq) / sizeof(seq[0])) {
        if (seq[i] == 0) {
            fifo_drain();
            sev();
        }
        multicore_fifo_push(seq[i]);
        uint32_t reply;
        if (!pop_within(1000000, &reply)) return false;
        i = reply == seq[i] ? i + 1 : 0;
        if (++attempts > 100) return false;
    }
    return true;
}

void multicore_core1_prepare(uint32_t *stack_limit)
{
    __asm volatile("msr msplim, %0" ::"r"(stack_limit));
    M33_CPACR |= M33_CPACR_CP10_FULL | M33_CPACR_CP11_FULL;
    dsb_isb();
}
