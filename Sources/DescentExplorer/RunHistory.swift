import DescentCore

/// What the explorer keeps of a run's path: bounded, thinned by half whenever it fills.
///
/// The first and newest points are always kept, so the picture starts at the start and ends at the run;
/// an explorer left running for hours holds at most `capacity` points per run.
public struct RunHistory: Equatable, Sendable {
    public private(set) var steps: [Int] = []
    public private(set) var losses: [Double] = []
    public private(set) var points: [[Double]] = []
    public let capacity: Int

    public init(capacity: Int = 4096) {
        self.capacity = max(16, capacity)
    }

    /// A history holding the run's current point.
    public init(run: borrowing Run, capacity: Int = 4096) {
        self.init(capacity: capacity)
        record(run)
    }

    /// Records the run's current step (replacing a record of the same step).
    public mutating func record(_ run: borrowing Run) {
        if steps.last == run.stepCount {
            losses[losses.count - 1] = run.loss
            points[points.count - 1] = run.parameters
            return
        }
        steps.append(run.stepCount)
        losses.append(run.loss)
        points.append(run.parameters)
        if steps.count > capacity { thin() }
    }

    public var count: Int { steps.count }

    /// Keeps every other record, and always the first and the last.
    private mutating func thin() {
        let last = steps.count - 1
        let keep = steps.indices.filter { $0 % 2 == 0 || $0 == last }
        steps = keep.map { steps[$0] }
        losses = keep.map { losses[$0] }
        points = keep.map { points[$0] }
    }
}
