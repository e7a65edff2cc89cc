/// An objective typed as a formula (`kind: expression`), compiled once, with exact derivatives.
public struct ExpressionObjective: Objective {
    public var kind: String { ExpressionKind.name }
    /// The formula as typed.
    public let source: String
    public var formula: String? { source }
    /// The formula as torch code, instruction by instruction (`CompiledExpression.torchSource`).
    public var torchSource: String? { "    # f = \(source.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " "))\n" + compiled.torchSource }
    let compiled: CompiledExpression
    public let parameterNames: [String]
    public let knownMinima: [[Double]]
    let view: Viewport?

    init(formula: String, compiled: CompiledExpression, names: [String], minima: [[Double]], view: Viewport?) {
        self.source = formula; self.compiled = compiled; parameterNames = names; knownMinima = minima; self.view = view
    }

    /// `x, y` in two dimensions, `x` in one, `x1 … xn` otherwise.
    static func defaultNames(_ dimension: Int) -> [String] {
        dimension == 1 ? ["x"] : coordinateNames(dimension)
    }

    public var dimension: Int { compiled.dimension }
    public var explainsGradients: Bool { true }
    /// A typed formula's Hessian takes n(n+1)/2 hyper-dual passes over the formula, so past 128 variables it
    /// would hold the explorer up for seconds.
    public var maximumHessianDimension: Int { 128 }
    /// The longest formula accepted, in characters.
    public static var maximumLength: Int { ExpressionParser.maximumLength }
    public var viewport: Viewport { view ?? Viewport(xMin: -3, xMax: 3, yMin: -3, yMax: 3) }
    public var costPerEvaluation: Int { 4 * compiled.ops.count }

    public func loss(at parameters: [Double]) -> Double { compiled.value(at: parameters) }

    public func gradient(at parameters: [Double], into gradient: inout [Double]) {
        _ = lossAndGradient(at: parameters, into: &gradient)
    }

    public func lossAndGradient(at parameters: [Double], into gradient: inout [Double]) -> Double {
        parameters.withUnsafeBufferPointer { p in gradient.withUnsafeMutableBufferPointer { compiled.valueAndGradient(at: p, into: $0) } }
    }

    public func lossAndGradient(at parameters: UnsafeBufferPointer<Double>, into gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        compiled.valueAndGradient(at: parameters, into: gradient)
    }

    public func hessian(at parameters: [Double]) -> [Double] { compiled.hessian(at: parameters) }

    public func divergenceCause(at parameters: [Double]) -> String? { compiled.firstNonFinite(at: parameters) }

    public func gradientCause(at parameters: [Double]) -> String? { compiled.firstNonFiniteGradient(at: parameters) }
}
