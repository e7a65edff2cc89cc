/// The outcome of one `expect` check.
public struct CheckResult: Sendable, Equatable {
    public var passed: Bool
    /// One line: what was checked and what was measured.
    public var summary: String
    /// What was measured (`2.19558`, `diverged at step 64`, `step 29 vs step 114`) and what it was held
    /// against (`< 1e-09`), for reports a CI reads.
    public var measured: String = ""
    public var threshold: String = ""

    public init(passed: Bool, summary: String, measured: String = "", threshold: String = "") {
        self.passed = passed; self.summary = summary; self.measured = measured; self.threshold = threshold
    }
}

extension Expectation {
    /// Evaluates the check against the runs' outcomes (which must include every run it names):
    /// whole trajectories, or summaries gathered as the runs stepped.
    public func evaluate(_ outcomes: [some RunOutcome]) -> CheckResult {
        func find(_ label: String) -> (some RunOutcome)? { outcomes.first { $0.label == label } }
        let s = NumberFormat.readable
        switch self {
        case let .finalLossBelow(run, bound):
            guard let t = find(run) else { return missing(run) }
            let ok = t.finalLoss < bound && !t.status.isDiverged
            return CheckResult(passed: ok, summary: ok ? "\(run): final loss \(s(t.finalLoss)) is below \(s(bound))"
                : "\(run): wanted a final loss below \(s(bound)), got \(outcome(t))", measured: outcome(t), threshold: "< \(s(bound))")
        case let .finalLossAbove(run, bound):
            guard let t = find(run) else { return missing(run) }
            let ok = t.finalLoss > bound && !t.status.isDiverged
            return CheckResult(passed: ok, summary: ok ? "\(run): final loss \(s(t.finalLoss)) is above \(s(bound))"
                : "\(run): wanted a final loss above \(s(bound)), got \(outcome(t))", measured: outcome(t), threshold: "> \(s(bound))")
        case let .diverges(run, expected):
            guard let t = find(run) else { return missing(run) }
            let ok = t.status.isDiverged == expected
            let wanted = expected ? "diverges" : "does not diverge"
            return CheckResult(passed: ok, summary: ok ? "\(run): \(wanted) (\(t.status.description))"
                : "\(run): wanted it to \(expected ? "diverge" : "not diverge"), got \(t.status.description)",
                measured: t.status.isDiverged ? "diverges" : "does not diverge", threshold: wanted)
        case let .endsNear(run, point, tolerance):
            guard let t = find(run) else { return missing(run) }
            let distance = euclideanDistance(t.finalPoint, point)
            let ok = distance <= tolerance
            let target = "[\(point.map(s).joined(separator: ", "))]"
            return CheckResult(passed: ok, summary: ok ? "\(run): ends \(s(distance)) from \(target), within \(s(tolerance))"
                : "\(run): wanted to end within \(s(tolerance)) of \(target), ended \(s(distance)) from it",
                measured: "distance \(s(distance))", threshold: "<= \(s(tolerance))")
        case let .faster(run, other, target):
            guard let a = find(run) else { return missing(run) }
            guard let b = find(other) else { return missing(other) }
            let stepA = a.firstStep(reachingLoss: target), stepB = b.firstStep(reachingLoss: target)
            let ok = stepA.map { sa in stepB.map { sa < $0 } ?? true } ?? false
            func when(_ step: Int?) -> String { step.map { "step \($0)" } ?? "never" }
            return CheckResult(passed: ok, summary: ok
                ? "\(run) reaches loss \(s(target)) before \(other) (\(when(stepA)) vs \(when(stepB)))"
                : "wanted \(run) to reach loss \(s(target)) before \(other), got \(when(stepA)) vs \(when(stepB))",
                measured: "\(when(stepA)) vs \(when(stepB))", threshold: "\(run) first to loss \(s(target))")
        }
    }

    /// The final loss, or the divergence, of a run.
    private func outcome(_ t: some RunOutcome) -> String {
        t.status.isDiverged ? t.status.description : NumberFormat.readable(t.finalLoss)
    }

    private func missing(_ run: String) -> CheckResult {
        CheckResult(passed: false, summary: "no run '\(run)'")
    }
}

extension RunStatus {
    public var isDiverged: Bool { self != .running }
}
