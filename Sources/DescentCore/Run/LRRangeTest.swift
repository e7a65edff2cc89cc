import Foundation

/// Leslie Smith's learning-rate range test on one run: from its start, step k takes lr_k = from·(to/from)^(k/(n−1))
/// (geometric, n steps), with the run's other hyperparameters (its schedule is not used), recording the loss
/// after each step and its smoothed value (an exponential average with weight `smoothing` on the past,
/// bias-corrected as fastai does). The test stops early once the run diverges or the smoothed loss passes
/// four times its lowest (the peers' rule).
///
/// Two suggestions are made from the smoothed curve:
/// - **Descent's rule**, `suggestion`: a tenth of the lr at which the smoothed loss is lowest. The test
///   itself is late: lr grows every step, and an error the small early steps shrank takes several steps of
///   a too-large lr to grow back, so the loss goes on falling past the stability edge and is lowest a few
///   times beyond it (about 4× on the shipped quadratics). A decade below that point is below the edge on
///   every shipped scenario with a Hessian, and it rests on one robust feature of the curve, its minimum,
///   not on a derivative of a noisy one.
/// - **The steepest slope**, `steepest` (what torch-lr-finder and Lightning suggest): the lr where the
///   smoothed loss falls fastest per decade of lr. It depends on a finite difference of the curve, so noise
///   or a flat start moves it by decades; on smooth objectives it lands where the loss first begins to
///   fall, far below the usable range.
///
/// Where the objective has a Hessian at the start, `edge` is the theory's largest stable lr there for the
/// run's momentum, dampening and Nesterov (2/λmax for plain SGD, (2 + 2β)/λmax for heavy ball with
/// momentum β), the line no suggestion should cross. Where the start is not a bowl (a network's, a saddle's) the
/// edge is that of its positive curvatures, and `curvaturesBelowZero` counts the others: they grow at any lr, so
/// they bound nothing.
public struct LRRangeTest: Sendable {
    public struct Point: Sendable, Equatable {
        public var lr: Double
        public var loss: Double
        public var smoothed: Double
    }

    public let label: String
    public let points: [Point]
    public let suggestion: Double?
    public let steepest: Double?
    public let edge: Double?
    /// How many of the start's curvatures are ≤ 0 (left out of `edge`).
    public let curvaturesBelowZero: Int
    /// The lowest smoothed loss and its lr.
    public let lowest: Point?
    /// Why the test stopped before its last step, if it did.
    public let stoppedEarly: String?

    public init(run base: Run, from: Double, to: Double, steps: Int, smoothing: Double) {
        label = base.label
        var run = base
        var points: [Point] = []
        var average = 0.0, best = Double.infinity
        var stop: String?
        for k in 0..<steps {
            // In log space, so a range wider than Double's (1e-200 … 1e200) stays finite at every step.
            let lr = k == 0 ? from : k == steps - 1 ? to : exp(log(from) + (log(to) - log(from)) * Double(k) / Double(steps - 1))
            var h = run.hyperparameters
            h.lr = lr
            guard (try? run.setHyperparameters(h)) != nil else { stop = "torch refuses lr \(NumberFormat.short(lr))"; break }
            _ = run.step()
            let loss = run.loss
            guard !run.isDiverged, loss.isFinite else { stop = "the run diverged at lr \(NumberFormat.short(lr))"; break }
            average = smoothing * average + (1 - smoothing) * loss
            let smoothed = average / (1 - pow(smoothing, Double(k + 1)))
            points.append(Point(lr: lr, loss: loss, smoothed: smoothed))
            best = min(best, smoothed)
            if k > 0, k < steps - 1, smoothed > 4 * best, best > 0 { stop = "the smoothed loss passed 4× its lowest at lr \(NumberFormat.short(lr))"; break }
        }
        self.points = points
        stoppedEarly = stop
        let lowest = points.min { $0.smoothed < $1.smoothed }
        self.lowest = lowest
        suggestion = lowest.map { $0.lr / 10 }
        // The steepest fall of the smoothed loss per decade of lr, from neighbouring points, up to the lowest.
        var steepest: (lr: Double, slope: Double)?
        let upTo = lowest.flatMap { low in points.firstIndex { $0 == low } } ?? points.count - 1
        if upTo >= 1 {
            for i in 1...upTo {
                let a = points[i - 1], b = points[i]
                guard a.smoothed > 0, b.smoothed > 0 else { continue }
                let slope = (log10(b.smoothed) - log10(a.smoothed)) / (log10(b.lr) - log10(a.lr))
                if slope < (steepest?.slope ?? 0) { steepest = (b.lr, slope) }
            }
        }
        self.steepest = steepest?.lr
        if let spectrum = Spectrum(of: base.objective, at: base.start) {
            (edge, curvaturesBelowZero) = Stability.positiveEdge(curvatures: effectiveCurvatures(spectrum.eigenvalues, base.hyperparameters),
                                                                 hyperparameters: base.hyperparameters)
        } else {
            edge = nil
            curvaturesBelowZero = 0
        }
    }
}
