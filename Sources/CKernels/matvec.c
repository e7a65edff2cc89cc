// Dense matrix–vector products: the rows kernel, compiled per path like the SGD step, and a small pool of threads
// that share one product's rows.
#include "descent_kernels.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#pragma clang fp contract(off)

// Rows lo..hi of A·d for a row-major n×n A. Each row is summed in the one order a quadratic always had: four partial
// sums (entries j ≡ 0, 1, 2, 3 mod 4, each in index order), combined as (s0 + s1) + (s2 + s3), then the tail in index
// order. A four-lane vector holds the four sums, so every path (two SSE2 halves, one AVX register) rounds alike;
// eight rows share each load of d.
typedef double descent_v4 __attribute__((vector_size(32), aligned(8)));
#define LOAD4(p) ({ descent_v4 loaded_; memcpy(&loaded_, (p), 32); loaded_; })
#define FINISH4(v) (((v)[0] + (v)[1]) + ((v)[2] + (v)[3]))
#define MATVEC_BODY                                                                                        \
    long i = lo;                                                                                           \
    for (; i + 8 <= hi; i += 8) {                                                                          \
        descent_v4 acc[8];                                                                                 \
        for (int r = 0; r < 8; r++) acc[r] = (descent_v4){0, 0, 0, 0};                                     \
        long j = 0;                                                                                        \
        for (; j + 4 <= n; j += 4) {                                                                       \
            descent_v4 v = LOAD4(d + j);                                                                   \
            for (int r = 0; r < 8; r++) acc[r] += LOAD4(a + (i + r) * n + j) * v;                          \
        }                                                                                                  \
        for (int r = 0; r < 8; r++) {                                                                      \
            double t = FINISH4(acc[r]);                                                                    \
            for (long k = j; k < n; k++) t += a[(i + r) * n + k] * d[k];                                   \
            out[i + r] = t;                                                                                \
        }                                                                                                  \
    }                                                                                                      \
    for (; i < hi; i++) {                                                                                  \
        descent_v4 acc = {0, 0, 0, 0};                                                                     \
        long j = 0;                                                                                        \
        for (; j + 4 <= n; j += 4) acc += LOAD4(a + i * n + j) * LOAD4(d + j);                             \
        double t = FINISH4(acc);                                                                           \
        for (; j < n; j++) t += a[i * n + j] * d[j];                                                       \
        out[i] = t;                                                                                        \
    }

static void matvec_portable(const double *restrict a, long n, const double *restrict d, long lo, long hi, double *restrict out) {
    MATVEC_BODY
}

#if defined(__x86_64__)
__attribute__((target("avx2")))
static void matvec_avx2(const double *restrict a, long n, const double *restrict d, long lo, long hi, double *restrict out) {
    MATVEC_BODY
}

__attribute__((target("avx512f")))
static void matvec_avx512(const double *restrict a, long n, const double *restrict d, long lo, long hi, double *restrict out) {
    MATVEC_BODY
}
#endif

void descent_matvec_rows(int path, const double *a, long n, const double *d, long lo, long hi, double *out) {
#if defined(__x86_64__)
    if (path == DESCENT_PATH_AVX512) { matvec_avx512(a, n, d, lo, hi, out); return; }
    if (path == DESCENT_PATH_AVX2) { matvec_avx2(a, n, d, lo, hi, out); return; }
#endif
    matvec_portable(a, n, d, lo, hi, out);
}

// The pool. One product at a time owns it (others compute alone). Its rows are claimed in blocks through one
// atomic word holding the job's number, its row count and the next free row, so a thread that wakes late, or
// finishes late, can only claim a block of the job that is running: a claim succeeds only while a row of it is
// unclaimed, and then the job's fields stay put until every claimed row is done. The threads that help spin a
// little after each product (a run's next step comes a few microseconds later) and then sleep.
enum { BLOCK_ROWS = 16, POOL_MAX = 8 };
#define ROW_BITS 24
#define ROW_MASK ((1ull << ROW_BITS) - 1)
static inline uint64_t pack(uint64_t job, uint64_t n, uint64_t row) { return job << (2 * ROW_BITS) | n << ROW_BITS | row; }

static struct {
    pthread_mutex_t owner, sleep_lock;
    pthread_cond_t wake;
    _Atomic uint64_t next;   // job (16 bits) | rows (24) | next free row (24)
    atomic_long rows_done;
    unsigned long wakes;     // under sleep_lock: bumped for every job
    int sleepers, helpers;   // under sleep_lock / under owner
    // The job: written by the owner before it publishes `next`, read by a thread only after a successful claim.
    int path;
    const double *a, *d;
    double *out;
} pool = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};

static inline void relax(void) {
#if defined(__x86_64__)
    __builtin_ia32_pause();
#endif
}

static double seconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

// Claims and computes blocks until none is left; returns whether it did any.
static int work(void) {
    uint64_t v = atomic_load_explicit(&pool.next, memory_order_acquire);
    int worked = 0;
    for (;;) {
        uint64_t n = (v >> ROW_BITS) & ROW_MASK, row = v & ROW_MASK;
        if (row >= n) return worked;
        uint64_t end = row + BLOCK_ROWS < n ? row + BLOCK_ROWS : n;
        if (!atomic_compare_exchange_weak_explicit(&pool.next, &v, (v & ~ROW_MASK) | end, memory_order_acq_rel, memory_order_acquire)) continue;
        descent_matvec_rows(pool.path, pool.a, (long)n, pool.d, (long)row, (long)end, pool.out);
        atomic_fetch_add_explicit(&pool.rows_done, (long)(end - row), memory_order_release);
        worked = 1;
        v = atomic_load_explicit(&pool.next, memory_order_acquire);
    }
}

static void *helper(void *unused) {
    (void)unused;
    unsigned long seen = 0;
    for (;;) {
        pthread_mutex_lock(&pool.sleep_lock);
        if (pool.wakes == seen) {
            pool.sleepers++;
            while (pool.wakes == seen) pthread_cond_wait(&pool.wake, &pool.sleep_lock);
            pool.sleepers--;
        }
        seen = pool.wakes;
        pthread_mutex_unlock(&pool.sleep_lock);
        // Work, then watch for the next job for a while before sleeping again.
        double idle = seconds();
        for (int spins = 0;; spins++) {
            if (work()) { idle = seconds(); spins = 0; continue; }
            relax();
            if ((spins & 255) == 255 && seconds() - idle > 200e-6) break;
        }
        pthread_mutex_lock(&pool.sleep_lock);
        seen = pool.wakes;
        pthread_mutex_unlock(&pool.sleep_lock);
    }
    return 0;
}

void descent_matvec(int path, const double *a, long n, const double *d, double *out, int threads) {
    if (threads < 2 || n < 2 * BLOCK_ROWS || n > (long)(ROW_MASK - BLOCK_ROWS) || pthread_mutex_trylock(&pool.owner) != 0) {
        descent_matvec_rows(path, a, n, d, 0, n, out);
        return;
    }
    if (threads > POOL_MAX) threads = POOL_MAX;
    while (pool.helpers < threads - 1) {
        pthread_t t;
        if (pthread_create(&t, 0, helper, 0) != 0) break;
        pthread_detach(t);
        pool.helpers++;
    }
    pool.path = path; pool.a = a; pool.d = d; pool.out = out;
    atomic_store_explicit(&pool.rows_done, 0, memory_order_relaxed);
    uint64_t job = ((atomic_load_explicit(&pool.next, memory_order_relaxed) >> (2 * ROW_BITS)) + 1) & 0xFFFF;
    atomic_store_explicit(&pool.next, pack(job, (uint64_t)n, 0), memory_order_release);
    pthread_mutex_lock(&pool.sleep_lock);
    pool.wakes++;
    if (pool.sleepers) pthread_cond_broadcast(&pool.wake);
    pthread_mutex_unlock(&pool.sleep_lock);
    work();
    // Blocks a helper claimed are still being computed; should it have lost its core, give the core back.
    for (long spins = 0; atomic_load_explicit(&pool.rows_done, memory_order_acquire) < n; spins++) {
        if (spins < 4096) relax(); else sched_yield();
    }
    pthread_mutex_unlock(&pool.owner);
}
