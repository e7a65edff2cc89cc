/// Where a run stands, as a scenario file saves it (`state:` on a run): enough to go on from there bit for bit.
///
/// `{step: 300, parameters: [...], momentum_buffer: [...], lr: 0.0005}`: θ and torch's momentum buffer
/// (absent before the first momentum step), the optimizer's step count, and the lr of the next step (for a
/// schedule; a run without one has its `lr`). The schedule's chain, the minibatch order and the gradient
/// noise are brought to the same step from their seeds, so the next step is the one the saved run would
/// have taken. Numbers are written in Swift's shortest round-trip form, so they read back exactly.
public struct RunState: Equatable, Sendable, Decodable {
    public var step: Int
    public var parameters: [Double]
    public var momentumBuffer: [Double]?
    public var lr: Double?

    public init(step: Int, parameters: [Double], momentumBuffer: [Double]?, lr: Double?) {
        self.step = step; self.parameters = parameters; self.momentumBuffer = momentumBuffer; self.lr = lr
    }

    enum Keys: String, CodingKey, CaseIterable {
        case step, parameters
        case momentumBuffer = "momentum_buffer"
        case lr
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Keys.self)
        let c = try decoder.container(keyedBy: Keys.self)
        step = try c.decode(Int.self, forKey: .step)
        parameters = try c.decode([Double].self, forKey: .parameters)
        momentumBuffer = try c.decodeIfPresent([Double].self, forKey: .momentumBuffer)
        lr = try c.decodeIfPresent(Double.self, forKey: .lr)
    }

    /// The run's state now.
    public init(of run: borrowing Run) {
        self.init(step: run.stepCount, parameters: run.parameters, momentumBuffer: run.optimizer.state.momentumBuffer,
                  lr: run.schedule == nil ? nil : run.hyperparameters.lr)
    }

    var fields: [(String, String)] {
        let list = { (v: [Double]) in "[" + v.map(NumberFormat.file).joined(separator: ", ") + "]" }
        var out = [("step", "\(step)"), ("parameters", list(parameters))]
        if let momentumBuffer { out.append(("momentum_buffer", list(momentumBuffer))) }
        if let lr { out.append(("lr", NumberFormat.file(lr))) }
        return out
    }
}

extension Run {
    /// Goes on from a saved state: θ, the buffer and the step count as saved; the schedule, the minibatch
    /// order and the noise brought to that step from their seeds; the loss and gradient evaluated there.
    /// The start stays where it was: a reset goes back to it.
    ///
    /// - Throws: the field and why, when the state does not fit the run.
    public mutating func resume(from state: RunState) throws(InputError) {
        let n = start.count
        guard (0...Experiment.maximumSteps).contains(state.step) else {
            throw InputError(field: "step", message: "must be between 0 and \(Experiment.maximumSteps), got \(state.step)")
        }
        guard state.parameters.count == n, state.parameters.allSatisfy(\.isFinite) else {
            throw InputError(field: "parameters", message: "must be \(n) finite numbers")
        }
        if let buffer = state.momentumBuffer, buffer.count != n || !buffer.allSatisfy(\.isFinite) {
            throw InputError(field: "momentum_buffer", message: "must be \(n) finite numbers")
        }
        // Any lr a schedule reaches is torch's to step with (a rounding's −1.5e-18, a negative gamma's −0.2),
        // so any number is read back; only a run without a schedule has no use for one.
        if state.lr != nil, schedule == nil {
            throw InputError(field: "lr", message: "is the lr a schedule has reached, but this run has no schedule (its lr is the run's own lr)")
        }
        restore(state)
    }
}
