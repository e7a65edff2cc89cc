/// Rows of (step, loss, θ) for one run, as CSV writes them.
public protocol TrajectoryRecords {
    var label: String { get }
    var dimension: Int { get }
    var count: Int { get }
    var steps: [Int] { get }
    var losses: [Double] { get }
    func point(_ row: Int) -> ArraySlice<Double>
}

/// The recorded path of one run: loss and θ at every step from 0.
public struct Trajectory: TrajectoryRecords, Sendable, Equatable {
    public var label: String
    /// `steps[k]` is the step number of row k (0, 1, 2, …).
    public private(set) var steps: [Int] = []
    public private(set) var losses: [Double] = []
    /// Row-major: θ of row k is `parameters[k*dimension ..< (k+1)*dimension]`.
    public private(set) var parameters: [Double] = []
    public let dimension: Int
    public private(set) var status: RunStatus

    /// A trajectory holding the run's current point as its first row.
    public init(startingAt run: Run) {
        label = run.label
        dimension = run.parameters.count
        status = run.status
        record(run)
    }

    /// Appends the run's current step, loss and θ.
    public mutating func record(_ run: borrowing Run) {
        steps.append(run.stepCount)
        losses.append(run.loss)
        parameters.append(contentsOf: run.parameters)
        status = run.status
    }

    public var count: Int { steps.count }

    public func point(_ row: Int) -> ArraySlice<Double> {
        parameters[(row * dimension)..<((row + 1) * dimension)]
    }

    public var finalLoss: Double { losses.last ?? .nan }
    public var finalPoint: [Double] { Array(point(count - 1)) }

    /// The first recorded step whose loss is at or below `target`, if any.
    public func firstStep(reachingLoss target: Double) -> Int? {
        losses.firstIndex { $0 <= target }.map { steps[$0] }
    }
}
