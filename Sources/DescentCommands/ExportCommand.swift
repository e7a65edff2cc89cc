import ArgumentParser
import DescentCore
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a scenario as a self-contained torch script that prints what `descent run --format csv` prints.",
        discussion: """
            The script uses torch and the standard library only, in float64: torch.optim.SGD for every run, \
            torch.optim.lr_scheduler for schedules, the scenario's events (and a lesson's sets) played at each run's \
            own steps: set as param-group edits, reset and start as a fresh optimizer, copy as a new run with the \
            optimizer's and scheduler's state, delete as the run's end. Data sets are read from the same CSV file \
            (or generated from the same seed), minibatches and gradient noise drawn from Descent's seeded streams; \
            AutoRound's sign update and the Sutskever convention are written out where a run uses them. Refused, \
            with the field and the reason: a saved state, a change of update or convention mid-run, and an lr edit \
            on a scheduled run.
            Example: descent export Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml --torch > ravine.py && python3 ravine.py
            """)

    @Argument(help: "A scenario file.", completion: .file(extensions: ["yaml", "yml", "json"]))
    var file: String
    @Flag(help: "A torch script (the one export there is).") var torch = false

    func run() throws {
        guard torch else { throw InputError(message: "give --torch (the one export there is)") }
        let experiment = try Experiment.load(contentsOf: file)
        Console.current.out(try TorchScript.script(experiment, file: file))
    }
}
