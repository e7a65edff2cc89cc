import Foundation

/// How a map colours a metric: each cell's place between the map's low and high ends.
///
/// final-loss is read as the optimizer sees it (negated for `maximize`, so darker is always better) and
/// placed on a log scale when every value is positive (losses span many decades), linearly otherwise. Its
/// high end stops at the start's loss, so every cell that made no progress shares the top shade; its low end
/// is the 2nd percentile, so one cell that landed exactly on the minimum does not wash out the rest. The other
/// metrics are placed linearly. A final loss that is not finite, and a cell with no value, are shown apart.
public struct SweepScale: Sendable, Equatable {
    public enum Shade: Equatable, Sendable {
        /// 0 (lowest) … 1 (highest).
        case level(Double)
        /// Diverged: a non-finite final loss, or a rate above 1.
        case diverged
        /// No value: never reached, did not diverge, or not computed yet.
        case none
        /// torch refuses the setting.
        case invalid
    }

    public let metric: SweepMetric
    /// The ends, as the values are compared (negated for a maximizing run's final loss).
    public let low: Double, high: Double
    public let logarithmic: Bool
    /// Final losses are negated before they are placed: the run maximizes.
    public let maximize: Bool
    /// The run maximizes (for the wording of steps-to).
    public let runMaximizes: Bool
    /// The start's loss as compared (negated when maximizing).
    let start: Double?
    /// A final loss past this ran away (`RunStatus.runawayBound`): its run diverged though the loss is finite.
    let runaway: Double

    /// - Parameters:
    ///   - startLoss: for final-loss, the runs' loss at the start: the scale stops there.
    ///   - maximize: the runs maximize (a higher final loss is better).
    public init(metric: SweepMetric, values: some Sequence<Double?>, startLoss: Double? = nil, maximize: Bool = false) {
        self.metric = metric
        let flip = metric == .finalLoss && maximize
        self.maximize = flip
        runMaximizes = maximize
        let runaway = metric == .finalLoss ? startLoss.map(RunStatus.runawayBound) ?? .infinity : .infinity
        self.runaway = runaway
        var finite = values.compactMap { $0 }.filter { $0.isFinite && abs($0) <= runaway }.map { flip ? -$0 : $0 }
        if metric == .rate { finite = finite.filter { $0 <= 1 } }
        finite.sort()
        let start = startLoss.map { flip ? -$0 : $0 }
        self.start = metric == .finalLoss ? start : nil
        let log = metric == .finalLoss && (finite.first ?? 1) > 0 && (start ?? 1) > 0
        logarithmic = log
        guard let first = finite.first, let last = finite.last else {
            low = log ? 1 : 0; high = low
            return
        }
        var low = metric == .finalLoss ? finite[min(finite.count - 1, finite.count / 50)] : first
        var high = last
        if metric == .rate { high = min(high, 1) }
        if metric == .finalLoss, let start, start.isFinite, start > low { high = min(high, start) }
        low = min(low, high)
        self.low = low; self.high = high
    }

    /// - Parameter diverged: the cell's run diverged (a parameter can be infinite while the loss is not):
    ///   shown as such for final-loss and rate, whatever the value.
    public func shade(_ value: Double?, invalid: Bool = false, diverged: Bool = false) -> Shade {
        if invalid { return .invalid }
        if diverged && (metric == .finalLoss || metric == .rate) { return .diverged }
        guard let raw = value else { return .none }
        guard raw.isFinite && abs(raw) <= runaway else { return metric == .finalLoss || metric == .rate ? .diverged : .none }
        if metric == .rate && raw > 1 { return .diverged }
        let value = maximize ? -raw : raw
        // One value everywhere: the top shade if it is no better than the start, else the bottom one.
        if high == low { return .level(start.map { value >= $0 ? 1 : 0 } ?? 0) }
        let v = min(max(value, low), high)
        if logarithmic { return .level((log10(v) - log10(low)) / (log10(high) - log10(low))) }
        return .level((v - low) / (high - low))
    }

    /// What the map's colours mean, for its key.
    public var title: String {
        switch metric {
        case .finalLoss:
            (maximize ? "final loss, maximized (higher is darker)" : "final loss") + (logarithmic ? " (log scale)" : "")
        case .stepsTo(let t): "steps to loss \(runMaximizes ? "≥" : "≤") \(NumberFormat.readable(t))"
        case .rate: "rate per step"
        case .diverged: "step it diverged at"
        }
    }

    /// The ends as the user reads them (a maximizing run's losses are not negated here).
    public var ends: (low: Double, high: Double) { maximize ? (-low, -high) : (low, high) }
}
