import DescentCore
import Foundation

extension RunHistory {
    /// A history with its run's label, to write as CSV rows.
    struct Labelled: TrajectoryRecords {
        let label: String
        let history: RunHistory
        var dimension: Int { history.points.first?.count ?? 0 }
        var count: Int { history.count }
        var steps: [Int] { history.steps }
        var losses: [Double] { history.losses }
        func point(_ row: Int) -> ArraySlice<Double> { history.points[row][...] }
    }
}

extension ExplorerState {
    /// The current setup as a scenario: each run's current hyperparameters and start.
    ///
    /// A `data` path is rewritten relative to the working folder, where the new file is written.
    public func currentScenario() -> Scenario {
        var scenario = experiment.scenario
        let commonStart = runs[0].start
        scenario.start = commonStart
        if let data = scenario.objective.data, let file = experiment.file {
            scenario.objective.data = Self.relativeToWorkingFolder(data, scenarioFile: file)
        }
        scenario.runs = runs.map { run in
            RunSpec(label: run.label, hyperparameters: run.hyperparameters,
                    start: run.start == commonStart ? nil : run.start,
                    batchSize: run.batches.map(\.batchSize) == scenario.objective.batchSize ? nil : run.batches?.batchSize,
                    seed: run.batches.map(\.seed) == (scenario.objective.seed ?? 0) ? nil : run.batches?.seed)
        }
        let labels = Set(runs.map(\.label))
        scenario.expect = scenario.expect.filter { $0.runLabels.allSatisfy(labels.contains) }
        return scenario
    }

    func scenarioText() -> String {
        "# Written by the Descent explorer. Run it with: descent run FILE\n" + currentScenario().yamlText()
    }

    /// The data file's path as seen from the working folder, where the new scenario is written.
    static func relativeToWorkingFolder(_ data: String, scenarioFile: String) -> String {
        let folder = FileManager.default.currentDirectoryPath
        var absolute = data.hasPrefix("/") ? data
            : ((scenarioFile as NSString).deletingLastPathComponent as NSString).appendingPathComponent(data)
        if !absolute.hasPrefix("/") { absolute = (folder as NSString).appendingPathComponent(absolute) }
        absolute = (absolute as NSString).standardizingPath
        return absolute.hasPrefix(folder + "/") ? String(absolute.dropFirst(folder.count + 1)) : absolute
    }

    /// What the explorer has kept of each run (every step unless a long run was thinned), as `descent run` CSV.
    func trajectoryCSV() -> String {
        TrajectoryReport.csv(zip(runs, histories).map { RunHistory.Labelled(label: $0.label, history: $1) })
    }
}
