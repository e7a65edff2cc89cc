@testable import DescentCore
import Foundation
import Testing

/// Each concept said once: the objective kinds in one registry, SGD's fields in one table, numbers in one
/// format family. The laws here hold for every kind and field, so a new one is covered when it is listed.
@Suite struct VocabularyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// A random value of `type`, of the shapes files give (short lists, text with quotes and escapes).
    static func value(_ type: ObjectiveValue.Kind, _ g: inout SeededGenerator) -> ObjectiveValue {
        func number() -> Double {
            switch g.nextIndex(below: 4) {
            case 0: Double(g.nextIndex(below: 200)) - 100
            case 1: (g.nextUnit() - 0.5) * 1e6
            case 2: g.nextUnit() * 1e-9
            default: Double(Float(g.nextGaussian()))
            }
        }
        func numbers(_ n: Int) -> [Double] { (0..<n).map { _ in number() } }
        func text() -> String { ["x^2 + y", "a \"quoted\" b", "data/iris.csv", "tab\there", "é ✓"][g.nextIndex(below: 5)] }
        switch type {
        case .number: return .number(number())
        case .numbers: return .numbers(numbers(1 + g.nextIndex(below: 4)))
        case .points: return .matrix((0..<(1 + g.nextIndex(below: 3))).map { _ in numbers(2) })
        case .matrix: let n = 1 + g.nextIndex(below: 3); return .matrix((0..<n).map { _ in numbers(n) })
        case .text: return .text(text())
        case .path: return .path(text())
        case .names: return .names((0..<(1 + g.nextIndex(below: 3))).map { ["x", "y", "w_1", "θ"][($0 + g.nextIndex(below: 4)) % 4] })
        case .count: return .count(g.nextIndex(below: 1000))
        case .seed: return .seed(g.next())
        case .synthetic:
            return .synthetic(SyntheticData(samples: 1 + g.nextIndex(below: 50), weights: numbers(1 + g.nextIndex(below: 3)),
                                            bias: number(), noise: abs(number()), seed: g.next()))
        }
    }

    /// Whatever Descent writes, it reads: for every kind in the registry, a spec with a random subset of its
    /// keys set to random values is written by `yamlText` and decoded back equal.
    @Test(arguments: 0..<20)
    func everyKindsSpecReadsBackAsWritten(seed: Int) throws {
        var g = SeededGenerator(seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15)
        for kind in ObjectiveRegistry.kinds {
            var spec = ObjectiveSpec(kind: kind.name)
            for key in kind.keys where g.nextIndex(below: 2) == 0 { spec[key.name] = Self.value(key.type, &g) }
            let scenario = Scenario(name: "w", objective: spec, start: [1, 2],
                                    runs: [RunSpec(label: "r", hyperparameters: SGDHyperparameters(lr: 0.1))])
            let read = try Scenario.decode(yaml: scenario.yamlText())
            #expect(read.objective == spec, "\(kind.name): \(scenario.yamlText())")
        }
    }

    /// The registry lists each kind once, each key once within a kind; every kind with an example builds at
    /// its example's start, converges there with the example's lr and momentum, and reads back as written.
    @Test func registryIsConsistent() throws {
        let names = ObjectiveRegistry.names
        #expect(Set(names).count == names.count)
        #expect(ObjectiveRegistry.typedFormula != nil)
        for kind in ObjectiveRegistry.kinds {
            #expect(Set(kind.keys.map(\.name)).count == kind.keys.count, "\(kind.name) names a key twice")
            #expect(!kind.summary.isEmpty)
            guard let example = kind.example else { continue }
            #expect(example.spec.kind == kind.name)
            let scenario = Scenario(name: kind.name, objective: example.spec, start: example.start, steps: example.steps,
                                    runs: [RunSpec(label: "m", hyperparameters: SGDHyperparameters(lr: example.lr, momentum: example.momentum))])
            let experiment = try Experiment(scenario: try Scenario.decode(yaml: scenario.yamlText()))
            let start = experiment.runs[0].loss
            var run = experiment.runs[0]
            run.advance(by: example.steps)
            #expect(!run.isDiverged && run.loss < start, "\(kind.name)'s example does not descend")
            #expect(kind.defaultStart(for: example.spec) == example.start)
        }
    }

    /// Booth's function, the kind added as one file: its value, gradient and Hessian at a point worked by
    /// hand, its minimum, and every evaluation path agreeing bit for bit.
    @Test func boothIsBooths() throws {
        let booth = try ObjectiveSpec(kind: "booth").makeObjective(dimension: 2, baseDirectory: "")
        // u = 0 + 4 − 7 = −3, v = 0 + 2 − 5 = −3 at (0, 2): f = 18, ∇f = (2u + 4v, 4u + 2v) = (−18, −18).
        var g = [0.0, 0.0]
        #expect(booth.lossAndGradient(at: [0, 2], into: &g) == 18 && g == [-18, -18])
        #expect(booth.loss(at: [1, 3]) == 0 && booth.knownMinima == [[1, 3]])
        #expect(booth.hessian(at: [5, -7]) == [10, 8, 8, 10] && booth.hasConstantHessian)
        var rng = SeededGenerator(seed: 7)
        for _ in 0..<100 {
            let p = [rng.nextGaussian() * 10, rng.nextGaussian() * 10]
            var a = [0.0, 0.0]
            let f = booth.lossAndGradient(at: p, into: &a)
            let lanes = booth.lossAndGradient2(lanes: SIMD8(repeating: p[0]), SIMD8(repeating: p[1]))
            #expect(f.bitPattern == booth.loss(at: p).bitPattern && f.bitPattern == lanes.loss[3].bitPattern)
            #expect(a[0].bitPattern == lanes.gx[0].bitPattern && a[1].bitPattern == lanes.gy[7].bitPattern)
        }
        #expect(throws: InputError.self) { try ObjectiveSpec(kind: "booth").makeObjective(dimension: 3, baseDirectory: "") }
    }

    static func randomHyperparameters(_ g: inout SeededGenerator) -> SGDHyperparameters {
        var h = SGDHyperparameters(lr: g.nextUnit())
        for field in HyperparameterField.allCases where g.nextIndex(below: 2) == 0 {
            switch field.type {
            case .number: h = field.setting(.number(Double(g.nextIndex(below: 1000)) / 997), in: h)
            case .flag: h = field.setting(.flag(true), in: h)
            case .choice(let names): h = field.setting(.choice(names[g.nextIndex(below: names.count)]), in: h)
            }
        }
        return h
    }

    /// Every field of the table goes through a run's mapping, a `set:` event and the explorer's typed value
    /// and back unchanged; a field's value set is the value read.
    @Test(arguments: 0..<20)
    func everyFieldReadsBackAsWritten(seed: Int) throws {
        var g = SeededGenerator(seed: UInt64(seed) + 101)
        let old = Self.randomHyperparameters(&g), new = Self.randomHyperparameters(&g)
        let patch = HyperparameterPatch(from: old, to: new)
        #expect(patch.applied(to: old) == new)
        let scenario = Scenario(name: "h", objective: ObjectiveSpec(kind: "booth"), start: [0, 0], steps: 5,
                                runs: [RunSpec(label: "r", hyperparameters: old)])
        var withEvent = scenario
        if !patch.isEmpty { withEvent.events = [RunEvent(step: 2, run: "r", action: .set(patch))] }
        let read = try Scenario.decode(yaml: withEvent.yamlText())
        #expect(read.runs[0].hyperparameters == old)
        #expect(read.events == withEvent.events)
        for field in HyperparameterField.allCases {
            #expect(field.setting(field.value(in: new), in: old).hyperparametersEqualIn(field, new))
            let typed = field.parsed(field.display(new), into: old)
            if case .number(let v) = field.value(in: new), NumberFormat.short(v) != NumberFormat.exact(v) { continue }
            #expect(typed.map { field.value(in: $0) } == field.value(in: new), "\(field.name)")
        }
    }

    /// `null` is a key left out, for the objective's keys and the hyperparameters alike (a JSON file writes it).
    @Test func nullIsAKeyLeftOut() throws {
        let yaml = """
            {"name": "n", "objective": {"kind": "quadratic", "eigenvalues": [1, 4], "angle": null, "center": null},
             "start": [1, 1], "runs": [{"label": "a", "lr": 0.1, "momentum": null, "nesterov": null}],
             "events": [{"step": 1, "run": "a", "set": {"momentum": null, "lr": 0.05}}]}
            """
        let scenario = try Scenario.decode(yaml: yaml)
        #expect(scenario.objective == QuadraticKind.spec(eigenvalues: [1, 4]))
        #expect(scenario.runs[0].hyperparameters == SGDHyperparameters(lr: 0.1))
        var patch = HyperparameterPatch()
        patch.lr = 0.05
        #expect(scenario.events[0].action == .set(patch))
    }

    /// A bad entry says what was wanted there, in the table's words: a name is text, a minimum a number
    /// (not a quoted one), a choice one of its names.
    @Test func badEntriesSayWhatTheyWant() throws {
        func message(_ objective: String, run: String = "{label: a, lr: 0.1}") -> String {
            do { _ = try Scenario.decode(yaml: "name: m\nobjective: \(objective)\nstart: [1, 1]\nruns:\n  - \(run)\n", file: "m.yaml"); return "" }
            catch { return "\(error)" }
        }
        #expect(message(#"{kind: expression, f: "x^2 + y^2", variables: [x, [y]]}"#).contains("variables[1]: expected text"))
        #expect(message(#"{kind: expression, f: "x^2 + y^2", minima: [["0", 0]]}"#).contains("minima[0][0]: expected a number"))
        #expect(message("{kind: booth}", run: "{label: a, lr: 0.1, update: [x]}").contains("expected sgd or sign"))
        #expect(message("{kind: booth}", run: "{label: a, lr: 0.1, convention: keras}").contains("must be pytorch or sutskever, got 'keras'"))
    }

    /// `--save-state` keeps each run's style: its own, its place among the file's runs, and a copy's.
    @Test func savedStateKeepsStyles() throws {
        let yaml = """
            name: s
            objective: {kind: booth}
            start: [0, 0]
            steps: 6
            runs:
              - {label: a, lr: 0.01}
              - {label: b, lr: 0.02, style: 5}
              - {label: c, lr: 0.03}
            events:
              - {step: 2, run: a, delete: true}
              - {step: 3, run: c, copy: "c (2)", style: 1}
            """
        let experiment = try Experiment(scenario: Scenario.decode(yaml: yaml))
        let saved = try Scenario.decode(yaml: experiment.savedAfter(steps: 6).yamlText())
        let styles = Dictionary(uniqueKeysWithValues: saved.runs.enumerated().map { ($1.label, $1.style ?? $0) })
        #expect(styles == ["b": 5, "c": 2, "c (2)": 1], "\(saved.yamlText())")
    }

    /// One spelling of NaN everywhere: a NaN with its sign bit set (what ∞ − ∞ gives) is `nan` in every form
    /// and in the sweep's CSV, which wrote `-nan`.
    @Test func nanIsSpelledOneWay() throws {
        let negativeNaN = -Double.nan
        #expect(negativeNaN.sign == .minus && "\(negativeNaN)" == "-nan")
        for form in [NumberFormat.exact, NumberFormat.file, NumberFormat.short, NumberFormat.readable, NumberFormat.axis] {
            #expect(form(negativeNaN) == "nan" && form(.infinity) == "inf" && form(-.infinity) == "-inf")
        }
        let experiment = try Experiment(scenario: Scenario(name: "s", objective: ObjectiveSpec(kind: "booth"), start: [0, 0], steps: 3,
                                                           runs: [RunSpec(label: "r", hyperparameters: SGDHyperparameters(lr: 0.01))]))
        let sweep = try Sweep(base: experiment.runs[0], x: SweepAxis(field: .lr, from: 0.01, to: 0.02, count: 2, logarithmic: false),
                              y: SweepAxis(field: .momentum, from: 0, to: 0.5, count: 1, logarithmic: false), steps: 3, metric: .finalLoss)
        let cells = [SweepCell(index: 0, x: 0.01, y: 0, value: negativeNaN, invalid: nil),
                     SweepCell(index: 1, x: 0.02, y: 0, value: -.infinity, invalid: nil)]
        let csv = String(decoding: SweepReport.csv(sweep, cells), as: UTF8.self)
        #expect(csv == "cell,lr,momentum,final_loss\n0,0.01,0.0,nan\n1,0.02,0.0,-inf\n", "\(csv)")
    }

    /// Outside the kinds (`Objectives/Kinds`) and the objectives' own files, nothing names a kind or tests a
    /// concrete objective type: commands and widgets ask capabilities.
    @Test func nothingOutsideTheKindsSwitchesOnAKind() throws {
        let sources = Self.root + "/Sources"
        let concrete = ["Quadratic", "Rosenbrock", "Himmelblau", "Beale", "Rastrigin", "LinearRegression", "LogisticRegression",
                        "ExpressionObjective", "Booth"]
        let patterns = concrete.flatMap { ["as? \($0)", "as! \($0)", "is \($0)"] }
            + ObjectiveRegistry.names.flatMap { ["case \"\($0)\"", "== \"\($0)\"", "kind: \"\($0)\""] }
        var found: [String] = []
        let files = FileManager.default.enumerator(atPath: sources)!.compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        for file in files where !file.hasPrefix("DescentCore/Objectives/") && !file.hasPrefix("DescentCore/Expression/") {
            let text = try String(contentsOfFile: sources + "/" + file, encoding: .utf8)
            for pattern in patterns where text.contains(pattern) { found.append("\(file): \(pattern)") }
        }
        #expect(found.isEmpty, "\(found)")
    }
}

extension SGDHyperparameters {
    /// Whether `field` has the same value here as in `other`.
    func hyperparametersEqualIn(_ field: HyperparameterField, _ other: SGDHyperparameters) -> Bool {
        field.value(in: self) == field.value(in: other)
    }
}
