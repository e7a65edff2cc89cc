extension String {
    /// The text with every control character written as an escape, so user text quoted in a message or a
    /// table stays on its line and sends the terminal nothing but what it shows: `\n`, `\r`, `\t` and `\e`
    /// by name, every other C0 control, DEL, the C1 controls (U+0080–U+009F, among them U+009B, a lone CSI)
    /// and the Unicode line and paragraph separators as `\u{…}`. A backslash itself is left as it is; text
    /// without control characters comes back unchanged. CSV and JSON keep the exact text: this is for people.
    public var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: \.isControlCharacter) else { return self }
        var out = ""
        for scalar in unicodeScalars {
            guard scalar.isControlCharacter else { out.unicodeScalars.append(scalar); continue }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{1B}": out += "\\e"
            default: out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }
}

extension Unicode.Scalar {
    /// C0, DEL, C1, U+2028/U+2029 (which some terminals and editors take as line breaks), and the
    /// bidirectional marks and overrides (U+061C, U+200E/F, U+202A–E, U+2066–9), which reorder what follows
    /// them on the line.
    public var isControlCharacter: Bool {
        value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
            || value == 0x061C || value == 0x200E || value == 0x200F || (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value)
    }
}

extension String {
    /// The text in ASCII, for a terminal whose locale is not UTF-8: the arrows, dots, Greek and maths of
    /// Descent's own output become words and signs (`θ` → `theta`, `‖` → `|`, `√` → `sqrt`), and any other
    /// non-ASCII character its escape (`é` → `\u{E9}`), so two labels never look the same. ASCII text comes
    /// back unchanged.
    public var asciiFolded: String {
        guard !unicodeScalars.allSatisfy(\.isASCII) else { return self }
        var t = self
        for (from, to) in Self.asciiWords { t = t.replacingOccurrences(of: from, with: to) }
        var out = ""
        for scalar in t.unicodeScalars {
            if scalar.isASCII { out.unicodeScalars.append(scalar) } else { out += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}" }
        }
        return out
    }

    /// Longer forms first where one contains another (`∇f` before `∇`).
    public static let asciiWords: [(String, String)] = [
        ("←", "<-"), ("→", "->"), ("↑", "^"), ("↓", "v"), ("·", "*"), ("−", "-"), ("θ", "theta"), ("∇f", "grad f"), ("∇", "grad "),
        ("‖", "|"), ("…", "..."), ("√", "sqrt"), ("½", "1/2"), ("∞", "inf"), ("²", "^2"), ("³", "^3"), ("⁴", "^4"), ("⁵", "^5"), ("⁶", "^6"),
        ("⁷", "^7"), ("⁸", "^8"), ("⁹", "^9"), ("⁰", "^0"), ("¹", "^1"), ("ᵀ", "^T"),
        ("μ", "mu"), ("κ", "kappa"), ("λ", "lambda"), ("ρ", "rho"), ("β", "beta"), ("σ", "sigma"), ("×", "x"), ("≈", "~"),
        ("≤", "<="), ("≥", ">="), ("—", "--"), ("–", "-"), ("’", "'"), ("‘", "'"), ("“", "\""), ("”", "\""), ("±", "+/-"),
        ("│", "|"), ("─", "-"), ("└", "+"), ("┃", "|"), ("★", "*"), ("◆", "o"), ("█", "#"), ("▀", "\""), ("▄", "_"),
    ]
}
