import Foundation

/// Least squares: parameters [w₁…w_d, b]; loss = mean over samples of (xᵀw + b − y)².
public struct LinearRegression: SampledObjective {
    public var kind: String { LinearRegressionKind.name }
    public let data: RegressionData
    public var torchSetup: String { data.torchSetup }
    public var torchSource: String? {
        "    x, y = (X, Y) if batch is None else (X[batch], Y[batch])\n    return ((x @ p[:-1] + p[-1] - y) ** 2).mean()"
    }

    /// The normal equations' solution, solved once: the table, the view and every frame ask for it.
    private let solution: [Double]?

    public init(data: RegressionData) {
        self.data = data
        solution = Self.leastSquaresSolution(data)
    }

    public var dimension: Int { data.featureCount + 1 }
    public var sampleCount: Int { data.sampleCount }
    public var parameterNames: [String] { data.featureNames.map { "w[\($0)]" } + ["b"] }

    /// The least-squares solution of the normal equations, when they are well posed.
    public var knownMinima: [[Double]] {
        solution.map { [$0] } ?? []
    }

    public var viewport: Viewport {
        let m = solution ?? Array(repeating: 0, count: dimension)
        let x = m[0], y = dimension > 1 ? m[1] : 0
        let r = max(abs(x), abs(y), 1) * 1.5
        return Viewport(xMin: x - r, xMax: x + r, yMin: y - r, yMax: y + r)
    }

    public var costPerEvaluation: Int { 2 * sampleCount * dimension }

    public func loss(at p: [Double]) -> Double {
        let d = data.featureCount
        return data.values.withUnsafeBufferPointer { x in
            data.targets.withUnsafeBufferPointer { y in
                p.withUnsafeBufferPointer { w in
                    var total = 0.0
                    for i in 0..<sampleCount {
                        let r = Self.output(x.baseAddress! + i * d, w.baseAddress!, d) - y[i]
                        total += r * r
                    }
                    return total / Double(sampleCount)
                }
            }
        }
    }

    public func gradient(at p: [Double], into g: inout [Double]) {
        _ = accumulate(p, samples: 0..<sampleCount, into: &g)
    }

    public func lossAndGradient(at p: [Double], into g: inout [Double]) -> Double {
        accumulate(p, samples: 0..<sampleCount, into: &g) / Double(sampleCount)
    }

    public func gradient(at p: [Double], samples: ArraySlice<Int>, into g: inout [Double]) {
        _ = accumulate(p, samples: samples, into: &g)
    }

    /// b + Σⱼ xⱼ·wⱼ, summed in index order from b.
    @inline(__always)
    static func output(_ x: UnsafePointer<Double>, _ w: UnsafePointer<Double>, _ d: Int) -> Double {
        var z = w[d]
        for j in 0..<d { z += x[j] * w[j] }
        return z
    }

    /// Writes ∂/∂w = (2/N) Σ r·x, ∂/∂b = (2/N) Σ r over the given samples into `g`, in one pass
    /// over the data, and returns Σ r² (in sample order, as `loss(at:)` sums it).
    private func accumulate<S: Collection<Int>>(_ p: [Double], samples: S, into g: inout [Double]) -> Double {
        let d = data.featureCount
        precondition(g.count == d + 1 && p.count == d + 1)
        var squares = 0.0
        data.values.withUnsafeBufferPointer { x in
            data.targets.withUnsafeBufferPointer { y in
                p.withUnsafeBufferPointer { w in
                    g.withUnsafeMutableBufferPointer { g in
                        for j in 0...d { g[j] = 0 }
                        for i in samples {
                            let row = x.baseAddress! + i * d
                            let r = Self.output(row, w.baseAddress!, d) - y[i]
                            squares += r * r
                            for j in 0..<d { g[j] += r * row[j] }
                            g[d] += r
                        }
                        let scale = 2 / Double(samples.count)
                        for j in 0...d { g[j] *= scale }
                    }
                }
            }
        }
        return squares
    }

    /// Solves (XᵀX) θ = Xᵀy with X = [features, 1] by Gaussian elimination with partial pivoting.
    ///
    /// XᵀX and Xᵀy are accumulated sample by sample in sample order (the upper triangle, mirrored).
    static func leastSquaresSolution(_ data: RegressionData) -> [Double]? {
        let d = data.featureCount, n = d + 1, width = n + 1
        // Row a of the augmented system [XᵀX | Xᵀy], flat: entry (a, b) at a·width + b.
        var flat = [Double](repeating: 0, count: n * width)
        var row = [Double](repeating: 1, count: n)
        data.values.withUnsafeBufferPointer { x in
            flat.withUnsafeMutableBufferPointer { m in
                row.withUnsafeMutableBufferPointer { row in
                    for i in 0..<data.sampleCount {
                        for j in 0..<d { row[j] = x[i * d + j] }
                        let y = data.targets[i]
                        for a in 0..<n {
                            let ra = row[a], base = a * width
                            for b in a..<n { m[base + b] += ra * row[b] }
                            m[base + n] += ra * y
                        }
                    }
                }
            }
        }
        var m = (0..<n).map { a in (0..<width).map { b in b < a ? flat[b * width + a] : flat[a * width + b] } }
        for col in 0..<n {
            guard let pivot = (col..<n).max(by: { abs(m[$0][col]) < abs(m[$1][col]) }),
                  abs(m[pivot][col]) > 1e-12 * max(1, abs(m[col][col])) else { return nil }
            m.swapAt(col, pivot)
            for r in 0..<n where r != col {
                let f = m[r][col] / m[col][col]
                for c in col...n { m[r][c] -= f * m[col][c] }
            }
        }
        let solution = (0..<n).map { m[$0][n] / m[$0][$0] }
        return solution.allSatisfy(\.isFinite) ? solution : nil
    }
}

/// Logistic regression: z = xᵀw + b, loss = mean of log(1 + eᶻ) − y·z with labels 0/1.
///
/// log(1 + eᶻ) is computed as max(z, 0) + log1p(e^−|z|), which never overflows.
public struct LogisticRegression: SampledObjective {
    public var kind: String { LogisticRegressionKind.name }
    public let data: RegressionData
    public var torchSetup: String { data.torchSetup }
    public var torchSource: String? {
        "    x, y = (X, Y) if batch is None else (X[batch], Y[batch])\n"
            + "    return torch.nn.functional.binary_cross_entropy_with_logits(x @ p[:-1] + p[-1], y)"
    }

    public init(data: RegressionData) { self.data = data }

    public var dimension: Int { data.featureCount + 1 }
    public var sampleCount: Int { data.sampleCount }
    public var parameterNames: [String] { data.featureNames.map { "w[\($0)]" } + ["b"] }
    /// Unknown in general (separable data has no finite minimum).
    public var knownMinima: [[Double]] { [] }
    public var viewport: Viewport { Viewport(xMin: -10, xMax: 10, yMin: -10, yMax: 10) }

    public var costPerEvaluation: Int { 2 * sampleCount * dimension }

    /// log(1 + eᶻ) − y·z for one sample.
    @inline(__always)
    static func sampleLoss(_ z: Double, _ y: Double) -> Double {
        max(z, 0) + log1p(exp(-abs(z))) - y * z
    }

    public func loss(at p: [Double]) -> Double {
        let d = data.featureCount
        return data.values.withUnsafeBufferPointer { x in
            data.targets.withUnsafeBufferPointer { y in
                p.withUnsafeBufferPointer { w in
                    var total = 0.0
                    for i in 0..<sampleCount {
                        total += Self.sampleLoss(LinearRegression.output(x.baseAddress! + i * d, w.baseAddress!, d), y[i])
                    }
                    return total / Double(sampleCount)
                }
            }
        }
    }

    public func gradient(at p: [Double], into g: inout [Double]) {
        _ = accumulate(p, samples: 0..<sampleCount, into: &g)
    }

    public func lossAndGradient(at p: [Double], into g: inout [Double]) -> Double {
        accumulate(p, samples: 0..<sampleCount, into: &g) / Double(sampleCount)
    }

    public func gradient(at p: [Double], samples: ArraySlice<Int>, into g: inout [Double]) {
        _ = accumulate(p, samples: samples, into: &g)
    }

    /// Writes ∂/∂w = (1/N) Σ (σ(z) − y)·x, ∂/∂b = (1/N) Σ (σ(z) − y) into `g` in one pass over the data,
    /// and returns the sum of the samples' losses (in sample order, as `loss(at:)` sums it).
    private func accumulate<S: Collection<Int>>(_ p: [Double], samples: S, into g: inout [Double]) -> Double {
        let d = data.featureCount
        precondition(g.count == d + 1 && p.count == d + 1)
        var total = 0.0
        data.values.withUnsafeBufferPointer { x in
            data.targets.withUnsafeBufferPointer { y in
                p.withUnsafeBufferPointer { w in
                    g.withUnsafeMutableBufferPointer { g in
                        for j in 0...d { g[j] = 0 }
                        for i in samples {
                            let row = x.baseAddress! + i * d
                            let z = LinearRegression.output(row, w.baseAddress!, d)
                            total += Self.sampleLoss(z, y[i])
                            let sigma = z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
                            let r = sigma - y[i]
                            for j in 0..<d { g[j] += r * row[j] }
                            g[d] += r
                        }
                        let scale = 1 / Double(samples.count)
                        for j in 0...d { g[j] *= scale }
                    }
                }
            }
        }
        return total
    }
}
