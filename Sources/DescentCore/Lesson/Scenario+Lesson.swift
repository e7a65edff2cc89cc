extension Scenario {
    /// Every change the runs go through, in the order the interpreter plays them: the file's `events:`
    /// with the lesson's `set`s among them, each with the field it comes from (`events[3]`,
    /// `lesson[2].set.heavy`) for errors.
    ///
    /// A lesson's set for a run comes before that run's first event at a later step (at the same step,
    /// before the file's event: a beat's change is made as the runs arrive, before anything done there);
    /// a set for a copy comes after the event that makes it.
    public var timelineWithOrigins: [(event: RunEvent, origin: String)] {
        guard let lesson, lesson.beats.contains(where: { !$0.set.isEmpty }) else {
            return events.enumerated().map { ($1, "events[\($0)]") }
        }
        var sets: [(event: RunEvent, origin: String)] = []
        for (b, beat) in lesson.beats.enumerated() {
            for entry in beat.set {
                sets.append((RunEvent(step: beat.at, run: entry.run, action: .set(entry.patch)), "lesson[\(b)].set.\(entry.run)"))
            }
        }
        return Self.merging(sets, into: events.enumerated().map { ($1, "events[\($0)]") }, born: Set(runs.map(\.label)))
    }

    /// `sets` (a lesson's, in order) placed among `events`: each before its run's first event at a later step,
    /// after the event that makes its run when that is a copy; `born` are the runs there from the start.
    /// Sets for a run after its deletion are dropped; sets for runs that never exist come last, where a check
    /// names them.
    public static func merging<T>(_ sets: [(event: RunEvent, origin: T)], into events: [(event: RunEvent, origin: T)],
                                  born: Set<String>) -> [(event: RunEvent, origin: T)] {
        var pending = sets, born = born
        var out: [(event: RunEvent, origin: T)] = []
        func flush(_ label: String, through step: Int) {
            guard born.contains(label) else { return }
            var kept: [(event: RunEvent, origin: T)] = []
            for entry in pending {
                if entry.event.run == label && entry.event.step <= step { out.append(entry) } else { kept.append(entry) }
            }
            pending = kept
        }
        for entry in events {
            flush(entry.event.run, through: entry.event.step)
            out.append(entry)
            switch entry.event.action {
            case .copy(let label): born.insert(label)
            // A deleted run's later sets never happen.
            case .delete: pending.removeAll { $0.event.run == entry.event.run }
            default: break
            }
        }
        var flushed = Set<String>()
        for entry in pending where born.contains(entry.event.run) && flushed.insert(entry.event.run).inserted {
            flush(entry.event.run, through: .max)
        }
        return out + pending
    }

    /// The events the interpreter plays: `timelineWithOrigins` without the origins.
    public var timeline: [RunEvent] { timelineWithOrigins.map(\.event) }
}

extension Experiment {
    /// Checks a lesson against the runs: beats in step order within `steps`, every label named is a run's,
    /// every caption's placeholders can be filled, every check is sound. (Its `set`s are checked with the
    /// events, as torch would check them.)
    static func checkLesson(_ scenario: Scenario, objective: any Objective, labels: Set<String>) throws(InputError) {
        guard let lesson = scenario.lesson else { return }
        guard !lesson.beats.isEmpty else { throw InputError(field: "lesson", message: "needs at least one beat") }
        let theory = LessonTheory(objective: objective, start: scenario.start)
        let known = labels.sorted().joined(separator: ", ")
        for (b, beat) in lesson.beats.enumerated() {
            let field = "lesson[\(b)]"
            guard beat.at >= 0 else { throw InputError(field: "\(field).at", message: "must be a step ≥ 0, got \(beat.at)") }
            if b > 0, beat.at < lesson.beats[b - 1].at {
                throw InputError(field: "\(field).at", message: "is \(beat.at), before the beat above it (\(lesson.beats[b - 1].at)): beats go in step order")
            }
            if b > 0, beat.at == lesson.beats[b - 1].at {
                throw InputError(field: "\(field).at", message: "is \(beat.at), the step of the beat above it: one beat a step (join their captions)")
            }
            guard beat.at <= scenario.steps else {
                throw InputError(field: "\(field).at", message: "is \(beat.at), past the scenario's steps (\(scenario.steps)): the runs never get there")
            }
            for entry in beat.set where !labels.contains(entry.run) {
                throw InputError(field: "\(field).set.\(entry.run)", message: "names no run '\(entry.run)' (runs: \(known))")
            }
            for label in beat.show.runLabels where !labels.contains(label) {
                throw InputError(field: "\(field).show", message: "names no run '\(label)' (runs: \(known))")
            }
            for (text, where_) in [(beat.say, "\(field).say")] + (beat.ask.map { [($0.text, "\(field).ask.question")] } ?? []) {
                let placeholders: [Caption.Placeholder]
                do { placeholders = try Caption.placeholders(in: text) } catch {
                    throw InputError(field: where_, message: error.message)
                }
                for placeholder in placeholders {
                    if let run = placeholder.run, !labels.contains(run) {
                        throw InputError(field: where_, message: "{\(placeholder.spelled)} names no run '\(run)' (runs: \(known))")
                    }
                    if placeholder.needsTheory, theory == nil {
                        throw InputError(field: where_, message: "{\(placeholder.spelled)} needs the theory: a Hessian with positive curvatures at the minimum, which this objective does not have")
                    }
                }
            }
            if let ask = beat.ask, case .choice(let choices, _) = ask.answer, Set(choices).count != choices.count {
                throw InputError(field: "\(field).ask.choices", message: "has a choice twice")
            }
            for (c, check) in beat.expect.enumerated() {
                for label in check.runLabels where !labels.contains(label) {
                    throw InputError(field: "\(field).expect[\(c)]", message: "names no run '\(label)' (runs: \(known))")
                }
                if case let .endsNear(_, point, _) = check, point.count != scenario.start.count {
                    throw InputError(field: "\(field).expect[\(c)].ends_near", message: "has \(point.count) numbers; the dimension is \(scenario.start.count)")
                }
                if let problem = check.problem {
                    throw InputError(field: "\(field).expect[\(c)].\(problem.key)", message: problem.message)
                }
            }
        }
    }
}
