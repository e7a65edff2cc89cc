/// How the final step direction is turned into a parameter change.
public enum UpdateRule: String, Codable, Sendable, CaseIterable {
    /// `θ ← θ − lr·g`, as `torch.optim.SGD`.
    case sgd
    /// `θ ← θ − lr·sign(g)`, AutoRound's SignSGD (`sign(0) = 0`).
    case sign
}

/// Where the learning rate enters momentum, the difference PyTorch's documentation warns about.
public enum MomentumConvention: String, Codable, Sendable, CaseIterable {
    /// torch's: `buf ← μ·buf + g`, `θ ← θ − lr·buf` (Nesterov: `θ ← θ − lr·(g + μ·buf)`).
    case pytorch
    /// Sutskever et al. (2013), as in other frameworks: `v ← μ·v + lr·g`, `θ ← θ − v`
    /// (Nesterov: `θ ← θ − (lr·g + μ·v)`). The same steps while lr is constant; they part when it changes.
    case sutskever
}

/// The hyperparameters of one SGD parameter group, under PyTorch's names.
///
/// Changing them between steps is allowed and takes effect on the next step,
/// as editing `optimizer.param_groups[0]` does in torch.
public struct SGDHyperparameters: Equatable, Hashable, Sendable {
    public var lr: Double
    public var momentum: Double
    public var dampening: Double
    public var weightDecay: Double
    public var nesterov: Bool
    public var maximize: Bool
    public var update: UpdateRule
    /// Where lr enters momentum (torch's own by default).
    public var convention: MomentumConvention

    public init(
        lr: Double,
        momentum: Double = 0,
        dampening: Double = 0,
        weightDecay: Double = 0,
        nesterov: Bool = false,
        maximize: Bool = false,
        update: UpdateRule = .sgd,
        convention: MomentumConvention = .pytorch
    ) {
        self.lr = lr
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        self.maximize = maximize
        self.update = update
        self.convention = convention
    }
}

/// A hyperparameter that `torch.optim.SGD` (or Descent, for non-finite values) refuses.
public struct HyperparameterError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The user-facing field name (`lr`, `weight_decay`, …).
    public var field: String
    /// PyTorch's own wording where torch has one.
    public var message: String
    public var description: String { message }
}

extension SGDHyperparameters {
    /// Checks the values as `torch.optim.SGD.__init__` does, plus finiteness.
    ///
    /// Messages use PyTorch's wording, so a PyTorch user recognises them.
    /// - Throws: `HyperparameterError` naming the first offending field.
    public func validate() throws(HyperparameterError) {
        for field in HyperparameterField.numeric {
            if let value = field.number(in: self), !value.isFinite {
                throw HyperparameterError(field: field.name, message: "\(field.name) must be a finite number, got \(value)")
            }
        }
        if lr < 0 { throw HyperparameterError(field: HyperparameterField.lr.name, message: "Invalid learning rate: \(lr)") }
        if momentum < 0 { throw HyperparameterError(field: HyperparameterField.momentum.name, message: "Invalid momentum value: \(momentum)") }
        if weightDecay < 0 {
            throw HyperparameterError(field: HyperparameterField.weightDecay.name, message: "Invalid weight_decay value: \(weightDecay)")
        }
        if nesterov && (momentum <= 0 || dampening != 0) {
            throw HyperparameterError(field: HyperparameterField.nesterov.name, message: "Nesterov momentum requires a momentum and zero dampening")
        }
    }
}
