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

    /// A point of the plane in dot coordinates (fractional; may lie far off the plot), nil when not finite.
    func dotPosition(_ x: Double, _ y: Double) -> (Double, Double)? {
        let fx = (x - viewport.xMin) / viewport.width * Double(columns * 2)
        let fy = (viewport.yMax - y) / viewport.height * Double(rows * 4)
        return fx.isFinite && fy.isFinite ? (fx, fy) : nil
    }

    /// The part of the segment a–b on the plot (a dot's margin around it), in whole dots; nil when none is.
    ///
    /// Clipped in Double (Liang–Barsky) before rounding, so a long segment crossing a zoomed-in view is
    /// drawn where it crosses, and no coordinate converted to Int is ever huge.
    func clip(_ a: (Double, Double), _ b: (Double, Double)) -> ((Int, Int), (Int, Int))? {
        let xMax = Double(columns * 2) + 1, yMax = Double(rows * 4) + 1
        var t0 = 0.0, t1 = 1.0
        let dx = b.0 - a.0, dy = b.1 - a.1
        for (p, q) in [(-dx, a.0 + 1), (dx, xMax - a.0), (-dy, a.1 + 1), (dy, yMax - a.1)] {
            if p == 0 {
                if q < 0 { return nil }
            } else {
                let r = q / p
                if p < 0 { if r > t1 { return nil }; t0 = max(t0, r) } else { if r < t0 { return nil }; t1 = min(t1, r) }
            }
        }
        let limit = -2...(Int(max(xMax, yMax)) + 2)
        func dot(_ t: Double) -> (Int, Int) { ((a.0 + t * dx).clampedInt(limit), (a.1 + t * dy).clampedInt(limit)) }
        return (dot(t0), dot(t1))
    }

    /// Draws a trajectory's path (axes `axes`) as joined lines, in a dot pattern.
    ///
    /// The same drawing serves the explorer and the test that a bounded history looks like the full path.
    /// - Parameters:
    ///   - fromRow: the first row drawn (the trail draws only the newest rows).
    ///   - iterates: a 2×2 blob at every iterate, so few steps can be counted.
    ///   - within: the path stops where it first leaves this box (a run flying off is not drawn across
    ///     the whole plane; its border arrow shows where it went).
    func drawPath(_ trajectory: Trajectory, plane: SlicePlane, into canvas: inout BrailleCanvas,
                  pattern: UInt8 = 0xFF, fromRow: Int = 0, iterates: Bool = false, within: Viewport? = nil) {
        var previous: (Double, Double)?
        var phase = 0
        for row in max(0, fromRow)..<trajectory.count {
            let (x, y) = plane.coordinates(trajectory, row: row)
            if let within, !within.contains([x, y]) { return }
            guard let d = dotPosition(x, y) else { previous = nil; continue }
            if let p = previous {
                if let (a, b) = clip(p, d) { phase = canvas.line(a.0, a.1, b.0, b.1, pattern: pattern, phase: phase) }
            } else if let (a, _) = clip(d, d) {
                canvas.set(a.0, a.1)
            }
            // Not on the newest row: the run's marker stands there.
            if iterates, row + 1 < trajectory.count, let (a, _) = clip(d, d) { canvas.blob(a.0, a.1) }
            previous = d
        }
    }
}

extension ExplorerState {
    /// Paths with at most this many rows are drawn with a blob at every iterate, so steps can be counted.
    static let countableSteps = 300
    /// The newest rows of every path are drawn bold: the trail that shows where a run is going.
    static let trailSteps = 8

    var mapping: PlaneMapping {
        let plot = layout.plot
        return PlaneMapping(viewport: viewport, columns: plot.width, rows: plot.height)
    }

    func drawLandscape(_ grid: inout Grid, plot r: Rect, axis: Rect) {
        guard r.width > 2, r.height > 2 else { return }
        drawShading(&grid, r)
        drawEigenAxes(&grid, r)
        let map = mapping
        drawGhost(&grid, r)
        // Paths: one canvas per run so each keeps its colour. The selected run's path goes first, under the
        // others, so where paths share cells it never hides them; its trail and marker still go on top.
        let order = ([selectedRun] + runs.indices.filter { $0 != selectedRun }).filter { !lanes[$0].hidden }
        var selectedTrail: BrailleCanvas?
        for index in order {
            let lane = lanes[index], history = lane.history
            let pattern = options.color ? 0xFF : lane.style.pattern
            var canvas = BrailleCanvas(columns: r.width, rows: r.height)
            let reach = lane.followBox ?? flightBox
            map.drawPath(history, plane: plane, into: &canvas, pattern: pattern,
                         iterates: history.count <= Self.countableSteps, within: reach)
            var trail = BrailleCanvas(columns: r.width, rows: r.height)
            map.drawPath(history, plane: plane, into: &trail, pattern: pattern,
                         fromRow: history.count - 1 - Self.trailSteps, iterates: history.count <= Self.countableSteps, within: reach)
            copy(canvas, to: &grid, at: r, color: runColor(index), bold: false, asciiDot: options.color ? "." : runGlyph(index))
            for row in 0..<r.height {
                for column in 0..<r.width where trail.cell(column, row) != 0 { grid[r.x + column, r.y + row].bold = true }
            }
            // The selected run's newest steps go back on top of whatever was drawn over its path.
            if index == selectedRun { selectedTrail = trail }
        }
        if let selectedTrail {
            copy(selectedTrail, to: &grid, at: r, color: runColor(selectedRun), bold: true, asciiDot: options.color ? "." : runGlyph(selectedRun))
        }
        let arrows = arrowsShown
        for index in arrows { drawUpdateArrows(&grid, r, run: index, ownColors: arrows.count > 1 || showsAllUpdates) }
        drawMarkers(&grid, r)
        if arrows.count > 1 || showsAllUpdates { drawArrowKey(&grid, r, runs: arrows) }
        drawAxisRanges(&grid, axis)
    }

    /// In colour, each level is a background shade; in both modes, contour lines where the level changes.
    private func drawShading(_ grid: inout Grid, _ r: Rect) {
        guard let field = landscape, field.key.columns == r.width, field.key.rows == r.height else { return }
        let contour: Unicode.Scalar = glyphScalar(.contour)
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
                } else if (row + column) % 3 == 0 {
                    // Where f is not finite (outside a typed formula's domain): hatched, not solid, so paths stay legible.
                    cell = Cell(glyphScalar(.nonFinite), foreground: .warning)
                }
                grid[r.x + column, r.y + row] = cell
            }
        }
    }

    /// Copies a canvas's dots into the grid (braille, or `.` without Unicode), keeping the cells' backgrounds.
    /// Without Unicode, a path is drawn in `asciiDot` (the run's glyph when there is no colour either).
    func copy(_ canvas: BrailleCanvas, to grid: inout Grid, at r: Rect, color: CellColor, bold: Bool,
                      asciiDot: Unicode.Scalar = ".") {
        for row in 0..<r.height {
            for column in 0..<r.width where canvas.cell(column, row) != 0 {
                var cell = grid[r.x + column, r.y + row]
                cell.glyph = options.unicode ? BrailleCanvas.glyph(canvas.cell(column, row)) : asciiDot
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
    public func nextStepParts(run index: Int? = nil) -> (theta: [Double], afterMomentum: [Double], next: [Double])? {
        var copy = runs[index ?? selectedRun]
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

    /// What the `v` arrows show for the selected run, for the status line.
    var updateArrowsNote: String {
        guard let parts = nextStepParts() else { return "no next step: the run has diverged" }
        var note = parts.afterMomentum != parts.theta ? "next step: momentum arrow, then gradient arrow"
            : (selected.hyperparameters.update == .sign ? "next step: the sign step's arrow" : "next step: the gradient arrow")
        let a = project(parts.theta), b = project(parts.next)
        if let p = mapping.dot(a[0], a[1]), let q = mapping.dot(b[0], b[1]), abs(p.0 - q.0) < 2 && abs(p.1 - q.1) < 2 {
            note += ", within a dot here: + zooms in"
        }
        return note
    }

    /// The runs whose update arrows are drawn: the selected one (`v`), every visible one (`V`), and those a
    /// lesson's beat names.
    var arrowsShown: [Int] {
        runs.indices.filter { index in
            !lanes[index].hidden && ((showsUpdate && index == selectedRun) || showsAllUpdates || arrowRuns.contains(runs[index].label))
        }
    }

    /// The key to the arrows of several runs, in the plot's top-left corner: which line is which term, and
    /// each run's two lengths.
    private func drawArrowKey(_ grid: inout Grid, _ r: Rect, runs shown: [Int]) {
        func length(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot() }
        let lengths = shown.compactMap { index in
            nextStepParts(run: index).map { (index, length($0.theta, $0.afterMomentum), length($0.afterMomentum, $0.next)) }
        }
        // A small plot keeps its room: the key is one line, each run's two lengths after its glyph.
        if r.height < 16 || lengths.count + 1 > r.height / 3 {
            let parts = lengths.map { (index, m, g) in (index, " \(runGlyph(index)) \(NumberFormat.axis(m))/\(NumberFormat.axis(g))") }
            let long = "momentum/gradient:"
            let head = long.count + parts.reduce(0) { $0 + $1.1.terminalColumns } + 2 <= r.width ? long : "m/g:"
            var x = grid.put(head, x: r.x + 1, y: r.y, foreground: .dim, background: .default, maxWidth: r.width - 2)
            for (index, text) in parts {
                guard x + text.terminalColumns < r.x + r.width else { break }
                x = grid.put(text, x: x, y: r.y, foreground: runColor(index), background: .default)
            }
            return
        }
        var y = r.y
        let head = "arrows: solid momentum term, dotted gradient term"
        grid.put(truncated(head, width: r.width - 2, ellipsis: ellipsis), x: r.x + 1, y: y, foreground: .dim, background: .default, maxWidth: r.width - 2)
        y += 1
        for (index, m, g) in lengths where y < r.y + r.height - 1 {
            let line = "\(runGlyph(index)) \(runs[index].label): momentum \(NumberFormat.axis(m))  gradient \(NumberFormat.axis(g))"
            grid.put(truncated(plain(line), width: r.width - 2, ellipsis: ellipsis), x: r.x + 1, y: y, foreground: runColor(index),
                     background: .default, maxWidth: r.width - 2)
            y += 1
        }
    }

    private func drawUpdateArrows(_ grid: inout Grid, _ r: Rect, run index: Int, ownColors: Bool) {
        guard let parts = nextStepParts(run: index) else { return }
        let map = mapping
        let a = project(parts.theta), m = project(parts.afterMomentum), b = project(parts.next)
        func arrow(_ from: [Double], _ to: [Double], color: CellColor, pattern: UInt8) {
            guard let p = map.dotPosition(from[0], from[1]), let q = map.dotPosition(to[0], to[1]),
                  let (a, b) = map.clip(p, q), a != b else { return }
            var canvas = BrailleCanvas(columns: r.width, rows: r.height)
            canvas.line(a.0, a.1, b.0, b.1, pattern: pattern)
            copy(canvas, to: &grid, at: r, color: options.color ? color : .default, bold: true)
            // The head only where the arrow really ends, not where it was clipped.
            guard let end = map.dot(to[0], to[1]), end == b, end.0 >= 0, end.1 >= 0 else { return }
            let column = end.0 / 2, row = end.1 / 4
            guard column < r.width, row < r.height else { return }
            var cell = grid[r.x + column, r.y + row]
            cell.glyph = arrowGlyph(dx: q.0 - p.0, dy: q.1 - p.1)
            cell.foreground = options.color ? color : .default
            cell.bold = true
            grid[r.x + column, r.y + row] = cell
        }
        // One run's arrows in two colours; several runs' each in its own, the gradient term dotted.
        let color = runColor(index)
        arrow(a, m, color: ownColors ? color : .accent, pattern: 0xFF)
        arrow(m, b, color: ownColors ? color : .warning, pattern: options.color && !ownColors ? 0xFF : 0x55)
        if runs[index].hyperparameters.nesterov, m != a, let d = map.dot(m[0], m[1]) {
            put(glyphScalar(.lookAhead), atDot: d, in: r, grid: &grid, color: .accent, bold: true)
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
        for (index, run) in runs.enumerated() where !lanes[index].hidden { mark(run.start, startGlyph, .default) }
        let order = (runs.indices.filter { $0 != selectedRun } + [selectedRun]).filter { !lanes[$0].hidden }
        for index in order {
            let p = project(runs[index].parameters)
            guard p[0].isFinite, p[1].isFinite else { continue }
            if let d = map.dot(p[0], p[1]), d.0 >= 0, d.1 >= 0, d.0 / 2 < r.width, d.1 / 4 < r.height {
                // A run sitting on a minimum or a start shows it with a highlighted cell, not by hiding it.
                let onLandmark = landmarkCells.contains([d.0 / 2, d.1 / 4])
                put(runGlyph(index), atDot: d, in: r, grid: &grid, color: lanes[index].style.color, bold: true,
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
        let to = glyph(.rangeTo)
        let (x0, x1) = NumberFormat.axisRange(viewport.xMin, viewport.xMax), (y0, y1) = NumberFormat.axisRange(viewport.yMin, viewport.yMax)
        let numbers = "\(x0)\(to)\(x1)".count + "\(y0)\(to)\(y1)".count + 5
        // Long parameter names (a regression's features) are shortened so both ranges fit, numbers whole.
        let nameWidth = max(1, (r.width - 2 - numbers) / 2)
        // Cut, two names that start alike keep what tells them apart: `…length_cm]`, `…width_cm]`.
        var (xName, yName) = plane.names(names)
        if xName.terminalColumns > nameWidth || yName.terminalColumns > nameWidth, experiment.objective.dimension > 1 {
            let common = zip(xName, yName).prefix { $0 == $1 }.count
            if common > 0 && common < min(xName.count, yName.count) {
                xName = ellipsis + xName.dropFirst(common)
                yName = ellipsis + yName.dropFirst(common)
            }
        }
        func range(_ name: String, _ low: String, _ high: String) -> String {
            "\(truncated(name, width: nameWidth, ellipsis: ellipsis)) \(low)\(to)\(high)"
        }
        let x = range(xName, x0, x1)
        let end = grid.put(x, x: r.x + 1, y: r.y, foreground: .dim, maxWidth: r.width - 2)
        guard experiment.objective.dimension > 1 else { return }
        let y = range(yName, y0, y1)
        let start = max(end + 2, r.x + r.width - y.terminalColumns - 1)
        grid.put(y, x: start, y: r.y, foreground: .dim, maxWidth: r.x + r.width - start)
    }
}
