/// Eight sweep cells stepped side by side in SIMD lanes: one lane is one `Run`, bit for bit.
///
/// Lane k performs, on its own numbers, exactly the operations `SGD.apply2` and the run's bulk loop perform
/// (IEEE-754 add, subtract, multiply; no fused multiply-add): a setting a lane does not use (weight_decay 0,
/// momentum 0) is masked out rather than computed with a zero, as `apply2` skips it. The lanes differ only
/// in their hyperparameters; when every lane has diverged the block stops.
extension Sweep {
    func runLanes(cells: [Int], range: Range<Int>, values: UnsafeMutableBufferPointer<Double?>,
                  invalid: UnsafeMutableBufferPointer<String?>) {
        switch base.objective {
        case let f as Rosenbrock: lanes(f, cells: cells, range: range, values: values, invalid: invalid)
        case let f as Quadratic: lanes(f, cells: cells, range: range, values: values, invalid: invalid)
        default: lanes(base.objective, cells: cells, range: range, values: values, invalid: invalid)
        }
    }

    private func lanes<O: Objective>(_ objective: O, cells: [Int], range: Range<Int>,
                                     values: UnsafeMutableBufferPointer<Double?>, invalid: UnsafeMutableBufferPointer<String?>) {
        typealias V = SIMD8<Double>
        typealias M = SIMDMask<SIMD8<Int64>>
        var lr = V(repeating: 0), mu = V(repeating: 0), keep = V(repeating: 1), wd = V(repeating: 0)
        var live = M(repeating: false)
        let shared = base.hyperparameters
        for (lane, k) in range.enumerated() {
            let h = hyperparameters(cell: cells[k])
            do { try h.validate() } catch {
                invalid[k] = error.message
                continue
            }
            lr[lane] = h.lr; mu[lane] = h.momentum; keep[lane] = 1 - h.dampening; wd[lane] = h.weightDecay
            live[lane] = true
        }
        let count = range.count
        guard live != M(repeating: false) else { return }
        let usesMomentum = mu .!= 0, decays = wd .!= 0
        // Whether a setting is used by all lanes, none, or some (then it is masked): loop-invariant branches.
        func mode(_ mask: M) -> Int { mask == M(repeating: true) ? 1 : (mask == M(repeating: false) ? 0 : 2) }
        let momentumMode = mode(usesMomentum), decayMode = mode(decays)
        @inline(__always) func blend(_ new: V, _ old: V, _ mask: M, _ mode: Int) -> V {
            mode == 1 ? new : (mode == 0 ? old : old.replacing(with: new, where: mask))
        }
        let nesterov = shared.nesterov, signUpdate = shared.update == .sign
        let sign: Double = shared.maximize ? -1 : 1
        let negate = shared.maximize, undamped = keep == V(repeating: 1)
        let startX = base.parameters[0], startY = base.parameters[1]
        var x = V(repeating: startX), y = V(repeating: startY)
        var (loss, gx, gy) = objective.lossAndGradient2(lanes: x, y)
        var bx = V(repeating: 0), by = V(repeating: 0)
        // Per lane: the loss to report, the step it diverged at (−1: not), the first step at the target.
        var reported = loss
        var divergedAt = SIMD8<Int64>(repeating: -1)
        var reachedAt = SIMD8<Int64>(repeating: -1)
        var halfNorm = V(repeating: .nan)
        let target: Double? = if case .stepsTo(let t) = metric { t } else { nil }
        let half = steps / 2
        let zero = V(repeating: 0)

        @inline(__always) func effectiveNorm(_ x: V, _ y: V, _ gx: V, _ gy: V) -> V {
            let dx = sign * gx + wd * x, dy = sign * gy + wd * y
            return ((0 + dx * dx) + dy * dy).squareRoot()
        }
        // A lane that diverged (or was never valid) is parked: lr 0 at the start, so it stays finite and
        // the one test a step (is any lane's probe not 0?) stays false until another lane diverges.
        @inline(__always) func park(_ dead: M, _ lr: inout V, _ x: inout V, _ y: inout V, _ loss: inout V, _ gx: inout V,
                                    _ gy: inout V, _ bx: inout V, _ by: inout V) {
            lr.replace(with: 0, where: dead)
            x.replace(with: startX, where: dead); y.replace(with: startY, where: dead)
            (loss, gx, gy) = objective.lossAndGradient2(lanes: x, y)
            gx.replace(with: 0, where: dead); gy.replace(with: 0, where: dead)
            bx.replace(with: 0, where: dead); by.replace(with: 0, where: dead)
        }
        // The start: a run whose start is not finite is diverged at step 0.
        let startFinite = ((0 * loss + 0 * x) + 0 * y) .== zero
        divergedAt.replace(with: 0, where: live .& .!startFinite)
        live = live .& startFinite
        if let target { reachedAt.replace(with: 0, where: live .& (loss .<= target)) }
        if half == 0 { halfNorm = effectiveNorm(x, y, gx, gy) }
        if live != M(repeating: true) { park(.!live, &lr, &x, &y, &loss, &gx, &gy, &bx, &by) }

        // One step of every lane, the operations of `SGD.apply2` and the objective's evaluation.
        @inline(__always) func advance(_ step: Int, _ lr: V, _ x: inout V, _ y: inout V, _ bx: inout V, _ by: inout V,
                                       _ loss: inout V, _ gx: inout V, _ gy: inout V) {
            // 1·g is g exactly: the product by 1 is left out (a NaN stays a NaN either way).
            var dx = negate ? -1 * gx : gx, dy = negate ? -1 * gy : gy
            dx = blend(dx + wd * x, dx, decays, decayMode)
            dy = blend(dy + wd * y, dy, decays, decayMode)
            if momentumMode != 0 {
                // The first momentum step copies d into the buffer (no dampening), as torch does.
                if step == 1 {
                    bx = blend(dx, bx, usesMomentum, momentumMode); by = blend(dy, by, usesMomentum, momentumMode)
                } else {
                    bx = blend(mu * bx + (undamped ? dx : keep * dx), bx, usesMomentum, momentumMode)
                    by = blend(mu * by + (undamped ? dy : keep * dy), by, usesMomentum, momentumMode)
                }
                if nesterov {
                    dx = blend(dx + mu * bx, dx, usesMomentum, momentumMode)
                    dy = blend(dy + mu * by, dy, usesMomentum, momentumMode)
                } else {
                    dx = blend(bx, dx, usesMomentum, momentumMode)
                    dy = blend(by, dy, usesMomentum, momentumMode)
                }
            }
            if signUpdate {
                x = x - lr * Self.signum(dx); y = y - lr * Self.signum(dy)
            } else {
                x = x - lr * dx; y = y - lr * dy
            }
            (loss, gx, gy) = objective.lossAndGradient2(lanes: x, y)
        }

        // Steps go in chunks of 16 with no per-step test: the sum of loss + x + y over the chunk is not
        // finite if any of them ever was (or if the sum overflowed). Then the chunk is taken again from its
        // start, testing every step as the run does, so the step and loss recorded are exact either way.
        // A steps-to metric tests every step anyway.
        let chunk = target == nil ? 16 : 1
        var step = 0
        while step < steps && live != M(repeating: false) {
            var end = min(steps, step + chunk)
            if step < half && half < end { end = half }
            if chunk > 1 {
                let saved = (x, y, bx, by, loss, gx, gy)
                var sum = zero
                for s in (step + 1)...end {
                    advance(s, lr, &x, &y, &bx, &by, &loss, &gx, &gy)
                    sum = sum + ((loss + x) + y)
                }
                if !any((0 * sum) .!= zero) {
                    step = end
                    if step == half { halfNorm = effectiveNorm(x, y, gx, gy) }
                    continue
                }
                (x, y, bx, by, loss, gx, gy) = saved
            }
            for s in (step + 1)...end {
                advance(s, lr, &x, &y, &bx, &by, &loss, &gx, &gy)
                if let target {
                    reachedAt.replace(with: Int64(s), where: live .& (reachedAt .< 0) .& (loss .<= target))
                }
                // 0·v is 0 for finite v and NaN otherwise, as the run's own test.
                let probe = (0 * loss + 0 * x) + 0 * y
                if any(probe .!= zero) {
                    let fell = live .& (probe .!= zero)
                    divergedAt.replace(with: Int64(s), where: fell)
                    reported.replace(with: loss, where: fell)
                    live = live .& .!fell
                    park(fell, &lr, &x, &y, &loss, &gx, &gy, &bx, &by)
                }
            }
            step = end
            if step == half { halfNorm = effectiveNorm(x, y, gx, gy) }
        }
        reported.replace(with: loss, where: live)
        let lastNorm = effectiveNorm(x, y, gx, gy)
        for lane in 0..<count where invalid[range.lowerBound + lane] == nil {
            let k = range.lowerBound + lane
            let diverged = divergedAt[lane] >= 0
            switch metric {
            case .finalLoss: values[k] = reported[lane]
            case .diverged: values[k] = diverged ? Double(divergedAt[lane]) : nil
            case .stepsTo: values[k] = reachedAt[lane] >= 0 ? Double(reachedAt[lane]) : nil
            case .rate:
                values[k] = steps - half < 1 ? nil : (diverged ? .infinity : Self.rate(halfNorm[lane], lastNorm[lane], steps: steps - half))
            }
        }
    }

    /// `Double.signum` lane by lane: −1, 0 or +1, NaN staying NaN.
    @inline(__always)
    static func signum(_ v: SIMD8<Double>) -> SIMD8<Double> {
        var s = v
        s.replace(with: 1, where: v .> 0)
        s.replace(with: -1, where: v .< 0)
        s.replace(with: 0, where: v .== 0)
        return s
    }
}

extension Rosenbrock {
    /// `lossAndGradient2` on eight points: the same operations lane by lane.
    @inline(__always)
    public func lossAndGradient2(lanes x: SIMD8<Double>, _ y: SIMD8<Double>) -> (loss: SIMD8<Double>, gx: SIMD8<Double>, gy: SIMD8<Double>) {
        guard dimension == 2 else {
            var loss = SIMD8<Double>(), gx = SIMD8<Double>(), gy = SIMD8<Double>()
            var g = [0.0, 0.0]
            for lane in 0..<8 {
                loss[lane] = lossAndGradient(at: [x[lane], y[lane]], into: &g); gx[lane] = g[0]; gy[lane] = g[1]
            }
            return (loss, gx, gy)
        }
        let u = a - x, v = y - x * x
        // u² is never −0, so neither is the loss's sum, and 0 + it is the sum itself: the lanes skip that add.
        return (u * u + b * v * v, 0 + (-2 * u - 4 * b * v * x), 0 + 2 * b * v)
    }
}

extension Quadratic {
    /// The 2-D evaluation on eight points: d = θ − c, A·d row by row as `Kernels.dot` sums two entries
    /// ((0 + a₀d₀) + a₁d₁), and the loss Σ ½(dᵢ·(Ad)ᵢ) from 0, as `evaluate` does.
    @inline(__always)
    public func lossAndGradient2(lanes x: SIMD8<Double>, _ y: SIMD8<Double>) -> (loss: SIMD8<Double>, gx: SIMD8<Double>, gy: SIMD8<Double>) {
        precondition(dimension == 2)
        let d0 = x - center[0], d1 = y - center[1]
        let p0 = (0 + entries[0] * d0) + entries[1] * d1
        let p1 = (0 + entries[2] * d0) + entries[3] * d1
        let loss = (0 + 0.5 * (d0 * p0)) + 0.5 * (d1 * p1)
        return (loss, p0, p1)
    }
}
