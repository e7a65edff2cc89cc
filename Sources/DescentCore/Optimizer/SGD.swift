import CKernels
import Foundation
/// The state `torch.optim.SGD` keeps per parameter: the momentum buffer and the step count.
///
/// Codable, so a run can be saved and resumed bit-for-bit.
public struct SGDState: Codable, Equatable, Sendable {
    /// `momentum_buffer` in torch: `nil` until the first step with momentum ≠ 0.
    public var momentumBuffer: [Double]?
    /// Number of optimizer steps taken since the last reset.
    public var step: Int

    public init(momentumBuffer: [Double]? = nil, step: Int = 0) {
        self.momentumBuffer = momentumBuffer
        self.step = step
    }

    enum CodingKeys: String, CodingKey {
        case momentumBuffer = "momentum_buffer"
        case step
    }

    /// The Euclidean norm of the momentum buffer, 0 when there is none.
    public var momentumBufferNorm: Double {
        guard let momentumBuffer else { return 0 }
        return momentumBuffer.euclideanNorm
    }
}

/// Stochastic gradient descent exactly as torch 2.x `_single_tensor_sgd`, plus AutoRound's sign update.
///
/// One step, in this order and with these roundings (Float64 throughout):
/// 1. `g = ∇f(θ)`, negated first when `maximize`.
/// 2. if `weight_decay ≠ 0`: `g = g + weight_decay·θ`.
/// 3. if `momentum ≠ 0`: on the first step `buf = g` (a copy, no dampening), afterwards
///    `buf = momentum·buf + (1 − dampening)·g`; then `g = g + momentum·buf` if `nesterov`, else `g = buf`.
/// 4. `θ = θ − lr·g` (`update: sgd`) or `θ = θ − lr·sign(g)` (`update: sign`).
///
/// `convention: sutskever` puts lr inside the buffer instead (`v = μ·v + (1 − dampening)·(lr·g)`,
/// `θ = θ − v`; see `MomentumConvention`).
///
/// With a `schedule`, `hyperparameters.lr` is the lr the next step uses (torch's `param_groups[0]["lr"]`), and
/// after every step the schedule sets the one after it, as `scheduler.step()` after `optimizer.step()` does.
public struct SGD: Sendable, Equatable {
    public var hyperparameters: SGDHyperparameters
    public var state: SGDState
    /// The lr schedule, stepped with the optimizer; nil for a constant lr.
    public private(set) var schedule: LRSchedule?

    /// - Parameter schedule: built with `hyperparameters.lr` as its base lr; the lr of the first step is then
    ///   the schedule's (LinearLR's starts at `base × start_factor`).
    public init(hyperparameters: SGDHyperparameters, state: SGDState = SGDState(), schedule: LRScheduleKind? = nil) {
        self.hyperparameters = hyperparameters
        self.state = state
        if let schedule {
            let built = LRSchedule(kind: schedule, baseLR: hyperparameters.lr)
            self.schedule = built
            self.hyperparameters.lr = built.initialLR
        }
    }

    /// Forgets the momentum buffer and the step count, as a freshly built optimizer (and scheduler).
    public mutating func reset() {
        state = SGDState()
        if schedule != nil {
            schedule!.reset()
            hyperparameters.lr = schedule!.initialLR
        }
    }

    /// The lr a run was given (the schedule's base), whatever step it is at.
    public var baseLR: Double { schedule?.baseLR ?? hyperparameters.lr }

    /// Gives the optimizer the base lr a file would give it: at step 0 the lr of the next step is then the
    /// schedule's initial lr from it, exactly as if built with it; later the lr reached is kept.
    public mutating func setBaseLR(_ lr: Double) {
        guard schedule != nil else { hyperparameters.lr = lr; return }
        schedule!.baseLR = lr
        if state.step == 0 { hyperparameters.lr = schedule!.initialLR }
    }

    /// Sets the lr by hand. With a schedule this scales its base lr by the same factor, as scaling
    /// `param_groups[0]["lr"]` and the scheduler's `base_lrs` together would: the schedule goes on from the
    /// new lr. (Editing `initial_lr` alone would not reach a built scheduler's `base_lrs`.)
    /// (From an lr of 0 the base becomes the new lr. From an lr a schedule has made negative or non-finite,
    /// which no factor maps to the new one, the base is kept: torch's plain assignment to the param group.)
    public mutating func setLR(_ lr: Double) {
        if schedule != nil {
            let old = hyperparameters.lr
            if old == 0 {
                schedule!.baseLR = lr
            } else if old > 0 && old.isFinite {
                schedule!.baseLR = schedule!.baseLR * (lr / old)
            }
        }
        hyperparameters.lr = lr
    }

    /// The schedule brought to `steps` steps from construction; returns the lr it gives there.
    mutating func fastForwardSchedule(to steps: Int) -> Double {
        schedule!.fastForward(to: steps)
    }

    /// The schedule's step after an optimizer step: the next lr.
    @inline(__always)
    mutating func stepSchedule() {
        if schedule != nil { hyperparameters.lr = schedule!.next(after: hyperparameters.lr) }
    }

    /// Applies one step to `parameters` in place.
    ///
    /// - Parameters:
    ///   - parameters: θ, updated in place.
    ///   - gradient: ∇f(θ); only read.
    /// - Complexity: one pass over θ, the gradient and the momentum buffer, with no allocation after the
    ///   first momentum step. Each entry goes through the operations listed above in that order, so the
    ///   result is the same as torch's one-operation-at-a-time loops, bit for bit.
    public mutating func step(parameters: inout [Double], gradient: [Double]) {
        let n = parameters.count
        precondition(gradient.count == n, "gradient has \(gradient.count) entries for \(n) parameters")
        let h = hyperparameters
        let first = h.momentum != 0 && state.momentumBuffer == nil
        if first { state.momentumBuffer = [Double](repeating: 0, count: n) }
        var none: [Double] = []
        parameters.withUnsafeMutableBufferPointer { theta in
            gradient.withUnsafeBufferPointer { g in
                if h.momentum != 0 {
                    precondition(state.momentumBuffer!.count == n, "momentum buffer has \(state.momentumBuffer!.count) entries for \(n) parameters")
                    state.momentumBuffer!.withUnsafeMutableBufferPointer { buf in
                        _ = Self.apply(h, theta: theta, gradient: g, buffer: buf, firstMomentumStep: first)
                    }
                } else {
                    none.withUnsafeMutableBufferPointer { buf in
                        _ = Self.apply(h, theta: theta, gradient: g, buffer: buf, firstMomentumStep: false)
                    }
                }
            }
        }
        state.step += 1
        stepSchedule()
    }

    /// `apply` for two parameters held in registers: the same operations on each entry, in the same order.
    @inline(__always)
    static func apply2(_ h: SGDHyperparameters, x: inout Double, y: inout Double, gx: Double, gy: Double,
                       bx: inout Double, by: inout Double) {
        let sign: Double = h.maximize ? -1 : 1
        @inline(__always) func direction(_ g: Double, _ theta: Double, _ b: inout Double) -> Double {
            var d = sign * g
            if h.weightDecay != 0 { d = d + h.weightDecay * theta }
            if h.momentum != 0 {
                b = h.momentum * b + (1 - h.dampening) * d
                d = h.nesterov ? d + h.momentum * b : b
            }
            return d
        }
        let dx = direction(gx, x, &bx), dy = direction(gy, y, &by)
        if h.update == .sign {
            x = x - h.lr * dx.signum; y = y - h.lr * dy.signum
        } else {
            x = x - h.lr * dx; y = y - h.lr * dy
        }
    }

    /// One step on raw buffers: the loop both `step` and a run's bulk stepping use.
    ///
    /// `buffer` is the momentum buffer (of θ's length when `momentum ≠ 0`, else unused); on the first
    /// momentum step it is written, not read. The step count is the caller's to advance.
    ///
    /// - Returns: whether every new θ is finite, found in the same pass (an OR of the entries' exponent bits,
    ///   which vectorizes where a sum of floating-point probes would not).
    ///
    /// The options are tested once, not per entry: PyTorch's convention after the first momentum step runs the
    /// C kernel (`descent_sgd_step`), one loop per combination of weight decay, heavy ball or Nesterov and the
    /// sign update, compiled for the baseline and for AVX2 and AVX-512 and chosen at run time (`KernelPath`);
    /// the first momentum step, Sutskever's convention and two parameters take `general`. Every path performs
    /// each entry's operations in the same order with no fused multiply-add, so the result is the same bit for
    /// bit whichever runs (`SGDKernelTests` holds every path to `general`).
    @discardableResult @inline(__always)
    static func apply(_ h: SGDHyperparameters, theta: UnsafeMutableBufferPointer<Double>, gradient g: UnsafeBufferPointer<Double>,
                      buffer buf: UnsafeMutableBufferPointer<Double>, firstMomentumStep: Bool, path: KernelPath = .current) -> Bool {
        if firstMomentumStep || h.convention == .sutskever || theta.count <= 2 {
            return general(h, theta: theta, gradient: g, buffer: buf, firstMomentumStep: firstMomentumStep)
        }
        var options = descent_sgd_options(lr: h.lr, weight_decay: h.weightDecay, momentum: h.momentum, keep: 1 - h.dampening,
                                          sign: h.maximize ? -1 : 1, decay: h.weightDecay != 0 ? 1 : 0,
                                          use_momentum: h.momentum != 0 ? 1 : 0, nesterov: h.nesterov ? 1 : 0,
                                          sign_update: h.update == .sign ? 1 : 0)
        return descent_sgd_step(path.rawValue, &options, theta.count, theta.baseAddress!, g.baseAddress!,
                                buf.baseAddress ?? theta.baseAddress!) == 1
    }

    /// Every option tested per entry: the first momentum step, Sutskever's convention, and two parameters.
    static func general(_ h: SGDHyperparameters, theta: UnsafeMutableBufferPointer<Double>, gradient g: UnsafeBufferPointer<Double>,
                        buffer buf: UnsafeMutableBufferPointer<Double>, firstMomentumStep: Bool) -> Bool {
        let n = theta.count
        let lr = h.lr, weightDecay = h.weightDecay, momentum = h.momentum, keep = 1 - h.dampening
        let nesterov = h.nesterov, signUpdate = h.update == .sign, usesMomentum = momentum != 0
        // maximize negates exactly, so multiplying by ±1 is the same as torch's `-g`.
        let sign: Double = h.maximize ? -1 : 1
        // θ's finiteness in the same pass, as the kernels find it.
        var exponents: UInt64 = 0
        if h.convention == .sutskever && usesMomentum {
            // v ← μ·v + (1 − τ)·(lr·d) (the first step: v = lr·d), then θ ← θ − v, or θ ← θ − (lr·d + μ·v)
            // with Nesterov; the sign update steps lr·sign of that.
            for i in 0..<n {
                var d = sign * g[i]
                if weightDecay != 0 { d = d + weightDecay * theta[i] }
                let scaled = lr * d
                let v = firstMomentumStep ? scaled : momentum * buf[i] + keep * scaled
                buf[i] = v
                let change = nesterov ? scaled + momentum * v : v
                let x = signUpdate ? theta[i] - lr * change.signum : theta[i] - change
                theta[i] = x
                exponents |= Self.finiteProbe(x)
            }
            return exponents & Self.probeOverflow == 0
        }
        @inline(__always) func direction(_ i: Int) -> Double {
            var d = sign * g[i]
            if weightDecay != 0 { d = d + weightDecay * theta[i] }
            if usesMomentum {
                let b = firstMomentumStep ? d : momentum * buf[i] + keep * d
                buf[i] = b
                d = nesterov ? d + momentum * b : b
            }
            return d
        }
        // Two parameters (the teaching objectives) unrolled: a latency-bound 2-D run is mostly loop overhead.
        if n == 2 {
            let d0 = signUpdate ? direction(0).signum : direction(0), d1 = signUpdate ? direction(1).signum : direction(1)
            theta[0] = theta[0] - lr * d0; theta[1] = theta[1] - lr * d1
            return theta[0].isFinite && theta[1].isFinite
        }
        if signUpdate {
            for i in 0..<n { let x = theta[i] - lr * direction(i).signum; theta[i] = x; exponents |= Self.finiteProbe(x) }
        } else {
            for i in 0..<n { let x = theta[i] - lr * direction(i); theta[i] = x; exponents |= Self.finiteProbe(x) }
        }
        return exponents & Self.probeOverflow == 0
    }

    /// x's exponent field plus one in its lowest place: the sum carries into the sign bit exactly when the field
    /// is all ones (inf or NaN), so an OR of probes has that bit clear exactly when every x is finite.
    @inline(__always)
    static func finiteProbe(_ x: Double) -> UInt64 { (x.bitPattern & 0x7FF0_0000_0000_0000) &+ 0x0010_0000_0000_0000 }
    static let probeOverflow: UInt64 = 0x8000_0000_0000_0000
}

extension Double {
    /// −1, 0 or +1 like `torch.sign` in torch 2.15, which gives 0 for NaN (so a NaN gradient entry leaves
    /// its parameter where it is under `update: sign`).
    @inlinable var signum: Double {
        self > 0 ? 1 : (self < 0 ? -1 : 0)
    }
}

extension Array where Element == Double {
    /// √(Σ xᵢ²), summed in index order.
    public var euclideanNorm: Double {
        var sum = 0.0
        for x in self { sum += x * x }
        return sum.squareRoot()
    }
}
