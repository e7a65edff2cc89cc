import Foundation

/// A scenario checked and built: its objective and one ready `Run` per run spec.
public struct Experiment: Sendable {
    public var scenario: Scenario
    public let objective: any Objective
    public var runs: [Run]
    /// The scenario file, if it came from one.
    public let file: String?

    /// Checks everything a scenario file can get wrong and builds its runs.
    ///
    /// - Parameters:
    ///   - file: the scenario's path, for errors and to resolve `data` paths.
    /// - Throws: `InputError` naming the file and field.
    ///   - reusing: an experiment whose objective was built from the same objective spec and dimension:
    ///     its objective is taken as it is rather than built again (a data file read twice, a spectrum
    ///     computed twice), as when flags change only the runs of a loaded file.
    public init(scenario: Scenario, file: String? = nil, reusing earlier: Experiment? = nil) throws(InputError) {
        let objective = earlier.flatMap { earlier in
            earlier.scenario.objective == scenario.objective && earlier.objective.dimension == scenario.start.count
                && earlier.file == file ? earlier.objective : nil
        }
        do {
            try self.init(checking: scenario, file: file, objective: objective)
        } catch {
            throw error.inFile(file)
        }
    }

    /// Loads, checks and builds a scenario file; errors name the file, the field and its line.
    ///
    /// - Parameter adjusted: changes made to the scenario before it is built (command-line flags over the
    ///   file's values), so it is checked as it will run (a `state.step` past the file's `steps` with a
    ///   larger `--steps`).
    public static func load(contentsOf path: String,
                            adjusted: (Scenario) throws(InputError) -> Scenario = { $0 }) throws(InputError) -> Experiment {
        let (read, tree) = try Scenario.loadWithTree(contentsOf: path)
        let scenario = try adjusted(read)
        do {
            return try Experiment(scenario: scenario, file: path)
        } catch {
            var located = error
            if located.line == nil, located.file == path, let field = located.field {
                located.line = [FieldPathComponent](fieldPath: field).line(in: tree)
            }
            throw located
        }
    }

    private init(checking given: Scenario, file: String?, objective built: (any Objective)?) throws(InputError) {
        var scenario = given
        self.file = file
        if scenario.name.trimmingCharacters(in: .whitespaces).isEmpty {
            throw InputError(field: "name", message: "must not be empty")
        }
        // The working folder is asked for only when a data file is to be found from it, so building an
        // analytic objective does no file-system IO (the explorer builds them inside `update`).
        let baseDirectory = file.map(FilePaths.folder(of:))
            ?? (!scenario.objective.paths.isEmpty ? FileManager.default.currentDirectoryPath : "")
        var building = built
        if scenario.start.isEmpty {
            // No start: the objective's own (a network's seeded initialisation), for a kind that has one; the
            // objective's own errors (a missing data file) first.
            guard scenario.objective.descriptor?.traits.startMayBeOmitted == true else {
                throw InputError(field: "start", message: "needs at least one number")
            }
            let defaulted = try scenario.objective.makeObjective(dimension: 0, baseDirectory: baseDirectory)
            guard let start = defaulted.defaultStart else { throw InputError(field: "start", message: "needs at least one number") }
            scenario.start = start
            building = defaulted
        }
        self.scenario = scenario
        // A start read from a file is the file's: what is wrong with it names the file.
        func startError(_ message: String) -> InputError {
            scenario.startFile.map { InputError(field: "start.file", message: "\($0): \(message)") } ?? InputError(field: "start", message: message)
        }
        guard scenario.start.count <= Self.maximumDimension else {
            throw startError("has \(scenario.start.count) numbers; at most \(Self.maximumDimension) parameters")
        }
        if let at = scenario.start.firstIndex(where: { !$0.isFinite }) {
            throw scenario.startFile == nil ? startError("must be finite, got \(scenario.start[at])")
                : startError("number \(at + 1) is \(scenario.start[at]); a start must be finite")
        }
        guard (0...Self.maximumSteps).contains(scenario.steps) else {
            throw InputError(field: "steps", message: "must be between 0 and \(Self.maximumSteps), got \(scenario.steps)")
        }
        guard !scenario.runs.isEmpty else { throw InputError(field: "runs", message: "needs at least one run") }
        let objective: any Objective
        if let building { objective = building } else {
            do {
                objective = try scenario.objective.makeObjective(dimension: scenario.start.count, baseDirectory: baseDirectory)
            } catch where error.field == "start" {
                throw startError(error.message)
            }
        }
        self.objective = objective
        var runs: [Run] = []
        var labels = Set<String>()
        var seen: [String: String] = [:]
        for (index, spec) in scenario.runs.enumerated() {
            let key = Self.lookalikeKey(spec.label)
            guard !key.isEmpty else { throw InputError(field: "runs[\(index)].label", message: "must not be empty") }
            if let earlier = seen[key] {
                throw InputError(field: "runs[\(index)].label", message: earlier == spec.label
                    ? "'\(spec.label)' is used by an earlier run; labels must be unique"
                    : "'\(spec.label)' looks the same as an earlier run's '\(earlier)'; labels must differ in what they show")
            }
            seen[key] = spec.label
            labels.insert(spec.label)
            let start = spec.start ?? scenario.start
            guard start.count == scenario.start.count else {
                throw InputError(field: "runs[\(index)].start", message: "has \(start.count) numbers; the scenario's start has \(scenario.start.count)")
            }
            if let bad = start.first(where: { !$0.isFinite }) {
                throw InputError(field: "runs[\(index)].start", message: "must be finite, got \(bad)")
            }
            if spec.batchSize != nil || (spec.seed != nil && spec.noise == nil), objective.sampled == nil {
                throw InputError(field: "runs[\(index)].\(spec.batchSize != nil ? "batch_size" : "seed")",
                                 message: spec.batchSize != nil ? "minibatches apply only to the regression objectives"
                                    : "seeds the minibatches of a regression or a run's noise; this run has neither")
            }
            if let style = spec.style, !(0..<RunSpec.styleCount).contains(style) {
                throw InputError(field: "runs[\(index)].style", message: "must be a whole number from 0 to \(RunSpec.styleCount - 1), got \(style)")
            }
            if let batchSize = spec.batchSize, batchSize < 1 {
                throw InputError(field: "runs[\(index)].batch_size", message: "must be at least 1, got \(batchSize)")
            }
            do {
                var run = try Run(label: spec.label, objective: objective, start: start,
                                    hyperparameters: spec.hyperparameters,
                                    batchSize: spec.batchSize ?? scenario.objective.batchSize,
                                    seed: spec.seed ?? scenario.objective.seed ?? 0, schedule: spec.schedule, noise: spec.noise)
                if let state = spec.state {
                    guard state.step <= scenario.steps else {
                        throw InputError(field: "runs[\(index)].state.step", message:
                            "is \(state.step), past the scenario's steps (\(scenario.steps)): raise steps to go on from there")
                    }
                    do { try run.resume(from: state) } catch {
                        throw InputError(field: "runs[\(index)].state.\(error.field ?? "")", message: error.message)
                    }
                }
                runs.append(run)
            } catch let error as InputError {
                throw error
            } catch let error as HyperparameterError {
                throw InputError(field: "runs[\(index)].\(error.field)", message: error.message)
            } catch {
                throw InputError(field: "runs[\(index)]", message: "\(error)")
            }
        }
        self.runs = runs
        try Self.checkEvents(scenario, runs: runs)
        labels.formUnion(scenario.events.compactMap { if case .copy(let label) = $0.action { label } else { nil } })
        try Self.checkLesson(scenario, objective: objective, labels: labels)
        for (index, check) in scenario.expect.enumerated() {
            for label in check.runLabels where !labels.contains(label) {
                throw InputError(field: "expect[\(index)]", message: "names no run '\(label)' (runs: \(scenario.runs.map(\.label).joined(separator: ", ")))")
            }
            if case let .endsNear(_, point, _) = check, point.count != scenario.start.count {
                throw InputError(field: "expect[\(index)].ends_near", message: "has \(point.count) numbers; the dimension is \(scenario.start.count)")
            }
            if let problem = check.problem {
                throw InputError(field: "expect[\(index)].\(problem.key)", message: problem.message)
            }
        }
    }

    /// Checks each event against the runs as they will be when it comes: the run exists (or was copied
    /// before) and is not deleted, the step is one it reaches, a new start has the dimension, new settings
    /// are ones torch accepts, a copy's label is new.
    private static func checkEvents(_ scenario: Scenario, runs: [Run]) throws(InputError) {
        var count: [String: Int] = [:], settings: [String: SGDHyperparameters] = [:], deleted: Set<String> = []
        for run in runs { count[run.label] = run.stepCount; settings[run.label] = run.hyperparameters }
        for (event, origin) in scenario.timelineWithOrigins {
            // A lesson's set is named as the lesson spells it: `lesson[2].set.heavy.lr`, its step `lesson[2].at`.
            let lessonBeat = origin.hasPrefix("lesson[") ? String(origin.prefix { $0 != "." }) : nil
            func named(_ part: String) -> String {
                guard let lessonBeat else { return "\(origin).\(part)" }
                if part == "step" { return "\(lessonBeat).at" }
                if part == "run" { return origin }
                return part.hasPrefix("set.") ? "\(origin).\(part.dropFirst(4))" : "\(origin).\(part)"
            }
            guard let at = count[event.run] else {
                throw InputError(field: named("run"), message: "names no run '\(event.run)' that exists at this point (runs: \(count.keys.sorted().joined(separator: ", ")))")
            }
            if deleted.contains(event.run) { throw InputError(field: named("run"), message: "'\(event.run)' was deleted by an earlier event") }
            guard event.step <= scenario.steps else {
                throw InputError(field: named("step"), message: "is \(event.step), past the scenario's steps (\(scenario.steps)): it would never happen")
            }
            guard event.step >= at else {
                throw InputError(field: named("step"), message: "is \(event.step), but '\(event.run)' is already at step \(at) (events go in order; a reset starts the count again)")
            }
            count[event.run] = event.step
            switch event.action {
            case .set(let patch):
                // Checked as torch's constructor checks them: the fields the event gives, with the others as the run
                // has them (an lr a schedule will have made negative by then is not the event's).
                var given = patch.applied(to: settings[event.run]!)
                if patch.lr == nil { given.lr = 0 }
                do { try given.validate() } catch {
                    throw InputError(field: named("set.\(error.field)"), message: error.message)
                }
                settings[event.run] = patch.applied(to: settings[event.run]!)
            case .reset:
                count[event.run] = 0
            case .start(let point):
                guard point.count == scenario.start.count else {
                    throw InputError(field: named("start"), message: "has \(point.count) numbers; the dimension is \(scenario.start.count)")
                }
                if let bad = point.first(where: { !$0.isFinite }) {
                    throw InputError(field: named("start"), message: "must be finite, got \(bad)")
                }
                count[event.run] = 0
            case .copy(let label):
                guard !lookalikeKey(label).isEmpty, !count.keys.contains(where: { lookalikeKey($0) == lookalikeKey(label) }) else {
                    throw InputError(field: named("copy"), message: "'\(label)' must be a new, non-empty label")
                }
                if let style = event.style, !(0..<RunSpec.styleCount).contains(style) {
                    throw InputError(field: named("style"), message: "must be a whole number from 0 to \(RunSpec.styleCount - 1), got \(style)")
                }
                count[label] = event.step
                settings[label] = settings[event.run]
            case .delete:
                deleted.insert(event.run)
            }
        }
    }

    /// What a label shows: without surrounding white space or invisible (format) characters, composed. Two labels
    /// with the same key look the same on screen (`a` and `a `, `é` and `e` + U+0301), so a scenario may not
    /// hold both.
    public static func lookalikeKey(_ label: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in label.precomposedStringWithCanonicalMapping.unicodeScalars where !scalar.isFormatCharacter {
            scalars.append(scalar)
        }
        return String(scalars).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// A guard against a typo like `steps: 1e12` freezing the machine.
    public static let maximumSteps = 10_000_000
    /// The most parameters a scenario may have (80 MB a vector).
    public static let maximumDimension = 10_000_000
    /// The most numbers a CSV or JSON output may hold (runs × rows × columns): about 20 GB of text.
    public static let maximumRecordedValues = 1_000_000_000

    /// Checks that writing every step of every run (CSV, JSON) stays within `maximumRecordedValues`.
    ///
    /// - Throws: `InputError` on `steps`, with the count and the limit.
    public func checkRecordedOutput(steps: Int? = nil, format: String) throws(InputError) {
        let rows = (steps ?? scenario.steps) + 1, columns = objective.dimension + 3
        let (perRun, overflow1) = rows.multipliedReportingOverflow(by: columns)
        let (total, overflow2) = perRun.multipliedReportingOverflow(by: runs.count + scenario.events.count)
        guard overflow1 || overflow2 || total > Self.maximumRecordedValues else { return }
        throw InputError(file: file, field: "steps",
                         message: "--format \(format) would write \(runs.count) run\(runs.count == 1 ? "" : "s") × \(rows) rows × \(columns) columns; at most \(Self.maximumRecordedValues) numbers (about 20 GB of text): take fewer steps, or the table")
    }

    /// Runs every run for `steps` (the scenario's by default), keeping only what the table and the checks
    /// need: O(runs × dimension) memory whatever the steps. `targets` are the losses whose first step is kept.
    public func summaries(steps: Int? = nil, targets: [Double] = []) -> [RunSummary] {
        RunSummary.summarize(programs(), steps: steps ?? scenario.steps, targets: targets)
    }

    /// Runs every run for `steps` (the scenario's by default), recording each trajectory whole.
    public func trajectories(steps: Int? = nil) -> [Trajectory] {
        programs().map { program in
            var program = program
            var trajectory = Trajectory(startingAt: program.run)
            program.play(steps: steps ?? scenario.steps) { trajectory.record($0) }
            return trajectory
        }
    }
}
