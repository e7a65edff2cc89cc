import DescentCore
import Foundation
import Testing
@testable import DescentExplorer

/// Schedules that torch runs to an infinite lr, or with periods past Int.max / 2, are drawn, not trapped on.
@Suite struct ExtremeScheduleTests {
    static let yaml = """
        name: exploding lr
        objective: {kind: quadratic, eigenvalues: [1, 5]}
        start: [1, 1]
        steps: 2000
        runs:
          - {label: a, lr: 0.1, schedule: {kind: exponential, gamma: 1.5}}
          - {label: b, lr: 0.1, schedule: {kind: exponential, gamma: 1.0e308}}
          - {label: c, lr: 0.1, schedule: {kind: cosine, t_max: 4611686018427387904}}
          - {label: d, lr: 0.1, schedule: {kind: cosine, t_max: 9223372036854775807, eta_min: -1}}
        """

    /// `Int(NaN)` in the schedule line crashed snapshot and the explorer once lr reached inf.
    @Test func aScheduleThatReachesInfinityIsDrawnAndMarkedDiverged() throws {
        let experiment = try Experiment(scenario: try Scenario.decode(yaml: Self.yaml))
        for size in [(80, 24), (200, 60)] {
            var state = ExplorerState(experiment: experiment, width: size.0, height: size.1, options: RenderOptions(color: false))
            for run in 0..<4 {
                state.advanceSteps(2000)
                let text = state.render().text
                #expect(text.contains("schedule"))
                if run == 0 { #expect(text.contains("diverged")) }
                _ = state.update(.key(.tab))
            }
        }
        // Headless: the exploding runs diverge, the long cosines step on at their base lr.
        let summaries = experiment.summaries()
        #expect(summaries[0].status != .running && summaries[1].status != .running)
        #expect(summaries[2].finalLoss < 1e-9 && summaries[3].finalLoss < 1e-9)
    }

    /// A period past Int.max / 2 overflowed `2 · t_max`; its lrs are the cosine's, which barely moves.
    @Test func cosineWithAHugePeriodComputesWithoutATrap() {
        for tMax in [1 << 62, Int.max - 1, Int.max] {
            let lrs = LRSchedule(kind: .cosine(tMax: tMax, etaMin: 0), baseLR: 0.1).curve(steps: 100)
            #expect(lrs.allSatisfy { abs($0 - 0.1) < 1e-15 }, "\(tMax)")
        }
    }
}
