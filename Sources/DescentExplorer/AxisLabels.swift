import Foundation

/// Numbers for the axes of the landscape and the loss chart.
extension ExplorerState {
    /// Three significant digits, plain between 0.001 and 10⁵ (whole from 1000), else `1.5e8`, `-2e-5`:
    /// at most 7 characters, for the tick labels.
    static func axisNumber(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude >= 1000 && magnitude < 1e5 { return String(format: "%.0f", value) }
        if magnitude == 0 || (magnitude >= 1e-3 && magnitude < 1e5) { return String(format: "%.3g", value) }
        for digits in [2, 1] {
            var text = String(format: "%.\(digits)e", value)
            text = text.replacingOccurrences(of: "e+", with: "e").replacingOccurrences(of: "e0", with: "e")
                .replacingOccurrences(of: "e-0", with: "e-")
            if let e = text.firstIndex(of: "e") {
                var mantissa = String(text[..<e])
                while mantissa.contains("."), mantissa.hasSuffix("0") { mantissa.removeLast() }
                if mantissa.hasSuffix(".") { mantissa.removeLast() }
                text = mantissa + text[e...]
            }
            if text.count <= 7 { return text }
        }
        return value > 0 ? "big" : "-big"
    }

    /// Both ends of an axis range, with enough digits to tell them apart when zoomed in far.
    static func axisRange(_ low: Double, _ high: Double) -> (String, String) {
        var digits = 3
        while digits < 15 {
            let a = String(format: "%.\(digits)g", low), b = String(format: "%.\(digits)g", high)
            if a != b { return digits == 3 ? (axisNumber(low), axisNumber(high)) : (a, b) }
            digits += 1
        }
        return (String(format: "%.15g", low), String(format: "%.15g", high))
    }
}
