import Foundation

/// Least squares: parameters [w₁…w_d, b]; loss = mean over samples of (xᵀw + b − y)².
public struct LinearRegression: SampledObjective {
    public let kind = "linear-regression"
    public let data: RegressionData

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

    @inline(__always) func residual(_ p: [Double], _ i: Int) -> Double {
        let x = data.features[i]
        var z = p[dimension - 1]
        for j in 0..<x.count { z += x[j] * p[j] }
        return z - data.targets[i]
    }

    public func loss(at p: [Double]) -> Double {
        var total = 0.0
        for i in 0..<sampleCount { let r = residual(p, i); total += r * r }
        return total / Double(sampleCount)
    }

    public func gradient(at p: [Double], into g: inout [Double]) {
        accumulate(p, samples: 0..<sampleCount, into: &g)
    }

    public func gradient(at p: [Double], samples: ArraySlice<Int>, into g: inout [Double]) {
        accumulate(p, samples: samples, into: &g)
    }

    /// ∂/∂w = (2/N) Σ r·x, ∂/∂b = (2/N) Σ r over the given samples.
    private func accumulate<S: Collection<Int>>(_ p: [Double], samples: S, into g: inout [Double]) {
        for j in 0..<dimension { g[j] = 0 }
        for i in samples {
            let r = residual(p, i)
            let x = data.features[i]
            for j in 0..<x.count { g[j] += r * x[j] }
            g[dimension - 1] += r
        }
        let scale = 2 / Double(samples.count)
        for j in 0..<dimension { g[j] *= scale }
    }

    /// Solves (XᵀX) θ = Xᵀy with X = [features, 1] by Gaussian elimination with partial pivoting.
    static func leastSquaresSolution(_ data: RegressionData) -> [Double]? {
        let n = data.featureCount + 1
        var m = Array(repeating: Array(repeating: 0.0, count: n + 1), count: n)
        for i in 0..<data.sampleCount {
            let row = data.features[i] + [1]
            for a in 0..<n {
                for b in 0..<n { m[a][b] += row[a] * row[b] }
                m[a][n] += row[a] * data.targets[i]
            }
        }
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
    public let kind = "logistic-regression"
    public let data: RegressionData

    public init(data: RegressionData) { self.data = data }

    public var dimension: Int { data.featureCount + 1 }
    public var sampleCount: Int { data.sampleCount }
    public var parameterNames: [String] { data.featureNames.map { "w[\($0)]" } + ["b"] }
    /// Unknown in general (separable data has no finite minimum).
    public var knownMinima: [[Double]] { [] }
    public var viewport: Viewport { Viewport(xMin: -10, xMax: 10, yMin: -10, yMax: 10) }

    @inline(__always) func logit(_ p: [Double], _ i: Int) -> Double {
        let x = data.features[i]
        var z = p[dimension - 1]
        for j in 0..<x.count { z += x[j] * p[j] }
        return z
    }

    public func loss(at p: [Double]) -> Double {
        var total = 0.0
        for i in 0..<sampleCount {
            let z = logit(p, i)
            total += max(z, 0) + log1p(exp(-abs(z))) - data.targets[i] * z
        }
        return total / Double(sampleCount)
    }

    public func gradient(at p: [Double], into g: inout [Double]) {
        accumulate(p, samples: 0..<sampleCount, into: &g)
    }

    public func gradient(at p: [Double], samples: ArraySlice<Int>, into g: inout [Double]) {
        accumulate(p, samples: samples, into: &g)
    }

    /// ∂/∂w = (1/N) Σ (σ(z) − y)·x, ∂/∂b = (1/N) Σ (σ(z) − y).
    private func accumulate<S: Collection<Int>>(_ p: [Double], samples: S, into g: inout [Double]) {
        for j in 0..<dimension { g[j] = 0 }
        for i in samples {
            let z = logit(p, i)
            let sigma = z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
            let r = sigma - data.targets[i]
            let x = data.features[i]
            for j in 0..<x.count { g[j] += r * x[j] }
            g[dimension - 1] += r
        }
        let scale = 1 / Double(samples.count)
        for j in 0..<dimension { g[j] *= scale }
    }
}
