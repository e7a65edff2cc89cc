/// `kind: quadratic`: ½ (θ − c)ᵀ A (θ − c), given by A or, in 2-D, by its eigenvalues and angle.
public enum QuadraticKind: ObjectiveKind {
    public static let name = "quadratic"
    public static let summary = "½ (θ − c)ᵀ A (θ − c). Give A (n×n, symmetric) or, in 2-D, eigenvalues: [λ1, λ2] and angle (degrees, default 0). center c defaults to zeros. Negative eigenvalues make saddles and hills."
    public static let keys = [
        ObjectiveKey("A", .matrix, help: "the matrix A, n lists of n numbers, symmetric"),
        ObjectiveKey("eigenvalues", .numbers, help: "2-D: the eigenvalues [λ1, λ2] of A"),
        ObjectiveKey("angle", .number, help: "2-D: the rotation of the eigenvectors, in degrees (default 0)"),
        ObjectiveKey("center", .numbers, help: "the minimum c (default zeros)"),
    ]
    public static let traits = ObjectiveTraits(dimensions: "A's size, or 2 with eigenvalues", knownMinimum: true)
    public static let example: ObjectiveExample? = ObjectiveExample(
        spec: spec(eigenvalues: [1, 25], angle: 30, center: [1, -1]), start: [-3, 2],
        lr: 0.03, momentum: 0.9, signLR: 0.05, steps: 200)

    /// 2 in every coordinate of an n×n A; the example's start with eigenvalues.
    public static func defaultStart(for spec: ObjectiveSpec) -> [Double]? {
        if let matrix = spec.matrix("A") { return Array(repeating: 2, count: matrix.count) }
        return example?.start
    }

    public static func spec(eigenvalues: [Double], angle: Double? = nil, center: [Double]? = nil) -> ObjectiveSpec {
        var spec = ObjectiveSpec(kind: name, ["eigenvalues": .numbers(eigenvalues)])
        spec["angle"] = angle.map(ObjectiveValue.number)
        spec["center"] = center.map(ObjectiveValue.numbers)
        return spec
    }

    public static func spec(matrix: [[Double]], center: [Double]? = nil) -> ObjectiveSpec {
        var spec = ObjectiveSpec(kind: name, ["A": .matrix(matrix)])
        spec["center"] = center.map(ObjectiveValue.numbers)
        return spec
    }

    public static func build(_ spec: ObjectiveSpec, dimension: Int, baseDirectory: String) throws(InputError) -> any Objective {
        typealias C = ObjectiveChecks
        let center = spec.numbers("center"), eigenvalues = spec.numbers("eigenvalues"), angle = spec.number("angle")
        let quadratic: Quadratic
        if let matrix = spec.matrix("A") {
            if eigenvalues != nil || angle != nil { throw C.fail("A", "give either A or eigenvalues/angle, not both") }
            let n = matrix.count
            guard n > 0, matrix.allSatisfy({ $0.count == n }) else { throw C.fail("A", "must be a square matrix (n lists of n numbers)") }
            let most = ObjectiveSpec.maximumMatrixDimension
            guard n <= most else { throw C.fail("A", "is \(n) × \(n); at most \(most) × \(most)") }
            try C.finite(matrix.flatMap { $0 }, "A")
            for i in 0..<n {
                for j in 0..<i where abs(matrix[i][j] - matrix[j][i]) > 1e-12 * max(1, abs(matrix[i][j])) {
                    throw C.fail("A", "must be symmetric: A[\(i)][\(j)] = \(matrix[i][j]) but A[\(j)][\(i)] = \(matrix[j][i])")
                }
            }
            try C.dimension(dimension, is: n, "a \(n)×\(n) A")
            quadratic = Quadratic(matrix: matrix, center: center)
        } else if let eigenvalues {
            guard eigenvalues.count == 2 else { throw C.fail("eigenvalues", "must be two numbers [λ1, λ2] (for more dimensions give A)") }
            try C.finite(eigenvalues, "eigenvalues")
            // Degrees past a few turns only lose precision (1e308 degrees in radians is infinite).
            if let angle, !(abs(angle) <= 3600) { throw C.fail("angle", "must be between -3600 and 3600 degrees, got \(NumberFormat.exact(angle))") }
            try C.dimension(dimension, is: 2, "eigenvalues/angle")
            quadratic = Quadratic(eigenvalues: eigenvalues, angleDegrees: angle ?? 0, center: center)
        } else {
            throw C.fail("", "a quadratic needs A or eigenvalues (with angle)")
        }
        if let center {
            guard center.count == dimension else { throw C.fail("center", "has \(center.count) numbers; the dimension is \(dimension)") }
            try C.finite(center, "center")
        }
        return quadratic
    }
}
