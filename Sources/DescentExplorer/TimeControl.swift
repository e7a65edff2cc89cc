import DescentCore

extension ExplorerState {
    /// Goes to step `target`: forward by stepping on (through the lesson's sets and the session's later
    /// changes, the one interpreter), back by replaying the whole session from its start.
    ///
    /// Back in time is a replay through `RunProgram.play`, so the runs after going to step j are bit for bit
    /// those of `descent run` on the session's file, played to j: a 2-D step costs about 0.1 µs, so even 10⁴
    /// steps replay within a frame (`descent bench`). The session's changes after j are kept: going forward
    /// replays them, and a new change made at j drops them. A way forward longer than a frame's work runs on
    /// at full speed, frame by frame, and pauses at the step; a replay longer than half a second is refused.
    mutating func goTo(step requested: Int) {
        let target = max(0, min(requested, Experiment.maximumSteps))
        playing = false
        fastForward = false
        whatIf = nil
        whatIfUndo = nil
        // A run that was reset or moved counts its steps again from 0: only a replay places it (as `descent run` does).
        let segmented = sessionLog.events.contains { if case .reset = $0.action { true } else if case .start = $0.action { true } else { false } }
        if runs.contains(where: { $0.stepCount > target }) || segmented {
            guard rebuildWork(to: target) <= 50 * Self.frameWork else {
                status = "going to step \(target) means replaying the session from its start, over half a second here: go there by running (] or space)"
                return
            }
            guard rebuild(at: target) else { return }
        }
        let behind = runs.filter { $0.stepCount < target && !$0.isDiverged }
        let work = behind.reduce(0) { $0 + (target - $1.stepCount) } * max(1, experiment.objective.costPerEvaluation + experiment.objective.dimension)
        if work > Self.frameWork {
            // Too far for one frame: run there at full speed, a frame's work at a time, keys live.
            pauseAtStep = target
            fastForward = true
            playing = true
            status = "running on to step \(target) (space stops)"
            return
        }
        // Near enough: stepping on; a copy or deletion on the way is made, and stepping goes on.
        for _ in 0...(future.count + 1) {
            guard runs.contains(where: { $0.stepCount < target && !$0.isDiverged }) else { break }
            advanceSteps(target, toStep: target)
        }
        pauseAtStep = nextPause(after: currentStep)
        status = "at step \(currentStep)" + (future.isEmpty ? "" : "; later changes replay as it runs on (a change here drops them)")
    }

    /// About the multiply-adds of replaying the session to `target`.
    func rebuildWork(to target: Int) -> Int {
        let copies = (sessionLog.events + future).filter { if case .copy = $0.action { true } else { false } }.count
        let perStep = experiment.objective.costPerEvaluation + experiment.objective.dimension + Self.recordingCost
        let (work, over) = (experiment.scenario.runs.count + copies).multipliedReportingOverflow(by: target)
        let (total, over2) = work.multipliedReportingOverflow(by: perStep)
        return over || over2 ? .max : total
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

    /// `k`: marks the current step (again: unmarks it). A lesson's stops are its beats.
    mutating func toggleBookmark() {
        guard experiment.scenario.lesson == nil else {
            status = "a lesson's beats are its stops: k bookmarks steps in a scenario without a lesson"
            return
        }
        let step = currentStep
        if let i = bookmarks.firstIndex(of: step) {
            bookmarks.remove(at: i)
            status = "bookmark at step \(step) removed"
        } else {
            bookmarks = (bookmarks + [step]).sorted()
            status = "bookmarked step \(step) (\(bookmarks.count)): ] and [ move between bookmarks, w writes them as beats"
        }
    }

    /// The scenario's own runs with their current labels, and its checks following the renames.
    func runsAsTheyBegan() -> (runs: [RunSpec], expect: [Expectation]) {
        var specs = experiment.scenario.runs
        var renames: [String: String] = [:]
        for index in specs.indices {
            if let label = sessionLog.originalLabel(index), label != specs[index].label {
                renames[specs[index].label] = label
                specs[index].label = label
            }
        }
        return (specs, experiment.scenario.expect.map { $0.renamed(renames) })
    }

    /// The whole session as one file: the runs as they began, every change made (the log's, then the later
    /// ones kept after going back), the lesson, on the objective in memory.
    func sessionTimeline() -> Scenario {
        var scenario = experiment.scenario
        (scenario.runs, scenario.expect) = runsAsTheyBegan()
        scenario.events = sessionLog.events + future
        scenario.steps = max(scenario.steps, scenario.events.map(\.step).max() ?? 0)
        return scenario
    }

    /// Rebuilds every run as it stands at step `target` by replaying the session's timeline from its start.
    ///
    /// Each run plays its timeline up to its first change later than `target`; those changes and everything
    /// after them (with the copies they make) become `future`, and stay scheduled on the runs. Runs keep their
    /// styles, follow boxes and hidden marks by label. Returns false, saying why, when the session cannot
    /// be replayed.
    @discardableResult
    mutating func rebuild(at target: Int) -> Bool {
        let timeline = sessionTimeline()
        // The log to keep and the changes that come later, each run's cut at its first change past `target`.
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
        let full: Experiment
        do {
            full = try Experiment(scenario: timeline, file: experiment.file, reusing: experiment)
        } catch {
            status = "cannot replay the session: \(error.message)"
            return false
        }
        // Each label's timeline, in the interpreter's order, marked where a change is the session's (not the lesson's).
        var fromSession: [String: [Bool]] = [:]
        for (event, origin) in full.scenario.timelineWithOrigins { fromSession[event.run, default: []].append(origin.hasPrefix("events[")) }
        let madeByThen = Set(kept.compactMap { if case .copy(let label) = $0.action { label } else { nil } })
        var programs = full.programs()
        let bound = Self.historyBound(dimension: full.objective.dimension)
        var present: [String: (run: Run, history: Trajectory, scheduled: [RunEvent], session: [Bool])] = [:]
        for i in programs.indices where i < full.runs.count || madeByThen.contains(programs[i].run.label) {
            var next = 0
            var history = Trajectory(startingAt: programs[i].run, bound: bound)
            let stop = RunProgram.play(&programs[i].run, events: programs[i].events, next: &next, to: target) { history.follow($0) }
            guard stop != .deleted else { continue }
            let label = programs[i].run.label
            let marks = fromSession[label] ?? []
            let session = programs[i].events.indices.dropFirst(next).map { $0 < marks.count ? marks[$0] : false }
            present[label] = (programs[i].run, history, Array(programs[i].events[next...]), session)
        }
        var keptScenario = timeline
        keptScenario.events = kept
        let labels = keptScenario.labelsAfterEvents.filter { present[$0] != nil }
        guard !labels.isEmpty else {
            status = "every run is deleted by step \(target)"
            return false
        }
        let old = Dictionary(lanes.indices.map { (runs[$0].label, lanes[$0]) }, uniquingKeysWith: { a, _ in a })
        let selectedLabel = selected.label
        var newRuns: [Run] = [], newLanes: [Lane] = []
        let fallbackStyles = keptScenario.styles(of: labels)
        for (k, label) in labels.enumerated() {
            let entry = present[label]!
            var lane = old[label] ?? Lane(run: entry.run, style: RunStyle(fallbackStyles[k]))
            lane.history = entry.history
            lane.rateMeter = RateMeter()
            lane.scheduled = entry.scheduled
            lane.scheduledFromSession = entry.session
            lane.nextScheduled = 0
            newRuns.append(entry.run)
            newLanes.append(lane)
        }
        var session = full
        session.runs = newRuns
        experiment = session
        lanes = newLanes
        sessionLog = SessionLog(runs: full.runs, events: kept)
        future = later
        selectedRun = newRuns.firstIndex { $0.label == selectedLabel } ?? 0
        stepCredit = 0
        theoryKey = nil
        // The beat's screen is put up again only if this is another beat: a `t` pressed here stays.
        refreshLandscape()
        return true
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

    /// The lesson's sets for run `index` not yet made: those later than where it stands.
    func lessonSchedule(for index: Int) -> [RunEvent] {
        let label = runs[index].label, step = runs[index].stepCount
        return (experiment.scenario.lesson?.events ?? []).filter { $0.run == label && $0.step > step }
    }

    /// Every lane's schedule from the lesson alone: its sets later than where its run stands.
    mutating func scheduleLesson() {
        for i in lanes.indices {
            lanes[i].scheduled = lessonSchedule(for: i)
            lanes[i].scheduledFromSession = Array(repeating: false, count: lanes[i].scheduled.count)
            lanes[i].nextScheduled = 0
        }
    }

    /// The scheduled changes a run met while stepping: the session's move from `future` into the log (they
    /// are past now), a copy or deletion is made, as `descent run` makes it.
    mutating func recordScheduled(run index: Int, from start: Int, to end: Int) {
        for k in start..<end where k < lanes[index].scheduledFromSession.count && lanes[index].scheduledFromSession[k] {
            let event = lanes[index].scheduled[k]
            sessionLog.record(run: index, step: event.step, event.action)
            if let at = future.firstIndex(of: event) { future.remove(at: at) }
        }
    }

    /// Makes a scheduled copy or deletion of run `index` (which stands at its step): the explorer's own
    /// `a` and `d`, logged, with the copy's later changes scheduled on it.
    mutating func makeRunChange(_ event: RunEvent, run index: Int) {
        lanes[index].nextScheduled += 1
        if let at = future.firstIndex(of: event) { future.remove(at: at) }
        switch event.action {
        case .copy(let label):
            var copy = experiment.runs[index]
            copy.label = label
            var lane = lanes[index]
            lane.history.label = label
            lane.hidden = false
            lane.style = event.style.map(RunStyle.init) ?? RunStyle.first(notIn: styles)
            let sessionLater = future.filter { $0.run == label }.map { (event: $0, origin: true) }
            let lessonLater = (experiment.scenario.lesson?.events ?? []).filter { $0.run == label && $0.step > copy.stepCount }.map { (event: $0, origin: false) }
            let merged = Scenario.merging(lessonLater, into: sessionLater, born: [label])
            lane.scheduled = merged.map(\.event)
            lane.scheduledFromSession = merged.map(\.origin)
            lane.nextScheduled = 0
            sessionLog.copy(source: index, step: event.step, insertedAt: index + 1, label: label)
            experiment.runs.insert(copy, at: index + 1)
            lanes.insert(lane, at: index + 1)
            if selectedRun > index { selectedRun += 1 }
        case .delete:
            guard runs.count > 1 else { return }
            sessionLog.delete(index, step: event.step)
            experiment.runs.remove(at: index)
            lanes.remove(at: index)
            if selectedRun >= index { selectedRun = max(0, min(selectedRun - (selectedRun > index ? 1 : 0), runs.count - 1)) }
        default:
            break
        }
    }
}
