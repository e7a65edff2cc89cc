import CKernels
import Foundation

/// f(θ) = ½ (θ − c)ᵀ A (θ − c) with A symmetric; ∇f(θ) = A (θ − c).
///
/// Negative eigenvalues are allowed: they make saddles, or hills to climb with `maximize`.
///
/// Numerics: with d = θ − c (one subtraction per entry), row i of A·d is A's row times d summed as four interleaved
/// partial sums (entries j ≡ 0, 1, 2, 3 mod 4, each in index order), combined (s₀ + s₁) + (s₂ + s₃), then the tail;
/// the loss is Σᵢ ½·(dᵢ·(A·d)ᵢ) summed in index order, from the same A·d the gradient returns.
/// A·d is `descent_matvec`, its rows shared by one thread a core from 256 × 256 up; each row is computed the same
/// way on every kernel path and for any number of threads.
public struct Quadratic: Objective {
    public var kind: String { QuadraticKind.name }
    /// ½ (θ − c)ᵀ A (θ − c), A and c written out in full precision.
    public var torchSource: String? {
        let rows = (0..<dimension).map { i in "[" + (0..<dimension).map { NumberFormat.exact(entries[i * dimension + $0]) }.joined(separator: ", ") + "]" }
        return "    A = torch.tensor([" + rows.joined(separator: ", ") + "])\n"
            + "    d = p - torch.tensor([" + center.map(NumberFormat.exact).joined(separator: ", ") + "])\n"
            + "    return 0.5 * (d @ (A @ d))"
    }
    public let dimension: Int
    /// A, row-major and flat: entry (i, j) at `i·dimension + j`.
    public let entries: [Double]
    public let center: [Double]
    /// The eigenvalues of A, ascending, computed once (the table, the view and every frame ask for minima).
    public let eigenvalues: [Double]
    public var constantSpectrum: [Double]? { eigenvalues }

    public init(matrix: [[Double]], center: [Double]? = nil) {
        self.init(dimension: matrix.count, entries: Array(matrix.joined()), center: center)
    }

    /// A from its row-major entries (`dimension²` of them).
    public init(dimension: Int, entries: [Double], center: [Double]? = nil) {
        precondition(entries.count == dimension * dimension, "\(entries.count) entries for a \(dimension) × \(dimension) matrix")
        self.dimension = dimension
        self.entries = entries
        self.center = center ?? Array(repeating: 0, count: dimension)
        eigenvalues = SymmetricEigen.eigenvalues(dimension: dimension, entries: entries)
    }

    /// A = R diag(λ₁, λ₂) Rᵀ, R the rotation by `angle` degrees.
    public init(eigenvalues: [Double], angleDegrees: Double, center: [Double]? = nil) {
        let t = angleDegrees * .pi / 180
        let c = cos(t), s = sin(t)
        let l1 = eigenvalues[0], l2 = eigenvalues[1]
        let a = l1 * c * c + l2 * s * s
        let b = (l1 - l2) * c * s
        let d = l1 * s * s + l2 * c * c
        self.init(matrix: [[a, b], [b, d]], center: center)
    }

    /// A as rows.
    public var matrix: [[Double]] {
        (0..<dimension).map { Array(entries[($0 * dimension)..<(($0 + 1) * dimension)]) }
    }

    public var parameterNames: [String] { Self.coordinateNames(dimension) }

    public var knownMinima: [[Double]] {
        (eigenvalues.first ?? 0) > 0 ? [center] : []
    }

    /// The centre, whatever the curvatures: a minimum, a saddle or a hilltop.
    public var stationaryPoints: [[Double]] { [center] }

    public var viewport: Viewport {
        let c0 = center.first ?? 0, c1 = center.count > 1 ? center[1] : 0
        return Viewport(xMin: c0 - 4, xMax: c0 + 4, yMin: c1 - 4, yMax: c1 + 4)
    }

    public var costPerEvaluation: Int { dimension * dimension }

    public func loss(at parameters: [Double]) -> Double {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: dimension) { ad in
            evaluate(parameters, product: ad.baseAddress!)
        }
    }

    public func gradient(at parameters: [Double], into gradient: inout [Double]) {
        _ = lossAndGradient(at: parameters, into: &gradient)
    }

    public func lossAndGradient(at parameters: [Double], into gradient: inout [Double]) -> Double {
        precondition(gradient.count == dimension)
        return gradient.withUnsafeMutableBufferPointer { evaluate(parameters, product: $0.baseAddress!) }
    }

    public func lossAndGradient(at parameters: UnsafeBufferPointer<Double>, into gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        evaluate(parameters, product: gradient.baseAddress!)
    }

    private func evaluate(_ parameters: [Double], product: UnsafeMutablePointer<Double>) -> Double {
        precondition(parameters.count == dimension)
        return parameters.withUnsafeBufferPointer { evaluate($0, product: product) }
    }

    /// Writes A·(θ − c) into `product` and returns ½ (θ − c)ᵀ A (θ − c).
    private func evaluate(_ theta: UnsafeBufferPointer<Double>, product: UnsafeMutablePointer<Double>) -> Double {
        let n = dimension
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { dBuffer in
            let d = dBuffer.baseAddress!
            center.withUnsafeBufferPointer { c in
                for i in 0..<n { d[i] = theta[i] - c[i] }
            }
            entries.withUnsafeBufferPointer { a in
                Self.product(of: a.baseAddress!, n: n, times: d, into: product, threads: n >= 256 ? Self.threads : 1)
            }
            var total = 0.0
            // ½dᵢ first (exact, as torch's 0.5·d does): a term whose product alone would pass the largest Double
            // but whose half does not stays finite, and the run diverges where torch's does.
            for i in 0..<n { total += (0.5 * d[i]) * product[i] }
            return total
        }
    }
}

extension Quadratic {
    /// How many threads a product of 256 rows or more is split across: one a core, up to 8, or `DESCENT_THREADS`.
    static let threads = Int(ProcessInfo.processInfo.environment["DESCENT_THREADS"] ?? "") ?? max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))

    /// A·d for a row-major n×n A by the C kernel of `path` (`descent_matvec`), its rows shared by up to `threads`
    /// threads: each row summed in the order above, whatever the path and the number of threads.
    static func product(of a: UnsafePointer<Double>, n: Int, times d: UnsafePointer<Double>, into out: UnsafeMutablePointer<Double>,
                        path: KernelPath = .current, threads: Int = 1) {
        descent_matvec(path.rawValue, a, n, d, out, Int32(clamping: threads))
    }
}

