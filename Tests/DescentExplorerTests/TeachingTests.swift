import DescentCore
import Foundation
import Testing
@testable import DescentExplorer

/// The explorer as a teaching instrument: the picture keeps the lesson, values do not drift, runs keep their
/// looks, files written read back and pass their checks.
@Suite struct TeachingTests {
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Scenarios")

    static func scenarioFiles() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: scenarios.path).filter { $0.hasSuffix(".yaml") }.sorted()
            .map { scenarios.appendingPathComponent($0).path }
    }

    func state(_ experiment: Experiment, width: Int = 120, height: Int = 40, color: Bool = true) -> ExplorerState {
        ExplorerState(experiment: experiment, width: width, height: height, options: RenderOptions(color: color))
    }

    /// Braille dots that differ between two screens (cells that are braille in either).
    static func differingDots(_ a: Grid, _ b: Grid) -> Int {
        var count = 0
        for (x, y) in zip(a.cells, b.cells) {
            func bits(_ cell: Cell) -> UInt8 {
                (0x2800...0x28FF).contains(cell.glyph.value) ? UInt8(cell.glyph.value - 0x2800) : 0
            }
            count += (bits(x) ^ bits(y)).nonzeroBitCount
        }
        return count
    }

    // MARK: The picture after many steps is the picture of the whole path

    @Test(arguments: [
        ("01-ravine-heavy-ball-vs-nesterov.yaml", 200_000), ("02-rosenbrock-valley.yaml", 100_000),
        ("09-himmelblau-basins.yaml", 50_000), ("14-sign-vs-sgd.yaml", 100_000),
    ])
    func boundedHistoryDrawsTheFullTrajectory(file: String, steps: Int) throws {
        let experiment = try Experiment.load(contentsOf: Self.scenarios.appendingPathComponent(file).path)
        var bounded = state(experiment, width: 100, height: 30)
        bounded.advanceSteps(steps)
        #expect(bounded.histories.allSatisfy { $0.count <= ExplorerState.historyBound })
        var full = bounded
        full.histories = experiment.trajectories(steps: steps)
        for (kept, whole) in zip(bounded.histories, full.histories) {
            #expect(kept.steps.last == whole.steps.last)
            #expect(kept.finalPoint == whole.finalPoint)
        }
        let a = bounded.render(), b = full.render()
        let differing = Self.differingDots(a, b)
        let rows = Set((0..<a.cells.count).filter { a.cells[$0].glyph != b.cells[$0].glyph }.map { $0 / a.width }).sorted()
        #expect(differing <= 6, "\(file) after \(steps) steps: \(differing) dots differ from the full trajectory's picture, on rows \(rows)")
    }

    /// The law of the bounded record over random bounds and lengths: the head whole, the tail evenly spaced,
    /// the newest row always there, and every kept row equal to the full record's row of that step.
    @Test func boundedTrajectoryKeepsTheHeadWholeAndTheTailEven() throws {
        var generator = SeededGenerator(seed: 7)
        let experiment = try Experiment(scenario: .builtInDefault)
        for _ in 0..<20 {
            let bound = Int.random(in: 16...300, using: &generator)
            let steps = Int.random(in: 0...5_000, using: &generator)
            var run = experiment.runs[0]
            var kept = Trajectory(startingAt: run, bound: bound)
            var whole = Trajectory(startingAt: run)
            run.advance(by: steps) { kept.record($0); whole.record($0) }
            #expect(kept.count <= bound)
            let head = min(steps + 1, bound / 2)
            #expect(Array(kept.steps.prefix(head)) == Array(0..<head))
            #expect(kept.steps.last == steps)
            let tail = kept.steps.dropFirst(head).dropLast()
            #expect(tail.allSatisfy { ($0 - bound / 2) % kept.stride == 0 })
            #expect(zip(tail, tail.dropFirst()).allSatisfy { $1 - $0 == kept.stride })
            for row in 0..<kept.count {
                let step = kept.steps[row]
                #expect(kept.losses[row] == whole.losses[step] && kept.point(row) == whole.point(step))
                // A row's loss range covers exactly the steps since the row before.
                let covered = whole.losses[(row == 0 ? 0 : kept.steps[row - 1] + 1)...step]
                #expect(kept.lossRange(row) == (covered.min()!, covered.max()!))
            }
        }
    }

    @Test func aLossOfZeroIsDrawnOnTheBottomRowOfTheLogAxis() throws {
        let scenario = Scenario(name: "zero", objective: QuadraticKind.spec(eigenvalues: [1, 1]), start: [1, 1],
                                steps: 3, runs: [RunSpec(label: "exact", hyperparameters: SGDHyperparameters(lr: 1)),
                                                 RunSpec(label: "slow", hyperparameters: SGDHyperparameters(lr: 0.5))])
        var s = state(try Experiment(scenario: scenario), color: false)
        s.advanceSteps(3)
        #expect(s.runs[0].loss == 0)
        let chart = s.layout.lossChart
        let plotBottom = chart.y + chart.height - 2
        // The exact run reaches 0 at step 1; the slow one's smallest loss is 1e-3·… above it.
        let row = s.render().text.split(separator: "\n", omittingEmptySubsequences: false)[plotBottom]
        #expect(row.unicodeScalars.contains { (0x2801...0x28FF).contains($0.value) }, "nothing on the bottom row: \(row)")
    }

    /// On a log step axis the first steps of a long run keep their room: step 10 is a third of the way across.
    @Test func aLogStepAxisGivesTheFirstStepsRoom() throws {
        var s = state(try Experiment(scenario: .builtInDefault), width: 100, height: 30)
        s.advanceSteps(1000)
        s.update(.key(.character("l")))
        #expect(s.logStepAxis)
        let chart = s.layout.lossChart
        let axis = s.render().text.split(separator: "\n", omittingEmptySubsequences: false)[chart.y + chart.height - 1]
        #expect(axis.contains("─1─") || axis.contains("─1──"))
        #expect(axis.contains("10") && axis.contains("100") && axis.contains("1000"))
        let ten = axis.range(of: "10─")!.lowerBound, thousand = axis.range(of: "1000")!.lowerBound
        #expect(axis.distance(from: axis.startIndex, to: ten) < axis.distance(from: axis.startIndex, to: thousand) / 2)
    }

    // MARK: The view holds the lesson

    @Test func theFirstViewHoldsEveryPathThatDoesNotRunAway() throws {
        for file in try Self.scenarioFiles() {
            let experiment = try Experiment.load(contentsOf: file)
            let s = state(experiment)
            let whole = experiment.trajectories()
            for (index, trajectory) in whole.enumerated() where !trajectory.status.isDiverged {
                // A path that settles is in view whole; one that runs away, as far as the flight box.
                let settles = s.flightBox!.contains(s.project(trajectory.finalPoint))
                let outside = (0..<trajectory.count).filter { row in
                    let p = s.project(Array(trajectory.point(row)))
                    return !s.viewport.contains(p) && (settles || s.flightBox!.contains(p))
                }
                #expect(outside.isEmpty, "\(file): run \(index) leaves the first view at steps \(outside.prefix(3))")
            }
            for point in experiment.objective.stationaryPoints + experiment.runs.map(\.start) {
                #expect(s.viewport.contains(s.project(point)), "\(file): \(point) is off the first view")
            }
        }
    }

    /// A run that swings far out and comes back is shown whole, however far it swings.
    @Test func aWideSwingThatSettlesIsInTheFirstView() throws {
        let scenario = Scenario(name: "swing", objective: QuadraticKind.spec(eigenvalues: [1, 1]), start: [1, 0.3],
                                steps: 400, runs: [RunSpec(label: "wild", hyperparameters: SGDHyperparameters(lr: 3.9, momentum: 0.99))])
        let experiment = try Experiment(scenario: scenario)
        let s = state(experiment)
        let path = experiment.trajectories()[0]
        #expect(!path.status.isDiverged)
        let xs = (0..<path.count).map { path.coordinate($0, 0) }
        #expect(xs.min()! < -6 && xs.max()! > 6)
        #expect(s.viewport.xMin <= xs.min()! && s.viewport.xMax >= xs.max()!)
    }

    /// A regression's weights are unlike quantities: its view is fitted on each axis, so a path along one
    /// weight still spreads across the plot instead of sitting in one column.
    @Test func aRegressionsPathsSpreadAcrossThePlot() throws {
        let experiment = try Experiment.load(contentsOf: Self.scenarios.appendingPathComponent("11-iris-logistic-regression.yaml").path)
        let s = state(experiment)
        let xs = experiment.trajectories().flatMap { path in (0..<path.count).map { path.coordinate($0, 0) } }
        #expect((xs.max()! - xs.min()!) / s.viewport.width > 0.6, "the paths span too few columns")
    }

    @Test func theRavinesHeavyBallSwingIsInTheFirstView() throws {
        let s = state(try Experiment(scenario: .builtInDefault))
        let lowest = try Experiment(scenario: .builtInDefault).trajectories()[0].parameters.enumerated()
            .filter { $0.offset % 2 == 1 }.map(\.element).min()!
        #expect(lowest < -5)
        #expect(s.viewport.yMin <= lowest)
    }

    @Test func aRunLeavingTheViewGetsAnArrowOnTheBorder() throws {
        var s = state(try Experiment(scenario: .builtInDefault), color: true)
        for _ in 0..<6 { s.update(.key(.character("+"))) }
        s.advanceSteps(3)
        let grid = s.render()
        let plot = s.layout.plot
        let arrows = (plot.y..<(plot.y + plot.height)).flatMap { y in (plot.x..<(plot.x + plot.width)).map { (x: $0, y: y) } }
            .filter { "→↘↓↙←↖↑↗".unicodeScalars.contains(grid[$0.x, $0.y].glyph) }
        #expect(arrows.contains { grid[$0.x, $0.y].foreground == .run(0) })
        #expect(arrows.allSatisfy { $0.x == plot.x || $0.y == plot.y || $0.x == plot.x + plot.width - 1 || $0.y == plot.y + plot.height - 1 })
    }

    @Test func whileRunningTheViewGrowsUntilTheUserZooms() throws {
        // Started with no steps to preview, the view knows only the start and the minimum.
        var scenario = Scenario.builtInDefault
        scenario.steps = 0
        var s = state(try Experiment(scenario: scenario))
        let first = s.viewport
        s.advanceSteps(60)
        #expect(s.viewport != first)
        #expect(s.runs.allSatisfy { s.viewport.contains(s.project($0.parameters)) })
        s.update(.key(.character("+")))
        let zoomed = s.viewport
        s.advanceSteps(60)
        #expect(s.viewport == zoomed)
    }

    @Test func resizingKeepsTheUsersZoomAndPan() throws {
        var s = state(try Experiment(scenario: .builtInDefault))
        for key in ["+", "+", "L", "K"] { s.update(.key(.character(Character(key)))) }
        let before = s.viewport, plot = s.layout.plot
        s.update(.resize(width: 200, height: 60))
        let after = s.viewport, newPlot = s.layout.plot
        #expect(abs(after.center[0] - before.center[0]) < 1e-9 && abs(after.center[1] - before.center[1]) < 1e-9)
        let unitsBefore = before.width / Double(plot.width), unitsAfter = after.width / Double(newPlot.width)
        #expect(abs(unitsAfter - unitsBefore) < 1e-9 * unitsBefore)
        s.update(.key(.character("0")))
        #expect(!s.viewIsUsers)
    }

    // MARK: Rendering never traps

    @Test func extremeInputsRender() throws {
        let cases: [Scenario] = [
            Scenario(name: "a", objective: QuadraticKind.spec(eigenvalues: [-1, -1]), start: [1e9, 0], steps: 0,
                     runs: [RunSpec(label: "a", hyperparameters: SGDHyperparameters(lr: 0.1))]),
            Scenario(name: "b", objective: ObjectiveSpec(kind: "rastrigin", ["A": .number(8.988e307)]), start: [0.5],
                     runs: [RunSpec(label: "a", hyperparameters: SGDHyperparameters(lr: 0.1))]),
            Scenario(name: "c", objective: QuadraticKind.spec(eigenvalues: [1e300, 1e-300]), start: [1e150, -1e150],
                     runs: [RunSpec(label: "a", hyperparameters: SGDHyperparameters(lr: 1e300, momentum: 1))]),
        ]
        for scenario in cases {
            for (width, height) in [(80, 24), (200, 60)] {
                var s = state(try Experiment(scenario: scenario), width: width, height: height)
                _ = s.render()
                s.advanceSteps(5)
                for key in ["v", "+", "-", "0"] { s.update(.key(.character(Character(key)))); _ = s.render() }
            }
        }
        var hill = state(try Experiment.load(contentsOf: Self.scenarios.appendingPathComponent("08-maximize-hill.yaml").path), width: 80, height: 24)
        for _ in 0..<130 { hill.update(.key(.character("-"))) }
        let plot = hill.layout.plot
        hill.update(.click(x: plot.x + plot.width / 2, y: plot.y + 1))
        hill.advanceSteps(200)
        _ = hill.render()
    }

    /// Random zooms, pans, resizes and clicks over random scenarios: every frame renders.
    /// (The analytic ones: re-sampling a regression's landscape on every random view is slow in a debug build.)
    @Test func randomViewsRender() throws {
        var generator = SeededGenerator(seed: 42)
        let files = try Self.scenarioFiles().filter { try !(Experiment.load(contentsOf: $0).objective is any SampledObjective) }
        let keys: [Key] = [.character("+"), .character("-"), .character("H"), .character("J"), .character("K"), .character("L"),
                           .character("0"), .character("v"), .character("a"), .character("n"), .tab, .right, .left]
        for _ in 0..<12 {
            let file = files[Int.random(in: 0..<files.count, using: &generator)]
            var s = state(try Experiment.load(contentsOf: file), width: Int.random(in: 80...200, using: &generator),
                          height: Int.random(in: 24...60, using: &generator), color: Bool.random(using: &generator))
            for _ in 0..<60 {
                switch Int.random(in: 0..<10, using: &generator) {
                case 0: s.update(.resize(width: Int.random(in: 0...220, using: &generator), height: Int.random(in: 0...70, using: &generator)))
                case 1: s.update(.click(x: Int.random(in: -5...220, using: &generator), y: Int.random(in: -5...70, using: &generator)))
                case 2: for _ in 0..<Int.random(in: 1...40, using: &generator) { s.update(.key(.character(Bool.random(using: &generator) ? "+" : "-"))) }
                default: s.update(.key(keys[Int.random(in: 0..<keys.count, using: &generator)]))
                }
                _ = s.render()
            }
        }
    }

    @Test func aDivergedRunGetsAnArrowAtTheTopOfTheLossChart() throws {
        let file = Self.scenarios.appendingPathComponent("03-learning-rate-edge.yaml").path
        var s = state(try Experiment.load(contentsOf: file))
        s.advanceSteps(s.experiment.scenario.steps)
        let diverged = try #require(s.runs.firstIndex { $0.isDiverged })
        let chart = s.layout.lossChart
        let grid = s.render()
        let topRow = (chart.x..<(chart.x + chart.width)).map { grid[$0, chart.y + 1] }
        #expect(topRow.contains { $0.glyph == "↑" && $0.foreground == s.styles[diverged].color })
    }

    @Test func zoomAndPanWorkFarFromTheOrigin() throws {
        let scenario = Scenario(name: "far", objective: QuadraticKind.spec(eigenvalues: [1, 1], center: [1e13, 0]),
                                start: [1e13 + 3, 2], runs: [RunSpec(label: "a", hyperparameters: SGDHyperparameters(lr: 0.1))])
        var s = state(try Experiment(scenario: scenario))
        let before = s.viewport
        s.update(.key(.character("+")))
        #expect(s.viewport.width < before.width)
        let zoomed = s.viewport
        s.update(.key(.character("H")))
        #expect(s.viewport.xMin < zoomed.xMin)
        s.update(.key(.character("K")))
        #expect(s.viewport.yMin > zoomed.yMin)
    }

    // MARK: Values without drift

    /// From any value, on or off the grid, ← undoes → exactly; a typed value ends the walk.
    @Test func arrowWalksReturnToWhereTheyStarted() throws {
        let file = Self.scenarios.appendingPathComponent("04-polyak-optimal.yaml").path
        var s = state(try Experiment.load(contentsOf: file))
        #expect(s.selected.hyperparameters.lr == 0.0330579)
        for key in Array(repeating: Key.right, count: 10) + Array(repeating: Key.left, count: 10) { s.update(.key(key)) }
        #expect(s.selected.hyperparameters.lr == 0.0330579)
        for key in [Key.left, .right] { s.update(.key(key)) }
        #expect(s.selected.hyperparameters.lr == 0.0330579)
        s.update(.key(.down))
        for key in Array(repeating: Key.right, count: 6) + Array(repeating: Key.left, count: 6) { s.update(.key(key)) }
        #expect(s.selected.hyperparameters.momentum == 0.669421)
        // At the end of the range a press changes nothing and is not counted: ← then comes straight back down.
        for _ in 0..<12 { s.update(.key(.right)) }
        #expect(s.selected.hyperparameters.momentum == 1)
        #expect(s.status == "momentum stays 1: the arrows go no higher")
        s.update(.key(.left))
        #expect(s.selected.hyperparameters.momentum == 0.95)
        // A huge typed momentum: the arrows neither trap nor lose it; ← brings it back into [0, 1]. (After the
        // arrows, the first enter keeps their change and ends its what-if; the second opens the typing.)
        #expect(s.whatIf != nil)
        s.update(.key(.enter))
        #expect(s.whatIf == nil && s.selected.hyperparameters.momentum == 0.95)
        for key in [Key.enter] + Array(repeating: Key.backspace, count: 10) + "1e300".map(Key.character) + [.enter, .right] {
            s.update(.key(key))
        }
        #expect(s.selected.hyperparameters.momentum == 1e300)
        s.update(.key(.left))
        #expect(s.selected.hyperparameters.momentum == 1)
    }

    @Test func qClosesTheHelpAndTheDescriptionWithoutQuitting() throws {
        var s = state(try Experiment(scenario: .builtInDefault))
        for opener in ["?", "i"] {
            s.update(.key(.character(Character(opener))))
            #expect(s.mode != .normal)
            #expect(s.update(.key(.character("q"))).isEmpty)
            #expect(s.mode == .normal)
        }
        #expect(s.update(.key(.character("q"))) == [.quit])
    }

    @Test func arrowsStepOnAGridAndBackExactly() throws {
        var h = SGDHyperparameters(lr: 0.03, momentum: 0.9)
        var seen: [Double] = []
        for _ in 0..<10 { h = HyperparameterField.lr.adjusted(h, direction: 1); seen.append(h.lr) }
        #expect(seen == [0.04, 0.05, 0.06, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3])
        for _ in 0..<10 { h = HyperparameterField.lr.adjusted(h, direction: -1) }
        #expect(h.lr == 0.03)
        for _ in 0..<7 { h = HyperparameterField.momentum.adjusted(h, direction: -1) }
        #expect(h.momentum == 0.55)
        for _ in 0..<7 { h = HyperparameterField.momentum.adjusted(h, direction: 1) }
        #expect(h.momentum == 0.9)
        // Off the grid, a value moves to the next grid value in the arrow's direction.
        h.lr = 0.011
        #expect(HyperparameterField.lr.adjusted(h, direction: 1).lr == 0.012)
        #expect(HyperparameterField.lr.adjusted(h, direction: -1).lr == 0.01)
        h.momentum = 0.925
        #expect(HyperparameterField.momentum.adjusted(h, direction: 1).momentum == 0.95)
        #expect(HyperparameterField.momentum.adjusted(h, direction: -1).momentum == 0.9)
        h.weightDecay = 1e-4
        #expect(HyperparameterField.weightDecay.adjusted(h, direction: -1).weightDecay == 0)
    }

    @Test func everyArrowValueIsShortOverAWalk() {
        var generator = SeededGenerator(seed: 3)
        var h = SGDHyperparameters(lr: 0.03, momentum: 0.5, dampening: 0.1, weightDecay: 1e-3)
        for _ in 0..<2000 {
            let field: HyperparameterField = [.lr, .momentum, .dampening, .weightDecay][Int.random(in: 0..<4, using: &generator)]
            h = field.adjusted(h, direction: Bool.random(using: &generator) ? 1 : -1)
            for value in [h.lr, h.momentum, h.dampening, h.weightDecay] {
                // At most two significant digits: 0.03, 0.85, 1.2e-05.
                let mantissa = "\(value)".split(separator: "e").first!.filter(\.isNumber).drop { $0 == "0" }
                #expect(mantissa.count <= 2, "\(value) is not short")
            }
        }
    }

    // MARK: Runs keep their looks; copies get readable names

    @Test func copiesGetReadableLabelsAndRunsKeepTheirStyles() throws {
        var s = state(try Experiment(scenario: .builtInDefault))
        for _ in 0..<7 { s.update(.key(.character("a"))) }
        #expect(s.runs.map(\.label) == ["heavy ball", "heavy ball (2)", "heavy ball (3)", "heavy ball (4)", "heavy ball (5)",
                                        "heavy ball (6)", "heavy ball (7)", "heavy ball (8)", "nesterov"])
        #expect(Set(s.styles).count == s.runs.count)
        #expect(s.styles.last == RunStyle(1))  // nesterov keeps its colour
        let looks = (0..<RunStyle.distinct).map(RunStyle.init)
        #expect(Set(looks.map { $0.glyph(unicode: true) }).count == RunStyle.distinct)
        #expect(Set(looks.map { $0.glyph(unicode: false) }).count == RunStyle.distinct)
        #expect(Set(looks.map(\.pattern)).count == RunStyle.distinct)
        #expect(Set(looks.map(\.color)).count == RunStyle.distinct)
        let nesterovStyle = s.styles[8]
        s.update(.key(.character("d")))
        #expect(s.styles.last == nesterovStyle)
    }

    @Test func renamingARun() throws {
        var s = state(try Experiment(scenario: .builtInDefault))
        for key in [Key.character("R")] + Array(repeating: Key.backspace, count: 10) + "plain HB".map(Key.character) + [.enter] {
            s.update(.key(key))
        }
        #expect(s.runs[0].label == "plain HB")
        #expect(s.histories[0].label == "plain HB")
        for key in [Key.character("R")] + Array(repeating: Key.backspace, count: 10) + "nesterov".map(Key.character) + [.enter] {
            s.update(.key(key))
        }
        #expect(s.runs[0].label == "plain HB")
        #expect(s.status == "another run is already called 'nesterov'")
    }

    // MARK: Picking an objective gives settings that converge

    @Test func everyObjectiveFromThePickerConvergesWithItsSuggestedSettings() throws {
        for defaults in ObjectiveRegistry.examples.map(\.example) {
            var s = ExplorerState(experiment: try Experiment(scenario: .builtInDefault), options: RenderOptions(color: false),
                                  choices: [.objective(defaults.spec.kind)])
            s.update(.key(.character("o")))
            s.update(.key(.enter))
            #expect(s.experiment.objective.kind == defaults.spec.kind)
            #expect(s.status?.contains("suggested") == true)
            let startLoss = s.runs[0].loss
            s.advanceSteps(s.experiment.scenario.steps)
            for run in s.runs {
                #expect(!run.isDiverged, "\(defaults.spec.kind): \(run.label) diverged")
                #expect(run.loss < startLoss / 4, "\(defaults.spec.kind): \(run.label) ends at \(run.loss) from \(startLoss)")
            }
        }
    }

    // MARK: What w writes reads back and passes its checks

    @Test func writtenScenarioKeepsOnlyChecksThatHold() throws {
        let file = Self.scenarios.appendingPathComponent("01-ravine-heavy-ball-vs-nesterov.yaml").path
        var s = ExplorerState(experiment: try Experiment.load(contentsOf: file), options: RenderOptions(color: false))
        // Nesterov at lr 0.001 no longer converges, nor beats heavy ball: its checks must go.
        for key in [Key.tab, .enter] + Array(repeating: Key.backspace, count: 6) + "0.001".map(Key.character) + [.enter] { s.update(.key(key)) }
        let text = s.scenarioText()
        let written = try Scenario.decode(yaml: text)
        let back = try Experiment(scenario: written)
        let trajectories = back.trajectories()
        #expect(!written.expect.isEmpty)
        #expect(written.expect.allSatisfy { $0.evaluate(trajectories).passed })
        #expect(written.expect.count < s.experiment.scenario.expect.count)
        #expect(text.contains("# Checks of the original left out:"))
        #expect(written.description?.hasPrefix("Edited in the Descent explorer from \"Heavy ball vs Nesterov in a ravine\"") == true)
        #expect(written.runs.map(\.hyperparameters) == s.runs.map(\.hyperparameters))
    }

    @Test func everyScenarioFileWritesAndReadsBackTheSame() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("DescentCoreTests/Fixtures/golden")
        let fixtureFiles = try FileManager.default.contentsOfDirectory(atPath: fixtures.path).filter { $0.hasSuffix(".yaml") }
            .map { fixtures.appendingPathComponent($0).path }
        let files = try Self.scenarioFiles() + fixtureFiles
        #expect(files.count >= 20)
        for file in files {
            let scenario = try Scenario.load(contentsOf: file)
            #expect(try Scenario.decode(yaml: scenario.yamlText()) == scenario, "\(file) does not read back the same")
        }
    }

    /// Random setups as `w` writes them (labels with quotes, escapes, non-ASCII, every control character YAML
    /// forbids raw (DEL, C1 such as U+009B, NUL, ESC, U+2028, a BOM, noncharacters) and scalars from the whole
    /// of Unicode, any valid hyperparameters, per-run starts) read back to the same setup.
    @Test func randomSetupsWrittenByTheExplorerReadBack() throws {
        var generator = SeededGenerator(seed: 11)
        let alphabet = Array("abc XYZ09_-:#'\"\\{}[],&*!|>%@`θ★é\t".unicodeScalars)
            + ([0, 0x1B, 0x0A, 0x0D, 0x7F, 0x85, 0x9B, 0x9F, 0xA0, 0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF, 0x1F600, 0x10FFFF] as [UInt32]).map { Unicode.Scalar($0)! }
        func scalar() -> Unicode.Scalar {
            if Int.random(in: 0..<4, using: &generator) > 0 { return alphabet.randomElement(using: &generator)! }
            while true { if let s = Unicode.Scalar(UInt32.random(in: 0...0x10FFFF, using: &generator)) { return s } }
        }
        for _ in 0..<300 {
            let count = Int.random(in: 1...4, using: &generator)
            var labels = Set<String>(), shown = Set<String>()
            while labels.count < count {
                var label = ""
                for _ in 0..<Int.random(in: 1...12, using: &generator) { label.unicodeScalars.append(scalar()) }
                // Yams reads a scalar's bytes through Foundation's UTF-8 decoding, which drops a leading U+FEFF
                // (a byte-order mark) however it is escaped; anywhere else it reads back.
                while label.unicodeScalars.first == "\u{FEFF}" { label.unicodeScalars.removeFirst() }
                if label.isEmpty { continue }
                // A scenario refuses labels that look alike or show nothing (white space, invisible characters).
                let key = Experiment.lookalikeKey(label)
                if !key.isEmpty, shown.insert(key).inserted { labels.insert(label) }
            }
            func number() -> Double { Double.random(in: -1e3...1e3, using: &generator) * pow(10, Double(Int.random(in: -8...3, using: &generator))) }
            let runs = labels.sorted().map { label -> RunSpec in
                let momentum = Bool.random(using: &generator) ? Double.random(in: 0...1, using: &generator) : 0
                let nesterov = momentum > 0 && Bool.random(using: &generator)
                let h = SGDHyperparameters(lr: abs(number()), momentum: momentum, dampening: nesterov ? 0 : Double.random(in: 0...1, using: &generator),
                                           weightDecay: Bool.random(using: &generator) ? abs(number()) : 0, nesterov: nesterov,
                                           maximize: Bool.random(using: &generator), update: Bool.random(using: &generator) ? .sgd : .sign)
                return RunSpec(label: label, hyperparameters: h, start: Bool.random(using: &generator) ? [number(), number()] : nil)
            }
            let scenario = Scenario(name: String(labels.first!.reversed()).drop { $0 == "\u{FEFF}" }.description, description: labels.joined(separator: "\n"),
                                    objective: ObjectiveSpec(kind: "rosenbrock", ["a": .number(number()), "b": .number(abs(number()))]),
                                    start: [number(), number()], steps: Int.random(in: 0...50, using: &generator), runs: runs)
            let s = ExplorerState(experiment: try Experiment(scenario: scenario), options: RenderOptions(color: false))
            let written = try Scenario.decode(yaml: s.scenarioText())
            #expect(written == s.currentScenario())
            #expect(ExplorerState.effectiveRuns(of: written) == ExplorerState.effectiveRuns(of: scenario))
            #expect(written.description == scenario.description, "an unedited setup keeps its description")
        }
    }

    // MARK: Small pieces

    /// A run of many parameters keeps a few rows of path, within the budget, not 4096 of them (a million
    /// parameters would have asked for 32 GB).
    @Test func pathsOfManyParametersStayWithinTheBudget() throws {
        #expect(ExplorerState.historyBound(dimension: 2) == ExplorerState.historyBound)
        #expect(ExplorerState.historyBound(dimension: 1_000_000) == 4 && ExplorerState.historyBound(dimension: 10_000) == 209)
        let n = 200_000
        let scenario = Scenario(name: "big", objective: ObjectiveSpec(kind: "rastrigin"), start: Array(repeating: 1.5, count: n),
                                runs: [RunSpec(label: "a", hyperparameters: SGDHyperparameters(lr: 1e-3))])
        var s = ExplorerState(experiment: try Experiment(scenario: scenario), width: 80, height: 24, options: RenderOptions(color: false))
        for _ in 0..<40 { s.update(.key(.character("n"))) }
        #expect(s.runs[0].stepCount == 40)
        #expect(s.histories[0].count <= ExplorerState.historyBound(dimension: n))
        #expect(s.histories[0].parameters.capacity <= (ExplorerState.historyBound(dimension: n) + 1) * n * 2)
    }

    /// A label holding ESC, a lone CSI (U+009B), DEL and a newline is drawn with `?` in their cells: the grid
    /// never sends the terminal a control character, and rows keep their width.
    @Test func controlCharactersInLabelsAreNotDrawn() throws {
        let label = "a\u{1B}[2J\u{9B}31m\u{7F}\nb"
        let scenario = Scenario(name: "x\u{1B}]0;title\u{7}", objective: ObjectiveSpec(kind: "beale"), start: [1, 1],
                                runs: [RunSpec(label: label, hyperparameters: SGDHyperparameters(lr: 0.01))])
        let s = ExplorerState(experiment: try Experiment(scenario: scenario), width: 80, height: 24, options: RenderOptions(color: false))
        let grid = s.render()
        var drawn = ""
        for y in 0..<grid.height { for x in 0..<grid.width { drawn.unicodeScalars.append(grid[x, y].glyph) } }
        #expect(!drawn.unicodeScalars.contains { $0.isControlCharacter })
        #expect(grid.text.contains("a?[2J?31m??b"))
    }

    @Test func brailleDotsAndPatternedLines() {
        var canvas = BrailleCanvas(columns: 2, rows: 1)
        canvas.set(0, 0); canvas.set(1, 3); canvas.set(3, 1)
        #expect(canvas.cell(0, 0) == 0x01 | 0x80)
        #expect(canvas.cell(1, 0) == 0x10)
        #expect(BrailleCanvas.glyph(0xFF) == "⣿")
        canvas.set(-1, 0); canvas.set(4, 0); canvas.set(0, 4)  // off the canvas: ignored
        #expect(canvas.dotCount == 3)
        var solid = BrailleCanvas(columns: 10, rows: 1), dotted = solid
        solid.line(0, 0, 19, 0)
        dotted.line(0, 0, 19, 0, pattern: 0x55)
        #expect(solid.dotCount == 20 && dotted.dotCount == 10)
        var far = BrailleCanvas(columns: 4, rows: 2)
        far.line(-1_000_000, 0, 1_000_000, 7)  // absurd ends: only what is on the canvas, and fast
        #expect(far.dotCount == 0)
    }

    @Test func wrappingNeverExceedsTheWidthAndLosesNoWord() {
        var generator = SeededGenerator(seed: 5)
        for _ in 0..<300 {
            let words = (0..<Int.random(in: 0...30, using: &generator)).map { _ in
                String(repeating: "w", count: Int.random(in: 1...25, using: &generator))
            }
            let width = Int.random(in: 1...30, using: &generator)
            let lines = wrap(words.joined(separator: " "), width: width)
            #expect(lines.allSatisfy { $0.count <= width && !$0.isEmpty })
            #expect(lines.joined().filter { $0 != " " }.count == words.joined().count)
        }
        #expect(wrap("one two three", width: 7) == ["one two", "three"])
        #expect(wrap("a\nb", width: 10) == ["a", "b"])
    }
}
