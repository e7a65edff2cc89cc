@testable import DescentCore
import Foundation
import Testing

/// Lessons in scenario files: reading and writing them, their captions' placeholders, their sets through the
/// one interpreter, and the errors a bad lesson gets.
@Suite struct LessonTests {
    static let yaml = """
        name: l
        objective: {kind: quadratic, eigenvalues: [1, 100]}
        start: [-4, 1.5]
        steps: 60
        runs:
          - {label: gd, lr: 0.0198}
          - {label: hb, lr: 0.0330578512396694, momentum: 0.669421487603305}
        lesson:
          - at: 0
            say: "kappa {kappa}, lr_max {lr_max}, edge at hb's momentum {lr_max:hb}, Polyak {lr_opt} {beta_opt}, rho {rho:gd} {rho:hb}, {{braces}}"
            show: {theory: true, arrows: [gd], hide: [hb], view: {center: [0, 0], width: 4}}
          - at: 10
            say: "step {step}: {loss:gd} {lr:gd} {momentum:hb}"
            set: {gd: {lr: 0.01, momentum: 0.5}}
            ask: {question: "which?", choices: [gd, hb], answer: hb}
            expect:
              - {run: gd, final_loss_above: 1}
          - at: 30
            say: "done"
            show: {reveal: [hb], arrows: all, view: fit}
            ask: {question: "kappa?", answer: 100}
        """

    @Test func readsWritesAndReadsBackEqual() throws {
        let scenario = try Scenario.decode(yaml: Self.yaml)
        let lesson = try #require(scenario.lesson)
        #expect(lesson.beats.map(\.at) == [0, 10, 30])
        #expect(lesson.beats[1].set.map(\.run) == ["gd"])
        #expect(lesson.beats[2].ask?.answer == .number(100, tolerance: 1))
        let again = try Scenario.decode(yaml: scenario.yamlText())
        #expect(again == scenario, "\(scenario.yamlText())")
    }

    /// Random lessons written by `yamlText` read back equal: whatever Descent writes, it reads.
    @Test func randomLessonsRoundTrip() throws {
        var generator = SeededGenerator(seed: 3)
        let base = try Scenario.decode(yaml: Self.yaml)
        for _ in 0..<50 {
            var scenario = base
            var beats: [Beat] = []
            var at = 0
            for _ in 0..<Int.random(in: 1...5, using: &generator) {
                var beat = Beat(at: at, say: ["", "a \"quoted\" {step}", "line\nbreak", "ünïcode {loss:gd}"].randomElement(using: &generator)!)
                if Bool.random(using: &generator) {
                    var patch = HyperparameterPatch()
                    patch.lr = Double(Int.random(in: 1...99, using: &generator)) / 1000
                    beat.set = [("hb", patch)]
                }
                beat.show.theory = [nil, true, false].randomElement(using: &generator)!
                beat.show.arrows = [nil, BeatShow.Arrows.none, .all, .runs(["gd", "hb"])].randomElement(using: &generator)!
                beat.show.hide = Bool.random(using: &generator) ? ["hb"] : []
                if Bool.random(using: &generator) { beat.ask = Question(text: "q?", answer: .number(Double(at) + 0.5, tolerance: 0.25)) }
                beat.expect = Bool.random(using: &generator) ? [.finalLossBelow(run: "gd", bound: 1e3)] : []
                beats.append(beat)
                at += Int.random(in: 1...10, using: &generator)
            }
            scenario.lesson = Lesson(beats: beats)
            let again = try Scenario.decode(yaml: scenario.yamlText())
            #expect(again == scenario, "\(scenario.yamlText())")
        }
    }

    /// The captions' numbers are the runs' and the theory's, worked out independently here.
    @Test func placeholdersAreFilledWithTheNumbers() throws {
        let experiment = try Experiment(scenario: Scenario.decode(yaml: Self.yaml))
        let beats = experiment.playLesson()
        let first = try beats[0].caption.get()
        #expect(first.hasPrefix("kappa 100, lr_max 0.02, edge at hb's momentum \(NumberFormat.short(2 * 1.669421487603305 / 100)), Polyak 0.0330579 0.669421"), "\(first)")
        #expect(first.hasSuffix("{braces}"))
        let gdRate = max(abs(1 - 0.0198), abs(1 - 0.0198 * 100))
        #expect(first.contains("rho \(NumberFormat.short(gdRate)) \(NumberFormat.short(9.0 / 11))"), "\(first)")
        // At beat 2 the runs are descent run's at step 10, with the set made there.
        let trajectories = experiment.trajectories()
        let second = try beats[1].caption.get()
        #expect(second == "step 10: \(NumberFormat.short(trajectories[0].losses[10])) 0.01 0.669421", "\(second)")
        #expect(beats[1].checks.map(\.result.passed) == [true])
    }

    /// The lesson's sets are events: the interpreter plays them where the beat begins, and `descent run`'s
    /// rows after it take the new settings.
    @Test func setsArePlayedAsEvents() throws {
        let withLesson = try Experiment(scenario: Scenario.decode(yaml: Self.yaml))
        var asEvents = try Scenario.decode(yaml: Self.yaml)
        asEvents.lesson = nil
        var patch = HyperparameterPatch()
        patch.lr = 0.01
        patch[.momentum] = .number(0.5)
        asEvents.events = [RunEvent(step: 10, run: "gd", action: .set(patch))]
        let a = withLesson.trajectories(), b = try Experiment(scenario: asEvents).trajectories()
        for (x, y) in zip(a, b) {
            for row in 0..<x.count { #expect((0..<2).allSatisfy { x.coordinate(row, $0).bitPattern == y.coordinate(row, $0).bitPattern }) }
        }
    }

    /// A lesson's set goes before its run's later events, after the copy that makes its run, and a deleted
    /// run's later sets never happen.
    @Test func timelineOrder() throws {
        var scenario = try Scenario.decode(yaml: Self.yaml)
        var lr = HyperparameterPatch()
        lr.lr = 0.02
        scenario.events = [RunEvent(step: 10, run: "gd", action: .set(lr)), RunEvent(step: 20, run: "hb", action: .copy(label: "hb2")),
                           RunEvent(step: 25, run: "hb", action: .delete)]
        scenario.lesson!.beats[2].set = [("hb2", lr), ("hb", lr)]
        let order = scenario.timelineWithOrigins.map(\.origin)
        #expect(order == ["lesson[1].set.gd", "events[0]", "events[1]", "events[2]", "lesson[2].set.hb2"], "\(order)")
    }

    @Test(arguments: [
        ("  - at: 30\n    say: \"done\"", "  - at: 5\n    say: \"done\"", "l.yaml:18: lesson[2].at: is 5, before the beat above it (10): beats go in step order"),
        ("  - at: 30\n    say: \"done\"", "  - at: 10\n    say: \"done\"", "l.yaml:18: lesson[2].at: is 10, the step of the beat above it: one beat a step"),
        ("  - at: 30\n    say: \"done\"", "  - at: 90\n    say: \"done\"", "l.yaml:18: lesson[2].at: is 90, past the scenario's steps (60)"),
        ("{loss:gd}", "{loss:nobody}", "l.yaml:13: lesson[1].say: {loss:nobody} names no run 'nobody' (runs: gd, hb)"),
        ("{loss:gd}", "{lossy}", "l.yaml:13: lesson[1].say: {lossy} is not a placeholder"),
        ("{loss:gd}", "{loss:gd", "l.yaml:13: lesson[1].say: '{' is not closed"),
        ("{gd: {lr: 0.01, momentum: 0.5}}", "{gd: {momentum: -1}}", "l.yaml:14: lesson[1].set.gd.momentum: Invalid momentum value: -1.0"),
        ("{gd: {lr: 0.01, momentum: 0.5}}", "{nobody: {lr: 0.1}}", "l.yaml:14: lesson[1].set.nobody: names no run 'nobody'"),
        ("hide: [hb]", "hide: [hx]", "l.yaml:11: lesson[0].show: names no run 'hx' (runs: gd, hb)"),
        ("arrows: all", "arrows: most", "lesson[2].show.arrows: must be all, none or a list of run labels, got 'most'"),
        ("answer: hb}", "answer: zz}", "lesson[1].ask.answer: 'zz' is not one of the choices (gd, hb)"),
        ("final_loss_above: 1}", "final_loss_above: 1, diverges: true}", "lesson[1].expect[0].diverges: one check per entry"),
        ("    say: \"done\"", "    sai: \"done\"", "lesson[2].sai: unknown key 'sai'"),
    ])
    func badLessonsSayWhereAndWhat(original: String, replacement: String, message: String) throws {
        let text = Self.yaml.replacingOccurrences(of: original, with: replacement)
        #expect(text != Self.yaml)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("lesson-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/l.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try Experiment.load(contentsOf: path)
            Issue.record("no error for \(replacement)")
        } catch {
            let said = "\(error)".replacingOccurrences(of: folder + "/", with: "")
            #expect(said.contains(message), "\(said)")
        }
    }

    /// A caption that needs the theory on an objective without positive curvatures is refused at load.
    @Test func theoryPlaceholdersNeedATheory() throws {
        let yaml = Self.yaml.replacingOccurrences(of: "{kind: quadratic, eigenvalues: [1, 100]}", with: "{kind: quadratic, eigenvalues: [-1, 100]}")
        #expect(throws: InputError.self) { try Experiment(scenario: Scenario.decode(yaml: yaml)) }
    }

    /// Answers: a number within its tolerance (1% by default), a choice by its text in any case or its number.
    @Test func answersAreJudged() throws {
        let number = Question(text: "", answer: .number(0.98, tolerance: Question.defaultTolerance(of: 0.98)))
        #expect(number.accepts("0.98") && number.accepts(" 0.975 ") && !number.accepts("0.96") && !number.accepts("x"))
        let choice = Question(text: "", answer: .choice(["steep", "flat"], correct: "steep"))
        #expect(choice.accepts("Steep") && choice.accepts("1") && !choice.accepts("2") && !choice.accepts("flat"))
    }

    /// The screen at a beat is every beat's show up to it, later words winning; hidden runs come and go.
    @Test func screensAccumulate() throws {
        let lesson = try #require(try Scenario.decode(yaml: Self.yaml).lesson)
        #expect(lesson.screen(at: 0).hidden == ["hb"] && lesson.screen(at: 0).arrows == .runs(["gd"]))
        #expect(lesson.screen(at: 1).hidden == ["hb"] && lesson.screen(at: 1).theory == true)
        #expect(lesson.screen(at: 2).hidden.isEmpty && lesson.screen(at: 2).arrows == .all && lesson.screen(at: 2).view == .fit)
    }
}
