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

    /// The explorer on `experiment` as it opens a file: a session's events replayed.
    static func opened(_ experiment: Experiment) throws -> ExplorerState {
        var state = ExplorerState(experiment: try Experiment(scenario: Scenario.decode(yaml: yaml)), width: 120, height: 40,
                                  options: RenderOptions(color: false))
        _ = state.update(.loaded(experiment))
        return state
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

    /// A file's runs look the same in the explorer whether it is opened as written or as `--save-state`
    /// saves it: over random histories of copies (with and without a style) and deletions, every run's
    /// style in the reopened saved state is its style in the opened file.
    @Test func savedStateDrawsEveryRunAsTheFileDoes() throws {
        var generator = SeededGenerator(seed: 19)
        for round in 0..<60 {
            var labels = ["a", "b", "c"]
            var events = ""
            var made = 0
            for step in 1...5 where Int.random(in: 0..<3, using: &generator) > 0 {
                let source = labels[Int.random(in: 0..<labels.count, using: &generator)]
                if labels.count > 1 && Bool.random(using: &generator) {
                    events += "  - {step: \(step), run: \(source), delete: true}\n"
                    labels.removeAll { $0 == source }
                } else {
                    made += 1
                    let style = Int.random(in: 0..<4, using: &generator) == 0 ? ", style: \(Int.random(in: 0..<9, using: &generator))" : ""
                    events += "  - {step: \(step), run: \(source), copy: \"k\(made)\"\(style)}\n"
                    labels.append("k\(made)")
                }
            }
            guard !events.isEmpty else { continue }
            let scenario = try Scenario.decode(yaml: Self.yaml + "\nevents:\n" + events)
            let opened = try Self.opened(Experiment(scenario: scenario))
            let saved = try Scenario.decode(yaml: Experiment(scenario: scenario).savedAfter(steps: 8).yamlText())
            let reopened = try Self.opened(Experiment(scenario: saved))
            let drawn = { (s: ExplorerState) in Dictionary(uniqueKeysWithValues: zip(s.runs.map(\.label), s.styles.map(\.index))) }
            #expect(drawn(reopened) == drawn(opened), "round \(round):\n\(events)\(saved.yamlText())")
        }
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
