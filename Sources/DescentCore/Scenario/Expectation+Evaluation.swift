/// The outcome of one `expect` check.
public struct CheckResult: Sendable, Equatable {
    public var passed: Bool
    /// One line: what was checked and what was measured.
    public var summary: String
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
                : "\(run): wanted a final loss below \(s(bound)), got \(outcome(t))")
        case let .finalLossAbove(run, bound):
            guard let t = find(run) else { return missing(run) }
            let ok = t.finalLoss > bound && !t.status.isDiverged
            return CheckResult(passed: ok, summary: ok ? "\(run): final loss \(s(t.finalLoss)) is above \(s(bound))"
                : "\(run): wanted a final loss above \(s(bound)), got \(outcome(t))")
        case let .diverges(run, expected):
            guard let t = find(run) else { return missing(run) }
            let ok = t.status.isDiverged == expected
            let wanted = expected ? "diverges" : "does not diverge"
            return CheckResult(passed: ok, summary: ok ? "\(run): \(wanted) (\(t.status.description))"
                : "\(run): wanted it to \(expected ? "diverge" : "not diverge"), got \(t.status.description)")
        case let .endsNear(run, point, tolerance):
            guard let t = find(run) else { return missing(run) }
            let distance = euclideanDistance(t.finalPoint, point)
            let ok = distance <= tolerance
            let target = "[\(point.map(s).joined(separator: ", "))]"
            return CheckResult(passed: ok, summary: ok ? "\(run): ends \(s(distance)) from \(target), within \(s(tolerance))"
                : "\(run): wanted to end within \(s(tolerance)) of \(target), ended \(s(distance)) from it")
        case let .faster(run, other, target):
            guard let a = find(run) else { return missing(run) }
            guard let b = find(other) else { return missing(other) }
            let stepA = a.firstStep(reachingLoss: target), stepB = b.firstStep(reachingLoss: target)
            let ok = stepA.map { sa in stepB.map { sa < $0 } ?? true } ?? false
            func when(_ step: Int?) -> String { step.map { "step \($0)" } ?? "never" }
            return CheckResult(passed: ok, summary: ok
                ? "\(run) reaches loss \(s(target)) before \(other) (\(when(stepA)) vs \(when(stepB)))"
                : "wanted \(run) to reach loss \(s(target)) before \(other), got \(when(stepA)) vs \(when(stepB))")
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
