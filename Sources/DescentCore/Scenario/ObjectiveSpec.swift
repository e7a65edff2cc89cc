import Foundation

/// The `objective:` mapping of a scenario file, before it is built into an `Objective`.
public struct ObjectiveSpec: Decodable, Equatable, Sendable {
    public var kind: String
    /// Quadratic: the matrix A (n×n, symmetric).
    public var matrix: [[Double]]?
    /// Quadratic, 2-D: the eigenvalues of A.
    public var eigenvalues: [Double]?
    /// Quadratic, 2-D: the rotation of the eigenvectors, in degrees.
    public var angle: Double?
    /// Quadratic: the minimum c (zeros by default).
    public var center: [Double]?
    /// Rosenbrock's `a` (1) and `b` (100).
    public var a: Double?
    public var b: Double?
    /// Rastrigin's `A` (10).
    public var amplitude: Double?
    /// Regression: a CSV path, relative to the scenario file.
    public var data: String?
    /// Regression: generated data instead of a file.
    public var synthetic: SyntheticData?
    /// Regression: minibatch size (all samples by default).
    public var batchSize: Int?
    /// Regression: the seed of the minibatch shuffle (0 by default).
    public var seed: UInt64?
    /// Expression: the formula, its variables' names, its known minima and its view [xmin, xmax, ymin, ymax].
    public var f: String?
    public var variables: [String]?
    public var minima: [[Double]]?
    public var view: [Double]?

    public init(kind: String, matrix: [[Double]]? = nil, eigenvalues: [Double]? = nil, angle: Double? = nil,
                center: [Double]? = nil, a: Double? = nil, b: Double? = nil, amplitude: Double? = nil,
                data: String? = nil, synthetic: SyntheticData? = nil, batchSize: Int? = nil, seed: UInt64? = nil) {
        self.kind = kind; self.matrix = matrix; self.eigenvalues = eigenvalues; self.angle = angle
        self.center = center; self.a = a; self.b = b; self.amplitude = amplitude; self.data = data
        self.synthetic = synthetic; self.batchSize = batchSize; self.seed = seed
    }

    enum Keys: String, CodingKey {
        case kind, A, eigenvalues, angle, center, a, b, data, synthetic
        case batchSize = "batch_size", seed
        case f, variables, minima, view
    }

    /// Every objective kind with the keys it takes and their defaults, for `descent objectives` and errors.
    public static let catalogue: [(kind: String, keys: [String], summary: String)] = [
        ("quadratic", ["A", "eigenvalues", "angle", "center"],
         "½ (θ − c)ᵀ A (θ − c). Give A (n×n, symmetric) or, in 2-D, eigenvalues: [λ1, λ2] and angle (degrees, default 0). center c defaults to zeros. Negative eigenvalues make saddles and hills."),
        ("rosenbrock", ["a", "b"], "Σ (a − θi)² + b (θi+1 − θi²)², a = 1, b = 100 by default; any dimension ≥ 2."),
        ("himmelblau", [], "(x² + y − 11)² + (x + y² − 7)²: four minima. 2-D."),
        ("beale", [], "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²: minimum at (3, 0.5). 2-D."),
        ("rastrigin", ["A"], "A·n + Σ (θi² − A cos 2πθi), A = 10 by default; any dimension."),
        ("linear-regression", ["data", "synthetic", "batch_size", "seed"],
         "mean (xᵀw + b − y)² over the samples; parameters [w1…wd, b]. data: CSV (header; last column the target) or synthetic: {samples, weights, bias, noise, seed}. batch_size (default all) and seed (0) for minibatches."),
        ("expression", ["f", "variables", "minima", "view"],
         "a formula you type: f: \"sin(x)*cos(y) + 0.1*(x^2 + y^2)\". Numbers, the variables, + - * / ^ (power, right-associative, above unary minus: -x^2 is -(x^2)), ( ); sin cos tan asin acos atan sinh cosh tanh exp log log1p sqrt abs, min max; pi, e. variables: [a, b, …] (default x, y in 2-D, x in 1-D, x1…xn), minima: [[…]], view: [xmin, xmax, ymin, ymax]. Exact gradients (reverse mode), never finite differences."),
        ("logistic-regression", ["data", "synthetic", "batch_size", "seed"],
         "mean of log(1 + e^z) − y·z with z = xᵀw + b, labels 0/1; parameters [w1…wd, b]. Data as for linear-regression."),
    ]

    public static var kinds: [String] { catalogue.map(\.kind) }

    /// The most numbers generated data may hold (samples × (features + 1)): 400 MB of Float64, so a typo
    /// like `samples: 1000000000000` is a clear error, not an allocation failure.
    public static let maximumDataValues = 50_000_000
    /// The largest quadratic: 4096² entries are 134 MB, and one step a few tens of milliseconds.
    public static let maximumMatrixDimension = 4096

    /// An objective that needs no data, with what shows it well: default parameters, a start away from the
    /// minima inside the viewport, and hyperparameters that converge visibly from there in `steps`.
    public struct AnalyticDefault: Sendable {
        public let spec: ObjectiveSpec
        public let start: [Double]
        /// Suggested lr and momentum for `update: sgd`, and lr for `update: sign`.
        public let lr: Double, momentum: Double, signLR: Double
        public let steps: Int
    }

    /// What `--objective` without `--start` and the explorer's `o` picker use.
    public static let analyticDefaults: [AnalyticDefault] = [
        AnalyticDefault(spec: ObjectiveSpec(kind: "quadratic", eigenvalues: [1, 25], angle: 30, center: [1, -1]),
                        start: [-3, 2], lr: 0.03, momentum: 0.9, signLR: 0.05, steps: 200),
        AnalyticDefault(spec: ObjectiveSpec(kind: "rosenbrock"), start: [-1.5, 2], lr: 0.001, momentum: 0.9, signLR: 0.01, steps: 1000),
        AnalyticDefault(spec: ObjectiveSpec(kind: "himmelblau"), start: [0, 0], lr: 0.01, momentum: 0.5, signLR: 0.05, steps: 200),
        AnalyticDefault(spec: ObjectiveSpec(kind: "beale"), start: [1, 1.5], lr: 0.001, momentum: 0.9, signLR: 0.01, steps: 1000),
        AnalyticDefault(spec: ObjectiveSpec(kind: "rastrigin"), start: [2.3, -1.7], lr: 0.002, momentum: 0.9, signLR: 0.01, steps: 300),
    ]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        kind = try c.decode(String.self, forKey: .kind)
        guard let entry = Self.catalogue.first(where: { $0.kind == kind }) else {
            throw DecodingError.dataCorruptedError(
                forKey: .kind, in: c,
                debugDescription: "unknown objective '\(kind)' (known: \(Self.kinds.joined(separator: ", ")))")
        }
        try decoder.rejectUnknownKeys(["kind"] + entry.keys)
        if kind == "rastrigin" {
            amplitude = try c.decodeIfPresent(Double.self, forKey: .A)
        } else {
            if c.contains(.A), let read = decoder.userInfo[FastNumber.matrixKey] as? [[Double]] {
                matrix = read
            } else {
                matrix = try c.decodeIfPresent([[FastNumber]].self, forKey: .A)?.map { $0.map(\.value) }
            }
        }
        f = try c.decodeIfPresent(String.self, forKey: .f)
        variables = try c.decodeIfPresent([String].self, forKey: .variables)
        minima = try c.decodeIfPresent([[Double]].self, forKey: .minima)
        view = try c.decodeIfPresent([Double].self, forKey: .view)
        eigenvalues = try c.decodeIfPresent([Double].self, forKey: .eigenvalues)
        angle = try c.decodeIfPresent(Double.self, forKey: .angle)
        center = try c.decodeIfPresent([Double].self, forKey: .center)
        a = try c.decodeIfPresent(Double.self, forKey: .a)
        b = try c.decodeIfPresent(Double.self, forKey: .b)
        data = try c.decodeIfPresent(String.self, forKey: .data)
        synthetic = try c.decodeIfPresent(SyntheticData.self, forKey: .synthetic)
        batchSize = try c.decodeIfPresent(Int.self, forKey: .batchSize)
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed)
    }
}

/// `synthetic: {samples, weights, bias, noise, seed}`: regression data from Descent's seeded generator.
public struct SyntheticData: Decodable, Equatable, Sendable {
    public var samples: Int
    public var weights: [Double]
    public var bias: Double
    public var noise: Double
    public var seed: UInt64

    public init(samples: Int, weights: [Double], bias: Double = 0, noise: Double = 0, seed: UInt64 = 0) {
        self.samples = samples; self.weights = weights; self.bias = bias; self.noise = noise; self.seed = seed
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case samples, weights, bias, noise, seed }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        samples = try c.decode(Int.self, forKey: .samples)
        weights = try c.decode([Double].self, forKey: .weights)
        bias = try c.decodeIfPresent(Double.self, forKey: .bias) ?? 0
        noise = try c.decodeIfPresent(Double.self, forKey: .noise) ?? 0
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0
    }
}

extension ObjectiveSpec {
    /// Builds the objective, checking every field against the start's dimension.
    ///
    /// - Parameters:
    ///   - dimension: the length of `start`.
    ///   - baseDirectory: where relative `data` paths are resolved (the scenario file's folder).
    /// - Throws: `InputError` naming the field under `objective.`.
    public func makeObjective(dimension: Int, baseDirectory: String) throws(InputError) -> any Objective {
        func fail(_ field: String, _ message: String) -> InputError {
            InputError(field: field.isEmpty ? "objective" : "objective.\(field)", message: message)
        }
        func finite(_ values: [Double], _ field: String) throws(InputError) {
            if let bad = values.first(where: { !$0.isFinite }) { throw fail(field, "must be finite, got \(bad)") }
        }
        func needDimension(_ n: Int, _ why: String) throws(InputError) {
            guard dimension == n else {
                throw InputError(field: "start", message: "has \(dimension) numbers; \(why) needs \(n)")
            }
        }
        switch kind {
        case "expression":
            guard let f else { throw fail("f", "is required: the formula, e.g. f: \"(1 - x)^2 + 100*(y - x^2)^2\"") }
            let names = variables ?? ExpressionObjective.defaultNames(dimension)
            guard names.count == dimension else {
                throw fail("variables", "names \(names.count) variables; start has \(dimension) numbers")
            }
            var seen = Set<String>()
            for (i, name) in names.enumerated() {
                guard let first = name.first, first.isLetter || first == "_", name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else {
                    throw fail("variables[\(i)]", "'\(name)' is not a name (letters, digits and _, starting with a letter)")
                }
                if ExpressionParser.unaryFunctions.contains(name) || ExpressionParser.binaryFunctions.contains(name) || ExpressionParser.constants[name] != nil {
                    throw fail("variables[\(i)]", "'\(name)' is a function or a constant")
                }
                if !seen.insert(name).inserted { throw fail("variables[\(i)]", "'\(name)' is named twice") }
            }
            let tree: ExpressionNode
            do { tree = try ExpressionParser.parse(f, variables: names) } catch { throw fail("f", error.description) }
            if let minima {
                for (i, m) in minima.enumerated() where m.count != dimension || !m.allSatisfy(\.isFinite) {
                    throw fail("minima[\(i)]", "must be \(dimension) finite numbers")
                }
            }
            var viewport: Viewport?
            if let view {
                guard view.count == 4, view.allSatisfy(\.isFinite), view[0] < view[1], view[2] < view[3] else {
                    throw fail("view", "must be [xmin, xmax, ymin, ymax] with xmin < xmax and ymin < ymax")
                }
                viewport = Viewport(xMin: view[0], xMax: view[1], yMin: view[2], yMax: view[3])
            }
            return ExpressionObjective(formula: f, compiled: CompiledExpression(tree, dimension: dimension), names: names,
                                       minima: minima ?? [], view: viewport)
        case "quadratic":
            let quadratic: Quadratic
            if let matrix {
                if eigenvalues != nil || angle != nil { throw fail("A", "give either A or eigenvalues/angle, not both") }
                let n = matrix.count
                guard n > 0, matrix.allSatisfy({ $0.count == n }) else { throw fail("A", "must be a square matrix (n lists of n numbers)") }
                guard n <= Self.maximumMatrixDimension else {
                    throw fail("A", "is \(n) × \(n); at most \(Self.maximumMatrixDimension) × \(Self.maximumMatrixDimension)")
                }
                try finite(matrix.flatMap { $0 }, "A")
                for i in 0..<n {
                    for j in 0..<i where abs(matrix[i][j] - matrix[j][i]) > 1e-12 * max(1, abs(matrix[i][j])) {
                        throw fail("A", "must be symmetric: A[\(i)][\(j)] = \(matrix[i][j]) but A[\(j)][\(i)] = \(matrix[j][i])")
                    }
                }
                try needDimension(n, "a \(n)×\(n) A")
                quadratic = Quadratic(matrix: matrix, center: center)
            } else if let eigenvalues {
                guard eigenvalues.count == 2 else { throw fail("eigenvalues", "must be two numbers [λ1, λ2] (for more dimensions give A)") }
                try finite(eigenvalues, "eigenvalues")
                // Degrees past a few turns only lose precision (1e308 degrees in radians is infinite).
                if let angle, !(abs(angle) <= 3600) { throw fail("angle", "must be between -3600 and 3600 degrees, got \(TrajectoryReport.number(angle))") }
                try needDimension(2, "eigenvalues/angle")
                quadratic = Quadratic(eigenvalues: eigenvalues, angleDegrees: angle ?? 0, center: center)
            } else {
                throw fail("", "a quadratic needs A or eigenvalues (with angle)")
            }
            if let center {
                guard center.count == dimension else { throw fail("center", "has \(center.count) numbers; the dimension is \(dimension)") }
                try finite(center, "center")
            }
            return quadratic
        case "rosenbrock":
            guard dimension >= 2 else { throw InputError(field: "start", message: "rosenbrock needs at least 2 numbers, got \(dimension)") }
            try finite([a ?? 1], "a"); try finite([b ?? 100], "b")
            return Rosenbrock(a: a ?? 1, b: b ?? 100, dimension: dimension)
        case "himmelblau":
            try needDimension(2, "himmelblau")
            return Himmelblau()
        case "beale":
            try needDimension(2, "beale")
            return Beale()
        case "rastrigin":
            guard dimension >= 1 else { throw InputError(field: "start", message: "needs at least 1 number") }
            try finite([amplitude ?? 10], "A")
            return Rastrigin(amplitude: amplitude ?? 10, dimension: dimension)
        case "linear-regression", "logistic-regression":
            let logistic = kind == "logistic-regression"
            let table: RegressionData
            switch (data, synthetic) {
            case (let path?, nil):
                let resolved = path.hasPrefix("/") ? path : FilePaths.join(baseDirectory, path)
                // The scenario and its field first, then the data file as the scenario names it, and its line.
                do { table = try RegressionData.csv(contentsOf: resolved) } catch {
                    throw InputError(field: "objective.data", message: "\(path)\(error.line.map { ":\($0)" } ?? ""): \(error.message)")
                }
            case (nil, let spec?):
                guard spec.samples >= 1 else { throw fail("synthetic.samples", "must be at least 1, got \(spec.samples)") }
                guard !spec.weights.isEmpty else { throw fail("synthetic.weights", "needs at least one weight") }
                let columns = spec.weights.count + 1
                guard spec.samples <= Self.maximumDataValues / columns else {
                    throw fail("synthetic.samples", "asks for \(spec.samples) samples of \(columns) numbers; at most \(Self.maximumDataValues) numbers in all (\(Self.maximumDataValues / columns) samples here)")
                }
                try finite(spec.weights, "synthetic.weights")
                try finite([spec.bias], "synthetic.bias")
                try finite([spec.noise], "synthetic.noise")
                table = RegressionData.synthetic(samples: spec.samples, weights: spec.weights, bias: spec.bias,
                                                 noise: spec.noise, seed: spec.seed, logistic: logistic)
            case (.some, .some): throw fail("", "give either data or synthetic, not both")
            case (nil, nil): throw fail("", "a regression needs data: FILE.csv or synthetic: {samples, weights, …}")
            }
            if logistic, let bad = table.targets.firstIndex(where: { $0 != 0 && $0 != 1 }) {
                let row = data.map { "\($0):\(bad + 2): " } ?? ""
                throw InputError(field: data == nil ? "objective.synthetic" : "objective.data",
                                 message: row + "logistic regression needs 0/1 labels in the last column, got \(TrajectoryReport.short(table.targets[bad]))")
            }
            if let batchSize, batchSize < 1 { throw fail("batch_size", "must be at least 1, got \(batchSize)") }
            try needDimension(table.featureCount + 1, "\(table.featureCount) feature weight(s) and a bias")
            return logistic ? LogisticRegression(data: table) : LinearRegression(data: table)
        default:
            throw fail("kind", "unknown objective '\(kind)' (known: \(Self.kinds.joined(separator: ", ")))")
        }
    }
}
