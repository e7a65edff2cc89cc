/// The linear theory of one run at its current point: what `descent analyze` prints and the theory panel shows.
public struct RunAnalysis: Sendable {
    public let label: String
    public let step: Int
    public let hyperparameters: SGDHyperparameters
    /// ∇²f's eigenvalues at the run's point, ascending.
    public let spectrum: Spectrum
    /// The curvatures the optimizer sees (±λ + weight_decay), ascending.
    public let curvatures: [Double]
    /// Unit eigenvectors in `curvatures`' order, when the spectrum has them.
    public let directions: [[Double]]?
    /// One map per curvature, in `curvatures`' order; nil for the sign update.
    public let maps: [ModeMap]?
    /// max ρ over the directions: the predicted factor per step.
    public let predictedRate: Double?
    /// The lr range in which every direction is stable at this momentum, dampening and Nesterov.
    public let stableLR: ClosedRange<Double>?
    public let polyak: (lr: Double, momentum: Double, rate: Double)?

    public init(label: String, step: Int, hyperparameters p: SGDHyperparameters, spectrum: Spectrum) {
        self.label = label
        self.step = step
        hyperparameters = p
        self.spectrum = spectrum
        curvatures = effectiveCurvatures(spectrum.eigenvalues, p)
        directions = spectrum.eigenvectors.map { p.maximize ? $0.reversed() : $0 }
        let maps = curvatures.map { ModeMap(curvature: $0, hyperparameters: p) }
        self.maps = maps.contains(where: { $0 == nil }) ? nil : maps.map { $0! }
        predictedRate = self.maps.flatMap { $0.map(\.rate).max() }
        stableLR = Stability.stableLR(curvatures: curvatures, hyperparameters: p)
        polyak = Stability.polyak(curvatures: curvatures)
    }

    /// The analysis of `run` where it stands; nil when its Hessian is too big or not finite there.
    public init?(run: borrowing Run) {
        guard let spectrum = Spectrum(of: run.objective, at: run.parameters) else { return nil }
        self.init(label: run.label, step: run.stepCount, hyperparameters: run.hyperparameters, spectrum: spectrum)
    }

    /// λmax/λmin of the curvatures when both are positive; nil otherwise (a saddle, a flat direction).
    public var conditionNumber: Double? {
        guard let low = curvatures.first, let high = curvatures.last, low > 0 else { return nil }
        return high / low
    }
}
