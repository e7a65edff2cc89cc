import DescentCore
import DescentExplorer

/// The explorer's state as `snapshot` and `plot` open a scenario: a session (a file with events) replayed to its
/// `steps`, or to `--steps`, which must come after its last event; any other scenario opened at its start, with
/// the steps still to take.
enum OpenedSession {
    /// - Parameters:
    ///   - steps: `--steps`, when given.
    ///   - lessonAtStart: a lesson opens at its first beat and steps only as asked (`snapshot`); otherwise it
    ///     is stepped like any scenario (`plot`).
    /// - Returns: the state and how many steps to take (after any keys).
    static func open(_ experiment: Experiment, steps: Int?, lessonAtStart: Bool,
                     make: (Experiment) -> ExplorerState) throws(InputError) -> (state: ExplorerState, stepsToTake: Int) {
        var experiment = experiment
        let lesson = lessonAtStart && experiment.scenario.lesson != nil
        var stepsToTake = lesson ? steps ?? 0 : experiment.scenario.events.isEmpty ? steps ?? experiment.scenario.steps : 0
        if !lesson, let steps, let last = experiment.scenario.events.map(\.step).max() {
            guard steps >= last else {
                throw InputError(field: "--steps", message: "is \(steps), before the session's last event (at step \(last)); the picture of a session comes after its events")
            }
            var replayedTo = experiment.scenario
            replayedTo.steps = steps
            experiment = try Experiment(scenario: replayedTo, file: experiment.file, reusing: experiment)
            stepsToTake = 0
        }
        var state = make(experiment)
        // A picture has no frames to keep: a long session is replayed here and now.
        state.finishReplay()
        return (state, stepsToTake)
    }
}
