import DescentCore

extension ExplorerState {
    /// Goes to step `target`: forward by stepping on (through the lesson's sets and the session's later
    /// changes), back by replaying the session from its start.
    ///
    /// Back in time is a replay through the one interpreter (`RunProgram.play`), so the runs after going to
    /// step j are bit for bit those of a fresh run to j with the same changes: a 2-D step costs about 0.1 µs,
    /// so even 10⁴ steps replay within a frame (`descent bench` measures it). The session's changes after j
    /// are kept: going forward replays them, and a new change made at j drops them.
    mutating func goTo(step requested: Int) {
        let target = max(0, min(requested, Experiment.maximumSteps))
        playing = false
        whatIf = nil
        let runsAhead = runs.contains { $0.stepCount > target }
        if runsAhead || runs.contains(where: { $0.isDiverged && $0.stepCount < target }) || target == 0 {
            rebuild(at: target)
        }
        // Forward: stepping on; a later copy or deletion on the way rebuilds there, and stepping goes on.
        for _ in 0...(future.count + 1) {
            guard runs.contains(where: { $0.stepCount < target && !$0.isDiverged }) else { break }
            advanceSteps(target, toStep: target)
        }
        pauseAtStep = nextPause(after: currentStep)
        status = "at step \(currentStep)" + (future.isEmpty ? "" : "; later changes replay as it runs on (a change here drops them)")
    }

    /// Where running pauses next after `step`: the next beat or bookmark, else the scenario's `steps`.
    func nextPause(after step: Int) -> Int? {
        if let stop = stops.first(where: { $0 > step }) { return stop }
        return experiment.scenario.steps > step ? experiment.scenario.steps : nil
    }

    /// The steps `]` and `[` move between: the lesson's beats, or the bookmarks.
    var stops: [Int] {
        if let lesson = experiment.scenario.lesson { return Array(Set(lesson.beats.map(\.at))).sorted() }
        return bookmarks
    }

    /// `]`: runs on to the next beat (or bookmark) at the chosen pace and pauses there.
    mutating func nextStop() {
        guard let stop = stops.first(where: { $0 > currentStep }) else {
            status = experiment.scenario.lesson != nil ? "this is the last beat" : (bookmarks.isEmpty ? "no bookmarks: k marks this step" : "no bookmark after this step")
            return
        }
        pauseAtStep = stop
        playing = true
    }

    /// `[`: back to the beat (or bookmark) before this one.
    mutating func previousStop() {
        let step = currentStep
        guard let stop = stops.last(where: { $0 < step }) ?? (step > 0 && experiment.scenario.lesson != nil ? 0 : nil) else {
            status = experiment.scenario.lesson != nil ? "this is the first beat" : (bookmarks.isEmpty ? "no bookmarks: k marks this step" : "no bookmark before this step")
            return
        }
        goTo(step: stop)
    }

    /// `k`: marks the current step (again: unmarks it).
    mutating func toggleBookmark() {
        let step = currentStep
        if let i = bookmarks.firstIndex(of: step) {
            bookmarks.remove(at: i)
            status = "bookmark at step \(step) removed"
        } else {
            bookmarks = (bookmarks + [step]).sorted()
            status = "bookmarked step \(step) (\(bookmarks.count)): ] and [ move between bookmarks, w writes them as beats"
        }
    }

    /// The whole session as one timeline: the runs as they began, every change made (before and after where
    /// the runs stand), on the objective in memory.
    func sessionTimeline() -> Scenario {
        var scenario = experiment.scenario
        if let (specs, events) = foldedSession() {
            scenario.runs = specs
            scenario.events = events + future
        } else {
            scenario.events = future
        }
        scenario.steps = max(scenario.steps, scenario.events.map(\.step).max() ?? 0)
        return scenario
    }

    /// Rebuilds every run as it stands at step `target` by replaying the session's timeline from its start.
    ///
    /// Each run keeps its changes up to its first one later than `target`; those and everything after them
    /// (with the copies they make) become `future`. Runs keep their styles and follow boxes by label.
    mutating func rebuild(at target: Int) {
        let timeline = sessionTimeline()
        var kept: [RunEvent] = [], later: [RunEvent] = []
        var cut = Set<String>()
        for event in timeline.events {
            if cut.contains(event.run) || event.step > target {
                cut.insert(event.run)
                if case .copy(let label) = event.action { cut.insert(label) }
                later.append(event)
            } else {
                kept.append(event)
            }
        }
        var scenario = timeline
        scenario.events = kept
        scenario.steps = max(timeline.steps, target)
        let rebuilt: Experiment
        do {
            rebuilt = try Experiment(scenario: scenario, file: experiment.file, reusing: experiment)
        } catch {
            status = "cannot go to step \(target): \(error.message)"
            return
        }
        var programs = rebuilt.programs()
        let bound = Self.historyBound(dimension: rebuilt.objective.dimension)
        var present: [String: (run: Run, history: Trajectory, scheduled: [RunEvent])] = [:]
        // A copy made later than `target` is not there yet (it comes back when the runs get there again).
        for i in programs.indices where i < rebuilt.runs.count || programs[i].run.stepCount <= target {
            var next = 0
            var history = Trajectory(startingAt: programs[i].run, bound: bound)
            var last = programs[i].run.stepCount
            let stop = RunProgram.play(&programs[i].run, events: programs[i].events, next: &next, to: target) { run in
                if run.stepCount <= last { history = Trajectory(startingAt: run, bound: bound) } else { history.record(run) }
                last = run.stepCount
            }
            guard stop != .deleted else { continue }
            let label = programs[i].run.label
            // Still to come: the timeline's events not yet played (the lesson's later sets), then the session's.
            let lessonLater = Array(programs[i].events[next...]).map { (event: $0, origin: 0) }
            let sessionLater = later.filter { $0.run == label }.map { (event: $0, origin: 1) }
            let scheduled = Scenario.merging(lessonLater, into: sessionLater, born: [label]).map(\.event)
            present[label] = (programs[i].run, history, scheduled)
        }
        let labels = scenario.labelsAfterEvents.filter { present[$0] != nil }
        guard !labels.isEmpty else {
            status = "every run is deleted by step \(target)"
            return
        }
        let old = Dictionary(lanes.indices.map { (runs[$0].label, lanes[$0]) }, uniquingKeysWith: { a, _ in a })
        let selectedLabel = selected.label
        var newRuns: [Run] = [], newLanes: [Lane] = []
        let fallbackStyles = rebuilt.scenario.styles(of: labels)
        for (k, label) in labels.enumerated() {
            let entry = present[label]!
            var lane = old[label] ?? Lane(run: entry.run, style: RunStyle(fallbackStyles[k]))
            lane.history = entry.history
            lane.rateMeter = RateMeter()
            lane.scheduled = entry.scheduled
            lane.nextScheduled = 0
            newRuns.append(entry.run)
            newLanes.append(lane)
        }
        var session = rebuilt
        session.runs = newRuns
        experiment = session
        lanes = newLanes
        sessionLog = SessionLog(runs: rebuilt.runs, events: kept)
        future = later
        selectedRun = newRuns.firstIndex { $0.label == selectedLabel } ?? 0
        stepCredit = 0
        theoryKey = nil
        // The beat's screen is put up again only if this is another beat: a `t` pressed here stays.
        refreshLandscape()
    }

    /// A change is being made where the runs stand: the session's later changes (kept after going back) no
    /// longer follow from here, and are dropped. The lesson's sets stay scheduled.
    mutating func dropFuture() {
        guard !future.isEmpty else { return }
        let dropped = future.count
        future = []
        scheduleLesson()
        status = "\(dropped) later change\(dropped == 1 ? "" : "s") dropped: the session goes on from here"
    }

    /// Every lane's schedule from the lesson: its sets later than where its run stands.
    mutating func scheduleLesson() {
        let lessonEvents = experiment.scenario.lesson?.events ?? []
        for i in lanes.indices {
            let label = runs[i].label, step = runs[i].stepCount
            lanes[i].scheduled = lessonEvents.filter { $0.run == label && $0.step > step }
            lanes[i].nextScheduled = 0
        }
    }
}
