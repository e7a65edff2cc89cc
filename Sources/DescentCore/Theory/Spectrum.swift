/// The eigenvalues of ∇²f at a point, ascending, with unit eigenvectors for small dimensions.
public struct Spectrum: Sendable, Equatable {
    public let eigenvalues: [Double]
    /// `eigenvectors[k]` belongs to `eigenvalues[k]`; nil above `vectorDimension` parameters.
    public let eigenvectors: [[Double]]?

    /// The most parameters whose Hessian is decomposed (1024² entries: about a second with reference LAPACK).
    public static let maximumDimension = 1024
    /// Eigenvectors are kept up to this many parameters (they are drawn in 2-D and listed in small problems).
    public static let vectorDimension = 16

    public init(eigenvalues: [Double], eigenvectors: [[Double]]?) {
        self.eigenvalues = eigenvalues
        self.eigenvectors = eigenvectors
    }

    /// The most parameters whose Hessian is worked out for `objective` (a typed formula's costs more).
    public static func maximumDimension(of objective: any Objective) -> Int {
        objective.maximumHessianDimension
    }

    /// The spectrum of `objective`'s Hessian at `point`; nil when it is too big to decompose or not finite.
    ///
    /// A quadratic's eigenvalues are the ones computed when it was built, so even a 4096-D one answers at once.
    public init?(of objective: any Objective, at point: [Double]) {
        let n = objective.dimension
        if let eigenvalues = objective.constantSpectrum, n > Self.vectorDimension {
            self.init(eigenvalues: eigenvalues, eigenvectors: nil)
            return
        }
        guard n <= Self.maximumDimension(of: objective) else { return nil }
        let h = objective.hessian(at: point)
        if n <= Self.vectorDimension {
            guard let (values, vectors) = SymmetricEigen.decomposition(dimension: n, entries: h) else { return nil }
            self.init(eigenvalues: values, eigenvectors: vectors)
        } else {
            guard h.allSatisfy(\.isFinite) else { return nil }
            self.init(eigenvalues: SymmetricEigen.eigenvalues(dimension: n, entries: h), eigenvectors: nil)
        }
    }
}
