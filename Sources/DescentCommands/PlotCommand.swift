import ArgumentParser
import DescentCore
import DescentExplorer
import Foundation

struct PlotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plot",
        abstract: "Write an SVG picture of a scenario: the landscape with every run's path, and the loss curves.",
        discussion: """
            The picture is the explorer's after the scenario's steps (or --steps): its view, its colours, its \
            paths, with a legend; ready for slides and notes. An existing file of that name is replaced.
            Example: descent plot Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml -o ravine.svg
            """)

    @OptionGroup var scenario: ScenarioOptions
    @Option(name: .shortAndLong, help: "The SVG file to write.") var output: String
    @Option(help: "Picture size in pixels, WIDTHxHEIGHT.") var size = "1000x500"

    func run() throws {
        let parts = size.lowercased().split(separator: "x").compactMap { Int($0) }
        guard parts.count == 2, (600...20_000).contains(parts[0]), (300...20_000).contains(parts[1]) else {
            throw InputError(field: "--size", message: "must be WIDTHxHEIGHT from 600x300 to 20000x20000, like 1000x500, got '\(size)'")
        }
        try scenario.checkSteps()
        var options = scenario
        options.steps = nil
        guard let experiment = try options.experiment() else {
            throw InputError(message: "give a scenario FILE or --objective KIND (see `descent plot --help`)")
        }
        // The explorer's state at a size whose plot has the picture's proportions, stepped as it would be.
        var (state, stepsToTake) = try OpenedSession.open(experiment, steps: scenario.steps, lessonAtStart: false) { experiment in
            ExplorerState(experiment: experiment, width: 160, height: 48, options: RenderOptions(color: true, unicode: true))
        }
        state.advanceSteps(stepsToTake)
        let svg = state.svgPicture(width: parts[0], height: parts[1])
        guard !output.isEmpty else { throw InputError(field: "-o", message: "needs a file name, like ravine.svg") }
        if case .failure(let failure) = OutputFile.write(svg, to: output) { throw InputError(field: "-o", message: failure.message) }
    }
}
