/// The eigenvalues of ∇²f at a point, ascending, with unit eigenvectors for small dimensions.
public struct Spectrum: Sendable, Equatable {
    public let eigenvalues: [Double]
    /// `eigenvectors[k]` belongs to `eigenvalues[k]`; nil above `vectorDimension` parameters.
    public let eigenvectors: [[Double]]?
    /// When the Hessian was too big to form: the number of Lanczos steps whose Ritz values `eigenvalues` are (the
    /// extremes of the spectrum, to a few digits, and values between them); nil for the whole spectrum.
    public var lanczosSteps: Int?

    /// The most parameters whose Hessian is decomposed (1024² entries: about a second with reference LAPACK).
    public static let maximumDimension = 1024
    /// Lanczos steps taken where the Hessian is too big to form but Hessian-vector products are at hand.
    public static let lanczosSteps = 40
    /// The most multiply-adds spent forming a Hessian from Hessian-vector products (about a tenth of a second);
    /// past it, Lanczos's extremes are taken instead, as past `maximumDimension`.
    public static let denseWork = 100_000_000

    /// Whether the spectrum of `objective` is taken by Lanczos (too big or too costly to form) rather than whole.
    static func usesLanczos(_ objective: any Objective) -> Bool {
        guard objective.constantSpectrum == nil, objective.offersHessianVectorProducts else { return false }
        return objective.dimension > maximumDimension(of: objective) || objective.hessianCost > denseWork
    }

    /// Roughly the multiply-adds the spectrum at a point costs: what the explorer weighs before asking for it.
    /// Zero for a spectrum known in advance; nil where there is none (too big, and no Hessian-vector products).
    public static func work(of objective: any Objective) -> Int? {
        if objective.constantSpectrum != nil { return 0 }
        let n = objective.dimension
        if usesLanczos(objective) { return lanczosSteps * 3 * objective.costPerEvaluation + lanczosSteps * lanczosSteps * n }
        guard n <= maximumDimension(of: objective) else { return nil }
        return objective.hessianCost + n * n * n / 4
    }
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
        if Self.usesLanczos(objective) {
            guard let ritz = Self.lanczos(objective, at: point) else { return nil }
            self.init(eigenvalues: ritz, eigenvectors: nil)
            lanczosSteps = ritz.count
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

    /// The Ritz values of `lanczosSteps` Lanczos steps on ∇²f at `point` (full reorthogonalisation), from a start
    /// vector drawn from seed 0 (Descent's portable Gaussian): the same numbers on every machine. The largest and
    /// smallest converge first, to a few digits in 40 steps. Nil when the objective has no Hessian-vector product
    /// or a product is not finite.
    static func lanczos(_ objective: any Objective, at point: [Double]) -> [Double]? {
        let n = objective.dimension, steps = min(n, lanczosSteps)
        func dot(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }
        var generator = SeededGenerator(seed: 0)
        var q = (0..<n).map { _ in generator.nextPortableGaussian() }
        let norm = dot(q, q).squareRoot()
        q = q.map { $0 / norm }
        var basis: [[Double]] = [], alphas: [Double] = [], betas: [Double] = []
        for _ in 0..<steps {
            basis.append(q)
            guard var w = objective.hessianVectorProduct(at: point, along: q), w.allSatisfy(\.isFinite) else { return nil }
            let alpha = dot(w, q)
            alphas.append(alpha)
            // Against every earlier vector, twice: the plain three-term recurrence loses orthogonality.
            for _ in 0..<2 {
                for b in basis {
                    let c = dot(w, b)
                    for i in 0..<n { w[i] -= c * b[i] }
                }
            }
            let beta = dot(w, w).squareRoot()
            guard beta > 1e-12 * max(1, abs(alpha)), basis.count < steps else { break }
            betas.append(beta)
            q = w.map { $0 / beta }
        }
        // The tridiagonal matrix T = QᵀHQ, dense (at most 40 × 40).
        let m = alphas.count
        var t = [Double](repeating: 0, count: m * m)
        for i in 0..<m {
            t[i * m + i] = alphas[i]
            if i + 1 < m { t[i * m + i + 1] = betas[i]; t[(i + 1) * m + i] = betas[i] }
        }
        return SymmetricEigen.eigenvalues(dimension: m, entries: t)
    }
}
