import Foundation

/// How a map colours a metric: each cell's place between the map's low and high ends.
///
/// final-loss is read as the optimizer sees it (negated for `maximize`, so darker is always better) and
/// placed on a log scale of its gap above the best cell, f − f_best (losses span many decades, and cells
/// that reach the minimum exactly, a gap of 0, are common): the gap's high end stops at the start's, so
/// every cell that made no progress shares the top shade; its low end is the 2nd percentile of the gaps, so
/// a few cells that landed on the minimum do not wash out the rest, and never below `floorDecades` decades
/// under the high end, the floor every smaller gap (0 included) is drawn at. The other metrics are placed
/// linearly. A final loss that is not finite, and a cell with no value, are shown apart.
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
    /// For final-loss, the best cell's value (as compared): the log scale places the gap above it.
    public let best: Double
    /// Every finite value is the same.
    let uniform: Bool
    /// How many decades under the top the log scale reaches at most: smaller gaps share its darkest shade.
    public static let floorDecades = 12.0

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
        let log = metric == .finalLoss
        logarithmic = log
        guard let first = finite.first, let last = finite.last else {
            low = log ? 1 : 0; high = low; best = 0; uniform = true
            return
        }
        uniform = first == last
        guard log else {
            best = 0
            var high = last
            if metric == .rate { high = min(high, 1) }
            self.low = min(first, high); self.high = high
            return
        }
        best = first
        // The ends as gaps above the best cell.
        var high = last - first
        if let start, start.isFinite, start > first { high = min(high, start - first) }
        if !(high > 0) { high = 1 }  // every cell alike: one shade (see `shade`)
        let floor = high * pow(10, -Self.floorDecades)
        let percentile = finite[min(finite.count - 1, finite.count / 50)] - first
        self.low = min(max(percentile, floor), high)
        self.high = high
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
        if logarithmic {
            // One value everywhere: the top shade if it is no better than the start, else the bottom one.
            if uniform { return .level(start.map { value >= $0 ? 1 : 0 } ?? 0) }
            let gap = min(max(value - best, low), high)
            return .level((log10(gap) - log10(low)) / (log10(high) - log10(low)))
        }
        if high == low { return .level(0) }
        let v = min(max(value, low), high)
        return .level((v - low) / (high - low))
    }

    /// What the map's colours mean, for its key.
    public var title: String {
        switch metric {
        case .finalLoss:
            (maximize ? "final loss, maximized (higher is darker)" : "final loss") + " (log scale above the best cell)"
        case .stepsTo(let t): "steps to loss \(runMaximizes ? "≥" : "≤") \(NumberFormat.readable(t))"
        case .rate: "rate per step"
        case .diverged: "step it diverged at"
        }
    }

    /// The ends as the user reads them: final losses (not gaps), a maximizing run's not negated.
    public var ends: (low: Double, high: Double) {
        let (l, h) = logarithmic ? (best + low, best + high) : (low, high)
        return maximize ? (-l, -h) : (l, h)
    }
}
