import DescentCore
import Foundation

extension ExplorerState {
    /// The current setup as a scenario: each run's current label, hyperparameters and start.
    ///
    /// A `data` path is rewritten relative to the working folder, where the new file is written.
    /// The checks are the original's, unevaluated; `scenarioForWriting` keeps only those that hold.
    public func currentScenario() -> Scenario {
        var scenario = experiment.scenario
        // The scenario's checks follow its runs' renames.
        var renames: [String: String] = [:]
        for (index, spec) in scenario.runs.enumerated() {
            if let label = sessionLog.originalLabel(index), label != spec.label { renames[spec.label] = label }
        }
        scenario.expect = scenario.expect.map { $0.renamed(renames) }
        // A lesson is written as its runs began (its sets are its own), with every change as an event; so is a
        // session gone back in time (its later changes too: `w` never loses them).
        let asBegun = experiment.scenario.lesson != nil || !future.isEmpty
        let folded = asBegun ? nil : foldedSession()
        if asBegun || (folded.map { !$0.events.isEmpty } ?? false) {
            // A session with changes made while running: the runs as they began (with what was set before
            // their first step), and the rest as events, so `descent run` replays the session; every run is
            // then taken to the furthest step any run reached.
            if asBegun {
                let timeline = sessionTimeline()
                (scenario.runs, scenario.expect, scenario.events) = (timeline.runs, timeline.expect, timeline.events)
            } else {
                scenario.runs = folded!.runs
                scenario.events = folded!.events
            }
            scenario.steps = max(scenario.steps, runs.map(\.stepCount).max() ?? 0, scenario.events.map(\.step).max() ?? 0)
            if let file = experiment.file, let workingFolder {
                scenario = scenario.mappingPaths { Self.relative($0, scenarioFile: file, workingFolder: workingFolder) }
            }
            let labels = Set(runs.map(\.label))
            scenario.expect = scenario.expect.filter { $0.runLabels.allSatisfy(labels.contains) }
            return withStyles(scenario)
        }
        let commonStart = runs[0].start
        // A start moved in the session is written as its numbers, not as the file it first came from.
        scenario.start = commonStart
        if let file = experiment.file, let workingFolder {
            scenario = scenario.mappingPaths { Self.relative($0, scenarioFile: file, workingFolder: workingFolder) }
        }
        // Without logged changes the runs are the scenario's own, in order: a saved state they began from stays.
        let original = experiment.scenario.runs
        scenario.runs = runs.enumerated().map { index, run in
            run.spec(commonStart: commonStart, objective: scenario.objective,
                     state: sessionLog.isEmpty && index < original.count ? original[index].state : nil)
        }
        let labels = Set(runs.map(\.label))
        scenario.expect = scenario.expect.filter { $0.runLabels.allSatisfy(labels.contains) }
        return withStyles(scenario)
    }

    /// `scenario` with each run's style written where reading it back would not give it (`RunStyle.styles`):
    /// on a run whose style is not its place, and on every copy event of a run still here.
    private func withStyles(_ scenario: Scenario) -> Scenario {
        var scenario = scenario
        // Past the styles a file names (64), they go round, as the glyphs and colours already do at eight.
        let styleOf = Dictionary(zip(runs.map(\.label), styles.map { $0.index % RunSpec.styleCount }), uniquingKeysWith: { a, _ in a })
        for index in scenario.runs.indices {
            let style = styleOf[scenario.runs[index].label]
            scenario.runs[index].style = style == index ? nil : style
        }
        for index in scenario.events.indices {
            if case .copy(let label) = scenario.events[index].action { scenario.events[index].style = styleOf[label] }
        }
        return scenario
    }

    /// The scenario's own runs with the changes made before a run's first step folded into them (a setting,
    /// a start, a copy, a deletion: the run simply begins that way), and the changes that remain as events.
    /// Nil when the session has no changes.
    func foldedSession() -> (runs: [RunSpec], events: [RunEvent])? {
        guard !sessionLog.isEmpty else { return nil }
        var specs = experiment.scenario.runs
        for index in specs.indices { specs[index].label = sessionLog.originalLabel(index) ?? specs[index].label }
        var events: [RunEvent] = []
        // Runs with a change kept as an event (or made mid-run): their later changes are events too.
        var running = Set<String>()
        for event in sessionLog.events {
            if event.step == 0, !running.contains(event.run), let i = specs.firstIndex(where: { $0.label == event.run }) {
                switch event.action {
                case .set(let patch) where specs[i].schedule == nil || patch.lr == nil:
                    specs[i].hyperparameters = patch.applied(to: specs[i].hyperparameters)
                    continue
                case .start(let point):
                    specs[i].start = point
                    continue
                case .reset:
                    continue
                case .copy(let label):
                    var copy = specs[i]
                    copy.label = label
                    specs.insert(copy, at: i + 1)
                    continue
                case .delete:
                    specs.remove(at: i)
                    continue
                default:
                    break
                }
            }
            events.append(event)
            running.insert(event.run)
            if case .copy(let label) = event.action { running.insert(label) }
        }
        return (specs, events)
    }

    /// The scenario's checks with its runs' renames applied.
    private var currentScenarioChecks: [Expectation] {
        var renames: [String: String] = [:]
        for (index, spec) in experiment.scenario.runs.enumerated() {
            if let label = sessionLog.originalLabel(index), label != spec.label { renames[spec.label] = label }
        }
        return experiment.scenario.expect.map { $0.renamed(renames) }
    }

    /// What `w` writes: the current setup, with only the original checks that hold for it.
    ///
    /// The checks are evaluated by running the written setup from its start for its `steps`, on the
    /// objective already in memory (no file is read). A check that fails, or names a run that is gone,
    /// is left out and listed in a comment; an edited setup says so in its description.
    public func scenarioForWriting() -> (scenario: Scenario, leftOut: [(check: Expectation, why: String)]) {
        var scenario = currentScenario()
        let original = experiment.scenario
        var leftOut: [(Expectation, String)] = []
        let labels = Set(runs.map(\.label))
        for check in currentScenarioChecks where !check.runLabels.allSatisfy(labels.contains) {
            leftOut.append((check, "names a run that is gone"))
        }
        if !scenario.expect.isEmpty {
            // The written runs are the explorer's runs as they are now, from their starts: reset copies,
            // on the objective already in memory, summarized as they step (no path kept, no file read).
            let targets = Expectation.targets(of: scenario.expect)
            let outcomes: [RunSummary]
            if scenario.events.isEmpty {
                let fromStart = runs.map { run in var run = run; run.reset(); return run }
                outcomes = RunSummary.summarize(fromStart, steps: scenario.steps, targets: targets)
            } else {
                // The session replayed: the scenario's own runs (on the objective in memory) with the events.
                var replay = experiment.scenario
                replay.runs = scenario.runs
                replay.events = scenario.events
                replay.steps = scenario.steps
                replay.expect = []
                outcomes = (try? Experiment(scenario: replay, file: experiment.file, reusing: experiment))?
                    .summaries(targets: targets) ?? []
            }
            var kept: [Expectation] = []
            for check in scenario.expect {
                let result = check.evaluate(outcomes)
                if result.passed { kept.append(check) } else { leftOut.append((check, "fails for this setup: \(result.summary)")) }
            }
            scenario.expect = kept
        }
        if !scenario.events.isEmpty {
            let from = experiment.file.map { " (\(FilePaths.name(of: $0)))" } ?? ""
            let note = "A session in the Descent explorer on \"\(original.name)\"\(from): its changes are the events below, and descent run replays it."
            var originalWords = original.description
            if let words = originalWords, words.hasPrefix("A session in the Descent explorer on") || words.hasPrefix("Edited in the Descent explorer from") {
                originalWords = words.range(of: " The original said: ").map { String(words[$0.upperBound...]) }
            }
            scenario.description = originalWords.map { "\(note) The original said: \($0)" } ?? note
        } else if Self.effectiveRuns(of: scenario) != Self.effectiveRuns(of: original) {
            let from = experiment.file.map { " (\(FilePaths.name(of: $0)))" } ?? ""
            let note = "Edited in the Descent explorer from \"\(original.name)\"\(from)."
            // Edited again: keep the first original's words, not a note about a note.
            var originalWords = original.description
            if let words = originalWords, words.hasPrefix("Edited in the Descent explorer from") {
                originalWords = words.range(of: " The original said: ").map { String(words[$0.upperBound...]) }
            }
            scenario.description = originalWords.map { "\(note) The original said: \($0)" } ?? note
        }
        // Bookmarks become a lesson's beats, their captions left for the teacher to write.
        return (withBookmarkBeats(scenario), leftOut)
    }

    /// What a scenario's runs are, whichever way the file spells them (a run's own start or the scenario's).
    static func effectiveRuns(of scenario: Scenario) -> [RunSpec] {
        scenario.runs.map { run in
            RunSpec(label: run.label, hyperparameters: run.hyperparameters, start: run.start ?? scenario.start,
                    batchSize: run.batchSize ?? scenario.objective.batchSize, seed: run.seed ?? scenario.objective.seed ?? 0,
                    schedule: run.schedule, noise: run.noise)
        }
    }

    func scenarioText() -> String {
        let (scenario, leftOut) = scenarioForWriting()
        var text = "# Written by the Descent explorer. Run it with: descent run FILE; check it with: descent check FILE\n"
        text += scenario.yamlText()
        if !leftOut.isEmpty {
            text += "# Checks of the original left out:\n"
            for (check, why) in leftOut {
                let line = "#   \(Scenario.flowText(of: check))  (\(why))"
                text += line.replacingOccurrences(of: "\n", with: " ") + "\n"
            }
        }
        return text
    }

    /// The data file's path as seen from the working folder, where the new scenario is written.
    ///
    /// Pure text: `.` and `..` are resolved on the path's own components, with no look at the file system.
    static func relative(_ data: String, scenarioFile: String, workingFolder folder: String) -> String {
        var absolute = data.hasPrefix("/") ? data
            : FilePaths.join(FilePaths.folder(of: scenarioFile), data)
        if !absolute.hasPrefix("/") { absolute = FilePaths.join(folder, absolute) }
        absolute = normalized(absolute)
        let base = normalized(folder)
        return absolute.hasPrefix(base + "/") ? String(absolute.dropFirst(base.count + 1)) : absolute
    }

    /// An absolute path with `.`, `..` and repeated slashes resolved on its text.
    static func normalized(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// What the explorer has kept of each run (every step of the first 2048, evenly thinned after), as `descent run` CSV.
    func trajectoryCSV() -> String {
        TrajectoryReport.csv(histories)
    }
}
