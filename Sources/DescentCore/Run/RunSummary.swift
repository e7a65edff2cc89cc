/// What a check can ask of a run's outcome.
public protocol RunOutcome {
    var label: String { get }
    var finalLoss: Double { get }
    var finalPoint: [Double] { get }
    var status: RunStatus { get }
    /// The step of the final row.
    var lastStep: Int { get }
    /// The first step whose loss is at or below `target`, if any.
    func firstStep(reachingLoss target: Double) -> Int?
}

extension Trajectory: RunOutcome {
    public var lastStep: Int { steps.last ?? 0 }
}

/// A run's outcome gathered as it steps, in O(dimension + targets) memory whatever the number of steps:
/// its final loss, point and status, and the first step at or below each of the given target losses.
public struct RunSummary: RunOutcome, Sendable {
    public let label: String
    public private(set) var finalLoss: Double
    public private(set) var finalPoint: [Double]
    public private(set) var status: RunStatus
    public private(set) var lastStep: Int
    private var targets: [Double]
    private var firstSteps: [Int?]

    /// A summary holding the run's current point; `targets` are the losses whose first step is tracked.
    public init(startingAt run: borrowing Run, targets: [Double] = []) {
        label = run.label
        finalLoss = run.loss
        finalPoint = run.parameters
        status = run.status
        lastStep = run.stepCount
        self.targets = targets
        firstSteps = Array(repeating: nil, count: targets.count)
        recordTargets(run)
    }

    /// Takes the run's state as the final one. θ is copied into the summary's own array (shared with the run
    /// only until one of them changes), so recording every step allocates nothing.
    public mutating func record(_ run: borrowing Run) {
        run.parameters.withUnsafeBufferPointer { theta in
            for i in finalPoint.indices { finalPoint[i] = theta[i] }
        }
        recordRest(run)
    }

    /// The same for a run that steps no further: θ is shared with it rather than copied (10⁷ parameters
    /// are not held twice).
    mutating func recordLast(_ run: borrowing Run) {
        finalPoint = run.parameters
        recordRest(run)
    }

    private mutating func recordRest(_ run: borrowing Run) {
        finalLoss = run.loss
        lastStep = run.stepCount
        status = run.status
        recordTargets(run)
    }

    /// Steps each run from where it stands for `steps`, summarizing as it goes (O(dimension) memory a run).
    /// `targets` are the losses whose first step is kept (see `Expectation.targets(of:)`).
    ///
    /// Between the first and the last step only the target losses are looked at; the final row is taken
    /// once, at the end, so a 2-D run steps at the speed of the step itself.
    public static func summarize(_ runs: [Run], steps: Int, targets: [Double] = []) -> [RunSummary] {
        summarize(runs.map { RunProgram(run: $0) }, steps: steps, targets: targets)
    }

    /// The same for programs: each played with its events.
    public static func summarize(_ programs: [RunProgram], steps: Int, targets: [Double] = []) -> [RunSummary] {
        programs.map { program in
            var program = program
            var summary = RunSummary(startingAt: program.run, targets: targets)
            if targets.isEmpty {
                program.play(steps: steps)
            } else {
                program.play(steps: steps) { summary.recordTargets($0) }
            }
            summary.recordLast(program.run)
            return summary
        }
    }

    private mutating func recordTargets(_ run: borrowing Run) {
        let loss = run.loss, step = run.stepCount
        for k in targets.indices where firstSteps[k] == nil && loss <= targets[k] { firstSteps[k] = step }
    }

    /// The first step at or below `target`; nil when it was never reached, or not tracked.
    public func firstStep(reachingLoss target: Double) -> Int? {
        targets.firstIndex(of: target).flatMap { firstSteps[$0] }
    }
}

extension Expectation {
    /// The target losses of `faster` checks, which a `RunSummary` must track for them.
    public static func targets(of checks: [Expectation]) -> [Double] {
        checks.compactMap { if case let .faster(_, _, loss) = $0 { loss } else { nil } }
    }
}
