/// The recorded path of one run: (step, loss, θ) rows, struct-of-arrays, θ stored flat.
///
/// The one record of a run's path, whatever face shows it: `descent run` keeps every step
/// (`bound == nil`); the explorer keeps at most `bound` rows however long it runs.
///
/// A bounded trajectory keeps the first `bound / 2` steps whole (the start is where the lesson is),
/// then every `stride`-th step after them, and always the newest step. When the rows overflow, the
/// stride doubles and every other row of the tail goes, so the tail stays evenly spaced in steps:
/// after N steps it holds rows `stride` steps apart, `stride` about 4N / bound at most.
/// A picture drawn from it matches the full trajectory's to within the tail's spacing.
public struct Trajectory: Sendable, Equatable {
    public var label: String
    /// `steps[k]` is the step number of row k.
    public private(set) var steps: [Int] = []
    public private(set) var losses: [Double] = []
    /// Row-major: θ of row k is `parameters[k*dimension ..< (k+1)*dimension]`.
    public private(set) var parameters: [Double] = []
    /// Bounded only: the smallest and largest loss of the steps row k stands for (its own and those dropped
    /// since the row before), so a loss chart drawn from the rows keeps the band a noisy loss fills.
    /// Empty for an unbounded trajectory, where every row stands for itself (`lossRange(k)` serves both).
    private var lossFloors: [Double] = []
    private var lossCeilings: [Double] = []
    public let dimension: Int
    public private(set) var status: RunStatus
    /// The smallest finite loss ever recorded (+∞ before any): whether a chart needs a linear axis,
    /// known without scanning the rows.
    public private(set) var lowestLoss = Double.infinity
    /// The most rows kept; nil keeps every step.
    public let bound: Int?
    /// Spacing, in steps, of the rows kept after the whole head.
    public private(set) var stride = 1

    /// A trajectory holding the run's current point as its first row.
    ///
    /// - Parameter bound: the most rows to keep (at least 4); nil keeps every step.
    public init(startingAt run: borrowing Run, bound: Int? = nil) {
        label = run.label
        dimension = run.parameters.count
        status = run.status
        self.bound = bound.map { max(4, $0) }
        if let bound = self.bound {
            lossFloors.reserveCapacity(bound + 1)
            lossCeilings.reserveCapacity(bound + 1)
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
    /// What an observer of `RunProgram.play` keeps: `run` after a step is recorded; a run whose count went
    /// back (a reset, a new start) begins the path again from where it now stands, with the same bound.
    public mutating func follow(_ run: borrowing Run) {
        if let last = steps.last, run.stepCount <= last { self = Trajectory(startingAt: run, bound: bound) } else { record(run) }
    }

    public mutating func record(_ run: borrowing Run) {
        status = run.status
        let step = run.stepCount
        var floor = run.loss, ceiling = run.loss
        if let last = steps.last, last == step || (bound != nil && !isKept(last)) {
            // Same step again, or the previous newest row was only there for being the newest:
            // the new row stands for the dropped one's steps too.
            if last != step, bound != nil { (floor, ceiling) = Self.widen((floor, ceiling), by: lossRange(steps.count - 1)) }
            removeLast()
        }
        let loss = run.loss
        steps.append(step)
        losses.append(loss)
        if loss.isFinite && loss < lowestLoss { lowestLoss = loss }
        parameters.append(contentsOf: run.parameters)
        if bound != nil {
            lossFloors.append(floor)
            lossCeilings.append(ceiling)
        }
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

    /// The smallest and largest loss of the steps row `row` stands for; NaN is ignored where a number is known.
    public func lossRange(_ row: Int) -> (low: Double, high: Double) {
        bound == nil ? (losses[row], losses[row]) : (lossFloors[row], lossCeilings[row])
    }

    private static func widen(_ a: (Double, Double), by b: (low: Double, high: Double)) -> (Double, Double) {
        func lower(_ x: Double, _ y: Double) -> Double { x.isNaN ? y : (y.isNaN ? x : Swift.min(x, y)) }
        func higher(_ x: Double, _ y: Double) -> Double { x.isNaN ? y : (y.isNaN ? x : Swift.max(x, y)) }
        return (lower(a.0, b.low), higher(a.1, b.high))
    }

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
        if bound != nil {
            lossFloors.removeLast()
            lossCeilings.removeLast()
        }
    }

    /// Doubles the stride and drops the tail rows off it, in place; keeps the newest row.
    private mutating func thin() {
        stride *= 2
        let newest = steps.count - 1
        var kept = 0
        // The loss range of dropped rows, carried into the next row kept.
        var carried: (Double, Double)?
        for row in 0...newest {
            guard row == newest || isKept(steps[row]) else {
                carried = Self.widen(carried ?? (.nan, .nan), by: lossRange(row))
                continue
            }
            let range = carried.map { Self.widen($0, by: lossRange(row)) } ?? (lossFloors[row], lossCeilings[row])
            carried = nil
            steps[kept] = steps[row]
            losses[kept] = losses[row]
            lossFloors[kept] = range.0
            lossCeilings[kept] = range.1
            if kept != row {
                for i in 0..<dimension { parameters[kept * dimension + i] = parameters[row * dimension + i] }
            }
            kept += 1
        }
        lossFloors.removeLast(lossFloors.count - kept)
        lossCeilings.removeLast(lossCeilings.count - kept)
        steps.removeLast(steps.count - kept)
        losses.removeLast(losses.count - kept)
        parameters.removeLast(parameters.count - kept * dimension)
    }
}
