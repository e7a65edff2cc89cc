import Foundation

/// The `objective:` mapping of a scenario file, before it is built into an `Objective`: its kind and the
/// values of that kind's keys, as given (a key left out takes the kind's default when it is built).
///
/// What each key means, and how the objective is built from them, is the kind's (`ObjectiveKind`).
public struct ObjectiveSpec: Decodable, Equatable, Sendable {
    public var kind: String
    public var values: [String: ObjectiveValue]

    public init(kind: String, _ values: [String: ObjectiveValue] = [:]) {
        self.kind = kind; self.values = values
    }

    /// The kind's description; nil for a name no kind has (which decoding refuses).
    public var descriptor: (any ObjectiveKind.Type)? { ObjectiveRegistry.kind(named: kind) }

    public subscript(key: String) -> ObjectiveValue? {
        get { values[key] }
        set { values[key] = newValue }
    }

    public func number(_ key: String) -> Double? { if case .number(let v)? = values[key] { v } else { nil } }
    public func numbers(_ key: String) -> [Double]? { if case .numbers(let v)? = values[key] { v } else { nil } }
    public func matrix(_ key: String) -> [[Double]]? { if case .matrix(let v)? = values[key] { v } else { nil } }
    public func text(_ key: String) -> String? {
        switch values[key] { case .text(let v)?, .path(let v)?: v; default: nil }
    }
    public func names(_ key: String) -> [String]? { if case .names(let v)? = values[key] { v } else { nil } }
    public func count(_ key: String) -> Int? { if case .count(let v)? = values[key] { v } else { nil } }
    public func seed(_ key: String) -> UInt64? { if case .seed(let v)? = values[key] { v } else { nil } }
    public func synthetic(_ key: String) -> SyntheticData? { if case .synthetic(let v)? = values[key] { v } else { nil } }

    /// A data-driven kind's minibatch size for every run (all samples when nil).
    public var batchSize: Int? { count("batch_size") }
    /// A data-driven kind's minibatch shuffle seed for every run (0 when nil).
    public var seed: UInt64? { seed("seed") }

    /// The file paths among the values, by key: what is rewritten when a scenario is saved elsewhere.
    public var paths: [(key: String, path: String)] {
        values.compactMap { key, value in if case .path(let p) = value { (key, p) } else { nil } }.sorted { $0.key < $1.key }
    }

    /// The spec with every file path rewritten by `transform` (for a scenario saved in another folder).
    public func mappingPaths(_ transform: (String) -> String) -> ObjectiveSpec {
        var copy = self
        for (key, path) in paths { copy.values[key] = .path(transform(path)) }
        return copy
    }

    /// The most numbers generated data may hold (samples × (features + 1)): 400 MB of Float64, so a typo
    /// like `samples: 1000000000000` is a clear error, not an allocation failure.
    public static let maximumDataValues = 50_000_000
    /// The largest quadratic: 4096² entries are 134 MB, and one step a few tens of milliseconds.
    public static let maximumMatrixDimension = 4096

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        let kindKey = AnyCodingKey(stringValue: "kind")
        kind = try c.decode(String.self, forKey: kindKey)
        guard let descriptor = ObjectiveRegistry.kind(named: kind) else {
            throw DecodingError.dataCorruptedError(
                forKey: kindKey, in: c,
                debugDescription: "unknown objective '\(kind)' (known: \(ObjectiveRegistry.names.joined(separator: ", ")))")
        }
        try decoder.rejectUnknownKeys(["kind"] + descriptor.keys.map(\.name))
        values = [:]
        let fastMatrices = decoder.userInfo[FastNumber.matrixKey] as? [String: [[Double]]] ?? [:]
        for key in descriptor.keys {
            let k = AnyCodingKey(stringValue: key.name)
            // `null` (or `~`) is a key left out, as everywhere in a scenario.
            guard c.contains(k), try !c.decodeNil(forKey: k) else { continue }
            let value: ObjectiveValue
            switch key.type {
            case .number: value = .number(try c.decode(Double.self, forKey: k))
            case .numbers: value = .numbers(try c.decode([Double].self, forKey: k))
            case .matrix:
                value = .matrix(try fastMatrices[key.name] ?? c.decode([[FastNumber]].self, forKey: k).map { $0.map(\.value) })
            case .points: value = .matrix(try c.decode([[Double]].self, forKey: k))
            case .text: value = .text(try c.decode(String.self, forKey: k))
            case .path: value = .path(try c.decode(String.self, forKey: k))
            case .names: value = .names(try c.decode([String].self, forKey: k))
            case .count: value = .count(try c.decode(Int.self, forKey: k))
            case .seed: value = .seed(try c.decode(UInt64.self, forKey: k))
            case .synthetic: value = .synthetic(try c.decode(SyntheticData.self, forKey: k))
            }
            values[key.name] = value
        }
    }

    /// The mapping's fields as `yamlText` writes them: `kind` first, then the kind's keys in its order.
    var writtenFields: [(String, String)] {
        var fields = [("kind", kind)]
        for key in descriptor?.keys ?? [] {
            guard let value = values[key.name] else { continue }
            let text: String
            switch value {
            case .number(let v): text = NumberFormat.file(v)
            case .numbers(let v): text = Scenario.list(v)
            case .matrix(let m): text = "[" + m.map(Scenario.list).joined(separator: ", ") + "]"
            case .text(let t), .path(let t): text = Scenario.quoted(t)
            case .names(let v): text = "[" + v.map(Scenario.quoted).joined(separator: ", ") + "]"
            case .count(let n): text = "\(n)"
            case .seed(let n): text = "\(n)"
            case .synthetic(let s):
                text = Scenario.flow([
                    ("samples", "\(s.samples)"), ("weights", Scenario.list(s.weights)), ("bias", NumberFormat.file(s.bias)),
                    ("noise", NumberFormat.file(s.noise)), ("seed", "\(s.seed)"),
                ])
            }
            fields.append((key.name, text))
        }
        return fields
    }
}

/// `synthetic: {samples, weights, bias, noise, seed}`: regression data from Descent's seeded generator.
public struct SyntheticData: Decodable, Equatable, Sendable {
    public var samples: Int
    public var weights: [Double]
    public var bias: Double
    public var noise: Double
    public var seed: UInt64

    public init(samples: Int, weights: [Double], bias: Double = 0, noise: Double = 0, seed: UInt64 = 0) {
        self.samples = samples; self.weights = weights; self.bias = bias; self.noise = noise; self.seed = seed
    }

    enum CodingKeys: String, CodingKey, CaseIterable { case samples, weights, bias, noise, seed }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        samples = try c.decode(Int.self, forKey: .samples)
        weights = try c.decode([Double].self, forKey: .weights)
        bias = try c.decodeIfPresent(Double.self, forKey: .bias) ?? 0
        noise = try c.decodeIfPresent(Double.self, forKey: .noise) ?? 0
        seed = try c.decodeIfPresent(UInt64.self, forKey: .seed) ?? 0
    }
}

extension ObjectiveSpec {
    /// Builds the objective through its kind, checking every field against the start's dimension.
    ///
    /// - Parameters:
    ///   - dimension: the length of `start`.
    ///   - baseDirectory: where relative `data` paths are resolved (the scenario file's folder).
    /// - Throws: `InputError` naming the field under `objective.`.
    public func makeObjective(dimension: Int, baseDirectory: String) throws(InputError) -> any Objective {
        guard let descriptor else {
            throw InputError(field: "objective.kind", message: "unknown objective '\(kind)' (known: \(ObjectiveRegistry.names.joined(separator: ", ")))")
        }
        return try descriptor.build(self, dimension: dimension, baseDirectory: baseDirectory)
    }
}

/// The checks the kinds share when they build.
public enum ObjectiveChecks {
    public static func fail(_ field: String, _ message: String) -> InputError {
        InputError(field: field.isEmpty ? "objective" : "objective.\(field)", message: message)
    }

    public static func finite(_ values: [Double], _ field: String) throws(InputError) {
        if let bad = values.first(where: { !$0.isFinite }) { throw fail(field, "must be finite, got \(bad)") }
    }

    public static func dimension(_ dimension: Int, is n: Int, _ why: String) throws(InputError) {
        guard dimension == n else {
            throw InputError(field: "start", message: "has \(dimension) numbers; \(why) needs \(n)")
        }
    }
}
