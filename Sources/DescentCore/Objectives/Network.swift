/// A small fully connected network on a data set: the mean loss of `Linear → act → … → Linear` over its samples,
/// as torch's `nn.Sequential(nn.Linear(n0, n1), nn.Tanh(), …, nn.Linear(nL-1, nL))` computes it.
///
/// Parameters, flat, in the order of torch's `parameters()` (`torch.nn.utils.parameters_to_vector`): for each layer
/// its weight (out × in, row-major) then its bias. The loss is softmax cross-entropy on class indices (torch's
/// `F.cross_entropy`, mean) or the mean squared error over every output (`F.mse_loss`, mean). Gradients are exact
/// (reverse mode, a forward and a backward pass per sample); the Hessian is exact too, a column per Hessian-vector
/// product (forward mode through the backward pass). Sums run in index order, a layer's from its bias; torch's
/// BLAS sums in another order, so the two agree to rounding (rtol 1e-9 over the shipped trajectories).
public struct Network: SampledObjective {
    public enum Activation: String, Sendable, CaseIterable { case tanh, relu }
    public enum Loss: String, Sendable, CaseIterable {
        case crossEntropy = "cross_entropy"
        case mse
    }

    public var kind: String { NetworkKind.name }
    /// Layer widths: inputs, the hidden layers, outputs.
    public let sizes: [Int]
    public let activation: Activation
    public let lossKind: Loss
    public let data: RegressionData
    /// The start torch's default initialisation would draw (see `defaultInitialization`), from `initSeed`.
    public let initialization: [Double]
    /// Where layer k's weight begins in θ (its bias follows it), and where layer k's units begin among all units.
    private let parameterOffsets: [Int], unitOffsets: [Int]

    public init(sizes: [Int], activation: Activation, loss: Loss, data: RegressionData, initSeed: UInt64) {
        self.sizes = sizes; self.activation = activation; self.lossKind = loss; self.data = data
        initialization = Self.defaultInitialization(sizes: sizes, seed: initSeed)
        var parameters = [0], units = [0]
        for (fanIn, fanOut) in zip(sizes, sizes.dropFirst()) { parameters.append(parameters.last! + fanOut * fanIn + fanOut) }
        for width in sizes { units.append(units.last! + width) }
        parameterOffsets = parameters; unitOffsets = units
    }

    /// Each layer's weight and bias uniform in ±1/√fan_in, the distribution of torch's `nn.Linear.reset_parameters`
    /// (kaiming_uniform with a = √5 gives that bound for the weight, and the bias takes it too), drawn from
    /// Descent's seeded stream in parameter order: the same start on every machine (torch's own generator is not
    /// reproduced; an exported script is given these numbers).
    public static func defaultInitialization(sizes: [Int], seed: UInt64) -> [Double] {
        var generator = SeededGenerator(seed: seed)
        var out: [Double] = []
        for (fanIn, fanOut) in zip(sizes, sizes.dropFirst()) {
            let bound = 1 / Double(fanIn).squareRoot()
            for _ in 0..<(fanOut * fanIn + fanOut) { out.append(bound * (2 * generator.nextUnit() - 1)) }
        }
        return out
    }

    public var dimension: Int { zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.1 * $1.0 + $1.1 } }
    public var sampleCount: Int { data.sampleCount }
    public var layers: Int { sizes.count - 1 }

    /// `w1[i][j]`, `b1[i]`, … : layer k's weight from input j to output i, and its bias (no commas: they are CSV
    /// column names too).
    public var parameterNames: [String] {
        var names: [String] = []
        for (k, (fanIn, fanOut)) in zip(sizes, sizes.dropFirst()).enumerated() {
            for i in 0..<fanOut { for j in 0..<fanIn { names.append("w\(k + 1)[\(i)][\(j)]") } }
            for i in 0..<fanOut { names.append("b\(k + 1)[\(i)]") }
        }
        return names
    }

    public var knownMinima: [[Double]] { [] }
    public var viewport: Viewport {
        let x = initialization.first ?? 0, y = initialization.count > 1 ? initialization[1] : 0
        return Viewport(xMin: x - 2, xMax: x + 2, yMin: y - 2, yMax: y + 2)
    }
    public var costPerEvaluation: Int { 4 * sampleCount * dimension }
    /// A Hessian-vector product per parameter, each a pass in dual numbers (three multiply-adds for one).
    public var hessianCost: Int { 3 * costPerEvaluation * dimension }
    public var offersHessianVectorProducts: Bool { true }
    public var defaultStart: [Double]? { initialization }

    public func loss(at p: [Double]) -> Double {
        let empty: [Double]? = nil
        var none = empty
        return evaluate(p, samples: 0..<sampleCount, gradient: &none) / Double(sampleCount)
    }

    public func gradient(at p: [Double], into g: inout [Double]) {
        _ = lossAndGradient(at: p, into: &g)
    }

    public func lossAndGradient(at p: [Double], into g: inout [Double]) -> Double {
        meanGradient(at: p, samples: 0..<sampleCount, into: &g)
    }

    public func gradient(at p: [Double], samples: ArraySlice<Int>, into g: inout [Double]) {
        _ = meanGradient(at: p, samples: samples, into: &g)
    }

    /// Writes the mean gradient over `samples` into `g`; returns the mean loss over them.
    private func meanGradient<S: Collection<Int>>(at p: [Double], samples: S, into g: inout [Double]) -> Double {
        var out: [Double]? = g
        let total = evaluate(p, samples: samples, gradient: &out)
        g = out!
        return total / Double(samples.count)
    }

    /// ∇²f, column j the forward-mode derivative of ∇f along the j-th parameter (a Hessian-vector product with
    /// the j-th unit vector), symmetrised; `dimension` passes over the data.
    public func hessian(at p: [Double]) -> [Double] {
        let n = dimension
        var h = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            let column = hessianVectorProduct(at: p, along: (0..<n).map { $0 == j ? 1 : 0 })!
            for i in 0..<n { h[i * n + j] = column[i] }
        }
        for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { let m = (h[i * n + j] + h[j * n + i]) / 2; h[i * n + j] = m; h[j * n + i] = m } }
        return h
    }

    /// ∇²f(θ)·v on all the data, exactly: the tangent of the reverse-mode gradient at θ + εv.
    public func hessianVectorProduct(at p: [Double], along v: [Double]) -> [Double]? {
        let dual = zip(p, v).map { Dual($0, $1) }
        var g: [Dual]? = Array(repeating: Dual(0), count: dimension)
        _ = evaluate(dual, samples: 0..<sampleCount, gradient: &g)
        return g!.map(\.tangent)
    }

    /// The sum of the samples' losses at `p`; with `gradient` given, the mean gradient over `samples` written into it.
    ///
    /// One forward pass per sample (z = b + W·a, summed from the bias in index order), then, for the gradient, one
    /// backward pass accumulating each sample's contribution in sample order; the sums are scaled by 1/count last.
    func evaluate<T: NetworkNumber, S: Collection<Int>>(_ p: [T], samples: S, gradient: inout [T]?) -> T {
        let layers = layers, outputs = sizes.last!, d = data.featureCount, units = unitOffsets.last!
        // Every layer's activations (the input first) and the backward pass's deltas, flat, layer k at unitOffsets[k].
        var a = [T](repeating: T(0), count: units), delta = [T](repeating: T(0), count: units)
        let wantsGradient = gradient != nil
        var g = gradient ?? []
        g.withUnsafeMutableBufferPointer { g in for i in g.indices { g[i] = T(0) } }
        var total = T(0)
        p.withUnsafeBufferPointer { p in
            a.withUnsafeMutableBufferPointer { a in
                delta.withUnsafeMutableBufferPointer { delta in
                    g.withUnsafeMutableBufferPointer { g in
                        data.values.withUnsafeBufferPointer { x in
                            for sample in samples {
                                for j in 0..<d { a[j] = T(x[sample * d + j]) }
                                for k in 0..<layers {
                                    let fanIn = sizes[k], fanOut = sizes[k + 1], w = parameterOffsets[k], b = w + fanOut * fanIn
                                    let input = unitOffsets[k], output = unitOffsets[k + 1]
                                    for i in 0..<fanOut {
                                        var z = p[b + i]
                                        let row = w + i * fanIn
                                        for j in 0..<fanIn { z = z + p[row + j] * a[input + j] }
                                        a[output + i] = k + 1 < layers ? activate(z) : z
                                    }
                                }
                                let top = unitOffsets[layers], target = data.targets[sample]
                                switch lossKind {
                                case .crossEntropy:
                                    let label = Int(target)
                                    var m = a[top]
                                    for k in 1..<outputs where a[top + k].primal > m.primal { m = a[top + k] }
                                    var sum = T(0)
                                    for k in 0..<outputs { sum = sum + (a[top + k] - m).exp() }
                                    total = total + (m + sum.log() - a[top + label])
                                    guard wantsGradient else { continue }
                                    for k in 0..<outputs { delta[top + k] = (a[top + k] - m).exp() / sum - T(k == label ? 1 : 0) }
                                case .mse:
                                    let scale = 1 / Double(outputs)
                                    for k in 0..<outputs {
                                        let r = a[top + k] - T(target)
                                        total = total + r * r * T(scale)
                                        delta[top + k] = r * T(2 * scale)
                                    }
                                    guard wantsGradient else { continue }
                                }
                                for k in stride(from: layers - 1, through: 0, by: -1) {
                                    let fanIn = sizes[k], fanOut = sizes[k + 1], w = parameterOffsets[k], b = w + fanOut * fanIn
                                    let input = unitOffsets[k], output = unitOffsets[k + 1]
                                    for i in 0..<fanOut {
                                        let di = delta[output + i], row = w + i * fanIn
                                        for j in 0..<fanIn { g[row + j] = g[row + j] + di * a[input + j] }
                                        g[b + i] = g[b + i] + di
                                    }
                                    guard k > 0 else { break }
                                    for j in 0..<fanIn {
                                        var back = T(0)
                                        for i in 0..<fanOut { back = back + p[w + i * fanIn + j] * delta[output + i] }
                                        delta[input + j] = back * slope(a[input + j])
                                    }
                                }
                            }
                        }
                        if wantsGradient {
                            let scale = T(1 / Double(samples.count))
                            for i in g.indices { g[i] = g[i] * scale }
                        }
                    }
                }
            }
        }
        if wantsGradient { gradient = g }
        return total
    }

    @inline(__always)
    private func activate<T: NetworkNumber>(_ z: T) -> T {
        switch activation {
        case .tanh: z.tanh()
        case .relu: z.primal > 0 ? z : T(0)
        }
    }

    /// The activation's derivative, from its output a: 1 − a² for tanh; 1 where a > 0 for relu (torch's rule).
    @inline(__always)
    private func slope<T: NetworkNumber>(_ a: T) -> T {
        switch activation {
        case .tanh: T(1) - a * a
        case .relu: T(a.primal > 0 ? 1 : 0)
        }
    }

    public var torchSetup: String { data.torchSetup }

    public var torchSource: String? {
        let act = activation == .tanh ? "torch.tanh" : "torch.relu"
        let loss = lossKind == .crossEntropy ? "torch.nn.functional.cross_entropy(x, y.long())"
            : "torch.nn.functional.mse_loss(x, y.reshape(-1, 1).expand_as(x))"
        return """
                x, y = (X, Y) if batch is None else (X[batch], Y[batch])
                # nn.Sequential of Linear(\(zip(sizes, sizes.dropFirst()).map { "\($0), \($1)" }.joined(separator: "), Linear("))) with \(activation.rawValue) between, its parameters flat in p
                sizes, at = \(sizes), 0
                for k in range(len(sizes) - 1):
                    n_in, n_out = sizes[k], sizes[k + 1]
                    weight = p[at:at + n_out * n_in].view(n_out, n_in)
                    bias = p[at + n_out * n_in:at + n_out * n_in + n_out]
                    at += n_out * n_in + n_out
                    x = torch.nn.functional.linear(x, weight, bias)
                    if k < len(sizes) - 2:
                        x = \(act)(x)
                return \(loss)
            """
    }
}

/// What the network's passes compute with: Double for values and gradients, `Dual` for Hessian-vector products.
protocol NetworkNumber {
    init(_ value: Double)
    var primal: Double { get }
    static func + (a: Self, b: Self) -> Self
    static func - (a: Self, b: Self) -> Self
    static func * (a: Self, b: Self) -> Self
    static func / (a: Self, b: Self) -> Self
    func exp() -> Self
    func log() -> Self
    func tanh() -> Self
}

extension Double: NetworkNumber {
    var primal: Double { self }
    func exp() -> Double { Foundation.exp(self) }
    func log() -> Double { Foundation.log(self) }
    func tanh() -> Double { Foundation.tanh(self) }
}

/// A value and its derivative along one direction (forward mode).
struct Dual: NetworkNumber {
    var value: Double, tangent: Double
    init(_ value: Double) { self.value = value; tangent = 0 }
    init(_ value: Double, _ tangent: Double) { self.value = value; self.tangent = tangent }
    var primal: Double { value }
    static func + (a: Dual, b: Dual) -> Dual { Dual(a.value + b.value, a.tangent + b.tangent) }
    static func - (a: Dual, b: Dual) -> Dual { Dual(a.value - b.value, a.tangent - b.tangent) }
    static func * (a: Dual, b: Dual) -> Dual { Dual(a.value * b.value, a.tangent * b.value + a.value * b.tangent) }
    static func / (a: Dual, b: Dual) -> Dual { Dual(a.value / b.value, (a.tangent * b.value - a.value * b.tangent) / (b.value * b.value)) }
    func exp() -> Dual { let e = Foundation.exp(value); return Dual(e, tangent * e) }
    func log() -> Dual { Dual(Foundation.log(value), tangent / value) }
    func tanh() -> Dual { let t = Foundation.tanh(value); return Dual(t, tangent * (1 - t * t)) }
}

import Foundation
