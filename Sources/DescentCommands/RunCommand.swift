import ArgumentParser
import DescentCore
import Foundation

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, json
}

enum CSVHeader: String, ExpressibleByArgument, CaseIterable {
    case index, names
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
    @Option(help: "Columns to add to csv or json rows, comma-separated: lr (after the step, as torch logs it), grad_norm (‖∇f‖), loss_gap (f − f*, where the minimum is known).")
    var columns: String?
    @Option(help: "The CSV header of θ's columns: index (p0, p1, …, the torch references' form) or names (the objective's parameter names, as JSON's \"parameters\": x, y; a formula's variables; w[feature] and b).")
    var header: CSVHeader = .index
    @Option(name: .customLong("save-state"), help: "Also write the scenario with every run's state at the end to this new file, to go on from there.")
    var saveState: String?

    func run() throws {
        if header == .names, format != .csv { throw InputError(field: "--header", message: format == .json ? "goes with --format csv (JSON names the parameters in \"parameters\")" : "goes with --format csv") }
        if columns != nil, format == .table { throw InputError(field: "--columns", message: "goes with --format csv or json (the table has its own columns)") }
        guard let experiment = try scenario.experiment() else {
            throw InputError(message: "give a scenario FILE or --objective KIND (see `descent run --help`)")
        }
        if let saveState {
            // Written first, and never over an existing file: a typo must not replace someone's scenario.
            var saved = experiment.savedAfter(steps: experiment.scenario.steps)
            // Whatever Descent writes, it reads: a scenario needs a run.
            guard !saved.runs.isEmpty else {
                throw InputError(field: "--save-state", message: "every run is deleted by the scenario's events: there is no state to save")
            }
            // A data file named relative to the scenario is named absolutely: the new file may be elsewhere.
            let here = FileManager.default.currentDirectoryPath
            let folder = experiment.file.map(FilePaths.folder(of:)) ?? here
            saved = saved.mappingPaths { path in
                path.hasPrefix("/") ? path : FilePaths.standardized(FilePaths.join(FilePaths.join(here, folder), path))
            }
            let text = saved.yamlText()
            if case .failure(let failure) = OutputFile.write(text, to: saveState, existing: .keep) {
                throw InputError(field: "--save-state", message: failure.message)
            }
        }
        // Streamed: no step is kept, whatever the number of steps or the format.
        switch format {
        case .table:
            let text = TrajectoryReport.table(experiment.summaries(), objective: experiment.objective,
                                              scenario: experiment.scenario.name, ascii: !TerminalTraits.unicode)
            Console.current.out(Data(text.utf8))
        case .csv, .json:
            try experiment.checkRecordedOutput(format: format.rawValue)
            let extra = try Self.columns(columns, for: experiment)
            var report = StreamingReport { bytes in bytes.withUnsafeBytes { Console.current.out(Data($0)) } }
            report.write(experiment, steps: experiment.scenario.steps, format: format == .csv ? .csv : .json, columns: extra,
                         namedColumns: header == .names)
        }
    }

    /// `--columns` read: known names, each once; `loss_gap` only where a minimum is known.
    static func columns(_ text: String?, for experiment: Experiment) throws(InputError) -> [StreamingReport.Column] {
        guard let text else { return [] }
        var out: [StreamingReport.Column] = []
        for name in text.split(separator: ",", omittingEmptySubsequences: false).map({ $0.trimmingCharacters(in: .whitespaces) }) {
            guard let column = StreamingReport.Column(rawValue: name) else {
                throw InputError(field: "--columns", message: "'\(name)' is not a column (they are: \(StreamingReport.Column.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            guard !out.contains(column) else { throw InputError(field: "--columns", message: "'\(name)' is given twice") }
            if column == .lossGap, experiment.objective.knownMinima.isEmpty {
                throw InputError(field: "--columns", message: "loss_gap needs the objective's minimum, and this \(experiment.objective.kind) has none known")
            }
            out.append(column)
        }
        return out
    }
}
