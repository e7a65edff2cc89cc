#ifndef DESCENT_KERNELS_H
#define DESCENT_KERNELS_H

/// The SGD step's options, as the kernels take them (PyTorch's convention, after the first momentum step).
typedef struct {
    double lr, weight_decay, momentum, keep, sign;
    int decay, use_momentum, nesterov, sign_update;
} descent_sgd_options;

/// Kernel paths: 0 portable (baseline x86-64 or the build's target), 1 AVX2, 2 AVX-512.
enum { DESCENT_PATH_PORTABLE = 0, DESCENT_PATH_AVX2 = 1, DESCENT_PATH_AVX512 = 2 };

/// Whether this CPU (and its operating system) runs `path`.
int descent_path_available(int path);
/// The widest available path.
int descent_best_path(void);
/// "portable", "avx2" or "avx512".
const char *descent_path_name(int path);
/// One SGD step on n entries by `path` (which must be available): theta and buf updated in place; returns 1 when
/// every new theta is finite. Every path performs each entry's operations in the same order, with no fused
/// multiply-add, so every path gives the same bits.
int descent_sgd_step(int path, const descent_sgd_options *options, long n, double *theta, const double *gradient,
                     double *buffer);

/// STREAM's triad, a[i] = b[i] + s·c[i], compiled as the SGD step is: the memory-speed yardstick `descent bench`
/// measures the step against.
void descent_triad(int path, long n, double *a, const double *b, const double *c, double s);
/// Rows [lo, hi) of A·d, A row-major n×n, into out[lo..<hi]: each row's dot product as four interleaved partial
/// sums (entries j ≡ 0…3 mod 4, each in index order) combined as (s0 + s1) + (s2 + s3), then the tail in index order,
/// with no fused multiply-add: the same bits on every path and for any split of the rows.
void descent_matvec_rows(int path, const double *a, long n, const double *d, long lo, long hi, double *out);
/// All of A·d, its rows shared by this thread and a pool's helpers (started as `threads` − 1 asks, at most 7, and
/// kept for later products), each row as `descent_matvec_rows` computes it: the same bits for any thread count.
/// `threads` below 2 computes alone, as does a product that finds the pool in use elsewhere.
void descent_matvec(int path, const double *a, long n, const double *d, double *out, int threads);

/// A sweep's 2-D objective: `a`, `b` for Rosenbrock; `entries` (row-major A) and `center` for a quadratic.
enum { DESCENT_SWEEP_ROSENBROCK = 0, DESCENT_SWEEP_QUADRATIC = 1 };
/// Cells a `descent_sweep` call steps side by side.
#define DESCENT_SWEEP_LANES 16

typedef struct {
    int objective;
    double a, b, entries[4], center[2];
    int nesterov, sign_update, maximize, has_target;
    double start_x, start_y, runaway, target;
    long steps, half;
} descent_sweep_setup;

/// In: each lane's settings (a lane not `live` is never stepped: give it lr 0, momentum 0, keep 1, weight_decay 0).
/// Out: the loss to report, the step it diverged at (−1: never), the first step at the target (−1: never), and
/// ‖±g + weight_decay·θ‖ at step `half` and at the end.
typedef struct {
    double lr[DESCENT_SWEEP_LANES], momentum[DESCENT_SWEEP_LANES], keep[DESCENT_SWEEP_LANES], weight_decay[DESCENT_SWEEP_LANES];
    int live[DESCENT_SWEEP_LANES];
    double reported[DESCENT_SWEEP_LANES], half_norm[DESCENT_SWEEP_LANES], last_norm[DESCENT_SWEEP_LANES];
    long diverged_at[DESCENT_SWEEP_LANES], reached_at[DESCENT_SWEEP_LANES];
} descent_sweep_lanes;

/// Steps `DESCENT_SWEEP_LANES` sweep cells by `path` exactly as Swift's `Sweep.lanes` steps them, eight at a time: the same bits.
void descent_sweep(int path, const descent_sweep_setup *setup, descent_sweep_lanes *lanes);

#endif
