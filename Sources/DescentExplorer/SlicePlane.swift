import DescentCore

/// The plane a landscape shows, and where a θ falls on it.
///
/// Either two of the parameters across and up (every other one held at the slice point: the selected run's θ),
/// or two random directions through a run's start, as loss-landscape pictures of networks are drawn: θ on the
/// plane is origin + a·u + b·v, and any θ is shown at its coordinates ((θ − origin)·u, (θ − origin)·v), its
/// projection onto the plane (a path leaves the plane; its shadow is what is drawn).
public struct SlicePlane: Equatable, Sendable {
    /// The parameters across and up (used when `directions` is nil).
    public var x: Int, y: Int
    public var directions: Directions?

    /// Two orthonormal directions through `origin`, drawn from `seed`.
    public struct Directions: Equatable, Sendable {
        public let seed: UInt64
        public let origin: [Double]
        public let u: [Double], v: [Double]

        /// u and v: each coordinate N(0, 1) from `seed`'s stream (Descent's portable Gaussian, u first), v made
        /// orthogonal to u (Gram–Schmidt), both scaled to length 1. The same plane on every machine.
        public init(seed: UInt64, origin: [Double]) {
            var generator = SeededGenerator(seed: seed)
            let n = origin.count
            var u = (0..<n).map { _ in generator.nextPortableGaussian() }
            var v = (0..<n).map { _ in generator.nextPortableGaussian() }
            func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
            let uu = dot(u, u).squareRoot()
            u = u.map { $0 / uu }
            let along = dot(v, u)
            v = zip(v, u).map { $0 - along * $1 }
            let vv = dot(v, v).squareRoot()
            v = v.map { $0 / vv }
            self.seed = seed; self.origin = origin; self.u = u; self.v = v
        }
    }

    public init(x: Int, y: Int) { self.x = x; self.y = y }

    /// Parameters 0 and 1 (0 and 0 for a single parameter).
    public static func parameters(dimension: Int) -> SlicePlane { dimension >= 2 ? SlicePlane(x: 0, y: 1) : SlicePlane(x: 0, y: 0) }

    /// Where θ falls on the plane.
    @inline(__always)
    public func coordinates(_ theta: UnsafeBufferPointer<Double>) -> (x: Double, y: Double) {
        guard let d = directions else { return (theta[x], theta.count > 1 ? theta[y] : 0) }
        var a = 0.0, b = 0.0
        for i in 0..<min(theta.count, d.origin.count) {
            let offset = theta[i] - d.origin[i]
            a += offset * d.u[i]; b += offset * d.v[i]
        }
        return (a, b)
    }

    public func coordinates(_ theta: [Double]) -> (x: Double, y: Double) {
        theta.withUnsafeBufferPointer { coordinates($0) }
    }

    /// Where row `row` of a recorded path falls on the plane.
    public func coordinates(_ trajectory: Trajectory, row: Int) -> (x: Double, y: Double) {
        guard let d = directions else {
            return (trajectory.coordinate(row, x), trajectory.dimension > 1 ? trajectory.coordinate(row, y) : 0)
        }
        var a = 0.0, b = 0.0
        for i in 0..<min(trajectory.dimension, d.origin.count) {
            let offset = trajectory.coordinate(row, i) - d.origin[i]
            a += offset * d.u[i]; b += offset * d.v[i]
        }
        return (a, b)
    }

    /// The θ at (a, b) on the plane: `slice` with the two parameters set, or origin + a·u + b·v.
    public func point(_ a: Double, _ b: Double, slice: [Double]) -> [Double] {
        guard let d = directions else {
            var point = slice
            point[x] = a
            if point.count > 1 { point[y] = b }
            return point
        }
        return (0..<d.origin.count).map { d.origin[$0] + a * d.u[$0] + b * d.v[$0] }
    }

    /// The names of the two axes: the parameters', or `u` and `v` with the seed.
    public func names(_ parameterNames: [String]) -> (x: String, y: String) {
        guard let d = directions else { return (parameterNames[x], parameterNames[y]) }
        return ("u\(d.seed)", "v\(d.seed)")
    }
}
