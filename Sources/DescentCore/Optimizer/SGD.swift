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
public struct SGD: Sendable, Equatable {
    public var hyperparameters: SGDHyperparameters
    public var state: SGDState

    public init(hyperparameters: SGDHyperparameters, state: SGDState = SGDState()) {
        self.hyperparameters = hyperparameters
        self.state = state
    }

    /// Forgets the momentum buffer and the step count, as a freshly built optimizer.
    public mutating func reset() {
        state = SGDState()
    }

    /// Applies one step to `parameters` in place.
    ///
    /// - Parameters:
    ///   - parameters: θ, updated in place.
    ///   - gradient: ∇f(θ); only read.
    ///   - lr: the learning rate of this step, for a schedule; `hyperparameters.lr` when nil.
    /// - Complexity: one pass over θ, the gradient and the momentum buffer, with no allocation after the
    ///   first momentum step. Each entry goes through the operations listed above in that order, so the
    ///   result is the same as torch's one-operation-at-a-time loops, bit for bit.
    public mutating func step(parameters: inout [Double], gradient: [Double], lr: Double? = nil) {
        let h = hyperparameters
        let n = parameters.count
        precondition(gradient.count == n, "gradient has \(gradient.count) entries for \(n) parameters")
        let stepLR = lr ?? h.lr
        let sign: Double = h.maximize ? -1 : 1
        let usesMomentum = h.momentum != 0
        if usesMomentum, state.momentumBuffer == nil {
            // torch's first momentum step: buf = d (a copy, no dampening), where d is the decayed gradient.
            state.momentumBuffer = [Double](repeating: 0, count: n)
            Self.pass(theta: &parameters, gradient: gradient, buffer: &state.momentumBuffer!, h: h, lr: stepLR, sign: sign, firstMomentum: true)
        } else if usesMomentum {
            precondition(state.momentumBuffer!.count == n, "momentum buffer has \(state.momentumBuffer!.count) entries for \(n) parameters")
            Self.pass(theta: &parameters, gradient: gradient, buffer: &state.momentumBuffer!, h: h, lr: stepLR, sign: sign, firstMomentum: false)
        } else {
            var none: [Double] = []
            Self.pass(theta: &parameters, gradient: gradient, buffer: &none, h: h, lr: stepLR, sign: sign, firstMomentum: false)
        }
        state.step += 1
    }

    /// The fused loop; the branches depend only on the hyperparameters, so they are hoisted by the compiler
    /// (each case is a loop of its own) and the loop body vectorizes.
    @inline(__always)
    private static func pass(theta: inout [Double], gradient: [Double], buffer: inout [Double], h: SGDHyperparameters,
                             lr: Double, sign: Double, firstMomentum: Bool) {
        let n = theta.count
        let weightDecay = h.weightDecay, momentum = h.momentum, keep = 1 - h.dampening
        let nesterov = h.nesterov, signUpdate = h.update == .sign, usesMomentum = momentum != 0
        theta.withUnsafeMutableBufferPointer { theta in
            gradient.withUnsafeBufferPointer { g in
                buffer.withUnsafeMutableBufferPointer { buf in
                    @inline(__always) func direction(_ i: Int) -> Double {
                        // maximize negates exactly, so multiplying by ±1 is the same as torch's `-g`.
                        var d = sign * g[i]
                        if weightDecay != 0 { d = d + weightDecay * theta[i] }
                        if usesMomentum {
                            let b = firstMomentum ? d : momentum * buf[i] + keep * d
                            buf[i] = b
                            d = nesterov ? d + momentum * b : b
                        }
                        return d
                    }
                    if signUpdate {
                        for i in 0..<n { theta[i] = theta[i] - lr * direction(i).signum }
                    } else {
                        for i in 0..<n { theta[i] = theta[i] - lr * direction(i) }
                    }
                }
            }
        }
    }
}

extension Double {
    /// −1, 0 or +1 like `torch.sign`; NaN stays NaN.
    @inlinable var signum: Double {
        self > 0 ? 1 : (self < 0 ? -1 : (self == 0 ? 0 : self))
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
