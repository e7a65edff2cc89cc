/// A change made to a run while a session was going, at the run's own step count: what the explorer
/// records and `w` writes as `events:`, and what `descent run` replays.
///
/// `{step: 120, run: nesterov, set: {lr: 0.01}}` new hyperparameters (only those given),
/// `{step: 80, run: a, reset: true}` back to the start, `{step: 40, run: a, start: [1, 2]}` a new start
/// (and a reset), `{step: 40, run: a, copy: "a (2)"}` a new run, a copy of this one as it stands (its
/// state, its settings), `{step: 90, run: a, delete: true}` the run ends there. Events apply in the file's
/// order; each run's must come at steps it reaches (after a reset its count starts again from 0).
public struct RunEvent: Equatable, Sendable {
    public enum Action: Equatable, Sendable {
        case set(HyperparameterPatch)
        case reset
        case start([Double])
        case copy(label: String)
        case delete
    }

    public var step: Int
    public var run: String
    public var action: Action
    /// For a `copy`: the style (glyph and colour) the new run is drawn in, as `RunSpec.style`.
    public var style: Int?

    public init(step: Int, run: String, action: Action, style: Int? = nil) {
        self.step = step; self.run = run; self.action = action; self.style = style
    }
}

/// Some of a run's hyperparameters, as `set:` gives them: fields of the hyperparameter table with values.
public struct HyperparameterPatch: Equatable, Sendable, Decodable {
    public var values: [HyperparameterField: HyperparameterField.Value] = [:]

    public init() {}

    public subscript(field: HyperparameterField) -> HyperparameterField.Value? {
        get { values[field] }
        set { values[field] = newValue }
    }

    /// The lr given, if any (with a schedule it scales the schedule's base, `SGD.setLR`).
    public var lr: Double? {
        get { if case .number(let v)? = values[.lr] { v } else { nil } }
        set { values[.lr] = newValue.map(HyperparameterField.Value.number) }
    }

    /// The fields in which `new` differs from `old`.
    public init(from old: SGDHyperparameters, to new: SGDHyperparameters) {
        for field in HyperparameterField.allCases where field.value(in: new) != field.value(in: old) {
            values[field] = field.value(in: new)
        }
    }

    public var isEmpty: Bool { values.isEmpty }

    public func applied(to h: SGDHyperparameters) -> SGDHyperparameters {
        var h = h
        for field in HyperparameterField.allCases { if let value = values[field] { h = field.setting(value, in: h) } }
        return h
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(HyperparameterField.allCases.map(\.name))
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        for field in HyperparameterField.allCases {
            if let value = try HyperparameterField.Value.decode(field, from: c) { values[field] = value }
        }
    }

    /// (key, YAML text) pairs, for writing, in the table's order.
    var fields: [(String, String)] {
        HyperparameterField.allCases.compactMap { field in values[field].map { (field.name, HyperparameterField.written($0)) } }
    }
}

extension RunEvent: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case step, run, set, reset, start, copy, delete, style }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Keys.self)
        let c = try decoder.container(keyedBy: Keys.self)
        step = try c.decode(Int.self, forKey: .step)
        run = try c.decode(String.self, forKey: .run)
        let given = [Keys.set, .reset, .start, .copy, .delete].filter { c.contains($0) }
        guard given.count == 1 else {
            throw DecodingError.dataCorrupted(.init(codingPath: c.codingPath, debugDescription:
                "needs exactly one of set, reset, start, copy, delete (got \(given.isEmpty ? "none" : given.map(\.stringValue).joined(separator: ", ")))"))
        }
        style = try c.decodeIfPresent(Int.self, forKey: .style)
        if style != nil && given[0] != .copy {
            throw DecodingError.dataCorruptedError(forKey: .style, in: c, debugDescription: "is the style of a copy: it goes with copy")
        }
        switch given[0] {
        case .set: action = .set(try c.decode(HyperparameterPatch.self, forKey: .set))
        case .reset:
            guard try c.decode(Bool.self, forKey: .reset) else {
                throw DecodingError.dataCorruptedError(forKey: .reset, in: c, debugDescription: "must be true (leave the event out otherwise)")
            }
            action = .reset
        case .start: action = .start(try c.decode([Double].self, forKey: .start))
        case .copy: action = .copy(label: try c.decode(String.self, forKey: .copy))
        default:
            guard try c.decode(Bool.self, forKey: .delete) else {
                throw DecodingError.dataCorruptedError(forKey: .delete, in: c, debugDescription: "must be true (leave the event out otherwise)")
            }
            action = .delete
        }
    }

    /// The flow-mapping fields `w` writes.
    var fields: [(String, String)] {
        var out = [("step", "\(step)"), ("run", Scenario.quoted(run))]
        switch action {
        case .set(let patch): out.append(("set", "{" + patch.fields.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}"))
        case .reset: out.append(("reset", "true"))
        case .start(let point): out.append(("start", "[" + point.map(NumberFormat.file).joined(separator: ", ") + "]"))
        case .copy(let label):
            out.append(("copy", Scenario.quoted(label)))
            if let style { out.append(("style", "\(style)")) }
        case .delete: out.append(("delete", "true"))
        }
        return out
    }
}
