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
        let paths = try ScenarioFiles.expand(files.isEmpty ? ["Scenarios"] : files)
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
            if experiment.scenario.expect.isEmpty { Console.current.print(TerminalTraits.readable("----  \(path): no checks".escapingControlCharacters)) }
            for check in experiment.scenario.expect {
                let result = check.evaluate(trajectories)
                Console.current.print(TerminalTraits.readable("\(result.passed ? "pass" : "FAIL")  \(path): \(result.summary)".escapingControlCharacters))
                if result.passed { passed += 1 } else { failed += 1 }
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
