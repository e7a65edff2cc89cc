import DescentCore
import Foundation

/// Maps the shown plane to the braille dots of a plot rectangle.
struct PlaneMapping {
    let viewport: Viewport
    let columns: Int, rows: Int

    /// The dot under a point of the plane; nil when it is not finite or absurdly far off the plot.
    func dot(_ x: Double, _ y: Double) -> (Int, Int)? {
        guard x.isFinite, y.isFinite else { return nil }
        let fx = (x - viewport.xMin) / viewport.width, fy = (viewport.yMax - y) / viewport.height
        guard abs(fx) < 1e6, abs(fy) < 1e6 else { return nil }
        let limit = 4_000_000 * max(1, columns + rows)
        return ((fx * Double(columns * 2)).clampedInt(-limit...limit), (fy * Double(rows * 4)).clampedInt(-limit...limit))
    }

    /// Draws a trajectory's path (axes `axes`) as joined lines, in a dot pattern.
    ///
    /// The same drawing serves the explorer and the test that a bounded history looks like the full path.
    func drawPath(_ trajectory: Trajectory, axes: (x: Int, y: Int), into canvas: inout BrailleCanvas,
                  pattern: UInt8 = 0xFF, fromStep: Int = 0, iterates: Bool = false) {
        var previous: (Int, Int)?
        var phase = 0
        for row in 0..<trajectory.count where trajectory.steps[row] >= fromStep {
            let y = trajectory.dimension > 1 ? trajectory.coordinate(row, axes.y) : 0
            guard let d = dot(trajectory.coordinate(row, axes.x), y) else { previous = nil; continue }
            if let p = previous { phase = canvas.line(p.0, p.1, d.0, d.1, pattern: pattern, phase: phase) } else { canvas.set(d.0, d.1) }
            if iterates { canvas.blob(d.0, d.1) }
            previous = d
        }
    }
}

extension ExplorerState {
    /// Paths with at most this many rows are drawn with a blob at every iterate, so steps can be counted.
    static let countableSteps = 300
    /// The newest steps of every path are drawn bold: the trail that shows where a run is going.
    static let trailSteps = 8

    var mapping: PlaneMapping {
        let plot = layout.plot
        return PlaneMapping(viewport: viewport, columns: plot.width, rows: plot.height)
    }

    func drawLandscape(_ grid: inout Grid, plot r: Rect, axis: Rect) {
        guard r.width > 2, r.height > 2 else { return }
        drawShading(&grid, r)
        let map = mapping
        // Paths: one canvas per run so each keeps its colour; the selected run is drawn last, on top.
        let order = runs.indices.filter { $0 != selectedRun } + [selectedRun]
        for index in order {
            let history = histories[index]
            let pattern = options.color ? 0xFF : styles[index].pattern
            var canvas = BrailleCanvas(columns: r.width, rows: r.height)
            map.drawPath(history, axes: axes, into: &canvas, pattern: pattern,
                         iterates: history.count <= Self.countableSteps)
            var trail = BrailleCanvas(columns: r.width, rows: r.height)
            map.drawPath(history, axes: axes, into: &trail, pattern: pattern,
                         fromStep: max(1, runs[index].stepCount - Self.trailSteps), iterates: history.count <= Self.countableSteps)
            copy(canvas, to: &grid, at: r, color: runColor(index), bold: false)
            for row in 0..<r.height {
                for column in 0..<r.width where trail.cell(column, row) != 0 { grid[r.x + column, r.y + row].bold = true }
            }
        }
        if showsUpdate { drawUpdateArrows(&grid, r) }
        drawMarkers(&grid, r)
        drawAxisRanges(&grid, axis)
    }

    /// In colour, each level is a background shade; in both modes, contour lines where the level changes.
    private func drawShading(_ grid: inout Grid, _ r: Rect) {
        guard let field = landscape, field.key.columns == r.width, field.key.rows == r.height else { return }
        let contour: Unicode.Scalar = options.unicode ? "·" : "."
        for row in 0..<r.height {
            for column in 0..<r.width {
                var cell = Cell.blank
                if let level = field.level(column, row) {
                    if options.color { cell.background = .level(level) }
                    let right = column + 1 < r.width ? field.level(column + 1, row) : level
                    let below = row + 1 < r.height ? field.level(column, row + 1) : level
                    if right != level || below != level {
                        cell.glyph = contour
                        cell.foreground = options.color ? .contour : .dim
                    }
                } else {
                    cell = Cell(options.unicode ? "╳" : "x", foreground: .warning)
                }
                grid[r.x + column, r.y + row] = cell
            }
        }
    }

    /// Copies a canvas's dots into the grid (braille, or `.` without Unicode), keeping the cells' backgrounds.
    private func copy(_ canvas: BrailleCanvas, to grid: inout Grid, at r: Rect, color: CellColor, bold: Bool) {
        for row in 0..<r.height {
            for column in 0..<r.width where canvas.cell(column, row) != 0 {
                var cell = grid[r.x + column, r.y + row]
                cell.glyph = options.unicode ? BrailleCanvas.glyph(canvas.cell(column, row)) : "."
                cell.foreground = color
                cell.bold = bold
                grid[r.x + column, r.y + row] = cell
            }
        }
    }

    /// The selected run's next step, split as torch computes it: the momentum term, then the gradient term.
    ///
    /// Heavy ball: θ' = θ − lr·momentum·buf − lr·(1 − dampening)·g. Nesterov: θ' = θ − lr·momentum·buf' − lr·g,
    /// with buf' the updated buffer: the momentum term lands on the look-ahead point, and the gradient
    /// correction goes on from there. The end point is the run's real next step (a copy is stepped).
    public func nextStepParts() -> (theta: [Double], afterMomentum: [Double], next: [Double])? {
        var copy = selected
        guard !copy.isDiverged else { return nil }
        let theta = copy.parameters
        let h = copy.hyperparameters
        let oldBuffer = copy.optimizer.state.momentumBuffer
        guard copy.step(), !copy.isDiverged else { return nil }
        var afterMomentum = theta
        if h.update == .sgd && h.momentum != 0 {
            let buffer = h.nesterov ? copy.optimizer.state.momentumBuffer : oldBuffer
            if let buffer {
                for i in theta.indices { afterMomentum[i] = theta[i] - h.lr * h.momentum * buffer[i] }
            }
        }
        return (theta, afterMomentum, copy.parameters)
    }

    private func drawUpdateArrows(_ grid: inout Grid, _ r: Rect) {
        guard let parts = nextStepParts() else { return }
        let map = mapping
        let a = project(parts.theta), m = project(parts.afterMomentum), b = project(parts.next)
        func arrow(_ from: [Double], _ to: [Double], color: CellColor, pattern: UInt8) {
            guard let p = map.dot(from[0], from[1]), let q = map.dot(to[0], to[1]), p != q else { return }
            var canvas = BrailleCanvas(columns: r.width, rows: r.height)
            canvas.line(p.0, p.1, q.0, q.1, pattern: pattern)
            copy(canvas, to: &grid, at: r, color: options.color ? color : .default, bold: true)
            let column = q.0 / 2, row = q.1 / 4
            guard column >= 0, row >= 0, column < r.width, row < r.height else { return }
            var cell = grid[r.x + column, r.y + row]
            cell.glyph = arrowGlyph(dx: Double(q.0 - p.0), dy: Double(q.1 - p.1))
            cell.foreground = options.color ? color : .default
            cell.bold = true
            grid[r.x + column, r.y + row] = cell
        }
        arrow(a, m, color: .accent, pattern: 0xFF)
        arrow(m, b, color: .warning, pattern: options.color ? 0xFF : 0x55)
        if selected.hyperparameters.nesterov, m != a, let d = map.dot(m[0], m[1]) {
            put(options.unicode ? "◌" : "o", atDot: d, in: r, grid: &grid, color: .accent, bold: true)
        }
    }

    /// An arrow pointing along (dx, dy) in screen dots (y down), in eight directions.
    func arrowGlyph(dx: Double, dy: Double) -> Unicode.Scalar {
        let unicode: [Unicode.Scalar] = ["→", "↘", "↓", "↙", "←", "↖", "↑", "↗"]
        let ascii: [Unicode.Scalar] = [">", "v", "v", "v", "<", "^", "^", "^"]
        // Cells are twice as tall as wide in dots per cell (2 across, 4 down): compare in cell-ish units.
        let angle = atan2(dy / 2, dx)
        let octant = Int(((angle / (.pi / 4)).rounded()).clampedInt(-8...8) + 8) % 8
        return (options.unicode ? unicode : ascii)[octant]
    }

    private func put(_ glyph: Unicode.Scalar, atDot d: (Int, Int), in r: Rect, grid: inout Grid,
                     color: CellColor, bold: Bool, background: CellColor? = nil) {
        let column = d.0 / 2, row = d.1 / 4
        guard d.0 >= 0, d.1 >= 0, column < r.width, row < r.height else { return }
        var cell = grid[r.x + column, r.y + row]
        cell.glyph = glyph
        cell.foreground = options.color ? color : .default
        cell.bold = bold
        if let background { cell.background = background }
        grid[r.x + column, r.y + row] = cell
    }

    /// Minima, saddles, starts and the runs' current points; a run outside the view gets an arrow on the border.
    private func drawMarkers(_ grid: inout Grid, _ r: Rect) {
        let map = mapping
        let minima = experiment.objective.knownMinima
        var landmarkCells = Set<[Int]>()
        func mark(_ point: [Double], _ glyph: Unicode.Scalar, _ color: CellColor) {
            let p = project(point)
            guard let d = map.dot(p[0], p[1]) else { return }
            put(glyph, atDot: d, in: r, grid: &grid, color: color, bold: true)
            landmarkCells.insert([d.0 / 2, d.1 / 4])
        }
        for point in experiment.objective.stationaryPoints where !minima.contains(point) { mark(point, stationaryGlyph, .accent) }
        for minimum in minima { mark(minimum, minimumGlyph, .accent) }
        for run in runs { mark(run.start, startGlyph, .default) }
        let order = runs.indices.filter { $0 != selectedRun } + [selectedRun]
        for index in order {
            let p = project(runs[index].parameters)
            guard p[0].isFinite, p[1].isFinite else { continue }
            if viewport.contains(p), let d = map.dot(p[0], p[1]) {
                // A run sitting on a minimum or a start shows it with a highlighted cell, not by hiding it.
                let onLandmark = landmarkCells.contains([d.0 / 2, d.1 / 4])
                put(runGlyph(index), atDot: d, in: r, grid: &grid, color: styles[index].color, bold: true,
                    background: onLandmark ? .selection : nil)
            } else {
                borderArrow(toward: p, index: index, grid: &grid, r)
            }
        }
    }

    /// An arrow on the plot's border, in the run's colour, where the line from the centre to `p` leaves.
    private func borderArrow(toward p: [Double], index: Int, grid: inout Grid, _ r: Rect) {
        let c = viewport.center
        let dx = (p[0] - c[0]) / viewport.width * Double(r.width), dy = (c[1] - p[1]) / viewport.height * Double(r.height)
        guard dx.isFinite, dy.isFinite, dx != 0 || dy != 0 else { return }
        let halfWidth = Double(r.width - 1) / 2, halfHeight = Double(r.height - 1) / 2
        let t = min(dx == 0 ? .infinity : halfWidth / abs(dx), dy == 0 ? .infinity : halfHeight / abs(dy))
        let column = (halfWidth + dx * t).rounded().clampedInt(0...(r.width - 1))
        let row = (halfHeight + dy * t).rounded().clampedInt(0...(r.height - 1))
        var cell = grid[r.x + column, r.y + row]
        cell.glyph = arrowGlyph(dx: dx, dy: dy * 2)
        cell.foreground = runColor(index)
        cell.bold = true
        grid[r.x + column, r.y + row] = cell
    }

    /// The axis ranges, on the row under the plot: x on the left, y on the right.
    private func drawAxisRanges(_ grid: inout Grid, _ r: Rect) {
        let names = experiment.objective.parameterNames
        let to = options.unicode ? " … " : " to "
        func range(_ name: String, _ low: Double, _ high: Double) -> String {
            "\(name) \(Self.axisNumber(low))\(to)\(Self.axisNumber(high))"
        }
        let x = range(names[axes.x], viewport.xMin, viewport.xMax)
        let end = grid.put(x, x: r.x + 1, y: r.y, foreground: .dim, maxWidth: r.width - 2)
        guard experiment.objective.dimension > 1 else { return }
        let y = range(names[axes.y], viewport.yMin, viewport.yMax)
        let start = max(end + 2, r.x + r.width - y.count - 1)
        grid.put(y, x: start, y: r.y, foreground: .dim, maxWidth: r.x + r.width - start)
    }

    /// Three significant digits, plain between 0.001 and 10⁵, else `1.5e+08`.
    static func axisNumber(_ value: Double) -> String {
        let magnitude = abs(value)
        if magnitude == 0 || (magnitude >= 1e-3 && magnitude < 1e5) { return String(format: "%.3g", value) }
        return String(format: "%.2g", value)
    }
}
