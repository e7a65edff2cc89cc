import DescentCore
import Foundation

/// The map of the hyperparameter plane (`m`): lr (log) across, momentum up, each cell the selected run
/// from its start with that setting, coloured by its final loss, computed a frame's worth at a time.
public struct MapView: Sendable {
    /// The grid of runs: a cell of the map is a cell of this sweep (the same numbers as `descent sweep`).
    public let sweep: Sweep
    public let runIndex: Int
    /// Final losses in cell order, nil until computed.
    public internal(set) var values: [Double?]
    public internal(set) var refused: [Bool]
    /// Cells whose run diverged, whatever their final loss (a parameter can be infinite where the loss is not).
    public internal(set) var diverged: [Bool]
    /// Cells computed so far (in index order).
    public internal(set) var computed = 0
    public internal(set) var cursor: (x: Int, y: Int)
    /// The stable lr at each row's momentum and Polyak's optimum, drawn over the map on a quadratic.
    let boundary: [Double?]
    let optimum: (lr: Double, momentum: Double)?

    public var isComplete: Bool { computed >= sweep.cellCount }

    /// Most steps a cell takes: the scenario's steps, up to this.
    static let maximumSteps = 2000

    public var columns: Int { sweep.x.count }
    public var rows: Int { sweep.y.count }

    init(run: Run, runIndex: Int, columns: Int, rows: Int, steps: Int, analysis: RunAnalysis?, quadratic: Bool) throws(InputError) {
        // The map's runs start over: the run's own cell is its setting as its file gives it (lr its base lr,
        // what the sweep's cells are).
        var atStart = run
        atStart.reset()
        let h = atStart.specifiedHyperparameters
        // Across: four decades of lr up to past the stability edge at momentum 0.99 when it is known,
        // else around the run's lr.
        var high = h.lr * 30
        if let lambda = analysis?.curvatures.last, lambda > 0 { high = 1.5 * (2 + 2 * 0.99) / lambda }
        if !(high > 0) || !high.isFinite { high = 1 }
        // The run's own lr and momentum are cells of the map (the nearest column and row take them exactly),
        // so the cell under ◆ is the run itself.
        var x = SweepAxis(field: .lr, from: high * 1e-4, to: high, count: max(2, columns), logarithmic: true)
        var y = SweepAxis(field: .momentum, from: 0, to: 0.99, count: max(2, rows), logarithmic: false)
        let ownColumn = Self.slot(h.lr, x), ownRow = Self.slot(h.momentum, y)
        if let ownColumn { x = x.replacing(ownColumn, with: h.lr) }
        if let ownRow { y = y.replacing(ownRow, with: h.momentum) }
        sweep = try Sweep(base: run, x: x, y: y, steps: min(steps, Self.maximumSteps), metric: .finalLoss)
        self.runIndex = runIndex
        values = Array(repeating: nil, count: sweep.cellCount)
        refused = Array(repeating: false, count: sweep.cellCount)
        diverged = Array(repeating: false, count: sweep.cellCount)
        cursor = (ownColumn ?? (h.lr < x.values[0] ? 0 : x.count - 1), ownRow ?? (h.momentum < y.values[0] ? 0 : y.count - 1))
        if quadratic, let analysis {
            boundary = y.values.map { momentum in
                var p = h; p.momentum = momentum
                return Stability.stableLR(curvatures: analysis.curvatures, hyperparameters: p)?.upperBound
            }
            optimum = analysis.polyak.map { ($0.lr, $0.momentum) }
        } else {
            boundary = []
            optimum = nil
        }
    }

    /// Where a value sits along an axis, 0…1 (log for a log axis).
    static func place(_ value: Double, _ axis: SweepAxis) -> Double {
        guard let lo = axis.values.first, let hi = axis.values.last, hi != lo else { return 0 }
        if axis.logarithmic { return value > 0 ? (log10(value) - log10(lo)) / (log10(hi) - log10(lo)) : -1 }
        return (value - lo) / (hi - lo)
    }

    /// The column (or row) nearest to `value`, when it lies on the map.
    static func slot(_ value: Double, _ axis: SweepAxis) -> Int? {
        let t = place(value, axis)
        guard t >= -0.5 / Double(axis.count), t <= 1 + 0.5 / Double(axis.count) else { return nil }
        return min(axis.count - 1, max(0, Int((t * Double(axis.count - 1)).rounded())))
    }

    /// Computes the next cells within `work` multiply-adds of objective evaluation.
    mutating func fill(work: Int, costPerStep: Int) {
        guard !isComplete else { return }
        let perCell = max(1, sweep.steps * max(1, costPerStep))
        let count = max(1, min(sweep.cellCount - computed, work / perCell))
        let cells = Array(computed..<(computed + count))
        for cell in sweep.run(cells: cells) {
            values[cell.index] = cell.value
            refused[cell.index] = cell.invalid != nil
            diverged[cell.index] = cell.diverged
        }
        computed += count
    }
}

extension ExplorerState {
    /// The map's box: the whole screen but the title and status lines, inside a border.
    var mapBox: Rect { Rect(x: 0, y: 1, width: width, height: max(0, height - 2)) }
    /// Columns for the momentum labels at the left of the map.
    static let mapLabelWidth = 6

    /// The map's grid of cells for the screen's size.
    var mapGridSize: (columns: Int, rows: Int) {
        let box = mapBox
        return (box.width - 2 - Self.mapLabelWidth - 1, box.height - 2 - 4)
    }

    /// After a resize: the map again at the new size, for the same run, with the cursor at the same setting.
    mutating func reopenMap(keeping old: MapView) {
        let cursorSetting = old.sweep.hyperparameters(cell: old.cursor.y * old.columns + old.cursor.x)
        let selected = selectedRun
        mapView = nil
        mode = .normal
        guard old.runIndex < runs.count else { return }
        selectedRun = old.runIndex
        openMap()
        selectedRun = selected
        guard var map = mapView else { return }
        if let column = MapView.slot(cursorSetting.lr, map.sweep.x), let row = MapView.slot(cursorSetting.momentum, map.sweep.y) {
            map.cursor = (column, row)
        }
        mapView = map
    }

    /// `m`: opens the map for the selected run, sized to the screen.
    mutating func openMap() {
        let (columns, rows) = mapGridSize
        guard columns >= 8, rows >= 4 else { status = "the map needs a bigger terminal"; return }
        // Each frame computes whole cells, and the map should fill within about a minute: on a heavy
        // objective the cells take fewer steps (the title says how many), and where even ten steps of one
        // cell would hold up a frame the map is left to `descent sweep`.
        let cost = experiment.objective.costPerEvaluation + experiment.objective.dimension
        let minuteOfFrames = Self.frameWork * Self.framesPerSecond * 60
        let affordable = min(Self.frameWork / max(1, cost), minuteOfFrames / max(1, columns * rows * cost))
        guard affordable >= 10 else {
            status = "a map of this objective would take too long here: `descent sweep` runs it on all cores, in shards if need be"
            return
        }
        let analysis = theory ?? RunAnalysis(run: selected)
        do {
            mapView = try MapView(run: selected, runIndex: selectedRun, columns: columns, rows: rows,
                                  steps: min(experiment.scenario.steps, affordable), analysis: analysis,
                                  quadratic: experiment.objective.constantSpectrum != nil)
            mode = .map
            playing = false
        } catch {
            status = error.description
        }
    }

    /// One frame of the open map: the next cells, within the frame's budget.
    mutating func fillMap() {
        guard var map = mapView, !map.isComplete else { return }
        map.fill(work: Self.frameWork, costPerStep: experiment.objective.costPerEvaluation + experiment.objective.dimension)
        mapView = map
    }

    mutating func mapKey(_ key: Key) {
        guard var map = mapView else { mode = .normal; return }
        let sweep = map.sweep
        switch key {
        case .left, .character("h"): map.cursor.x = max(0, map.cursor.x - 1)
        case .right, .character("l"): map.cursor.x = min(sweep.x.count - 1, map.cursor.x + 1)
        case .up, .character("k"): map.cursor.y = min(sweep.y.count - 1, map.cursor.y + 1)
        case .down, .character("j"): map.cursor.y = max(0, map.cursor.y - 1)
        case .enter:
            let cell = map.cursor.y * sweep.x.count + map.cursor.x
            var h = sweep.hyperparameters(cell: cell)
            // The map's lr is the base lr; by hand the lr of the next step is set (the schedule's base scaling
            // with it), so it is the run's lr now in the same ratio: the run's own cell leaves it as it is.
            if map.runIndex < runs.count, runs[map.runIndex].schedule != nil {
                let run = runs[map.runIndex]
                h.lr = h.lr == run.optimizer.baseLR ? run.hyperparameters.lr
                    : run.optimizer.baseLR == 0 ? h.lr : run.hyperparameters.lr * (h.lr / run.optimizer.baseLR)
            }
            mode = .normal
            mapView = nil
            guard map.runIndex < runs.count else { return }
            selectedRun = map.runIndex
            if apply(h) {
                status = "'\(selected.label)' now has lr \(NumberFormat.short(h.lr)), momentum \(NumberFormat.short(h.momentum)) from the map (r reruns from the start)"
            }
            return
        default:
            mode = .normal
            mapView = nil
            return
        }
        mapView = map
    }

    func drawMap(_ grid: inout Grid) {
        guard let map = mapView else { return }
        let box = mapBox, sweep = map.sweep
        let (hl, vl, tl, tr, bl, br): (String, String, String, String, String, String) =
            (glyph(.ruleH), glyph(.ruleV), glyph(.cornerTL), glyph(.cornerTR), glyph(.cornerBL), glyph(.cornerBR))
        grid.fill(x: box.x, y: box.y, width: box.width, height: box.height)
        grid.put(tl + String(repeating: hl, count: box.width - 2) + tr, x: box.x, y: box.y, foreground: .accent)
        for row in 1..<(box.height - 1) {
            grid.put(vl, x: box.x, y: box.y + row, foreground: .accent)
            grid.put(vl, x: box.x + box.width - 1, y: box.y + row, foreground: .accent)
        }
        grid.put(bl + String(repeating: hl, count: box.width - 2) + br, x: box.x, y: box.y + box.height - 1, foreground: .accent)
        let done = map.isComplete ? "" : "  \(map.computed * 100 / max(1, sweep.cellCount))%"
        let title = " Map\(separator)'\(sweep.base.label)' from its start, final loss after \(sweep.steps) steps\(done) "
        grid.put(truncated(title, width: box.width - 4, ellipsis: ellipsis), x: box.x + 2, y: box.y, foreground: .accent, bold: true)

        let left = box.x + 1 + Self.mapLabelWidth + 1, top = box.y + 1
        let columns = sweep.x.count, rows = sweep.y.count
        let scale = SweepScale(metric: .finalLoss, values: map.values, startLoss: sweep.base.loss, maximize: sweep.base.hyperparameters.maximize)
        let ramp = Array(".:-=+*#%@".unicodeScalars)
        for row in 0..<rows {
            let yIndex = rows - 1 - row
            for column in 0..<columns {
                let cell = yIndex * columns + column
                var glyph: Unicode.Scalar = " ", foreground: CellColor = .default, background: CellColor = .default
                if cell >= map.computed {
                    glyph = glyphScalar(.pending); foreground = .dim
                } else {
                    switch scale.shade(map.values[cell], invalid: map.refused[cell], diverged: map.diverged[cell]) {
                    case .level(let t):
                        if options.color {
                            background = .level(min(CellColor.landscapeLevels - 1, Int(t * Double(CellColor.landscapeLevels))))
                        } else {
                            glyph = ramp[min(ramp.count - 1, Int(t * Double(ramp.count)))]
                        }
                    case .diverged: glyph = "x"; foreground = .warning
                    case .none: glyph = " "
                    case .invalid: glyph = "/"; foreground = .dim
                    }
                }
                grid[left + column, top + row] = Cell(glyph, foreground: foreground, background: background)
            }
            // The stable lr at this row's momentum (a quadratic's theory).
            if yIndex < map.boundary.count, let edge = map.boundary[yIndex], let column = MapView.slot(edge, sweep.x) {
                var c = grid[left + column, top + row]
                c.glyph = glyphScalar(.stableEdge); c.foreground = .accent; c.bold = true
                grid[left + column, top + row] = c
            }
        }
        func mark(_ lr: Double, _ momentum: Double, _ glyph: Unicode.Scalar, _ color: CellColor) {
            guard let column = MapView.slot(lr, sweep.x), let yIndex = MapView.slot(momentum, sweep.y) else { return }
            var c = grid[left + column, top + rows - 1 - yIndex]
            c.glyph = glyph; c.foreground = color; c.bold = true
            grid[left + column, top + rows - 1 - yIndex] = c
        }
        if let optimum = map.optimum { mark(optimum.lr, optimum.momentum, minimumGlyph, .accent) }
        let h = sweep.base.specifiedHyperparameters
        mark(h.lr, h.momentum, glyphScalar(.currentSetting), runColor(map.runIndex))
        // The cursor: reversed.
        var c = grid[left + map.cursor.x, top + rows - 1 - map.cursor.y]
        c.background = .selection; c.bold = true
        if c.glyph == " " { c.glyph = "+" }
        grid[left + map.cursor.x, top + rows - 1 - map.cursor.y] = c

        let f = NumberFormat.short
        // Momentum labels: top, middle, bottom.
        for (row, yIndex) in [(0, rows - 1), (rows / 2, rows - 1 - rows / 2), (rows - 1, 0)] {
            let text = f(sweep.y.values[yIndex])
            grid.put(String(text.prefix(Self.mapLabelWidth)), x: left - 1 - min(Self.mapLabelWidth, text.count), y: top + row, foreground: .dim)
        }
        let axisY = top + rows
        let lo = f(sweep.x.values[0]), mid = f(sweep.x.values[columns / 2]), hi = f(sweep.x.values[columns - 1])
        grid.put(lo, x: left, y: axisY, foreground: .dim)
        grid.put(mid, x: left + columns / 2 - mid.count / 2, y: axisY, foreground: .dim)
        grid.put(hi, x: left + columns - hi.count, y: axisY, foreground: .dim)
        grid.put("\(glyph(.up)) momentum", x: box.x + 2, y: axisY + 1, foreground: .dim)
        grid.put("lr (log scale) \(glyph(.right))", x: left + columns / 4, y: axisY + 1, foreground: .dim)
        // The cursor's cell, and what the marks mean.
        let cell = map.cursor.y * columns + map.cursor.x
        let value = cell < map.computed ? (map.refused[cell] ? "refused by torch" : map.values[cell].map { "final loss \(NumberFormat.readable($0))" } ?? "-") : "computing"
        let readout = "lr \(f(sweep.x.values[map.cursor.x]))  momentum \(f(sweep.y.values[map.cursor.y]))  \(value)"
        grid.put(truncated(readout, width: box.width - 4, ellipsis: ellipsis), x: box.x + 2, y: axisY + 2, bold: true)
        var legend = "\(glyph(.currentSetting)) now  "
        if map.optimum != nil { legend += "\(minimumGlyph) Polyak  \(glyph(.stableEdge)) stable edge  " }
        // The scale's numbers: the darkest shade's final loss (the best cell, or the floor above it) and the lightest.
        let ends = scale.ends
        legend += "x diverged  loss (log) \(NumberFormat.axis(ends.low)) \(options.color ? "dark" : ".")\(glyph(.right))\(options.color ? "light" : "@") \(NumberFormat.axis(ends.high))"
        grid.put(truncated(legend, width: box.width - 4, ellipsis: ellipsis), x: box.x + 2, y: axisY + 3, foreground: .dim)
    }
}
