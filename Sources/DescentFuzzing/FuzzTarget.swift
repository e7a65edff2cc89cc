import Foundation
import DescentCommands
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
    /// `render` after each, at sizes down to 1×1; opened on a built-in scenario, or on a hostile session the
    /// bytes write (schedules with torch's odd arguments and extreme values, events of every kind).
    case explorer
    /// Files that change while they are read: a CSV (or scenario) written from the bytes, shrunk, grown or
    /// replaced at a point the bytes choose after it is opened; reading gives its table or one error line.
    case changingFile
    /// Paths and numbers as the command line takes them: paths built from the bytes in a folder holding
    /// every kind of file (regular, link, dangling link, FIFO, folder, device), read, written and split;
    /// numbers parsed as a CSV cell, a sweep axis, a shard and a key script.
    case pathsAndNumbers
    /// Argument vectors as a shell passes them, run through `descent`'s commands in-process (`runDescent`), in
    /// the same folder of every kind of file: subcommands, flags, paths and numbers from the bytes. Paths stay
    /// in the folder and numbers short (two digits a run), so an input asks for little work.
    case arguments

    public func run(_ bytes: [UInt8]) {
        switch self {
        case .scenario: Self.scenario(bytes)
        case .csv: Self.csv(bytes)
        case .formula: Self.formula(bytes)
        case .explorer: Self.explorer(bytes)
        case .changingFile: Self.changingFile(bytes)
        case .pathsAndNumbers: Self.pathsAndNumbers(bytes)
        case .arguments: Self.arguments(bytes)
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
        let formula = String(decoding: bytes.dropFirst(), as: UTF8.self)
        let spec = ExpressionKind.spec(formula: formula)
        guard let objective = try? spec.makeObjective(dimension: dimension, baseDirectory: "") else { return }
        for point in [[Double](repeating: 0, count: dimension), [Double](repeating: -1.5, count: dimension),
                      (0..<dimension).map { Double($0) + 0.25 }] {
            var g = [Double](repeating: 0, count: dimension)
            let f = objective.lossAndGradient(at: point, into: &g)
            guard f == objective.loss(at: point) || (f.isNaN && objective.loss(at: point).isNaN) else {
                fatalError("f from lossAndGradient differs from loss(at:) for '\(formula)'")
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
        } else if choice % 8 == 1, let hostile = Self.hostileSession(&reader) {
            scenario = hostile
        } else if choice % 8 == 2 {
            // A whole scenario or session file, up to a NUL; the bytes after it are the session's keys.
            var text: [UInt8] = []
            while !reader.isAtEnd, case let byte = reader.next(), byte != 0 { text.append(byte) }
            guard let read = try? Scenario.decode(yaml: String(decoding: text, as: UTF8.self), file: "session.yaml") else { return }
            scenario = read
        } else {
            let defaults = ObjectiveRegistry.examples.map(\.example)
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

extension FuzzTarget {
    /// Numbers that break things: huge, tiny, negative, zero, the largest integers.
    static let extremes: [String] = ["0", "-1", "1", "2", "1.5", "-0.9", "0.5", "1e308", "-1e308", "1e-320", "nan", ".inf", "-.inf",
                                     "4611686018427387904", "9223372036854775807", "-9223372036854775808", "1e400", "3"]

    /// A session file the bytes write: a 2-D objective, runs with schedules of every kind and extreme arguments,
    /// events of every kind at steps the bytes choose. Nil when it does not read (most are refused: the point
    /// is the ones that are not).
    static func hostileSession(_ reader: inout ByteReader) -> Scenario? {
        func pick(_ xs: [String]) -> String { xs[Int(reader.next()) % xs.count] }
        let objective = pick(["{kind: quadratic, eigenvalues: [1, 20]}", "{kind: rosenbrock}", "{kind: expression, f: \"sqrt(x^2) + 0*log(y) + y^2\"}",
                              "{kind: quadratic, eigenvalues: [1, 2], center: [1.0e308, -1.0e308]}", "{kind: himmelblau}"])
        let schedules = ["", ", schedule: {kind: exponential, gamma: \(pick(extremes))}",
                         ", schedule: {kind: step, step_size: \(pick(extremes)), gamma: \(pick(extremes))}",
                         ", schedule: {kind: multistep, milestones: [\(pick(extremes)), \(pick(extremes)), 0], gamma: \(pick(extremes))}",
                         ", schedule: {kind: cosine, t_max: \(pick(extremes)), eta_min: \(pick(extremes))}",
                         ", schedule: {kind: linear-warmup, steps: \(pick(extremes)), start_factor: \(pick(extremes))}"]
        let steps = Int(reader.next()) * 4
        var yaml = "name: hostile\nobjective: \(objective)\nstart: [\(pick(["-1.5", "0", "1e300"])), 2]\nsteps: \(steps)\nruns:\n"
        for run in 0..<(1 + Int(reader.next() % 3)) {
            yaml += "  - {label: r\(run), lr: \(pick(["0.001", "0.1", "1.5", "0"])), momentum: \(pick(["0", "0.9"]))"
                + (reader.next() % 3 == 0 ? ", update: sign" : "") + schedules[Int(reader.next()) % schedules.count] + "}\n"
        }
        yaml += "events:\n"
        var at = 0
        for _ in 0..<(1 + Int(reader.next() % 5)) {
            at += Int(reader.next() % 16)
            let run = "r\(reader.next() % 3)"
            yaml += "  - {step: \(at), run: \(run), " + pick(["set: {lr: \(pick(extremes))}", "set: {momentum: 0.5, weight_decay: 0.1}", "reset: true",
                                                              "start: [\(pick(extremes)), 1]", "copy: \(run) copy\(at)", "delete: true"]) + "}\n"
        }
        // Now and then a lesson over it: beats with sets, every kind of show, questions, placeholders.
        if reader.next() % 2 == 0 {
            yaml += "lesson:\n"
            var beat = 0
            for _ in 0..<(1 + Int(reader.next() % 4)) {
                let run = "r\(reader.next() % 3)"
                yaml += "  - at: \(beat)\n    say: \"" + pick(["{step} {loss:\(run)}", "{kappa} {lr_max} {lr_max:\(run)}", "{rho:\(run)} {lr_opt} {beta_opt}",
                                                           "{lr:\(run)} {momentum:\(run)} {{x}}", ""]) + "\"\n"
                if reader.next() % 2 == 0 { yaml += "    set: {\(run): {lr: \(pick(extremes))}}\n" }
                yaml += "    show: {" + pick(["theory: true", "arrows: all", "arrows: [\(run)]", "hide: [\(run)]", "reveal: [\(run)]", "eigen: true",
                                              "map: true", "view: fit", "view: {center: [\(pick(extremes)), 0], width: \(pick(["1e-300", "1", "1e300"]))}"]) + "}\n"
                if reader.next() % 3 == 0 { yaml += "    ask: {question: q, answer: \(pick(["0", "1e300", "-1"]))}\n" }
                beat += 1 + Int(reader.next() % 20)
            }
        }
        return try? Scenario.decode(yaml: yaml, file: "hostile.yaml")
    }

    /// The folder the path targets work in, made once per process: one file of each kind.
    nonisolated(unsafe) static var sandbox: String?

    static func makeSandbox() -> String {
        if let sandbox { return sandbox }
        let folder = FilePaths.join(NSTemporaryDirectory(), "descent-fuzz-\(getpid())")
        mkdir(folder, 0o700)
        let scenario = "name: s\nobjective: {kind: linear-regression, data: d.csv}\nstart: [0, 0, 0]\nsteps: 3\nruns: [{label: a, lr: 0.1}]\n"
        _ = FileManager.default.createFile(atPath: folder + "/s.yaml", contents: Data(scenario.utf8))
        // A one-character path (it once trapped in Foundation's path handling).
        _ = FileManager.default.createFile(atPath: folder + "/s", contents: Data(scenario.utf8))
        _ = FileManager.default.createFile(atPath: folder + "/d.csv", contents: Data("a,b,y\n1,2,3\n4,5,6\n".utf8))
        mkdir(folder + "/dir", 0o700)
        mkfifo(folder + "/fifo", 0o600)
        symlink("s.yaml", folder + "/link")
        symlink("gone", folder + "/dangling")
        symlink("/dev/null", folder + "/null")
        sandbox = folder
        return folder
    }

    static func changingFile(_ bytes: [UInt8]) {
        var reader = ByteReader(bytes)
        let how = reader.next(), at = Int(reader.next()) * 16
        let contents = Array(bytes.dropFirst(2))
        let path = FilePaths.join(makeSandbox(), "changing-\(how % 2 == 0 ? "t.csv" : "t.yaml")")
        guard FileManager.default.createFile(atPath: path, contents: Data(contents)) else { return }
        let read: [UInt8]
        do {
            read = try RegularFile.bytes(of: path, limit: 1 << 20) {
                // After the size is taken and before the first read: another program changes the file.
                switch how % 4 {
                case 0, 1: _ = truncate(path, off_t(min(at, contents.count)))
                case 2: if let h = FileHandle(forWritingAtPath: path) { h.seekToEndOfFile(); h.write(Data(contents.prefix(at))); try? h.close() }
                default: unlink(path); _ = FileManager.default.createFile(atPath: path, contents: Data(contents.prefix(at)))
                }
            }
        } catch {
            guard error.file == path, !error.message.contains("\n") else { fatalError("a changing file gave '\(error)'") }
            return
        }
        if how % 2 == 0 { _ = try? RegressionData.csv(bytes: read, file: path) } else { _ = try? Scenario.decode(yaml: String(decoding: read, as: UTF8.self), file: path) }
    }

    static func pathsAndNumbers(_ bytes: [UInt8]) {
        let folder = makeSandbox()
        let text = String(decoding: bytes, as: UTF8.self)
        // Paths stay inside the sandbox: the target writes to them.
        let names = ["s.yaml", "d.csv", "dir", "fifo", "link", "dangling", "null", "missing/x.svg", ".", "", "s", "dir/"]
        var path = text.replacingOccurrences(of: "..", with: "").replacingOccurrences(of: "\u{0}", with: "")
        if path.hasPrefix("/") || path.hasPrefix("~") { path = names[Int(bytes.first ?? 0) % names.count] + path.filter { $0 != "/" } }
        let full = FilePaths.join(folder, path)
        // Splitting and joining are inverse, whatever the text.
        let (parent, name) = (FilePaths.folder(of: full), FilePaths.name(of: full))
        _ = FilePaths.standardized(full)
        _ = FilePaths.expandingTilde("~" + path, home: folder)
        if !name.isEmpty, !full.hasSuffix("/"), FilePaths.join(parent, name) != full, FilePaths.standardized(FilePaths.join(parent, name)) != FilePaths.standardized(full) {
            fatalError("'\(full)' split into '\(parent)' and '\(name)', which do not join back")
        }
        _ = try? Experiment.load(contentsOf: full)
        _ = ScenarioHeader.read(full)
        _ = try? RegressionData.csv(contentsOf: full)
        // A writer never replaces what is not a regular file, and never leaves a temporary behind.
        var before = stat()
        let existed = lstat(full, &before) == 0
        // Writing a FIFO waits for its reader, as a shell's `>` does (FileTests writes one with a reader).
        var target = stat()
        if stat(full, &target) == 0, target.st_mode & S_IFMT == S_IFIFO { return }
        switch OutputFile.write("<svg/>\n", to: full, existing: bytes.count % 2 == 0 ? .replace : .keep) {
        case .success, .failure: break
        }
        var after = stat()
        if existed, before.st_mode & S_IFMT != S_IFREG, lstat(full, &after) == 0, after.st_mode & S_IFMT != before.st_mode & S_IFMT {
            fatalError("writing '\(full)' replaced a file of kind \(before.st_mode & S_IFMT) with one of kind \(after.st_mode & S_IFMT)")
        }
        // Keep the sandbox's own files as they were for the next input.
        if full == folder + "/s.yaml" || full == folder + "/link" || full == folder + "/d.csv" {
            sandbox = nil
            try? FileManager.default.removeItem(atPath: folder)
        }
        // OutputFile's temporaries are hidden `.descent-PID-N.partial` files (the target itself may be named anything).
        if let leftover = (try? FileManager.default.contentsOfDirectory(atPath: folder))?.first(where: { $0.hasPrefix(".descent-") && $0.hasSuffix(".partial") }) {
            fatalError("a temporary '\(leftover)' was left behind writing '\(full)'")
        }
        // Numbers as flags and cells take them.
        _ = Array(text.utf8).withUnsafeBufferPointer(DecimalParser.parse)
        _ = try? SweepAxis(parsing: "lr=" + text, flag: "--x")
        _ = try? Shard(parsing: text)
        _ = try? SweepMetric(parsing: text)
    }
}

extension FuzzTarget {
    /// Words an argument vector is made of: the first byte of each argument (after a NUL, which separates
    /// them) picks one, byte 1 the first, and the rest of the argument is appended as text.
    static let words = ["run", "check", "analyze", "sweep", "plot", "snapshot", "objectives", "merge", "s.yaml", "d.csv", "dir", "fifo",
                        "link", "dangling", "null", "-", "--format", "csv", "json", "table", "--steps", "--lr", "--momentum", "--nesterov",
                        "--objective", "rosenbrock", "f=x^2+y", "--start", "-1.5,2", "--seed", "-1", "--batch-size", "--x", "lr=1e-4:1e-2:log:",
                        "--y", "momentum=0:0.9:", "--metric", "diverged", "steps-to=", "--shard", "2/3", "-o", "out.svg", "--save-state",
                        "new.yaml", "--keys", "--size", "40x12", "--run", "a", "--at", "final", "--weights", "1,2", "--samples", "--data", ""]

    /// Whether `runDescent` may run it: paths inside the sandbox, no number longer than two digits, nothing
    /// that waits (the explorer needs a terminal and says so; `bench` and a FIFO would wait or take long).
    static func allowed(_ arguments: [String]) -> Bool {
        for argument in arguments {
            if argument.contains("..") || argument.hasPrefix("/") || argument.hasPrefix("~") || argument.contains("fifo") { return false }
            var run = 0
            for character in argument {
                run = character.isNumber ? run + 1 : 0
                if run > 2 { return false }
            }
        }
        return arguments.first != "bench" && arguments.first != "explore"
    }

    static func arguments(_ bytes: [UInt8]) {
        let folder = makeSandbox()
        var arguments: [String] = []
        for part in bytes.split(separator: 0, omittingEmptySubsequences: false).prefix(12) {
            guard let first = part.first else { arguments.append(""); continue }
            arguments.append(words[(Int(first) + words.count - 1) % words.count] + String(decoding: part.dropFirst(), as: UTF8.self))
        }
        guard allowed(arguments) else { return }
        let here = FileManager.default.currentDirectoryPath
        guard FileManager.default.changeCurrentDirectoryPath(folder) else { return }
        defer { _ = FileManager.default.changeCurrentDirectoryPath(here) }
        let status = runDescent(arguments)
        guard [0, 1, 2].contains(status) else { fatalError("descent \(arguments) ended with status \(status)") }
        // A command's own files (out.svg, new.yaml) go; the sandbox's are put back if one was written over.
        for name in ["out.svg", "new.yaml"] { unlink(folder + "/" + name) }
        if !FileManager.default.fileExists(atPath: folder + "/s.yaml") || !FileManager.default.fileExists(atPath: folder + "/d.csv") {
            sandbox = nil
            try? FileManager.default.removeItem(atPath: folder)
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
