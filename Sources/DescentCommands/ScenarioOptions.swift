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

    @Option(parsing: .unconditional, help: "Learning rate.") var lr: Double?
    @Option(parsing: .unconditional, help: "Momentum factor.") var momentum: Double?
    @Option(parsing: .unconditional, help: "Dampening for momentum.") var dampening: Double?
    @Option(name: .customLong("weight-decay"), parsing: .unconditional, help: "Weight decay (L2 penalty), torch's weight_decay.") var weightDecay: Double?
    @Flag(help: "Use Nesterov momentum.") var nesterov = false
    @Flag(help: "Maximize the objective instead of minimizing.") var maximize = false
    @Option(help: "Update rule: sgd or sign (AutoRound's SignSGD).") var update: String?

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

    /// A whole number of `T`'s range, or what was expected (a negative seed was "Missing value": the parser took
    /// `-1` for a flag).
    static func whole<T: FixedWidthInteger>(_ text: String) throws -> T {
        guard let value = T(text) else {
            if text.hasPrefix("--") { throw ValidationError("the value is missing (the next argument is a flag)") }
            throw ValidationError(T.isSigned ? "expected a whole number" : "expected a whole number from 0 to \(T.max)")
        }
        return value
    }

    private var hyperparameterFlagsGiven: Bool {
        lr != nil || momentum != nil || dampening != nil || weightDecay != nil || nesterov || maximize || update != nil
    }

    /// The objective flags given, each with the scenario key it sets (`--samples` sets `synthetic`).
    private var objectiveFlags: [(flag: String, key: String)] {
        var given: [(String, String)] = []
        if matrixOrAmplitude != nil { given.append(("--A", "A")) }
        if eigenvalues != nil { given.append(("--eigenvalues", "eigenvalues")) }
        if angle != nil { given.append(("--angle", "angle")) }
        if center != nil { given.append(("--center", "center")) }
        if rosenbrockA != nil { given.append(("--a", "a")) }
        if rosenbrockB != nil { given.append(("--b", "b")) }
        if data != nil { given.append(("--data", "data")) }
        for (flag, value) in [("--samples", samples as Any?), ("--weights", weights), ("--bias", bias), ("--noise", noise), ("--data-seed", dataSeed)]
        where value != nil { given.append((flag, "synthetic")) }
        if batchSize != nil { given.append(("--batch-size", "batch_size")) }
        if seed != nil { given.append(("--seed", "seed")) }
        return given
    }

    private var objectiveFlagsGiven: Bool {
        matrixOrAmplitude != nil || eigenvalues != nil || angle != nil || center != nil || rosenbrockA != nil
            || rosenbrockB != nil || data != nil || samples != nil || weights != nil || bias != nil || noise != nil
            || dataSeed != nil || batchSize != nil || seed != nil || start != nil
    }

    /// The scenario these options name, built and checked; nil when neither a file nor `--objective` is given.
    ///
    /// - Parameter orBuiltIn: with neither, the built-in scenario with `--steps` and the hyperparameter
    ///   flags applied (what the explorer and `snapshot` open).
    func experiment(orBuiltIn: Bool = false) throws(InputError) -> Experiment? {
        if let update, UpdateRule(rawValue: update) == nil {
            throw InputError(field: "--update", message: "must be sgd or sign, got '\(update)'")
        }
        try checkSteps()
        // An option that takes its value unconditionally (for negative numbers) swallows the next flag when
        // its own value is left out (`--start= --lr 1e-3`): say so rather than what follows from it.
        for (flag, value) in [("--start", start), ("--A", matrixOrAmplitude), ("--eigenvalues", eigenvalues), ("--center", center), ("--weights", weights)] {
            if let value, value.hasPrefix("--") {
                throw InputError(field: flag, message: "needs a value, got the flag '\(value)' (write \(flag)=-1.5,2 or \(flag) -1.5,2)")
            }
        }
        if let objective, !objective.hasPrefix("f="), !ObjectiveSpec.kinds.contains(objective) {
            throw InputError(field: "--objective", message: "unknown objective '\(objective)' (known: \(ObjectiveSpec.kinds.joined(separator: ", ")); or a formula, 'f=x^2 + y^2')")
        }
        // A flag the objective has no use for would be silently ignored: a typo'd experiment.
        if let objective {
            let kind = objective.hasPrefix("f=") ? "expression" : objective
            let flagKeys: Set<String> = ["A", "eigenvalues", "angle", "center", "a", "b", "data", "synthetic", "batch_size", "seed"]
            let keys = (ObjectiveSpec.catalogue.first { $0.kind == kind }?.keys ?? []).filter(flagKeys.contains)
            if let unused = objectiveFlags.first(where: { !keys.contains($0.key) }) {
                throw InputError(field: unused.flag, message: "is not a parameter of \(kind == "expression" ? "a typed formula" : kind)"
                                 + (keys.isEmpty ? ", which has none" : " (its flags: \(keys.map { Self.flag(for: $0) }.joined(separator: ", ")))"))
            }
        }
        if let file {
            if objective != nil || objectiveFlagsGiven {
                let flag = objective != nil ? "--objective" : start != nil ? "--start" : objectiveFlags.first?.flag ?? "--objective"
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
            if objectiveFlagsGiven || lr != nil {
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
        let given: [(String, Bool)] = [("lr", lr != nil), ("momentum", momentum != nil), ("dampening", dampening != nil),
                                       ("weight_decay", weightDecay != nil), ("nesterov", nesterov), ("maximize", maximize)]
        guard let match = given.first(where: { $0.0 == key && $0.1 }) else { return nil }
        return "--" + match.0.replacingOccurrences(of: "_", with: "-")
    }

    /// The flag that sets a scenario key.
    static func flag(for key: String) -> String {
        switch key {
        case "synthetic": "--samples/--weights/--bias/--noise/--data-seed"
        case "batch_size": "--batch-size"
        default: "--" + key
        }
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
        if let steps { scenario.steps = steps }
        for index in scenario.runs.indices {
            scenario.runs[index].hyperparameters = overriding(scenario.runs[index].hyperparameters)
        }
        return scenario
    }

    /// Hyperparameter flags applied over a file's run (torch's defaults for a run from flags).
    private func overriding(_ base: SGDHyperparameters) -> SGDHyperparameters {
        var patch = HyperparameterPatch()
        patch.lr = lr; patch.momentum = momentum; patch.dampening = dampening; patch.weightDecay = weightDecay
        patch.nesterov = nesterov ? true : nil
        patch.maximize = maximize ? true : nil
        patch.update = update.flatMap(UpdateRule.init(rawValue:))
        return patch.applied(to: base)
    }

    private func flagScenario(kind given: String) throws(InputError) -> Scenario {
        guard let lr else { throw InputError(field: "--lr", message: "is required") }
        // `--objective 'f=…'` is a typed formula; its dimension is --start's (2 without it).
        var formula: String?
        var kind = given
        if given.hasPrefix("f=") { formula = String(given.dropFirst(2)); kind = "expression" }
        var spec = ObjectiveSpec(kind: kind, eigenvalues: try list(eigenvalues, "--eigenvalues"), angle: angle,
                                 center: try list(center, "--center"), a: rosenbrockA, b: rosenbrockB,
                                 data: data, batchSize: batchSize, seed: seed)
        if let matrixOrAmplitude {
            if kind == "rastrigin" {
                guard let amplitude = Double(matrixOrAmplitude) else {
                    throw InputError(field: "--A", message: "must be a number for rastrigin, got '\(matrixOrAmplitude)'")
                }
                spec.amplitude = amplitude
            } else {
                var rows: [[Double]] = []
                for row in matrixOrAmplitude.split(separator: ";") { rows.append(try list(String(row), "--A") ?? []) }
                spec.matrix = rows
            }
        }
        spec.f = formula
        if samples != nil || weights != nil {
            guard let samples, let weights = try list(weights, "--weights") else {
                throw InputError(field: "--samples", message: "synthetic data needs both --samples and --weights")
            }
            spec.synthetic = SyntheticData(samples: samples, weights: weights, bias: bias ?? 0, noise: noise ?? 0, seed: dataSeed ?? 0)
        }
        let startPoint: [Double]
        if let given = try list(start, "--start") { startPoint = given } else { startPoint = try defaultStart(kind: kind, spec: spec) }
        let label = [momentum.map { _ in nesterov ? "nesterov" : "momentum" }, update == "sign" ? "sign" : nil]
            .compactMap { $0 }.joined(separator: " ")
        return Scenario(
            name: formula.map { "f = \($0)" } ?? "\(kind) from the command line", objective: spec, start: startPoint,
            steps: steps ?? Scenario.defaultSteps,
            runs: [RunSpec(label: label.isEmpty ? "sgd" : label,
                           hyperparameters: overriding(SGDHyperparameters(lr: lr)))])
    }

    /// The start used when `--start` is left out: the objective's default, or 2 in every coordinate of an n×n A.
    private func defaultStart(kind: String, spec: ObjectiveSpec) throws(InputError) -> [Double] {
        if let matrix = spec.matrix { return Array(repeating: 2, count: matrix.count) }
        if kind == "expression" { return [1, 1] }
        guard let start = ObjectiveSpec.analyticDefaults.first(where: { $0.spec.kind == kind })?.start else {
            throw InputError(field: "--start", message: "is needed for \(kind): one weight per feature and a bias")
        }
        return start
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
