import Foundation

/// The rate a run actually converges at, measured from its own recent steps.
///
/// It keeps the last `capacity` samples of (step, ‖g‖), g = ±∇f + weight_decay·θ the direction before
/// momentum, which vanishes where the run settles (with or without weight decay) and shrinks by the
/// dominant ρ a step near there. The rate is exp of the least-squares slope of log ‖g‖ against the step:
/// a fit over the window rather than a ratio of two samples, so the wobble of a spiralling (complex-root)
/// error averages out over the window.
public struct RateMeter: Sendable, Equatable {
    public let capacity: Int
    private var steps: [Int] = []
    private var logNorms: [Double] = []
    private var next = 0
    /// The first norm recorded since the last reset.
    private var reference: Double?

    /// Below this fraction of the first norm, ‖g‖ is rounding noise (a run that has converged to the last
    /// bit): such samples are not recorded, so the window keeps the last steps that still tell a rate.
    public static let floor = 1e-12

    public init(capacity: Int = 64) { self.capacity = max(2, capacity) }

    /// Records ‖g‖ at `step`; a step at or before the last one (a reset) starts the window again.
    public mutating func record(step: Int, norm: Double) {
        if let last = lastStep, step <= last { self = RateMeter(capacity: capacity) }
        guard norm > 0, norm.isFinite else { return }
        if reference == nil { reference = norm }
        guard norm >= reference! * Self.floor else { return }
        if steps.count < capacity {
            steps.append(step); logNorms.append(log(norm))
        } else {
            steps[next] = step; logNorms[next] = log(norm)
            next = (next + 1) % capacity
        }
    }

    public var lastStep: Int? {
        guard !steps.isEmpty else { return nil }
        return steps[(next + steps.count - 1) % steps.count]
    }

    /// The steps the window spans (0 with fewer than two samples).
    public var span: Int {
        guard let first = steps.min(), let last = steps.max() else { return 0 }
        return last - first
    }

    /// exp(slope of log ‖g‖ per step) over the window; nil until it spans `minimumSpan` steps.
    public func rate(minimumSpan: Int = 8) -> Double? {
        guard steps.count >= 2, span >= minimumSpan else { return nil }
        let count = Double(steps.count)
        let meanStep = Double(steps.reduce(0, +)) / count
        let meanLog = logNorms.reduce(0, +) / count
        var sxy = 0.0, sxx = 0.0
        for (s, l) in zip(steps, logNorms) {
            let dx = Double(s) - meanStep
            sxy += dx * (l - meanLog); sxx += dx * dx
        }
        return sxx > 0 ? exp(sxy / sxx) : nil
    }
}

extension Run {
    /// ‖±∇f(θ) + weight_decay·θ‖ on all the data: the direction before momentum, which vanishes at the point
    /// the run converges to.
    public func effectiveGradientNorm() -> Double {
        var g = Array(repeating: 0.0, count: parameters.count)
        objective.gradient(at: parameters, into: &g)
        let h = hyperparameters
        var sum = 0.0
        for i in g.indices {
            let d = (h.maximize ? -g[i] : g[i]) + h.weightDecay * parameters[i]
            sum += d * d
        }
        return sum.squareRoot()
    }
}

extension Run {
    /// Takes `count` steps (fewer on divergence), feeding ‖g‖ at each of the last `window` steps taken (every
    /// step when nil) into `meter`; the bulk steps before them record nothing.
    public mutating func advance(by count: Int, measuringLast window: Int?, into meter: inout RateMeter) {
        let bulk = max(0, count - (window ?? count))
        advance(by: bulk)
        if !isDiverged { meter.record(step: stepCount, norm: effectiveGradientNorm()) }
        for _ in bulk..<count {
            guard step() else { break }
            meter.record(step: stepCount, norm: effectiveGradientNorm())
        }
    }
}
