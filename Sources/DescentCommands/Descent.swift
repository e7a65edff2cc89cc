import ArgumentParser
import DescentCore
import Foundation

public struct Descent: ParsableCommand {
    public init() {}
    public static let configuration = CommandConfiguration(
        commandName: "descent",
        abstract: "Explore optimizer dynamics: PyTorch-exact SGD on objectives you can see.",
        subcommands: [ExploreCommand.self, RunCommand.self, CheckCommand.self, ObjectivesCommand.self, SnapshotCommand.self, PlotCommand.self, AnalyzeCommand.self, SweepCommand.self, MergeCommand.self, LessonCommand.self, LRFindCommand.self, ExportCommand.self, BenchCommand.self],
        defaultSubcommand: ExploreCommand.self)
}


/// Runs Descent on `arguments` (without the program's name) as the `descent` executable does, and returns
/// its exit status: every bad input, ours or the parser's, ends as one line on stderr and status 2. The
/// executable is this and `exit`; the fuzzer calls it with argument vectors.
public func runDescent(_ arguments: [String]) -> Int32 {
    do {
        var command = try Descent.parseAsRoot(arguments)
        try command.run()
        return 0
    } catch let error as InputError {
        printError("error: \(error)")
        return 2
    } catch {
        let code = Descent.exitCode(for: error)
        if code == .success {
            Console.current.print(TerminalTraits.readable(Descent.fullMessage(for: error)))
            return 0
        }
        if error is ExitCode { return code.rawValue }
        // The parser quotes the arguments it rejects; one holding a newline would cut its line in two.
        var full = Descent.message(for: error)
        for argument in arguments where argument.unicodeScalars.contains(where: \.isControlCharacter) {
            full = full.replacingOccurrences(of: argument, with: argument.escapingControlCharacters)
        }
        let message = full.split(separator: "\n").first.map(String.init) ?? "\(error)"
        // Point to the help of the subcommand the user was typing, if any.
        let names = Descent.configuration.subcommands.map { $0.configuration.commandName ?? "" }
        let subcommand = arguments.first { names.contains($0) }
        printError("error: \(message) (see `descent \(subcommand.map { "\($0) " } ?? "")--help`)")
        return 2
    }
}
