/// Reads a decimal number from UTF-8 bytes, correctly rounded to the nearest Double (ties to even).
///
/// A plain decimal (`[+-]digits[.digits][(e|E)[+-]digits]`) with at most 19 significant digits and a
/// power of ten within ±19 of them is converted exactly in integer arithmetic: the digits w and 10^k as
/// 64-bit integers, w·10^k or w / 10^k to 128 bits, then rounded once to 53 bits with a sticky bit.
/// Everything else (more digits, larger exponents, `inf`, `infinity`, `nan`, any case) goes to Swift's
/// `Double(_:)`, which rounds the same way, only more slowly. The texts accepted are those both Python's
/// `float` and NumPy's `loadtxt` accept: no hexadecimal (`0x10`, which `Double(_:)` alone would read as 16),
/// no underscores, no non-ASCII digits.
public enum DecimalParser {
    private static let powersOfTen: [UInt64] = (0...19).map { k in (0..<k).reduce(UInt64(1)) { p, _ in p * 10 } }

    /// The value of `bytes`, or nil if they are not a number `Double(_:)` accepts.
    public static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        if let fast = fastPath(bytes) { return fast }
        // Double(_:) reads its text as a C string: a NUL would end the number early and pass what follows.
        guard !bytes.contains(0), isLiteral(bytes) else { return nil }
        return Double(String(decoding: bytes, as: UTF8.self))
    }

    /// `[+-]` then `digits[.digits]`, `.digits` or `digits.` with an optional `(e|E)[+-]digits`, or `inf`,
    /// `infinity` or `nan` in any case.
    static func isLiteral(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = b.count
        if i < n, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
        let word = String(decoding: UnsafeBufferPointer(rebasing: b[i...]), as: UTF8.self).lowercased()
        if word == "inf" || word == "infinity" || word == "nan" { return true }
        func digits() -> Int { let s = i; while i < n, b[i] &- 48 < 10 { i += 1 }; return i - s }
        var mantissa = digits()
        if i < n, b[i] == UInt8(ascii: ".") { i += 1; mantissa += digits() }
        guard mantissa > 0 else { return false }
        if i < n, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            if i < n, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
            guard digits() > 0 else { return false }
        }
        return i == n
    }

    @inline(__always)
    private static func fastPath(_ b: UnsafeBufferPointer<UInt8>) -> Double? {
        let n = b.count
        var i = 0
        var negative = false
        if i < n, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { negative = b[i] == UInt8(ascii: "-"); i += 1 }
        var w: UInt64 = 0
        var digits = 0, fractionDigits = 0, anyDigit = false
        while i < n, b[i] &- 48 < 10 {
            if w != 0 || b[i] != 48 { digits += 1; if digits > 19 { return nil }; w = w &* 10 &+ UInt64(b[i] &- 48) }
            anyDigit = true; i += 1
        }
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < n, b[i] &- 48 < 10 {
                if w != 0 || b[i] != 48 { digits += 1; if digits > 19 { return nil }; w = w &* 10 &+ UInt64(b[i] &- 48) }
                fractionDigits += 1; anyDigit = true; i += 1
            }
        }
        guard anyDigit else { return nil }
        var exponent = 0
        if i < n, b[i] == UInt8(ascii: "e") || b[i] == UInt8(ascii: "E") {
            i += 1
            var exponentNegative = false
            if i < n, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { exponentNegative = b[i] == UInt8(ascii: "-"); i += 1 }
            var any = false
            while i < n, b[i] &- 48 < 10 {
                exponent = exponent * 10 + Int(b[i] &- 48); any = true; i += 1
                if exponent > 10_000 { return nil }
            }
            guard any else { return nil }
            if exponentNegative { exponent = -exponent }
        }
        guard i == n else { return nil }
        let q = exponent - fractionDigits
        if w == 0 { return negative ? -0.0 : 0.0 }
        guard q >= -19, q <= 19 else { return nil }
        let magnitude = q >= 0 ? times(w, powersOfTen[q]) : over(w, powersOfTen[-q])
        return negative ? -magnitude : magnitude
    }

    /// w · p rounded to nearest, ties to even (w, p nonzero).
    @inline(__always)
    private static func times(_ w: UInt64, _ p: UInt64) -> Double {
        let (high, low) = w.multipliedFullWidth(by: p)
        if high == 0 { return round(low, sticky: false, binaryExponent: 0) }
        // Keep the top 64 bits of the 128-bit product; what falls off is sticky.
        let shift = 64 - high.leadingZeroBitCount
        let top = (high << (64 - shift)) | (low >> shift)
        let lost = low << (64 - shift) != 0
        return round(top, sticky: lost, binaryExponent: shift)
    }

    /// w / d rounded to nearest, ties to even (w, d nonzero, d < 2⁶⁴).
    @inline(__always)
    private static func over(_ w: UInt64, _ d: UInt64) -> Double {
        // Scale w by 2^s so that the quotient has exactly 64 bits.
        var s = (64 - d.leadingZeroBitCount) - (64 - w.leadingZeroBitCount) + 63
        var (q, r) = quotient(w, shift: s, d)
        if q >> 63 == 0 { s += 1; (q, r) = quotient(w, shift: s, d) }
        return round(q, sticky: r != 0, binaryExponent: -s)
    }

    @inline(__always)
    private static func quotient(_ w: UInt64, shift s: Int, _ d: UInt64) -> (UInt64, UInt64) {
        let high: UInt64 = s >= 64 ? w << (s - 64) : (s == 0 ? 0 : w >> (64 - s))
        let low: UInt64 = s >= 64 ? 0 : w << s
        return d.dividingFullWidth((high: high, low: low))
    }

    /// (m + sticky) · 2^e rounded to 53 bits, ties to even; m ≠ 0.
    @inline(__always)
    private static func round(_ m: UInt64, sticky: Bool, binaryExponent e: Int) -> Double {
        let extra = 64 - m.leadingZeroBitCount - 53
        if extra <= 0 {
            // m fits in 53 bits; the sticky bit alone is below half an ulp.
            return Double(sign: .plus, exponent: e, significand: Double(m))
        }
        var kept = m >> extra
        let rest = m & ((1 << extra) - 1), half: UInt64 = 1 << (extra - 1)
        if rest > half || (rest == half && (sticky || kept & 1 == 1)) { kept += 1 }
        return Double(sign: .plus, exponent: e + extra, significand: Double(kept))
    }
}
