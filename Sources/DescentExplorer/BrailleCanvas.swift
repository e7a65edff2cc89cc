/// Dots at 2×4 per cell, drawn as Unicode braille (U+2800…U+28FF).
struct BrailleCanvas {
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

    /// A straight line of dots (Bresenham), clipped to the canvas; long lines are cut to keep it cheap.
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int) {
        let limit = 4 * (dotWidth + dotHeight)
        guard abs(x1 - x0) <= limit * 4, abs(y1 - y0) <= limit * 4 else { set(x0, y0); set(x1, y1); return }
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var error = dx + dy
        while true {
            set(x, y)
            if x == x1 && y == y1 { return }
            let e2 = 2 * error
            if e2 >= dy { error += dy; x += sx }
            if e2 <= dx { error += dx; y += sy }
        }
    }

    func cell(_ column: Int, _ row: Int) -> UInt8 { bits[row * columns + column] }

    static func glyph(_ pattern: UInt8) -> Unicode.Scalar {
        Unicode.Scalar(0x2800 + UInt32(pattern))!
    }
}
