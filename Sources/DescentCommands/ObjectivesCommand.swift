import ArgumentParser
import DescentCore

struct ObjectivesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "objectives", abstract: "List the objectives with their parameters and defaults.")

    func run() {
        for entry in ObjectiveSpec.catalogue {
            let keys = entry.keys.isEmpty ? "" : "  {" + entry.keys.joined(separator: ", ") + "}"
            print(TerminalTraits.readable("\(entry.kind)\(keys)\n    \(entry.summary)\n"))
        }
    }
}
