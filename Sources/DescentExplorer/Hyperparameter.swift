import DescentCore
import Foundation

/// The hyperparameters of the control panel, in panel order, under PyTorch's names.
public enum Hyperparameter: String, CaseIterable, Sendable {
    case lr, momentum, dampening
    case weightDecay = "weight_decay"
    case nesterov, maximize, update

    /// The name shown on screen (torch's).
    public var name: String { rawValue }

    /// The value as shown in the panel.
    public func display(_ h: SGDHyperparameters) -> String {
        switch self {
        case .lr: Self.format(h.lr)
        case .momentum: Self.format(h.momentum)
        case .dampening: Self.format(h.dampening)
        case .weightDecay: Self.format(h.weightDecay)
        case .nesterov: h.nesterov ? "true" : "false"
        case .maximize: h.maximize ? "true" : "false"
        case .update: h.update.rawValue
        }
    }

    /// One notch of `←` (direction −1) or `→` (+1), without drift: `←` undoes `→` exactly.
    ///
    /// lr and weight_decay move on a log grid of short values (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 in each
    /// decade; weight_decay goes 1e-4 ↔ 0 at the bottom); momentum and dampening on whole hundredths that
    /// are multiples of 0.05 in [0, 1], computed with integers. A typed value off the grid moves to the
    /// nearest grid value in the arrow's direction. The booleans and `update` toggle.
    public func adjusted(_ h: SGDHyperparameters, direction: Int) -> SGDHyperparameters {
        var h = h
        switch self {
        case .lr: h.lr = Self.logGridStep(h.lr, direction: direction, floor: 1e-8, zeroBelow: false)
        case .weightDecay: h.weightDecay = Self.logGridStep(h.weightDecay, direction: direction, floor: 1e-4, zeroBelow: true)
        case .momentum: h.momentum = Self.hundredthsStep(h.momentum, direction: direction)
        case .dampening: h.dampening = Self.hundredthsStep(h.dampening, direction: direction)
        case .nesterov: h.nesterov.toggle()
        case .maximize: h.maximize.toggle()
        case .update: h.update = h.update == .sgd ? .sign : .sgd
        }
        return h
    }

    /// Mantissas of the log grid, in tenths: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8.
    static let gridMantissas = [10, 12, 15, 20, 25, 30, 40, 50, 60, 80]

    /// The grid value `mantissa/10 · 10^exponent`, parsed from its decimal text so it is the Double nearest that short value.
    static func gridValue(_ mantissa: Int, _ exponent: Int) -> Double {
        Double("\(mantissa)e\(exponent - 1)")!
    }

    /// The next log-grid value above (direction > 0) or below `value`; `floor` is the smallest, under which
    /// comes 0 when `zeroBelow`; 1000 is the largest.
    static func logGridStep(_ value: Double, direction: Int, floor: Double, zeroBelow: Bool) -> Double {
        let ceiling = 1000.0
        guard value.isFinite else { return value }
        if value <= 0 { return direction > 0 ? floor : value }
        if direction < 0 && value <= floor { return zeroBelow ? 0 : value }
        // Past the top of the grid, → leaves a typed value alone and ← comes back onto the grid.
        if value >= ceiling { return direction > 0 ? value : ceiling }
        let decade = Int(log10(value).rounded(.down))
        var candidates: [Double] = []
        for exponent in (decade - 1)...(decade + 1) {
            candidates += gridMantissas.map { gridValue($0, exponent) }
        }
        // A value within rounding of a grid value counts as on it.
        func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * b }
        let next = direction > 0
            ? candidates.first { $0 > value && !same(value, $0) }
            : candidates.last { $0 < value && !same(value, $0) }
        guard let next else { return value }
        return min(ceiling, max(floor, next))
    }

    /// The next multiple of 0.05 above (direction > 0) or below `value`, in [0, 1], as hundredths / 100.
    static func hundredthsStep(_ value: Double, direction: Int) -> Double {
        guard value.isFinite else { return value }
        // Outside [0, 1] (a typed value), the arrow away from the range leaves it alone; toward it, it comes back in.
        if value > 1 { return direction > 0 ? value : 1 }
        if value < 0 { return direction < 0 ? value : 0 }
        let scaled = value * 100
        let nearest = scaled.rounded()
        let onGrid = abs(scaled - nearest) < 1e-6 && Int(nearest) % 5 == 0
        var fives: Int
        if onGrid {
            fives = Int(nearest) / 5 + (direction > 0 ? 1 : -1)
        } else {
            fives = Int((scaled / 5).rounded(direction > 0 ? .up : .down))
        }
        fives = min(20, max(0, fives))
        return Double(fives * 5) / 100
    }

    /// What a typed value may be, for the message when it is not one.
    public var valueHint: String {
        switch self {
        case .lr, .momentum, .dampening, .weightDecay: "a number such as 0.01 or 1e-3"
        case .nesterov, .maximize: "true or false"
        case .update: "sgd or sign"
        }
    }

    /// Parses a typed value; nil when it is not one.
    public func parsed(_ text: String, into h: SGDHyperparameters) -> SGDHyperparameters? {
        var h = h
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        switch self {
        case .lr, .momentum, .dampening, .weightDecay:
            guard let value = Double(t) else { return nil }
            switch self {
            case .lr: h.lr = value
            case .momentum: h.momentum = value
            case .dampening: h.dampening = value
            default: h.weightDecay = value
            }
        case .nesterov, .maximize:
            guard let value = ["true": true, "false": false, "1": true, "0": false, "on": true, "off": false][t] else { return nil }
            if self == .nesterov { h.nesterov = value } else { h.maximize = value }
        case .update:
            guard let rule = UpdateRule(rawValue: t) else { return nil }
            h.update = rule
        }
        return h
    }

    /// Shortest form up to 6 significant digits: `0.03`, `1e-05`, `0.669421`.
    public static func format(_ value: Double) -> String {
        var text = String(format: "%.6g", value)
        if text.contains("e") {
            text = text.replacingOccurrences(of: "e-0", with: "e-").replacingOccurrences(of: "e+0", with: "e+")
        }
        return text
    }
}
