/// Where a run stands.
public enum RunStatus: Equatable, Sendable {
    case running
    /// The run diverged at this step (see `runawayFactor` for the rule) and is frozen there. `cause` says why
    /// when it can be told (a typed formula's `log(-0.5) is undefined`, a loss that ran away); nil otherwise.
    case diverged(atStep: Int, cause: String? = nil)

    /// Descent's one divergence rule, used by `run`, `check`, `sweep`, `plot` and the explorer alike: a run
    /// diverges at the first step where the loss or a parameter is NaN or infinite, or where the loss has run
    /// away, |f(θ_k)| > `runawayFactor` · max(1, |f(θ₀)|). Up to that step its numbers are torch's; past it
    /// they are not computed (torch's would go on to inf and NaN).
    public static let runawayFactor = 1e10

    /// The largest |loss| a run started at a point of loss `startLoss` may reach and still be running.
    public static func runawayBound(startLoss: Double) -> Double { runawayFactor * max(1, abs(startLoss)) }

    public var description: String {
        switch self {
        case .running: "ok"
        case .diverged(let step, nil): "diverged at step \(step)"
        case .diverged(let step, let cause?): "diverged at step \(step): \(cause)"
        }
    }
}

/// One optimizer on one objective from one start: the unit both the headless runner and the explorer step.
///
/// Every change goes through a mutating method (`step`, `reset`, `setHyperparameters`, `moveStart`),
/// so a later event log can record them all.
public struct Run: Sendable {
    public var label: String
    public let objective: any Objective
    public private(set) var optimizer: SGD
    /// θ after `step` steps.
    public private(set) var parameters: [Double]
    /// f(θ) on all the data.
    public private(set) var loss: Double
    public private(set) var status: RunStatus
    public private(set) var start: [Double]
    /// The minibatch schedule of a stochastic regression; nil for full-batch gradients.
    public private(set) var batches: MinibatchSchedule?
    /// The objective as a mean over samples, cast once rather than every step.
    private let sampledObjective: (any SampledObjective)?
    /// Seeded Gaussian noise added to every gradient the optimizer sees; nil for exact gradients.
    public private(set) var noise: GradientNoise?
    /// ∇f(θ) on all the data at the current parameters, evaluated with the loss (`lossAndGradient`), so
    /// a full-batch step evaluates the objective once; for minibatch runs, scratch for the batch gradient.
    private var gradientBuffer: [Double]
    /// Whether the objective can say why its gradient is not finite (a typed formula): only then is the
    /// gradient checked after each step, so the step it makes diverge can be explained.
    private let explainsGradients: Bool
    /// Why the gradient at the current θ is not finite while f is: the cause of the divergence that follows.
    private var gradientCause: String?
    /// `RunStatus.runawayBound` of the start's loss: a |loss| past it is a divergence.
    public private(set) var runawayLoss: Double = .infinity

    /// Starts a run at `start`, checking the hyperparameters.
    ///
    /// - Parameter batchSize: minibatch size for a `SampledObjective`; nil for full batch.
    ///   `schedule`: an lr schedule with `hyperparameters.lr` as its base lr.
    ///   `noise`: σ of Gaussian noise added to each gradient component, drawn from `seed`'s own stream.
    public init(label: String, objective: any Objective, start: [Double], hyperparameters: SGDHyperparameters,
                batchSize: Int? = nil, seed: UInt64 = 0, schedule: LRScheduleKind? = nil, noise: Double? = nil) throws(HyperparameterError) {
        if let noise, !(noise >= 0 && noise.isFinite) {
            throw HyperparameterError(field: "noise", message: "must be a finite number ≥ 0, got \(noise)")
        }
        try hyperparameters.validate()
        if let problem = schedule?.problem() {
            throw HyperparameterError(field: "schedule.\(problem.key)", message: problem.message)
        }
        precondition(start.count == objective.dimension, "start has \(start.count) entries for dimension \(objective.dimension)")
        self.label = label
        self.objective = objective
        self.optimizer = SGD(hyperparameters: hyperparameters, schedule: schedule)
        self.start = start
        self.parameters = start
        self.loss = 0
        self.status = .running
        self.gradientBuffer = Array(repeating: 0, count: start.count)
        sampledObjective = objective.sampled
        explainsGradients = objective.explainsGradients
        if let noise, noise > 0 { self.noise = GradientNoise(sigma: noise, seed: seed) }
        if let batchSize, let sampled = sampledObjective, batchSize < sampled.sampleCount {
            batches = MinibatchSchedule(sampleCount: sampled.sampleCount, batchSize: batchSize, seed: seed)
        }
        evaluate()
        runawayLoss = RunStatus.runawayBound(startLoss: loss)
    }

    /// The hyperparameters of the next step (with a schedule, `lr` is the schedule's lr for it).
    public var hyperparameters: SGDHyperparameters { optimizer.hyperparameters }
    /// The hyperparameters as a scenario gives them: `lr` the schedule's base lr.
    public var specifiedHyperparameters: SGDHyperparameters {
        var h = optimizer.hyperparameters
        h.lr = optimizer.baseLR
        return h
    }
    /// The run's lr schedule, if any.
    public var schedule: LRScheduleKind? { optimizer.schedule?.kind }
    /// Steps taken since the start.
    public var stepCount: Int { optimizer.state.step }
    public var isDiverged: Bool { status != .running }

    /// Takes one optimizer step (and its schedule's step) unless the run has diverged.
    ///
    /// - Returns: true if a step was taken.
    /// - Complexity: one `lossAndGradient` (full batch), or a batch gradient and a loss; no allocation
    ///   after the first step.
    @discardableResult
    public mutating func step() -> Bool {
        guard status == .running else { return false }
        if batches != nil, let sampledObjective {
            let batch = batches!.nextBatch()
            sampledObjective.gradient(at: parameters, samples: batch, into: &gradientBuffer)
        }
        if noise != nil {
            // The noisy gradient is the optimizer's; the exact one stays for the readouts and the next step.
            var noisy = gradientBuffer
            noise!.add(to: &noisy)
            optimizer.step(parameters: &parameters, gradient: noisy)
        } else {
            optimizer.step(parameters: &parameters, gradient: gradientBuffer)
        }
        evaluate()
        return true
    }

    /// The loss at the current parameters, with the full gradient for the next step when it is full-batch.
    private mutating func evaluate() {
        if batches == nil {
            loss = objective.lossAndGradient(at: parameters, into: &gradientBuffer)
            if explainsGradients { noteGradient() }
        } else {
            loss = objective.loss(at: parameters)
        }
        checkFinite()
    }

    /// Takes up to `count` steps, calling `observe` after each one taken; stops early on divergence.
    public mutating func advance(by count: Int, observe: (borrowing Run) -> Void) {
        for _ in 0..<count {
            guard step() else { return }
            observe(self)
        }
    }

    /// Takes up to `count` steps; stops early on divergence.
    ///
    /// The same steps as calling `step()` `count` times, bit for bit, but full-batch runs keep θ, the
    /// gradient and the momentum buffer pinned for the whole loop: no array bookkeeping between steps.
    public mutating func advance(by count: Int) {
        var taken = 0
        // Minibatches, gradient noise, schedules (an lr per step), Sutskever's momentum, and the first
        // momentum step (which creates the buffer) go the ordinary way.
        while taken < count, batches != nil || noise != nil || optimizer.schedule != nil || hyperparameters.convention != .pytorch
                || (hyperparameters.momentum != 0 && optimizer.state.momentumBuffer == nil) {
            guard step() else { return }
            taken += 1
        }
        guard taken < count, status == .running else { return }
        let h = optimizer.hyperparameters, objective = objective
        // Moved out of self, so pinning them does not overlap an access to self.
        var theta: [Double] = [], gradient: [Double] = [], buffer: [Double] = []
        swap(&theta, &parameters)
        swap(&gradient, &gradientBuffer)
        if h.momentum != 0 { swap(&buffer, &optimizer.state.momentumBuffer!) }
        var loss = self.loss, steps = 0, finite = true, pendingCause = gradientCause
        let explains = explainsGradients, runaway = runawayLoss
        theta.withUnsafeMutableBufferPointer { theta in
            gradient.withUnsafeMutableBufferPointer { g in
                buffer.withUnsafeMutableBufferPointer { buf in
                    // The teaching objectives get a loop compiled for their own type (their evaluation
                    // inlined into it); any other objective is called through the protocol.
                    func loop<O: Objective>(_ objective: O) {
                        // Two parameters in registers, when the objective has a 2-D form (not the first
                        // momentum step: that one went the ordinary way above).
                        if theta.count == 2, objective.lossAndGradient2(theta[0], theta[1]) != nil {
                            var x = theta[0], y = theta[1], gx = g[0], gy = g[1]
                            var bx = buf.isEmpty ? 0 : buf[0], by = buf.isEmpty ? 0 : buf[1]
                            while steps < count - taken {
                                SGD.apply2(h, x: &x, y: &y, gx: gx, gy: gy, bx: &bx, by: &by)
                                let r = objective.lossAndGradient2(x, y)!
                                loss = r.loss; gx = r.gx; gy = r.gy
                                steps += 1
                                // 0·v is 0 for finite v and NaN otherwise.
                                finite = (0 * loss + 0 * x) + 0 * y == 0 && abs(loss) <= runaway
                                if !finite { break }
                            }
                            theta[0] = x; theta[1] = y; g[0] = gx; g[1] = gy
                            if !buf.isEmpty { buf[0] = bx; buf[1] = by }
                            return
                        }
                        while steps < count - taken {
                            // θ's finiteness comes out of the step's own pass.
                            let thetaFinite = SGD.apply(h, theta: theta, gradient: UnsafeBufferPointer(g), buffer: buf, firstMomentumStep: false)
                            loss = objective.lossAndGradient(at: UnsafeBufferPointer(theta), into: g)
                            steps += 1
                            finite = thetaFinite && loss.isFinite && abs(loss) <= runaway
                            if !finite { break }
                            // A typed formula's gradient can be infinite where its value is not (sqrt at 0): the
                            // step after it diverges, so the cause is found here, while θ is still finite.
                            if explains {
                                if !Self.isFinite(0, UnsafeBufferPointer(g)) {
                                    pendingCause = objective.gradientCause(at: Array(theta))
                                } else if pendingCause != nil {
                                    pendingCause = nil
                                }
                            }
                        }
                    }
                    switch objective {
                    case let f as Rosenbrock: loop(f)
                    case let f as Himmelblau: loop(f)
                    case let f as Beale: loop(f)
                    case let f as Rastrigin: loop(f)
                    case let f as Quadratic: loop(f)
                    default: loop(objective)
                    }
                }
            }
        }
        swap(&theta, &parameters)
        swap(&gradient, &gradientBuffer)
        if h.momentum != 0 { swap(&buffer, &optimizer.state.momentumBuffer!) }
        optimizer.state.step += steps
        self.loss = loss
        gradientCause = pendingCause
        if !finite { diverge() }
    }

    /// Freezes the run at the step it diverged: a loss that ran away says so; otherwise the objective is asked
    /// why, f at θ while θ is finite, else the gradient that took it there.
    private mutating func diverge() {
        let finiteParameters = parameters.allSatisfy(\.isFinite)
        let cause = if finiteParameters && loss.isFinite {
            "the loss ran away to \(NumberFormat.readable(loss)), past 1e10 · max(1, |start loss|)"
        } else {
            finiteParameters ? objective.divergenceCause(at: parameters) : gradientCause
        }
        status = .diverged(atStep: stepCount, cause: cause)
    }

    /// After an evaluation at a finite point: the cause to give if this gradient, not finite where f is, makes
    /// the next step diverge. At a point that is not finite the run diverges now, for the cause noted before.
    private mutating func noteGradient() {
        guard parameters.withUnsafeBufferPointer({ Self.isFinite(loss, $0) }) else { return }
        let finite = gradientBuffer.withUnsafeBufferPointer { Self.isFinite(0, $0) }
        gradientCause = finite ? nil : objective.gradientCause(at: parameters)
    }

    /// Puts the run at a checked saved state (see `resume(from:)`).
    mutating func restore(_ saved: RunState) {
        reset()
        if optimizer.schedule != nil {
            let lr = optimizer.fastForwardSchedule(to: saved.step)
            optimizer.hyperparameters.lr = saved.lr ?? lr
        }
        for _ in 0..<saved.step {
            _ = batches?.nextBatch()
            if noise != nil { var skipped = gradientBuffer; noise!.add(to: &skipped) }
        }
        optimizer.state = SGDState(momentumBuffer: saved.momentumBuffer, step: saved.step)
        parameters = saved.parameters
        status = .running
        evaluate()
    }

    /// Back to the start: parameters, momentum buffer, step count and minibatch schedule.
    public mutating func reset() {
        optimizer.reset()
        batches?.reset()
        noise?.reset()
        parameters = start
        status = .running
        runawayLoss = .infinity
        evaluate()
        runawayLoss = RunStatus.runawayBound(startLoss: loss)
    }

    /// Moves the start (e.g. a click on the landscape) and resets.
    public mutating func moveStart(to newStart: [Double]) {
        precondition(newStart.count == start.count)
        start = newStart
        reset()
    }

    /// Replaces the hyperparameters; they act from the next step, and the momentum buffer is kept.
    ///
    /// - Throws: the optimizer's own message; the run keeps its old values.
    /// With a schedule, a new lr scales the schedule's base lr (see `SGD.setLR`).
    public mutating func setHyperparameters(_ new: SGDHyperparameters) throws(HyperparameterError) {
        // An lr a schedule has reached (negative, after a negative gamma) is not checked again when it is not
        // what changes: a new momentum is taken as torch takes it, whatever the lr.
        var checked = new
        if new.lr.bitPattern == optimizer.hyperparameters.lr.bitPattern { checked.lr = 0 }
        try checked.validate()
        let lr = new.lr
        var rest = new
        rest.lr = optimizer.hyperparameters.lr
        optimizer.hyperparameters = rest
        if lr != rest.lr { optimizer.setLR(lr) }
    }

    /// Replaces the hyperparameters as a scenario file gives them (`lr` the schedule's base lr): the run as
    /// `descent run` would build it with these values in its file, at the step it stands. A new base lr gives a
    /// run at step 0 the schedule's initial lr from it; later, the lr the run has reached is kept, as a saved
    /// state's `lr` is.
    public mutating func setSpecifiedHyperparameters(_ new: SGDHyperparameters) throws(HyperparameterError) {
        try new.validate()
        var rest = new
        rest.lr = optimizer.hyperparameters.lr
        optimizer.hyperparameters = rest
        if new.lr.bitPattern != optimizer.baseLR.bitPattern { optimizer.setBaseLR(new.lr) }
    }

    /// Assigns the fields `patch` gives, as assigning to torch's `param_groups[0]` does: without validation,
    /// so a `set` event lands whatever lr a schedule has reached (a negative one, after ExponentialLR with a
    /// negative gamma). A scenario's events are checked against torch's constructor when it is loaded
    /// (`Experiment.checkEvents`); here they are only applied. With a schedule, an lr scales its base (`SGD.setLR`).
    public mutating func assign(_ patch: HyperparameterPatch) {
        var rest = patch
        rest.lr = nil
        optimizer.hyperparameters = rest.applied(to: optimizer.hyperparameters)
        if let lr = patch.lr, lr != optimizer.hyperparameters.lr { optimizer.setLR(lr) }
    }

    /// ‖∇f(θ)‖ on all the data at the current parameters.
    public func gradientNorm() -> Double {
        if batches == nil { return gradientBuffer.euclideanNorm }
        var g = Array(repeating: 0.0, count: parameters.count)
        objective.gradient(at: parameters, into: &g)
        return g.euclideanNorm
    }

    private mutating func checkFinite() {
        let finite = parameters.withUnsafeBufferPointer { Self.isFinite(loss, $0) } && abs(loss) <= runawayLoss
        if !finite { diverge() }
    }

    /// Whether the loss and every parameter are finite.
    @inline(__always)
    private static func isFinite(_ loss: Double, _ theta: UnsafeBufferPointer<Double>) -> Bool {
        // 0·x is 0 for finite x and NaN otherwise: one sum, no branch per entry.
        var probe = 0 * loss
        for x in theta { probe += 0 * x }
        return probe == 0
    }
}

/// Gaussian noise N(0, σ²) added to each gradient component, from a run's own seeded stream.
///
/// The stream is `SeededGenerator(seed ^ streamSalt)` drawn by `nextPortableGaussian` (no libm call), one normal per
/// component in index order per step: the same numbers on every machine. A reset starts it over.
public struct GradientNoise: Sendable, Equatable {
    public let sigma: Double
    public let seed: UInt64
    private var generator: SeededGenerator

    public init(sigma: Double, seed: UInt64) {
        self.sigma = sigma; self.seed = seed
        generator = SeededGenerator(seed: seed ^ Self.streamSalt)
    }

    /// Makes the noise's stream differ from a minibatch shuffle drawn from the same seed.
    static let streamSalt: UInt64 = 0x6E6F_6973_6521_0000

    mutating func add(to gradient: inout [Double]) {
        for i in gradient.indices { gradient[i] = gradient[i] + sigma * generator.nextPortableGaussian() }
    }

    mutating func reset() { generator = SeededGenerator(seed: seed ^ Self.streamSalt) }
}
