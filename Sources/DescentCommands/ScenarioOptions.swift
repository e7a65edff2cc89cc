import ArgumentParser
import DescentCore
import Foundation

/// A scenario from a file, or built from flags for a quick experiment; shared by `run`, the explorer and `snapshot`.
struct ScenarioOptions: ParsableArguments {
    @Argument(help: "A scenario file (YAML or JSON).", completion: .file(extensions: ["yaml", "yml", "json"]))
    var file: String?

    @Option(help: "Objective kind, for a run without a file (see `descent objectives`), or a formula: 'f=(1-x)^2 + 100*(y-x^2)^2'.")
    var objective: String?
    @Option(parsing: .unconditional, help: "Start point, comma-separated (-1.5,2).")
    var start: String?
    @Option(parsing: .unconditional, help: "Steps per run.", transform: whole)
    var steps: Int?

    @OptionGroup var hyperparameters: HyperparameterOptions

    @Option(name: .customLong("A"), parsing: .unconditional, help: "quadratic: the matrix A as rows split by ';' (\"4,1;1,3\"); rastrigin: the amplitude A.")
    var matrixOrAmplitude: String?
    @Option(parsing: .unconditional, help: "quadratic (2-D): eigenvalues λ1,λ2.") var eigenvalues: String?
    @Option(parsing: .unconditional, help: "quadratic (2-D): rotation angle in degrees.") var angle: Double?
    @Option(parsing: .unconditional, help: "quadratic: the center c, comma-separated.") var center: String?
    @Option(name: .customLong("a"), parsing: .unconditional, help: "rosenbrock: a (default 1).") var rosenbrockA: Double?
    @Option(name: .customLong("b"), parsing: .unconditional, help: "rosenbrock: b (default 100).") var rosenbrockB: Double?
    @Option(help: "regression: a CSV file (header row; last column the target).") var data: String?
    @Option(parsing: .unconditional, help: "regression: synthetic sample count.", transform: whole) var samples: Int?
    @Option(parsing: .unconditional, help: "regression: synthetic true weights, comma-separated.") var weights: String?
    @Option(parsing: .unconditional, help: "regression: synthetic true bias.") var bias: Double?
    @Option(parsing: .unconditional, help: "regression: synthetic noise standard deviation.") var noise: Double?
    @Option(name: .customLong("data-seed"), parsing: .unconditional, help: "regression: seed of the synthetic data.", transform: whole) var dataSeed: UInt64?
    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "regression: minibatch size (default: all samples).", transform: whole) var batchSize: Int?
    @Option(parsing: .unconditional, help: "regression: seed of the minibatch shuffle.", transform: whole) var seed: UInt64?
    @Option(parsing: .unconditional, help: "mlp: two moons with this many samples instead of --data.", transform: whole) var moons: Int?
    @Option(name: .customLong("moons-noise"), parsing: .unconditional, help: "mlp: the moons' noise (default 0.1).") var moonsNoise: Double?
    @Option(name: .customLong("moons-seed"), parsing: .unconditional, help: "mlp: the seed of the moons' noise.", transform: whole) var moonsSeed: UInt64?
    @Option(parsing: .unconditional, help: "mlp: the hidden layers' widths, comma-separated (default 8).") var hidden: String?
    @Option(help: "mlp: tanh (default) or relu.") var activation: String?
    @Option(help: "mlp: cross_entropy (default) or mse.") var loss: String?
    @Option(name: .customLong("init-seed"), parsing: .unconditional, help: "mlp: the seed of the default start (torch's nn.Linear distribution).", transform: whole) var initSeed: UInt64?

    /// A whole number of `T`'s range, or what was expected (a negative seed was "Missing value": the parser took
    /// `-1` for a flag).
    static func whole<T: FixedWidthInteger>(_ text: String) throws -> T {
        guard let value = T(text) else {
            if text.hasPrefix("--") { throw ValidationError("the value is missing (the next argument is a flag)") }
            throw ValidationError(T.isSigned ? "expected a whole number" : "expected a whole number from 0 to \(T.max)")
        }
        return value
    }

    private var hyperparameterFlagsGiven: Bool { !hyperparameters.given.isEmpty }

    /// Every objective flag with its value as given, or nil: what `ObjectiveKey.flags` name.
    private var objectiveFlagValues: [(flag: String, text: String?)] {
        [("--A", matrixOrAmplitude), ("--eigenvalues", eigenvalues), ("--angle", angle.map { "\($0)" }), ("--center", center),
         ("--a", rosenbrockA.map { "\($0)" }), ("--b", rosenbrockB.map { "\($0)" }), ("--data", data),
         ("--samples", samples.map { "\($0)" }), ("--weights", weights), ("--bias", bias.map { "\($0)" }),
         ("--noise", noise.map { "\($0)" }), ("--data-seed", dataSeed.map { "\($0)" }),
         ("--batch-size", batchSize.map { "\($0)" }), ("--seed", seed.map { "\($0)" }),
         ("--moons", moons.map { "\($0)" }), ("--moons-noise", moonsNoise.map { "\($0)" }), ("--moons-seed", moonsSeed.map { "\($0)" }),
         ("--hidden", hidden), ("--activation", activation), ("--loss", loss), ("--init-seed", initSeed.map { "\($0)" })]
    }

    /// The objective flags given.
    private var objectiveFlags: [String] { objectiveFlagValues.filter { $0.text != nil }.map(\.flag) }

    private var objectiveFlagsGiven: Bool { !objectiveFlags.isEmpty || start != nil }

    /// The scenario these options name, built and checked; nil when neither a file nor `--objective` is given.
    ///
    /// - Parameter orBuiltIn: with neither, the built-in scenario with `--steps` and the hyperparameter
    ///   flags applied (what the explorer and `snapshot` open).
    func experiment(orBuiltIn: Bool = false) throws(InputError) -> Experiment? {
        try checkSteps()
        // An option that takes its value unconditionally (for negative numbers) swallows the next flag when
        // its own value is left out (`--start= --lr 1e-3`): say so rather than what follows from it.
        for (flag, value) in [("--start", start), ("--A", matrixOrAmplitude), ("--eigenvalues", eigenvalues), ("--center", center), ("--weights", weights)] {
            if let value, value.hasPrefix("--") {
                throw InputError(field: flag, message: "needs a value, got the flag '\(value)' (write \(flag)=-1.5,2 or \(flag) -1.5,2)")
            }
        }
        if let objective, !objective.hasPrefix("f="), ObjectiveRegistry.kind(named: objective) == nil {
            throw InputError(field: "--objective", message: "unknown objective '\(objective)' (known: \(ObjectiveRegistry.names.joined(separator: ", ")); or a formula, 'f=x^2 + y^2')")
        }
        // A flag the objective has no use for would be silently ignored: a typo'd experiment.
        if let objective, let descriptor = Self.descriptor(objective) {
            let keys = descriptor.keys.filter { !$0.flags.isEmpty }
            if let unused = objectiveFlags.first(where: { flag in !keys.contains { $0.flags.contains(flag) } }) {
                let what = descriptor.traits.typedFormula ? "a typed formula" : descriptor.name
                throw InputError(field: unused, message: "is not a parameter of \(what)"
                                 + (keys.isEmpty ? ", which has none" : " (its flags: \(keys.map { $0.flags.joined(separator: "/") }.joined(separator: ", ")))"))
            }
        }
        if let file {
            if objective != nil || objectiveFlagsGiven {
                let flag = objective != nil ? "--objective" : start != nil ? "--start" : objectiveFlags.first ?? "--objective"
                throw InputError(field: flag, message: "sets the objective, which the scenario file \(file) gives: edit the file's objective, or leave out the file")
            }
            guard steps != nil || hyperparameterFlagsGiven else { return try Experiment.load(contentsOf: file) }
            do {
                return try Experiment.load(contentsOf: file) { scenario throws(InputError) in flagsApplied(to: scenario) }
            } catch {
                // A value a flag set over every run is the flag's: `runs[2].lr` → `--lr`, whichever run refused it.
                if let field = error.field, let flag = flagSetting(field) {
                    throw InputError(field: flag, message: error.message)
                }
                throw error
            }
        }
        guard let objective else {
            if orBuiltIn && !objectiveFlagsGiven {
                do { return try Experiment(scenario: flagsApplied(to: .builtInDefault)) } catch { throw error.namingFlags() }
            }
            if objectiveFlagsGiven || hyperparameters.lr != nil {
                throw InputError(field: "--objective", message: "is needed when no scenario file is given (see `descent objectives`)")
            }
            return nil
        }
        do {
            return try Experiment(scenario: flagScenario(kind: objective))
        } catch {
            throw error.namingFlags()
        }
    }

    /// The hyperparameter flag given that set `field` (`runs[2].momentum` → `--momentum`), if one did.
    private func flagSetting(_ field: String) -> String? {
        guard field.hasPrefix("runs["), let dot = field.firstIndex(of: ".") else { return nil }
        let key = field[field.index(after: dot)...]
        return hyperparameters.given.values.keys.first { $0.name == key }?.flag
    }

    /// `--steps` in range, named as the flag.
    func checkSteps() throws(InputError) {
        if let steps, !(0...Experiment.maximumSteps).contains(steps) {
            throw InputError(field: "--steps", message: "must be between 0 and \(Experiment.maximumSteps), got \(steps)")
        }
    }

    /// `--steps` and the hyperparameter flags applied over a scenario's own values.
    private func flagsApplied(to scenario: Scenario) -> Scenario {
        var scenario = scenario
        if let steps {
            scenario.steps = steps
            // A lesson's beats past the steps asked for are never reached (nor their sets made).
            if var lesson = scenario.lesson {
                lesson.beats = lesson.beats.filter { $0.at <= steps }
                scenario.lesson = lesson.beats.isEmpty ? nil : lesson
            }
        }
        for index in scenario.runs.indices {
            scenario.runs[index].hyperparameters = overriding(scenario.runs[index].hyperparameters)
        }
        return scenario
    }

    /// Hyperparameter flags applied over a file's run (torch's defaults for a run from flags).
    private func overriding(_ base: SGDHyperparameters) -> SGDHyperparameters {
        hyperparameters.given.applied(to: base)
    }

    private func flagScenario(kind given: String) throws(InputError) -> Scenario {
        guard let lr = hyperparameters.lr else { throw InputError(field: "--lr", message: "is required") }
        // `--objective 'f=…'` is a typed formula; its dimension is --start's (2 without it).
        let formula = given.hasPrefix("f=") ? String(given.dropFirst(2)) : nil
        guard let descriptor = Self.descriptor(given) else {
            throw InputError(field: "--objective", message: "unknown objective '\(given)'")
        }
        let kind = descriptor.name
        var spec = formula.map { ExpressionKind.spec(formula: $0) } ?? ObjectiveSpec(kind: kind)
        let texts = Dictionary(objectiveFlagValues.compactMap { f in f.text.map { (f.flag, $0) } }, uniquingKeysWith: { a, _ in a })
        for key in descriptor.keys {
            if key.type == .synthetic {
                guard samples != nil || weights != nil else { continue }
                guard let samples, let weights = try list(weights, "--weights") else {
                    throw InputError(field: "--samples", message: "synthetic data needs both --samples and --weights")
                }
                spec[key.name] = .synthetic(SyntheticData(samples: samples, weights: weights, bias: bias ?? 0, noise: noise ?? 0, seed: dataSeed ?? 0))
                continue
            }
            guard let flag = key.flags.first, let text = texts[flag] else { continue }
            spec[key.name] = try value(text, of: key.type, flag: flag, kind: kind)
        }
        let startPoint: [Double]
        if let given = try list(start, "--start") { startPoint = given } else if descriptor.traits.startMayBeOmitted {
            startPoint = []  // the objective's own (`Experiment`)
        } else {
            guard let start = descriptor.defaultStart(for: spec) else {
                throw InputError(field: "--start", message: "is needed for \(kind): \(descriptor.traits.dimensions)")
            }
            startPoint = start
        }
        let h = overriding(SGDHyperparameters(lr: lr))
        let label = [hyperparameters.momentum != nil ? (h.nesterov ? "nesterov" : "momentum") : nil, h.update == .sign ? "sign" : nil]
            .compactMap { $0 }.joined(separator: " ")
        return Scenario(
            name: formula.map { "f = \($0)" } ?? "\(kind) from the command line", objective: spec, start: startPoint,
            steps: steps ?? Scenario.defaultSteps,
            runs: [RunSpec(label: label.isEmpty ? "sgd" : label,
                           hyperparameters: overriding(SGDHyperparameters(lr: lr)))])
    }

    /// The kind `--objective` names: a kind's name, or a formula (`f=…`).
    private static func descriptor(_ given: String) -> (any ObjectiveKind.Type)? {
        given.hasPrefix("f=") ? ObjectiveRegistry.typedFormula : ObjectiveRegistry.kind(named: given)
    }

    /// A flag's text as a value of `type`: lists are comma-separated, a matrix's rows split by ';'.
    private func value(_ text: String, of type: ObjectiveValue.Kind, flag: String, kind: String) throws(InputError) -> ObjectiveValue {
        switch type {
        case .number:
            guard let number = Double(text) else { throw InputError(field: flag, message: "must be a number for \(kind), got '\(text)'") }
            return .number(number)
        case .numbers: return .numbers(try list(text, flag) ?? [])
        case .matrix, .points:
            var rows: [[Double]] = []
            for row in text.split(separator: ";") { rows.append(try list(String(row), flag) ?? []) }
            return .matrix(rows)
        case .text: return .text(text)
        case .path: return .path(text)
        case .names: return .names(text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        case .count:
            guard let n = Int(text) else { throw InputError(field: flag, message: "expected a whole number") }
            return .count(n)
        case .seed:
            guard let n = UInt64(text) else { throw InputError(field: flag, message: "expected a whole number from 0 to \(UInt64.max)") }
            return .seed(n)
        case .synthetic: throw InputError(field: flag, message: "is set by --samples, --weights, --bias, --noise and --data-seed")
        }
    }

    private func list(_ text: String?, _ flag: String) throws(InputError) -> [Double]? {
        guard let text else { return nil }
        var values: [Double] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let trimmed = part.trimmingCharacters(in: .whitespaces)
            guard let value = Double(trimmed) else {
                throw InputError(field: flag, message: "'\(trimmed)' is not a number (give numbers separated by commas)")
            }
            values.append(value)
        }
        return values
    }
}

extension InputError {
    /// Names the flag, not the scenario field, for a scenario built from flags (`runs[0].lr` → `--lr`).
    func namingFlags() -> InputError {
        guard let field else { return self }
        var copy = self
        for prefix in ["runs[0].", "objective."] where field.hasPrefix(prefix) {
            let key = String(field.dropFirst(prefix.count)).replacingOccurrences(of: "_", with: "-")
            copy.field = "--" + (key.split(separator: ".").first.map(String.init) ?? key)
        }
        if field == "start" || field == "objective" || field == "steps" { copy.field = "--" + field }
        if field == "objective.kind" { copy.field = "--objective" }
        // Synthetic data comes from --samples, --weights, --bias, --noise and --data-seed.
        if field.hasPrefix("objective.synthetic.") {
            let key = String(field.dropFirst("objective.synthetic.".count))
            copy.field = key == "seed" ? "--data-seed" : "--" + key
        }
        // A typed formula came in --objective 'f=…'; its columns count from the formula's first character.
        if field == "objective.f" || field == "objective.variables" { copy.field = "--objective" }
        return copy
    }
}
