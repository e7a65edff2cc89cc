/// The recorded path of one run: (step, loss, θ) rows, struct-of-arrays, θ stored flat.
///
/// The one record of a run's path, whatever face shows it: `descent run` keeps every step
/// (`bound == nil`); the explorer keeps at most `bound` rows however long it runs.
///
/// A bounded trajectory keeps the first `bound / 2` steps whole (the start is where the lesson is),
/// then every `stride`-th step after them, and always the newest step. When the rows overflow, the
/// stride doubles and every other row of the tail goes, so the tail stays evenly spaced in steps:
/// after N steps it holds rows `stride` steps apart with `stride ≤ 4N / bound`.
/// A picture drawn from it matches the full trajectory's to within the tail's spacing.
public struct Trajectory: Sendable, Equatable {
    public var label: String
    /// `steps[k]` is the step number of row k.
    public private(set) var steps: [Int] = []
    public private(set) var losses: [Double] = []
    /// Row-major: θ of row k is `parameters[k*dimension ..< (k+1)*dimension]`.
    public private(set) var parameters: [Double] = []
    public let dimension: Int
    public private(set) var status: RunStatus
    /// The most rows kept; nil keeps every step.
    public let bound: Int?
    /// Spacing, in steps, of the rows kept after the whole head.
    public private(set) var stride = 1

    /// A trajectory holding the run's current point as its first row.
    ///
    /// - Parameter bound: the most rows to keep (at least 16); nil keeps every step.
    public init(startingAt run: borrowing Run, bound: Int? = nil) {
        label = run.label
        dimension = run.parameters.count
        status = run.status
        self.bound = bound.map { max(16, $0) }
        if let bound = self.bound {
            steps.reserveCapacity(bound + 1)
            losses.reserveCapacity(bound + 1)
            parameters.reserveCapacity((bound + 1) * dimension)
        }
        record(run)
    }

    /// Steps kept whole at the start of a bounded trajectory.
    public var headSteps: Int { bound.map { $0 / 2 } ?? Int.max }

    /// Appends the run's current step, loss and θ (replacing a row of the same step).
    ///
    /// - Complexity: amortized O(dimension); no allocation once a bounded trajectory is full.
    public mutating func record(_ run: borrowing Run) {
        status = run.status
        let step = run.stepCount
        if let last = steps.last, last == step || (bound != nil && !isKept(last)) {
            // Same step again, or the previous newest row was only there for being the newest.
            removeLast()
        }
        steps.append(step)
        losses.append(run.loss)
        parameters.append(contentsOf: run.parameters)
        if let bound, steps.count > bound { thin() }
    }

    public var count: Int { steps.count }

    public func point(_ row: Int) -> ArraySlice<Double> {
        parameters[(row * dimension)..<((row + 1) * dimension)]
    }

    /// The coordinate `axis` of row `row`, without building θ.
    @inlinable public func coordinate(_ row: Int, _ axis: Int) -> Double {
        parameters[row * dimension + axis]
    }

    public var finalLoss: Double { losses.last ?? .nan }
    public var finalPoint: [Double] { Array(point(count - 1)) }

    /// The first recorded step whose loss is at or below `target`, if any.
    public func firstStep(reachingLoss target: Double) -> Int? {
        losses.firstIndex { $0 <= target }.map { steps[$0] }
    }

    /// Whether a row of this step stays when newer steps come: in the head, or on the tail's stride.
    private func isKept(_ step: Int) -> Bool {
        step < headSteps || (step - headSteps) % stride == 0
    }

    private mutating func removeLast() {
        steps.removeLast()
        losses.removeLast()
        parameters.removeLast(dimension)
    }

    /// Doubles the stride and drops the tail rows off it, in place; keeps the newest row.
    private mutating func thin() {
        stride *= 2
        let newest = steps.count - 1
        var kept = 0
        for row in 0...newest where row == newest || isKept(steps[row]) {
            if kept != row {
                steps[kept] = steps[row]
                losses[kept] = losses[row]
                for i in 0..<dimension { parameters[kept * dimension + i] = parameters[row * dimension + i] }
            }
            kept += 1
        }
        steps.removeLast(steps.count - kept)
        losses.removeLast(losses.count - kept)
        parameters.removeLast(parameters.count - kept * dimension)
    }
}
