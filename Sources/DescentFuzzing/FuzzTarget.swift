import DescentCore
import DescentExplorer

/// What the fuzzers drive: each target takes arbitrary bytes and must neither crash nor hang on any of them.
///
/// A target checks laws as well as survival where it can (a scenario that reads writes back equal; a
/// formula that parses evaluates), and traps when one fails, so the fuzzer reports it as a crash.
/// `descent-fuzz` runs them under libFuzzer; `swift test` replays every input that ever failed and a few
/// thousand seeded mutations of the project's own files.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The scenario decoder: YAML text to a checked experiment, its write-back, a few steps of each run.
    case scenario
    /// The CSV reader, and one evaluation of a regression on what it read.
    case csv
    /// The formula parser, and f, ∇f, ∇²f where a formula parses.
    case formula
    /// The explorer's `update`, driven by keys, ticks, resizes and clicks decoded from the bytes, with a
    /// `render` after each, at sizes down to 1×1.
    case explorer

    public func run(_ bytes: [UInt8]) {
        switch self {
        case .scenario: Self.scenario(bytes)
        case .csv: Self.csv(bytes)
        case .formula: Self.formula(bytes)
        case .explorer: Self.explorer(bytes)
        }
    }

    /// Steps a fuzzed run takes: enough to reach the stepping code, few enough to keep inputs fast.
    static let steps = 16

    static func scenario(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let scenario = try? Scenario.decode(yaml: text, file: "fuzz.yaml") else { return }
        // What `w` would write reads back as the same scenario.
        let written = scenario.yamlText()
        guard let again = try? Scenario.decode(yaml: written, file: "written.yaml"), again == scenario else {
            fatalError("a decoded scenario does not read back the same after it is written:\n\(written)")
        }
        guard let experiment = try? Experiment(scenario: scenario) else { return }
        let steps = min(scenario.steps, Self.steps)
        let trajectories = experiment.trajectories(steps: steps)
        _ = TrajectoryReport.table(trajectories, objective: experiment.objective, scenario: scenario.name)
        for check in scenario.expect { _ = check.evaluate(trajectories) }
    }

    static func csv(_ bytes: [UInt8]) {
        guard let data = try? RegressionData.csv(bytes: bytes, file: "fuzz.csv") else { return }
        let objective = LinearRegression(data: data)
        var g = [Double](repeating: 0, count: objective.dimension)
        _ = objective.lossAndGradient(at: g, into: &g)
        if data.targets.allSatisfy({ $0 == 0 || $0 == 1 }) {
            let logistic = LogisticRegression(data: data)
            _ = logistic.lossAndGradient(at: [Double](repeating: 0.5, count: logistic.dimension), into: &g)
        }
    }

    static func formula(_ bytes: [UInt8]) {
        // The first byte picks the dimension (1 to 4); the rest is the formula.
        guard let first = bytes.first else { return }
        let dimension = 1 + Int(first % 4)
        var spec = ObjectiveSpec(kind: "expression")
        spec.f = String(decoding: bytes.dropFirst(), as: UTF8.self)
        guard let objective = try? spec.makeObjective(dimension: dimension, baseDirectory: "") else { return }
        for point in [[Double](repeating: 0, count: dimension), [Double](repeating: -1.5, count: dimension),
                      (0..<dimension).map { Double($0) + 0.25 }] {
            var g = [Double](repeating: 0, count: dimension)
            let f = objective.lossAndGradient(at: point, into: &g)
            guard f == objective.loss(at: point) || (f.isNaN && objective.loss(at: point).isNaN) else {
                fatalError("f from lossAndGradient differs from loss(at:) for '\(spec.f!)'")
            }
            _ = objective.hessian(at: point)
            _ = objective.divergenceCause(at: point)
        }
    }

    /// The keys a fuzzed session presses: every printable ASCII character, a few others, and the named keys.
    static let named: [Key] = [.up, .down, .left, .right, .tab, .backTab, .enter, .escape, .backspace]

    static func explorer(_ bytes: [UInt8]) {
        var reader = ByteReader(bytes)
        let width = 1 + Int(reader.next() % 220), height = 1 + Int(reader.next() % 70)
        let flags = reader.next()
        let choice = Int(reader.next())
        let scenario: Scenario
        if choice % 8 == 0 {
            scenario = .builtInDefault
        } else {
            let defaults = ObjectiveSpec.analyticDefaults
            let d = defaults[choice % defaults.count]
            scenario = Scenario(name: d.spec.kind, objective: d.spec, start: d.start, steps: d.steps,
                                runs: [RunSpec(label: "sgd", hyperparameters: SGDHyperparameters(lr: d.lr)),
                                       RunSpec(label: "momentum", hyperparameters: SGDHyperparameters(lr: d.lr, momentum: d.momentum))])
        }
        guard let experiment = try? Experiment(scenario: scenario) else { return }
        var state = ExplorerState(experiment: experiment, width: width, height: height,
                                  options: RenderOptions(color: flags & 1 != 0, unicode: flags & 2 != 0))
        _ = state.render()
        if state.replaying != nil, flags & 4 != 0 { state.finishReplay() }
        var ticks = 0
        while !reader.isAtEnd {
            let op = reader.next()
            let message: Message
            switch op % 8 {
            case 0, 1, 2, 3:
                let b = reader.next()
                // Printable ASCII mostly; now and then what a terminal can also send as a character: non-ASCII,
                // a lone C1 CSI, a byte-order mark (a label may be renamed to any of them).
                message = .key(.character(b < 190 ? Character(Unicode.Scalar(32 + b % 95)) : ["é", "★", "λ", "\u{9B}", "\u{FEFF}"][Int(b % 5)]))
            case 4: message = .key(Self.named[Int(reader.next()) % Self.named.count])
            case 5:
                ticks += 1
                guard ticks <= 16 else { continue }
                message = .tick
            case 6: message = .resize(width: 1 + Int(reader.next() % 220), height: 1 + Int(reader.next() % 70))
            default: message = .click(x: Int(reader.next()) - 8, y: Int(reader.next() % 80) - 4)
            }
            let effects = state.update(message)
            Self.checkDrawn(state.render())
            for effect in effects {
                switch effect {
                case .quit: return
                case let .writeNewFile(_, _, contents, what):
                    // What `w` writes must read back.
                    if what == "scenario", (try? Scenario.decode(yaml: contents, file: "w.yaml")) == nil {
                        fatalError("the explorer wrote a scenario that does not read back:\n\(contents)")
                    }
                    state.update(.wrote(path: "fuzz-1.yaml", what: what))
                case .open: state.update(.report("no files while fuzzing"))
                case .replay: state.finishReplay()
                case .describe(let paths):
                    for path in paths { state.update(.described(path: path, name: path.count % 2 == 0 ? "a scenario" : nil, description: nil)) }
                }
                _ = state.render()
            }
        }
    }
}

extension FuzzTarget {
    /// The grid never holds a control character: the terminal would act on it instead of showing it.
    static func checkDrawn(_ grid: Grid) {
        for y in 0..<grid.height {
            for x in 0..<grid.width where grid[x, y].glyph.isControlCharacter {
                fatalError("a control character (U+\(String(grid[x, y].glyph.value, radix: 16))) is drawn at \(x), \(y)")
            }
        }
    }
}

/// Bytes read one at a time; past the end, zeros.
struct ByteReader {
    let bytes: [UInt8]
    var position = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    var isAtEnd: Bool { position >= bytes.count }
    mutating func next() -> UInt8 {
        defer { position += 1 }
        return position < bytes.count ? bytes[position] : 0
    }
}
