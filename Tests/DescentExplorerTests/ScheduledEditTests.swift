import DescentCore
import Foundation
import Testing
@testable import DescentExplorer

/// Hand edits, the map and replays agree with each other and with torch under schedules whose lr goes
/// negative or starts below its base.
@Suite struct ScheduledEditTests {
    static func state(_ yaml: String, width: Int = 120, height: Int = 40) throws -> ExplorerState {
        ExplorerState(experiment: try Experiment(scenario: try Scenario.decode(yaml: yaml, file: "s.yaml")), width: width, height: height,
                      options: RenderOptions(color: false))
    }

    static let negative = """
        name: negative lr
        objective: {kind: quadratic, eigenvalues: [1, 3]}
        start: [1, 1]
        steps: 40
        runs:
          - {label: a, lr: 0.1, schedule: {kind: exponential, gamma: -0.9}}
        """

    /// At step 1 the lr is −0.09: a new momentum is still taken (torch assigns it), it is recorded, and the
    /// file `w` writes reads back and replays to the same run.
    @Test func aMomentumEditUnderANegativeLRIsTakenAndReplays() throws {
        var s = try Self.state(Self.negative)
        s.advanceSteps(1)
        #expect(s.selected.hyperparameters.lr < 0)
        for message in try KeyScript.parse("<down><right>") { s.update(message) }
        #expect(s.selected.hyperparameters.momentum > 0, "\(s.status ?? "")")
        s.advanceSteps(10)
        let written = try Scenario.decode(yaml: s.scenarioText(), file: "w.yaml")
        var replayed = try Experiment(scenario: written).programs()[0]
        replayed.play(steps: s.selected.stepCount)
        #expect(replayed.run.parameters == s.selected.parameters)
    }

    /// A `set` event that gives no lr is not refused for an lr the schedule has taken below zero.
    @Test func eventsAreCheckedOnTheFieldsTheyGive() throws {
        let yaml = """
            name: s
            objective: {kind: quadratic, eigenvalues: [1, 3]}
            start: [1, 1]
            steps: 20
            runs:
              - {label: a, lr: 0.1, schedule: {kind: multistep, milestones: [0, 3], gamma: -1}}
            events:
              - {step: 6, run: a, set: {momentum: 0.5}}
            """
        let experiment = try Experiment(scenario: try Scenario.decode(yaml: yaml, file: "s.yaml"))
        var program = experiment.programs()[0]
        program.play(steps: 20)
        #expect(program.run.hyperparameters.momentum == 0.5)
    }

    /// The map's own cell is the run's setting: enter on it leaves the lr as it is, with a warm-up schedule
    /// whose first lr is a quarter of its base.
    @Test func enterOnTheMapsOwnCellKeepsTheLR() throws {
        var s = try Self.state("""
            name: warm
            objective: {kind: quadratic, eigenvalues: [1, 3]}
            start: [1, 1]
            steps: 40
            runs:
              - {label: a, lr: 0.1, schedule: {kind: linear-warmup, steps: 10, start_factor: 0.25}}
            """)
        let before = s.selected.hyperparameters.lr, base = s.selected.optimizer.baseLR
        s.update(.key(.character("m")))
        while s.wantsTicks { s.update(.tick) }
        s.update(.key(.enter))
        #expect(s.selected.hyperparameters.lr == before && s.selected.optimizer.baseLR == base)
    }

    /// A run whose parameters become infinite while tanh keeps its loss finite is a diverged cell of the map,
    /// as `run` calls it diverged.
    @Test func mapShadesADivergedCellWhateverItsLoss() throws {
        let experiment = try Experiment(scenario: try Scenario.decode(yaml: """
            name: tanh
            objective: {kind: expression, f: tanh(x) + tanh(y)}
            start: [0.5, 0.5]
            steps: 2000
            runs:
              - {label: a, lr: 1, weight_decay: 3}
            """))
        #expect(experiment.summaries()[0].status != .running && experiment.summaries()[0].finalLoss.isFinite)
        let sweep = try Sweep(base: experiment.runs[0], x: SweepAxis(field: .lr, from: 0.5, to: 1, count: 3, logarithmic: false),
                              y: SweepAxis(field: .weightDecay, from: 0, to: 3, count: 3, logarithmic: false), steps: 2000, metric: .finalLoss)
        let cells = sweep.run(cells: sweep.cells(in: nil))
        let scale = SweepScale(metric: .finalLoss, values: cells.map(\.value), startLoss: experiment.runs[0].loss)
        let own = try #require(cells.first { $0.x == 1 && $0.y == 3 })
        #expect(own.diverged && own.value?.isFinite == true && scale.shade(own.value, diverged: own.diverged) == .diverged)
        for cell in cells { #expect(cell.diverged == sweep.runOne(cell: cell.index).diverged) }
    }

    /// A session too long to replay while the explorer opens is replayed away from the frames: the first
    /// frame says so, keys other than q wait, and the replayed session is the one `descent run` plays.
    @Test func aLongSessionReplaysInTheBackground() throws {
        let yaml = """
            name: long
            objective: {kind: rosenbrock}
            start: [-1.5, 2]
            steps: 3000000
            runs:
              - {label: a, lr: 0.0001, momentum: 0.9}
            events:
              - {step: 10, run: a, set: {momentum: 0.5}}
            """
        var s = try Self.state(yaml, width: 80, height: 24)
        let replay = try #require(s.replaying)
        #expect(s.render().text.contains("replaying the file's 1 events"))
        let quit = s.update(.key(.character("q")))
        #expect(quit == [.quit])
        var reported: [Int] = []
        var session = try #require(ExplorerState.replayed(replay.experiment) { reported.append($0) })
        #expect(reported.count > 100 && reported == reported.sorted())
        s.update(.replayProgress(steps: reported[reported.count / 2]))
        #expect(s.render().text.contains("replaying") && s.render().text.contains("%"))
        // A session for another replay (one abandoned for another file) does not land.
        s.update(.replayed(session))
        #expect(s.replaying != nil)
        session.id = replay.id
        let space = s.update(.key(.character(" ")))
        s.update(.replayed(session))
        #expect(space.isEmpty && s.replaying == nil && s.selected.stepCount == 3_000_000)
        #expect(s.playing, "space pressed during the replay runs the session on")
        var program = try Experiment(scenario: try Scenario.decode(yaml: yaml)).programs()[0]
        program.play(steps: 3_000_000)
        #expect(s.selected.parameters == program.run.parameters)
    }
}

/// The picker's files are read only when it first opens: `o` asks the driver for them, and what is not a
/// scenario leaves the list.
@Suite struct LazyPickerTests {
    @Test func filesAreDescribedWhenThePickerOpens() throws {
        let experiment = try Experiment(scenario: .builtInDefault)
        var s = ExplorerState(experiment: experiment, width: 100, height: 30, options: RenderOptions(color: false),
                              choices: [.objective("beale"), .file(path: "a.yaml"), .file(path: "notes.yaml")])
        let effects = s.update(.key(.character("o")))
        #expect(effects == [.describe(paths: ["a.yaml", "notes.yaml"])])
        #expect(s.render().text.contains("a.yaml"))
        s.update(.described(path: "a.yaml", name: "A ravine", description: "long and narrow"))
        s.update(.described(path: "notes.yaml", name: nil, description: nil))
        #expect(s.choices == [.objective("beale"), .scenario(path: "a.yaml", name: "A ravine", description: "long and narrow")])
        s.update(.key(.escape))
        #expect(s.update(.key(.character("o"))).isEmpty, "read once")
    }
}

/// A session whose events delete every run (found by fuzzing: the explorer indexed an empty list of runs)
/// opens on its runs from their start and says why, whether it replays at once or in the background.
@Suite struct EveryRunDeletedTests {
    @Test(arguments: [100, 3_000_000])
    func aSessionThatDeletesEveryRunOpensOnItsStart(steps: Int) throws {
        let yaml = """
            name: gone
            objective: {kind: rosenbrock}
            start: [-1.5, 2]
            steps: \(steps)
            runs:
              - {label: a, lr: 0.0001}
            events:
              - {step: 5, run: a, delete: true}
            """
        var s = ExplorerState(experiment: try Experiment(scenario: try Scenario.decode(yaml: yaml)), width: 80, height: 24,
                              options: RenderOptions(color: false))
        s.finishReplay()
        #expect(s.replaying == nil && s.runs.count == 1 && s.selected.stepCount == 0)
        #expect(s.render().text.contains("delete every run"))
        s.update(.key(.character(" ")))
        s.update(.tick)
        _ = s.render()
    }
}
