import CKernels

/// Eight sweep cells stepped side by side in SIMD lanes: one lane is one `Run`, bit for bit.
///
/// Lane k performs, on its own numbers, exactly the operations `SGD.apply2` and the run's bulk loop perform
/// (IEEE-754 add, subtract, multiply; no fused multiply-add): a setting a lane does not use (weight_decay 0,
/// momentum 0) is masked out rather than computed with a zero, as `apply2` skips it. The lanes differ only
/// in their hyperparameters; when every lane has diverged the block stops.
extension Sweep {
    /// Steps `range` (at most `DESCENT_SWEEP_LANES` cells): a 2-D Rosenbrock or quadratic by the C kernel of
    /// `path` (`descent_sweep`, 16 lanes), anything else, or `path` nil, by the Swift lanes below, eight at a time.
    /// Both give the same bits.
    func runLanes(cells: [Int], range: Range<Int>, values: UnsafeMutableBufferPointer<Double?>,
                  invalid: UnsafeMutableBufferPointer<String?>, diverged: UnsafeMutableBufferPointer<Bool>, path: KernelPath? = Self.lanePath) {
        if let path, var setup = Self.kernelSetup(base.objective) {
            kernelLanes(&setup, path: path, cells: cells, range: range, values: values, invalid: invalid, diverged: diverged)
            return
        }
        var lo = range.lowerBound
        while lo < range.upperBound {
            let eight = lo..<min(range.upperBound, lo + 8)
            switch base.objective {
            case let f as Rosenbrock: lanes(f, cells: cells, range: eight, values: values, invalid: invalid, diverged: diverged)
            case let f as Quadratic: lanes(f, cells: cells, range: eight, values: values, invalid: invalid, diverged: diverged)
            default: lanes(base.objective, cells: cells, range: eight, values: values, invalid: invalid, diverged: diverged)
            }
            lo = eight.upperBound
        }
    }

    /// The C kernel's path for sweeps: AVX2 or AVX-512 where the CPU has them. Compiled for the baseline, 16 lanes
    /// spill out of SSE2's sixteen registers and run slower than the Swift lanes, which then step the sweep.
    static let lanePath: KernelPath? = KernelPath.current == .portable ? nil : KernelPath.current

    /// The C kernel's description of `objective`, when it has one (a 2-D Rosenbrock or quadratic).
    static func kernelSetup(_ objective: any Objective) -> descent_sweep_setup? {
        var setup = descent_sweep_setup()
        switch objective {
        case let f as Rosenbrock where f.dimension == 2:
            setup.objective = Int32(DESCENT_SWEEP_ROSENBROCK); setup.a = f.a; setup.b = f.b
        case let f as Quadratic where f.dimension == 2:
            setup.objective = Int32(DESCENT_SWEEP_QUADRATIC)
            setup.entries = (f.entries[0], f.entries[1], f.entries[2], f.entries[3]); setup.center = (f.center[0], f.center[1])
        default: return nil
        }
        return setup
    }

    private func kernelLanes(_ setup: inout descent_sweep_setup, path: KernelPath, cells: [Int], range: Range<Int>,
                             values: UnsafeMutableBufferPointer<Double?>, invalid: UnsafeMutableBufferPointer<String?>,
                             diverged divergedOut: UnsafeMutableBufferPointer<Bool>) {
        let shared = base.hyperparameters
        let startX = base.parameters[0], startY = base.parameters[1]
        setup.nesterov = shared.nesterov ? 1 : 0; setup.sign_update = shared.update == .sign ? 1 : 0
        setup.maximize = shared.maximize ? 1 : 0
        setup.start_x = startX; setup.start_y = startY
        // Every lane starts at the same point, so every lane has the run's runaway bound.
        setup.runaway = RunStatus.runawayBound(startLoss: base.objective.loss(at: [startX, startY]))
        if case .stepsTo(let t) = metric { setup.has_target = 1; setup.target = t }
        setup.steps = steps; setup.half = steps / 2
        var lanes = descent_sweep_lanes()
        let count = range.count
        precondition(count <= Int(DESCENT_SWEEP_LANES))
        for lane in 0..<Int(DESCENT_SWEEP_LANES) { Self.set(&lanes.keep, lane, 1.0) }
        var anyLive = false
        for (lane, k) in range.enumerated() {
            let h = hyperparameters(cell: cells[k])
            do { try h.validate() } catch {
                invalid[k] = error.message
                continue
            }
            Self.set(&lanes.lr, lane, h.lr); Self.set(&lanes.momentum, lane, h.momentum)
            Self.set(&lanes.keep, lane, 1 - h.dampening); Self.set(&lanes.weight_decay, lane, h.weightDecay)
            Self.set(&lanes.live, lane, Int32(1))
            anyLive = true
        }
        guard anyLive else { return }
        descent_sweep(path.rawValue, &setup, &lanes)
        let half = steps / 2
        for lane in 0..<count where invalid[range.lowerBound + lane] == nil {
            let k = range.lowerBound + lane
            let divergedAt: Int = Self.get(lanes.diverged_at, lane), reachedAt: Int = Self.get(lanes.reached_at, lane)
            let fell = divergedAt >= 0
            divergedOut[k] = fell
            switch metric {
            case .finalLoss: values[k] = Self.get(lanes.reported, lane) as Double
            case .diverged: values[k] = fell ? Double(divergedAt) : nil
            case .stepsTo: values[k] = reachedAt >= 0 ? Double(reachedAt) : nil
            case .rate:
                values[k] = steps - half < 1 ? nil
                    : (fell ? .infinity : Self.rate(Self.get(lanes.half_norm, lane) as Double, Self.get(lanes.last_norm, lane) as Double, steps: steps - half))
            }
        }
    }

    /// Lane `i` of one of the C struct's fixed-size arrays (imported as tuples).
    private static func set<T, E>(_ tuple: inout T, _ i: Int, _ value: E) {
        withUnsafeMutableBytes(of: &tuple) { $0.withMemoryRebound(to: E.self) { $0[i] = value } }
    }

    private static func get<T, E>(_ tuple: T, _ i: Int) -> E {
        withUnsafeBytes(of: tuple) { $0.withMemoryRebound(to: E.self) { $0[i] } }
    }

    typealias Lanes = SIMD8<Double>
    typealias LaneMask = SIMDMask<SIMD8<Int64>>

    /// What every step of a block uses: the lanes' settings, and whether each is used by all lanes (1), by
    /// none (0) or by some (2, then masked).
    struct LaneSettings {
        let mu: Lanes, keep: Lanes, wd: Lanes
        let usesMomentum: LaneMask, decays: LaneMask
        let momentumMode: Int, decayMode: Int
        let nesterov: Bool, signUpdate: Bool, negate: Bool, undamped: Bool
        let startX: Double, startY: Double
    }

    @inline(__always)
    static func blend(_ new: Lanes, _ old: Lanes, _ mask: LaneMask, _ mode: Int) -> Lanes {
        mode == 1 ? new : (mode == 0 ? old : old.replacing(with: new, where: mask))
    }

    /// A lane that diverged (or was never valid) is parked: lr 0 at the start, so it stays finite and the
    /// one test a step (is any lane's probe not 0?) stays false until another lane diverges.
    @inline(__always)
    static func park<O: Objective>(_ objective: O, _ p: LaneSettings, _ dead: LaneMask, _ lr: inout Lanes, _ x: inout Lanes, _ y: inout Lanes,
                                   _ loss: inout Lanes, _ gx: inout Lanes, _ gy: inout Lanes, _ bx: inout Lanes, _ by: inout Lanes) {
        lr.replace(with: 0, where: dead)
        x.replace(with: p.startX, where: dead); y.replace(with: p.startY, where: dead)
        (loss, gx, gy) = objective.lossAndGradient2(lanes: x, y)
        gx.replace(with: 0, where: dead); gy.replace(with: 0, where: dead)
        bx.replace(with: 0, where: dead); by.replace(with: 0, where: dead)
    }

    /// ‖±g + weight_decay·θ‖ lane by lane, summed as `Run.effectiveGradientNorm` sums it.
    @inline(__always)
    static func effectiveNorm(_ p: LaneSettings, _ x: Lanes, _ y: Lanes, _ gx: Lanes, _ gy: Lanes) -> Lanes {
        let sign: Double = p.negate ? -1 : 1
        let dx = sign * gx + p.wd * x, dy = sign * gy + p.wd * y
        return ((0 + dx * dx) + dy * dy).squareRoot()
    }

    private func lanes<O: Objective>(_ objective: O, cells: [Int], range: Range<Int>, values: UnsafeMutableBufferPointer<Double?>,
                                     invalid: UnsafeMutableBufferPointer<String?>, diverged divergedOut: UnsafeMutableBufferPointer<Bool>) {
        typealias V = Lanes
        typealias M = LaneMask
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
        func mode(_ mask: M) -> Int { mask == M(repeating: true) ? 1 : (mask == M(repeating: false) ? 0 : 2) }
        let usesMomentum = mu .!= 0, decays = wd .!= 0
        let p = LaneSettings(mu: mu, keep: keep, wd: wd, usesMomentum: usesMomentum, decays: decays,
                             momentumMode: mode(usesMomentum), decayMode: mode(decays),
                             nesterov: shared.nesterov, signUpdate: shared.update == .sign, negate: shared.maximize,
                             undamped: keep == V(repeating: 1), startX: base.parameters[0], startY: base.parameters[1])
        var x = V(repeating: p.startX), y = V(repeating: p.startY)
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

        // The start: a run whose start is not finite is diverged at step 0.
        let startFinite = ((0 * loss + 0 * x) + 0 * y) .== zero
        divergedAt.replace(with: 0, where: live .& .!startFinite)
        live = live .& startFinite
        // Every lane starts at the same point, so every lane has the run's runaway bound.
        let runaway = V(repeating: RunStatus.runawayBound(startLoss: loss[0]))
        // A maximizing run reaches the target from below.
        let up = shared.maximize
        if let target { reachedAt.replace(with: 0, where: live .& (up ? loss .>= target : loss .<= target)) }
        if half == 0 { halfNorm = Self.effectiveNorm(p, x, y, gx, gy) }
        if live != M(repeating: true) { Self.park(objective, p, .!live, &lr, &x, &y, &loss, &gx, &gy, &bx, &by) }

        // Steps go in chunks of 16 with no per-step test: the sum of loss + x + y over the chunk is not
        // finite if any of them ever was (or if the sum overflowed). Then the chunk is taken again from its
        // start, testing every step as the run does, so the step and loss recorded are exact either way.
        // A steps-to metric tests every step anyway.
        let chunk = target == nil ? 16 : 1
        var step = 0
        while step < steps && live != M(repeating: false) {
            var end = min(steps, step + chunk)
            if step < half && half < end { end = half }
            let saved = (x, y, bx, by, loss, gx, gy)
            var exact = chunk == 1
            while true {
                var sum = zero
                var ranAway = M(repeating: false)
                var s = step
                while s < end {
                    s += 1
                    // One step of every lane: the operations of `SGD.apply2`, then the objective's evaluation.
                    // Written out here rather than called: a call kept the lanes in memory.
                    // 1·g is g exactly: the product by 1 is left out (a NaN stays a NaN either way).
                    var dx = p.negate ? -1 * gx : gx, dy = p.negate ? -1 * gy : gy
                    dx = Self.blend(dx + p.wd * x, dx, p.decays, p.decayMode)
                    dy = Self.blend(dy + p.wd * y, dy, p.decays, p.decayMode)
                    if p.momentumMode != 0 {
                        // The first momentum step copies d into the buffer (no dampening), as torch does.
                        if s == 1 {
                            bx = Self.blend(dx, bx, p.usesMomentum, p.momentumMode); by = Self.blend(dy, by, p.usesMomentum, p.momentumMode)
                        } else {
                            bx = Self.blend(p.mu * bx + (p.undamped ? dx : p.keep * dx), bx, p.usesMomentum, p.momentumMode)
                            by = Self.blend(p.mu * by + (p.undamped ? dy : p.keep * dy), by, p.usesMomentum, p.momentumMode)
                        }
                        if p.nesterov {
                            dx = Self.blend(dx + p.mu * bx, dx, p.usesMomentum, p.momentumMode)
                            dy = Self.blend(dy + p.mu * by, dy, p.usesMomentum, p.momentumMode)
                        } else {
                            dx = Self.blend(bx, dx, p.usesMomentum, p.momentumMode)
                            dy = Self.blend(by, dy, p.usesMomentum, p.momentumMode)
                        }
                    }
                    if p.signUpdate {
                        x = x - lr * Self.signum(dx); y = y - lr * Self.signum(dy)
                    } else {
                        x = x - lr * dx; y = y - lr * dy
                    }
                    (loss, gx, gy) = objective.lossAndGradient2(lanes: x, y)
                    if !exact {
                        sum = sum + ((loss + x) + y)
                        ranAway = ranAway .| (loss .> runaway) .| (loss .< -runaway)
                        continue
                    }
                    if let target {
                        reachedAt.replace(with: Int64(s), where: live .& (reachedAt .< 0) .& (up ? loss .>= target : loss .<= target))
                    }
                    // 0·v is 0 for finite v and NaN otherwise, as the run's own test.
                    let probe = (0 * loss + 0 * x) + 0 * y
                    let out = (probe .!= zero) .| (loss .> runaway) .| (loss .< -runaway)
                    if any(live .& out) {
                        let fell = live .& out
                        divergedAt.replace(with: Int64(s), where: fell)
                        reported.replace(with: loss, where: fell)
                        live = live .& .!fell
                        Self.park(objective, p, fell, &lr, &x, &y, &loss, &gx, &gy, &bx, &by)
                    }
                }
                if exact || !(any((0 * sum) .!= zero) || any(ranAway)) { break }
                (x, y, bx, by, loss, gx, gy) = saved
                exact = true
            }
            step = end
            if step == half { halfNorm = Self.effectiveNorm(p, x, y, gx, gy) }
        }
        reported.replace(with: loss, where: live)
        let lastNorm = Self.effectiveNorm(p, x, y, gx, gy)
        for lane in 0..<count where invalid[range.lowerBound + lane] == nil {
            let k = range.lowerBound + lane
            let diverged = divergedAt[lane] >= 0
            divergedOut[k] = diverged
            switch metric {
            case .finalLoss: values[k] = reported[lane]
            case .diverged: values[k] = diverged ? Double(divergedAt[lane]) : nil
            case .stepsTo: values[k] = reachedAt[lane] >= 0 ? Double(reachedAt[lane]) : nil
            case .rate:
                values[k] = steps - half < 1 ? nil : (diverged ? .infinity : Self.rate(halfNorm[lane], lastNorm[lane], steps: steps - half))
            }
        }
    }

    /// `Double.signum` lane by lane: −1, 0 or +1, and 0 for NaN as `torch.sign`.
    @inline(__always)
    static func signum(_ v: SIMD8<Double>) -> SIMD8<Double> {
        var s = SIMD8<Double>(repeating: 0)
        s.replace(with: 1, where: v .> 0)
        s.replace(with: -1, where: v .< 0)
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
    /// The 2-D evaluation on eight points: d = θ − c, A·d row by row as `descent_matvec_rows` sums two entries
    /// ((0 + a₀d₀) + a₁d₁), and the loss Σ (½dᵢ)·(Ad)ᵢ from 0, as `evaluate` does.
    @inline(__always)
    public func lossAndGradient2(lanes x: SIMD8<Double>, _ y: SIMD8<Double>) -> (loss: SIMD8<Double>, gx: SIMD8<Double>, gy: SIMD8<Double>) {
        precondition(dimension == 2)
        let d0 = x - center[0], d1 = y - center[1]
        let p0 = (0 + entries[0] * d0) + entries[1] * d1
        let p1 = (0 + entries[2] * d0) + entries[3] * d1
        let loss = (0 + (0.5 * d0) * p0) + (0.5 * d1) * p1
        return (loss, p0, p1)
    }
}
