import DescentCore

extension ExplorerState {
    /// The lesson's beat the runs are in (the last one begun), nil without a lesson.
    public var beatIndex: Int? {
        experiment.scenario.lesson.map { $0.beatIndex(at: currentStep) }
    }

    /// `beat 2/7`, for the status line.
    var beatName: String? {
        guard let lesson = experiment.scenario.lesson, let index = beatIndex else { return nil }
        return "beat \(index + 1)/\(lesson.beats.count)"
    }

    /// The current beat's caption, filled in with the runs as they stand (or what stops it being filled).
    public var caption: String? {
        guard let lesson = experiment.scenario.lesson, let index = beatIndex else { return nil }
        let beat = lesson.beats[index]
        var text: String
        do { text = try Caption.fill(beat.say, step: currentStep, runs: runs, theory: lessonTheory) } catch {
            text = "(\(error.message))"
        }
        if currentStep < beat.at { text = "(the lesson begins at step \(beat.at): ] goes there) " + text }
        if let ask = beat.ask {
            let mark = answers[index].map { $0 ? " (answered: right)" : " (answered; the answer: \(ask.answerText))" } ?? " (A: answer)"
            var question = (try? Caption.fill(ask.text, step: currentStep, runs: runs, theory: lessonTheory)) ?? ask.text
            if case .choice(let choices, _) = ask.answer {
                question += " " + choices.enumerated().map { "\($0.offset + 1)) \($0.element)" }.joined(separator: "  ")
            }
            text += "\n" + "Q: " + question + mark
        }
        return text
    }

    /// Puts up the current beat's screen when the runs arrive at a beat (or go back to one): the `show`s of
    /// every beat up to it, in order. Called after every message.
    mutating func refreshBeat() {
        guard let lesson = experiment.scenario.lesson, let index = beatIndex, index != shownBeat else { return }
        shownBeat = index
        let screen = lesson.screen(at: index)
        if let theory = screen.theory, theory != showsTheory { showsTheory = theory; theoryKey = nil }
        switch screen.arrows {
        case .all?: showsAllUpdates = true; arrowRuns = []
        case .none?: showsAllUpdates = false; arrowRuns = []; showsUpdate = false
        case .runs(let labels)?: showsAllUpdates = false; arrowRuns = Set(labels)
        case nil: break
        }
        if let eigen = screen.eigen { showsEigen = eigen }
        let hiddenBefore = lanes.map(\.hidden)
        for i in lanes.indices { lanes[i].hidden = screen.hidden.contains(runs[i].label) }
        // What is shown changed: the view fits what is shown now (unless the user placed it).
        if lanes.map(\.hidden) != hiddenBefore, !viewIsUsers, screen.view == nil {
            fitView()
            refreshLandscape()
        }
        switch screen.view {
        case .fit?:
            viewIsUsers = false
            fitView()
            refreshLandscape()
        case let .zoom(center, width)?:
            let height = width * viewport.height / max(viewport.width, .leastNonzeroMagnitude)
            viewport = Viewport(xMin: center[0] - width / 2, xMax: center[0] + width / 2,
                                yMin: center[1] - height / 2, yMax: center[1] + height / 2)
            viewIsUsers = true
            refreshLandscape()
        case nil: break
        }
        if screen.map == true, mode == .normal { openMap() }
        if screen.map == false, mode == .map { mode = .normal }
        if lesson.beats[index].ask != nil, answers[index] == nil, status == nil, whatIf == nil {
            status = "a question: A answers it (the lesson goes on either way)"
        }
    }

    /// Goes to beat `index`'s step and puts up its screen (for handouts, which have no keys).
    public mutating func goToBeat(_ index: Int) {
        guard let beats = experiment.scenario.lesson?.beats, beats.indices.contains(index) else { return }
        goTo(step: beats[index].at)
        status = nil
        shownBeat = nil
        refreshBeat()
        refreshTheory()
        // A handout has no frames: a map the beat shows is filled in now.
        for _ in 0..<100_000 where mode == .map && !(mapView?.isComplete ?? true) { fillMap() }
    }

    /// `A`: answer the current beat's question.
    mutating func startAnswer() {
        guard let index = beatIndex, experiment.scenario.lesson?.beats[index].ask != nil else {
            status = "no question at this beat"
            return
        }
        mode = .answering("")
    }

    mutating func answerKey(_ key: Key, text: String) {
        switch key {
        case .escape: mode = .normal
        case .backspace: mode = .answering(String(text.dropLast()))
        case .enter:
            mode = .normal
            guard let index = beatIndex, let ask = experiment.scenario.lesson?.beats[index].ask else { return }
            if case .number = ask.answer, Double(text.trimmingCharacters(in: .whitespaces)) == nil {
                status = "'\(text)' is not a number: A answers again"
                return
            }
            let right = ask.accepts(text)
            answers[index] = right
            status = right ? "right: \(ask.answerText)" : "not quite: the answer is \(ask.answerText) (] goes on)"
        case .character(let c) where text.count < 60: mode = .answering(text + String(c))
        default: break
        }
    }

    /// `g`: typing the step to go to.
    mutating func goToKey(_ key: Key, text: String) {
        switch key {
        case .escape: mode = .normal
        case .backspace: mode = .goTo(String(text.dropLast()))
        case .enter:
            mode = .normal
            guard let step = Int(text), step >= 0 else { status = text.isEmpty ? nil : "'\(text)' is not a step: a whole number ≥ 0"; return }
            goTo(step: step)
        case .character(let c) where c.isNumber && text.count < 9: mode = .goTo(text + String(c))
        default: break
        }
    }

    /// The scenario with the bookmarks written as beats with empty captions, for a teacher to fill in.
    func withBookmarkBeats(_ scenario: Scenario) -> Scenario {
        guard scenario.lesson == nil, !bookmarks.isEmpty else { return scenario }
        var scenario = scenario
        let steps = bookmarks.filter { $0 <= scenario.steps }
        guard !steps.isEmpty else { return scenario }
        scenario.lesson = Lesson(beats: (steps.first == 0 ? [] : [Beat(at: 0)]) + steps.map { Beat(at: $0) })
        return scenario
    }
}
