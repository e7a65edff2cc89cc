/// A run's `schedule:` in a scenario file, one place for its keys, defaults, reading and writing.
///
/// `{kind: step, step_size, gamma}` (StepLR, gamma 0.1), `{kind: multistep, milestones, gamma}` (MultiStepLR,
/// gamma 0.1), `{kind: exponential, gamma}` (ExponentialLR), `{kind: cosine, t_max, eta_min}`
/// (CosineAnnealingLR, eta_min 0), `{kind: linear-warmup, steps, start_factor, end_factor}` (LinearLR with
/// total_iters = steps; start_factor 1/3, end_factor 1). Defaults are torch's.
extension LRScheduleKind: Decodable {
    /// Each kind with its keys (besides `kind`), for errors, `descent objectives` and the README.
    public static let catalogue: [(kind: String, keys: [String], torch: String)] = [
        ("step", ["step_size", "gamma"], "StepLR(step_size, gamma = 0.1)"),
        ("multistep", ["milestones", "gamma"], "MultiStepLR(milestones, gamma = 0.1)"),
        ("exponential", ["gamma"], "ExponentialLR(gamma)"),
        ("cosine", ["t_max", "eta_min"], "CosineAnnealingLR(T_max = t_max, eta_min = 0)"),
        ("linear-warmup", ["steps", "start_factor", "end_factor"], "LinearLR(start_factor = 1/3, end_factor = 1, total_iters = steps)"),
    ]

    enum Keys: String, CodingKey {
        case kind, gamma, milestones
        case stepSize = "step_size", tMax = "t_max", etaMin = "eta_min"
        case steps, startFactor = "start_factor", endFactor = "end_factor"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        let kind = try c.decode(String.self, forKey: .kind)
        guard let entry = Self.catalogue.first(where: { $0.kind == kind }) else {
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription:
                "unknown schedule '\(kind)' (expected one of: \(Self.catalogue.map(\.kind).joined(separator: ", ")))")
        }
        try decoder.rejectUnknownKeys(["kind"] + entry.keys)
        switch kind {
        case "step":
            self = .step(stepSize: try c.decode(Int.self, forKey: .stepSize), gamma: try c.decodeIfPresent(Double.self, forKey: .gamma) ?? 0.1)
        case "multistep":
            self = .multistep(milestones: try c.decode([Int].self, forKey: .milestones), gamma: try c.decodeIfPresent(Double.self, forKey: .gamma) ?? 0.1)
        case "exponential":
            self = .exponential(gamma: try c.decode(Double.self, forKey: .gamma))
        case "cosine":
            self = .cosine(tMax: try c.decode(Int.self, forKey: .tMax), etaMin: try c.decodeIfPresent(Double.self, forKey: .etaMin) ?? 0)
        default:
            self = .linearWarmup(steps: try c.decodeIfPresent(Int.self, forKey: .steps) ?? 5,
                                 startFactor: try c.decodeIfPresent(Double.self, forKey: .startFactor) ?? 1.0 / 3,
                                 endFactor: try c.decodeIfPresent(Double.self, forKey: .endFactor) ?? 1)
        }
    }

    /// The keys and values `w` writes, as (key, YAML text) pairs, `kind` first; reads back equal.
    public var fields: [(String, String)] {
        let n = NumberFormat.file
        switch self {
        case let .step(stepSize, gamma): return [("kind", "step"), ("step_size", "\(stepSize)"), ("gamma", n(gamma))]
        case let .multistep(milestones, gamma):
            return [("kind", "multistep"), ("milestones", "[" + milestones.map(String.init).joined(separator: ", ") + "]"), ("gamma", n(gamma))]
        case let .exponential(gamma): return [("kind", "exponential"), ("gamma", n(gamma))]
        case let .cosine(tMax, etaMin): return [("kind", "cosine"), ("t_max", "\(tMax)"), ("eta_min", n(etaMin))]
        case let .linearWarmup(steps, start, end):
            return [("kind", "linear-warmup"), ("steps", "\(steps)"), ("start_factor", n(start)), ("end_factor", n(end))]
        }
    }

    /// `cosine(t_max 150, eta_min 0.001)`: one line for the panel and the table.
    public var summary: String {
        let body = fields.dropFirst().map { "\($0.0) \($0.1)" }.joined(separator: ", ")
        return "\(name)(\(body))"
    }
}
