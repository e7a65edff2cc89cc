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

    /// One notch of `←` (direction −1) or `→` (+1): lr and weight_decay on a log scale
    /// (×10^0.1, 3 significant digits, 0 ↔ 1e-4 at the bottom), momentum and dampening by 0.05 in [0, 1],
    /// toggles for the booleans and `update`.
    public func adjusted(_ h: SGDHyperparameters, direction: Int) -> SGDHyperparameters {
        var h = h
        func logStep(_ value: Double) -> Double {
            if value <= 0 { return direction > 0 ? 1e-4 : 0 }
            let next = Self.round3(value * pow(10, 0.1 * Double(direction)))
            return direction < 0 && next < 1e-4 && self == .weightDecay ? 0 : next
        }
        func linearStep(_ value: Double) -> Double {
            min(1, max(0, ((value + 0.05 * Double(direction)) * 100).rounded() / 100))
        }
        switch self {
        case .lr: h.lr = logStep(h.lr)
        case .weightDecay: h.weightDecay = logStep(h.weightDecay)
        case .momentum: h.momentum = linearStep(h.momentum)
        case .dampening: h.dampening = linearStep(h.dampening)
        case .nesterov: h.nesterov.toggle()
        case .maximize: h.maximize.toggle()
        case .update: h.update = h.update == .sgd ? .sign : .sgd
        }
        return h
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

    static func round3(_ value: Double) -> Double {
        guard value > 0, value.isFinite else { return value }
        let magnitude = pow(10, floor(log10(value)) - 2)
        return (value / magnitude).rounded() * magnitude
    }
}
