import Foundation
import Testing
@testable import DescentCore

/// One divergence rule for every face, and checks that test every condition they are given.
@Suite struct DivergenceTests {
    static func scenario(lr: Double, momentum: Double = 0, steps: Int, expect: String = "") -> String {
        """
        name: runaway
        objective: {kind: quadratic, eigenvalues: [1, 5]}
        start: [1, 1]
        steps: \(steps)
        runs:
          - {label: a, lr: \(lr), momentum: \(momentum)}
        \(expect.isEmpty ? "" : "expect:\n  - \(expect)")
        """
    }

    /// lr 0.5 on curvatures 1 and 5: θ_k = (0.5^k, (−1.5)^k), f = (x² + 5y²)/2 grows as 2.25^k and passes
    /// 1e10 · f(θ₀) = 3e10 long before it overflows. The run diverges at that step, with torch's numbers up to it.
    @Test func aLossThatRunsAwayIsADivergence() throws {
        let experiment = try Experiment(scenario: try Scenario.decode(yaml: Self.scenario(lr: 0.5, steps: 200)))
        let summary = experiment.summaries()[0]
        var k = 0, loss = 3.0
        while loss <= 3e10 {
            k += 1
            let x = pow(0.5, Double(k)), y = pow(-1.5, Double(k))
            loss = (x * x + 5 * y * y) / 2
        }
        guard case .diverged(let step, let cause?) = summary.status else {
            Issue.record("a loss of \(summary.finalLoss) did not diverge"); return
        }
        #expect(step == k && summary.finalLoss.isFinite)
        #expect(abs(summary.finalLoss - loss) <= 1e-9 * loss)
        #expect(cause.contains("ran away"))
        // Just below the bound is still running: the rule is the bound, not a guess.
        let tame = try Experiment(scenario: try Scenario.decode(yaml: Self.scenario(lr: 0.5, steps: k - 1))).summaries()[0]
        #expect(tame.status == .running)
    }

    /// `check`'s `diverges`, the sweep's diverged metric and its map's shading use the same rule as `run`.
    @Test func checkAndSweepAgreeWithRun() throws {
        let diverging = try Scenario.decode(yaml: Self.scenario(lr: 0.5, steps: 200, expect: "{run: a, diverges: true}"))
        let experiment = try Experiment(scenario: diverging)
        #expect(diverging.expect[0].evaluate(experiment.summaries()).passed)
        let settled = try Scenario.decode(yaml: Self.scenario(lr: 0.1, steps: 200, expect: "{run: a, diverges: true}"))
        #expect(!settled.expect[0].evaluate(try Experiment(scenario: settled).summaries()).passed)

        let sweep = try Sweep(base: experiment.runs[0], x: SweepAxis(field: .lr, from: 0.3, to: 0.6, count: 16, logarithmic: false),
                              y: SweepAxis(field: .momentum, from: 0, to: 0.5, count: 3, logarithmic: false), steps: 200, metric: .diverged)
        let cells = sweep.run(cells: sweep.cells(in: nil))
        #expect(cells.contains { $0.value != nil } && cells.contains { $0.value == nil })
        for cell in cells { #expect(cell.value == sweep.runOne(cell: cell.index).value) }

        let losses = try Sweep(base: experiment.runs[0], x: SweepAxis(field: .lr, from: 0.3, to: 0.6, count: 16, logarithmic: false),
                               y: SweepAxis(field: .momentum, from: 0, to: 0.5, count: 3, logarithmic: false), steps: 200, metric: .finalLoss)
        let lossCells = losses.run(cells: losses.cells(in: nil))
        let scale = SweepScale(metric: .finalLoss, values: lossCells.map(\.value), startLoss: experiment.runs[0].loss)
        for (cell, diverged) in zip(lossCells, cells) {
            #expect((scale.shade(cell.value) == .diverged) == (diverged.value != nil), "cell \(cell.index): loss \(String(describing: cell.value))")
        }
    }

    /// An entry with two conditions used to check one of them: both passed for a final loss of 8.
    @Test(arguments: [
        ("{run: a, final_loss_below: 100, final_loss_above: 1.0e9}", "expect[0].final_loss_above", "one check per entry"),
        ("{run: a, final_loss_below: 100, diverges: true}", "expect[0].diverges", "one check per entry"),
        ("{run: a, final_loss_below: 100, within: 3}", "expect[0].within", "not part of a final_loss_below check"),
        ("{faster: a, than: a, to_loss: 1, run: a}", "expect[0].run", "not part of a faster check"),
        ("{run: a, to_loss: 1}", "expect[0]", "a check needs one of"),
    ])
    func anEntryHasOneConditionAndOnlyItsKeys(entry: String, field: String, message: String) {
        #expect {
            _ = try Scenario.decode(yaml: Self.scenario(lr: 0.1, steps: 10, expect: entry), file: "f.yaml")
        } throws: { error in
            guard let error = error as? InputError else { return false }
            return error.field == field && error.line == 8 && error.message.contains(message)
        }
    }
}
