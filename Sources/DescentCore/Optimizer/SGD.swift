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
    ///   - gradient: ∇f(θ) on entry; used as scratch and holds the final direction on return.
    ///   - lr: the learning rate of this step, for a schedule; `hyperparameters.lr` when nil.
    /// - Complexity: O(n) with no allocation after the first momentum step.
    public mutating func step(parameters: inout [Double], gradient: inout [Double], lr: Double? = nil) {
        let h = hyperparameters
        let n = parameters.count
        precondition(gradient.count == n, "gradient has \(gradient.count) entries for \(n) parameters")
        let stepLR = lr ?? h.lr
        parameters.withUnsafeMutableBufferPointer { theta in
            gradient.withUnsafeMutableBufferPointer { g in
                if h.maximize {
                    for i in 0..<n { g[i] = -g[i] }
                }
                if h.weightDecay != 0 {
                    for i in 0..<n { g[i] = g[i] + h.weightDecay * theta[i] }
                }
                if h.momentum != 0 {
                    if state.momentumBuffer == nil {
                        state.momentumBuffer = Array(g)
                    } else {
                        state.momentumBuffer!.withUnsafeMutableBufferPointer { buf in
                            precondition(buf.count == n, "momentum buffer has \(buf.count) entries for \(n) parameters")
                            let keep = 1 - h.dampening
                            for i in 0..<n { buf[i] = h.momentum * buf[i] + keep * g[i] }
                        }
                    }
                    state.momentumBuffer!.withUnsafeBufferPointer { buf in
                        if h.nesterov {
                            for i in 0..<n { g[i] = g[i] + h.momentum * buf[i] }
                        } else {
                            for i in 0..<n { g[i] = buf[i] }
                        }
                    }
                }
                switch h.update {
                case .sgd:
                    for i in 0..<n { theta[i] = theta[i] - stepLR * g[i] }
                case .sign:
                    for i in 0..<n { theta[i] = theta[i] - stepLR * g[i].signum }
                }
            }
        }
        state.step += 1
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
