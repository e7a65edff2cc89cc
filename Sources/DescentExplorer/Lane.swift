import DescentCore

/// One run's lane in the explorer: everything kept and drawn for it beside its engine (the `Run` at the same
/// index of `experiment.runs`, which `descent run` steps the same way). Lanes come and go with their runs, as one
/// value: adding a run inserts its lane, deleting one removes it, so nothing is kept aligned by hand.
public struct Lane: Sendable {
    /// The run's path, bounded: the first steps whole, the rest evenly thinned.
    public var history: Trajectory
    /// Its colour, glyph and dot pattern, kept for the run's life (and written by `w`).
    public var style: RunStyle
    /// Its measured rate, from ‖g‖ after each frame's steps while the theory panel is shown.
    var rateMeter = RateMeter()
    /// How far the view follows it while running (less for a run the preview saw diverge); nil: the flight box.
    var followBox: Viewport?
    /// Hidden (`h`, or a lesson's `hide`): its path, marker and loss curve are not drawn; it still steps.
    public var hidden = false
    /// The changes still to come to this run, in the interpreter's order: the lesson's sets and the session's
    /// later events (after going back in time); `nextScheduled` is the first not yet played.
    var scheduled: [RunEvent] = []
    /// Which of `scheduled` are the session's (moved into the log when met), not the lesson's.
    var scheduledFromSession: [Bool] = []
    var nextScheduled = 0

    init(run: Run, style: RunStyle) {
        history = Trajectory(startingAt: run, bound: ExplorerState.historyBound(dimension: run.parameters.count))
        self.style = style
    }

    init(history: Trajectory, style: RunStyle) {
        self.history = history
        self.style = style
    }

    /// The lanes of `experiment`'s runs, with the styles its scenario gives them (`RunStyle.styles`).
    static func lanes(of experiment: Experiment, histories: [Trajectory]? = nil) -> [Lane] {
        let styles = RunStyle.styles(of: experiment.runs.map(\.label), in: experiment.scenario)
        return experiment.runs.indices.map { i in
            histories.map { Lane(history: $0[i], style: styles[i]) } ?? Lane(run: experiment.runs[i], style: styles[i])
        }
    }
}
