/// `kind: expression`: a formula the user types, compiled once, with exact derivatives.
public enum ExpressionKind: ObjectiveKind {
    public static let name = "expression"
    public static let summary = "a formula you type: f: \"sin(x)*cos(y) + 0.1*(x^2 + y^2)\". Numbers, the variables, + - * / ^ (power, right-associative, above unary minus: -x^2 is -(x^2)), ( ); sin cos tan asin acos atan sinh cosh tanh exp log log1p sqrt abs, min max; pi, e. variables: [a, b, …] (default x, y in 2-D, x in 1-D, x1…xn), minima: [[…]], view: [xmin, xmax, ymin, ymax]. Exact gradients (reverse mode), never finite differences."
    public static let keys = [
        ObjectiveKey("f", .text, help: "the formula", flags: []),
        ObjectiveKey("variables", .names, help: "the variables' names (default x, y in 2-D, x in 1-D, x1…xn)", flags: []),
        ObjectiveKey("minima", .points, help: "known minima, to draw and to check against", flags: []),
        ObjectiveKey("view", .numbers, help: "the window [xmin, xmax, ymin, ymax]", flags: []),
    ]
    public static let traits = ObjectiveTraits(dimensions: "the start's (its variables')", knownMinimum: false, typedFormula: true)

    /// A formula in 2-D starts at (1, 1) unless told.
    public static func defaultStart(for spec: ObjectiveSpec) -> [Double]? { [1, 1] }

    /// The spec of a typed formula.
    public static func spec(formula: String, variables: [String]? = nil) -> ObjectiveSpec {
        var spec = ObjectiveSpec(kind: name, ["f": .text(formula)])
        spec["variables"] = variables.map(ObjectiveValue.names)
        return spec
    }

    public static func build(_ spec: ObjectiveSpec, dimension: Int, baseDirectory: String) throws(InputError) -> any Objective {
        typealias C = ObjectiveChecks
        guard let f = spec.text("f") else { throw C.fail("f", "is required: the formula, e.g. f: \"(1 - x)^2 + 100*(y - x^2)^2\"") }
        let names = spec.names("variables") ?? ExpressionObjective.defaultNames(dimension)
        guard names.count == dimension else {
            throw C.fail("variables", "names \(names.count) variables; start has \(dimension) numbers")
        }
        var seen = Set<String>()
        for (i, name) in names.enumerated() {
            guard let first = name.first, first.isLetter || first == "_", name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                throw C.fail("variables[\(i)]", "'\(name)' is not a name (letters, digits and _, starting with a letter)")
            }
            if ExpressionParser.unaryFunctions.contains(name) || ExpressionParser.binaryFunctions.contains(name) || ExpressionParser.constants[name] != nil {
                throw C.fail("variables[\(i)]", "'\(name)' is a function or a constant")
            }
            if !seen.insert(name).inserted { throw C.fail("variables[\(i)]", "'\(name)' is named twice") }
        }
        let tree: ExpressionNode
        do { tree = try ExpressionParser.parse(f, variables: names) } catch { throw C.fail("f", error.description) }
        let minima = spec.matrix("minima")
        if let minima {
            for (i, m) in minima.enumerated() where m.count != dimension || !m.allSatisfy(\.isFinite) {
                throw C.fail("minima[\(i)]", "must be \(dimension) finite numbers")
            }
        }
        var viewport: Viewport?
        if let view = spec.numbers("view") {
            guard view.count == 4, view.allSatisfy(\.isFinite), view[0] < view[1], view[2] < view[3] else {
                throw C.fail("view", "must be [xmin, xmax, ymin, ymax] with xmin < xmax and ymin < ymax")
            }
            viewport = Viewport(xMin: view[0], xMax: view[1], yMin: view[2], yMax: view[3])
        }
        return ExpressionObjective(formula: f, compiled: CompiledExpression(tree, dimension: dimension), names: names,
                                   minima: minima ?? [], view: viewport)
    }
}
