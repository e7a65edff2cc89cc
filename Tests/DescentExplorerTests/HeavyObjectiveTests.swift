import Foundation
import Testing
@testable import DescentCore
@testable import DescentExplorer

/// A heavy objective never holds up a frame: the stepping of a tick and the first fit stay within their
/// work budgets, and the status line says the real pace.
@Suite struct HeavyObjectiveTests {
    static func heavyExperiment(dimension n: Int, runs: Int) throws -> Experiment {
        var rows: [[Double]] = []
        for i in 0..<n { rows.append((0..<n).map { j in i == j ? 2 : 0.5 / Double(1 + abs(i - j)) }) }
        let specs = (0..<runs).map { RunSpec(label: "r\($0)", hyperparameters: SGDHyperparameters(lr: 0.05, momentum: 0.5)) }
        return try Experiment(scenario: Scenario(name: "heavy", objective: QuadraticKind.spec(matrix: rows),
                                                 start: Array(repeating: 1, count: n), steps: 100_000, runs: specs))
    }

    @Test func ticksStayWithinTheFrameBudget() throws {
        let experiment = try Self.heavyExperiment(dimension: 300, runs: 3)
        var state = ExplorerState(experiment: experiment, width: 120, height: 40)
        let perStep = experiment.objective.costPerEvaluation + experiment.objective.dimension
        // The first fit's previews stay within their budget too.
        #expect(state.runs.allSatisfy { $0.stepCount == 0 })
        while state.speed < ExplorerState.speeds.last! { state.update(.key(.character("f"))) }
        state.update(.key(.character(" ")))
        let before = state.runs.map(\.stepCount).reduce(0, +)
        state.update(.tick)
        let taken = state.runs.map(\.stepCount).reduce(0, +) - before
        #expect(taken > 0 && taken * perStep <= ExplorerState.frameWork, "took \(taken) steps of \(perStep)")
        #expect(state.throttledSpeed != nil)
        #expect(state.render().text.contains("objective-bound"))
        // Below one step a run per frame, the runs take single steps in turn and all move.
        let heavier = try Self.heavyExperiment(dimension: 1500, runs: 10)
        var slow = ExplorerState(experiment: heavier, width: 120, height: 40)
        slow.update(.key(.character(" ")))
        for _ in 0..<3 { slow.update(.tick) }
        #expect(slow.runs.allSatisfy { $0.stepCount > 0 })
        #expect(slow.runs.map(\.stepCount).max()! - slow.runs.map(\.stepCount).min()! <= 1)
    }

    /// The planar section of a quadratic and of a least-squares regression is the loss on the plane.
    @Test func planarSectionsAreTheLoss() throws {
        var rng = SeededGenerator(seed: 4)
        let quadratic = Quadratic(matrix: [[3, 1, 0.5], [1, 2, 0.2], [0.5, 0.2, 1]], center: [0.1, -0.2, 0.3])
        let data = RegressionData.synthetic(samples: 500, weights: [1, -2, 0.5], bias: 0.3, noise: 0.2, seed: 1, logistic: false)
        let objectives: [any Objective] = [quadratic, LinearRegression(data: data)]
        for f in objectives {
            for _ in 0..<50 {
                let point = (0..<f.dimension).map { _ in rng.nextUnit() * 4 - 2 }
                let axes = (Int(rng.next() % UInt64(f.dimension)), f.dimension - 1)
                guard axes.0 != axes.1, let section = f.planarSection(through: point, axes: axes) else { continue }
                var moved = point
                moved[axes.0] += rng.nextUnit() * 6 - 3; moved[axes.1] += rng.nextUnit() * 6 - 3
                let want = f.loss(at: moved), got = section(moved[axes.0], moved[axes.1])
                #expect(abs(got - want) <= 1e-9 * max(1, abs(want)), "\(f.kind): \(got) against \(want)")
            }
        }
    }
}
