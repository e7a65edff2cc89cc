import Foundation

/// Σᵢ (a − θᵢ)² + b (θᵢ₊₁ − θᵢ²)² over i = 1…n−1; the banana valley.
public struct Rosenbrock: Objective {
    public var kind: String { RosenbrockKind.name }
    public var torchSource: String? {
        "    return torch.sum((\(NumberFormat.exact(a)) - p[:-1]) ** 2 + \(NumberFormat.exact(b)) * (p[1:] - p[:-1] ** 2) ** 2)"
    }
    public let a: Double, b: Double
    public let dimension: Int

    public init(a: Double = 1, b: Double = 100, dimension: Int = 2) {
        self.a = a; self.b = b; self.dimension = dimension
    }

    public var parameterNames: [String] { Self.coordinateNames(dimension) }
    public var viewport: Viewport { Viewport(xMin: -2, xMax: 2, yMin: -1, yMax: 3) }

    /// The loop of `lossAndGradient` for its one term in 2-D, unrolled: the same operations in the same order.
    @inline(__always)
    public func lossAndGradient2(_ x: Double, _ y: Double) -> (loss: Double, gx: Double, gy: Double)? {
        guard dimension == 2 else { return nil }
        let u = a - x, v = y - x * x
        return (0 + (u * u + b * v * v), 0 + (-2 * u - 4 * b * v * x), 0 + 2 * b * v)
    }

    /// (a, a²) in 2-D; all ones for a = 1 in any dimension; otherwise unknown.
    public var knownMinima: [[Double]] {
        if dimension == 2 { return [[a, a * a]] }
        return a == 1 ? [Array(repeating: 1, count: dimension)] : []
    }

    public func distanceToNearestKnownMinimum(from point: [Double]) -> Double? {
        if dimension == 2 { return euclideanDistance([a, a * a], point) }
        guard a == 1 else { return nil }
        var sum = 0.0
        for x in point { sum += (1 - x) * (1 - x) }
        return sum.squareRoot()
    }

    public func loss(at p: [Double]) -> Double {
        var total = 0.0
        for i in 0..<(dimension - 1) {
            let u = a - p[i], v = p[i + 1] - p[i] * p[i]
            total += u * u + b * v * v
        }
        return total
    }

    public func gradient(at p: [Double], into g: inout [Double]) {
        _ = lossAndGradient(at: p, into: &g)
    }

    /// One pass over the terms; each term's share of the loss and of the gradient is computed as
    /// `loss(at:)` computes it, so the two agree bit for bit with the separate evaluations.
    public func lossAndGradient(at p: [Double], into g: inout [Double]) -> Double {
        precondition(p.count == dimension && g.count == dimension)
        return p.withUnsafeBufferPointer { p in g.withUnsafeMutableBufferPointer { g in lossAndGradient(at: p, into: g) } }
    }

    public func lossAndGradient(at p: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let n = dimension, a = a, b = b
        if n == 2, let r = lossAndGradient2(p[0], p[1]) {
            g[0] = r.gx; g[1] = r.gy
            return r.loss
        }
        var total = 0.0
        g[0] = 0
        for i in 0..<(n - 1) {
            let u = a - p[i], v = p[i + 1] - p[i] * p[i]
            total += u * u + b * v * v
            g[i] += -2 * u - 4 * b * v * p[i]
            // 0 + x, as the separate gradient accumulates it (it differs from x only for x = −0).
            g[i + 1] = 0 + 2 * b * v
        }
        return total
    }
}

/// (x² + y − 11)² + (x + y² − 7)²: four minima of value 0.
public struct Himmelblau: Objective {
    public var kind: String { HimmelblauKind.name }
    public var torchSource: String? {
        "    x, y = p[0], p[1]\n    return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2"
    }
    public init() {}
    public var dimension: Int { 2 }
    public var parameterNames: [String] { ["x", "y"] }
    public var viewport: Viewport { Viewport(xMin: -5, xMax: 5, yMin: -5, yMax: 5) }
    public var knownMinima: [[Double]] {
        [[3, 2], [-2.805118086952745, 3.131312518250573],
         [-3.779310253377747, -3.283185991286170], [3.584428340330492, -1.848126526964404]]
    }

    public func loss(at p: [Double]) -> Double {
        let u = p[0] * p[0] + p[1] - 11, v = p[0] + p[1] * p[1] - 7
        return u * u + v * v
    }

    public func gradient(at p: [Double], into g: inout [Double]) {
        let u = p[0] * p[0] + p[1] - 11, v = p[0] + p[1] * p[1] - 7
        g[0] = 4 * u * p[0] + 2 * v
        g[1] = 2 * u + 4 * v * p[1]
    }
}

/// (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²: minimum 0 at (3, 0.5).
public struct Beale: Objective {
    public var kind: String { BealeKind.name }
    public var torchSource: String? {
        "    x, y = p[0], p[1]\n    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y * y * y) ** 2"
    }
    public init() {}
    public var dimension: Int { 2 }
    public var parameterNames: [String] { ["x", "y"] }
    public var viewport: Viewport { Viewport(xMin: -4.5, xMax: 4.5, yMin: -4.5, yMax: 4.5) }
    public var knownMinima: [[Double]] { [[3, 0.5]] }

    public func loss(at p: [Double]) -> Double {
        let x = p[0], y = p[1]
        let t1 = 1.5 - x + x * y, t2 = 2.25 - x + x * y * y, t3 = 2.625 - x + x * y * y * y
        return t1 * t1 + t2 * t2 + t3 * t3
    }

    public func gradient(at p: [Double], into g: inout [Double]) {
        let x = p[0], y = p[1]
        let t1 = 1.5 - x + x * y, t2 = 2.25 - x + x * y * y, t3 = 2.625 - x + x * y * y * y
        g[0] = 2 * t1 * (y - 1) + 2 * t2 * (y * y - 1) + 2 * t3 * (y * y * y - 1)
        g[1] = 2 * t1 * x + 2 * t2 * (2 * x * y) + 2 * t3 * (3 * x * y * y)
    }
}

/// A·n + Σ (θᵢ² − A cos 2πθᵢ): a bowl covered in local minima; global minimum 0 at the origin.
public struct Rastrigin: Objective {
    public var kind: String { RastriginKind.name }
    public var torchSource: String? {
        "    return \(NumberFormat.exact(amplitude)) * p.numel() + torch.sum(p * p - \(NumberFormat.exact(amplitude)) * torch.cos(2 * math.pi * p))"
    }
    public let amplitude: Double
    public let dimension: Int

    public init(amplitude: Double = 10, dimension: Int = 2) {
        self.amplitude = amplitude; self.dimension = dimension
    }

    public var parameterNames: [String] { Self.coordinateNames(dimension) }
    public var viewport: Viewport { Viewport(xMin: -5.12, xMax: 5.12, yMin: -5.12, yMax: 5.12) }
    public var knownMinima: [[Double]] { [Array(repeating: 0, count: dimension)] }

    public func distanceToNearestKnownMinimum(from point: [Double]) -> Double? {
        var sum = 0.0
        for x in point { sum += (0 - x) * (0 - x) }
        return sum.squareRoot()
    }

    public func loss(at p: [Double]) -> Double {
        var total = amplitude * Double(dimension)
        for x in p { total += x * x - amplitude * cos(2 * .pi * x) }
        return total
    }

    public func gradient(at p: [Double], into g: inout [Double]) {
        for i in 0..<dimension { g[i] = 2 * p[i] + 2 * .pi * amplitude * sin(2 * .pi * p[i]) }
    }

    /// f and ∇f in one pass, each entry's terms as `loss` and `gradient` compute them (the same operations, the
    /// loss summed in the same order), so the results are theirs bit for bit.
    public func lossAndGradient(at p: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        var total = amplitude * Double(dimension)
        for i in 0..<dimension {
            let x = p[i], t = 2 * .pi * x
            total += x * x - amplitude * cos(t)
            g[i] = 2 * x + 2 * .pi * amplitude * sin(t)
        }
        return total
    }

    public func lossAndGradient(at p: [Double], into g: inout [Double]) -> Double {
        p.withUnsafeBufferPointer { p in g.withUnsafeMutableBufferPointer { g in lossAndGradient(at: p, into: g) } }
    }

    @inline(__always)
    public func lossAndGradient2(_ x: Double, _ y: Double) -> (loss: Double, gx: Double, gy: Double)? {
        guard dimension == 2 else { return nil }
        let tx = 2 * .pi * x, ty = 2 * .pi * y
        var total = amplitude * 2
        total += x * x - amplitude * cos(tx)
        total += y * y - amplitude * cos(ty)
        return (total, 2 * x + 2 * .pi * amplitude * sin(tx), 2 * y + 2 * .pi * amplitude * sin(ty))
    }
}
