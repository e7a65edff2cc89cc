/// A lesson's beat as the runs stand at its step: its caption filled in and its checks evaluated.
public struct BeatOutcome: Sendable {
    public let index: Int
    public let beat: Beat
    /// The runs present at the beat's step (copies made by then, deleted ones gone), in program order.
    public let runs: [Run]
    /// The caption with its placeholders filled, or why one could not be.
    public let caption: Result<String, CaptionError>
    /// The beat's checks, in order.
    public let checks: [(check: Expectation, result: CheckResult)]
}

extension Experiment {
    /// The lesson's theory numbers (nil without a Hessian with positive curvatures).
    public var lessonTheory: LessonTheory? { LessonTheory(objective: objective, start: scenario.start) }

    /// Plays every run through its timeline (events and the lesson's sets, one interpreter) and stops at each
    /// beat's step to fill its caption and evaluate its checks. `observe` sees each program's run (by program
    /// index, `programs()`' order) after every step, for a caller that draws paths.
    ///
    /// The runs at beat k are bit for bit those of `descent run` at that step: playing on from one beat to
    /// the next is playing to the later step at once (`RunProgram.play`).
    public func playLesson(observe: ((Int, borrowing Run) -> Void)? = nil) -> [BeatOutcome] {
        guard let lesson = scenario.lesson else { return [] }
        let theory = lessonTheory
        var programs = self.programs()
        var next = Array(repeating: 0, count: programs.count)
        var gone = Array(repeating: false, count: programs.count)
        let targets = Expectation.targets(of: lesson.beats.flatMap(\.expect))
        var summaries = programs.map { RunSummary(startingAt: $0.run, targets: targets) }
        // A copy exists from the step it was made at.
        let born = programs.map(\.run.stepCount)
        var outcomes: [BeatOutcome] = []
        for (b, beat) in lesson.beats.enumerated() {
            for i in programs.indices where !gone[i] && born[i] <= beat.at {
                var summary = summaries[i]
                let stop = RunProgram.play(&programs[i].run, events: programs[i].events, next: &next[i], to: beat.at) { run in
                    summary.record(run)
                    observe?(i, run)
                }
                summaries[i] = summary
                if stop == .deleted { gone[i] = true }
            }
            let present = programs.indices.filter { !gone[$0] && born[$0] <= beat.at }
            let runs = present.map { programs[$0].run }
            let caption: Result<String, CaptionError>
            do { caption = .success(try Caption.fill(beat.say, step: beat.at, runs: runs, theory: theory)) } catch {
                caption = .failure(error)
            }
            let outcomesHere = present.map { summaries[$0] }
            let checks = beat.expect.map { ($0, $0.evaluate(outcomesHere)) }
            outcomes.append(BeatOutcome(index: b, beat: beat, runs: runs, caption: caption, checks: checks))
        }
        return outcomes
    }
}
