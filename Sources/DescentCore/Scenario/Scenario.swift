/// A scenario file: one objective, one start, several SGD runs, and optional checks.
///
/// Keys use torch's names (`lr`, `weight_decay`); unknown keys are an error.
public struct Scenario: Decodable, Equatable, Sendable {
    public var name: String
    /// What to look at; the explorer shows it.
    public var description: String?
    public var objective: ObjectiveSpec
    /// θ₀; its length is the dimension. A file may leave it out where the objective has a default start (a
    /// network's seeded initialisation): it is filled in when the scenario is built (`Experiment`). A new start
    /// is no longer the file's: `startFile` is dropped.
    public var start: [Double] {
        didSet { if start != oldValue { startFile = nil } }
    }
    /// Steps per run (default 200).
    public var steps: Int
    public var runs: [RunSpec]
    public var expect: [Expectation]
    /// Changes made while a session was going, replayed in order (see `RunEvent`).
    public var events: [RunEvent] = []
    /// A lesson told over the runs (see `Lesson`).
    public var lesson: Lesson?
    /// Where `start` was read from when the file gave `start: {file: PATH}` (as given, relative to the scenario's
    /// folder): written back as that, not as its numbers.
    public var startFile: String?

    public static let defaultSteps = 200

    public init(name: String, description: String? = nil, objective: ObjectiveSpec, start: [Double],
                steps: Int = Scenario.defaultSteps, runs: [RunSpec], expect: [Expectation] = []) {
        self.name = name; self.description = description; self.objective = objective
        self.start = start; self.steps = steps; self.runs = runs; self.expect = expect
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, description, objective, start, steps, runs, expect, events, lesson
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        description = try c.decodeIfPresent(String.self, forKey: .description)
        objective = try c.decode(ObjectiveSpec.self, forKey: .objective)
        if c.contains(.start), let read = decoder.userInfo[FastNumber.startKey] as? [Double] {
            start = read
            startFile = decoder.userInfo[FastNumber.startFileKey] as? String
        } else {
            start = try c.decodeIfPresent([Double].self, forKey: .start) ?? []
        }
        // Left out, a start is the objective's own (where it has one); given, it has numbers.
        if c.contains(.start), start.isEmpty {
            throw DecodingError.dataCorruptedError(forKey: .start, in: c, debugDescription: "needs at least one number")
        }
        steps = try c.decodeIfPresent(Int.self, forKey: .steps) ?? Scenario.defaultSteps
        runs = try c.decode([RunSpec].self, forKey: .runs)
        expect = try c.decodeIfPresent([Expectation].self, forKey: .expect) ?? []
        events = try c.decodeIfPresent([RunEvent].self, forKey: .events) ?? []
        lesson = try c.decodeIfPresent(Lesson.self, forKey: .lesson)
    }
}

/// One run of a scenario: a label, its hyperparameters, and optionally its own start and minibatches.
public struct RunSpec: Decodable, Equatable, Sendable {
    public var label: String
    public var hyperparameters: SGDHyperparameters
    /// This run's θ₀ instead of the scenario's `start` (four starts in four basins, say).
    public var start: [Double]?
    /// This run's minibatch size instead of the objective's `batch_size`.
    public var batchSize: Int?
    /// This run's seed (of its minibatch shuffle, instead of the objective's `seed`, and of its gradient noise).
    public var seed: UInt64?
    /// An lr schedule with `hyperparameters.lr` as its base lr.
    public var schedule: LRScheduleKind?
    /// σ of seeded Gaussian noise added to each gradient component.
    public var noise: Double?
    /// A saved state to go on from (see `RunState`).
    public var state: RunState?
    /// Which of the explorer's run styles (glyph and colour, `RunStyle`) the run is drawn in; by default
    /// its place among the runs. `w` writes it when it differs, so a reopened session looks the same.
    public var style: Int?
    /// How many styles there are (the explorer tells eight runs apart; more go round again).
    public static let styleCount = 64

    public init(label: String, hyperparameters: SGDHyperparameters, start: [Double]? = nil,
                batchSize: Int? = nil, seed: UInt64? = nil, schedule: LRScheduleKind? = nil, noise: Double? = nil,
                state: RunState? = nil) {
        self.noise = noise
        self.state = state
        self.label = label
        self.hyperparameters = hyperparameters
        self.start = start
        self.batchSize = batchSize
        self.seed = seed
        self.schedule = schedule
    }

    enum RunKeys: String, CodingKey, CaseIterable {
        case label, start
        case batchSize = "batch_size"
        case seed, schedule, noise, state, style
    }
    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(["label"] + HyperparameterField.allCases.map(\.name) + ["start", "batch_size", "seed", "schedule", "noise", "state", "style"])
        let r = try decoder.container(keyedBy: RunKeys.self)
        label = try r.decode(String.self, forKey: .label)
        start = try r.decodeIfPresent([Double].self, forKey: .start)
        batchSize = try r.decodeIfPresent(Int.self, forKey: .batchSize)
        seed = try r.decodeIfPresent(UInt64.self, forKey: .seed)
        schedule = try r.decodeIfPresent(LRScheduleKind.self, forKey: .schedule)
        noise = try r.decodeIfPresent(Double.self, forKey: .noise)
        state = try r.decodeIfPresent(RunState.self, forKey: .state)
        style = try r.decodeIfPresent(Int.self, forKey: .style)
        hyperparameters = try SGDHyperparameters.decode(from: decoder)
    }

}

/// A check on a scenario's outcome, evaluated by `descent check`.
public enum Expectation: Decodable, Equatable, Sendable {
    /// The run's final loss is below the bound.
    case finalLossBelow(run: String, bound: Double)
    /// The run's final loss is above the bound (for `maximize`, or a run stuck in a local minimum).
    case finalLossAbove(run: String, bound: Double)
    /// The run diverges (or does not).
    case diverges(run: String, diverges: Bool)
    /// The run's final θ lies within `tolerance` (Euclidean) of `point`.
    case endsNear(run: String, point: [Double], tolerance: Double)
    /// `run` reaches a loss at or below `loss` in fewer steps than `other` (which may never reach it).
    case faster(run: String, than: String, toLoss: Double)

    enum Keys: String, CodingKey, CaseIterable {
        case run
        case finalLossBelow = "final_loss_below"
        case finalLossAbove = "final_loss_above"
        case diverges
        case endsNear = "ends_near"
        case within
        case faster, than
        case toLoss = "to_loss"
    }

    /// The keys that make up each kind of check. An entry is exactly one of them: a second condition in the same
    /// entry would otherwise go unchecked, so `{run: a, final_loss_below: 100, diverges: true}` is refused.
    static let conditions: [(name: Keys, keys: Set<Keys>)] = [
        (.finalLossBelow, [.run, .finalLossBelow]), (.finalLossAbove, [.run, .finalLossAbove]),
        (.diverges, [.run, .diverges]), (.endsNear, [.run, .endsNear, .within]), (.faster, [.faster, .than, .toLoss]),
    ]

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Keys.self)
        let c = try decoder.container(keyedBy: Keys.self)
        let present = Set(c.allKeys)
        let named = Self.conditions.filter { present.contains($0.name) }
        guard let condition = named.first else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "a check needs one of final_loss_below, final_loss_above, diverges, ends_near (with within), or faster/than/to_loss"))
        }
        if named.count > 1 {
            let list = named.map { "'\($0.name.stringValue)'" }.joined(separator: " and ")
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath + [named[1].name],
                debugDescription: "one check per entry: this one has \(list); write each as its own entry"))
        }
        if let stray = Keys.allCases.first(where: { present.contains($0) && !condition.keys.contains($0) }) {
            let allowed = Keys.allCases.filter(condition.keys.contains).map(\.stringValue).joined(separator: ", ")
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath + [stray],
                debugDescription: "'\(stray.stringValue)' is not part of a \(condition.name.stringValue) check (its keys: \(allowed))"))
        }
        switch condition.name {
        case .faster:
            self = .faster(run: try c.decode(String.self, forKey: .faster), than: try c.decode(String.self, forKey: .than),
                           toLoss: try c.decode(Double.self, forKey: .toLoss))
        case .finalLossBelow: self = .finalLossBelow(run: try c.decode(String.self, forKey: .run), bound: try c.decode(Double.self, forKey: .finalLossBelow))
        case .finalLossAbove: self = .finalLossAbove(run: try c.decode(String.self, forKey: .run), bound: try c.decode(Double.self, forKey: .finalLossAbove))
        case .diverges: self = .diverges(run: try c.decode(String.self, forKey: .run), diverges: try c.decode(Bool.self, forKey: .diverges))
        default:
            self = .endsNear(run: try c.decode(String.self, forKey: .run), point: try c.decode([Double].self, forKey: .endsNear),
                             tolerance: try c.decode(Double.self, forKey: .within))
        }
    }

    /// Why the check could never pass or means nothing (a NaN bound, a negative distance, a run raced against
    /// itself), with the key to name; nil for a sound check.
    var problem: (key: String, message: String)? {
        switch self {
        case let .finalLossBelow(_, bound) where bound.isNaN: ("final_loss_below", "must be a number, got nan")
        case let .finalLossAbove(_, bound) where bound.isNaN: ("final_loss_above", "must be a number, got nan")
        case let .endsNear(_, point, _) where !point.allSatisfy(\.isFinite): ("ends_near", "must be finite numbers")
        case let .endsNear(_, _, tolerance) where !(tolerance >= 0 && tolerance.isFinite):
            ("within", "must be a finite distance ≥ 0, got \(NumberFormat.exact(tolerance))")
        case let .faster(run, than, _) where run == than: ("than", "names the same run as faster ('\(run)'): a run cannot beat itself")
        case let .faster(_, _, loss) where loss.isNaN: ("to_loss", "must be a number, got nan")
        default: nil
        }
    }

    /// The run labels the check names.
    public var runLabels: [String] {
        switch self {
        case let .finalLossBelow(run, _), let .finalLossAbove(run, _), let .diverges(run, _), let .endsNear(run, _, _): [run]
        case let .faster(run, than, _): [run, than]
        }
    }

    /// The same check with its runs renamed (`names[old] = new`; others kept).
    public func renamed(_ names: [String: String]) -> Expectation {
        func n(_ label: String) -> String { names[label] ?? label }
        switch self {
        case let .finalLossBelow(run, bound): return .finalLossBelow(run: n(run), bound: bound)
        case let .finalLossAbove(run, bound): return .finalLossAbove(run: n(run), bound: bound)
        case let .diverges(run, value): return .diverges(run: n(run), diverges: value)
        case let .endsNear(run, point, tolerance): return .endsNear(run: n(run), point: point, tolerance: tolerance)
        case let .faster(run, than, loss): return .faster(run: n(run), than: n(than), toLoss: loss)
        }
    }
}
