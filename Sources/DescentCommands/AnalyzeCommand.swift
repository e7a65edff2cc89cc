import ArgumentParser
import DescentCore
import Foundation

enum AnalysisPoint: String, ExpressibleByArgument, CaseIterable {
    case start, final

    /// `start`, `final`, in any case (the help writes START|FINAL).
    init?(argument: String) {
        self.init(rawValue: argument.lowercased())
    }
}

struct AnalyzeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analyze",
        abstract: "Print a run's linear theory: curvatures, each direction's map, ρ and regime, the stable lr, Polyak's setting.",
        discussion: """
            At the run's point (after the scenario's steps by default, or at its start) the Hessian's eigenvalues \
            give, for each direction, the 2×2 map one torch step applies to (error, momentum buffer): its \
            spectral radius ρ is the predicted factor per step. After stepping, the rate the run really shows \
            (a fit over its last 64 steps before ‖g‖ reached rounding level) is printed beside it.

            Examples:
              descent analyze Scenarios/04-polyak-optimal.yaml
              descent analyze Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml --run nesterov --at start
              descent analyze --objective rosenbrock --start=-1.5,2 --lr 1e-3 --momentum 0.9 --steps 2000
            """)

    @OptionGroup var scenario: ScenarioOptions
    @Option(name: .customLong("run"), help: "The run to analyze, by label (default: the first).") var runLabel: String?
    @Option(help: "Where: the run's start, or after the scenario's steps.") var at: AnalysisPoint = .final

    /// Steps whose ‖g‖ the measured rate is fitted to.
    static let window = 64

    func run() throws {
        guard let experiment = try scenario.experiment() else {
            throw InputError(message: "give a scenario FILE or --objective KIND (see `descent analyze --help`)")
        }
        // The run's program: a scenario's events (a replayed session) happen on the way.
        var program = try Self.pickProgram(runLabel, in: experiment)
        var measured: (rate: Double, window: ClosedRange<Int>)?
        if at == .final {
            // Every step is measured: the window is the last 64 steps before ‖g‖ reached rounding level
            // (or before the run diverged).
            var meter = RateMeter(capacity: Self.window + 1)
            program.play(steps: experiment.scenario.steps) { meter.record(step: $0.stepCount, norm: $0.effectiveGradientNorm()) }
            if let rate = meter.rate(minimumSpan: 2), let last = meter.lastStep {
                measured = (rate, (last - meter.span)...last)
            }
        }
        let run = program.run
        guard let analysis = RunAnalysis(run: run) else {
            let n = experiment.objective.dimension
            throw InputError(file: experiment.file, message: n > Spectrum.maximumDimension(of: experiment.objective)
                ? "the Hessian of \(n) parameters is too big to decompose (at most \(Spectrum.maximumDimension(of: experiment.objective)))"
                : "the Hessian is not finite at the run's point (step \(run.stepCount), \(run.status.description))")
        }
        let text = AnalysisReport.text(analysis, scenario: experiment.scenario.name, objective: experiment.objective,
                                       at: at.rawValue, measured: measured, status: run.isDiverged ? run.status.description : nil)
        Console.current.out(Data(TerminalTraits.readable(text).utf8))
    }

    /// The program of the run labelled `label` (a copy made by an event too), or the first.
    static func pickProgram(_ label: String?, in experiment: Experiment) throws(InputError) -> RunProgram {
        let programs = experiment.programs()
        guard let label else { return programs[0] }
        guard let program = programs.first(where: { $0.run.label == label }) else {
            throw InputError(field: "--run", message: "no run '\(label)'\(experiment.file.map { " in \($0)" } ?? "") (runs: \(programs.map(\.run.label).joined(separator: ", ")))")
        }
        return program
    }
}
