import ArgumentParser
import DescentCore

struct ObjectivesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "objectives", abstract: "List the objectives with their parameters and defaults.")

    func run() {
        for kind in ObjectiveRegistry.kinds {
            let keys = kind.keys.isEmpty ? "" : "  {" + kind.keys.map(\.name).joined(separator: ", ") + "}"
            Console.current.print(TerminalTraits.readable("\(kind.name)\(keys)\n    \(kind.summary)\n"))
        }
    }
}
