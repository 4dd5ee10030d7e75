/* bench.c - test image: a floating-point matrix-vector loop (the kind of work
 * the engine does) to measure the simulator's guest instruction rate. */
#include "hw.h"

#define N 256
static float w[N * N], x[N], y[N];

int main(void)
{
    clocks_150mhz();
    uart_init(150000000, 115200);
    for (int i = 0; i < N * N; i++) w[i] = (float)(i % 17) * 0.25f;
    for (int i = 0; i < N; i++) x[i] = (float)i * 0.5f;
    timer_start_ticks();
    uint64_t t0 = time_us();
    float check = 0;
    for (int rep = 0; rep < 400; rep++) {
        for (int r = 0; r < N; r++) {
            float acc = 0;
            const float *row = &w[r * N];
            for (int k = 0; k < N; k++) acc += row[k] * x[k];
            y[r] = acc;
        }
        check += y[rep & (N - 1)];
    }
    print("bench done in ");
    print_dec((uint32_t)(time_us() - t0));
    print(" us, y0 ");
    print_dec((uint32_t)y[0]);
    print(" y1 ");
    print_dec((uint32_t)y[1]);
    print(" check ");
    print_dec((uint32_t)check);
    print("\r\ndone\r\n");
    return 0;
}
