/// One run's whole timeline: its state before its first step and the events that happen to it, at its own
/// step counts. A scenario without events has a program per run with none; `descent run`, `check`, the
/// sweeps' bases and the explorer's written sessions all play programs.
public struct RunProgram: Sendable {
    /// The run before its first step (for a copy: the source as it stood when it was copied).
    public var run: Run
    /// This run's events, in the file's order.
    public var events: [RunEvent]

    public init(run: Run, events: [RunEvent] = []) {
        self.run = run
        self.events = events
    }

    /// Plays every event and steps on until the run's count reaches `steps` after its last event (or it is
    /// deleted); `observe` sees the run after every step and after every reset or new start. Without a reset,
    /// this is `play(_:events:next:to:)` to `steps`.
    public mutating func play(steps: Int, observe: (borrowing Run) -> Void) {
        var next = 0
        _ = Self.play(&run, events: events, next: &next, to: steps, everyEvent: true, advance: { run, count in run.advance(by: count, observe: observe) }, shown: observe)
    }

    /// The same with nothing observed: the run's bulk stepping between events.
    public mutating func play(steps: Int) {
        var next = 0
        _ = Self.play(&run, events: events, next: &next, to: steps, everyEvent: true, advance: { run, count in run.advance(by: count) }, shown: { _ in })
    }

    /// Where playing a run's events stopped.
    public enum Stop: Equatable, Sendable {
        /// At the target step, every event at or before it applied.
        case reached
        /// At an event that changes the set of runs (a copy or a deletion) that `stoppingAtRunChanges` asked to
        /// be left to the caller: the run stands at its step, the event not yet applied.
        case runChange(RunEvent)
        /// A deletion ended the run.
        case deleted
    }

    /// The one interpreter of events: plays `run` on to step `target` through `events[next...]`, applying in
    /// order each event whose step comes at or before the target (an event at step s is applied once the run
    /// stands at s, before it takes step s + 1) and leaving `next` at the first event not applied. Playing to
    /// a, then on to b ≥ a, gives the same run, bit for bit, as playing to b at once.
    ///
    /// `descent run`, `check`, the sweeps' bases, written sessions, lessons and the explorer's time control
    /// all step runs through it.
    public static func play(_ run: inout Run, events: [RunEvent], next: inout Int, to target: Int,
                            stoppingAtRunChanges: Bool = false, observe: (borrowing Run) -> Void) -> Stop {
        play(&run, events: events, next: &next, to: target, stoppingAtRunChanges: stoppingAtRunChanges,
             advance: { run, count in run.advance(by: count, observe: observe) }, shown: observe)
    }

    /// `everyEvent`: every event is played, whatever its step (after a reset the count starts again, so a
    /// run's `steps` counts from its last event), then the run goes on to `target`.
    private static func play(_ run: inout Run, events: [RunEvent], next: inout Int, to target: Int, stoppingAtRunChanges: Bool = false,
                             everyEvent: Bool = false, advance: (inout Run, Int) -> Void, shown: (borrowing Run) -> Void) -> Stop {
        while next < events.count, everyEvent || events[next].step <= target {
            let event = events[next]
            if event.step > run.stepCount { advance(&run, event.step - run.stepCount) }
            switch event.action {
            case .copy, .delete:
                if stoppingAtRunChanges { return .runChange(event) }
            default:
                break
            }
            next += 1
            switch event.action {
            case .set(let patch):
                // Checked when the scenario was loaded; applied here as torch assigns a param group's values.
                run.assign(patch)
            case .reset:
                run.reset()
                shown(run)
            case .start(let point):
                run.moveStart(to: point)
                shown(run)
            case .copy:
                break
            case .delete:
                return .deleted
            }
        }
        if target > run.stepCount { advance(&run, target - run.stepCount) }
        return .reached
    }
}

extension RunProgram {
    /// Whether an event ends the run.
    public var isDeleted: Bool { events.contains { $0.action == .delete } }
}

extension Experiment {
    /// The scenario as it stands after playing every program to `steps`: each run that was not deleted, with
    /// the settings it has then and its `state:`, so `descent run` goes on from there bit for bit (raise
    /// `steps` to take more). Events and checks are left out: they were about the way here.
    public func savedAfter(steps: Int) -> Scenario {
        var saved = scenario
        saved.events = []
        saved.expect = []
        saved.lesson = nil
        saved.steps = steps
        // Each run keeps the style it was drawn in: its own, its place in the file, its copy event's, or the
        // lowest free one among the runs as the explorer lists them after the events.
        let shown = scenario.labelsAfterEvents
        let styleOf = Dictionary(zip(shown, scenario.styles(of: shown)), uniquingKeysWith: { a, _ in a })
        saved.runs = programs().compactMap { program -> RunSpec? in
            guard !program.isDeleted else { return nil }
            var program = program
            program.play(steps: steps)
            let run = program.run
            // A run that diverged has no finite state to go on from: it is written to start over.
            return run.spec(commonStart: scenario.start, objective: scenario.objective, state: run.isDiverged ? nil : RunState(of: run))
        }
        for index in saved.runs.indices {
            let style = styleOf[saved.runs[index].label].map { $0 % RunSpec.styleCount }
            saved.runs[index].style = style == index ? nil : style
        }
        return saved
    }
}

extension Experiment {
    /// Every run's program, then one per copy in the order they were made. Without events, the runs.
    ///
    /// A copy starts from its source's state at the copy's step, found by playing the source that far
    /// (no output), so building the programs costs at most one pass up to the last copy.
    public func programs() -> [RunProgram] {
        let events = scenario.timeline
        guard !events.isEmpty else { return runs.map { RunProgram(run: $0) } }
        var programs = runs.map { RunProgram(run: $0) }
        // Each label's program index, and a run played along to the events' steps to copy from.
        var index: [String: Int] = [:]
        for (i, run) in runs.enumerated() { index[run.label] = i }
        var played = runs
        for event in events {
            guard let i = index[event.run] else { continue }
            programs[i].events.append(event)
            var sim = RunProgram(run: played[i], events: [RunEvent(step: event.step, run: event.run, action: event.action)])
            if case .copy(let label) = event.action {
                sim.play(steps: event.step)
                var copy = sim.run
                copy.label = label
                index[label] = programs.count
                programs.append(RunProgram(run: copy))
                played.append(copy)
                played[i] = sim.run
            } else if case .delete = event.action {
                continue
            } else {
                // Advance to the event and apply it (without stepping past it).
                var one = RunProgram(run: played[i], events: [event])
                one.play(steps: 0)
                played[i] = one.run
            }
        }
        return programs
    }
}

extension Run {
    /// The run as a scenario file gives it, for writing (the one place a `Run` becomes a `RunSpec` again): its
    /// settings as the file specifies them (lr the schedule's base lr), its start where it is not `commonStart`,
    /// its minibatch size and seed only where they are not the objective's, its schedule and noise, and `state`.
    public func spec(commonStart: [Double], objective: ObjectiveSpec, state: RunState? = nil) -> RunSpec {
        RunSpec(label: label, hyperparameters: specifiedHyperparameters,
                start: start == commonStart ? nil : start,
                batchSize: writtenBatchSize(objectiveDefault: objective.batchSize),
                seed: noise.map(\.seed) ?? (batches.map(\.seed) == (objective.seed ?? 0) ? nil : batches?.seed),
                schedule: schedule, noise: noise?.sigma, state: state)
    }

    /// The `batch_size` to write for this run, given the objective's: nil when it is the objective's, and the
    /// sample count when the run is full batch under an objective that batches (so it reads back full batch).
    public func writtenBatchSize(objectiveDefault: Int?) -> Int? {
        if let batches { return batches.batchSize == objectiveDefault ? nil : batches.batchSize }
        guard objectiveDefault != nil, let sampled = objective.sampled else { return nil }
        return objectiveDefault! < sampled.sampleCount ? sampled.sampleCount : nil
    }
}
