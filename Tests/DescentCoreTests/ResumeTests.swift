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
