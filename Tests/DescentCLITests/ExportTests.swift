import DescentCore
import Foundation
import Testing

/// `descent export --torch`: the script reproduces `descent run --format csv` under real torch at rtol 1e-9, for
/// every shipped scenario and lesson, every torch golden and random generated scenarios (events, copies, resets,
/// schedules, noise, minibatches, both conventions, the sign update), when a Python with torch is found
/// (`DESCENT_PYTHON`, else `python3`; skipped with a message otherwise). What it does not export is refused with
/// the field and the reason.
@Suite struct ExportTests {
    static let python: String? = {
        let candidate = ProcessInfo.processInfo.environment["DESCENT_PYTHON"] ?? "python3"
        guard let result = try? Binary.shell("'\(candidate)' -c 'import torch' 2>/dev/null"), result.status == 0 else { return nil }
        return candidate
    }()

    static let shipped: [String] = {
        let root = Binary.projectRoot
        let shipped = ["Scenarios", "Scenarios/lessons"].flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted().map { root + "/\(folder)/" + $0 }
        }
        let goldens = ["../shared/golden", "../shared/golden-schedules", "../shared/golden-expressions",
                       "Tests/DescentCoreTests/Fixtures/golden-mlp"].flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted().map { root + "/\(folder)/" + $0 }
        }
        return shipped + goldens
    }()

    /// The rows of a CSV, split on commas outside quotes (labels may hold commas).
    static func rows(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { line in
            var fields: [String] = [], field = "", quoted = false
            for c in line {
                if c == "\"" { quoted.toggle(); continue }
                if c == ",", !quoted { fields.append(field); field = ""; continue }
                field.append(c)
            }
            return fields + [field]
        }
    }

    /// Where `got` (torch's CSV) first differs from `want` (Descent's): the same header, rows (run, step) in the
    /// same order, every number within 1e-12 + 1e-9·|want| (NaN matching NaN); nil when they agree.
    static func mismatch(_ got: String, _ want: String) -> String? {
        let got = rows(got), want = rows(want)
        guard got.first == want.first, got.count == want.count else { return "\(got.count) rows, want \(want.count); header \(got.first ?? [])" }
        for (g, w) in zip(got.dropFirst(), want.dropFirst()) {
            guard g.count == w.count, Array(g.prefix(2)) == Array(w.prefix(2)) else { return "row \(g.prefix(2)) for \(w.prefix(2))" }
            for (a, b) in zip(g.dropFirst(2), w.dropFirst(2)) {
                let x = Double(a) ?? .nan, y = Double(b) ?? .nan
                if x.isNaN && y.isNaN { continue }
                if !(abs(x - y) <= 1e-12 + 1e-9 * abs(y)) { return "row \(g.prefix(2)): torch \(a), descent \(b)" }
            }
        }
        return nil
    }

    /// Exports every file, runs all the scripts in one Python (torch imported once), and compares each with
    /// `descent run --format csv`. Returns how many matched.
    static func runUnderTorch(_ files: [String], python: String, folder: String) throws -> Int {
        var scripts: [(file: String, script: String)] = []
        for (index, file) in files.enumerated() {
            let export = InProcess.run(["export", file, "--torch"])
            #expect(export.status == 0, "\(file): \(export.stderr)")
            guard export.status == 0 else { continue }
            let script = folder + "/script-\(index).py"
            try export.stdout.write(toFile: script, atomically: true, encoding: .utf8)
            scripts.append((file, script))
        }
        let driver = folder + "/driver.py"
        try """
            import contextlib, runpy, sys, traceback
            for path in sys.argv[1:]:
                with open(path + ".out", "w") as out, contextlib.redirect_stdout(out):
                    try:
                        runpy.run_path(path, run_name="__main__")
                    except BaseException:
                        traceback.print_exc(file=sys.stderr)
            """.write(toFile: driver, atomically: true, encoding: .utf8)
        let torch = try Binary.spawn(python, [driver] + scripts.map(\.script))
        #expect(torch.status == 0 && torch.stderr.isEmpty, "\(torch.stderr)")
        var matched = 0
        for (file, script) in scripts {
            let got = (try? String(contentsOfFile: script + ".out", encoding: .utf8)) ?? ""
            let problem = mismatch(got, InProcess.run(["run", file, "--format", "csv"]).stdout)
            #expect(problem == nil, "\(file): \(problem ?? "")")
            if problem == nil { matched += 1 }
        }
        return matched
    }

    static func temporaryFolder() throws -> String {
        let folder = NSTemporaryDirectory() + "descent-export-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    /// `body` with the Python that has torch and a scratch folder; without torch, says what is not run.
    static func underTorch(_ what: String, _ body: (_ python: String, _ folder: String) throws -> Void) throws {
        guard let python = Self.python else {
            print("ExportTests: no Python with torch (pip install torch==2.15.0, or set DESCENT_PYTHON): \(what) are not run")
            return
        }
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try body(python, folder)
    }

    @Test func shippedScenariosMatchTorch() throws {
        try Self.underTorch("the exported scripts") { python, folder in
            let matched = try Self.runUnderTorch(Self.shipped, python: python, folder: folder)
            #expect(matched == Self.shipped.count && matched >= 50, "scripts matching: \(matched) of \(Self.shipped.count)")
        }
    }

    /// The law over random scenarios: objectives with and without data, every hyperparameter, schedules, noise,
    /// minibatches and every kind of event at random steps.
    @Test func randomScenariosMatchTorch() throws {
        try Self.underTorch("the random scenarios' scripts") { python, folder in
            var generator = SeededGenerator(seed: 2126)
            var files: [String] = []
            for index in 0..<40 {
                let file = folder + "/random-\(index).yaml"
                try Self.randomScenario(&generator).write(toFile: file, atomically: true, encoding: .utf8)
                files.append(file)
            }
            #expect(try Self.runUnderTorch(files, python: python, folder: folder) == files.count)
        }
    }

    static func randomScenario(_ g: inout SeededGenerator) -> String {
        func pick<T>(_ options: [T]) -> T { options[g.nextIndex(below: options.count)] }
        func chance(_ p: Double) -> Bool { g.nextUnit() < p }
        func yaml(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
        let objectives: [(text: String, start: String, lr: Double, data: Bool)] = [
            ("{kind: rosenbrock}", "[-1.5, 2]", 1e-3, false),
            ("{kind: himmelblau}", "[0.5, 0.5]", 0.01, false),
            ("{kind: beale}", "[1, 1]", 0.01, false),
            ("{kind: booth}", "[-3, -1]", 0.02, false),
            ("{kind: rastrigin}", "[2.2, -1.7]", 0.002, false),
            ("{kind: quadratic, A: [[4, 1, 0], [1, 3, 0.5], [0, 0.5, 1]], center: [1, -1, 0.5]}", "[3, 2, -1]", 0.05, false),
            ("{kind: expression, f: \"x^2 - y^2 + 0.25*y^4 + sin(x*y)\"}", "[1, 0.3]", 0.02, false),
            ("{kind: linear-regression, synthetic: {samples: 60, weights: [2, -1], bias: 0.5, noise: 0.3, seed: \(g.nextIndex(below: 100))}}", "[0, 0, 0]", 0.05, true),
            ("{kind: logistic-regression, synthetic: {samples: 50, weights: [1.5, -2], bias: 0.2, noise: 0.5, seed: 3}}", "[0, 0, 0]", 0.3, true),
            ("{kind: linear-regression, data: \(Binary.projectRoot)/Scenarios/data/iris-petals.csv}", "[0, 0]", 0.02, true),
            ("{kind: mlp, moons: 30, hidden: [3], init_seed: \(g.nextIndex(below: 100))}", "", 0.2, true),
            ("{kind: mlp, data: \(Binary.projectRoot)/Scenarios/data/iris-petals.csv, hidden: [3], activation: relu, loss: mse}", "", 0.05, true),
        ]
        let objective = pick(objectives)
        let steps = 20 + g.nextIndex(below: 60)
        var labels: [String] = []
        var runs: [String] = []
        for r in 0..<(1 + g.nextIndex(below: 3)) {
            // Labels a CSV must quote, and one with a quote inside.
            let label = r == 1 ? "run, \"1\"" : "run \(r)"
            labels.append(label)
            let momentum = chance(0.7) ? pick([0.5, 0.9, 0.95]) : 0
            let nesterov = momentum > 0 && chance(0.4)
            var fields = ["label: \(yaml(label))", "lr: \(objective.lr * pick([0.5, 1, 2]))", "momentum: \(momentum)"]
            if nesterov { fields.append("nesterov: true") } else if momentum > 0 && chance(0.3) { fields.append("dampening: \(pick([0.1, 0.5]))") }
            if chance(0.3) { fields.append("weight_decay: \(pick([0.01, 0.1]))") }
            if chance(0.2) { fields.append("update: sign") }
            if chance(0.3) { fields.append("convention: sutskever") }
            if chance(0.1) { fields.append("maximize: true") }
            if chance(0.3) { fields.append(pick(["schedule: {kind: step, step_size: 7, gamma: 0.5}", "schedule: {kind: exponential, gamma: 0.97}",
                                                 "schedule: {kind: cosine, t_max: 15}", "schedule: {kind: linear-warmup, steps: 5}"])) }
            let noisy = chance(0.3), batched = objective.data && chance(0.5)
            if noisy { fields.append("noise: \(pick([0.1, 1.0]))") }
            if batched { fields.append("batch_size: \(pick([1, 7, 16]))") }
            if noisy || batched { fields.append("seed: \(g.nextIndex(below: 9))") }
            runs.append("  - {" + fields.joined(separator: ", ") + "}")
        }
        // Events in file order, each at a step its run reaches (a run's count starts again after a reset).
        var events: [String] = []
        var at = Dictionary(uniqueKeysWithValues: labels.map { ($0, 0) })
        var scheduledRuns = Set(runs.indices.filter { runs[$0].contains("schedule") }.map { labels[$0] })
        var live = labels
        for _ in 0..<g.nextIndex(below: 5) where !live.isEmpty {
            let run = pick(live)
            let step = min(steps, at[run]! + g.nextIndex(below: 15))
            at[run] = step
            switch g.nextIndex(below: 6) {
            case 0:
                let copy = "copy \(events.count)"
                events.append("  - {step: \(step), run: \(yaml(run)), copy: \(yaml(copy))}")
                at[copy] = step
                if scheduledRuns.contains(run) { scheduledRuns.insert(copy) }
                live.append(copy)
            case 1:
                events.append("  - {step: \(step), run: \(yaml(run)), reset: true}")
                at[run] = 0
            case 2 where !objective.start.isEmpty:
                events.append("  - {step: \(step), run: \(yaml(run)), start: \(objective.start)}")
                at[run] = 0
            case 3 where live.count > 1:
                events.append("  - {step: \(step), run: \(yaml(run)), delete: true}")
                live.removeAll { $0 == run }
            default:
                let lr = scheduledRuns.contains(run) ? "" : "lr: \(objective.lr * pick([0.3, 1.5])), "
                events.append("  - {step: \(step), run: \(yaml(run)), set: {\(lr)momentum: \(pick([0.0, 0.5, 0.9])), nesterov: false, weight_decay: \(pick([0.0, 0.05]))}}")
            }
        }
        return """
            name: 'C:\\Users\\new \"\"\" random'
            objective: \(objective.text)
            \(objective.start.isEmpty ? "" : "start: \(objective.start)")
            steps: \(steps)
            runs:
            \(runs.joined(separator: "\n"))
            \(events.isEmpty ? "" : "events:\n" + events.joined(separator: "\n"))

            """
    }

    @Test(arguments: [("runs[0].state", "state: {step: 3, parameters: [0.5, 0.5]}", "a saved state is not exported to torch"),
                      ("events[0]", "events: [{step: 2, run: a, set: {update: sign}}]", "a change of update or convention mid-run is not exported"),
                      ("events[1]", "events: [{step: 1, run: a, copy: b}, {step: 2, run: b, set: {lr: 0.1}}]", "an lr edit on a scheduled run is not exported")])
    func whatIsNotExportedIsSaid(field: String, addition: String, message: String) throws {
        let folder = try Self.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/refused.yaml"
        let state = addition.hasPrefix("state") ? ", " + addition : ""
        let events = addition.hasPrefix("events") ? addition : ""
        try """
            name: refused
            objective: {kind: booth}
            start: [-3, -1]
            steps: 10
            runs: [{label: a, lr: 0.01, schedule: {kind: exponential, gamma: 0.9}\(state)}]
            \(events)

            """.write(toFile: file, atomically: true, encoding: .utf8)
        let result = InProcess.run(["export", file, "--torch"])
        #expect(result.status == 2 && result.stderr.contains("\(field): \(message)"), "\(result.stderr)")
    }

    /// The script needs torch and the standard library only, and names what it reproduces.
    @Test func scriptIsSelfContained() {
        let result = InProcess.run(["export", Binary.projectRoot + "/Scenarios/17-lr-schedules.yaml", "--torch"])
        #expect(result.status == 0)
        let imports = result.stdout.split(separator: "\n").filter { $0.hasPrefix("import ") || $0.hasPrefix("from ") }
        #expect(imports == ["import copy", "import math", "import torch"], "\(imports)")
        #expect(result.stdout.contains("torch.optim.lr_scheduler.StepLR(o, step_size=50, gamma=0.5)"))
        let regression = InProcess.run(["export", Binary.projectRoot + "/Scenarios/11-iris-logistic-regression.yaml", "--torch"])
        #expect(regression.stdout.contains("DATA = \"\(Binary.projectRoot)/Scenarios/data/iris-virginica.csv\""))
        #expect(regression.stdout.contains("import csv"))
        #expect(InProcess.run(["export", Binary.projectRoot + "/Scenarios/17-lr-schedules.yaml"]).stderr.contains("give --torch"))
    }
}
