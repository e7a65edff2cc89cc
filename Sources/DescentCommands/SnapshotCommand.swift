import ArgumentParser
import DescentCore
import DescentExplorer
import Foundation

struct SnapshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot",
        abstract: "Print the explorer's screen as plain text, with no terminal.",
        discussion: """
            The keys are applied first, then the steps are taken. Keys are characters, plus
            <space> <tab> <backtab> <up> <down> <left> <right> <enter> <esc> <bs> <tick> <lt>.
            `w` and `e` write their files into the working folder, as in the explorer (a session with \
            changes is written with them as events, which `descent run` replays).
            Example: descent snapshot Scenarios/02-rosenbrock-valley.yaml --steps 300 --keys "<down><right>"
            """)

    @OptionGroup var scenario: ScenarioOptions
    @Option(help: "Screen size, WIDTHxHEIGHT.") var size = "120x40"
    @Option(help: "Keys to press before stepping.") var keys = ""
    @Flag(help: "ASCII shading and dots instead of Unicode braille (the default when the locale is not UTF-8).") var ascii = false

    func run() throws {
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, parts.allSatisfy({ $0 > 0 && $0 <= 1000 }) else {
            throw InputError(field: "--size", message: "must be WIDTHxHEIGHT like 120x40, got '\(size)'")
        }
        let messages: [Message]
        do { messages = try KeyScript.parse(keys) } catch { throw InputError(field: "--keys", message: error.description) }
        // --steps is how many steps to take, not the scenario's `steps`: the screen is the explorer's after
        // that many steps, with the view fitted and the pause set as the explorer would have them.
        if let steps = scenario.steps, !(0...Experiment.maximumSteps).contains(steps) {
            throw InputError(field: "--steps", message: "must be between 0 and \(Experiment.maximumSteps), got \(steps)")
        }
        var options = scenario
        options.steps = nil
        let experiment = try options.experiment(orBuiltIn: true) ?? Experiment(scenario: .builtInDefault)
        // A lesson opens at its first beat: it steps only as asked (--steps, or keys like `g80<enter>`).
        var (state, stepsToTake) = try OpenedSession.open(experiment, steps: scenario.steps, lessonAtStart: true) { experiment in
            ExplorerState(experiment: experiment, width: parts[0], height: parts[1],
                          options: RenderOptions(color: false, unicode: !ascii && TerminalTraits.unicode), choices: Choices.here(besides: scenario.file),
                          workingFolder: FileManager.default.currentDirectoryPath)
        }
        // `w` and `e` write their files into the working folder, as in the explorer; the rest of the
        // effects (open, quit) have no meaning here.
        for message in messages {
            for effect in state.update(message) {
                if case .replay = effect { state.finishReplay(); continue }
                if case .describe(let paths) = effect {
                    for answer in Choices.described(paths) { state.update(answer) }
                    continue
                }
                guard case let .writeNewFile(stem, fileExtension, contents, what) = effect else { continue }
                switch OutputFile.writeNew(contents, stem: stem, fileExtension: fileExtension) {
                case .success(let path):
                    state.update(.wrote(path: path, what: what))
                    Console.current.err(Data("wrote \(what) to \(path)\n".utf8))
                case .failure(let failure):
                    throw InputError(field: "--keys", message: failure.message)
                }
            }
        }
        state.advanceSteps(stepsToTake)
        Console.current.print(state.render().text, terminator: "")
    }
}
