import DescentCore
@testable import DescentExplorer
import Foundation
import Testing

/// Lessons in the explorer: beats and captions, time control (the rewind law), the what-if ghost, hiding
/// runs, every run's arrows, the eigendirection panel, bookmarks.
@Suite struct LessonExplorerTests {
    static let lesson = """
        name: a lesson
        objective: {kind: quadratic, eigenvalues: [1, 100], angle: 20}
        start: [-4, 1.2]
        steps: 120
        runs:
          - {label: gd, lr: 0.0198}
          - {label: heavy, lr: 0.0330578512396694, momentum: 0.669421487603305}
        lesson:
          - at: 0
            say: "kappa {kappa}, lr_max {lr_max}: gd at lr {lr:gd}."
            show: {hide: [heavy]}
          - at: 20
            say: "Step {step}: gd's loss {loss:gd}."
            ask: {question: "kappa?", answer: 100, tolerance: 1}
          - at: 40
            say: "Heavy ball, momentum {momentum:heavy}: loss {loss:heavy}."
            set: {gd: {lr: 0.01}}
            show: {reveal: [heavy], arrows: all}
        """

    static func state(_ yaml: String = lesson, width: Int = 120, height: Int = 40, color: Bool = false, unicode: Bool = true) throws -> ExplorerState {
        ExplorerState(experiment: try Experiment(scenario: Scenario.decode(yaml: yaml)), width: width, height: height,
                      options: RenderOptions(color: color, unicode: unicode))
    }

    /// Runs ticks until running pauses (a deadline in ticks, not in time).
    static func runUntilPaused(_ s: inout ExplorerState) {
        for _ in 0..<100_000 where s.playing { s.update(.tick) }
    }

    @Test func beatsPauseAndCaptionsFillIn() throws {
        var s = try Self.state(width: 80, height: 24)
        var text = s.render().text
        #expect(text.contains("kappa 100, lr_max 0.02: gd at lr 0.0198."), "\(text)")
        #expect(text.contains("beat 1/3"))
        #expect(s.lanes[1].hidden, "beat 1 hides heavy")
        s.update(.key(.character("]")))
        Self.runUntilPaused(&s)
        #expect(s.currentStep == 20 && s.beatIndex == 1)
        text = s.render().text
        #expect(text.contains("beat 2/3") && text.contains("Step 20: gd's loss"), "\(text)")
        #expect(text.contains("Q: kappa? (A: answer)"))
        // A wrong answer is said so, with the answer; the lesson goes on.
        for message in try KeyScript.parse("A90<enter>") { s.update(message) }
        #expect(s.status == "not quite: the answer is 100 (± 1) (] goes on)")
        s.update(.key(.character("]")))
        Self.runUntilPaused(&s)
        #expect(s.currentStep == 40 && !s.lanes[1].hidden && s.showsAllUpdates)
        #expect(s.runs[0].hyperparameters.lr == 0.01, "beat 3's set is made as the runs arrive")
        // [ goes back to beat 2, and its screen: heavy hidden again.
        s.update(.key(.character("[")))
        #expect(s.currentStep == 20 && s.lanes[1].hidden && s.runs[0].hyperparameters.lr == 0.0198)
    }

    /// The runs at each beat are `descent run`'s at that step, bit for bit, with the beat's set made.
    @Test func beatsAreTheHeadlessRun() throws {
        var s = try Self.state()
        let trajectories = try Experiment(scenario: Scenario.decode(yaml: Self.lesson)).trajectories()
        for beat in 1...2 {
            s.update(.key(.character("]")))
            Self.runUntilPaused(&s)
            let step = [20, 40][beat - 1]
            for (run, trajectory) in zip(s.runs, trajectories) {
                #expect((0..<2).map { trajectory.coordinate(step, $0).bitPattern } == run.parameters.map(\.bitPattern), "beat \(beat) \(run.label)")
            }
        }
    }

    /// One random edit of a session: a key script pressed at a step.
    struct Edit: CustomStringConvertible {
        var step: Int
        var keys: String
        var description: String { "\(step): \(keys)" }
    }

    static func randomEdits(_ generator: inout SeededGenerator, steps: Int) -> [Edit] {
        let scripts = ["<right>", "<left>", "<down><right>", "<down><down><right><right>", "a", "<tab>", "d", "P",
                       "<enter>0.02<enter>", "<down><down><down><down><right>", "<tab><right><enter>"]
        return (0..<Int.random(in: 1...6, using: &generator)).map { _ in
            Edit(step: Int.random(in: 0...steps, using: &generator), keys: scripts.randomElement(using: &generator)!)
        }.sorted { $0.step < $1.step }
    }

    /// Plays `edits` on a fresh explorer: steps to each edit's step, presses its keys, then steps to `until`.
    static func play(_ yaml: String, edits: [Edit], until: Int) throws -> ExplorerState {
        var s = try state(yaml)
        for edit in edits where edit.step <= until {
            if s.currentStep < edit.step { s.advanceSteps(edit.step - s.currentStep, toStep: edit.step) }
            for message in try KeyScript.parse(edit.keys) { s.update(message) }
            // An enter that opened the typing (no what-if to keep) is left; any other key ends a what-if.
            if case .editing = s.mode { s.update(.key(.escape)) }
            s.update(.key(.character("0")))
        }
        if s.currentStep < until { s.advanceSteps(until - s.currentStep, toStep: until) }
        return s
    }

    static func expectSame(_ a: ExplorerState, _ b: ExplorerState, _ note: String) {
        #expect(a.runs.map(\.label) == b.runs.map(\.label), "\(note)")
        for (x, y) in zip(a.runs, b.runs) {
            #expect(x.stepCount == y.stepCount, "\(note) \(x.label)")
            #expect(x.parameters.map(\.bitPattern) == y.parameters.map(\.bitPattern), "\(note) \(x.label)")
            #expect(x.optimizer == y.optimizer, "\(note) \(x.label)")
        }
    }

    /// `descent run`'s runs at step `target` of the session file `state` writes: each run played through its
    /// timeline to the step, copies made by then, deleted ones gone.
    static func headless(_ state: ExplorerState, at target: Int) throws -> [String: Run] {
        let written = try Experiment(scenario: Scenario.decode(yaml: state.scenarioForWriting().scenario.yamlText()))
        var out: [String: Run] = [:]
        for (i, program) in written.programs().enumerated() where i < written.runs.count || program.run.stepCount <= target {
            var run = program.run, next = 0
            if RunProgram.play(&run, events: program.events, next: &next, to: target, observe: { _ in }) != .deleted { out[run.label] = run }
        }
        return out
    }

    /// The rewind law: after any session, going to step j (with `g`, or `b` from j + 1) gives the runs of a fresh
    /// run of the session's file to j, bit for bit, and (when no run diverged, so every change is at the step
    /// it was made) those of a fresh session with only the edits up to j; going forward again replays the
    /// later edits, back to where the session was.
    @Test func goingToAStepIsAFreshRunToIt() throws {
        var generator = SeededGenerator(seed: 20)
        let scenarios = [Self.lesson, VocabularyExplorerTests.yaml]
        for round in 0..<40 {
            let yaml = scenarios[round % scenarios.count]
            let end = Int.random(in: 10...60, using: &generator)
            let edits = Self.randomEdits(&generator, steps: end)
            let note = "round \(round): \(edits)"
            var session = try Self.play(yaml, edits: edits, until: end)
            let there = session
            let target = Int.random(in: 0...end, using: &generator)
            if Bool.random(using: &generator) {
                for message in try KeyScript.parse("g\(target)<enter>") { session.update(message) }
            } else {
                // `b` from one step further on (where the runs get there: a diverged run stays where it stopped).
                session.goTo(step: target + 1)
                for message in try KeyScript.parse(session.currentStep == target + 1 ? "b" : "g\(target)<enter>") { session.update(message) }
            }
            let fresh = try Self.headless(there, at: target)
            #expect(Set(session.runs.map(\.label)) == Set(fresh.keys), "\(note), to \(target) (\(session.status ?? ""))")
            for run in session.runs {
                guard let other = fresh[run.label] else { continue }
                #expect(run.stepCount == other.stepCount && run.parameters.map(\.bitPattern) == other.parameters.map(\.bitPattern)
                        && run.optimizer == other.optimizer, "\(note), to \(target): \(run.label)")
            }
            // A run that diverged takes no more steps, so changes made to it later are at the step it stopped at.
            let written = try Experiment(scenario: Scenario.decode(yaml: there.scenarioForWriting().scenario.yamlText()))
            let diverged = written.programs().contains { program in var program = program; program.play(steps: end); return program.run.isDiverged }
            if !diverged {
                Self.expectSame(session, try Self.play(yaml, edits: edits, until: target), "\(note), to \(target) (\(session.status ?? ""))")
            }
            for message in try KeyScript.parse("g\(end)<enter>") { session.update(message) }
            Self.expectSame(session, there, "\(note), back to \(end)")
        }
    }

    /// A change made after going back drops the later ones: going forward then follows the new change.
    @Test func aChangeAfterGoingBackDropsTheLaterOnes() throws {
        var s = try Self.state()
        s.advanceSteps(30, toStep: 30)
        s.update(.key(.right))
        s.update(.key(.enter))
        s.advanceSteps(10, toStep: 40)
        s.goTo(step: 10)
        #expect(!s.future.isEmpty)
        s.update(.key(.down))
        s.update(.key(.right))
        s.update(.key(.enter))
        #expect(s.future.isEmpty, "the change at 10 drops the later ones")
        s.goTo(step: 40)
        #expect(s.runs[0].hyperparameters.lr == 0.01, "the lesson's set at 40 still comes")
        #expect(s.runs[0].hyperparameters.momentum == 0.05, "the change made at 10 stays; the lr change at 30 is gone")
    }

    /// A file's own events (a copy, a set, a reset; a lesson's sets among them): going to any step, back
    /// or forward, gives `descent run`'s runs at that step of the *original file*, bit for bit, and running
    /// on to the end gives its end.
    @Test(arguments: ["20-session-replay.yaml", "lesson-with-events"])
    func filesWithEventsRewindToTheHeadlessRun(name: String) throws {
        let scenario: Scenario
        if name == "lesson-with-events" {
            scenario = try Scenario.decode(yaml: Self.lesson + """

                events:
                  - {step: 5, run: heavy, copy: "heavy early"}
                  - {step: 12, run: heavy, copy: "heavy kept", style: 5}
                  - {step: 25, run: gd, reset: true}
                  - {step: 30, run: "heavy kept", delete: true}
                """)
        } else {
            scenario = try Scenario.load(contentsOf: LessonScreenTests.scenarios + "/" + name)
        }
        let experiment = try Experiment(scenario: scenario)
        var s = ExplorerState(experiment: experiment, width: 120, height: 40, options: RenderOptions(color: false))
        var generator = SeededGenerator(seed: 5)
        for _ in 0..<12 {
            let target = Int.random(in: 0...scenario.steps, using: &generator)
            for message in try KeyScript.parse("g\(target)<enter>") { s.update(message) }
            var fresh: [String: Run] = [:]
            for (i, program) in experiment.programs().enumerated() {
                var run = program.run, next = 0
                // A copy exists once its copy event is played: its first step is its source's at the copy.
                let copyStep = scenario.events.first { if case .copy(run.label) = $0.action { true } else { false } }?.step
                if i >= experiment.runs.count, let copyStep, copyStep > target { continue }
                if RunProgram.play(&run, events: program.events, next: &next, to: target, observe: { _ in }) != .deleted { fresh[run.label] = run }
            }
            #expect(Set(s.runs.map(\.label)) == Set(fresh.keys), "\(name) at \(target): \(s.status ?? "")")
            for run in s.runs {
                guard let other = fresh[run.label] else { continue }
                #expect(run.stepCount == other.stepCount && run.parameters.map(\.bitPattern) == other.parameters.map(\.bitPattern)
                        && run.optimizer == other.optimizer, "\(name) at \(target): \(run.label)")
            }
        }
        // Running on from step 0 to the end (the changes replaying as the runs reach them) ends where descent run does.
        for message in try KeyScript.parse("g0<enter>") { s.update(message) }
        s.advanceSteps(scenario.steps * 3, stoppingAtPause: false, toStep: scenario.steps)
        for _ in 0..<10 { s.advanceSteps(scenario.steps, toStep: scenario.steps) }
        let ends = Dictionary(uniqueKeysWithValues: experiment.trajectories().map { ($0.label, $0) })
        let saved = try Scenario.decode(yaml: experiment.savedAfter(steps: scenario.steps).yamlText())
        #expect(Set(s.runs.map(\.label)) == Set(saved.runs.map(\.label)), "\(name): \(s.runs.map(\.label))")
        for run in s.runs {
            guard let t = ends[run.label] else { continue }
            #expect((0..<2).map { t.coordinate(t.count - 1, $0).bitPattern } == run.parameters.map(\.bitPattern), "\(name) end: \(run.label)")
        }
        // What `w` writes replays to the same runs.
        let written = try Experiment(scenario: Scenario.decode(yaml: s.scenarioForWriting().scenario.yamlText()))
        let writtenEnds = Dictionary(uniqueKeysWithValues: written.trajectories().map { ($0.label, $0) })
        for run in s.runs {
            let t = try #require(writtenEnds[run.label], "\(name): written without \(run.label)")
            #expect((0..<2).map { t.coordinate(t.count - 1, $0).bitPattern } == run.parameters.map(\.bitPattern), "\(name) written: \(run.label)")
        }
    }

    /// `w` in a lesson writes the runs as they began, the lesson with its sets, and the session's changes
    /// (later ones too, after going back): the written file replays the session, and its checks still pass.
    @Test func writingALessonKeepsItWhole() throws {
        var s = try Self.state()
        for message in try KeyScript.parse("g45<enter>g30<enter>") { s.update(message) }
        let written = try Scenario.decode(yaml: s.scenarioForWriting().scenario.yamlText())
        #expect(written.runs.map(\.hyperparameters) == (try Scenario.decode(yaml: Self.lesson)).runs.map(\.hyperparameters))
        #expect(written.lesson == (try Scenario.decode(yaml: Self.lesson)).lesson)
        // A change made at 30 is an event, the lesson's set at 40 still its own.
        for message in try KeyScript.parse("<right><enter>") { s.update(message) }
        let again = try Scenario.decode(yaml: s.scenarioForWriting().scenario.yamlText())
        #expect(again.events.count == 1 && again.events[0].step == 30 && again.lesson?.beats[2].set.isEmpty == false)
        s.goTo(step: 60)
        let replayed = try Experiment(scenario: again).trajectories(steps: 60)
        for (run, t) in zip(s.runs, replayed) {
            #expect((0..<2).map { t.coordinate(60, $0).bitPattern } == run.parameters.map(\.bitPattern), "\(run.label)")
        }
    }

    /// After `!`, the run is its timeline's: going back a step and on again changes nothing.
    @Test func aRestartedRunIsItsTimelines() throws {
        var s = try Self.state()
        for message in try KeyScript.parse("g30<enter><right>!g50<enter>") { s.update(message) }
        let there = s
        for message in try KeyScript.parse("bn") { s.update(message) }
        Self.expectSame(s, there, "b then n after a restart")
        s.goTo(step: 10)
        s.goTo(step: 50)
        Self.expectSame(s, there, "back to 10 and on to 50 after a restart")
    }

    /// `esc` puts the session back exactly as it was before the what-if: the run's state (a schedule's base
    /// lr to the bit), the later changes kept after going back, the log.
    @Test func escRestoresTheSessionBitForBit() throws {
        var s = ExplorerState(experiment: try Experiment.load(contentsOf: LessonScreenTests.scenarios + "/17-lr-schedules.yaml"),
                              width: 120, height: 40, options: RenderOptions(color: false))
        s.advanceSteps(40)
        s.update(.key(.right))
        s.update(.key(.enter))
        s.advanceSteps(20)
        s.goTo(step: 20)
        let before = s
        for message in try KeyScript.parse("<tab><right><right><left><right><esc>") { s.update(message) }
        #expect(s.whatIf == nil && s.future == before.future && s.sessionLog == before.sessionLog)
        #expect(s.runs.map(\.optimizer) == before.runs.map(\.optimizer))
        s.goTo(step: 60)
        var direct = before
        direct.goTo(step: 60)
        Self.expectSame(s, direct, "the later change still replays")
    }

    /// A copy made after a reset (at the run's own step in its new count) is made once, and running ends.
    @Test func aCopyAfterAResetIsMadeOnce() throws {
        let yaml = VocabularyExplorerTests.yaml.replacingOccurrences(of: "steps: 40", with: "steps: 80") + """

            events:
              - {step: 50, run: b, reset: true}
              - {step: 20, run: b, copy: d}
            """
        let experiment = try Experiment(scenario: Scenario.decode(yaml: yaml))
        var s = ExplorerState(experiment: experiment, width: 120, height: 40, options: RenderOptions(color: false))
        #expect(Set(s.runs.map(\.label)) == ["a", "b", "c", "d"], "the file's session replayed on opening")
        for message in try KeyScript.parse("g10<enter>") { s.update(message) }
        #expect(Set(s.runs.map(\.label)) == ["a", "b", "c"], "before its reset b has not made d")
        for message in try KeyScript.parse("<space>") { s.update(message) }
        var ticks = 0
        while s.playing && ticks < 20_000 { s.update(.tick); ticks += 1 }
        #expect(ticks < 20_000, "running ends")
        #expect(Set(s.runs.map(\.label)) == ["a", "b", "c", "d"])
    }

    /// In a lesson runs keep their labels; outside one, a rename survives going back.
    @Test func renames() throws {
        var lesson = try Self.state()
        lesson.update(.key(.character("R")))
        #expect(lesson.mode == .normal && lesson.status?.contains("keep their labels") == true)
        var s = try Self.state(VocabularyExplorerTests.yaml)
        for message in try KeyScript.parse("nnnnnRzz<enter>nnb") { s.update(message) }
        #expect(s.runs.map(\.label) == ["zz", "b", "c"], "\(s.status ?? "")")
    }

    /// A choice that is a number is matched by its text before its place in the list.
    @Test func numericChoices() {
        let q = Question(text: "", answer: .choice(["2", "4", "1"], correct: "4"))
        #expect(q.accepts("4") && !q.accepts("2") && !q.accepts("1"))
        let r = Question(text: "", answer: .choice(["2", "4", "1"], correct: "1"))
        #expect(r.accepts("1") && r.accepts("3") && !r.accepts("2"), "by its text, or by its place (3rd)")
    }

    /// The ghost of an edit is the path the run takes when `!` restarts it with the value, bit for bit.
    @Test func theGhostIsTheRestartedRun() throws {
        var generator = SeededGenerator(seed: 7)
        for round in 0..<20 {
            var s = try Self.state()
            s.advanceSteps(Int.random(in: 0...50, using: &generator), toStep: 50)
            let keys = ["<right>", "<left><left>", "<down><right><right>", "<down><down><down><right>", "<tab><right>"].randomElement(using: &generator)!
            for message in try KeyScript.parse(keys) { s.update(message) }
            let ghost = try #require(s.whatIf, "round \(round) \(keys)")
            #expect(s.render().text.contains("what if"), "the status line tells of it")
            s.update(.key(.character("!")))
            s.advanceSteps(s.experiment.scenario.steps, toStep: s.experiment.scenario.steps)
            let path = s.lanes[s.selectedRun].history
            #expect(path.count == ghost.path.count, "round \(round)")
            for row in 0..<min(path.count, ghost.path.count) {
                #expect((0..<2).allSatisfy { path.coordinate(row, $0).bitPattern == ghost.path.coordinate(row, $0).bitPattern }, "round \(round) row \(row)")
            }
            #expect(s.selected.parameters.map(\.bitPattern) == ghost.end.parameters.map(\.bitPattern), "round \(round) \(keys)")
        }
    }

    @Test func escDropsTheWhatIf() throws {
        var s = try Self.state()
        s.update(.key(.right))
        #expect(s.whatIf != nil && s.selected.hyperparameters.lr != 0.0198)
        #expect(s.render().text.contains("what if lr 0.0198 → "))
        s.update(.key(.escape))
        #expect(s.whatIf == nil && s.selected.hyperparameters.lr == 0.0198)
    }

    /// `h` hides the selected run's path, marker and curve (it still steps); `V` draws every visible run's
    /// arrows with their key; `E` puts the eigendirection panel in the loss chart's place.
    @Test func hideArrowsAndEigenPanel() throws {
        var s = try Self.state("""
            name: two
            objective: {kind: quadratic, eigenvalues: [1, 10]}
            start: [2, 1]
            steps: 40
            runs:
              - {label: a, lr: 0.05, momentum: 0.5}
              - {label: b, lr: 0.02}
            """, width: 80, height: 24, unicode: false)
        s.advanceSteps(3)
        let marker = s.runGlyph(1)
        let plot = s.layout.plot
        func plotText(_ s: ExplorerState) -> String {
            let grid = s.render()
            return (plot.y..<(plot.y + plot.height)).map { y in String((plot.x..<(plot.x + plot.width)).map { Character(grid[$0, y].glyph) }) }.joined()
        }
        #expect(plotText(s).contains(Character(marker)))
        s.update(.key(.tab))
        s.update(.key(.character("h")))
        #expect(!plotText(s).contains(Character(marker)))
        s.advanceSteps(2)
        #expect(s.runs[1].stepCount == 5, "a hidden run still steps")
        s.update(.key(.character("h")))
        s.update(.key(.character("V")))
        let text = s.render().text
        #expect(text.contains("momentum/gradient: o ") || text.contains("m/g: o "), "\(text)")
        #expect(text.contains(" x 0/"), "b has no momentum term: \(text)")
        s.update(.key(.character("E")))
        let eigen = s.render().text
        #expect(eigen.contains("error per eigendirection (log)") && eigen.contains("curv 1 rate") && eigen.contains("curv 10 rate"), "\(eigen)")
    }

    /// The eigendirection panel's numbers are the error along each eigenvector, and the theory's rate.
    @Test func eigenErrorsAreProjections() throws {
        var s = try Self.state()
        s.advanceSteps(10)
        guard case .success(let directions) = s.eigenErrors() else { Issue.record("no directions"); return }
        let spectrum = try #require(Spectrum(of: s.experiment.objective, at: [0, 0]))
        let row = s.lanes[0].history.count - 1
        for (d, q) in zip(directions, spectrum.eigenvectors!) {
            let expected = abs(s.runs[0].parameters[0] * q[0] + s.runs[0].parameters[1] * q[1])
            #expect(abs(d.errors[row] - expected) <= 1e-12 * max(1, expected))
        }
        #expect(zip(directions.map(\.curvature), [1.0, 100]).allSatisfy { abs($0 - $1) <= 1e-12 * $1 })
    }

    /// Without a lesson, `k` bookmarks, `]`/`[` move between bookmarks, and `w` writes them as beats.
    @Test func bookmarksBecomeBeats() throws {
        var s = try Self.state(VocabularyExplorerTests.yaml)
        s.advanceSteps(12)
        s.update(.key(.character("k")))
        s.advanceSteps(8)
        s.update(.key(.character("k")))
        #expect(s.bookmarks == [12, 20])
        s.update(.key(.character("[")))
        #expect(s.currentStep == 12)
        s.update(.key(.character("[")))
        #expect(s.currentStep == 12, "no bookmark before 12")
        s.update(.key(.character("]")))
        Self.runUntilPaused(&s)
        #expect(s.currentStep == 20)
        let written = try Scenario.decode(yaml: s.scenarioForWriting().scenario.yamlText())
        #expect(written.lesson?.beats.map(\.at) == [0, 12, 20])
        #expect(written.lesson?.beats.allSatisfy { $0.say.isEmpty } == true)
    }

    /// Every lesson screen fits at 80×24 in ASCII: the caption panel, beat status, and no cut glyphs.
    @Test func lessonScreenAtTheSmallestSizeInASCII() throws {
        var s = try Self.state(width: 80, height: 24, unicode: false)
        let text = s.render().text
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
        #expect(text.contains("beat 1/3 - step 0"))
        s.update(.key(.character("i")))
        #expect(s.render().text.contains("beat 1/3, step 0:"))
    }
}

/// Lesson screens against golden files (text, colour and style): the caption panel and beat status, every
/// run's arrows with their key, the eigendirection panel, a what-if ghost; in colour, NO_COLOR and LANG=C.
@Suite struct LessonScreenTests {
    static let scenarios = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Scenarios").path
    static let lesson1 = scenarios + "/lessons/1-why-momentum-works.yaml"

    static func state(width: Int, height: Int, color: Bool, unicode: Bool) throws -> ExplorerState {
        ExplorerState(experiment: try Experiment.load(contentsOf: lesson1), width: width, height: height,
                      options: RenderOptions(color: color, unicode: unicode))
    }

    @Test(arguments: [(80, 24, true, true, "lesson1-beat4-80x24-colour"), (80, 24, false, false, "lesson1-beat4-80x24-ascii"),
                      (200, 60, false, true, "lesson1-beat4-200x60-no-color")])
    func beatFourWithEveryRunsArrows(width: Int, height: Int, color: Bool, unicode: Bool, name: String) throws {
        var s = try Self.state(width: width, height: height, color: color, unicode: unicode)
        for message in try KeyScript.parse("g45<enter>") { s.update(message) }
        #expect(s.beatIndex == 3 && s.showsAllUpdates)
        assertScreen(s.render().styledText, named: name)
    }

    @Test func eigenPanelAndGhostInColour() throws {
        var s = try Self.state(width: 120, height: 40, color: true, unicode: true)
        for message in try KeyScript.parse("g80<enter><right>") { s.update(message) }
        #expect(s.showsEigen && s.whatIf != nil)
        assertScreen(s.render().styledText, named: "lesson1-beat5-eigen-ghost-120x40-colour")
    }
}

/// `z`: the lr range test of `descent lrfind` for the selected run, in the loss chart's place.
@Suite struct RangeTestExplorerTests {
    @Test func rangeTestIsTheCommandsAndShowsItsMarks() throws {
        let experiment = try Experiment.load(contentsOf: LessonScreenTests.scenarios + "/03-learning-rate-edge.yaml")
        var s = ExplorerState(experiment: experiment, width: 80, height: 24, options: RenderOptions(color: false, unicode: false))
        s.advanceSteps(30)
        s.update(.key(.character("z")))
        var fresh = experiment.runs[0]
        fresh.reset()
        let direct = LRRangeTest(run: fresh, from: 1e-7, to: 10, steps: 100, smoothing: 0.98)
        #expect(s.rangeTest?.suggestion == direct.suggestion && s.rangeTest?.edge == direct.edge, "from the run's start, as the command")
        let text = s.render().text
        #expect(text.contains("lr range test") && text.contains("edge 0.02") && text.contains("^"), "\(text)")
        s.update(.key(.character("z")))
        #expect(s.rangeTest == nil && s.render().text.contains("loss (log)"))
    }
}

/// `G`: the loss chart shows f − f*, so a regression's convergence to its non-zero least-squares loss reads
/// as a fall on the log axis; with no known minimum the key says so.
@Suite struct LossGapExplorerTests {
    @Test func lossGapSubtractsTheMinimumsLoss() throws {
        let experiment = try Experiment.load(contentsOf: LessonScreenTests.scenarios + "/10-iris-linear-regression.yaml")
        var s = ExplorerState(experiment: experiment, width: 80, height: 24, options: RenderOptions(color: false))
        s.advanceSteps(200)
        let fstar = try #require(experiment.objective.knownMinima.map { experiment.objective.loss(at: $0) }.min())
        #expect(fstar > 0)
        let before = s.lossAxisRange(log: true)
        s.update(.key(.character("G")))
        #expect(s.showsLossGap && s.lossOffset == fstar && s.render().text.contains("f - f* (log)"))
        let after = try #require(s.lossAxisRange(log: true))
        #expect(after.low < (before?.low ?? 0), "the gap falls decades below the loss's floor")
        var saddle = ExplorerState(experiment: try Experiment.load(contentsOf: LessonScreenTests.scenarios + "/07-saddle.yaml"),
                                   width: 80, height: 24, options: RenderOptions(color: false))
        saddle.update(.key(.character("G")))
        #expect(!saddle.showsLossGap && saddle.status?.contains("no known minimum") == true)
    }
}

/// Review findings in the explorer: the range test ends with another run or panel; f − f* keeps its log axis
/// when rounding makes a gap read a hair below 0.
@Suite struct RangeTestAndGapFindingsTests {
    @Test func rangeTestEndsWithAnotherRunOrPanel() throws {
        let experiment = try Experiment.load(contentsOf: LessonScreenTests.scenarios + "/01-ravine-heavy-ball-vs-nesterov.yaml")
        var s = ExplorerState(experiment: experiment, width: 80, height: 24, options: RenderOptions(color: false))
        for key in ["z", "\t"] { s.update(.key(key == "\t" ? .tab : .character(Character(key)))) }
        #expect(s.rangeTest == nil, "tab selects another run: its test is not the one shown")
        s.update(.key(.character("z")))
        s.update(.key(.character("E")))
        #expect(s.rangeTest == nil && s.showsEigen)
    }

    @Test func gapKeepsItsLogAxisThroughRounding() throws {
        let experiment = try Experiment.load(contentsOf: LessonScreenTests.scenarios + "/13-minibatch-noise.yaml")
        var s = ExplorerState(experiment: experiment, width: 80, height: 24, options: RenderOptions(color: false))
        s.advanceSteps(400)
        s.update(.key(.character("G")))
        #expect(s.lossAxisIsLog && s.render().text.contains("f - f* (log)"))
        #expect(!s.render().text.contains("big"))
    }
}

/// A reset among a run's changes begins its path again (Trajectory.follow), whether the session is replayed on
/// opening, rebuilt by going back, or met while stepping on.
@Suite struct PathsAfterAResetTests {
    static func expectFreshPath(_ s: ExplorerState, _ label: String, _ note: String) {
        guard let i = s.runs.firstIndex(where: { $0.label == label }) else { Issue.record("\(note): no \(label)"); return }
        let path = s.lanes[i].history
        #expect(zip(path.steps, path.steps.dropFirst()).allSatisfy { $0 < $1 }, "\(note): steps go up along one path")
        #expect(path.steps.first == 0 && path.steps.last == s.runs[i].stepCount, "\(note)")
        #expect((0..<2).allSatisfy { path.coordinate(0, $0) == s.runs[i].start[$0] }, "\(note): the path begins at the start")
    }

    @Test func resetsBeginNewPaths() throws {
        let experiment = try Experiment.load(contentsOf: LessonScreenTests.scenarios + "/20-session-replay.yaml")
        var s = ExplorerState(experiment: experiment, width: 120, height: 40, options: RenderOptions(color: false))
        Self.expectFreshPath(s, "nesterov", "opened")   // reset at its step 90, then 150 more steps
        for message in try KeyScript.parse("g120<enter>") { s.update(message) }
        Self.expectFreshPath(s, "nesterov", "gone back")
        for message in try KeyScript.parse("g0<enter>") { s.update(message) }
        s.advanceSteps(100, toStep: 100)
        Self.expectFreshPath(s, "nesterov", "stepped on through the reset")
    }
}
