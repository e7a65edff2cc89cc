import DescentCore

/// Distill's instant what-if: while a hyperparameter is being edited, the selected run's whole path with the
/// value being tried, from its start to the scenario's `steps`, drawn dimmed with its final loss.
///
/// The ghost is what `!` would make of the run: the run restarted from its start with the value, meeting the
/// lesson's later sets on the way (the same interpreter), so the two agree bit for bit.
public struct WhatIf: Sendable {
    /// The run's label and its settings before the edit (`esc` brings them back).
    public let label: String
    public let origin: SGDHyperparameters
    /// The settings tried.
    public let candidate: SGDHyperparameters
    /// The ghost's path and where it ends.
    public let path: Trajectory
    public let end: Run

    /// The ghost of `run` with `candidate`: restarted from its start, played to `steps` through `scheduled`
    /// (the lesson's sets for it after step 0). Nil when the optimizer refuses the settings.
    static func ghost(of run: Run, candidate: SGDHyperparameters, origin: SGDHyperparameters, scheduled: [RunEvent], steps: Int) -> WhatIf? {
        var ghost = run
        guard (try? ghost.setHyperparameters(candidate)) != nil else { return nil }
        ghost.reset()
        let tried = ghost.hyperparameters
        var path = Trajectory(startingAt: ghost, bound: ExplorerState.historyBound(dimension: ghost.parameters.count))
        var next = 0
        _ = RunProgram.play(&ghost, events: scheduled, next: &next, to: steps) { path.follow($0) }
        return WhatIf(label: run.label, origin: origin, candidate: tried, path: path, end: ghost)
    }

    /// The status line's account of it.
    func note(field: HyperparameterField, separator: String) -> String {
        let outcome = end.isDiverged ? "diverges at step \(end.stepCount)" : "final loss \(NumberFormat.readable(end.loss)) at step \(end.stepCount)"
        return "what if \(field.name) \(field.display(origin)) → \(field.display(candidate)): \(outcome)\(separator)enter keeps\(separator)! restarts with it\(separator)esc drops"
    }
}

/// The session as it stood when a what-if began (before its first change), so `esc` puts it back bit for bit.
struct WhatIfUndo: Sendable {
    var runs: [Run]
    var lanes: [Lane]
    var log: SessionLog
    var future: [RunEvent]
}

extension ExplorerState {
    /// The changes a restart of the selected run meets: the lesson's sets it has not made yet (those past where
    /// it stands), as `descent run` plays a reset among them.
    var restartSchedule: [RunEvent] { lessonSchedule(for: selectedRun) }

    /// The most steps a ghost takes: a frame's work (the rest of a long scenario is not drawn).
    var ghostSteps: Int {
        min(max(experiment.scenario.steps, 1), max(1, Self.frameWork / max(1, experiment.objective.costPerEvaluation + experiment.objective.dimension)))
    }

    /// Works out the ghost for `candidate` settings of the selected run (the settings before the edit: `origin`).
    mutating func showWhatIf(_ candidate: SGDHyperparameters, origin: SGDHyperparameters) {
        whatIf = WhatIf.ghost(of: selected, candidate: candidate, origin: origin, scheduled: restartSchedule, steps: ghostSteps)
    }

    /// Keeps the session as it stands, for `esc`, when a what-if is about to begin.
    mutating func beginWhatIf() {
        guard whatIf == nil else { return }
        whatIfUndo = WhatIfUndo(runs: experiment.runs, lanes: lanes, log: sessionLog, future: future)
    }

    /// `esc` during a what-if: the session as it was before the edit, bit for bit when no run has stepped
    /// since (else the run simply gets its old settings back, from here).
    mutating func dropWhatIf() {
        guard let whatIf else { return }
        self.whatIf = nil
        arrowWalk = nil
        if let undo = whatIfUndo, undo.runs.map(\.stepCount) == runs.map(\.stepCount), undo.runs.map(\.label) == runs.map(\.label) {
            experiment.runs = undo.runs
            lanes = undo.lanes
            sessionLog = undo.log
            future = undo.future
        } else if selected.hyperparameters != whatIf.origin {
            apply(whatIf.origin)
        }
        whatIfUndo = nil
        status = "what-if dropped: \(selectedField.name) back to \(selectedField.display(selected.hyperparameters))"
    }

    /// `enter` during a what-if: the change stays, from the step it was made at (torch's param-group semantics).
    mutating func keepWhatIf() {
        guard whatIf != nil else { return }
        whatIf = nil
        whatIfUndo = nil
        arrowWalk = nil
        status = "\(selectedField.name) \(selectedField.display(selected.hyperparameters)) kept, from step \(selected.stepCount)"
    }

    /// `!` during a what-if: the run starts over from its start with the value tried: the ghost becomes its path.
    mutating func restartWithWhatIf() {
        guard let whatIf else { status = "! restarts a run with a value being tried: change one with ← / → first"; return }
        dropFuture()
        self.whatIf = nil
        whatIfUndo = nil
        arrowWalk = nil
        if selected.hyperparameters != whatIf.candidate { apply(whatIf.candidate) }
        let schedule = restartSchedule
        sessionLog.record(run: selectedRun, step: selected.stepCount, .reset)
        experiment.runs[selectedRun].reset()
        lanes[selectedRun].history = Trajectory(startingAt: selected, bound: Self.historyBound(dimension: experiment.objective.dimension))
        lanes[selectedRun].scheduled = schedule
        lanes[selectedRun].scheduledFromSession = Array(repeating: false, count: schedule.count)
        lanes[selectedRun].nextScheduled = 0
        pauseAtStep = nextPause(after: currentStep)
        status = "'\(selected.label)' restarted with \(selectedField.name) \(selectedField.display(selected.hyperparameters)): space runs it along its ghost"
    }
}

extension ExplorerState {
    /// The what-if's ghost on the landscape: dimmed, dotted, under the runs' paths, with a mark where it ends.
    func drawGhost(_ grid: inout Grid, _ r: Rect) {
        guard let whatIf else { return }
        var canvas = BrailleCanvas(columns: r.width, rows: r.height)
        mapping.drawPath(whatIf.path, plane: plane, into: &canvas, pattern: 0x77, within: flightBox)
        // Dashed and dim; in ASCII a character of its own (`:` is the contours').
        copy(canvas, to: &grid, at: r, color: .dim, bold: false, asciiDot: "%")
        let p = project(whatIf.end.parameters)
        if let d = mapping.dot(p[0], p[1]), d.0 >= 0, d.1 >= 0, d.0 / 2 < r.width, d.1 / 4 < r.height {
            var cell = grid[r.x + d.0 / 2, r.y + d.1 / 4]
            cell.glyph = glyphScalar(.ghostEnd)
            cell.foreground = .dim
            cell.bold = true
            grid[r.x + d.0 / 2, r.y + d.1 / 4] = cell
        }
    }
}
