/// A rectangle of the (x, y) plane: what a 2-D picture of an objective shows.
public struct Viewport: Equatable, Codable, Sendable {
    public var xMin: Double, xMax: Double, yMin: Double, yMax: Double

    public init(xMin: Double, xMax: Double, yMin: Double, yMax: Double) {
        self.xMin = xMin; self.xMax = xMax; self.yMin = yMin; self.yMax = yMax
    }

    /// The smallest viewport holding every point (first two coordinates), widened by `margin` of its size.
    ///
    /// Each side is at least a quarter of the larger extent (and 0.5), so a line or a point still shows room.
    /// With `independentAxes` (axes of unlike quantities) each axis is padded by its own extent instead,
    /// and only a side of no extent at all is opened up (to a tenth of its value, or 0.5).
    public static func fitting(_ points: [[Double]], margin: Double = 0.15, independentAxes: Bool = false) -> Viewport? {
        let finite = points.filter { $0.count >= 2 && $0[0].isFinite && $0[1].isFinite }
        guard let first = finite.first else { return nil }
        var v = Viewport(xMin: first[0], xMax: first[0], yMin: first[1], yMax: first[1])
        for p in finite.dropFirst() {
            v.xMin = Swift.min(v.xMin, p[0]); v.xMax = Swift.max(v.xMax, p[0])
            v.yMin = Swift.min(v.yMin, p[1]); v.yMax = Swift.max(v.yMax, p[1])
        }
        if independentAxes {
            func open(_ low: inout Double, _ high: inout Double) {
                var pad = (high - low) * margin
                if pad == 0 { pad = Swift.max(abs(low) * 0.1, 0.5) / 2 }
                low -= pad; high += pad
            }
            open(&v.xMin, &v.xMax)
            open(&v.yMin, &v.yMax)
            return v
        }
        let span = Swift.max(v.xMax - v.xMin, v.yMax - v.yMin, 1e-9)
        let pad = span * margin
        v.xMin -= pad; v.xMax += pad; v.yMin -= pad; v.yMax += pad
        let minimumSide = Swift.max(span * 0.25, 0.5)
        if v.xMax - v.xMin < minimumSide { let c = (v.xMin + v.xMax) / 2; v.xMin = c - minimumSide / 2; v.xMax = c + minimumSide / 2 }
        if v.yMax - v.yMin < minimumSide { let c = (v.yMin + v.yMax) / 2; v.yMin = c - minimumSide / 2; v.yMax = c + minimumSide / 2 }
        return v
    }

    /// This viewport and `other` together.
    public func union(_ other: Viewport) -> Viewport {
        Viewport(xMin: Swift.min(xMin, other.xMin), xMax: Swift.max(xMax, other.xMax),
                 yMin: Swift.min(yMin, other.yMin), yMax: Swift.max(yMax, other.yMax))
    }
}

/// A differentiable function of a parameter vector, with what a picture of it needs.
///
/// Gradients are analytic (no finite differences), written in Float64.
public protocol Objective: Sendable {
    /// The `kind` a scenario file names it by.
    var kind: String { get }
    /// Number of parameters.
    var dimension: Int { get }
    /// Names for the parameters, shown by the explorer and written to JSON.
    var parameterNames: [String] { get }
    /// A sensible window onto the first two parameters.
    var viewport: Viewport { get }
    /// Global minima where they are known; empty otherwise.
    var knownMinima: [[Double]] { get }
    /// √Σ (mᵢ − θᵢ)², summed in index order, to the nearest of `knownMinima`; nil when none is known. An
    /// objective of any dimension computes it without building its minimum (10⁷ ones are 80 MB).
    func distanceToNearestKnownMinimum(from point: [Double]) -> Double?
    /// Points where the gradient vanishes that a picture should show: the known minima, and saddles or
    /// maxima where they are known (a quadratic's centre).
    var stationaryPoints: [[Double]] { get }
    /// f(θ) on all the data.
    func loss(at parameters: [Double]) -> Double
    /// Writes ∇f(θ) on all the data into `gradient` (of length `dimension`).
    func gradient(at parameters: [Double], into gradient: inout [Double])
    /// f(θ) and ∇f(θ) together, each equal bit for bit to `loss(at:)` and `gradient(at:into:)`:
    /// an objective that shares work between them (A·(θ − c), X·w) does it once here. A run calls it once a step.
    func lossAndGradient(at parameters: [Double], into gradient: inout [Double]) -> Double
    /// The same on raw buffers of `dimension` entries: what a run's bulk stepping calls, with no
    /// array bookkeeping between steps.
    func lossAndGradient(at parameters: UnsafeBufferPointer<Double>, into gradient: UnsafeMutableBufferPointer<Double>) -> Double
    /// Roughly how many multiply-adds one evaluation of f and ∇f costs: the explorer sizes the steps
    /// it takes in a frame by it, so a heavy objective never holds up the keys.
    var costPerEvaluation: Int { get }
    /// Roughly how many multiply-adds ∇²f costs: the theory panel holds a Hessian still while the runs play
    /// when it would take a good part of a frame.
    var hessianCost: Int { get }
    /// f on the plane through `point` along coordinates `axes`, when f is exactly quadratic there and a
    /// picture can use it instead of evaluating f at every cell; nil otherwise.
    func planarSection(through point: [Double], axes: (Int, Int)) -> PlanarSection?
    /// For a 2-D objective, f and ∇f at (x, y) as plain values, equal bit for bit to `lossAndGradient`;
    /// nil when the objective has no such form. A 2-D run keeps θ and its buffer in registers with it.
    func lossAndGradient2(_ x: Double, _ y: Double) -> (loss: Double, gx: Double, gy: Double)?
    /// The same for eight points at once, lane by lane equal bit for bit to `lossAndGradient`: what a sweep
    /// steps eight cells with. The default evaluates the lanes one by one.
    func lossAndGradient2(lanes x: SIMD8<Double>, _ y: SIMD8<Double>) -> (loss: SIMD8<Double>, gx: SIMD8<Double>, gy: SIMD8<Double>)
    /// ∇²f(θ) on all the data, analytic, row-major and flat (`dimension²` entries).
    func hessian(at parameters: [Double]) -> [Double]
    /// ∇²f(θ)·v exactly, without forming ∇²f, where the objective can (a network's, by forward mode through its
    /// backward pass); nil otherwise. The theory uses it where the Hessian is too big to form.
    func hessianVectorProduct(at parameters: [Double], along v: [Double]) -> [Double]?
    /// Whether `hessianVectorProduct` answers (without calling it).
    var offersHessianVectorProducts: Bool { get }
    /// Whether ∇²f is the same at every θ (a quadratic, least squares): its spectrum is then computed once.
    var hasConstantHessian: Bool { get }
    /// Why f is not finite at a finite θ, in a few words a status line can show (`log(-0.5) is undefined`);
    /// nil when the objective cannot say more than that the run diverged.
    func divergenceCause(at parameters: [Double]) -> String?
    /// Why ∇f is not finite at a θ where f is (a formula's sqrt at 0), for the status of the step it makes
    /// diverge; nil when the objective cannot say.
    func gradientCause(at parameters: [Double]) -> String?

    // Capabilities: what commands and widgets ask instead of an objective's concrete type.

    /// The formula, for a typed one (the F editor edits it); nil otherwise.
    var formula: String? { get }
    /// The objective as a mean over samples, when it is one (minibatches); nil otherwise.
    var sampled: (any SampledObjective)? { get }
    /// Whether `gradientCause` says why a gradient is not finite, so a run asks it when one is not.
    var explainsGradients: Bool { get }
    /// The objective as torch code for `descent export --torch`: Python lines (4-space indented, in a function of
    /// the float64 tensor `p` and `batch`, a tensor of sample indices or None for all the data) ending in
    /// `return <loss>`; nil where the export does not write this objective.
    var torchSource: String? { get }
    /// Python lines at the script's top level that `torchSource` reads (a data set as tensors `X` and `Y`, the
    /// samples in rows); empty when it needs none.
    var torchSetup: String { get }
    /// Where a run starts when the scenario leaves `start` out (a network's seeded initialisation); nil when the
    /// file must give it.
    var defaultStart: [Double]? { get }
    /// The most parameters whose Hessian is worked out and decomposed for the theory.
    var maximumHessianDimension: Int { get }
    /// ∇²f's eigenvalues, ascending, when ∇²f is one matrix known when the objective was built (a quadratic's);
    /// nil otherwise. The theory then needs no decomposition, and a map can draw the exact stability edge.
    var constantSpectrum: [Double]? { get }
}

/// An objective that is a mean over data samples, so it can be estimated on a minibatch.
public protocol SampledObjective: Objective {
    /// Number of data samples.
    var sampleCount: Int { get }
    /// Writes the gradient of the mean loss over `samples` into `gradient`.
    func gradient(at parameters: [Double], samples: ArraySlice<Int>, into gradient: inout [Double])
}

extension SampledObjective {
    public var sampled: (any SampledObjective)? { self }
}

extension Objective {
    public var stationaryPoints: [[Double]] { knownMinima }
    public var torchSource: String? { nil }
    public var torchSetup: String { "" }
    public var defaultStart: [Double]? { nil }

    public func lossAndGradient(at parameters: [Double], into gradient: inout [Double]) -> Double {
        self.gradient(at: parameters, into: &gradient)
        return loss(at: parameters)
    }

    /// Through the array form: two small copies, which a pass over many samples (the regressions) does
    /// not notice; the cheap objectives override it.
    public func lossAndGradient(at parameters: UnsafeBufferPointer<Double>, into gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        var g = Array(gradient)
        let loss = lossAndGradient(at: Array(parameters), into: &g)
        for i in g.indices { gradient[i] = g[i] }
        return loss
    }

    public var costPerEvaluation: Int { 10 * dimension }
    public var hessianCost: Int { costPerEvaluation * dimension }

    public func planarSection(through point: [Double], axes: (Int, Int)) -> PlanarSection? { nil }

    @inline(__always)
    public func lossAndGradient2(_ x: Double, _ y: Double) -> (loss: Double, gx: Double, gy: Double)? { nil }

    public func lossAndGradient2(lanes x: SIMD8<Double>, _ y: SIMD8<Double>) -> (loss: SIMD8<Double>, gx: SIMD8<Double>, gy: SIMD8<Double>) {
        var loss = SIMD8<Double>(), gx = SIMD8<Double>(), gy = SIMD8<Double>()
        var g = [0.0, 0.0]
        for lane in 0..<8 {
            if let r = lossAndGradient2(x[lane], y[lane]) {
                loss[lane] = r.loss; gx[lane] = r.gx; gy[lane] = r.gy
            } else {
                loss[lane] = lossAndGradient(at: [x[lane], y[lane]], into: &g)
                gx[lane] = g[0]; gy[lane] = g[1]
            }
        }
        return (loss, gx, gy)
    }

    public var hasConstantHessian: Bool { false }
    public func hessianVectorProduct(at parameters: [Double], along v: [Double]) -> [Double]? { nil }
    public var offersHessianVectorProducts: Bool { false }

    public func divergenceCause(at parameters: [Double]) -> String? { nil }

    public func gradientCause(at parameters: [Double]) -> String? { nil }

    public var formula: String? { nil }
    public var sampled: (any SampledObjective)? { nil }
    public var explainsGradients: Bool { false }
    public var maximumHessianDimension: Int { Spectrum.maximumDimension }
    public var constantSpectrum: [Double]? { nil }

    public func distanceToNearestKnownMinimum(from point: [Double]) -> Double? {
        knownMinima.map { euclideanDistance($0, point) }.min()
    }

    /// Default names: `x`, `y` in two dimensions, `x1…xn` otherwise.
    public static func coordinateNames(_ dimension: Int) -> [String] {
        dimension == 2 ? ["x", "y"] : (1...max(dimension, 1)).prefix(dimension).map { "x\($0)" }
    }
}

/// √Σ (aᵢ − bᵢ)² over the common length, summed in index order.
public func euclideanDistance(_ a: [Double], _ b: [Double]) -> Double {
    var sum = 0.0
    for (x, y) in zip(a, b) { sum += (x - y) * (x - y) }
    return sum.squareRoot()
}
