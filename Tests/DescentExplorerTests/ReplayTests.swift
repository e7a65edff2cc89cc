import DescentCore
import Foundation
import Testing
@testable import DescentExplorer

/// A session in the explorer, written with `w`, replays headless bit for bit.
@Suite struct ReplayTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// Writes the session as `w` does, reads it back as `descent run` does, plays every run to the step the
    /// explorer's run is at, and compares θ, the loss and the momentum buffer bit for bit.
    func expectReplay(_ state: ExplorerState, _ note: String) throws {
        let text = state.scenarioForWriting().scenario.yamlText()
        // The file `w` writes lands in the working folder, and its data path is relative to it: read it as
        // from there, without changing the process's folder under the other tests.
        let folder = state.workingFolder ?? FileManager.default.currentDirectoryPath
        let replayed = try Experiment(scenario: Scenario.decode(yaml: text), file: folder + "/replayed.yaml")
        let programs = replayed.programs()
        for run in state.runs {
            var program = try #require(programs.first { $0.run.label == run.label }, "\(note): no program for '\(run.label)'\n\(text)")
            program.play(steps: run.stepCount)
            #expect(program.run.stepCount == run.stepCount, "\(note) '\(run.label)'")
            #expect(program.run.parameters.map(\.bitPattern) == run.parameters.map(\.bitPattern), "\(note) '\(run.label)'\n\(text)")
            #expect(program.run.loss.bitPattern == run.loss.bitPattern, "\(note) '\(run.label)'")
            #expect(program.run.optimizer == run.optimizer, "\(note) '\(run.label)': optimizer state")
        }
    }

    @Test func scriptedSessionReplays() throws {
        var state = ExplorerState(experiment: try Experiment.load(contentsOf: Self.root + "/Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml"),
                                  options: RenderOptions(color: false), workingFolder: Self.root)
        // Step, raise lr, step, add a copy and give it momentum 0.95, step, reset, step, delete a run,
        // rename one, move the start with a click, step.
        for message in try KeyScript.parse("nnnnn<right>nnnnannn<down><right>nnnnrnnn<tab>d") { state.update(message) }
        state.update(.key(.character("R")))
        for message in try KeyScript.parse("renamed<enter>nn") { state.update(message) }
        let plot = state.layout.plot
        state.update(.click(x: plot.x + plot.width / 3, y: plot.y + plot.height / 2))
        for message in try KeyScript.parse("nnnnP<space>" + String(repeating: "<tick>", count: 10)) { state.update(message) }
        #expect(state.sessionLog.entries.count >= 8)
        try expectReplay(state, "scripted")
    }

    /// Random sessions on several scenarios (schedules, noise, minibatches, Sutskever's momentum among them).
    @Test(arguments: ["01-ravine-heavy-ball-vs-nesterov", "02-rosenbrock-valley", "13-minibatch-noise", "17-lr-schedules",
                      "18-momentum-conventions", "19-gradient-noise", "06-dampening"])
    func randomSessionsReplay(scenario: String) throws {
        var rng = SeededGenerator(seed: UInt64(scenario.count))
        let keys = ["n", "n", "n", "nnnnn", "<right>", "<left>", "<up>", "<down>", "<tab>", "a", "d", "r", "<space><tick><tick><space>"]
        for trial in 0..<4 {
            var state = ExplorerState(experiment: try Experiment.load(contentsOf: Self.root + "/Scenarios/\(scenario).yaml"),
                                      options: RenderOptions(color: false), workingFolder: Self.root)
            var script = ""
            for _ in 0..<30 { script += keys[rng.nextIndex(below: keys.count)] }
            for message in try KeyScript.parse(script) { state.update(message) }
            try expectReplay(state, "\(scenario) trial \(trial): \(script)")
        }
    }
}

/// A file with events opens replayed: the explorer shows what `descent run` ends with, and writes the
/// events again (with whatever is done next).
@Suite struct OpenedSessionTests {
    @Test func sessionFileOpensReplayed() throws {
        let experiment = try Experiment.load(contentsOf: ReplayTests.root + "/Scenarios/20-session-replay.yaml")
        var state = ExplorerState(experiment: experiment, options: RenderOptions(color: false), workingFolder: ReplayTests.root)
        let programs = experiment.programs()
        #expect(state.runs.map(\.label) == ["heavy ball", "momentum kept", "nesterov"])
        for run in state.runs {
            var program = try #require(programs.first { $0.run.label == run.label })
            program.play(steps: experiment.scenario.steps)
            #expect(program.run.parameters == run.parameters && program.run.optimizer == run.optimizer, "\(run.label)")
        }
        #expect(state.status?.contains("replayed") == true)
        for message in try KeyScript.parse("nnn<tab><right>nn") { state.update(message) }
        let written = state.scenarioForWriting().scenario
        #expect(written.events.count == experiment.scenario.events.count + 1)
        #expect(written.expect.count == experiment.scenario.expect.count, "the checks still name live runs")
        try ReplayTests().expectReplay(state, "opened session")
    }
}

/// A renamed run keeps its checks in what `w` writes.
@Suite struct RenameTests {
    @Test func checksFollowRenames() throws {
        var state = ExplorerState(experiment: try Experiment.load(contentsOf: ReplayTests.root + "/Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml"),
                                  options: RenderOptions(color: false))
        state.update(.key(.character("R")))
        for message in try KeyScript.parse("ball<enter>") { state.update(message) }
        let (written, leftOut) = state.scenarioForWriting()
        #expect(leftOut.isEmpty, "\(leftOut)")
        #expect(written.expect.contains { $0.runLabels.contains("ball") })
    }
}

/// Events can come after the furthest step a run has now (a reset after running on): the file still loads.
@Suite struct LateEventTests {
    @Test func eventsPastTheCurrentStepsStillLoad() throws {
        var scenario = try Scenario.decode(yaml: "name: s\nobjective: {kind: rosenbrock}\nstart: [-1, 1]\nsteps: 3\nruns:\n  - {label: a, lr: 0.001}\n", file: "s.yaml")
        scenario.steps = 3
        var state = ExplorerState(experiment: try Experiment(scenario: scenario), options: RenderOptions(color: false))
        for message in try KeyScript.parse("nnnnnnrn") { state.update(message) }
        let written = state.scenarioForWriting().scenario
        #expect(try Experiment(scenario: Scenario.decode(yaml: written.yamlText(), file: "w.yaml")).programs().count == 1)
    }
}

/// What the map and `w` take from a run are its start: a scheduled run's own map cell is its first lr, and a
/// run resumed from a saved state is written with that state.
@Suite struct FromTheStartTests {
    @Test func scheduledRunsOwnCellIsItsStart() throws {
        var s = ExplorerState(experiment: try Experiment.load(contentsOf: ReplayTests.root + "/Scenarios/17-lr-schedules.yaml"),
                              options: RenderOptions(color: false))
        for message in try KeyScript.parse("<tab><tab><tab>" + String(repeating: "n", count: 40) + "m") { s.update(message) }
        let map = try #require(s.mapView)
        var atStart = s.selected
        atStart.reset()
        #expect(map.sweep.hyperparameters(cell: map.cursor.y * map.columns + map.cursor.x) == atStart.hyperparameters)
        #expect(s.selected.hyperparameters.lr != atStart.hyperparameters.lr, "the schedule has moved on")
    }

    @Test func resumedRunKeepsItsStateWhenWritten() throws {
        let yaml = "name: s\nobjective: {kind: rosenbrock}\nstart: [-1.5, 2]\nsteps: 20\nruns:\n  - {label: a, lr: 0.001, momentum: 0.9, state: {step: 7, parameters: [-1, 1], momentum_buffer: [0.5, -0.5]}}\n"
        var s = ExplorerState(experiment: try Experiment(scenario: Scenario.decode(yaml: yaml, file: "s.yaml")), options: RenderOptions(color: false))
        for message in try KeyScript.parse("nnn") { s.update(message) }
        let written = try Scenario.decode(yaml: s.scenarioText())
        #expect(written.runs[0].state == RunState(step: 7, parameters: [-1, 1], momentumBuffer: [0.5, -0.5], lr: nil))
    }
}
