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
    /// C0, DEL, C1, U+2028/U+2029 (which some terminals and editors take as line breaks), and every format
    /// character (Unicode's Cf): the bidirectional marks and overrides (U+061C, U+200E/F, U+202A–E,
    /// U+2066–9), which reorder what follows them on the line, and the invisible ones (U+200B zero width
    /// space, U+FEFF, U+00AD soft hyphen, U+2060 word joiner), which make two texts look the same.
    public var isControlCharacter: Bool {
        value < 0x20 || (0x7F...0x9F).contains(value) || value == 0x2028 || value == 0x2029
            || isFormatCharacter
    }

    /// Unicode's format characters (Cf): shown as nothing, or as a reordering of what follows.
    public var isFormatCharacter: Bool { value >= 0xAD && properties.generalCategory == .format }
}

extension String {
    /// The text with every word longer than `limit` characters cut in its middle to
    /// `first…(N characters)…last`, so a 4,000-digit number quoted in a message stays readable; shorter
    /// words come back as they are.
    public func cuttingLongWords(limit: Int = 80) -> String {
        guard count > limit else { return self }
        var out = "", word = ""
        let marks = Set("'\"`()[]{},;:")
        func flush() {
            if word.count > limit {
                // Quotes and brackets around the value stay whole, outside the count.
                let lead = word.prefix { marks.contains($0) }, trail = word.reversed().prefix { marks.contains($0) }
                let core = word.dropFirst(lead.count).dropLast(trail.count)
                out += lead + core.prefix(limit / 2 - 8) + "…(\(core.count) characters)…" + core.suffix(8) + String(trail.reversed())
            } else {
                out += word
            }
            word = ""
        }
        for character in self {
            if character == " " { flush(); out.append(character) } else { word.append(character) }
        }
        flush()
        return out
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
