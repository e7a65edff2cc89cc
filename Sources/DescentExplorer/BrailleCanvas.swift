/// Dots at 2×4 per cell, drawn as Unicode braille (U+2800…U+28FF).
struct BrailleCanvas: Equatable {
    let columns: Int, rows: Int
    private(set) var bits: [UInt8]

    init(columns: Int, rows: Int) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
        bits = Array(repeating: 0, count: self.columns * self.rows)
    }

    var dotWidth: Int { columns * 2 }
    var dotHeight: Int { rows * 4 }

    /// Braille dot numbering: column 0 rows 0-2 are bits 0,1,2, column 1 rows 0-2 are 3,4,5, row 3 is 6 and 7.
    private static let bit: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    mutating func set(_ x: Int, _ y: Int) {
        guard x >= 0, y >= 0, x < dotWidth, y < dotHeight else { return }
        bits[(y / 4) * columns + x / 2] |= Self.bit[x % 2][y % 4]
    }

    /// A straight line of dots (Bresenham), clipped to the canvas.
    ///
    /// `pattern` picks which dots are drawn, cycled every eight along the line (bit k: the k-th);
    /// `phase` is where in the cycle the line starts, so joined segments keep one rhythm.
    /// A line whose ends are far outside the canvas is cut to its ends, to keep it cheap: callers clip first.
    /// - Returns: the phase after the last dot, for the next segment.
    @discardableResult
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, pattern: UInt8 = 0xFF, phase: Int = 0) -> Int {
        let limit = 16 * (dotWidth + dotHeight)
        guard abs(x1 - x0) <= limit, abs(y1 - y0) <= limit else { set(x0, y0); set(x1, y1); return phase }
        var x = x0, y = y0, k = phase
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var error = dx + dy
        while true {
            if pattern & (1 << UInt8(k & 7)) != 0 { set(x, y) }
            if x == x1 && y == y1 { return k }
            k += 1
            let e2 = 2 * error
            if e2 >= dy { error += dy; x += sx }
            if e2 <= dx { error += dx; y += sy }
        }
    }

    /// A 2×2 block of dots at (x, y): an iterate, bigger than the line through it.
    mutating func blob(_ x: Int, _ y: Int) {
        set(x, y); set(x + 1, y); set(x, y + 1); set(x + 1, y + 1)
    }

    func cell(_ column: Int, _ row: Int) -> UInt8 { bits[row * columns + column] }

    /// Number of dots set.
    var dotCount: Int { bits.reduce(0) { $0 + $1.nonzeroBitCount } }

    static func glyph(_ pattern: UInt8) -> Unicode.Scalar {
        Unicode.Scalar(0x2800 + UInt32(pattern))!
    }
}
