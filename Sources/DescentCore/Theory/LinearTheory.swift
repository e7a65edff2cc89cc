import Foundation

/// How the error along one eigendirection behaves step after step, in the words of Goh's "Why Momentum
/// Really Works" (Distill, 2017).
public enum Regime: String, Sendable, CaseIterable {
    /// The dominant root is real and positive: the error shrinks (or grows, at ρ > 1) without changing sign.
    case monotonic
    /// The dominant root is real and negative: the error flips sign every step.
    case oscillating
    /// Complex roots: the error spirals in, |z| = √det at every step.
    case ripples
    /// ρ > 1: the error grows.
    case divergent
}

/// The linear map one step of `torch.optim.SGD` applies along one eigendirection of the Hessian.
///
/// Near a minimum (exactly, on a quadratic) the error e = θ − θ* along an eigenvector of curvature h and
/// that component of the momentum buffer b evolve by a fixed matrix. With g = h·e (h already includes
/// `weight_decay` and the sign of `maximize`), torch's update gives, after the first step:
///
/// - no momentum: e ← (1 − lr·h)·e, a 1 × 1 map;
/// - heavy ball: b ← μb + (1 − τ)h·e, e ← e − lr·b, so
///   `[[1 − lr(1 − τ)h, −lr·μ], [(1 − τ)h, μ]]` on (e, b), with trace 1 + μ − lr(1 − τ)h and determinant μ;
/// - Nesterov (τ = 0): b ← μb + h·e, e ← e − lr(h·e + μb), so
///   `[[1 − lr(1 + μ)h, −lr·μ²], [h, μ]]`, with determinant μ(1 − lr·h).
///
/// (μ = momentum, τ = dampening.) Its spectral radius ρ is the error's factor per step in the long run.
/// With complex roots |z|² = det, so the heavy ball's rate is √μ, not the 2√β of Distill's footnote.
/// The sign update is not linear, and has no map.
public struct ModeMap: Sendable, Equatable {
    /// The curvature the optimizer sees along this direction: ±λ + weight_decay.
    public let curvature: Double
    /// Row-major: [a, b, c, d] for [[a, b], [c, d]]; one entry without momentum.
    public let matrix: [Double]
    /// The roots of the map (eigenvalues), as (real, imaginary) pairs, largest modulus first.
    public let roots: [(re: Double, im: Double)]
    /// max |root|: the predicted factor per step.
    public let rate: Double
    public let regime: Regime

    public static func == (l: ModeMap, r: ModeMap) -> Bool {
        l.curvature == r.curvature && l.matrix == r.matrix && l.rate == r.rate && l.regime == r.regime
    }

    /// The map of one step with these hyperparameters along curvature `curvature` (effective), or nil for
    /// the sign update.
    public init?(curvature h: Double, hyperparameters p: SGDHyperparameters) {
        guard p.update == .sgd else { return nil }
        curvature = h
        let lr = p.lr, mu = p.momentum
        if mu == 0 {
            let z = 1 - lr * h
            matrix = [z]
            roots = [(z, 0)]
            rate = abs(z)
            regime = abs(z) > 1 ? .divergent : (z < 0 ? .oscillating : .monotonic)
            return
        }
        if p.nesterov {
            matrix = [1 - lr * (1 + mu) * h, -lr * mu * mu, h, mu]
        } else {
            let k = 1 - p.dampening
            matrix = [1 - lr * k * h, -lr * mu, k * h, mu]
        }
        let trace = matrix[0] + matrix[3]
        let det = matrix[0] * matrix[3] - matrix[1] * matrix[2]
        let disc = trace * trace - 4 * det
        if disc < 0 {
            let re = trace / 2, im = (-disc).squareRoot() / 2
            roots = [(re, im), (re, -im)]
            rate = max(det, 0).squareRoot()
            regime = rate > 1 ? .divergent : .ripples
        } else {
            // The larger root without cancellation, the other from the product of the roots.
            let big = (trace + (trace < 0 ? -1 : 1) * disc.squareRoot()) / 2
            let small = big == 0 ? 0 : det / big
            roots = abs(big) >= abs(small) ? [(big, 0), (small, 0)] : [(small, 0), (big, 0)]
            rate = abs(roots[0].re)
            regime = rate > 1 ? .divergent : (roots[0].re < 0 ? .oscillating : .monotonic)
        }
    }
}

/// The curvatures the optimizer sees: the Hessian's eigenvalues with `maximize`'s sign and `weight_decay` added.
public func effectiveCurvatures(_ eigenvalues: [Double], _ p: SGDHyperparameters) -> [Double] {
    let curvatures = eigenvalues.map { (p.maximize ? -$0 : $0) + p.weightDecay }
    return p.maximize ? curvatures.reversed() : curvatures
}

/// Stability and the best heavy ball for a spectrum of (effective) curvatures.
public enum Stability {
    /// The range of lr for which every direction's ρ < 1 at these hyperparameters (their lr ignored), from
    /// the Jury conditions on each 2 × 2 map (|det| < 1, |trace| < 1 + det):
    /// - plain SGD: lr < 2/λmax; heavy ball: lr < (2 + 2μ)/((1 − τ)·λmax), and none when μ ≥ 1;
    /// - Nesterov: (1 − 1/μ)/λmin < lr < (2 + 2μ)/((1 + 2μ)·λmax) (the lower end only matters for μ > 1).
    /// Nil when no lr is stable: a curvature ≤ 0 (a saddle, a hilltop, a flat direction), dampening ≥ 1,
    /// or the sign update.
    public static func stableLR(curvatures: [Double], hyperparameters p: SGDHyperparameters) -> ClosedRange<Double>? {
        guard p.update == .sgd, let low = curvatures.min(), let high = curvatures.max(), low > 0 else { return nil }
        let mu = p.momentum
        if mu == 0 { return 0...(2 / high) }
        if p.nesterov {
            let upper = (2 + 2 * mu) / ((1 + 2 * mu) * high)
            let lower = mu > 1 ? (1 - 1 / mu) / low : 0
            return lower < upper ? lower...upper : nil
        }
        let keep = 1 - p.dampening
        guard mu < 1, keep > 0 else { return nil }
        return 0...((2 + 2 * mu) / (keep * high))
    }

    /// Where some curvature is ≤ 0 (a saddle, a network's start), no lr is stable; the edge of the positive ones
    /// (`stableLR` over the curvatures above 1e-12 of the largest) is still the line past which the curved directions
    /// blow up, and `others` counts the rest (≤ 0 to rounding), which grow or stay at any lr.
    public static func positiveEdge(curvatures: [Double], hyperparameters p: SGDHyperparameters) -> (edge: Double?, others: Int) {
        let floor = 1e-12 * (curvatures.map(abs).max() ?? 0)
        let positive = curvatures.filter { $0 > floor }
        return (stableLR(curvatures: positive, hyperparameters: p)?.upperBound, curvatures.count - positive.count)
    }

    /// Polyak's optimal heavy ball for curvatures in [λmin, λmax], λmin > 0:
    /// lr* = (2/(√λmin + √λmax))², momentum* = ((√κ − 1)/(√κ + 1))², κ = λmax/λmin; its rate is
    /// (√κ − 1)/(√κ + 1) in every direction. Nil when some curvature is not positive.
    public static func polyak(curvatures: [Double]) -> (lr: Double, momentum: Double, rate: Double)? {
        guard let low = curvatures.min(), let high = curvatures.max(), low > 0, high.isFinite else { return nil }
        let root = (high / low).squareRoot()
        let lr = 2 / (low.squareRoot() + high.squareRoot())
        let rate = (root - 1) / (root + 1)
        return (lr * lr, rate * rate, rate)
    }
}
