import Foundation

// ∇²f for every built-in objective, analytic. The theory panel and `descent analyze` read the spectrum of
// these at a run's point; nothing in a run's step uses them, so they are written for clarity, not speed.

extension Quadratic {
    /// A, whatever θ.
    public func hessian(at parameters: [Double]) -> [Double] { entries }
    public var hasConstantHessian: Bool { true }
}

extension Rosenbrock {
    /// Tridiagonal: each term (a − θᵢ)² + b(θᵢ₊₁ − θᵢ²)² adds 2 − 4b·θᵢ₊₁ + 12b·θᵢ² at (i, i), −4b·θᵢ at
    /// (i, i+1) and (i+1, i), and 2b at (i+1, i+1).
    public func hessian(at p: [Double]) -> [Double] {
        let n = dimension
        var h = [Double](repeating: 0, count: n * n)
        for i in 0..<(n - 1) {
            h[i * n + i] += 2 - 4 * b * p[i + 1] + 12 * b * p[i] * p[i]
            h[i * n + i + 1] += -4 * b * p[i]
            h[(i + 1) * n + i] += -4 * b * p[i]
            h[(i + 1) * n + i + 1] += 2 * b
        }
        return h
    }
}

extension Himmelblau {
    /// [[12x² + 4y − 42, 4x + 4y], [4x + 4y, 4x + 12y² − 26]].
    public func hessian(at p: [Double]) -> [Double] {
        let x = p[0], y = p[1]
        let xy = 4 * x + 4 * y
        return [12 * x * x + 4 * y - 42, xy, xy, 4 * x + 12 * y * y - 26]
    }
}

extension Beale {
    /// 2 Σₖ (∇tₖ ∇tₖᵀ + tₖ ∇²tₖ) over the three terms tₖ = cₖ − x + x·yᵏ.
    public func hessian(at p: [Double]) -> [Double] {
        let x = p[0], y = p[1]
        var xx = 0.0, xy = 0.0, yy = 0.0
        for (k, c) in [(1, 1.5), (2, 2.25), (3, 2.625)] {
            let yk = pow(y, Double(k)), ykm1 = pow(y, Double(k - 1))
            let t = c - x + x * yk
            let tx = yk - 1, ty = Double(k) * x * ykm1
            let txy = Double(k) * ykm1
            let tyy = k >= 2 ? Double(k * (k - 1)) * x * pow(y, Double(k - 2)) : 0
            xx += 2 * tx * tx
            xy += 2 * (tx * ty + t * txy)
            yy += 2 * (ty * ty + t * tyy)
        }
        return [xx, xy, xy, yy]
    }
}

extension Rastrigin {
    /// Diagonal: 2 + 4π²A·cos(2πθᵢ).
    public func hessian(at p: [Double]) -> [Double] {
        let n = dimension
        var h = [Double](repeating: 0, count: n * n)
        for i in 0..<n { h[i * n + i] = 2 + 4 * .pi * .pi * amplitude * cos(2 * .pi * p[i]) }
        return h
    }
}

extension RegressionData {
    /// Σᵢ wᵢ·x̃ᵢx̃ᵢᵀ with x̃ = [x, 1] (weights 1 when nil), summed in sample order: the upper triangle, mirrored.
    func weightedGram(_ weight: ((Int, Double) -> Double)? = nil, output: [Double]? = nil) -> [Double] {
        let d = featureCount, n = d + 1
        var m = [Double](repeating: 0, count: n * n)
        var row = [Double](repeating: 1, count: n)
        for i in 0..<sampleCount {
            for j in 0..<d { row[j] = values[i * d + j] }
            let w = weight?(i, output?[i] ?? 0) ?? 1
            for a in 0..<n {
                let ra = w * row[a]
                for b in a..<n { m[a * n + b] += ra * row[b] }
            }
        }
        for a in 0..<n { for b in 0..<a { m[a * n + b] = m[b * n + a] } }
        return m
    }
}

extension LinearRegression {
    /// (2/N)·X̃ᵀX̃ with X̃ = [X, 1]: the same at every θ.
    public func hessian(at parameters: [Double]) -> [Double] {
        let scale = 2 / Double(sampleCount)
        return data.weightedGram().map { $0 * scale }
    }
    public var hasConstantHessian: Bool { true }
}

extension LogisticRegression {
    /// (1/N) Σᵢ σ(zᵢ)(1 − σ(zᵢ))·x̃ᵢx̃ᵢᵀ at z = X̃θ.
    public func hessian(at p: [Double]) -> [Double] {
        let d = data.featureCount
        let z = (0..<sampleCount).map { i in
            data.values.withUnsafeBufferPointer { x in p.withUnsafeBufferPointer { w in
                LinearRegression.output(x.baseAddress! + i * d, w.baseAddress!, d)
            } }
        }
        let scale = 1 / Double(sampleCount)
        return data.weightedGram({ _, z in
            let sigma = z >= 0 ? 1 / (1 + exp(-z)) : exp(z) / (1 + exp(z))
            return sigma * (1 - sigma)
        }, output: z).map { $0 * scale }
    }
}
