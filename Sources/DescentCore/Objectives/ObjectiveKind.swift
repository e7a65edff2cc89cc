/// One kind of objective, described in one place: the keys a scenario's `objective:` mapping takes for it,
/// what it is in a sentence, how it is built from those keys, what shows it well, and what it can do.
///
/// Every kind lives in its own file under `Objectives/Kinds/` and is listed once, in `ObjectiveRegistry`.
/// Nothing outside the kinds switches on a kind's name or tests an objective's concrete type: commands and
/// widgets ask the kind's traits here, or the built objective's capabilities (`Objective`).
public protocol ObjectiveKind: Sendable {
    /// The `kind:` a scenario names it by (`rosenbrock`).
    static var name: String { get }
    /// One paragraph for `descent objectives`, the explorer's `o` picker and README.
    static var summary: String { get }
    /// The keys of its `objective:` mapping besides `kind`, in the order files are written.
    static var keys: [ObjectiveKey] { get }
    /// What it can do, for commands and widgets to ask instead of its name.
    static var traits: ObjectiveTraits { get }
    /// A setting that shows it well, for objectives that need no data: what `--objective NAME` without
    /// `--start` and the explorer's `o` picker use. Nil when it needs data or a formula.
    static var example: ObjectiveExample? { get }
    /// The start `--objective NAME` uses when `--start` is left out, for these keys; nil when the user must say.
    static func defaultStart(for spec: ObjectiveSpec) -> [Double]?
    /// Builds the objective from `spec` (whose keys are this kind's), checking every value against the
    /// start's `dimension`; relative file paths are resolved in `baseDirectory`.
    ///
    /// - Throws: `InputError` naming the field under `objective.` (or `start`).
    static func build(_ spec: ObjectiveSpec, dimension: Int, baseDirectory: String) throws(InputError) -> any Objective
}

extension ObjectiveKind {
    public static var example: ObjectiveExample? { nil }
    public static func defaultStart(for spec: ObjectiveSpec) -> [Double]? { example?.start }
    /// A spec of this kind with no keys given (every default).
    public static var plainSpec: ObjectiveSpec { ObjectiveSpec(kind: name) }
}

/// What an objective kind can do, as properties commands and widgets ask.
public struct ObjectiveTraits: Sendable, Equatable {
    /// How many parameters it takes, in words (`2`, `any ≥ 2`, `one per feature and a bias`).
    public var dimensions: String
    /// Whether its global minimum is known (drawn, and measured in `ends_near` checks).
    public var knownMinimum: Bool
    /// Whether ∇²f is analytic (the theory panel, `analyze`, the map's stability edge).
    public var exactHessian: Bool = true
    /// A mean over data samples: minibatches, a `batch_size` and a shuffle `seed`, axes of unlike quantities.
    public var dataDriven: Bool = false
    /// A formula the user types (`--objective 'f=…'`, the explorer's F editor).
    public var typedFormula: Bool = false
    /// A scenario may leave `start` out: the built objective gives one (`Objective.defaultStart`, a network's
    /// seeded initialisation, which depends on its data).
    public var startMayBeOmitted: Bool = false

    public init(dimensions: String, knownMinimum: Bool, exactHessian: Bool = true, dataDriven: Bool = false,
                typedFormula: Bool = false, startMayBeOmitted: Bool = false) {
        self.dimensions = dimensions; self.knownMinimum = knownMinimum; self.exactHessian = exactHessian
        self.dataDriven = dataDriven; self.typedFormula = typedFormula; self.startMayBeOmitted = startMayBeOmitted
    }
}

/// An objective with what shows it well: default keys, a start away from the minima inside the viewport,
/// and hyperparameters that converge visibly from there in `steps`.
public struct ObjectiveExample: Sendable {
    public let spec: ObjectiveSpec
    public let start: [Double]
    /// Suggested lr and momentum for `update: sgd`, and lr for `update: sign`.
    public let lr: Double, momentum: Double, signLR: Double
    public let steps: Int

    public init(spec: ObjectiveSpec, start: [Double], lr: Double, momentum: Double, signLR: Double, steps: Int) {
        self.spec = spec; self.start = start; self.lr = lr; self.momentum = momentum; self.signLR = signLR; self.steps = steps
    }
}

/// One key of an `objective:` mapping: its name, the kind of value it holds, and its help.
public struct ObjectiveKey: Sendable {
    public let name: String
    public let type: ObjectiveValue.Kind
    public let help: String
    /// The command-line flags that set it (`--batch-size`); none when only a file can.
    public let flags: [String]

    public init(_ name: String, _ type: ObjectiveValue.Kind, help: String, flags: [String]? = nil) {
        self.name = name; self.type = type; self.help = help
        self.flags = flags ?? ["--" + name.replacingOccurrences(of: "_", with: "-")]
    }
}

/// A value of an `objective:` key, as the file gives it.
public enum ObjectiveValue: Equatable, Sendable {
    case number(Double)
    case numbers([Double])
    case matrix([[Double]])
    case text(String)
    /// A file path, relative to the scenario file's folder unless absolute.
    case path(String)
    case names([String])
    case count(Int)
    case seed(UInt64)
    case synthetic(SyntheticData)

    /// The kinds of value a key may hold.
    public enum Kind: Sendable, Hashable {
        /// `matrix` is read as Descent reads a big A (plain decimals fast, and a quoted number too); `points`
        /// are a few points, each a list of numbers, read strictly.
        case number, numbers, matrix, points, text, path, names, count, seed, synthetic

        /// What a file must give, in words, for messages (`a list of numbers`).
        public var expected: String {
            switch self {
            case .number: "a number"
            case .numbers: "a list of numbers"
            case .matrix, .points: "a list of lists of numbers"
            case .text, .path: "text"
            case .names: "a list of names"
            case .count, .seed: "a whole number"
            case .synthetic: "a mapping {samples, weights, bias, noise, seed}"
            }
        }
    }
}
