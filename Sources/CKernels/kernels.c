// The SGD step's loop, compiled three times: for the build's baseline, and with AVX2 and AVX-512 enabled by
// function attributes, chosen at run time by cpuid. Contraction into fused multiply-adds is off, so each entry's
// operations round as they do in the portable loop (and in Swift's): the same bits on every path.
#include "descent_kernels.h"
#include <stdint.h>
#include <string.h>

#pragma clang fp contract(off)

static inline __attribute__((always_inline)) int body(const descent_sgd_options *o, long n, double *restrict t,
                                                      const double *restrict g, double *restrict b,
                                                      const int decay, const int momentum, const int nesterov, const int sign) {
    const double lr = o->lr, wd = o->weight_decay, mu = o->momentum, keep = o->keep, s = o->sign;
    uint64_t exponents = 0;
    for (long i = 0; i < n; i++) {
        double d = s * g[i];
        if (decay) d = d + wd * t[i];
        if (momentum) {
            double v = mu * b[i] + keep * d;
            b[i] = v;
            d = nesterov ? d + mu * v : v;
        }
        double step = sign ? (d > 0 ? 1.0 : (d < 0 ? -1.0 : 0.0)) : d;
        double x = t[i] - lr * step;
        t[i] = x;
        uint64_t bits;
        memcpy(&bits, &x, 8);
        exponents |= (bits & 0x7FF0000000000000ull) + 0x0010000000000000ull;
    }
    return (exponents & 0x8000000000000000ull) == 0;
}

#define DISPATCH(o, n, t, g, b)                                                              \
    switch ((o)->decay | (o)->use_momentum << 1 | ((o)->use_momentum && (o)->nesterov) << 2 | (o)->sign_update << 3) { \
    case 0: return body(o, n, t, g, b, 0, 0, 0, 0);                                          \
    case 1: return body(o, n, t, g, b, 1, 0, 0, 0);                                          \
    case 2: return body(o, n, t, g, b, 0, 1, 0, 0);                                          \
    case 3: return body(o, n, t, g, b, 1, 1, 0, 0);                                          \
    case 6: return body(o, n, t, g, b, 0, 1, 1, 0);                                          \
    case 7: return body(o, n, t, g, b, 1, 1, 1, 0);                                          \
    case 8: return body(o, n, t, g, b, 0, 0, 0, 1);                                          \
    case 9: return body(o, n, t, g, b, 1, 0, 0, 1);                                          \
    case 10: return body(o, n, t, g, b, 0, 1, 0, 1);                                         \
    case 11: return body(o, n, t, g, b, 1, 1, 0, 1);                                         \
    case 14: return body(o, n, t, g, b, 0, 1, 1, 1);                                         \
    default: return body(o, n, t, g, b, 1, 1, 1, 1);                                         \
    }

static void triad_portable(long n, double *restrict a, const double *restrict b, const double *restrict c, double s) {
    for (long i = 0; i < n; i++) a[i] = b[i] + s * c[i];
}

static int step_portable(const descent_sgd_options *o, long n, double *t, const double *g, double *b) {
    DISPATCH(o, n, t, g, b)
}

#if defined(__x86_64__)
#include <cpuid.h>

__attribute__((target("avx2")))
static int step_avx2(const descent_sgd_options *o, long n, double *t, const double *g, double *b) {
    DISPATCH(o, n, t, g, b)
}

__attribute__((target("avx512f")))
static int step_avx512(const descent_sgd_options *o, long n, double *t, const double *g, double *b) {
    DISPATCH(o, n, t, g, b)
}

__attribute__((target("avx2")))
static void triad_avx2(long n, double *restrict a, const double *restrict b, const double *restrict c, double s) {
    for (long i = 0; i < n; i++) a[i] = b[i] + s * c[i];
}

__attribute__((target("avx512f")))
static void triad_avx512(long n, double *restrict a, const double *restrict b, const double *restrict c, double s) {
    for (long i = 0; i < n; i++) a[i] = b[i] + s * c[i];
}

static uint64_t xgetbv0(void) {
    uint32_t eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((uint64_t)edx << 32) | eax;
}

int descent_path_available(int path) {
    if (path == DESCENT_PATH_PORTABLE) return 1;
    unsigned a, b, c, d;
    if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
    int osxsave = (c >> 27) & 1, avx = (c >> 28) & 1;
    if (!osxsave || !avx) return 0;
    uint64_t xcr0 = xgetbv0();
    if ((xcr0 & 0x6) != 0x6) return 0;  // the OS saves the SSE and AVX state
    if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
    if (path == DESCENT_PATH_AVX2) return (b >> 5) & 1;
    if (path == DESCENT_PATH_AVX512) return ((b >> 16) & 1) && (xcr0 & 0xE6) == 0xE6;  // AVX-512F and its state
    return 0;
}
#else
int descent_path_available(int path) { return path == DESCENT_PATH_PORTABLE; }
#endif

int descent_best_path(void) {
    if (descent_path_available(DESCENT_PATH_AVX512)) return DESCENT_PATH_AVX512;
    if (descent_path_available(DESCENT_PATH_AVX2)) return DESCENT_PATH_AVX2;
    return DESCENT_PATH_PORTABLE;
}

const char *descent_path_name(int path) {
    return path == DESCENT_PATH_AVX512 ? "avx512" : path == DESCENT_PATH_AVX2 ? "avx2" : "portable";
}

int descent_sgd_step(int path, const descent_sgd_options *o, long n, double *theta, const double *gradient, double *buffer) {
#if defined(__x86_64__)
    if (path == DESCENT_PATH_AVX512) return step_avx512(o, n, theta, gradient, buffer);
    if (path == DESCENT_PATH_AVX2) return step_avx2(o, n, theta, gradient, buffer);
#endif
    return step_portable(o, n, theta, gradient, buffer);
}

void descent_triad(int path, long n, double *a, const double *b, const double *c, double s) {
#if defined(__x86_64__)
    if (path == DESCENT_PATH_AVX512) { triad_avx512(n, a, b, c, s); return; }
    if (path == DESCENT_PATH_AVX2) { triad_avx2(n, a, b, c, s); return; }
#endif
    triad_portable(n, a, b, c, s);
}
