import DescentCore
import Foundation

extension ExplorerState {
    /// Applies one message; returns the effects the driver must carry out.
    ///
    /// The only place the explorer changes. Every step goes through `Run.step`, the same as `descent run`.
    @discardableResult
    public mutating func update(_ message: Message) -> [Effect] {
        defer { refreshBeat(); refreshTheory() }
        switch message {
        case .tick:
            guard replaying == nil else { return [] }
            if mode == .map { fillMap() } else if playing { tick() }
        case let .resize(width, height):
            resize(width: width, height: height)
        case let .click(x, y):
            guard mode == .normal, !isTooSmall, replaying == nil else { return [] }
            click(x: x, y: y)
        case .report(let text):
            status = text
        case let .wrote(path, what):
            status = "wrote \(what) to \(path)"
            if path.hasSuffix(".yaml") {
                choices.append(.scenario(path: path, name: experiment.scenario.name + " (edited)",
                                         description: "Written by the explorer in this session."))
            }
        case .loaded(let experiment):
            load(experiment)
            if replaying != nil { return [.replay] }
        case let .described(path, name, description):
            choices = choices.compactMap { choice in
                guard case .file(path) = choice else { return choice }
                return name.map { .scenario(path: path, name: $0, description: description) }
            }
            if case .picker(let index, let typed) = mode { mode = .picker(min(index, max(0, choices.count - 1)), typed: typed) }
        case .replayProgress(let steps):
            guard replaying != nil else { return [] }
            replaying!.done = steps
            status = replaying!.status
        case .replayed(let session):
            guard let replay = replaying, session.id == replay.id else { return [] }
            replaying = nil
            if install(session) {
                status = "replayed the file's \(replay.experiment.scenario.events.count) events to step \(replay.experiment.scenario.steps): space goes on"
                if replay.playWhenDone { playing = true }
            } else {
                status = Self.everyRunDeleted
            }
        case .key(let key):
            // While a session replays, the runs are not yet where it leaves them: only quitting means anything.
            if replaying != nil {
                if key == .character("q") || key == .character("Q") { return [.quit] }
                // Space is remembered: the session runs on from where its events leave it.
                if key == .character(" ") { replaying!.playWhenDone.toggle() }
                status = replaying!.status + (replaying!.playWhenDone ? "; runs on when done" : "")
                return []
            }
            return handle(key)
        }
        return []
    }

    /// One frame while running: `speed / framesPerSecond` steps, the fraction carried to the next frame.
    ///
    /// A heavy objective gets no more than `frameWork` multiply-adds of stepping a frame, so keys, resizes
    /// and signals are never held up by more than a frame: all live runs step alike while that allows
    /// one step each, and below that they take single steps in turn.
    private mutating func tick() {
        stepCredit += speed
        var steps = stepCredit / Self.framesPerSecond
        stepCredit %= Self.framesPerSecond
        // Going to a far step (`g`): as many steps a frame as the frame's work allows.
        if fastForward { steps = max(steps, Self.frameWork / max(1, experiment.objective.costPerEvaluation + experiment.objective.dimension) / max(1, runs.count)) }
        guard steps > 0 else { return finishTick() }
        let live = runs.indices.filter { !runs[$0].isDiverged }
        let affordable = max(1, Self.frameWork / max(1, experiment.objective.costPerEvaluation + experiment.objective.dimension))
        if steps * live.count <= affordable {
            throttledSpeed = nil
            advanceSteps(steps, stoppingAtPause: true)
        } else if affordable >= live.count {
            throttledSpeed = Double(affordable / live.count * Self.framesPerSecond)
            advanceSteps(affordable / live.count, stoppingAtPause: true)
        } else {
            throttledSpeed = Double(affordable * Self.framesPerSecond) / Double(live.count)
            var chosen: [Int] = []
            for offset in 0..<live.count where chosen.count < affordable {
                chosen.append(live[(nextInTurn + offset) % live.count])
            }
            nextInTurn = (nextInTurn + chosen.count) % max(1, live.count)
            advanceSteps(1, stoppingAtPause: true, only: Set(chosen))
        }
        finishTick()
    }

    private mutating func finishTick() {
        if allDiverged {
            playing = false
            fastForward = false
        } else if reachedPause {
            playing = false
            if fastForward {
                fastForward = false
                pauseAtStep = nextPause(after: currentStep)
                status = "at step \(currentStep)"
                return
            }
            if beatName != nil, stops.contains(pauseAtStep!) {
                status = "paused at the beat: ] or space runs on to the next, [ goes back"
            } else {
                status = "paused at step \(pauseAtStep!): space runs on"
            }
        }
    }

    private mutating func handle(_ key: Key) -> [Effect] {
        switch mode {
        case .help(let top):
            return helpKey(key, top: top)
        case .description(let top):
            switch key {
            case .down, .character("j"), .character(" "): mode = .description(min(top + 1, descriptionOverflow))
            case .up, .character("k"): mode = .description(max(0, top - 1))
            default: mode = .normal  // q too: it closes the text, it does not quit
            }
            return []
        case let .editing(text, fresh):
            editKey(key, text: text, fresh: fresh)
            return []
        case .renaming(let text):
            renameKey(key, text: text)
            return []
        case let .picker(index, typed):
            return pickerKey(key, index: index, typed: typed)
        case .map:
            mapKey(key)
            return []
        case .formula(let text):
            formulaKey(key, text: text)
            return []
        case .goTo(let text):
            goToKey(key, text: text)
            return []
        case .answering(let text):
            answerKey(key, text: text)
            return []
        case .normal:
            break
        }
        if isTooSmall, Keymap.action(for: key) != .quit { return [] }
        status = nil
        if key == .escape, whatIf != nil { dropWhatIf(); return [] }
        guard let action = Keymap.action(for: key) else { return [] }
        return perform(action)
    }

    /// Does what a key of the main screen is bound to (`Keymap`).
    private mutating func perform(_ action: Action) -> [Effect] {
        let fields = HyperparameterField.allCases
        // A what-if lasts while its value is being changed (and the runs step on): another key keeps the change.
        // Keys that only change what is shown (or step on) leave it; a key that changes the setup keeps the change.
        let viewOnly: [Action] = [.decrease, .increase, .typeValue, .restartWithValue, .playPause, .step, .faster, .slower, .help,
                                  .zoomIn, .zoomOut, .panLeft, .panRight, .panUp, .panDown, .fitView, .nextXAxis, .nextYAxis, .randomPlane,
                                  .showUpdate, .allUpdates, .eigen, .theory, .hideRun, .logStepAxis, .describe, .rangeTest, .lossGap]
        // The range test is of the selected run as it was set: another run, a change, or another panel ends it.
        if rangeTest != nil, ![.rangeTest, .playPause, .step, .faster, .slower, .help, .describe, .zoomIn, .zoomOut,
                                .panLeft, .panRight, .panUp, .panDown, .fitView, .nextXAxis, .nextYAxis, .randomPlane, .hideRun].contains(action) {
            rangeTest = nil
        }
        if let kept = whatIf, !viewOnly.contains(action) {
            whatIf = nil
            whatIfUndo = nil
            arrowWalk = nil
            status = "\(selectedField.name) \(selectedField.display(kept.candidate)) kept, from where it was tried (esc would have dropped it)"
        }
        switch action {
        case .playPause:
            playing.toggle()
            fastForward = false
            if playing && reachedPause { pauseAtStep = nextPause(after: currentStep) }
        case .step:
            playing = false
            advanceSteps(1)
        case .resetAll: resetAll()
        case .nextRun: selectedRun = (selectedRun + 1) % runs.count; refreshLandscape()
        case .previousRun: selectedRun = (selectedRun + runs.count - 1) % runs.count; refreshLandscape()
        case .previousField: selectedField = fields[(fieldIndex + fields.count - 1) % fields.count]
        case .nextField: selectedField = fields[(fieldIndex + 1) % fields.count]
        case .decrease: arrow(-1)
        case .increase: arrow(1)
        case .typeValue:
            if whatIf != nil { keepWhatIf() } else { mode = .editing(selectedField.display(selected.hyperparameters), fresh: true) }
        case .addRun: addRun()
        case .deleteRun: deleteRun()
        case .rename:
            // A lesson names its runs in its captions, sets and shows: they keep their labels.
            if experiment.scenario.lesson != nil { status = "in a lesson the runs keep their labels (its captions and sets name them)" } else { mode = .renaming("") }
        case .open:
            mode = .picker(0, typed: typedPath ?? "")
            // Files are listed unread at start; the picker asks for what they are the first time it opens.
            let unread = choices.compactMap { if case .file(let path) = $0 { path } else { nil } }
            if !unread.isEmpty { return [.describe(paths: unread)] }
        case .zoomIn: zoom(by: 0.8)
        case .zoomOut: zoom(by: 1.25)
        case .panLeft: pan(dx: -0.1, dy: 0)
        case .panRight: pan(dx: 0.1, dy: 0)
        case .panUp: pan(dx: 0, dy: 0.1)
        case .panDown: pan(dx: 0, dy: -0.1)
        case .fitView:
            viewIsUsers = false
            fitView()
            refreshLandscape()
        case .nextXAxis: cycleAxis(horizontal: true)
        case .nextYAxis: cycleAxis(horizontal: false)
        case .randomPlane: randomPlane()
        case .faster: speedIndex = min(Self.speeds.count - 1, speedIndex + 1); stepCredit = 0; throttledSpeed = nil
        case .slower: speedIndex = max(0, speedIndex - 1); stepCredit = 0; throttledSpeed = nil
        case .showUpdate:
            showsUpdate.toggle()  // the status line then says what the arrows show, as they change
        case .describe: mode = .description(0)
        case .theory:
            showsTheory.toggle()
            theoryKey = nil
            status = showsTheory ? "theory: the selected run's curvatures, rates and stable lr (P: Polyak's setting, m: the map)" : "theory hidden"
        case .polyak: applyPolyak()
        case .map: openMap()
        case .formula: openFormulaEditor()
        case .logStepAxis:
            logStepAxis.toggle()
            status = logStepAxis ? "step axis: log scale (l: linear)" : "step axis: linear (l: log scale)"
        case .writeScenario:
            return [.writeNewFile(stem: fileStem, fileExtension: "yaml", contents: scenarioText(), what: "scenario")]
        case .exportCSV:
            return [.writeNewFile(stem: fileStem, fileExtension: "csv", contents: trajectoryCSV(), what: "trajectories")]
        case .help: mode = .help(0)
        case .quit: return [.quit]
        case .moveStart: break  // a click, which carries its cell: `click(x:y:)`
        case .goToStep: mode = .goTo("")
        case .stepBack:
            guard currentStep > 0 else { status = "at step 0: nothing before it"; break }
            goTo(step: currentStep - 1)
        case .bookmark: toggleBookmark()
        case .nextBeat: nextStop()
        case .previousBeat: previousStop()
        case .hideRun:
            lanes[selectedRun].hidden.toggle()
            status = lanes[selectedRun].hidden ? "'\(selected.label)' hidden (it still steps): h shows it" : "'\(selected.label)' shown"
        case .allUpdates:
            showsAllUpdates.toggle()
            arrowRuns = []
            status = showsAllUpdates ? "update arrows of every visible run: momentum term, then gradient term" : "update arrows hidden"
        case .eigen:
            showsEigen.toggle()
            status = showsEigen ? "error along each eigendirection, beside the theory's ρ^k (E: the loss chart again)" : nil
        case .answer: startAnswer()
        case .rangeTest: toggleRangeTest()
        case .lossGap:
            if !showsLossGap && experiment.objective.knownMinima.isEmpty {
                status = "no known minimum here: f - f* needs one"
            } else {
                showsLossGap.toggle()
                status = showsLossGap ? "loss chart: f - f* = f - \(NumberFormat.short(lossOffset)) (G: the loss)" : "loss chart: the loss"
            }
        case .restartWithValue: restartWithWhatIf()
        }
        return []
    }

    private mutating func helpKey(_ key: Key, top: Int) -> [Effect] {
        switch key {
        case .down, .character("j"): mode = .help(min(top + 1, max(0, helpOverflow)))
        case .up, .character("k"): mode = .help(max(0, top - 1))
        default: mode = .normal  // q too: it closes the help, it does not quit
        }
        return []
    }

    /// One arrow notch on the selected field, as part of a walk from where the arrows started.
    private mutating func arrow(_ direction: Int) {
        var walk = arrowWalk
        if walk == nil || walk!.run != selectedRun || walk!.field != selectedField || walk!.reached != selected.hyperparameters {
            walk = ArrowWalk(run: selectedRun, field: selectedField, origin: selected.hyperparameters, notches: 0,
                             reached: selected.hyperparameters)
        }
        walk!.notches += direction
        beginWhatIf()
        var value = walk!.origin
        for _ in 0..<abs(walk!.notches) { value = selectedField.adjusted(value, direction: walk!.notches > 0 ? 1 : -1) }
        if value == selected.hyperparameters {
            // At the end of the range: the press changes nothing, so it is not counted either.
            walk!.notches -= direction
            status = "\(selectedField.name) stays \(selectedField.display(value)): the arrows go no \(direction > 0 ? "higher" : "lower")"
        } else if !apply(value) {
            // Refused by the optimizer (its message is in the status line): the press is not counted.
            walk!.notches -= direction
        }
        walk!.reached = selected.hyperparameters
        arrowWalk = walk
        if selected.hyperparameters != walk!.origin {
            showWhatIf(selected.hyperparameters, origin: walk!.origin)
        } else {
            whatIf = nil
            whatIfUndo = nil
        }
    }

    private var fieldIndex: Int { HyperparameterField.allCases.firstIndex(of: selectedField)! }

    // MARK: Runs

    /// Takes `count` steps of every run that has not diverged, recording them in the histories; each run
    /// meets its scheduled changes (the lesson's sets, the session's later events) on the way, through the
    /// one interpreter (`RunProgram.play`).
    ///
    /// - Parameter stoppingAtPause: no run steps past `pauseAtStep`.
    /// - Parameter toStep: no run steps past this step.
    /// - Parameter only: the runs to step; all of them when nil.
    public mutating func advanceSteps(_ count: Int, stoppingAtPause: Bool = false, toStep: Int? = nil, only: Set<Int>? = nil) {
        // Where the live paths went on the shown plane, each within its follow box: the view follows that.
        var reach: Viewport?
        let plane = plane
        // One empty stand-in shared by every run while its history is appended to (its storage unique).
        let placeholder = Trajectory(startingAt: experiment.runs[0], bound: 16)
        var runChanges: [(index: Int, event: RunEvent)] = []
        for index in experiment.runs.indices where only?.contains(index) ?? true {
            // A hidden run steps unseen: the view does not follow it.
            let follow = viewIsUsers || lanes[index].hidden ? nil : (lanes[index].followBox ?? flightBox)
            var steps = count
            if stoppingAtPause, let pauseAtStep {
                steps = min(steps, max(0, pauseAtStep - experiment.runs[index].stepCount))
            }
            if let toStep { steps = min(steps, max(0, toStep - experiment.runs[index].stepCount)) }
            guard steps > 0 else { continue }
            // Swapped out rather than copied, so recording never duplicates the history's storage.
            var history = lanes[index].history
            lanes[index].history = placeholder
            let scheduled = lanes[index].scheduled
            let first = lanes[index].nextScheduled
            var next = first
            let stop = RunProgram.play(&experiment.runs[index], events: scheduled, next: &next,
                                       to: experiment.runs[index].stepCount + steps, stoppingAtRunChanges: true) { run in
                // A reset or a new start among the scheduled changes begins a new path.
                history.follow(run)
                guard let follow else { return }
                let (x, y) = plane.coordinates(run.parameters)
                guard x >= follow.xMin, x <= follow.xMax, y >= follow.yMin, y <= follow.yMax else { return }
                let point = Viewport(xMin: x, xMax: x, yMin: y, yMax: y)
                reach = reach?.union(point) ?? point
            }
            lanes[index].history = history
            lanes[index].nextScheduled = next
            recordScheduled(run: index, from: first, to: next)
            if case .runChange(let event) = stop { runChanges.append((index, event)) }
        }
        // A scheduled copy or deletion is made as the run reaches it (last index first, so the others stay put).
        for change in runChanges.reversed() { makeRunChange(change.event, run: change.index) }
        // A slice through a moving θ is re-sampled while running at most every 10 frames (3 a second):
        // sampling a regression's loss at every cell can take longer than a frame.
        ticksSinceSlice += 1
        if experiment.objective.dimension > 2, !playing || ticksSinceSlice >= 10 {
            ticksSinceSlice = 0
            refreshLandscape(sliceTolerance: 0.01)
        }
        if let reach { grow(toHold: reach) }
        recordRates()
    }

    mutating func resetAll() {
        if experiment.scenario.lesson != nil {
            // In a lesson, back to its first beat: the lesson's sets replay as it goes again.
            goTo(step: 0)
            status = "back to the lesson's start"
            return
        }
        dropFuture()
        for index in experiment.runs.indices {
            sessionLog.record(run: index, step: experiment.runs[index].stepCount, .reset)
            experiment.runs[index].reset()
            lanes[index].history = Trajectory(startingAt: experiment.runs[index], bound: Self.historyBound(dimension: experiment.objective.dimension))
        }
        pauseAtStep = experiment.scenario.steps
        stepCredit = 0
        refreshLandscape()
    }

    /// Gives the selected run new hyperparameters, or says why the optimizer refused them.
    /// - Returns: whether the run took them.
    @discardableResult
    mutating func apply(_ new: SGDHyperparameters) -> Bool {
        do {
            let before = selected.optimizer.baseLR, old = selected.hyperparameters
            try experiment.runs[selectedRun].setHyperparameters(new)
            let patch = HyperparameterPatch(from: old, to: new)
            if !patch.isEmpty {
                dropFuture()
                sessionLog.record(run: selectedRun, step: selected.stepCount, .set(patch))
            }
            if let schedule = selected.schedule, selected.optimizer.baseLR != before {
                status = "lr by hand: the \(schedule.name) schedule goes on from it, base lr now \(NumberFormat.short(selected.optimizer.baseLR)) (lr and base_lrs scaled together)"
            }
            return true
        } catch {
            status = error.message
            return false
        }
    }

    /// `base (2)`, `base (3)`, …: the first label no run has, from the label without any `(n)` suffix.
    static func copyLabel(of label: String, avoiding labels: Set<String>) -> String {
        var base = label
        if let open = label.lastIndex(of: "("), label.hasSuffix(")"),
           Int(label[label.index(after: open)..<label.index(before: label.endIndex)]) != nil {
            base = String(label[..<open]).trimmingCharacters(in: .whitespaces)
        }
        var n = 2
        while labels.contains("\(base) (\(n))") { n += 1 }
        return "\(base) (\(n))"
    }

    private mutating func addRun() {
        var copy = selected
        copy.label = Self.copyLabel(of: selected.label, avoiding: Set(runs.map(\.label)).union(sessionLog.allLabels))
        // The copy's lane: the source's path and rate so far, the lowest style no run has.
        var lane = lanes[selectedRun]
        lane.history.label = copy.label
        lane.style = RunStyle.first(notIn: styles)
        dropFuture()
        lane.scheduled = []
        lane.nextScheduled = 0
        sessionLog.copy(source: selectedRun, step: selected.stepCount, insertedAt: selectedRun + 1, label: copy.label)
        experiment.runs.insert(copy, at: selectedRun + 1)
        lanes.insert(lane, at: selectedRun + 1)
        selectedRun += 1
        status = runs.count > RunStyle.distinct
            ? "added run '\(copy.label)'; past \(RunStyle.distinct) runs, colours and glyphs repeat"
            : "added run '\(copy.label)': a copy of the selected run, from where it is; R renames it"
    }

    private mutating func deleteRun() {
        guard runs.count > 1 else { status = "the last run cannot be deleted"; return }
        let label = selected.label
        dropFuture()
        sessionLog.delete(selectedRun, step: selected.stepCount)
        experiment.runs.remove(at: selectedRun)
        lanes.remove(at: selectedRun)
        selectedRun = min(selectedRun, runs.count - 1)
        refreshLandscape()
        status = "deleted run '\(label)'"
    }

    // MARK: Typing

    private mutating func editKey(_ key: Key, text: String, fresh: Bool) {
        switch key {
        case .escape:
            mode = .normal
            whatIf = nil
        case .enter:
            mode = .normal
            whatIf = nil
            if let new = selectedField.parsed(text, into: selected.hyperparameters) {
                apply(new)
            } else {
                status = "'\(text)' is not a value for \(selectedField.name): \(selectedField.valueHint)"
            }
        case .backspace:
            mode = .editing(fresh ? "" : String(text.dropLast()), fresh: false)
            typedWhatIf()
        case .character(let c) where !c.isNewline && (fresh || text.count < 24):
            mode = .editing(fresh ? String(c) : text + String(c), fresh: false)
            typedWhatIf()
        default:
            break
        }
    }

    /// While a value is typed, the ghost of the run with it (when it reads as one the optimizer takes).
    private mutating func typedWhatIf() {
        guard case .editing(let text, _) = mode, let new = selectedField.parsed(text, into: selected.hyperparameters),
              new != selected.hyperparameters else { whatIf = nil; return }
        showWhatIf(new, origin: selected.hyperparameters)
    }

    private mutating func renameKey(_ key: Key, text: String) {
        switch key {
        case .escape:
            mode = .normal
        case .enter:
            mode = .normal
            // A byte-order mark at either end is invisible, and YAML readers drop a leading one: `w` could not
            // write such a label back. Trimmed with the spaces.
            let label = text.trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "\u{FEFF}")))
            // A scenario refuses labels that look alike (`Experiment.lookalikeKey`): `w` must write one that reads.
            let key = Experiment.lookalikeKey(label)
            if key.isEmpty {
                status = "the label stays '\(selected.label)'"
            } else if let other = runs.enumerated().first(where: { $0.offset != selectedRun && Experiment.lookalikeKey($0.element.label) == key }) {
                status = other.element.label == label ? "another run is already called '\(label)'" : "'\(label)' looks the same as run '\(other.element.label)': pick another"
            } else if Experiment.lookalikeKey(selected.label) != key, sessionLog.allLabels.contains(where: { Experiment.lookalikeKey($0) == key }) {
                status = "a deleted run of this session was called '\(label)': pick another, so the session's events stay clear"
            } else {
                let old = selected.label
                experiment.runs[selectedRun].label = label
                lanes[selectedRun].history.label = label
                sessionLog.renamed(selectedRun, to: label)
                status = "renamed '\(old)' to '\(label)'"
            }
        case .backspace:
            mode = .renaming(String(text.dropLast()))
        case .character(let c) where text.count < 40 && !c.isNewline:
            mode = .renaming(text + String(c))
        default:
            break
        }
    }

    // MARK: Picker

    private mutating func pickerKey(_ key: Key, index: Int, typed: String) -> [Effect] {
        let count = max(1, choices.count)
        switch key {
        case .up: mode = .picker((index + count - 1) % count, typed: typed)
        case .down, .tab: mode = .picker((index + 1) % count, typed: typed)
        case .escape: mode = .normal
        case .backspace: mode = .picker(index, typed: String(typed.dropLast()))
        case .character(let c) where !c.isNewline:
            mode = .picker(index, typed: typed + String(c))
        case .enter:
            mode = .normal
            if !typed.trimmingCharacters(in: .whitespaces).isEmpty {
                typedPath = typed
                return [.open(path: typed.trimmingCharacters(in: .whitespaces))]
            }
            guard choices.indices.contains(index) else { return [] }
            switch choices[index] {
            case .scenario(let path, _, _), .file(let path): return [.open(path: path)]
            case .objective(let kind): switchObjective(kind)
            }
        default: break
        }
        return []
    }

    /// Replaces the scenario, keeping the speed and the play state.
    mutating func load(_ new: Experiment) {
        experiment = new
        typedPath = nil
        lanes = Lane.lanes(of: new)
        sessionLog = SessionLog(runs: new.runs)
        theoryKey = nil
        selectedRun = 0
        plane = .parameters(dimension: new.objective.dimension)
        viewport = new.objective.viewport
        viewIsUsers = false
        pauseAtStep = new.scenario.steps
        stepCredit = 0
        landscapeGeneration += 1
        fitView()
        refreshLandscape()
        let session = openSession(new)
        status = "opened \(new.file ?? new.scenario.name)" + (session.map { ": " + $0 } ?? "")
    }

    /// A scenario with events, just opened, played as its events say: at once when that takes about a frame,
    /// else by the driver in the background (`replaying`, answered by `Effect.replay`).
    ///
    /// - Returns: what the status line says of it; nil for a scenario without events.
    mutating func openSession(_ opened: Experiment) -> String? {
        replaying = nil
        future = []
        bookmarks = []
        answers = [:]
        shownBeat = nil
        whatIf = nil
        lessonTheory = opened.scenario.lesson == nil ? nil : opened.lessonTheory
        if let lesson = opened.scenario.lesson {
            // A lesson opens at its start, at beat 1: the file's events (a saved session) replay as it runs on.
            future = opened.scenario.events
            rebuild(at: 0)
            pauseAtStep = nextPause(after: 0)
            return "a lesson in \(lesson.beats.count) beats: ] runs on to the next, [ goes back, g goes to a step, A answers a question"
        }
        guard !opened.scenario.events.isEmpty else { return nil }
        guard Self.replayWork(opened) <= Self.replayAtOnce else {
            replayCount &+= 1
            replaying = Replay(experiment: opened, total: Self.replaySteps(opened), id: replayCount)
            return replaying!.status
        }
        guard let session = Self.replayed(opened), install(session) else { return Self.everyRunDeleted }
        return "replayed the file's \(opened.scenario.events.count) events to step \(opened.scenario.steps): space goes on"
    }

    /// Shows a replayed session: its runs where the events leave them, their paths, and its log for `w`.
    /// - Returns: false, showing nothing new, when the events delete every run: the runs stay at their start.
    @discardableResult
    mutating func install(_ session: ReplayedSession) -> Bool {
        guard !session.experiment.runs.isEmpty else { return false }
        experiment = session.experiment
        lanes = Lane.lanes(of: session.experiment, histories: session.histories)
        sessionLog = session.log
        selectedRun = 0
        theoryKey = nil
        fitView()
        refreshLandscape()
        return true
    }

    /// Replays a pending session here and now (for `snapshot` and tests, which have no frames to keep).
    public mutating func finishReplay() {
        guard let replay = replaying, var session = Self.replayed(replay.experiment) else { return }
        session.id = replay.id
        update(.replayed(session))
    }

    /// Opens an analytic objective with its defaults, giving the runs its suggested lr and momentum.
    ///
    /// The runs keep their labels, `nesterov` and `update`; dampening, weight_decay and maximize go back to
    /// torch's defaults, so every run converges visibly.
    private mutating func switchObjective(_ kind: String) {
        guard let descriptor = ObjectiveRegistry.kind(named: kind), let defaults = descriptor.example else { return }
        var scenario = experiment.scenario
        scenario.name = "\(kind) explorer"
        scenario.description = descriptor.summary
        scenario.objective = defaults.spec
        scenario.start = defaults.start
        scenario.steps = defaults.steps
        scenario.expect = []
        scenario.lesson = nil
        var labels = Set<String>()
        scenario.runs = runs.map { run in
            var h = run.hyperparameters
            h.lr = h.update == .sign ? defaults.signLR : defaults.lr
            h.momentum = defaults.momentum
            h.dampening = 0
            h.weightDecay = 0
            h.maximize = false
            // The old labels may name settings the runs no longer have ("plain"): name them by what they are.
            var label = [h.nesterov ? "nesterov" : "momentum", h.update == .sign ? "sign" : nil].compactMap { $0 }.joined(separator: " ")
            if labels.contains(label) { label = Self.copyLabel(of: label, avoiding: labels) }
            labels.insert(label)
            return RunSpec(label: label, hyperparameters: h)
        }
        do {
            load(try Experiment(scenario: scenario))
            status = "\(kind): every run now has its suggested lr \(NumberFormat.short(defaults.lr)) and momentum \(NumberFormat.short(defaults.momentum)), and is named by its settings"
        } catch {
            status = error.description
        }
    }

    // MARK: View

    /// Moves every run's start to the clicked point of the landscape and resets.
    private mutating func click(x: Int, y: Int) {
        let area = layout.plot
        guard area.contains(x, y), area.width > 0, area.height > 0 else { return }
        let px = viewport.xMin + (Double(x - area.x) + 0.5) / Double(area.width) * (viewport.xMax - viewport.xMin)
        let py = viewport.yMax - (Double(y - area.y) + 0.5) / Double(area.height) * (viewport.yMax - viewport.yMin)
        guard px.isFinite, py.isFinite else { return }
        dropFuture()
        // The lesson's sets not yet made stay scheduled (a new start, as `descent run` plays it, does not remake the past ones).
        scheduleLesson()
        for index in experiment.runs.indices {
            let start = plane.point(px, py, slice: experiment.runs[index].start)
            sessionLog.record(run: index, step: experiment.runs[index].stepCount, .start(start))
            experiment.runs[index].moveStart(to: start)
            lanes[index].history = Trajectory(startingAt: experiment.runs[index], bound: Self.historyBound(dimension: experiment.objective.dimension))
        }
        pauseAtStep = nextPause(after: currentStep)
        // The view stays where the user clicked; what counts as running away is measured from the new start.
        let view = viewport
        fitView()
        viewport = view
        fittedBox = view
        status = "start moved to (\(NumberFormat.short(px)), \(NumberFormat.short(py)))"
        refreshLandscape()
    }

    /// A file name stem from the scenario name: `descent-heavy-ball-vs-nesterov-in-a-ravine`.
    var fileStem: String {
        let slug = experiment.scenario.name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? String($0) : "-" }.joined()
            .split(separator: "-").joined(separator: "-")
        var stem = String(slug.prefix(40))
        while stem.hasSuffix("-") { stem.removeLast() }
        return "descent-" + stem
    }
}
