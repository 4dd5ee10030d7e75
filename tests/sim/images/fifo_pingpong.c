/* fifo_pingpong.c - test image: how long the inter-core FIFO takes, the
 * SDK's way (a word, SEV; the other core waits in WFE). On silicon a word
 * and its event cross in a few cycles, so a round trip takes tens of
 * cycles; a simulator that runs the cores in turns must not make it take
 * a turn, nor let a core read a word before the other core wrote it, nor
 * take the FIFO's interrupt before the word is there. */
#include "hw.h"

#define ROUND_TRIPS 2000u
#define STAMP 0x80000000u        /* "reply with your time" */
#define TO_INTERRUPTS 0x80000001u /* "answer from SIO_IRQ_FIFO from now on" */
#define NVIC_ISER0 0xE000E100u
#define SCB_VTOR 0xE000ED08u
#define SIO_IRQ_FIFO 25
#define FIFO_ST (SIO_BASE + 0x50)
#define FIFO_RD (SIO_BASE + 0x58)
#define FIFO_ST_ROE 8u

static void (*core1_vectors[16 + 52])(void) __attribute__((aligned(512)));
static volatile uint32_t isr_entries, isr_bad_reads;

/* core 1's SIO_IRQ_FIFO: the line says a word waits, so the handler reads
 * it without looking at VLD (a read of an empty FIFO returns 0 and sets
 * ROE) */
static void fifo_isr(void)
{
    isr_entries++;
    uint32_t w = REG(FIFO_RD);
    if (REG(FIFO_ST) & FIFO_ST_ROE) {
        isr_bad_reads++;
        REG(FIFO_ST) = 0;   /* clears ROE */
        return;
    }
    fifo_push(w + 1);
}

/* core 1 answers word w with w + 1, or STAMP with the time it read it;
 * after TO_INTERRUPTS, from its FIFO interrupt while it sleeps in WFI */
static void core1_main(void)
{
    for (;;) {
        uint32_t w = fifo_pop();
        if (w == TO_INTERRUPTS) break;
        fifo_push(w == STAMP ? (uint32_t)time_us() : w + 1);
    }
    core1_vectors[16 + SIO_IRQ_FIFO] = fifo_isr;
    REG(SCB_VTOR) = (uint32_t)core1_vectors;
    REG(NVIC_ISER0) = 1u << SIO_IRQ_FIFO;
    fifo_push(TO_INTERRUPTS);
    for (;;) __asm volatile("wfi");
}

int main(void)
{
    clocks_150mhz();
    uart_init(150000000, 115200);
    timer_start_ticks();
    launch_core1(core1_main);

    uint32_t wrong = 0;
    uint64_t t0 = time_us();
    for (uint32_t i = 0; i < ROUND_TRIPS; i++) {
        fifo_push(i);
        wrong += fifo_pop() != i + 1;
    }
    uint32_t took = (uint32_t)(time_us() - t0);
    print("round trips: ");
    print_dec(ROUND_TRIPS);
    print(" in ");
    print_dec(took);
    print(" us, ");
    print_dec(wrong);
    print(" wrong\r\n");

    /* core 1 stamps each word when it reads it: never before it was written */
    uint32_t early = 0;
    for (uint32_t k = 0; k < 50; k++) {
        delay_us(3 + k % 17);   /* the write lands anywhere in a turn of the cores */
        uint32_t written = (uint32_t)time_us();
        fifo_push(STAMP);
        early += fifo_pop() < written;
    }
    print("words read before they were written: ");
    print_dec(early);
    print("\r\n");

    /* core 1 takes each word from its FIFO interrupt: the interrupt comes
     * when the word is there, not before */
    fifo_push(TO_INTERRUPTS);
    wrong = fifo_pop() != TO_INTERRUPTS;
    for (uint32_t k = 0; k < 50; k++) {
        delay_us(3 + k % 17);
        fifo_push(1000 + k);
        wrong += fifo_pop() != 1001 + k;
    }
    print("interrupts: ");
    print_dec(isr_entries);
    print(" for 50 words, ");
    print_dec(isr_bad_reads);
    print(" reads of an empty FIFO, ");
    print_dec(wrong);
    print(" wrong\r\ndone\r\n");
    return 0;
}
