import CTextWidth

/// How many terminal columns text takes: the C library's `wcwidth` in a UTF-8 locale, the measure ncurses
/// itself places text by, so the grid, every widget and the sink agree with the terminal and a label with a
/// CJK character, an emoji, a combining accent or an invisible character neither misaligns a table nor
/// leaves stale glyphs behind. (Where no UTF-8 locale can be made, a table of Unicode's East Asian Wide
/// blocks stands in.)
///
/// A grapheme cluster is drawn as one glyph: its composed form's first visible scalar (`e` + U+0301 is `é`).
/// Its width is that glyph's: 2 for wide and fullwidth characters and emoji shown as emoji, 0 when the
/// cluster has nothing visible (U+200B, U+FEFF, U+00AD, a lone combining mark), 1 otherwise.

extension Unicode.Scalar {
    public var terminalWidth: Int {
        let v = value
        if v < 0x7F { return v < 0x20 ? 0 : 1 }
        let measured = descent_wcwidth(v)
        if measured != -2 { return max(0, Int(measured)) }
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if v == 0x00AD || (0x1160...0x11FF).contains(v) || v == 0x200B { return 0 }
        if properties.isEmojiPresentation { return 2 }
        for range in Self.wideRanges where range.contains(v) { return 2 }
        return 1
    }

    /// East Asian Wide and Fullwidth blocks.
    static let wideRanges: [ClosedRange<UInt32>] = [
        0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF,
        0x4E00...0x9FFF, 0xA000...0xA4CF, 0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19,
        0xFE30...0xFE6F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
    ]
}

extension Character {
    /// The one scalar the grid draws for this cluster (nil when nothing in it is visible), and its width.
    var terminalGlyph: (scalar: Unicode.Scalar, width: Int)? {
        // Most of a frame is ASCII, box drawing and braille: one scalar that composition leaves as it is (no
        // combining mark or singleton decomposition below U+0300 or in those blocks), measured without building
        // its composed form, which is a quarter of a frame's time.
        let scalars = unicodeScalars
        if let only = scalars.first, scalars.index(after: scalars.startIndex) == scalars.endIndex, Self.composesToItself(only) {
            let width = only.terminalWidth
            if width > 0 { return (only, width) }
            return only.isControlCharacter && only.properties.generalCategory != .format ? (only, 1) : nil
        }
        return composedGlyph
    }

    static func composesToItself(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x300 || (0x2500...0x259F).contains(scalar.value) || (0x2800...0x28FF).contains(scalar.value)
    }

    /// `terminalGlyph` the long way, through the cluster's composed form.
    var composedGlyph: (scalar: Unicode.Scalar, width: Int)? {
        let composed = String(self).precomposedStringWithCanonicalMapping
        for scalar in composed.unicodeScalars where scalar.terminalWidth > 0 {
            return (scalar, scalar.terminalWidth)
        }
        // Control characters are drawn (as `?`, by the grid) rather than dropped: they are never invisible.
        if let first = composed.unicodeScalars.first, first.isControlCharacter && first.properties.generalCategory != .format { return (first, 1) }
        return nil
    }

    /// Terminal columns this cluster takes.
    public var terminalWidth: Int { terminalGlyph?.width ?? 0 }
}

extension StringProtocol {
    /// Terminal columns the text takes.
    public var terminalColumns: Int { reduce(0) { $0 + $1.terminalWidth } }

    /// The longest start of the text that fits in `columns` terminal columns.
    func prefix(columns: Int) -> String {
        var used = 0, out = ""
        for character in self {
            let w = character.terminalWidth
            if used + w > columns { break }
            used += w
            out.append(character)
        }
        return out
    }
}
