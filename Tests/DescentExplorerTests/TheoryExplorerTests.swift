import DescentCore
import Foundation
import Testing
@testable import DescentExplorer

/// The theory panel, the Polyak key and the map, driven by messages as the terminal would.
@Suite struct TheoryExplorerTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    func state(_ file: String, width: Int = 80, height: Int = 24) throws -> ExplorerState {
        ExplorerState(experiment: try Experiment.load(contentsOf: Self.root + "/Scenarios/" + file), width: width, height: height,
                      options: RenderOptions(color: false))
    }

    func press(_ state: inout ExplorerState, _ keys: String) throws {
        for message in try KeyScript.parse(keys) { state.update(message) }
    }

    /// The panel shows what `descent analyze` computes, and the rate the run shows while running matches the
    /// prediction (within the tolerance of the core's test: 1% plus ρ/window).
    @Test func panelAgreesWithAnalysisAndMeasuredRate() throws {
        var s = try state("01-ravine-heavy-ball-vs-nesterov.yaml", width: 120, height: 40)
        try press(&s, "t")
        let analysis = try #require(RunAnalysis(run: s.selected))
        #expect(s.theory?.predictedRate == analysis.predictedRate)
        try press(&s, " " + String(repeating: "<tick>", count: 60))
        let text = s.render().text
        #expect(text.contains("predicted ρ 0.948683"))
        #expect(text.contains("stable: lr < 0.152"))
        let measured = try #require(s.selectedRunMeasuredRate)
        #expect(abs(measured - analysis.predictedRate!) < 0.01 * 0.95 + 0.95 / 64, "measured \(measured)")
        try press(&s, "t")
        #expect(!s.render().text.contains("predicted ρ"))
    }

    /// `P` gives the selected run Polyak's lr and momentum for its spectrum, and says so.
    @Test func polyakKeySetsTheOptimalHeavyBall() throws {
        var s = try state("01-ravine-heavy-ball-vs-nesterov.yaml")
        try press(&s, "P")
        #expect(abs(s.selected.hyperparameters.lr - 1.0 / 9) < 1e-15)
        #expect(abs(s.selected.hyperparameters.momentum - 4.0 / 9) < 1e-15)
        #expect(s.status?.contains("Polyak") == true)
        var saddle = try state("07-saddle.yaml")
        let before = saddle.selected.hyperparameters
        try press(&saddle, "P")
        #expect(saddle.selected.hyperparameters == before)
        #expect(saddle.status?.contains("curvature > 0") == true)
    }

    /// The map fills in over ticks (each a frame's budget) with the numbers of `descent sweep`, draws at 80×24,
    /// and enter gives the run the setting under the cursor.
    @Test func mapFillsProgressivelyAndAppliesACell() throws {
        var s = try state("04-polyak-optimal.yaml")
        try press(&s, "m")
        #expect(s.mode == .map)
        let map = try #require(s.mapView)
        #expect(s.wantsTicks && !map.isComplete)
        #expect(s.render().text.contains("Map"))
        var ticks = 0
        while !(s.mapView?.isComplete ?? true) && ticks < 1000 { s.update(.tick); ticks += 1 }
        let filled = try #require(s.mapView)
        #expect(filled.isComplete && !s.wantsTicks)
        for cell in stride(from: 0, to: filled.sweep.cellCount, by: 97) {
            #expect(filled.values[cell]?.bitPattern == filled.sweep.runOne(cell: cell).value?.bitPattern)
        }
        let text = s.render().text
        #expect(text.contains("momentum") && text.contains("lr (log scale)") && text.contains("┃"))
        try press(&s, "<left><left><down>")
        let cursor = try #require(s.mapView?.cursor)
        let h = filled.sweep.hyperparameters(cell: cursor.y * filled.sweep.x.count + cursor.x)
        try press(&s, "<enter>")
        #expect(s.mode == .normal && s.mapView == nil)
        #expect(s.selected.hyperparameters == h)
    }

    /// Resizing with the map open lays it out again for the new size, with the cursor on the same setting;
    /// below the smallest terminal only the message is drawn, and the map comes back at a size it fits.
    @Test func mapFollowsResizes() throws {
        var s = try state("15-polyak-neighbours.yaml", width: 200, height: 60)
        try press(&s, "m<left><left><up>")
        let before = try #require(s.mapView)
        let setting = before.sweep.hyperparameters(cell: before.cursor.y * before.columns + before.cursor.x)
        for (w, h) in [(80, 24), (200, 60), (120, 50), (81, 25), (60, 20), (80, 24)] {
            s.update(.resize(width: w, height: h))
            _ = s.render()
            let map = try #require(s.mapView, "\(w)x\(h)")
            #expect(s.mode == .map)
            if w >= 80 && h >= 24 {
                #expect(map.columns == s.mapGridSize.columns && map.rows == s.mapGridSize.rows)
                let now = map.sweep.hyperparameters(cell: map.cursor.y * map.columns + map.cursor.x)
                #expect(abs(log10(now.lr / setting.lr)) < 0.2 && abs(now.momentum - setting.momentum) < 0.1, "\(w)x\(h)")
            } else {
                #expect(s.render().text.contains("terminal too small"))
            }
        }
    }

    /// The run's own setting is a cell of the map: the readout under ◆ is the run itself.
    @Test func mapHasTheRunsOwnSettingAsACell() throws {
        var s = try state("04-polyak-optimal.yaml")
        try press(&s, "m")
        let map = try #require(s.mapView)
        let h = map.sweep.hyperparameters(cell: map.cursor.y * map.columns + map.cursor.x)
        #expect(h == s.selected.hyperparameters)
    }

    /// A 2-D landscape shows the eigenvectors while the panel is shown.
    @Test func eigenvectorAxesAreDrawn() throws {
        var s = try state("01-ravine-heavy-ball-vs-nesterov.yaml", width: 120, height: 40)
        let before = s.render()
        try press(&s, "t")
        let after = s.render()
        let plot = s.layout.plot
        var changed = 0
        for y in plot.y..<(plot.y + plot.height) { for x in plot.x..<(plot.x + plot.width) where before[x, y] != after[x, y] { changed += 1 } }
        #expect(changed > plot.width / 2)
    }
}

/// What the user sees of the theory and the map, colour and style included.
@Suite struct TheoryScreenTests {
    @Test func theoryPanelScreen() throws {
        var state = ExplorerState(experiment: try Experiment.load(contentsOf: TheoryExplorerTests.root + "/Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml"),
                                  width: 80, height: 24, options: RenderOptions(color: true))
        for message in try KeyScript.parse("t " + String(repeating: "<tick>", count: 40)) { state.update(message) }
        assertScreen(state.render().styledText, named: "theory-80x24-colour")
    }

    @Test func mapScreen() throws {
        var state = ExplorerState(experiment: try Experiment.load(contentsOf: TheoryExplorerTests.root + "/Scenarios/04-polyak-optimal.yaml"),
                                  width: 80, height: 24, options: RenderOptions(color: true))
        state.update(.key(.character("m")))
        while state.wantsTicks { state.update(.tick) }
        assertScreen(state.render().styledText, named: "map-80x24-colour")
    }
}

/// `F`: a formula typed in the explorer, checked as it is typed, becomes the objective.
@Suite struct FormulaEditorTests {
    @Test func typedFormulaReplacesTheObjective() throws {
        var s = ExplorerState(experiment: try Experiment.load(contentsOf: TheoryExplorerTests.root + "/Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml"),
                              width: 80, height: 24, options: RenderOptions(color: false))
        let before = s.runs.map(\.hyperparameters)
        for message in try KeyScript.parse("F(1 - x)^2 + 100*(y - x^2)^2 + sn(y)") { s.update(message) }
        var text = s.render().text
        #expect(text.contains("column 31: unknown function 'sn' (did you mean sin?)"))
        s.update(.key(.enter))
        #expect(s.mode != .normal, "a formula with a mistake is not taken")
        for _ in 0..<8 { s.update(.key(.backspace)) }
        s.update(.key(.enter))
        #expect(s.mode == .normal)
        #expect(s.experiment.objective.kind == "expression")
        #expect(s.runs.map(\.hyperparameters) == before, "the runs keep their settings")
        #expect(abs(s.experiment.objective.loss(at: [-1.5, 2]) - Rosenbrock().loss(at: [-1.5, 2])) < 1e-12)
        text = s.render().text
        #expect(text.contains("expression"))
        let written = try Scenario.decode(yaml: s.scenarioText())
        #expect(written.objective.text("f") == "(1 - x)^2 + 100*(y - x^2)^2")
    }

    /// The editor takes a formula as long as a file may hold (4096 characters), not 200.
    @Test func longFormulasCanBeTyped() throws {
        var s = ExplorerState(experiment: try Experiment.load(contentsOf: TheoryExplorerTests.root + "/Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml"),
                              width: 80, height: 24, options: RenderOptions(color: false))
        let formula = Array(repeating: "x", count: 300).joined(separator: "+") + "+y^2"
        for message in try KeyScript.parse("F" + formula) { s.update(message) }
        s.update(.key(.enter))
        #expect(s.mode == .normal && s.experiment.objective.kind == "expression")
        #expect(s.experiment.objective.loss(at: [1, 2]) == 304)
    }

    /// A typed formula that a run takes out of its domain: the run stops, and the panel says which function.
    @Test func domainErrorIsNamedInThePanel() throws {
        let spec = ExpressionKind.spec(formula: "log(x) + x^2 + y^2")
        let experiment = try Experiment(scenario: Scenario(name: "domain", objective: spec, start: [1.5, 1],
                                                           runs: [RunSpec(label: "sgd", hyperparameters: SGDHyperparameters(lr: 0.6))]))
        var s = ExplorerState(experiment: experiment, width: 80, height: 24, options: RenderOptions(color: false))
        s.update(.key(.character("n")))
        let text = s.render().text
        #expect(text.contains("diverged at 1\n"))
        #expect(text.contains("nan: log(-0.7) is undefined"))
    }
}
