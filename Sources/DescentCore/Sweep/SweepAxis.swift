import Foundation

/// A sweep varies numeric fields of the hyperparameter table (`HyperparameterField.numeric`).
extension HyperparameterField {
    /// `hyperparameters` with this numeric field set to `value`.
    public func setting(_ value: Double, in hyperparameters: SGDHyperparameters) -> SGDHyperparameters {
        setting(.number(value), in: hyperparameters)
    }
}

/// One axis of a sweep: `lr=1e-4:1:log:200` is 200 values of lr from 1e-4 to 1, evenly spaced in log.
///
/// Values: linear ones (`:lin`, the default) are `from + (to − from)·i/(count − 1)`, logarithmic ones (`:log`)
/// 10^(log₁₀ from + (log₁₀ to − log₁₀ from)·i/(count − 1)), each rounded to 12 significant digits: short to
/// read, and a last-bit difference between platforms' `pow` cannot change a cell. The ends are exact.
public struct SweepAxis: Sendable, Equatable {
    public let field: HyperparameterField
    public let from: Double, to: Double
    public let logarithmic: Bool
    public private(set) var values: [Double]

    /// The most values one axis may have.
    public static let maximumCount = 100_000

    public init(field: HyperparameterField, from: Double, to: Double, count: Int, logarithmic: Bool) {
        self.field = field; self.from = from; self.to = to; self.logarithmic = logarithmic
        values = (0..<count).map { i in
            if count == 1 { return from }
            if i == 0 { return from }
            if i == count - 1 { return to }
            let t = Double(i) / Double(count - 1)
            // Rounded to 12 significant digits, so 0.022 is written 0.022, not 0.022000000000000002.
            if !logarithmic { let raw = from + (to - from) * t; return Double(String(format: "%.11e", raw)) ?? raw }
            let a = log10(from), b = log10(to)
            let raw = pow(10, a + (b - a) * t)
            return Double(String(format: "%.11e", raw)) ?? raw
        }
    }

    /// Parses `NAME=FROM:TO[:log|:lin]:COUNT` (the scale, in any case, may come anywhere after TO).
    ///
    /// - Parameter flag: the option's name, for errors (`--x`).
    public init(parsing text: String, flag: String) throws(InputError) {
        func fail(_ why: String) -> InputError {
            InputError(field: flag, message: "\(why) in '\(text)'; expected NAME=FROM:TO[:log]:COUNT with NAME one of \(HyperparameterField.numeric.map(\.name).joined(separator: ", ")), e.g. lr=1e-4:1:log:200")
        }
        let parts = text.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { throw fail("no '='") }
        guard let field = HyperparameterField(rawValue: parts[0].trimmingCharacters(in: .whitespaces)), field.type == .number else {
            throw fail("'\(parts[0])' is not a hyperparameter a sweep can vary")
        }
        var tokens = parts[1].split(separator: ":", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        var logarithmic = false
        if let scale = tokens.firstIndex(where: { $0.lowercased() == "log" || $0.lowercased() == "lin" }) {
            logarithmic = tokens[scale].lowercased() == "log"
            tokens.remove(at: scale)
        }
        guard tokens.count == 3 else { throw fail("\(tokens.count) numbers where FROM, TO and COUNT are needed") }
        guard let from = Double(tokens[0]), from.isFinite else { throw fail("FROM '\(tokens[0])' is not a finite number") }
        guard let to = Double(tokens[1]), to.isFinite else { throw fail("TO '\(tokens[1])' is not a finite number") }
        guard let count = Int(tokens[2]), (1...Self.maximumCount).contains(count) else {
            throw fail("COUNT '\(tokens[2])' is not a whole number from 1 to \(Self.maximumCount)")
        }
        if logarithmic && !(from > 0 && to > 0) { throw fail("a log axis needs FROM and TO above 0") }
        self.init(field: field, from: from, to: to, count: count, logarithmic: logarithmic)
    }

    public var count: Int { values.count }

    /// This axis with value `index` replaced (a run's own setting put on the grid exactly).
    public func replacing(_ index: Int, with value: Double) -> SweepAxis {
        var copy = self
        copy.values[index] = value
        return copy
    }

    /// `lr=0.0001:1:log:200`, which parses back to this axis.
    public var text: String {
        "\(field.rawValue)=\(from):\(to)\(logarithmic ? ":log" : ""):\(count)"
    }
}

/// What a sweep reports per cell.
public enum SweepMetric: Sendable, Equatable {
    /// f after the steps (at the step it diverged, for a run that did).
    case finalLoss
    /// The first step with f ≤ the target (f ≥ it for a maximizing run; 0 if the start is); none if never.
    case stepsTo(Double)
    /// (‖g_N‖/‖g_h‖)^(1/(N − h)), h = ⌊N/2⌋, g = ±∇f + weight_decay·θ: the mean factor per step over
    /// the second half of the run; inf if it diverged, none with no steps.
    case rate
    /// The step at which the run diverged; none if it did not.
    case diverged

    public init(parsing text: String) throws(InputError) {
        switch text {
        case "final-loss": self = .finalLoss
        case "rate": self = .rate
        case "diverged": self = .diverged
        default:
            if text.hasPrefix("steps-to="), let target = Double(text.dropFirst("steps-to=".count)), !target.isNaN {
                self = .stepsTo(target)
            } else {
                throw InputError(field: "--metric", message: "'\(text)' is not a metric; use final-loss, steps-to=LOSS (e.g. steps-to=1e-6), rate or diverged")
            }
        }
    }

    /// The CSV column name.
    public var column: String {
        switch self {
        case .finalLoss: "final_loss"
        case .stepsTo: "steps_to"
        case .rate: "rate"
        case .diverged: "diverged_at"
        }
    }

    public var text: String {
        switch self {
        case .finalLoss: "final-loss"
        case .stepsTo(let target): "steps-to=\(target)"
        case .rate: "rate"
        case .diverged: "diverged"
        }
    }
}

/// The K-th of N interleaved parts of a sweep: the cells whose index is K − 1 modulo N.
public struct Shard: Sendable, Equatable {
    public let index: Int, count: Int

    public init(index: Int, count: Int) { self.index = index; self.count = count }

    /// Parses `K/N` with 1 ≤ K ≤ N.
    public init(parsing text: String) throws(InputError) {
        let parts = text.split(separator: "/").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let k = parts[0], let n = parts[1], n >= 1, (1...n).contains(k) else {
            throw InputError(field: "--shard", message: "'\(text)' is not K/N with 1 ≤ K ≤ N (e.g. 3/8)")
        }
        self.init(index: k, count: n)
    }

    public func contains(_ cell: Int) -> Bool { cell % count == index - 1 }
}
