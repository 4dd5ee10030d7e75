/* bench_mix.c - test image: an inference-like mix (normalise, matrix-vector,
 * softmax, memcpy, function calls) to measure the simulator's speed on code
 * with ordinary store density. */
#include "hw.h"

#define D 128
#define H 256
static float w1[H * D], x[D], h[H], tmp[H];

__attribute__((noinline)) static void rmsnorm(float *o, const float *v, int n)
{
    float ss = 0;
    for (int i = 0; i < n; i++) ss += v[i] * v[i];
    float s = 1.0f / (ss / (float)n + 1e-5f);
    for (int i = 0; i < n; i++) o[i] = v[i] * s;
}

__attribute__((noinline)) static void matvec(float *o, const float *w, const float *v, int rows, int cols)
{
    for (int r = 0; r < rows; r++) {
        float acc = 0;
        for (int k = 0; k < cols; k++) acc += w[r * cols + k] * v[k];
        o[r] = acc;
    }
}

__attribute__((noinline)) static void softmax(float *v, int n)
{
    float mx = v[0];
    for (int i = 1; i < n; i++) mx = v[i] > mx ? v[i] : mx;
    float sum = 0;
    for (int i = 0; i < n; i++) {
        float e = 1.0f + (v[i] - mx) * (1.0f + (v[i] - mx) * 0.5f);   /* cheap exp stand-in */
        v[i] = e;
        sum += e;
    }
    for (int i = 0; i < n; i++) v[i] /= sum;
}

int main(void)
{
    clocks_150mhz();
    uart_init(150000000, 115200);
    for (int i = 0; i < H * D; i++) w1[i] = (float)((i * 7) % 13) * 0.01f;
    for (int i = 0; i < D; i++) x[i] = (float)i * 0.1f;
    timer_start_ticks();
    uint64_t t0 = time_us();
    for (int step = 0; step < 600; step++) {
        rmsnorm(x, x, D);
        matvec(h, w1, x, H, D);
        softmax(h, H);
        for (int i = 0; i < H; i++) tmp[i] = h[(i * 5) % H];
        for (int i = 0; i < D; i++) x[i] += tmp[i] * 0.5f;
    }
    print("mix done in ");
    print_dec((uint32_t)(time_us() - t0));
    print(" us\r\ndone\r\n");
    return 0;
}
