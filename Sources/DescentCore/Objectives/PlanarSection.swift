/// An objective restricted to the plane through a point spanned by two coordinate axes, when it is
/// exactly quadratic there (a quadratic, a least-squares regression):
/// f(p + u·eₐ + v·e_b) = f(p) + u·gₐ + v·g_b + ½(u²·Hₐₐ + 2uv·Hₐ_b + v²·H_bb).
///
/// Built once in O(cost of one gradient), then each point of a picture costs a few operations instead of
/// a pass over a 1000 × 1000 matrix or a million samples. Equal to f up to rounding, for shading only.
public struct PlanarSection: Sendable, Equatable {
    public var origin: (x: Double, y: Double)
    public var value: Double
    public var gradient: (x: Double, y: Double)
    public var hessian: (xx: Double, xy: Double, yy: Double)

    public init(origin: (x: Double, y: Double), value: Double, gradient: (x: Double, y: Double), hessian: (xx: Double, xy: Double, yy: Double)) {
        self.origin = origin; self.value = value; self.gradient = gradient; self.hessian = hessian
    }

    /// f at the point of the plane with coordinates (x, y) on the two axes.
    @inline(__always)
    public func callAsFunction(_ x: Double, _ y: Double) -> Double {
        let u = x - origin.x, v = y - origin.y
        return value + (u * gradient.x + v * gradient.y) + 0.5 * (u * u * hessian.xx + 2 * u * v * hessian.xy + v * v * hessian.yy)
    }

    public static func == (a: PlanarSection, b: PlanarSection) -> Bool {
        a.origin == b.origin && a.value == b.value && a.gradient == b.gradient && a.hessian == b.hessian
    }
}

extension Quadratic {
    /// Exact: A's own entries are the curvatures.
    public func planarSection(through point: [Double], axes: (Int, Int)) -> PlanarSection? {
        var g = [Double](repeating: 0, count: dimension)
        let f = lossAndGradient(at: point, into: &g)
        let (a, b) = axes, n = dimension
        return PlanarSection(origin: (point[a], point[b]), value: f, gradient: (g[a], g[b]),
                             hessian: (entries[a * n + a], entries[a * n + b], entries[b * n + b]))
    }
}

extension LinearRegression {
    /// Exact: the mean squared error is quadratic in the parameters, with Hessian (2/N)·X̃ᵀX̃, X̃ = [X, 1].
    public func planarSection(through point: [Double], axes: (Int, Int)) -> PlanarSection? {
        var g = [Double](repeating: 0, count: dimension)
        let f = lossAndGradient(at: point, into: &g)
        let (a, b) = axes, d = data.featureCount
        var xx = 0.0, xy = 0.0, yy = 0.0
        data.values.withUnsafeBufferPointer { x in
            for i in 0..<sampleCount {
                let ua = a == d ? 1 : x[i * d + a], ub = b == d ? 1 : x[i * d + b]
                xx += ua * ua; xy += ua * ub; yy += ub * ub
            }
        }
        let scale = 2 / Double(sampleCount)
        return PlanarSection(origin: (point[a], point[b]), value: f, gradient: (g[a], g[b]),
                             hessian: (xx * scale, xy * scale, yy * scale))
    }
}
