import ArgumentParser
import DescentCore
import Foundation

struct Descent: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "descent",
        abstract: "Explore optimizer dynamics: PyTorch-exact SGD on objectives you can see.",
        subcommands: [ExploreCommand.self, RunCommand.self, CheckCommand.self, ObjectivesCommand.self, SnapshotCommand.self, PlotCommand.self, AnalyzeCommand.self, SweepCommand.self, MergeCommand.self, BenchCommand.self],
        defaultSubcommand: ExploreCommand.self)
}

// Every bad input, ours or the parser's, ends as one line on stderr and exit status 2.
do {
    var command = try Descent.parseAsRoot()
    try command.run()
} catch let error as InputError {
    printError("error: \(error)")
    exit(2)
} catch {
    let code = Descent.exitCode(for: error)
    if code == .success {
        print(TerminalTraits.readable(Descent.fullMessage(for: error)))
        exit(0)
    }
    if error is ExitCode { exit(code.rawValue) }
    // The parser quotes the arguments it rejects; one holding a newline would cut its line in two.
    var full = Descent.message(for: error)
    for argument in CommandLine.arguments.dropFirst() where argument.unicodeScalars.contains(where: \.isControlCharacter) {
        full = full.replacingOccurrences(of: argument, with: argument.escapingControlCharacters)
    }
    let message = full.split(separator: "\n").first.map(String.init) ?? "\(error)"
    // Point to the help of the subcommand the user was typing, if any.
    let names = Descent.configuration.subcommands.map { $0.configuration.commandName ?? "" }
    let subcommand = CommandLine.arguments.dropFirst().first { names.contains($0) }
    printError("error: \(message) (see `descent \(subcommand.map { "\($0) " } ?? "")--help`)")
    exit(2)
}
