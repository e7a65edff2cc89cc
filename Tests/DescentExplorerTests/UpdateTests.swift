import DescentCore
import Foundation
import Testing
@testable import DescentExplorer

@Suite struct UpdateTests {
    func state(_ scenario: Scenario = .builtInDefault, width: Int = 120, height: Int = 40) throws -> ExplorerState {
        ExplorerState(experiment: try Experiment(scenario: scenario), width: width, height: height,
                      options: RenderOptions(color: false))
    }

    func press(_ state: inout ExplorerState, _ keys: String) throws -> [Effect] {
        try KeyScript.parse(keys).flatMap { state.update($0) }
    }

    /// The explorer steps the same `Run` as `descent run`: after N ticks the numbers are identical, bit for bit.
    @Test func ticksGiveTheSameNumbersAsTheHeadlessRunner() throws {
        var s = try state()
        _ = try press(&s, "<space>")
        for _ in 0..<30 { s.update(.tick) }  // 2 steps a frame
        let headless = try Experiment(scenario: .builtInDefault).trajectories(steps: 60)
        for (run, trajectory) in zip(s.runs, headless) {
            #expect(run.stepCount == 60)
            #expect(run.parameters == trajectory.finalPoint)
            #expect(run.loss == trajectory.finalLoss)
        }
    }

    @Test func pausedTicksDoNothingAndNSteps() throws {
        var s = try state()
        s.update(.tick)
        #expect(s.runs[0].stepCount == 0)
        _ = try press(&s, "nnn")
        #expect(s.runs.allSatisfy { $0.stepCount == 3 })
        #expect(s.render().text.contains("step   3"))
    }

    @Test func arrowsChangeTheSelectedHyperparameterOfTheSelectedRun() throws {
        var s = try state()
        #expect(s.selectedField == .lr)
        _ = try press(&s, "<right>")
        #expect(s.runs[0].hyperparameters.lr == 0.04)
        #expect(s.runs[1].hyperparameters.lr == 0.03)
        _ = try press(&s, "<tab><down><left>")
        #expect(s.runs[1].hyperparameters.momentum == 0.85)
        _ = try press(&s, "<down><down><down><down><right>")  // maximize
        #expect(s.runs[1].hyperparameters.maximize)
        _ = try press(&s, "<down><right>")
        #expect(s.runs[1].hyperparameters.update == .sign)
    }

    @Test func aChangeKeepsTheMomentumBuffer() throws {
        var s = try state()
        _ = try press(&s, "nnnnn")
        let buffer = s.runs[0].optimizer.state.momentumBuffer
        _ = try press(&s, "<right>")
        #expect(s.runs[0].optimizer.state.momentumBuffer == buffer)
    }

    @Test func invalidValuesAreRefusedWithTheOptimizersMessage() throws {
        var s = try state()
        _ = try press(&s, "<tab><down><down><right>")  // dampening 0.05 on the Nesterov run
        #expect(s.status == "Nesterov momentum requires a momentum and zero dampening")
        #expect(s.runs[1].hyperparameters.dampening == 0)
        _ = try press(&s, "<up><up><enter><bs><bs><bs><bs>-1<enter>")
        #expect(s.status == "Invalid learning rate: -1.0")
        #expect(s.runs[1].hyperparameters.lr == 0.03)
        #expect(s.render().text.contains("Invalid learning rate: -1.0"))
    }

    @Test func typingAnExactValueAndCancelling() throws {
        var s = try state()
        _ = try press(&s, "<enter><bs><bs><bs><bs>0.011<enter>")
        #expect(s.runs[0].hyperparameters.lr == 0.011)
        _ = try press(&s, "<enter>5<esc>")
        #expect(s.runs[0].hyperparameters.lr == 0.011)
        #expect(s.mode == .normal)
    }

    @Test func addAndDeleteRuns() throws {
        var s = try state()
        _ = try press(&s, "nn<tab>a")
        #expect(s.runs.map(\.label) == ["heavy ball", "nesterov", "nesterov (2)"])
        #expect(s.selectedRun == 2)
        #expect(s.runs[2].parameters == s.runs[1].parameters)
        _ = try press(&s, "ddd")
        #expect(s.runs.count == 1)
        #expect(s.status == "the last run cannot be deleted")
    }

    @Test func divergedRunFreezesWhileOthersGoOn() throws {
        var s = try state()
        _ = try press(&s, "<enter><bs><bs><bs><bs>1<enter><space>")
        for _ in 0..<100 { s.update(.tick) }
        guard case .diverged(let step, _) = s.runs[0].status else { Issue.record("heavy ball did not diverge"); return }
        #expect(s.runs[0].stepCount == step)
        #expect(s.runs[1].stepCount == 150)
        #expect(s.render().text.contains("diverged at \(step)\n"))
    }

    /// Running stops at the scenario's steps and says so; space runs on past them; reset re-arms the pause.
    @Test func runningPausesAtTheScenariosSteps() throws {
        var s = try state()
        #expect(s.pauseAtStep == 150)
        _ = try press(&s, "<space>")
        for _ in 0..<100 { s.update(.tick) }
        #expect(s.runs.allSatisfy { $0.stepCount == 150 })
        #expect(!s.playing)
        #expect(s.render().text.contains("paused at step 150"))
        _ = try press(&s, "<space>")
        for _ in 0..<10 { s.update(.tick) }
        #expect(s.runs.allSatisfy { $0.stepCount == 170 })
        #expect(s.playing)
        _ = try press(&s, "r")  // still running: the pause is armed again
        for _ in 0..<100 { s.update(.tick) }
        #expect(s.runs.allSatisfy { $0.stepCount == 150 })
    }

    /// One step a second: a tick is a thirtieth of a second, so thirty ticks make one step.
    @Test func slowSpeedsTakeWholeStepsAtTheirRate() throws {
        var s = try state()
        _ = try press(&s, "sssss<space>")
        #expect(s.speed == 1)
        for _ in 0..<29 { s.update(.tick) }
        #expect(s.runs[0].stepCount == 0)
        s.update(.tick)
        #expect(s.runs[0].stepCount == 1)
        for _ in 0..<60 { s.update(.tick) }
        #expect(s.runs[0].stepCount == 3)
        #expect(s.render().text.contains("1 step/s"))
    }

    @Test func resetReturnsEveryRunToTheStart() throws {
        var s = try state()
        _ = try press(&s, "nnnr")
        #expect(s.runs.allSatisfy { $0.stepCount == 0 && $0.parameters == [-3, 2] })
        #expect(s.histories.allSatisfy { $0.count == 1 })
    }

    @Test func speedAndZoom() throws {
        var s = try state()
        let before = s.viewport
        _ = try press(&s, "ff+")
        #expect(s.speed == 300)
        #expect(s.viewport.xMax - s.viewport.xMin < before.xMax - before.xMin)
        _ = try press(&s, "L0")
        #expect(s.viewport == before)
        _ = try press(&s, "ssssssssss")
        #expect(s.speed == 1)
    }

    @Test func clickMovesTheStart() throws {
        var s = try state()
        _ = try press(&s, "nn")
        let landscape = s.layout.plot
        s.update(.click(x: landscape.x + landscape.width / 2, y: landscape.y + landscape.height / 2))
        #expect(s.runs.allSatisfy { $0.stepCount == 0 })
        let start = s.runs[0].start
        #expect(abs(start[0] - (s.viewport.xMin + s.viewport.xMax) / 2) < (s.viewport.xMax - s.viewport.xMin) / Double(landscape.width))
        #expect(s.runs[1].start == start)
    }

    @Test func writeGivesAScenarioThatLoadsBack() throws {
        var s = try state()
        _ = try press(&s, "<right><tab>a")
        let effects = try press(&s, "w")
        guard case let .writeNewFile(stem, ext, contents, _) = effects.first else { Issue.record("no write effect"); return }
        #expect(stem == "descent-heavy-ball-vs-nesterov-in-a-ravine" && ext == "yaml")
        let back = try Experiment(scenario: Scenario.decode(yaml: contents))
        #expect(back.runs.map(\.label) == ["heavy ball", "nesterov", "nesterov (2)"])
        #expect(back.runs.map(\.hyperparameters) == s.runs.map(\.hyperparameters))
        #expect(back.scenario.objective == s.experiment.scenario.objective)
    }

    @Test func exportWritesTheKeptTrajectoriesAsCSV() throws {
        var s = try state()
        _ = try press(&s, "nn")
        guard case let .writeNewFile(_, ext, contents, _) = try press(&s, "e").first else { Issue.record("no effect"); return }
        #expect(ext == "csv")
        let headless = TrajectoryReport.csv(try Experiment(scenario: .builtInDefault).trajectories(steps: 2))
        #expect(contents == headless)
    }

    @Test func historyStaysBounded() throws {
        var s = try state()
        s.advanceSteps(20_000)
        #expect(s.runs[1].stepCount == 20_000)
        #expect(s.histories.allSatisfy { $0.count <= ExplorerState.historyBound })
        #expect(s.histories[1].steps.first == 0 && s.histories[1].steps.last == 20_000)
        // The first steps, where the lesson is, are all kept.
        #expect(Array(s.histories[1].steps.prefix(ExplorerState.historyBound / 2)) == Array(0..<ExplorerState.historyBound / 2))
    }

    @Test func quitAndHelp() throws {
        var s = try state()
        _ = try press(&s, "?")
        #expect(s.mode == .help(0))
        #expect(s.render().text.contains("select a hyperparameter"))
        _ = try press(&s, "<esc>")
        #expect(s.mode == .normal)
        #expect(try press(&s, "q") == [.quit])
    }

    @Test func pickerSwitchesObjective() throws {
        var s = ExplorerState(experiment: try Experiment(scenario: .builtInDefault), options: RenderOptions(color: false),
                              choices: [.objective("quadratic"), .objective("rosenbrock"), .scenario(path: "x.yaml", name: "x", description: nil)])
        _ = try press(&s, "o<down><enter>")
        #expect(s.experiment.objective.kind == "rosenbrock")
        // Named by what they now are: the old labels may name settings they no longer have.
        #expect(s.runs.map(\.label) == ["momentum", "nesterov"])
        #expect(try press(&s, "o<down><down><enter>") == [.open(path: "x.yaml")])
    }

    @Test func tooSmallShowsOnlyTheMessageUntilItGrows() throws {
        var s = try state()
        s.update(.resize(width: 79, height: 24))
        #expect(s.render().text.trimmingCharacters(in: .whitespacesAndNewlines) == "terminal too small: need 80x24, have 79x24")
        s.update(.resize(width: 120, height: 40))
        #expect(s.render().text.contains("Hyperparameters"))
    }

    /// The value shown when typing starts is selected: the first character replaces it, backspace clears it.
    @Test func typingReplacesTheShownValue() throws {
        var s = try state()
        _ = try press(&s, "<enter>0.011<enter>")
        #expect(s.runs[0].hyperparameters.lr == 0.011)
        _ = try press(&s, "<enter><bs>0.02<enter>")
        #expect(s.runs[0].hyperparameters.lr == 0.02)
        _ = try press(&s, "<down><down><down><down><down><down><enter>adam<enter>")
        #expect(s.status == "'adam' is not a value for update: sgd or sign")
    }

    /// A typed path that did not open is offered again by the next `o`.
    @Test func aTypedPathThatFailedIsKept() throws {
        var s = try state()
        #expect(try press(&s, "onope.yaml<enter>") == [.open(path: "nope.yaml")])
        s.update(.report("nope.yaml: no such file"))
        _ = try press(&s, "o")
        #expect(s.mode == .picker(0, typed: "nope.yaml"))
    }

    @Test func keyScriptRejectsUnknownNames() {
        #expect(throws: KeyScript.ParseError.self) { try KeyScript.parse("<warp>") }
    }
}
