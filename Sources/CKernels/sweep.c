// A sweep's cells stepped side by side: 16 lanes (two AVX-512 registers a variable, which keeps the step loop's
// state in registers; 32 spilled and ran slower), each lane one `Run` of a 2-D Rosenbrock or quadratic, compiled
// for the baseline, AVX2 and AVX-512 like the SGD step and chosen at run time. Every lane performs, on its own
// numbers, the operations Swift's eight-lane `Sweep.lanes` performs (which are `SGD.apply2`'s and the run's), in the
// same order and with no fused multiply-add, so every path and every grouping of lanes gives the same bits.
#include "descent_kernels.h"
#include <math.h>
#include <stdint.h>

#pragma clang fp contract(off)
// The wide vector types live only inside always-inlined functions: no call passes them, whatever -Wpsabi says.
#pragma clang diagnostic ignored "-Wpsabi"

enum { LANES = DESCENT_SWEEP_LANES };
typedef double vd __attribute__((vector_size(8 * LANES)));
typedef int64_t vm __attribute__((vector_size(8 * LANES)));  // a mask: all ones or all zeros a lane

static inline __attribute__((always_inline)) vd SPLAT(double v) {
    vd out;  // a loop, not 0 + v: the start may be −0
    for (int i = 0; i < LANES; i++) out[i] = v;
    return out;
}
#define SELECT(mask, yes, no) ((vd)(((mask) & (vm)(yes)) | (~(mask) & (vm)(no))))

static inline __attribute__((always_inline)) int any(vm m) {
    int64_t r = 0;
    for (int i = 0; i < LANES; i++) r |= m[i];
    return r != 0;
}

typedef struct {
    vd x, y, bx, by, loss, gx, gy;
} lane_state;

static inline __attribute__((always_inline)) void evaluate(const descent_sweep_setup *s, vd x, vd y, vd *loss, vd *gx, vd *gy) {
    if (s->objective == DESCENT_SWEEP_ROSENBROCK) {
        const double a = s->a, b = s->b;
        vd u = a - x, v = y - x * x;
        // As Swift's lanes: u² is never −0, so 0 + the loss's sum is the sum itself and is left out.
        *loss = u * u + b * v * v;
        *gx = 0 + (-2 * u - 4 * b * v * x);
        *gy = 0 + 2 * b * v;
    } else {
        vd d0 = x - s->center[0], d1 = y - s->center[1];
        vd p0 = (0 + s->entries[0] * d0) + s->entries[1] * d1;
        vd p1 = (0 + s->entries[2] * d0) + s->entries[3] * d1;
        *loss = (0 + (0.5 * d0) * p0) + (0.5 * d1) * p1;
        *gx = p0;
        *gy = p1;
    }
}

// ‖±g + weight_decay·θ‖ lane by lane, summed as `Run.effectiveGradientNorm` sums it.
static inline __attribute__((always_inline)) vd effective_norm(const descent_sweep_setup *s, vd wd, const lane_state *t) {
    const double sign = s->maximize ? -1 : 1;
    vd dx = sign * t->gx + wd * t->x, dy = sign * t->gy + wd * t->y;
    vd sq = (0 + dx * dx) + dy * dy;
    vd out;
    for (int i = 0; i < LANES; i++) out[i] = sqrt(sq[i]);
    return out;
}

// A lane that diverged (or was never valid) is parked at the start with lr 0, its buffer and gradient 0.
static inline __attribute__((always_inline)) void park(const descent_sweep_setup *s, vm dead, vd *lr, lane_state *t) {
    *lr = SELECT(dead, SPLAT(0.0), *lr);
    t->x = SELECT(dead, SPLAT(s->start_x), t->x);
    t->y = SELECT(dead, SPLAT(s->start_y), t->y);
    evaluate(s, t->x, t->y, &t->loss, &t->gx, &t->gy);
    t->gx = SELECT(dead, SPLAT(0.0), t->gx);
    t->gy = SELECT(dead, SPLAT(0.0), t->gy);
    t->bx = SELECT(dead, SPLAT(0.0), t->bx);
    t->by = SELECT(dead, SPLAT(0.0), t->by);
}

static inline __attribute__((always_inline)) vd signum(vd v) {
    vd one = SPLAT(1.0), minus = SPLAT(-1.0), zero = SPLAT(0.0);
    vd out = SELECT(v > zero, one, zero);
    return SELECT(v < zero, minus, out);
}

// One step of every lane, as `SGD.apply2` and the objective's evaluation; `step` counts from 1.
static inline __attribute__((always_inline)) void step_lanes(const descent_sweep_setup *s, long step, vd lr, vd mu, vd keep, vd wd,
                                                             vm uses_momentum, vm decays, int any_momentum, int any_decay, int undamped,
                                                             lane_state *t) {
    vd dx = s->maximize ? -1 * t->gx : t->gx, dy = s->maximize ? -1 * t->gy : t->gy;
    if (any_decay) {
        dx = SELECT(decays, dx + wd * t->x, dx);
        dy = SELECT(decays, dy + wd * t->y, dy);
    }
    if (any_momentum) {
        // The first momentum step copies d into the buffer (no dampening), as torch does.
        if (step == 1) {
            t->bx = SELECT(uses_momentum, dx, t->bx);
            t->by = SELECT(uses_momentum, dy, t->by);
        } else if (undamped) {  // 1·d is d exactly: the product is left out when no lane damps
            t->bx = SELECT(uses_momentum, mu * t->bx + dx, t->bx);
            t->by = SELECT(uses_momentum, mu * t->by + dy, t->by);
        } else {
            t->bx = SELECT(uses_momentum, mu * t->bx + keep * dx, t->bx);
            t->by = SELECT(uses_momentum, mu * t->by + keep * dy, t->by);
        }
        if (s->nesterov) {
            dx = SELECT(uses_momentum, dx + mu * t->bx, dx);
            dy = SELECT(uses_momentum, dy + mu * t->by, dy);
        } else {
            dx = SELECT(uses_momentum, t->bx, dx);
            dy = SELECT(uses_momentum, t->by, dy);
        }
    }
    if (s->sign_update) {
        t->x = t->x - lr * signum(dx);
        t->y = t->y - lr * signum(dy);
    } else {
        t->x = t->x - lr * dx;
        t->y = t->y - lr * dy;
    }
    evaluate(s, t->x, t->y, &t->loss, &t->gx, &t->gy);
}

static inline __attribute__((always_inline)) void sweep_body(const descent_sweep_setup *s, descent_sweep_lanes *l) {
    vd lr, mu, keep, wd;
    vm live;
    for (int i = 0; i < LANES; i++) {
        lr[i] = l->lr[i]; mu[i] = l->momentum[i]; keep[i] = l->keep[i]; wd[i] = l->weight_decay[i];
        live[i] = l->live[i] ? -1 : 0;
    }
    const vd zero = SPLAT(0.0);
    const vm uses_momentum = mu != zero, decays = wd != zero;
    const int any_momentum = any(uses_momentum), any_decay = any(decays), undamped = !any(keep != SPLAT(1.0));
    const int up = s->maximize, has_target = s->has_target;
    const double target = s->target, runaway = s->runaway;
    lane_state t;
    t.x = SPLAT(s->start_x); t.y = SPLAT(s->start_y);
    evaluate(s, t.x, t.y, &t.loss, &t.gx, &t.gy);
    t.bx = zero; t.by = zero;
    vd reported = t.loss, half_norm = SPLAT(NAN);
    int64_t diverged_at[LANES], reached_at[LANES];
    for (int i = 0; i < LANES; i++) { diverged_at[i] = -1; reached_at[i] = -1; }
    const long steps = s->steps, half = s->half;

    // The start: a run whose start is not finite is diverged at step 0.
    vm start_finite = ((0 * t.loss + 0 * t.x) + 0 * t.y) == zero;
    for (int i = 0; i < LANES; i++) if (live[i] && !start_finite[i]) diverged_at[i] = 0;
    live = live & start_finite;
    if (has_target) {
        vm at = up ? t.loss >= target : t.loss <= target;
        for (int i = 0; i < LANES; i++) if (live[i] && at[i]) reached_at[i] = 0;
    }
    if (half == 0) half_norm = effective_norm(s, wd, &t);
    if (any(~live)) park(s, ~live, &lr, &t);

    // Chunks of 16 steps with no per-step test; a chunk whose sum of loss + x + y is not finite (or that ran
    // away) is taken again from its start, testing every step, so the step and loss recorded are exact.
    const long chunk = has_target ? 1 : 16;
    long step = 0;
    while (step < steps && any(live)) {
        long end = steps < step + chunk ? steps : step + chunk;
        if (step < half && half < end) end = half;
        const lane_state saved = t;
        int exact = chunk == 1;
        for (;;) {
            vd sum = zero;
            vm ran_away = (vm){};
            for (long k = step; k < end;) {
                k += 1;
                step_lanes(s, k, lr, mu, keep, wd, uses_momentum, decays, any_momentum, any_decay, undamped, &t);
                if (!exact) {
                    sum = sum + ((t.loss + t.x) + t.y);
                    ran_away = ran_away | (t.loss > runaway) | (t.loss < -runaway);
                    continue;
                }
                if (has_target) {
                    vm at = up ? t.loss >= target : t.loss <= target;
                    for (int i = 0; i < LANES; i++) if (live[i] && reached_at[i] < 0 && at[i]) reached_at[i] = k;
                }
                // 0·v is 0 for finite v and NaN otherwise, as the run's own test.
                vm out = (((0 * t.loss + 0 * t.x) + 0 * t.y) != zero) | (t.loss > runaway) | (t.loss < -runaway);
                vm fell = live & out;
                if (any(fell)) {
                    for (int i = 0; i < LANES; i++) if (fell[i]) diverged_at[i] = k;
                    reported = SELECT(fell, t.loss, reported);
                    live = live & ~fell;
                    park(s, fell, &lr, &t);
                }
            }
            if (exact || !(any((0 * sum) != zero) || any(ran_away))) break;
            t = saved;
            exact = 1;
        }
        step = end;
        if (step == half) half_norm = effective_norm(s, wd, &t);
    }
    reported = SELECT(live, t.loss, reported);
    vd last_norm = effective_norm(s, wd, &t);
    for (int i = 0; i < LANES; i++) {
        l->reported[i] = reported[i]; l->half_norm[i] = half_norm[i]; l->last_norm[i] = last_norm[i];
        l->diverged_at[i] = diverged_at[i]; l->reached_at[i] = reached_at[i];
    }
}

static void sweep_portable(const descent_sweep_setup *s, descent_sweep_lanes *l) { sweep_body(s, l); }

#if defined(__x86_64__)
__attribute__((target("avx2")))
static void sweep_avx2(const descent_sweep_setup *s, descent_sweep_lanes *l) { sweep_body(s, l); }

__attribute__((target("avx512f")))
static void sweep_avx512(const descent_sweep_setup *s, descent_sweep_lanes *l) { sweep_body(s, l); }
#endif

void descent_sweep(int path, const descent_sweep_setup *setup, descent_sweep_lanes *lanes) {
#if defined(__x86_64__)
    if (path == DESCENT_PATH_AVX512) { sweep_avx512(setup, lanes); return; }
    if (path == DESCENT_PATH_AVX2) { sweep_avx2(setup, lanes); return; }
#endif
    sweep_portable(setup, lanes);
}
