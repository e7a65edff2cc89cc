import ArgumentParser
import DescentCore
import Foundation

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Evaluate the `expect` checks of scenario files (default: every file in Scenarios/).",
        discussion: "Prints one line per check. Exits 1 if a check fails, 2 if a file is invalid.")

    @Argument(help: "Scenario files or folders.", completion: .file(extensions: ["yaml", "yml", "json"]))
    var files: [String] = []

    func run() throws {
        // By default the shipped scenarios and their lessons.
        let defaults = ["Scenarios"] + (FileManager.default.fileExists(atPath: "Scenarios/lessons") ? ["Scenarios/lessons"] : [])
        let paths = try ScenarioFiles.expand(files.isEmpty ? defaults : files)
        var passed = 0, failed = 0, invalid = 0
        for path in paths {
            let experiment: Experiment
            do {
                experiment = try Experiment.load(contentsOf: path)
            } catch {
                printError("error: \(error)")
                invalid += 1
                continue
            }
            let trajectories = experiment.summaries(targets: Expectation.targets(of: experiment.scenario.expect))
            let lessonChecks = experiment.scenario.lesson?.beats.reduce(0) { $0 + $1.expect.count } ?? 0
            if experiment.scenario.expect.isEmpty && lessonChecks == 0 { Console.current.print(TerminalTraits.readable("----  \(path): no checks".escapingControlCharacters)) }
            for check in experiment.scenario.expect {
                let result = check.evaluate(trajectories)
                Console.current.print(TerminalTraits.readable("\(result.passed ? "pass" : "FAIL")  \(path): \(result.summary)".escapingControlCharacters))
                if result.passed { passed += 1 } else { failed += 1 }
            }
            // A lesson: every beat's checks at its step, and every caption filled in there.
            var captionProblem: InputError?
            for outcome in experiment.playLesson() {
                if case .failure(let problem) = outcome.caption, captionProblem == nil {
                    let field = "lesson[\(outcome.index)].say"
                    captionProblem = InputError(file: path, field: field, line: Scenario.line(of: field, inFile: path), message: problem.message)
                }
                for (_, result) in outcome.checks {
                    Console.current.print(TerminalTraits.readable("\(result.passed ? "pass" : "FAIL")  \(path): beat \(outcome.index + 1) (step \(outcome.beat.at)): \(result.summary)".escapingControlCharacters))
                    if result.passed { passed += 1 } else { failed += 1 }
                }
            }
            if let captionProblem {
                printError("error: \(captionProblem)")
                invalid += 1
            }
        }
        Console.current.print("\(counted(paths.count, "scenario")), \(counted(passed + failed, "check")): \(passed) passed, \(failed) failed"
              + (invalid > 0 ? ", \(counted(invalid, "invalid file"))" : ""))
        if invalid > 0 { throw ExitCode(2) }
        if failed > 0 { throw ExitCode(1) }
    }
}

/// `1 check`, `2 checks`.
func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
