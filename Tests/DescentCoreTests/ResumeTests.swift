import Foundation
import Testing
@testable import DescentCore

/// A run saved halfway with its state and resumed ends where the unbroken run ends, bit for bit.
@Suite struct ResumeTests {
    @Test(arguments: ["01-ravine-heavy-ball-vs-nesterov", "02-rosenbrock-valley", "13-minibatch-noise", "14-sign-vs-sgd",
                      "17-lr-schedules", "18-momentum-conventions", "19-gradient-noise", "06-dampening"])
    func resumedRunsEndWhereUnbrokenRunsEnd(scenario name: String) throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        let experiment = try Experiment.load(contentsOf: root + "/Scenarios/\(name).yaml")
        let steps = experiment.scenario.steps, half = steps / 2 + 1
        // Saved as text and read back, as `descent run --save-state` writes it and `descent run` reads it.
        let saved = try Scenario.decode(yaml: experiment.savedAfter(steps: half).yamlText(), file: "saved.yaml")
        var resumed = saved
        resumed.steps = steps
        let goingOn = try Experiment(scenario: resumed)
        for (whole, part) in zip(experiment.programs(), goingOn.programs()) {
            var a = whole, b = part
            a.play(steps: steps); b.play(steps: steps)
            #expect(a.run.label == b.run.label)
            #expect(a.run.stepCount == b.run.stepCount, "\(name) '\(a.run.label)'")
            #expect(a.run.parameters.map(\.bitPattern) == b.run.parameters.map(\.bitPattern), "\(name) '\(a.run.label)'")
            #expect(a.run.loss.bitPattern == b.run.loss.bitPattern, "\(name) '\(a.run.label)'")
            #expect(a.run.optimizer == b.run.optimizer, "\(name) '\(a.run.label)'")
        }
    }

    @Test func badStatesAreOneLine() throws {
        for (state, field) in [("{step: 3, parameters: [1]}", "parameters"), ("{step: -1, parameters: [1, 2]}", "step"),
                               ("{step: 3, parameters: [1, 2], momentum_buffer: [1]}", "momentum_buffer"),
                               ("{step: 3, parameters: [1, 2], speed: 1}", "speed")] {
            let yaml = "name: s\nobjective: {kind: rosenbrock}\nstart: [-1, 1]\nruns:\n  - {label: a, lr: 0.001, state: \(state)}\n"
            let path = NSTemporaryDirectory() + "descent-state-\(getpid()).yaml"
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            do { _ = try Experiment.load(contentsOf: path); Issue.record("\(state) accepted") } catch {
                #expect(error.description.hasPrefix(path + ":5: runs[0].state") && error.description.contains(field), "\(error)")
            }
        }
    }

    /// Saved and read back: a run whose momentum was set to 0 (torch keeps its buffer), a run that diverged
    /// (written to start over), a full-batch run under an objective that batches.
    @Test func awkwardRunsSaveAndLoad() throws {
        let yaml = """
            name: s
            objective: {kind: linear-regression, synthetic: {samples: 20, weights: [2, 1], bias: 0, noise: 0.1, seed: 3}, batch_size: 4}
            start: [0, 0, 0]
            steps: 10
            runs:
              - {label: full, lr: 0.1, batch_size: 20}
              - {label: stops, lr: 0.1, momentum: 0.9}
              - {label: blows, lr: 1.0e+150}
            events:
              - {step: 5, run: stops, set: {momentum: 0}}
            """
        let experiment = try Experiment(scenario: Scenario.decode(yaml: yaml, file: "s.yaml"))
        var saved = try Scenario.decode(yaml: experiment.savedAfter(steps: 10).yamlText(), file: "t.yaml")
        #expect(saved.runs.first { $0.label == "blows" }?.state == nil)
        saved.steps = 20
        let goingOn = try Experiment(scenario: saved)
        var whole = experiment
        whole.scenario.steps = 20
        for (a, b) in zip(whole.programs(), goingOn.programs()) where a.run.label != "blows" {
            var a = a, b = b
            a.play(steps: 20); b.play(steps: 20)
            #expect(a.run.parameters == b.run.parameters, "\(a.run.label)")
        }
    }
}

/// The law over random scenarios: run to k and save (`--save-state`), read the file back and go on to n: the
/// same as running to n unbroken, bit for bit, for every objective, schedule (torch's odd arguments included,
/// and lrs a negative gamma makes negative) and event list; and whatever is written reads.
@Suite struct ResumeLawTests {
    static let objectives = [
        "{kind: quadratic, eigenvalues: [1, 20], angle: 30}", "{kind: rosenbrock}",
        "{kind: expression, f: sin(x)*cos(y) + 0.1*(x^2 + y^2)}",
        "{kind: linear-regression, synthetic: {samples: 30, weights: [2], bias: 0.5, noise: 0.2, seed: 4}, batch_size: 7}",
    ]
    static let schedules = [
        "", ", schedule: {kind: exponential, gamma: -0.97}", ", schedule: {kind: exponential, gamma: 0.93}",
        ", schedule: {kind: step, step_size: -3, gamma: 0.7}", ", schedule: {kind: multistep, milestones: [9, 0, 4, 4], gamma: 0.6}",
        ", schedule: {kind: cosine, t_max: -7, eta_min: 0.0001}", ", schedule: {kind: cosine, t_max: 5}",
        ", schedule: {kind: linear-warmup, steps: 0, start_factor: 0.5}", ", schedule: {kind: linear-warmup, steps: 6}",
    ]

    @Test(arguments: 0..<40)
    func saveThenResumeEqualsTheUnbrokenRun(seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(seed) * 7919 + 11)
        func pick<T>(_ xs: [T]) -> T { xs[rng.nextIndex(below: xs.count)] }
        let objective = pick(Self.objectives)
        let regression = objective.contains("regression")
        let k = 1 + rng.nextIndex(below: 40), n = k + 1 + rng.nextIndex(below: 40)
        var runs: [String] = [], events: [String] = []
        for r in 0..<(1 + rng.nextIndex(below: 3)) {
            let lr = regression ? 0.05 : [1e-3, 1e-2, 0.05][rng.nextIndex(below: 3)]
            let momentum = pick([0, 0.5, 0.9])
            let extras = [momentum > 0 && rng.nextIndex(below: 2) == 0 ? ", nesterov: true" : "",
                          rng.nextIndex(below: 3) == 0 ? ", update: sign" : "", rng.nextIndex(below: 3) == 0 ? ", weight_decay: 0.01" : "",
                          !regression && rng.nextIndex(below: 4) == 0 ? ", noise: 0.1, seed: \(r + 1)" : ""].joined()
            runs.append("  - {label: r\(r), lr: \(lr), momentum: \(momentum)\(extras)\(pick(Self.schedules))}")
            // Events at the run's own steps, all before the save.
            var at = 0
            for _ in 0..<rng.nextIndex(below: 3) {
                at += rng.nextIndex(below: max(1, k - at))
                guard at <= k else { break }
                switch rng.nextIndex(below: 4) {
                case 0: events.append("  - {step: \(at), run: r\(r), set: {momentum: \(pick([0.3, 0.8])), weight_decay: \(pick([0, 0.02]))}}")
                case 1: events.append("  - {step: \(at), run: r\(r), set: {lr: \(pick([1e-3, 0.02]))}}")
                case 2: events.append("  - {step: \(at), run: r\(r), reset: true}"); at = 0
                default: events.append("  - {step: \(at), run: r\(r), copy: r\(r) copy\(events.count)}")
                }
            }
        }
        let start = regression ? "[0, 0]" : "[-1.2, 1.1]"
        let yaml = "name: law\nobjective: \(objective)\nstart: \(start)\nsteps: \(k)\nruns:\n" + runs.joined(separator: "\n")
            + (events.isEmpty ? "" : "\nevents:\n" + events.joined(separator: "\n")) + "\n"
        let experiment = try Experiment(scenario: Scenario.decode(yaml: yaml, file: "law.yaml"))
        let text = experiment.savedAfter(steps: k).yamlText()
        var saved = try Scenario.decode(yaml: text, file: "saved.yaml")
        saved.steps = n
        let goingOn = try Experiment(scenario: saved)
        var whole = experiment
        whole.scenario.steps = n
        let atSave = experiment.programs().map { p -> Bool in var p = p; p.play(steps: k); return p.run.isDiverged }
        for ((a, b), diverged) in zip(zip(whole.programs(), goingOn.programs()), atSave) where !diverged {
            var a = a, b = b
            a.play(steps: n); b.play(steps: n)
            let context = "\(yaml)\nsaved:\n\(text)\nrun \(a.run.label)"
            #expect(a.run.label == b.run.label, "\(context)")
            #expect(a.run.stepCount == b.run.stepCount && a.run.status == b.run.status, "\(context)")
            #expect(a.run.parameters.map(\.bitPattern) == b.run.parameters.map(\.bitPattern), "\(context)")
            #expect(a.run.optimizer == b.run.optimizer, "\(context)")
        }
    }
}
