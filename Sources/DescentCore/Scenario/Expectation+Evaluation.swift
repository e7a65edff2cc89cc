/// The outcome of one `expect` check.
public struct CheckResult: Sendable, Equatable {
    public var passed: Bool
    /// One line: what was checked and what was measured.
    public var summary: String
}

extension Expectation {
    /// Evaluates the check against the recorded trajectories (which must include every run it names).
    public func evaluate(_ trajectories: [Trajectory]) -> CheckResult {
        func find(_ label: String) -> Trajectory? { trajectories.first { $0.label == label } }
        let s = TrajectoryReport.short
        switch self {
        case let .finalLossBelow(run, bound):
            guard let t = find(run) else { return missing(run) }
            let ok = t.finalLoss < bound && !t.status.isDiverged
            return CheckResult(passed: ok, summary: "\(run): final loss \(s(t.finalLoss)) < \(s(bound))")
        case let .finalLossAbove(run, bound):
            guard let t = find(run) else { return missing(run) }
            let ok = t.finalLoss > bound && !t.status.isDiverged
            return CheckResult(passed: ok, summary: "\(run): final loss \(s(t.finalLoss)) > \(s(bound))")
        case let .diverges(run, expected):
            guard let t = find(run) else { return missing(run) }
            let ok = t.status.isDiverged == expected
            return CheckResult(passed: ok, summary: "\(run): \(expected ? "diverges" : "does not diverge") (\(t.status.description))")
        case let .endsNear(run, point, tolerance):
            guard let t = find(run) else { return missing(run) }
            let end = t.finalPoint
            let distance = euclideanDistance(end, point)
            let ok = distance <= tolerance
            return CheckResult(passed: ok, summary: "\(run): ends \(s(distance)) from [\(point.map(s).joined(separator: ", "))], within \(s(tolerance))")
        case let .faster(run, other, target):
            guard let a = find(run) else { return missing(run) }
            guard let b = find(other) else { return missing(other) }
            let stepA = a.firstStep(reachingLoss: target), stepB = b.firstStep(reachingLoss: target)
            let ok = stepA.map { sa in stepB.map { sa < $0 } ?? true } ?? false
            func when(_ step: Int?) -> String { step.map { "step \($0)" } ?? "never" }
            return CheckResult(passed: ok, summary: "\(run) reaches loss \(s(target)) before \(other) (\(when(stepA)) vs \(when(stepB)))")
        }
    }

    private func missing(_ run: String) -> CheckResult {
        CheckResult(passed: false, summary: "no run '\(run)'")
    }
}

extension RunStatus {
    public var isDiverged: Bool { self != .running }
}
