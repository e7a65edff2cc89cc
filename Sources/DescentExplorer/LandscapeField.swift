import DescentCore
import Foundation

/// The objective sampled at each landscape cell, and its shading levels.
struct LandscapeField: Sendable {
    /// What the samples depend on; a different key means recompute.
    struct Key: Equatable, Sendable {
        var viewport: Viewport
        var columns: Int, rows: Int
        var plane: SlicePlane
        /// The point the 2-D slice passes through (only the other coordinates matter): a random plane's origin.
        var slice: [Double]
        /// Bumped whenever the objective is replaced.
        var generation: Int
        /// Multiply-adds this landscape may take: `workBudget` while the runs move, more while they are paused.
        var work = LandscapeField.workBudget
        /// Shade by height below the highest sample instead of above the lowest: for a run that maximizes,
        /// so a hilltop gets the darkest shade and the contours ring it.
        var fromTheTop = false
    }

    let key: Key
    /// Shade 0…levels−1 per cell, row-major; nil where the loss is not finite.
    let levels: [Int?]

    /// Work allowed for one landscape, in multiply-adds (about 10 ms in a release build).
    static let workBudget = 4_000_000

    /// Samples f at the centre of every cell (or, where one loss costs a pass over the data, of every
    /// block of cells: see `block`); levels are equal steps of log(f − min + ε).
    ///
    /// A log scale shows a ravine's floor and Rosenbrock's valley, which a linear scale paints one colour.
    init(key: Key, objective: any Objective) {
        self.key = key
        let count = key.columns * key.rows
        var values = [Double](repeating: .nan, count: count)
        var point = key.slice
        let v = key.viewport
        // A heavy objective that is quadratic on the plane (a big quadratic, a regression on many samples)
        // is pictured from its exact section, built once; the small ones are sampled directly.
        let flat = key.slice.count < 2
        let section = objective.costPerEvaluation > 10_000 && !flat && key.plane.directions == nil
            ? objective.planarSection(through: point, axes: (key.plane.x, key.plane.y)) : nil
        let step = section == nil ? Self.block(cells: count, objective: objective, work: key.work) : 1
        for blockRow in stride(from: 0, to: key.rows, by: step) {
            for blockColumn in stride(from: 0, to: key.columns, by: step) {
                let column = Double(blockColumn) + Double(min(step, key.columns - blockColumn)) / 2
                let row = Double(blockRow) + Double(min(step, key.rows - blockRow)) / 2
                let a = v.xMin + column / Double(key.columns) * (v.xMax - v.xMin)
                let b = v.yMax - row / Double(key.rows) * (v.yMax - v.yMin)
                point = key.plane.point(a, flat ? 0 : b, slice: point)
                let value = section.map { $0(a, b) } ?? objective.loss(at: point)
                for r in blockRow..<min(blockRow + step, key.rows) {
                    for c in blockColumn..<min(blockColumn + step, key.columns) { values[r * key.columns + c] = value }
                }
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

    /// The side, in cells, of the blocks sampled once: 1 for the analytic objectives, more for an objective
    /// whose loss costs a pass over many samples, so one landscape stays within `workBudget` and never
    /// holds up a frame (a whole plot in one block, at worst).
    static func block(cells: Int, objective: any Objective, work: Int = workBudget) -> Int {
        let perLoss = objective.costPerEvaluation
        var side = 1
        while cells * perLoss / (side * side) > work && side * side < cells { side += 1 }
        return side
    }
}
