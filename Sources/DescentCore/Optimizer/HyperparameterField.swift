import Foundation

/// The one table of SGD's hyperparameters, under PyTorch's names: for each field its type, default, help,
/// command-line flag, the explorer's grid for ←/→, how a typed value is read and how it is shown.
///
/// The YAML keys of a run and of an event's `set:`, what `w` writes, the CLI's flags and their help, the
/// explorer's rows, the sweep's axes and the help text all come from here. To add a hyperparameter: a case
/// here, a stored property in `SGDHyperparameters` (what a step reads), and its rule in `validate()`.
public enum HyperparameterField: String, CaseIterable, Sendable, Hashable {
    case lr, momentum, dampening
    case weightDecay = "weight_decay"
    case nesterov, maximize, update, convention

    /// The name a file, the screen and torch use.
    public var name: String { rawValue }

    /// The command-line flag that sets it over every run.
    public var flag: String { "--" + rawValue.replacingOccurrences(of: "_", with: "-") }

    /// A value of a field: a number, a flag, or one of named choices.
    public enum Value: Equatable, Sendable, Hashable {
        case number(Double)
        case flag(Bool)
        case choice(String)
    }

    /// The kinds of value, with a choice field's names in order.
    public enum ValueType: Equatable, Sendable {
        case number, flag
        case choice([String])
    }

    public var type: ValueType {
        switch self {
        case .lr, .momentum, .dampening, .weightDecay: .number
        case .nesterov, .maximize: .flag
        case .update: .choice(UpdateRule.allCases.map(\.rawValue))
        case .convention: .choice(MomentumConvention.allCases.map(\.rawValue))
        }
    }

    /// One line of help, for the CLI and README.
    public var help: String {
        switch self {
        case .lr: "Learning rate."
        case .momentum: "Momentum factor."
        case .dampening: "Dampening for momentum."
        case .weightDecay: "Weight decay (L2 penalty), torch's weight_decay."
        case .nesterov: "Use Nesterov momentum."
        case .maximize: "Maximize the objective instead of minimizing."
        case .update: "Update rule (sign: AutoRound's SignSGD)."
        case .convention: "Where lr enters momentum (pytorch: torch's; sutskever: inside the buffer)."
        }
    }

    /// torch's default (lr has none in torch; a run must give it, and Descent's fallback is only for tables).
    public var defaultValue: Value { value(in: SGDHyperparameters(lr: 0)) }

    /// The numeric fields: what a sweep may vary.
    public static var numeric: [HyperparameterField] { allCases.filter { $0.type == .number } }

    public func value(in h: SGDHyperparameters) -> Value {
        switch self {
        case .lr: .number(h.lr)
        case .momentum: .number(h.momentum)
        case .dampening: .number(h.dampening)
        case .weightDecay: .number(h.weightDecay)
        case .nesterov: .flag(h.nesterov)
        case .maximize: .flag(h.maximize)
        case .update: .choice(h.update.rawValue)
        case .convention: .choice(h.convention.rawValue)
        }
    }

    /// `h` with this field set to `value`; a value of the wrong type, or a choice not among the field's,
    /// leaves `h` as it was (the readers below only make valid ones).
    public func setting(_ value: Value, in h: SGDHyperparameters) -> SGDHyperparameters {
        var h = h
        switch (self, value) {
        case (.lr, .number(let v)): h.lr = v
        case (.momentum, .number(let v)): h.momentum = v
        case (.dampening, .number(let v)): h.dampening = v
        case (.weightDecay, .number(let v)): h.weightDecay = v
        case (.nesterov, .flag(let v)): h.nesterov = v
        case (.maximize, .flag(let v)): h.maximize = v
        case (.update, .choice(let v)): h.update = UpdateRule(rawValue: v) ?? h.update
        case (.convention, .choice(let v)): h.convention = MomentumConvention(rawValue: v) ?? h.convention
        default: break
        }
        return h
    }

    /// A numeric field's value (nil for the others).
    public func number(in h: SGDHyperparameters) -> Double? {
        if case .number(let v) = value(in: h) { v } else { nil }
    }

    /// The value as a file writes it: numbers in the shortest round-trip form, flags `true`/`false`.
    public static func written(_ value: Value) -> String {
        switch value {
        case .number(let v): NumberFormat.file(v)
        case .flag(let v): v ? "true" : "false"
        case .choice(let v): v
        }
    }

    /// The value as the explorer's panel shows it (numbers to 6 significant digits).
    public func display(_ h: SGDHyperparameters) -> String {
        switch value(in: h) {
        case .number(let v): NumberFormat.short(v)
        case .flag(let v): v ? "true" : "false"
        case .choice(let v): v
        }
    }

    /// What a typed value may be, for the message when it is not one.
    public var valueHint: String {
        switch type {
        case .number: "a number such as 0.01 or 1e-3"
        case .flag: "true or false"
        case .choice(let names): names.joined(separator: " or ")
        }
    }

    /// Reads a typed or command-line value (numbers as Swift reads them; flags true/false/1/0/on/off;
    /// choices by name, in any case); nil when it is not one.
    public func read(_ text: String) -> Value? {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch type {
        case .number: return Double(t).map(Value.number)
        case .flag: return ["true": true, "false": false, "1": true, "0": false, "on": true, "off": false][t].map(Value.flag)
        case .choice(let names): return names.contains(t) ? .choice(t) : nil
        }
    }

    /// `h` with a typed value for this field; nil when the text is not one.
    public func parsed(_ text: String, into h: SGDHyperparameters) -> SGDHyperparameters? {
        read(text).map { setting($0, in: h) }
    }

    /// One notch of `←` (direction −1) or `→` (+1), without drift: `←` undoes `→` exactly.
    ///
    /// lr and weight_decay move on a log grid of short values (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 in each
    /// decade; weight_decay goes 1e-4 ↔ 0 at the bottom); momentum and dampening on whole hundredths that
    /// are multiples of 0.05 in [0, 1], computed with integers. A typed value off the grid moves to the
    /// nearest grid value in the arrow's direction. Flags toggle; choices go round.
    public func adjusted(_ h: SGDHyperparameters, direction: Int) -> SGDHyperparameters {
        switch (self, value(in: h)) {
        case (.lr, .number(let v)): return setting(.number(ValueGrid.logStep(v, direction: direction, floor: 1e-8, zeroBelow: false)), in: h)
        case (.weightDecay, .number(let v)): return setting(.number(ValueGrid.logStep(v, direction: direction, floor: 1e-4, zeroBelow: true)), in: h)
        case (_, .number(let v)): return setting(.number(ValueGrid.hundredthsStep(v, direction: direction)), in: h)
        case (_, .flag(let v)): return setting(.flag(!v), in: h)
        case (_, .choice(let v)):
            guard case .choice(let names) = type, let i = names.firstIndex(of: v) else { return h }
            let next = (i + (direction >= 0 ? 1 : names.count - 1)) % names.count
            return setting(.choice(names[next]), in: h)
        }
    }
}

extension HyperparameterField.Value {
    /// How the value reads from a file: a number, true or false, or a choice's name.
    static func decode(_ field: HyperparameterField, from c: KeyedDecodingContainer<AnyCodingKey>) throws -> Self? {
        let key = AnyCodingKey(stringValue: field.name)
        // `null` (or `~`) is the field left out.
        guard c.contains(key), try !c.decodeNil(forKey: key) else { return nil }
        switch field.type {
        case .number: return .number(try c.decode(Double.self, forKey: key))
        case .flag: return .flag(try c.decode(Bool.self, forKey: key))
        case .choice(let names):
            let text = try c.decode(String.self, forKey: key)
            guard names.contains(text) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c,
                    debugDescription: "must be \(names.joined(separator: " or ")), got '\(text)'")
            }
            return .choice(text)
        }
    }
}

extension SGDHyperparameters {
    /// The fields that differ from torch's defaults, in the table's order, each as a file writes it; lr always.
    public var writtenFields: [(String, String)] {
        HyperparameterField.allCases.compactMap { field in
            let value = field.value(in: self)
            guard field == .lr || value != field.defaultValue else { return nil }
            return (field.name, HyperparameterField.written(value))
        }
    }

    /// Reads a run's hyperparameters from its mapping: `lr` is required, the others default to torch's.
    static func decode(from decoder: any Decoder) throws -> SGDHyperparameters {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        var h = SGDHyperparameters(lr: try c.decode(Double.self, forKey: AnyCodingKey(stringValue: "lr")))
        for field in HyperparameterField.allCases where field != .lr {
            if let value = try HyperparameterField.Value.decode(field, from: c) { h = field.setting(value, in: h) }
        }
        return h
    }
}
