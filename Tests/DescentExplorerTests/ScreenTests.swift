import DescentCore
import Testing
@testable import DescentExplorer

/// Screens rendered without a terminal, against golden files that hold text, colour and style.
@Suite struct ScreenTests {
    static func state(_ scenario: Scenario = .builtInDefault, width: Int = 120, height: Int = 40,
                      color: Bool = true, unicode: Bool = true, file: String? = nil) throws -> ExplorerState {
        ExplorerState(experiment: try Experiment(scenario: scenario, file: file), width: width, height: height,
                      options: RenderOptions(color: color, unicode: unicode))
    }

    @Test func defaultScenarioAfterFiftyStepsInColour() throws {
        var state = try Self.state()
        state.advanceSteps(50)
        assertScreen(state.render().styledText, named: "default-120x40-step50-colour")
    }

    @Test func smallestTerminalWithoutColour() throws {
        var state = try Self.state(width: 80, height: 24, color: false)
        state.advanceSteps(150)
        assertScreen(state.render().styledText, named: "default-80x24-step150-no-color")
    }

    @Test func largeTerminalInColour() throws {
        var state = try Self.state(width: 200, height: 60)
        state.advanceSteps(150)
        assertScreen(state.render().styledText, named: "default-200x60-step150-colour")
    }

    @Test func asciiLocale() throws {
        var state = try Self.state(width: 80, height: 24, color: false, unicode: false)
        state.advanceSteps(150)
        let text = state.render().text
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        assertScreen(state.render().styledText, named: "default-80x24-ascii")
    }

    @Test func helpOverlayFitsTheSmallestTerminal() throws {
        for (unicode, name) in [(true, "help-80x24"), (false, "help-80x24-ascii")] {
            var state = try Self.state(width: 80, height: 24, unicode: unicode)
            state.update(.key(.character("?")))
            let text = state.render().text
            for entry in Keymap.entries { #expect(text.contains(entry.help), "help lost '\(entry.help)'") }
            if !unicode { #expect(text.unicodeScalars.allSatisfy { $0.isASCII }) }
            assertScreen(state.render().styledText, named: name)
        }
    }

    @Test func theWholeDescription() throws {
        var state = try Self.state(width: 80, height: 24)
        state.update(.key(.character("i")))
        let text = state.render().text
        #expect(text.contains("Nesterov's zig-zag dies out sooner."))
        assertScreen(state.render().styledText, named: "description-80x24")
    }

    @Test func tooSmall() throws {
        var state = try Self.state()
        state.update(.resize(width: 60, height: 20))
        #expect(state.render().text.contains("terminal too small: need 80x24, have 60x20"))
        assertScreen(state.render().styledText, named: "too-small-60x20")
    }

    @Test func editingAValue() throws {
        var state = try Self.state(width: 80, height: 24, color: false)
        for key in [Key.down, .enter, .backspace, .backspace, .backspace, .character("0"), .character("."), .character("5")] {
            state.update(.key(key))
        }
        assertScreen(state.render().styledText, named: "editing-momentum-80x24")
    }

    @Test func theUpdateShownForTheSelectedRun() throws {
        var state = try Self.state()
        state.advanceSteps(12)
        for key in [Key.character("+"), .character("+"), .tab, .character("v")] { state.update(.key(key)) }
        let text = state.render().text
        #expect(text.contains("buf ← 0.9·buf + ∇f"))
        #expect(text.contains("θ ← θ − 0.03·(∇f + 0.9·buf)"))
        assertScreen(state.render().styledText, named: "update-arrows-120x40")
    }

    @Test func thePicker() throws {
        var state = ExplorerState(experiment: try Experiment(scenario: .builtInDefault), width: 80, height: 24,
                                  options: RenderOptions(color: true),
                                  choices: [.objective("quadratic"), .objective("rosenbrock"),
                                            .scenario(path: "Scenarios/02-rosenbrock-valley.yaml", name: "Rosenbrock's banana valley",
                                                      description: "The valley floor is easy to find and hard to follow.")])
        for key in [Key.character("o"), .down, .down] { state.update(.key(key)) }
        let text = state.render().text
        #expect(text.contains("Rosenbrock's banana valley  (Scenarios/02-rosenbrock-valley.yaml)"))
        #expect(text.contains("The valley floor is easy to find"))
        assertScreen(state.render().styledText, named: "picker-80x24")
    }

    @Test func threeParametersShowASlice() throws {
        let scenario = Scenario(
            name: "slice", objective: ObjectiveSpec(kind: "rosenbrock"), start: [-1, 1, 0.5],
            runs: [RunSpec(label: "m", hyperparameters: SGDHyperparameters(lr: 1e-3, momentum: 0.9))])
        var state = try Self.state(scenario, width: 100, height: 30, color: false)
        state.advanceSteps(100)
        state.update(.key(.character("x")))
        let text = state.render().text
        #expect(text.contains("(x3 × x2 slice)"))
        assertScreen(state.render().styledText, named: "rosenbrock-3d-slice")
    }
}
