import Foundation

/// A formula compiled once into a flat list of instructions, each reading results of earlier ones:
/// evaluated forward for f, backward (reverse mode, as autograd) for ∇f, with hyper-dual numbers for ∇²f.
/// No recursion and no allocation per instruction; derivatives are exact (never finite differences), and
/// where a function is not smooth they follow torch: abs′(0) = 0, min/max give the gradient to the chosen
/// argument and half to each on a tie, x^c is specialised for c = 2, 3, ½, −1 as torch's pow is.
public struct CompiledExpression: Sendable, Equatable {
    enum Function: String, Sendable { case sin, cos, tan, asin, acos, atan, sinh, cosh, tanh, exp, log, log1p, sqrt, abs }

    enum Op: Sendable, Equatable {
        case constant(Double)
        case variable(Int)
        case negate(Int)
        case add(Int, Int), subtract(Int, Int), multiply(Int, Int), divide(Int, Int)
        case power(Int, Int)
        case powerConstant(Int, Double)
        case function(Function, Int)
        case minimum(Int, Int), maximum(Int, Int)
    }

    let ops: [Op]
    public let dimension: Int

    init(_ node: ExpressionNode, dimension: Int) {
        var ops: [Op] = []
        func emit(_ node: ExpressionNode) -> Int {
            switch node {
            case .number(let v): ops.append(.constant(v))
            case .variable(let i): ops.append(.variable(i))
            case .unary(_, let a): let x = emit(a); ops.append(.negate(x))
            case let .binary(op, a, b):
                if op == "^", case .number(let c) = b { let x = emit(a); ops.append(.powerConstant(x, c)); break }
                if op == "^", case .unary(_, .number(let c)) = b { let x = emit(a); ops.append(.powerConstant(x, -c)); break }
                let x = emit(a), y = emit(b)
                switch op {
                case "+": ops.append(.add(x, y))
                case "-": ops.append(.subtract(x, y))
                case "*": ops.append(.multiply(x, y))
                case "/": ops.append(.divide(x, y))
                default: ops.append(.power(x, y))
                }
            case let .call(name, args):
                let xs = args.map(emit)
                switch name {
                case "min": ops.append(.minimum(xs[0], xs[1]))
                case "max": ops.append(.maximum(xs[0], xs[1]))
                default: ops.append(.function(Function(rawValue: name)!, xs[0]))
                }
            }
            return ops.count - 1
        }
        _ = emit(node)
        self.ops = ops
        self.dimension = dimension
    }

    /// x^c as torch computes a power with a constant exponent.
    @inline(__always)
    static func power(_ x: Double, _ c: Double) -> Double {
        switch c {
        case 2: x * x
        case 3: x * x * x
        case 0.5: x.squareRoot()
        case -0.5: 1 / x.squareRoot()
        case -1: 1 / x
        case -2: 1 / (x * x)
        case 1: x
        case 0: 1
        default: Foundation.pow(x, c)
        }
    }

    @inline(__always)
    static func apply(_ f: Function, _ x: Double) -> Double {
        switch f {
        case .sin: Foundation.sin(x)
        case .cos: Foundation.cos(x)
        case .tan: Foundation.tan(x)
        case .asin: Foundation.asin(x)
        case .acos: Foundation.acos(x)
        case .atan: Foundation.atan(x)
        case .sinh: Foundation.sinh(x)
        case .cosh: Foundation.cosh(x)
        case .tanh: Foundation.tanh(x)
        case .exp: Foundation.exp(x)
        case .log: Foundation.log(x)
        case .log1p: Foundation.log1p(x)
        case .sqrt: x.squareRoot()
        case .abs: Swift.abs(x)
        }
    }

    /// f′ at x, given y = f(x).
    @inline(__always)
    static func derivative(_ f: Function, _ x: Double, _ y: Double) -> Double {
        switch f {
        case .sin: Foundation.cos(x)
        case .cos: -Foundation.sin(x)
        case .tan: 1 + y * y
        case .asin: 1 / (1 - x * x).squareRoot()
        case .acos: -1 / (1 - x * x).squareRoot()
        case .atan: 1 / (1 + x * x)
        case .sinh: Foundation.cosh(x)
        case .cosh: Foundation.sinh(x)
        case .tanh: 1 - y * y
        case .exp: y
        case .log: 1 / x
        case .log1p: 1 / (1 + x)
        case .sqrt: 1 / (2 * y)
        case .abs: x > 0 ? 1 : (x < 0 ? -1 : 0)
        }
    }

    /// f at `x`, leaving every instruction's value in `values`.
    func forward(_ x: UnsafeBufferPointer<Double>, _ v: UnsafeMutablePointer<Double>) -> Double {
        for (i, op) in ops.enumerated() {
            switch op {
            case .constant(let c): v[i] = c
            case .variable(let k): v[i] = x[k]
            case .negate(let a): v[i] = -v[a]
            case let .add(a, b): v[i] = v[a] + v[b]
            case let .subtract(a, b): v[i] = v[a] - v[b]
            case let .multiply(a, b): v[i] = v[a] * v[b]
            case let .divide(a, b): v[i] = v[a] / v[b]
            case let .power(a, b): v[i] = Foundation.pow(v[a], v[b])
            case let .powerConstant(a, c): v[i] = Self.power(v[a], c)
            case let .function(f, a): v[i] = Self.apply(f, v[a])
            case let .minimum(a, b): v[i] = v[a].isNaN || v[b].isNaN ? .nan : Swift.min(v[a], v[b])
            case let .maximum(a, b): v[i] = v[a].isNaN || v[b].isNaN ? .nan : Swift.max(v[a], v[b])
            }
        }
        return v[ops.count - 1]
    }

    public func value(at x: [Double]) -> Double {
        x.withUnsafeBufferPointer { x in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: ops.count) { v in forward(x, v.baseAddress!) }
        }
    }

    /// Why f is not finite at `x`, in words: the instruction that turned finite operands into the non-finite
    /// value f inherits, found by following a non-finite operand back from the result (so an overflow that a
    /// later step absorbs, as in 1/exp(900), is not blamed). It names a function out of its domain
    /// (`log(-0.5) is undefined`), a pole (`log(0) is -inf`, `1/0 is inf`) or an overflow (`exp(800)
    /// overflows`); nil when f is finite at `x` or θ itself is not.
    public func firstNonFinite(at x: [Double]) -> String? {
        guard x.allSatisfy(\.isFinite), !ops.isEmpty else { return nil }
        var v = [Double](repeating: 0, count: ops.count)
        x.withUnsafeBufferPointer { x in v.withUnsafeMutableBufferPointer { _ = forward(x, $0.baseAddress!) } }
        var i = ops.count - 1
        guard !v[i].isFinite else { return nil }
        while let next = operands(of: ops[i]).first(where: { !v[$0].isFinite }) { i = next }
        let n = NumberFormat.readable
        let text: String
        switch ops[i] {
        case .constant, .variable: return nil
        case .negate(let a): text = "-(\(n(v[a])))"
        case let .add(a, b): text = "\(n(v[a])) + \(n(v[b]))"
        case let .subtract(a, b): text = "\(n(v[a])) - \(n(v[b]))"
        case let .multiply(a, b): text = "\(n(v[a])) * \(n(v[b]))"
        case let .divide(a, b): text = "\(n(v[a]))/\(n(v[b]))"
        case let .power(a, b): text = "(\(n(v[a])))^\(n(v[b]))"
        case let .powerConstant(a, c): text = "(\(n(v[a])))^\(n(c))"
        case let .function(f, a): text = "\(f.rawValue)(\(n(v[a])))"
        case let .minimum(a, b): text = "min(\(n(v[a])), \(n(v[b])))"
        case let .maximum(a, b): text = "max(\(n(v[a])), \(n(v[b])))"
        }
        if v[i].isNaN { return "\(text) is undefined" }
        // A finite result too big for a double is an overflow; a pole is infinite on its own.
        let pole: Bool = switch ops[i] {
        case .divide(_, let b): v[b] == 0
        case .function(.log, let a): v[a] == 0
        case .function(.log1p, let a): v[a] == -1
        case .power(let a, _), .powerConstant(let a, _): v[a] == 0
        default: false
        }
        return pole ? "\(text) is \(v[i] > 0 ? "inf" : "-inf")" : "\(text) overflows"
    }

    /// Why ∇f is not finite at `x` although f is, in words (`the slope of sqrt at 0 is infinite`): the
    /// instruction nearest the result, in the backward pass, whose slope is infinite or undefined at finite
    /// operands while the result depends on it. nil when ∇f is finite, or f or θ is not.
    public func firstNonFiniteGradient(at x: [Double]) -> String? {
        guard x.allSatisfy(\.isFinite), !ops.isEmpty else { return nil }
        var v = [Double](repeating: 0, count: ops.count), d = [Double](repeating: 0, count: ops.count)
        x.withUnsafeBufferPointer { x in v.withUnsafeMutableBufferPointer { _ = forward(x, $0.baseAddress!) } }
        guard v[ops.count - 1].isFinite else { return nil }
        d[ops.count - 1] = 1
        let n = NumberFormat.readable
        for i in stride(from: ops.count - 1, through: 0, by: -1) where d[i].isFinite {
            // The slope of instruction i with respect to each operand, as the backward pass takes it.
            let slopes: [(Int, Double)]
            let name: String
            switch ops[i] {
            case .constant, .variable: continue
            case .negate(let p): slopes = [(p, -1)]; name = "-"
            case let .add(p, q): slopes = [(p, 1), (q, 1)]; name = "+"
            case let .subtract(p, q): slopes = [(p, 1), (q, -1)]; name = "-"
            case let .multiply(p, q): slopes = [(p, v[q]), (q, v[p])]; name = "*"
            case let .divide(p, q): slopes = [(p, 1 / v[q]), (q, -((v[p] / v[q]) / v[q]))]; name = "/"
            case let .power(p, q):
                slopes = [(p, v[q] == 0 ? 0 : v[q] * Foundation.pow(v[p], v[q] - 1)), (q, v[p] == 0 && v[q] >= 0 ? 0 : v[i] * Foundation.log(v[p]))]
                name = "^"
            case let .powerConstant(p, c): slopes = [(p, c == 0 ? 0 : c * Self.power(v[p], c - 1))]; name = "(\(n(v[p])))^\(n(c))"
            case let .function(f, p):
                let slope: Double = switch f {
                case .sqrt: 1 / (2 * v[i])
                case .log: 1 / v[p]
                case .log1p: 1 / (1 + v[p])
                case .atan: 1 / (1 + v[p] * v[p])
                default: Self.derivative(f, v[p], v[i])
                }
                slopes = [(p, slope)]; name = "\(f.rawValue) at \(n(v[p]))"
            case let .minimum(p, q), let .maximum(p, q): slopes = [(p, 0.5), (q, 0.5)]; name = "min/max"
            }
            if let bad = slopes.first(where: { !$0.1.isFinite && v[$0.0].isFinite }) {
                let what = name.count <= 1 ? "'\(name)' at \(n(v[bad.0]))" : name
                return "the slope of \(what) is \(bad.1.isNaN ? "undefined" : "infinite")"
            }
            for (p, slope) in slopes { d[p] += d[i] * slope }
        }
        return nil
    }

    private func operands(of op: Op) -> [Int] {
        switch op {
        case .constant, .variable: []
        case .negate(let a), .powerConstant(let a, _), .function(_, let a): [a]
        case let .add(a, b), let .subtract(a, b), let .multiply(a, b), let .divide(a, b), let .power(a, b),
             let .minimum(a, b), let .maximum(a, b): [a, b]
        }
    }

    /// f and ∇f (reverse mode): one pass forward, one back.
    public func valueAndGradient(at x: UnsafeBufferPointer<Double>, into g: UnsafeMutableBufferPointer<Double>) -> Double {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 2 * ops.count) { buffer in
            let v = buffer.baseAddress!, d = v + ops.count
            let f = forward(x, v)
            for i in 0..<ops.count { d[i] = 0 }
            for k in 0..<dimension { g[k] = 0 }
            d[ops.count - 1] = 1
            for i in stride(from: ops.count - 1, through: 0, by: -1) {
                // A zero adjoint is multiplied on, as autograd does: 0 · inf is NaN (`0*sqrt(x)` at 0), and
                // torch's gradient is NaN there.
                let a = d[i]
                switch ops[i] {
                case .constant: break
                case .variable(let k): g[k] += a
                case .negate(let p): d[p] -= a
                case let .add(p, q): d[p] += a; d[q] += a
                case let .subtract(p, q): d[p] += a; d[q] -= a
                case let .multiply(p, q): d[p] += a * v[q]; d[q] += a * v[p]
                case let .divide(p, q): d[p] += a / v[q]; d[q] += -(a * ((v[p] / v[q]) / v[q]))
                case let .power(p, q):
                    // torch: no gradient to the base where the exponent is 0.
                    if v[q] != 0 { d[p] += a * (v[q] * Foundation.pow(v[p], v[q] - 1)) }
                    // torch: no gradient to the exponent where the base is 0 and the exponent ≥ 0.
                    if !(v[p] == 0 && v[q] >= 0) { d[q] += a * (v[i] * Foundation.log(v[p])) }
                case let .powerConstant(p, c):
                    if c != 0 { d[p] += a * (c * Self.power(v[p], c - 1)) }
                case let .function(fn, p):
                    // As autograd writes them: a quotient where torch divides.
                    switch fn {
                    case .sqrt: d[p] += a / (2 * v[i])
                    case .log: d[p] += a / v[p]
                    case .log1p: d[p] += a / (1 + v[p])
                    case .atan: d[p] += a / (1 + v[p] * v[p])
                    default: d[p] += a * Self.derivative(fn, v[p], v[i])
                    }
                case let .minimum(p, q):
                    if v[p] == v[q] { d[p] += a / 2; d[q] += a / 2 } else if v[p] < v[q] { d[p] += a } else { d[q] += a }
                case let .maximum(p, q):
                    if v[p] == v[q] { d[p] += a / 2; d[q] += a / 2 } else if v[p] > v[q] { d[p] += a } else { d[q] += a }
                }
            }
            return f
        }
    }

    /// ∇²f by hyper-dual numbers: one forward pass per pair (i ≤ j), exact to rounding.
    public func hessian(at x: [Double]) -> [Double] {
        let n = dimension
        var h = [Double](repeating: 0, count: n * n)
        var values = [HyperDual](repeating: HyperDual(0), count: ops.count)
        for i in 0..<n {
            for j in i..<n {
                for (k, op) in ops.enumerated() {
                    values[k] = step(op, values, x, i, j)
                }
                let second = values[ops.count - 1].e12
                h[i * n + j] = second; h[j * n + i] = second
            }
        }
        return h
    }

    private func step(_ op: Op, _ v: [HyperDual], _ x: [Double], _ i: Int, _ j: Int) -> HyperDual {
        switch op {
        case .constant(let c): return HyperDual(c)
        case .variable(let k): return HyperDual(x[k], e1: k == i ? 1 : 0, e2: k == j ? 1 : 0, e12: 0)
        case .negate(let a): return HyperDual(0) - v[a]
        case let .add(a, b): return v[a] + v[b]
        case let .subtract(a, b): return v[a] - v[b]
        case let .multiply(a, b): return v[a] * v[b]
        case let .divide(a, b): return v[a] / v[b]
        case let .power(a, b) where v[b].e1 == 0 && v[b].e2 == 0 && v[b].e12 == 0:
            // An exponent that does not depend on the variables (x^(1+1)): as a constant, so a negative base works.
            let c = v[b].f
            return v[a].map { Self.power($0, c) } d1: { c * Self.power($0, c - 1) } d2: { c * (c - 1) * Self.power($0, c - 2) }
        case let .power(a, b): return (v[b] * v[a].map { Foundation.log($0) } d1: { 1 / $0 } d2: { -1 / ($0 * $0) }).map { Foundation.exp($0) } d1: { Foundation.exp($0) } d2: { Foundation.exp($0) }
        case let .powerConstant(a, c):
            return v[a].map { Self.power($0, c) } d1: { c * Self.power($0, c - 1) } d2: { c * (c - 1) * Self.power($0, c - 2) }
        case let .function(f, a):
            let x = v[a]
            switch f {
            case .sin: return x.map { Foundation.sin($0) } d1: { Foundation.cos($0) } d2: { -Foundation.sin($0) }
            case .cos: return x.map { Foundation.cos($0) } d1: { -Foundation.sin($0) } d2: { -Foundation.cos($0) }
            case .tan: return x.map { Foundation.tan($0) } d1: { let t = Foundation.tan($0); return 1 + t * t } d2: { let t = Foundation.tan($0); return 2 * t * (1 + t * t) }
            case .asin: return x.map { Foundation.asin($0) } d1: { 1 / (1 - $0 * $0).squareRoot() } d2: { $0 / Foundation.pow(1 - $0 * $0, 1.5) }
            case .acos: return x.map { Foundation.acos($0) } d1: { -1 / (1 - $0 * $0).squareRoot() } d2: { -$0 / Foundation.pow(1 - $0 * $0, 1.5) }
            case .atan: return x.map { Foundation.atan($0) } d1: { 1 / (1 + $0 * $0) } d2: { -2 * $0 / ((1 + $0 * $0) * (1 + $0 * $0)) }
            case .sinh: return x.map { Foundation.sinh($0) } d1: { Foundation.cosh($0) } d2: { Foundation.sinh($0) }
            case .cosh: return x.map { Foundation.cosh($0) } d1: { Foundation.sinh($0) } d2: { Foundation.cosh($0) }
            case .tanh: return x.map { Foundation.tanh($0) } d1: { let t = Foundation.tanh($0); return 1 - t * t } d2: { let t = Foundation.tanh($0); return -2 * t * (1 - t * t) }
            case .exp: return x.map { Foundation.exp($0) } d1: { Foundation.exp($0) } d2: { Foundation.exp($0) }
            case .log: return x.map { Foundation.log($0) } d1: { 1 / $0 } d2: { -1 / ($0 * $0) }
            case .log1p: return x.map { Foundation.log1p($0) } d1: { 1 / (1 + $0) } d2: { -1 / ((1 + $0) * (1 + $0)) }
            case .sqrt: return x.map { $0.squareRoot() } d1: { 0.5 / $0.squareRoot() } d2: { -0.25 / ($0 * $0.squareRoot()) }
            case .abs: return x.map { Swift.abs($0) } d1: { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) } d2: { _ in 0 }
            }
        case let .minimum(a, b): return v[a].f <= v[b].f ? v[a] : v[b]
        case let .maximum(a, b): return v[a].f >= v[b].f ? v[a] : v[b]
        }
    }
}

/// f + f₁ε₁ + f₂ε₂ + f₁₂ε₁ε₂ with ε₁² = ε₂² = 0: carries one second derivative exactly.
struct HyperDual: Sendable {
    var f: Double, e1: Double, e2: Double, e12: Double
    init(_ f: Double, e1: Double = 0, e2: Double = 0, e12: Double = 0) { self.f = f; self.e1 = e1; self.e2 = e2; self.e12 = e12 }

    static func + (a: HyperDual, b: HyperDual) -> HyperDual { HyperDual(a.f + b.f, e1: a.e1 + b.e1, e2: a.e2 + b.e2, e12: a.e12 + b.e12) }
    static func - (a: HyperDual, b: HyperDual) -> HyperDual { HyperDual(a.f - b.f, e1: a.e1 - b.e1, e2: a.e2 - b.e2, e12: a.e12 - b.e12) }
    static func * (a: HyperDual, b: HyperDual) -> HyperDual {
        HyperDual(a.f * b.f, e1: a.e1 * b.f + a.f * b.e1, e2: a.e2 * b.f + a.f * b.e2, e12: a.e12 * b.f + a.e1 * b.e2 + a.e2 * b.e1 + a.f * b.e12)
    }
    static func / (a: HyperDual, b: HyperDual) -> HyperDual {
        a * b.map { 1 / $0 } d1: { -1 / ($0 * $0) } d2: { 2 / ($0 * $0 * $0) }
    }
    /// g(self) by the chain rule, from g, g′ and g″ at f.
    func map(_ g: (Double) -> Double, d1: (Double) -> Double, d2: (Double) -> Double) -> HyperDual {
        let g1 = d1(f)
        return HyperDual(g(f), e1: g1 * e1, e2: g1 * e2, e12: g1 * e12 + d2(f) * e1 * e2)
    }
}

extension CompiledExpression {
    /// The instructions as torch code for `descent export --torch`: one assignment a line, each reading the
    /// tensor `p` or earlier lines, ending in `return` of the last (the same operations in the same order).
    var torchSource: String {
        var lines: [String] = []
        func t(_ i: Int) -> String { "t\(i)" }
        func c(_ v: Double) -> String { v.isNaN ? "math.nan" : v.isInfinite ? (v > 0 ? "math.inf" : "-math.inf") : NumberFormat.exact(v) }
        for (k, op) in ops.enumerated() {
            let value: String = switch op {
            case .constant(let v): "torch.tensor(\(c(v)))"
            case .variable(let i): "p[\(i)]"
            case .negate(let a): "-\(t(a))"
            case let .add(a, b): "\(t(a)) + \(t(b))"
            case let .subtract(a, b): "\(t(a)) - \(t(b))"
            case let .multiply(a, b): "\(t(a)) * \(t(b))"
            case let .divide(a, b): "\(t(a)) / \(t(b))"
            case let .power(a, b): "\(t(a)) ** \(t(b))"
            case let .powerConstant(a, e): "\(t(a)) ** \(c(e))"
            case let .function(f, a): "torch.\(f.rawValue)(\(t(a)))"
            case let .minimum(a, b): "torch.minimum(\(t(a)), \(t(b)))"
            case let .maximum(a, b): "torch.maximum(\(t(a)), \(t(b)))"
            }
            lines.append("    \(t(k)) = \(value)")
        }
        lines.append("    return \(t(max(0, ops.count - 1)))")
        return lines.joined(separator: "\n")
    }
}
