/* timing.c - test image: instruction and XIP timings measured with DWT
 * CYCCNT, for the virtual board's cost model (RP2350 datasheet 3.7.4.9 and
 * the QMI transfer formula in sim/xip_cache.c). Each kernel runs from SRAM
 * and is measured twice, with a payload and with an empty one; the
 * difference is the payload's cost. */
#include "hw.h"

#define STR(x) #x
#define XSTR(x) STR(x)

/* r0 = &CYCCNT on entry; returns CYCCNT(after) - CYCCNT(before). The
 * payload sits between two identical frames. */
#define KERNEL(name, setup, payload)                                        \
    __attribute__((naked, noinline, section(".ramfunc." #name)))            \
    static uint32_t name(volatile uint32_t *cyccnt)                         \
    {                                                                       \
        __asm volatile("push {r4-r7, lr}\n"                                 \
                       "vpush {s16-s19}\n"                                  \
                       setup                                                \
                       "ldr r2, [r0]\n"                                     \
                       "b 1f\n"                                             \
                       ".balign 4\n"                                        \
                       "nop\n"                                              \
                       "1:\n"                                               \
                       payload                                              \
                       "ldr r3, [r0]\n"                                     \
                       "subs r0, r3, r2\n"                                  \
                       "vpop {s16-s19}\n"                                   \
                       "pop {r4-r7, pc}\n");                                \
        (void)cyccnt;                                                       \
    }

#define R4(x) x x x x
#define R16(x) R4(R4(x))

KERNEL(k_empty, "", "")
/* the datasheet's delay loop: MOVS at 4n+2, SUBS at 4n+4 (299 cycles) */
KERNEL(k_delay_odd, "", "movs r5, #100\n 2: subs r5, r5, #1\n bne 2b\n")
/* the same at 4n+0, SUBS at 4n+2 (300 cycles) */
KERNEL(k_delay_even, "", "nop\n movs r5, #100\n 2: subs r5, r5, #1\n bne 2b\n")
KERNEL(k_nop, "", "nop\n")
/* VADD.F32: dependent chain (2 cycles each) and independent (1 each), x16 */
KERNEL(k_vadd_dep, "", R16("vadd.f32 s0, s0, s1\n"))
KERNEL(k_vadd_ind, "", R4("vadd.f32 s0, s0, s4\n vadd.f32 s1, s1, s4\n vadd.f32 s2, s2, s4\n vadd.f32 s3, s3, s4\n"))
/* VFMA.F32 into one accumulator: one every 3 cycles, x16 */
KERNEL(k_vfma_acc, "", R16("vfma.f32 s0, s1, s2\n"))
/* VDIV.F32: dependent (14 + 1 each) and independent (FPU busy 14 each), x4 */
KERNEL(k_vdiv_dep, "", R4("vdiv.f32 s0, s0, s1\n"))
KERNEL(k_vdiv_ind, "", "vdiv.f32 s0, s4, s5\n vdiv.f32 s1, s4, s5\n vdiv.f32 s2, s4, s5\n vdiv.f32 s3, s4, s5\n")
/* SRAM loads: independent (1 cycle each) and pointer chasing (1 + result delay), x16 */
KERNEL(k_ldr_ind, "mov r4, sp\n", R16("ldr r5, [r4]\n"))
KERNEL(k_ldr_dep, "mov r4, sp\n str r4, [sp]\n", R16("ldr r4, [r4]\n"))
/* MLA chained through the accumulator: one per cycle, x16 */
KERNEL(k_mla_chain, "", R16("mla r4, r5, r6, r4\n"))
/* XIP reads, r1 = address, r6 = count, stride 64 bytes (no two in one
 * line, never sequential): one data read per iteration */
KERNEL(k_xip_reads, "", "2: ldr r5, [r1]\n adds r1, #64\n subs r6, #1\n bne 2b\n")
/* the same loop reading SRAM: the loop's own cycles */
KERNEL(k_sram_reads, "mov r1, sp\n", "2: ldr r5, [r1]\n adds r1, #0\n subs r6, #1\n bne 2b\n")

static void put(const char *name, uint32_t v)
{
    print(name);
    print(" ");
    print_dec(v);
    print("\r\n");
}

typedef uint32_t (*kernel)(volatile uint32_t *);

/* the payload's cycles: second run (SRAM code, warm) minus the empty frame */
static uint32_t measure(kernel k)
{
    volatile uint32_t *cc = (volatile uint32_t *)DWT_CYCCNT;
    k(cc);
    return k(cc) - k_empty(cc);
}

/* kernel with r1 = addr, r6 = n (set through a small trampoline) */
__attribute__((naked, noinline, section(".ramfunc.xip_run")))
static uint32_t xip_run(volatile uint32_t *cc, uint32_t addr, uint32_t n, kernel k)
{
    __asm volatile("push {r6, lr}\n"
                   "mov r6, r2\n"
                   "blx r3\n"
                   "pop {r6, pc}\n");
    (void)cc; (void)addr; (void)n; (void)k;
}

int main(void)
{
    clocks_150mhz();
    uart_init(150000000, 115200);
    REG(PPB_DEMCR) |= 1u << 24;   /* TRCENA */
    REG(DWT_CTRL) |= 1u;          /* CYCCNTENA */
    put("empty", k_empty((volatile uint32_t *)DWT_CYCCNT));
    put("nop", measure(k_nop));
    put("delay_odd", measure(k_delay_odd));
    put("delay_even", measure(k_delay_even));
    put("vadd_dep16", measure(k_vadd_dep));
    put("vadd_ind16", measure(k_vadd_ind));
    put("vfma_acc16", measure(k_vfma_acc));
    put("vdiv_dep4", measure(k_vdiv_dep));
    put("vdiv_ind4", measure(k_vdiv_ind));
    put("ldr_ind16", measure(k_ldr_ind));
    put("ldr_dep16", measure(k_ldr_dep));
    put("mla_chain16", measure(k_mla_chain));

    /* XIP: 64 reads at a 64-byte stride from the flash (cached window:
     * misses, then hits on the second pass; uncached window: a transfer
     * each time), less the same loop on SRAM */
    volatile uint32_t *cc = (volatile uint32_t *)DWT_CYCCNT;
    const uint32_t n = 64, base = 0x10100000u;   /* flash nothing else reads */
    uint32_t sram = xip_run(cc, 0, n, k_sram_reads);
    sram = xip_run(cc, 0, n, k_sram_reads);
    uint32_t miss = xip_run(cc, base, n, k_xip_reads);
    uint32_t hit = xip_run(cc, base, n, k_xip_reads);
    uint32_t unc = xip_run(cc, base + 0x04000000u, n, k_xip_reads);
    put("xip_miss64", miss - sram);
    put("xip_hit64", hit - sram);
    put("xip_uncached64", unc - sram);
    print("m0_timing ");
    print_hex(REG(QMI_BASE + 0x0C));
    print(" m0_rfmt ");
    print_hex(REG(QMI_BASE + 0x10));
    print("\r\ndone\r\n");
    return 0;
}
