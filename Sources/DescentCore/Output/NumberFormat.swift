import Foundation

/// Every number Descent shows or writes, as text: one family, one rule for what is not finite.
///
/// The rule: NaN is `nan` whatever its sign or payload (C's printf and Swift's description say `-nan` for a
/// NaN with its sign bit set, which a sum of infinities makes), infinities are `inf` and `-inf`, in every form
/// below and in every output (terminal, CSV, JSON's strings, YAML, SVG). JSON has no such numbers and writes
/// `null` for them; that is its writer's choice, not a spelling here.
///
/// The forms, from most to fewest digits:
/// - `exact`: the shortest decimal that reads back to the same Double (Swift's), for CSV, JSON and tables of record;
/// - `file`: `exact`, but whole numbers below 10¹⁵ without `.0` (`lr: 1`), for scenario files;
/// - `short`: six significant digits, printf's `%g` with the exponent's leading zeros dropped (`1e-05` → `1e-5`),
///   for the hyperparameter panel and status lines;
/// - `readable`: six significant digits, fixed between 10⁻⁴ and 10⁶ and `1.23457e-7` outside, for summaries;
/// - `axis`: three significant digits in at most 7 characters, for tick labels.
public enum NumberFormat {
    /// `nan`, `inf` or `-inf`; nil for a finite value.
    @inline(__always)
    public static func nonFinite(_ value: Double) -> String? {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        return nil
    }

    public static func exact(_ value: Double) -> String { nonFinite(value) ?? "\(value)" }

    /// `exact` straight into a byte buffer, with no String between (the streaming writers).
    @inline(__always)
    static func write(_ value: Double, to buffer: inout ByteBuffer) {
        // One test for the common case: a finite number goes straight to Swift's shortest form.
        if value.isFinite { value.write(to: &buffer) } else { buffer.write(nonFinite(value)!) }
    }

    public static func file(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return exact(value)
    }

    public static func short(_ value: Double) -> String {
        if let text = nonFinite(value) { return text }
        var text = String(format: "%.6g", value)
        if text.contains("e") {
            text = text.replacingOccurrences(of: "e-0", with: "e-").replacingOccurrences(of: "e+0", with: "e+")
        }
        return text
    }

    public static func readable(_ value: Double) -> String {
        if let text = nonFinite(value) { return text }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e-4 && magnitude < 1e6 {
            var text = String(format: "%.6g", value)
            if text.contains("e") { text = String(format: "%.6f", value) }
            return text
        }
        return String(format: "%.5e", value).replacingOccurrences(of: "e-0", with: "e-").replacingOccurrences(of: "e+0", with: "e+")
    }

    /// Three significant digits, plain between 0.001 and 10⁵ (whole from 1000), else `1.5e8`, `-2e-5`:
    /// at most 7 characters.
    public static func axis(_ value: Double) -> String {
        if let text = nonFinite(value) { return text }
        let magnitude = abs(value)
        if magnitude >= 1000 && magnitude < 1e5 { return String(format: "%.0f", value) }
        if magnitude == 0 || (magnitude >= 1e-3 && magnitude < 1e5) { return String(format: "%.3g", value) }
        for digits in [2, 1, 0] {
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
        return magnitude < 1 ? (value > 0 ? "tiny" : "-tiny") : (value > 0 ? "big" : "-big")
    }

    /// Both ends of an axis range, with enough digits to tell them apart when zoomed in far.
    public static func axisRange(_ low: Double, _ high: Double) -> (String, String) {
        var digits = 3
        while digits < 15 {
            let a = String(format: "%.\(digits)g", low), b = String(format: "%.\(digits)g", high)
            if a != b { return digits == 3 ? (axis(low), axis(high)) : (a, b) }
            digits += 1
        }
        return (String(format: "%.15g", low), String(format: "%.15g", high))
    }
}
