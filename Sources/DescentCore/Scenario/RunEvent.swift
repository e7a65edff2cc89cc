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

    public init(step: Int, run: String, action: Action) {
        self.step = step; self.run = run; self.action = action
    }
}

/// Some of a run's hyperparameters, as `set:` gives them.
public struct HyperparameterPatch: Equatable, Sendable, Decodable {
    public var lr: Double?, momentum: Double?, dampening: Double?, weightDecay: Double?
    public var nesterov: Bool?, maximize: Bool?, update: UpdateRule?, convention: MomentumConvention?

    public init() {}

    /// The fields in which `new` differs from `old`.
    public init(from old: SGDHyperparameters, to new: SGDHyperparameters) {
        if new.lr != old.lr { lr = new.lr }
        if new.momentum != old.momentum { momentum = new.momentum }
        if new.dampening != old.dampening { dampening = new.dampening }
        if new.weightDecay != old.weightDecay { weightDecay = new.weightDecay }
        if new.nesterov != old.nesterov { nesterov = new.nesterov }
        if new.maximize != old.maximize { maximize = new.maximize }
        if new.update != old.update { update = new.update }
        if new.convention != old.convention { convention = new.convention }
    }

    public var isEmpty: Bool { self == HyperparameterPatch() }

    public func applied(to h: SGDHyperparameters) -> SGDHyperparameters {
        var h = h
        if let lr { h.lr = lr }
        if let momentum { h.momentum = momentum }
        if let dampening { h.dampening = dampening }
        if let weightDecay { h.weightDecay = weightDecay }
        if let nesterov { h.nesterov = nesterov }
        if let maximize { h.maximize = maximize }
        if let update { h.update = update }
        if let convention { h.convention = convention }
        return h
    }

    typealias Keys = SGDHyperparameters.CodingKeys

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Keys.self)
        let c = try decoder.container(keyedBy: Keys.self)
        lr = try c.decodeIfPresent(Double.self, forKey: .lr)
        momentum = try c.decodeIfPresent(Double.self, forKey: .momentum)
        dampening = try c.decodeIfPresent(Double.self, forKey: .dampening)
        weightDecay = try c.decodeIfPresent(Double.self, forKey: .weightDecay)
        nesterov = try c.decodeIfPresent(Bool.self, forKey: .nesterov)
        maximize = try c.decodeIfPresent(Bool.self, forKey: .maximize)
        update = try c.decodeIfPresent(UpdateRule.self, forKey: .update)
        convention = try c.decodeIfPresent(MomentumConvention.self, forKey: .convention)
    }

    /// (key, YAML text) pairs, for writing.
    var fields: [(String, String)] {
        let n = Scenario.number
        var out: [(String, String)] = []
        if let lr { out.append(("lr", n(lr))) }
        if let momentum { out.append(("momentum", n(momentum))) }
        if let dampening { out.append(("dampening", n(dampening))) }
        if let weightDecay { out.append(("weight_decay", n(weightDecay))) }
        if let nesterov { out.append(("nesterov", "\(nesterov)")) }
        if let maximize { out.append(("maximize", "\(maximize)")) }
        if let update { out.append(("update", update.rawValue)) }
        if let convention { out.append(("convention", convention.rawValue)) }
        return out
    }
}

extension RunEvent: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case step, run, set, reset, start, copy, delete }

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
        case .start(let point): out.append(("start", "[" + point.map(Scenario.number).joined(separator: ", ") + "]"))
        case .copy(let label): out.append(("copy", Scenario.quoted(label)))
        case .delete: out.append(("delete", "true"))
        }
        return out
    }
}
