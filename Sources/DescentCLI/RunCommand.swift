import ArgumentParser
import DescentCore
import Foundation

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a scenario headless and print its trajectories.",
        discussion: """
            Examples:
              descent run Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml
              descent run Scenarios/02-rosenbrock-valley.yaml --format csv
              descent run --objective rosenbrock --start=-1.5,2 --lr 1e-3 --momentum 0.9 --nesterov --steps 500
            """)

    @OptionGroup var scenario: ScenarioOptions
    @Option(help: "Output: table (summary), csv (whole trajectory) or json.") var format: OutputFormat = .table

    func run() throws {
        guard let experiment = try scenario.experiment() else {
            throw InputError(message: "give a scenario FILE or --objective KIND (see `descent run --help`)")
        }
        let trajectories = experiment.trajectories()
        let text: String
        switch format {
        case .table:
            text = TrajectoryReport.table(trajectories, objective: experiment.objective, scenario: experiment.scenario.name)
        case .csv:
            text = TrajectoryReport.csv(trajectories)
        case .json:
            text = TrajectoryReport.json(trajectories, scenario: experiment.scenario.name,
                                         parameterNames: experiment.objective.parameterNames)
        }
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
