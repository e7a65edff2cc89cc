import DescentCore
import Foundation
import Testing

/// Headless output written as the runs step: the same bytes as the whole-trajectory reports, the same
/// check results, in memory that does not grow with the steps.
@Suite struct StreamingTests {
    static let scenarioFiles: [String] = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let folders = [root.appendingPathComponent("Scenarios").path, Fixtures.golden, Fixtures.goldenSchedules, Fixtures.goldenExpressions]
        return folders.flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted()
                .map { folder + "/" + $0 }
        }
    }()

    static func streamed(_ experiment: Experiment, steps: Int, _ format: StreamingReport.Format) -> String {
        var bytes: [UInt8] = []
        var report = StreamingReport { bytes += $0 }
        report.write(experiment, steps: steps, format: format)
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func streamedCSVAndJSONAreTheWholeReportsBytes() throws {
        #expect(Self.scenarioFiles.count >= 20)
        for file in Self.scenarioFiles {
            let experiment = try Experiment.load(contentsOf: file)
            let steps = min(experiment.scenario.steps, 400)
            let whole = experiment.trajectories(steps: steps)
            #expect(Self.streamed(experiment, steps: steps, .csv) == TrajectoryReport.csv(whole), "\(file): CSV differs")
            let json = TrajectoryReport.json(whole, scenario: experiment.scenario.name, parameterNames: experiment.objective.parameterNames)
            #expect(Self.streamed(experiment, steps: steps, .json) == json, "\(file): JSON differs")
        }
    }

    /// Long enough to cross the writer's 64 KiB chunks many times, with a run that diverges midway.
    @Test func chunkBoundariesAndDivergenceKeepTheBytes() throws {
        let scenario = Scenario(name: "long \"quoted\", label", objective: ObjectiveSpec(kind: "rosenbrock"), start: [-1.5, 2],
                                runs: [RunSpec(label: "a,b", hyperparameters: SGDHyperparameters(lr: 1e-3, momentum: 0.9)),
                                       RunSpec(label: "blows up", hyperparameters: SGDHyperparameters(lr: 0.05))])
        let experiment = try Experiment(scenario: scenario)
        let whole = experiment.trajectories(steps: 5000)
        #expect(whole[1].status.isDiverged)
        #expect(Self.streamed(experiment, steps: 5000, .csv) == TrajectoryReport.csv(whole))
        #expect(Self.streamed(experiment, steps: 5000, .json)
                == TrajectoryReport.json(whole, scenario: scenario.name, parameterNames: experiment.objective.parameterNames))
    }

    /// A NaN is `nan` in every format, whatever its sign bit (log of a negative number gives one with it set).
    @Test func nonFiniteNumbersHaveOneSpelling() throws {
        let spec = ExpressionKind.spec(formula: "log(x) + x^2")
        let experiment = try Experiment(scenario: Scenario(name: "nan", objective: spec, start: [1.5], steps: 3,
                                                           runs: [RunSpec(label: "a", hyperparameters: SGDHyperparameters(lr: 0.6))]))
        let whole = experiment.trajectories(steps: 3)
        #expect(whole[0].losses.last!.isNaN && whole[0].losses.last!.sign == .minus)
        let table = TrajectoryReport.table(whole, objective: experiment.objective, scenario: "nan")
        for text in [Self.streamed(experiment, steps: 3, .csv), TrajectoryReport.csv(whole), table] {
            #expect(text.contains("nan") && !text.contains("-nan"), "\(text)")
        }
        #expect(NumberFormat.exact(-.infinity) == "-inf" && NumberFormat.readable(.infinity) == "inf")
    }

    @Test func summariesGiveTheSameTableAndChecksAsWholeTrajectories() throws {
        for file in Self.scenarioFiles {
            let experiment = try Experiment.load(contentsOf: file)
            let whole = experiment.trajectories()
            let summaries = experiment.summaries(targets: Expectation.targets(of: experiment.scenario.expect))
            #expect(TrajectoryReport.table(summaries, objective: experiment.objective, scenario: experiment.scenario.name)
                    == TrajectoryReport.table(whole, objective: experiment.objective, scenario: experiment.scenario.name))
            for check in experiment.scenario.expect {
                #expect(check.evaluate(summaries) == check.evaluate(whole), "\(file): \(check)")
            }
        }
    }
}
