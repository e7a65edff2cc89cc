/// `kind: booth`: Booth's function, a tilted bowl with its minimum 0 at (1, 3).
public enum BoothKind: ObjectiveKind {
    public static let name = "booth"
    public static let summary = "(x + 2y − 7)² + (2x + y − 5)²: Booth's function, minimum 0 at (1, 3); curvatures 2 and 18. 2-D."
    public static let keys: [ObjectiveKey] = []
    public static let traits = ObjectiveTraits(dimensions: "2", knownMinimum: true)
    public static let example: ObjectiveExample? = ObjectiveExample(
        spec: plainSpec, start: [-3, -1], lr: 0.02, momentum: 0.8, signLR: 0.05, steps: 200)

    public static func build(_ spec: ObjectiveSpec, dimension: Int, baseDirectory: String) throws(InputError) -> any Objective {
        try ObjectiveChecks.dimension(dimension, is: 2, name)
        return Booth()
    }
}

/// (x + 2y − 7)² + (2x + y − 5)²: with u = x + 2y − 7 and v = 2x + y − 5, f = u² + v², ∇f = (2u + 4v, 4u + 2v),
/// ∇²f = [[10, 8], [8, 10]] everywhere. Every path below computes u and v, then these, in this order.
public struct Booth: Objective {
    public var kind: String { BoothKind.name }
    public var torchSource: String? {
        "    x, y = p[0], p[1]\n    return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2"
    }
    public init() {}
    public var dimension: Int { 2 }
    public var parameterNames: [String] { ["x", "y"] }
    public var viewport: Viewport { Viewport(xMin: -4, xMax: 6, yMin: -2, yMax: 8) }
    public var knownMinima: [[Double]] { [[1, 3]] }
    public var hasConstantHessian: Bool { true }

    @inline(__always)
    public func lossAndGradient2(_ x: Double, _ y: Double) -> (loss: Double, gx: Double, gy: Double)? {
        let u = x + 2 * y - 7, v = 2 * x + y - 5
        return (u * u + v * v, 2 * u + 4 * v, 4 * u + 2 * v)
    }

    public func loss(at p: [Double]) -> Double { lossAndGradient2(p[0], p[1])!.loss }

    public func gradient(at p: [Double], into g: inout [Double]) {
        let r = lossAndGradient2(p[0], p[1])!
        g[0] = r.gx; g[1] = r.gy
    }

    public func lossAndGradient(at p: [Double], into g: inout [Double]) -> Double {
        let r = lossAndGradient2(p[0], p[1])!
        g[0] = r.gx; g[1] = r.gy
        return r.loss
    }

    public func lossAndGradient(at p: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        let r = lossAndGradient2(p[0], p[1])!
        g[0] = r.gx; g[1] = r.gy
        return r.loss
    }

    public func hessian(at p: [Double]) -> [Double] { [10, 8, 8, 10] }
}
