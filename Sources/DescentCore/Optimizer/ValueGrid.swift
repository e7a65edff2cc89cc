import Foundation

/// The grids the explorer's ←/→ move hyperparameters on, without drift: `←` undoes `→` exactly.
public enum ValueGrid {
    /// Mantissas of the log grid, in tenths: 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8.
    static let mantissas = [10, 12, 15, 20, 25, 30, 40, 50, 60, 80]

    /// The grid value `mantissa/10 · 10^exponent`, parsed from its decimal text so it is the Double nearest that short value.
    static func value(_ mantissa: Int, _ exponent: Int) -> Double {
        Double("\(mantissa)e\(exponent - 1)")!
    }

    /// The next log-grid value above (direction > 0) or below `value`; `floor` is the smallest, under which
    /// comes 0 when `zeroBelow`; 1000 is the largest.
    public static func logStep(_ value: Double, direction: Int, floor: Double, zeroBelow: Bool) -> Double {
        let ceiling = 1000.0
        guard value.isFinite else { return value }
        if value <= 0 { return direction > 0 ? floor : value }
        if direction < 0 && value <= floor { return zeroBelow ? 0 : value }
        // Past the top of the grid, → leaves a typed value alone and ← comes back onto the grid.
        if value >= ceiling { return direction > 0 ? value : ceiling }
        let decade = Int(log10(value).rounded(.down))
        var candidates: [Double] = []
        for exponent in (decade - 1)...(decade + 1) {
            candidates += mantissas.map { Self.value($0, exponent) }
        }
        // A value within rounding of a grid value counts as on it.
        func same(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * b }
        let next = direction > 0
            ? candidates.first { $0 > value && !same(value, $0) }
            : candidates.last { $0 < value && !same(value, $0) }
        guard let next else { return value }
        return min(ceiling, max(floor, next))
    }

    /// The next multiple of 0.05 above (direction > 0) or below `value`, in [0, 1], as hundredths / 100.
    public static func hundredthsStep(_ value: Double, direction: Int) -> Double {
        guard value.isFinite else { return value }
        // Outside [0, 1] (a typed value), the arrow away from the range leaves it alone; toward it, it comes back in.
        if value > 1 { return direction > 0 ? value : 1 }
        if value < 0 { return direction < 0 ? value : 0 }
        let scaled = value * 100
        let nearest = scaled.rounded()
        let onGrid = abs(scaled - nearest) < 1e-6 && Int(nearest) % 5 == 0
        var fives: Int
        if onGrid {
            fives = Int(nearest) / 5 + (direction > 0 ? 1 : -1)
        } else {
            fives = Int((scaled / 5).rounded(direction > 0 ? .up : .down))
        }
        fives = min(20, max(0, fives))
        return Double(fives * 5) / 100
    }
}
