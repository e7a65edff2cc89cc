import DescentCore
import Foundation

/// The objective sampled at each landscape cell, and its shading levels.
struct LandscapeField: Sendable {
    /// What the samples depend on; a different key means recompute.
    struct Key: Equatable, Sendable {
        var viewport: Viewport
        var columns: Int, rows: Int
        var axes: [Int]
        /// The point the 2-D slice passes through (only the other coordinates matter).
        var slice: [Double]
        /// Bumped whenever the objective is replaced.
        var generation: Int
        /// Shade by height below the highest sample instead of above the lowest: for a run that maximizes,
        /// so a hilltop gets the darkest shade and the contours ring it.
        var fromTheTop = false
    }

    let key: Key
    /// Shade 0…levels−1 per cell, row-major; nil where the loss is not finite.
    let levels: [Int?]

    /// Samples f at the centre of every cell; levels are equal steps of log(f − min + ε).
    ///
    /// A log scale shows a ravine's floor and Rosenbrock's valley, which a linear scale paints one colour.
    init(key: Key, objective: any Objective) {
        self.key = key
        let count = key.columns * key.rows
        var values = [Double](repeating: .nan, count: count)
        var point = key.slice
        let v = key.viewport
        for row in 0..<key.rows {
            for column in 0..<key.columns {
                point[key.axes[0]] = v.xMin + (Double(column) + 0.5) / Double(key.columns) * (v.xMax - v.xMin)
                if key.axes.count > 1 {
                    point[key.axes[1]] = v.yMax - (Double(row) + 0.5) / Double(key.rows) * (v.yMax - v.yMin)
                }
                values[row * key.columns + column] = objective.loss(at: point)
            }
        }
        if key.fromTheTop { values = values.map { -$0 } }
        let finite = values.filter(\.isFinite)
        guard let low = finite.min(), let high = finite.max(), high > low else {
            levels = values.map { $0.isFinite ? 0 : nil }
            return
        }
        // Differences are taken in halves so that a range near ±DBL_MAX does not overflow to infinity.
        let range = high / 2 - low / 2
        let epsilon = range * 1e-4
        let bottom = log(epsilon), span = log(range + epsilon) - bottom
        let n = CellColor.landscapeLevels
        levels = values.map { value in
            guard value.isFinite else { return nil }
            let t = (log(value / 2 - low / 2 + epsilon) - bottom) / span
            return (t * Double(n)).clampedInt(0...(n - 1))
        }
    }

    func level(_ column: Int, _ row: Int) -> Int? { levels[row * key.columns + column] }
}
