/// A colour a cell can ask for; the sink maps it to what the terminal has.
public enum CellColor: Hashable, Sendable {
    case `default`
    /// The colour of run style `index` (0…`RunStyle.distinct − 1`).
    case run(Int)
    /// A shade of the landscape, 0 (lowest loss) …`landscapeLevels − 1`.
    case level(Int)
    /// Contour lines drawn over the landscape's shading.
    case contour
    case accent
    case dim
    case warning
    case selection

    public static let landscapeLevels = 10

    /// The colour in the xterm 256-colour palette; nil for the terminal's default. The terminal sink and the
    /// SVG pictures both take the explorer's colours from here.
    public var xterm256: Int? {
        switch self {
        case .default: nil
        // Eight hues that stand out on the dark-blue shading and from each other.
        case .run(let i): [214, 46, 201, 226, 51, 196, 141, 255][i % 8]
        // Dark at the bottom of the landscape, lighter uphill; bright run colours stand out on all of them.
        case .level(let k): [16, 17, 18, 19, 24, 25, 31, 67, 68, 74][max(0, min(9, k))]
        case .contour: 110
        case .accent: 223
        case .dim: 245
        case .warning: 203
        case .selection: 237
        }
    }

    /// `#rrggbb` of an xterm 256-colour index: the 6×6×6 cube (levels 0, 95, 135, 175, 215, 255) from 16,
    /// the grey ramp (8 + 10·k) from 232, the 16 system colours before.
    public static func hex(xterm index: Int) -> String {
        let system = ["000000", "800000", "008000", "808000", "000080", "800080", "008080", "c0c0c0",
                      "808080", "ff0000", "00ff00", "ffff00", "0000ff", "ff00ff", "00ffff", "ffffff"]
        if index < 16 { return "#" + system[max(0, index)] }
        func two(_ v: Int) -> String { let h = String(v, radix: 16); return h.count == 1 ? "0" + h : h }
        if index >= 232 { let g = 8 + 10 * (index - 232); return "#" + two(g) + two(g) + two(g) }
        let levels = [0, 95, 135, 175, 215, 255], i = index - 16
        return "#" + two(levels[i / 36]) + two(levels[(i / 6) % 6]) + two(levels[i % 6])
    }
}

/// One character cell of the screen: a glyph and its colours.
public struct Cell: Equatable, Sendable {
    public var glyph: Unicode.Scalar
    public var foreground: CellColor
    public var background: CellColor
    public var bold: Bool
    /// The right half of a wide glyph drawn in the cell to the left: the terminal fills it, the sink writes
    /// nothing here, and the text leaves it out.
    public var continuation = false

    public init(_ glyph: Unicode.Scalar = " ", foreground: CellColor = .default, background: CellColor = .default, bold: Bool = false) {
        self.glyph = glyph
        self.foreground = foreground
        self.background = background
        self.bold = bold
    }

    public static let blank = Cell()
}

/// An in-memory screen: what `render` draws into and a terminal sink copies out.
public struct Grid: Equatable, Sendable {
    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set {
            guard contains(x, y) else { return }
            let i = y * width + x
            // A wide glyph and its right half stay together: writing over either half blanks the other, so
            // the terminal never shows half a glyph or a glyph over a cell the grid says holds another.
            if cells[i].continuation && !newValue.continuation && x > 0 { cells[i - 1].glyph = " " }
            if x + 1 < width, cells[i + 1].continuation, newValue.glyph.terminalWidth != 2 || newValue.continuation {
                cells[i + 1].continuation = false
                cells[i + 1].glyph = " "
            }
            cells[i] = newValue
        }
    }

    public func contains(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < width && y < height }

    /// Writes `text` from (x, y) rightwards, clipped to the grid and to `maxWidth` columns, measured as the
    /// terminal measures it (`terminalWidth`): a wide glyph takes two cells (the second a `continuation`),
    /// a cluster with nothing visible none, and a wide glyph that would not fit leaves a space.
    ///
    /// - Returns: the column after the last one written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, foreground: CellColor = .default,
                             background: CellColor? = nil, bold: Bool = false, maxWidth: Int? = nil) -> Int {
        var column = x
        let limit = min(maxWidth.map { x + $0 } ?? width, width)
        for character in text {
            guard column < limit else { break }
            guard let (scalar, glyphWidth) = character.terminalGlyph else { continue }
            func cell(_ glyph: Unicode.Scalar, continuation: Bool = false) -> Cell {
                var c = Cell(glyph, foreground: foreground, background: background ?? self[column, y].background, bold: bold)
                c.continuation = continuation
                return c
            }
            guard contains(column, y) else { column += glyphWidth; continue }
            if glyphWidth == 2 && column + 1 >= limit {
                self[column, y] = cell(" ")
                column += 1
                break
            }
            // A control character would move the terminal's cursor or start an escape sequence.
            self[column, y] = cell(scalar.isControlCharacter ? "?" : scalar)
            if glyphWidth == 2 {
                column += 1
                if contains(column, y) { self[column, y] = cell(" ", continuation: true) }
            }
            column += 1
        }
        return column
    }

    /// Fills a rectangle with one cell.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, with cell: Cell = .blank) {
        for row in max(0, y)..<min(height, y + h) {
            for column in max(0, x)..<min(width, x + w) { self[column, row] = cell }
        }
    }

    /// The screen as plain text, one line per row, trailing spaces trimmed.
    public var text: String {
        (0..<height).map { row in
            var line = String(String.UnicodeScalarView(cells[(row * width)..<((row + 1) * width)].filter { !$0.continuation }.map(\.glyph)))
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n") + "\n"
    }
}

extension Grid {
    /// The screen as a reviewable golden: the text, then one style letter per cell (`.` for the default
    /// style), then what each letter means. Modelled on ratatui's `Buffer` debug form: a change of colour,
    /// shading or boldness changes the dump, not only a change of text.
    public var styledText: String {
        var letters: [StyleKey: Character] = [StyleKey(Cell.blank): "."]
        var legend: [(Character, StyleKey)] = []
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789#$%&*+-/:;=?@^_~!|<>()[]{}")
        var map = ""
        for y in 0..<height {
            for x in 0..<width {
                let key = StyleKey(self[x, y])
                if letters[key] == nil {
                    let letter = legend.count < alphabet.count ? alphabet[legend.count] : "`"
                    letters[key] = letter
                    legend.append((letter, key))
                }
                map.append(letters[key]!)
            }
            map.append("\n")
        }
        let lines = legend.map { "\($0.0) \($0.1)" }.joined(separator: "\n")
        return text + "--- styles ---\n" + map + "--- legend ---\n" + lines + (lines.isEmpty ? "" : "\n")
    }

    private struct StyleKey: Hashable, CustomStringConvertible {
        let foreground: CellColor, background: CellColor, bold: Bool
        init(_ cell: Cell) { foreground = cell.foreground; background = cell.background; bold = cell.bold }
        var description: String {
            var parts: [String] = []
            if foreground != .default { parts.append("fg=\(foreground)") }
            if background != .default { parts.append("bg=\(background)") }
            if bold { parts.append("bold") }
            return parts.isEmpty ? "default" : parts.joined(separator: " ")
        }
    }
}
