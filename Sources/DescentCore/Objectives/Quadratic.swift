import Foundation

/// f(θ) = ½ (θ − c)ᵀ A (θ − c) with A symmetric; ∇f(θ) = A (θ − c).
///
/// Negative eigenvalues are allowed: they make saddles, or hills to climb with `maximize`.
public struct Quadratic: Objective {
    public let kind = "quadratic"
    /// A, row-major, `dimension × dimension`.
    public let matrix: [[Double]]
    public let center: [Double]
    /// The eigenvalues of A, ascending, computed once (the table, the view and every frame ask for minima).
    public let eigenvalues: [Double]

    public init(matrix: [[Double]], center: [Double]? = nil) {
        self.matrix = matrix
        self.center = center ?? Array(repeating: 0, count: matrix.count)
        eigenvalues = SymmetricEigen.eigenvalues(of: matrix)
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

    public var dimension: Int { matrix.count }
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

    public func loss(at parameters: [Double]) -> Double {
        let n = dimension
        var total = 0.0
        for i in 0..<n {
            var row = 0.0
            for j in 0..<n { row += matrix[i][j] * (parameters[j] - center[j]) }
            total += (parameters[i] - center[i]) * row
        }
        return 0.5 * total
    }

    public func gradient(at parameters: [Double], into gradient: inout [Double]) {
        let n = dimension
        for i in 0..<n {
            var row = 0.0
            for j in 0..<n { row += matrix[i][j] * (parameters[j] - center[j]) }
            gradient[i] = row
        }
    }
}

/// Eigenvalues of small symmetric matrices by cyclic Jacobi rotations, ascending.
///
/// Sweeps stop once the off-diagonal mass is below (1e-15 · ‖A‖_F)², a rule relative to the matrix's
/// size, so a matrix that is already diagonal, or nearly, costs one or two sweeps rather than a hundred.
enum SymmetricEigen {
    static func eigenvalues(of matrix: [[Double]]) -> [Double] {
        var a = matrix
        let n = a.count
        guard n > 0 else { return [] }
        // Sums of squares are taken of entries divided by the largest, so entries near 1e300 do not overflow.
        let largest = a.joined().map(abs).max() ?? 0
        guard largest > 0, largest.isFinite else { return (0..<n).map { a[$0][$0] }.sorted() }
        var frobenius = 0.0
        for row in a { for x in row { frobenius += (x / largest) * (x / largest) } }
        let tolerance = frobenius * 1e-30
        for _ in 0..<100 {
            var off = 0.0
            for i in 0..<n { for j in 0..<n where i != j { off += (a[i][j] / largest) * (a[i][j] / largest) } }
            if off <= tolerance { break }
            for p in 0..<n {
                for q in (p + 1)..<n where a[p][q] != 0 {
                    let theta = (a[q][q] - a[p][p]) / (2 * a[p][q])
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
                    let c = 1 / (t * t + 1).squareRoot(), s = t * c
                    for k in 0..<n {
                        let akp = a[k][p], akq = a[k][q]
                        a[k][p] = c * akp - s * akq
                        a[k][q] = s * akp + c * akq
                    }
                    for k in 0..<n {
                        let apk = a[p][k], aqk = a[q][k]
                        a[p][k] = c * apk - s * aqk
                        a[q][k] = s * apk + c * aqk
                    }
                }
            }
        }
        return (0..<n).map { a[$0][$0] }.sorted()
    }
}
