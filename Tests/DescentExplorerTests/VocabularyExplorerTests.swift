import DescentCore
@testable import DescentExplorer
import Foundation
import Testing

/// The explorer's faces of the one vocabulary: the convention row, styles that survive `w`, the keymap.
@Suite struct VocabularyExplorerTests {
    static let yaml = """
        name: three
        objective: {kind: quadratic, eigenvalues: [1, 10]}
        start: [2, 1]
        steps: 40
        runs:
          - {label: a, lr: 0.05, momentum: 0.5}
          - {label: b, lr: 0.05}
          - {label: c, lr: 0.02, momentum: 0.9}
        """

    static func state() throws -> ExplorerState {
        ExplorerState(experiment: try Experiment(scenario: Scenario.decode(yaml: yaml)), width: 120, height: 40,
                      options: RenderOptions(color: false))
    }

    /// The file `w` writes, opened again as the explorer opens a file (a session's events replayed).
    static func reopened(_ state: ExplorerState) throws -> ExplorerState {
        let written = try Scenario.decode(yaml: state.scenarioForWriting().scenario.yamlText())
        var fresh = ExplorerState(experiment: try Experiment(scenario: Scenario.decode(yaml: yaml)), width: 120, height: 40,
                                  options: RenderOptions(color: false))
        _ = fresh.update(.loaded(try Experiment(scenario: written)))
        return fresh
    }

    /// The convention is a row like the others: ←/→ changes it, the panel shows it, `w` writes it, and the
    /// run steps by it (its buffer holds lr·g, so after a change of lr the paths part).
    @Test func conventionIsARow() throws {
        var s = try Self.state()
        while s.selectedField != .convention { s.update(.key(.down)) }
        #expect(s.render().text.contains("convention    pytorch"))
        s.update(.key(.right))
        #expect(s.selected.hyperparameters.convention == .sutskever)
        #expect(s.render().text.contains("convention    sutskever"))
        let written = try Scenario.decode(yaml: s.scenarioForWriting().scenario.yamlText())
        #expect(written.runs[0].hyperparameters.convention == .sutskever)
        s.update(.key(.left))
        #expect(s.selected.hyperparameters.convention == .pytorch, "← undoes →")
    }

    /// A run's glyph and colour belong to it: after a delete and a copy (before any step, and mid-run as
    /// events), the reopened file draws every run as it was drawn.
    @Test func stylesSurviveWriting() throws {
        var s = try Self.state()
        s.update(.key(.tab))            // b
        s.update(.key(.character("d"))) // delete b: a and c keep styles 0 and 2
        s.update(.key(.character("a"))) // a copy of the selected run takes the free style 1
        #expect(s.styles.map(\.index) == [0, 2, 1] || s.styles.map(\.index) == [0, 1, 2])
        let before = Dictionary(uniqueKeysWithValues: zip(s.runs.map(\.label), s.styles.map(\.index)))
        var again = try Self.reopened(s)
        #expect(Dictionary(uniqueKeysWithValues: zip(again.runs.map(\.label), again.styles.map(\.index))) == before)

        // Mid-run: steps, then a copy and a deletion are events.
        for _ in 0..<5 { again.update(.key(.character("n"))) }
        again.update(.key(.character("a")))
        again.update(.key(.tab))
        again.update(.key(.character("d")))
        for _ in 0..<3 { again.update(.key(.character("n"))) }
        let during = Dictionary(uniqueKeysWithValues: zip(again.runs.map(\.label), again.styles.map(\.index)))
        let reopened = try Self.reopened(again)
        #expect(Dictionary(uniqueKeysWithValues: zip(reopened.runs.map(\.label), reopened.styles.map(\.index))) == during,
                "\(again.scenarioForWriting().scenario.yamlText())")
    }

    /// Past 64 runs the styles go round in the file too, so what `w` writes reads back.
    @Test func manyRunsWriteStylesThatReadBack() throws {
        var s = try Self.state()
        for _ in 0..<70 { s.update(.key(.character("a"))) }
        let written = try Scenario.decode(yaml: s.scenarioForWriting().scenario.yamlText())
        #expect(throws: Never.self) { try Experiment(scenario: written) }
        #expect(written.runs.allSatisfy { ($0.style ?? 0) < RunSpec.styleCount })
    }

    /// Every binding in the keymap does something on the main screen, and no key is bound twice.
    @Test func keymapBindsEachKeyOnce() {
        let keys = Keymap.entries.flatMap { $0.bindings.map(\.key) }
        #expect(keys.count == Set(keys.map { "\($0)" }).count, "a key bound twice")
        for entry in Keymap.entries { for binding in entry.bindings { #expect(Keymap.action(for: binding.key) == binding.action) } }
        #expect(Keymap.action(for: .character("Z")) == nil)
    }

    /// Under LANG=C the hints use one separator: the F editor's too (it used `*`, the ASCII of `·` as a product).
    @Test func asciiHintsShareTheSeparator() throws {
        var s = ExplorerState(experiment: try Experiment(scenario: Scenario.decode(yaml: Self.yaml)), width: 80, height: 24,
                              options: RenderOptions(color: false, unicode: false))
        s.update(.key(.character("F")))
        let text = s.render().text
        #expect(text.contains("(1 - x)^2 + 100*(y - x^2)^2  -  sin"), "\(text)")
        #expect(!text.contains("  *  "))
    }
}
