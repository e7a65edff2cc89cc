/// Greedy word wrap: every line at most `width` terminal columns; a word longer than that is cut into pieces.
///
/// Newlines in the text end a line.
func wrap(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var result: [String] = []
    for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
        var current = ""
        for var word in paragraph.split(whereSeparator: \.isWhitespace).map(String.init) {
            while word.terminalColumns > width {
                if !current.isEmpty { result.append(current); current = "" }
                // At least one character a piece, so a character wider than the line still moves on.
                var piece = word.prefix(columns: width)
                if piece.isEmpty { piece = String(word.prefix(1)) }
                result.append(piece)
                word = String(word.dropFirst(piece.count))
            }
            if word.isEmpty { continue }
            let candidate = current.isEmpty ? word : current + " " + word
            if candidate.terminalColumns <= width {
                current = candidate
            } else {
                result.append(current)
                current = word
            }
        }
        if !current.isEmpty { result.append(current) }
    }
    return result
}

/// `text` cut to `width` terminal columns, ending in `ellipsis` when cut; a copy's number at the end
/// (`heavy ball (3)`) is kept, so shortened copies stay told apart (`hea…(3)`).
func truncated(_ text: String, width: Int, ellipsis: String) -> String {
    guard text.terminalColumns > width else { return text }
    let mark = ellipsis.terminalColumns
    guard width > mark else { return text.prefix(columns: max(0, width)) }
    if let open = text.lastIndex(of: "("), text.hasSuffix(")"), text.distance(from: open, to: text.endIndex) <= 6 {
        let suffix = String(text[open...])
        let room = width - mark - suffix.terminalColumns
        if room >= 1 { return text[..<open].prefix(columns: room) + ellipsis + suffix }
    }
    return text.prefix(columns: width - mark) + ellipsis
}

/// A text field's line in `width` columns with its cursor (`_`) at the end: the text whole when it fits,
/// else its end, after `ellipsis`, so what is being typed stays in view however long it gets.
///
/// - Returns: the line, and how many characters of `text` are hidden at its start (for a mark under a column).
func scrolledField(_ text: String, width: Int, ellipsis: String) -> (line: String, hidden: Int) {
    let whole = text + "_"
    guard whole.terminalColumns > width, width > ellipsis.terminalColumns + 1 else { return (whole, 0) }
    var tail = "", used = 0
    for character in whole.reversed() {
        let w = character.terminalWidth
        if used + w > width - ellipsis.terminalColumns { break }
        used += w
        tail.insert(character, at: tail.startIndex)
    }
    return (ellipsis + tail, whole.count - tail.count)
}

extension Grid {
    /// Replaces every non-ASCII glyph with its ASCII form, for a terminal whose locale is not UTF-8.
    ///
    /// The screen's own glyphs already have ASCII forms; this catches text from files (labels, descriptions).
    mutating func foldToASCII() {
        for y in 0..<height {
            for x in 0..<width where !self[x, y].glyph.isASCII {
                var cell = self[x, y]
                cell.glyph = Self.asciiForms[cell.glyph] ?? "?"
                self[x, y] = cell
            }
        }
    }

    static let asciiForms: [Unicode.Scalar: Unicode.Scalar] = [
        "←": "<", "→": ">", "↑": "^", "↓": "v", "↖": "\\", "↗": "/", "↘": "\\", "↙": "/",
        "±": "+", "×": "x", "·": ".", "…": "~", "—": "-", "–": "-", "−": "-", "θ": "t", "λ": "l",
        "∇": "g", "‖": "|", "²": "2", "³": "3", "ᵀ": "T", "√": "V", "≤": "<", "≥": ">", "≈": "~",
        "“": "\"", "”": "\"", "‘": "'", "’": "'", "é": "e", "è": "e", "ü": "u", "ö": "o", "ä": "a",
        "\u{00A0}": " ",
    ]
}

extension ExplorerState {
    /// `text` as the screen can show it: without Unicode, the arrows, dots and Greek become ASCII words.
    func plain(_ text: String) -> String {
        guard !options.unicode else { return text }
        // Every character the screen's own text uses has a word or sign; anything else is already folded by the grid.
        var t = text
        for (from, to) in String.asciiWords { t = t.replacingOccurrences(of: from, with: to) }
        return t
    }
}
