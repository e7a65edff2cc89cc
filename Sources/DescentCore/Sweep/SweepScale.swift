import Foundation

/// How a map colours a metric: each cell's place between the map's lowest and highest value.
///
/// final-loss is placed on a log scale (losses span many decades); the others linearly. A final loss that is
/// not finite, and a cell with no value, are categories of their own.
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
    public let low: Double, high: Double
    public var logarithmic: Bool { metric == .finalLoss }

    /// The scale of `cells`' finite values.
    ///
    /// - Parameter startLoss: for final-loss, the runs' loss at the start: the scale stops there, so the
    ///   decades of the cells that made progress get the colours, and every cell that ended worse than it
    ///   started shares the top one.
    public init(metric: SweepMetric, values: some Sequence<Double?>, startLoss: Double? = nil) {
        self.metric = metric
        var low = Double.infinity, high = -Double.infinity
        let log = metric == .finalLoss
        for case let v? in values where v.isFinite && (!log || v > 0) {
            low = min(low, v); high = max(high, v)
        }
        if low > high { low = log ? 1 : 0; high = low }
        // A rate above 1 is growth: those cells are shown as diverging, and the scale spans the converging ones.
        if metric == .rate { high = min(high, 1); low = min(low, high) }
        if log, let startLoss, startLoss.isFinite, startLoss > low { high = min(high, startLoss) }
        self.low = low; self.high = high
    }

    public func shade(_ value: Double?, invalid: Bool = false) -> Shade {
        if invalid { return .invalid }
        guard let value else { return .none }
        guard value.isFinite else { return metric == .finalLoss || metric == .rate ? .diverged : .none }
        if metric == .rate && value > 1 { return .diverged }
        if high == low { return .level(0) }
        if logarithmic {
            let v = max(value, low)
            return .level(min(1, max(0, (log10(v) - log10(low)) / (log10(high) - log10(low)))))
        }
        return .level(min(1, max(0, (value - low) / (high - low))))
    }

    /// What the map's colours mean, for its key.
    public var title: String {
        switch metric {
        case .finalLoss: "final loss (log scale)"
        case .stepsTo(let t): "steps to loss ≤ \(TrajectoryReport.short(t))"
        case .rate: "rate per step"
        case .diverged: "step it diverged at"
        }
    }
}
