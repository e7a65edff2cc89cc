import DescentCore
import Testing
@testable import DescentExplorer

/// Screens rendered without a terminal, against golden text files.
@Suite struct ScreenTests {
    static func state(_ scenario: Scenario = .builtInDefault, width: Int = 120, height: Int = 40,
                      unicode: Bool = true, file: String? = nil) throws -> ExplorerState {
        ExplorerState(experiment: try Experiment(scenario: scenario, file: file), width: width, height: height,
                      options: RenderOptions(color: false, unicode: unicode))
    }

    @Test func defaultScenarioAfterFiftySteps() throws {
        var state = try Self.state()
        state.advanceSteps(50)
        assertScreen(state.render().text, named: "default-120x40-step50")
    }

    @Test func smallestTerminal() throws {
        var state = try Self.state(width: 80, height: 24)
        state.advanceSteps(150)
        assertScreen(state.render().text, named: "default-80x24-step150")
    }

    @Test func asciiLocale() throws {
        var state = try Self.state(width: 80, height: 24, unicode: false)
        state.advanceSteps(150)
        let text = state.render().text
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        assertScreen(text, named: "default-80x24-ascii")
    }

    @Test func helpOverlay() throws {
        var state = try Self.state()
        state.update(.key(.character("?")))
        assertScreen(state.render().text, named: "help-120x40")
    }

    @Test func tooSmall() throws {
        var state = try Self.state()
        state.update(.resize(width: 60, height: 20))
        #expect(state.render().text.contains("terminal too small: need 80x24, have 60x20"))
        assertScreen(state.render().text, named: "too-small-60x20")
    }

    @Test func editingAValue() throws {
        var state = try Self.state(width: 80, height: 24)
        for key in [Key.down, .enter, .backspace, .backspace, .backspace, .character("0"), .character("."), .character("5")] {
            state.update(.key(key))
        }
        assertScreen(state.render().text, named: "editing-momentum-80x24")
    }

    @Test func threeParametersShowASlice() throws {
        let scenario = Scenario(
            name: "slice", objective: ObjectiveSpec(kind: "rosenbrock"), start: [-1, 1, 0.5],
            runs: [RunSpec(label: "m", hyperparameters: SGDHyperparameters(lr: 1e-3, momentum: 0.9))])
        var state = try Self.state(scenario, width: 100, height: 30)
        state.advanceSteps(100)
        state.update(.key(.character("x")))
        let text = state.render().text
        #expect(text.contains("(x2 × x2 slice)") == false)
        #expect(text.contains("(x2 × x2") == false)
        assertScreen(text, named: "rosenbrock-3d-slice")
    }
}
