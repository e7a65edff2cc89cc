import DescentCore
import Foundation

extension ExplorerState {
    /// Draws the whole screen into a new grid. Pure: the same state gives the same grid.
    public func render() -> Grid {
        var grid = Grid(width: width, height: height)
        guard !isTooSmall else {
            let text = "terminal too small: need \(Self.minimumSize.width)x\(Self.minimumSize.height), have \(width)x\(height)"
            grid.put(text, x: 0, y: height / 2, foreground: .warning, bold: true)
            return grid
        }
        let layout = self.layout
        drawTitle(&grid, layout.title)
        drawDescription(&grid, layout.description)
        drawLandscape(&grid, layout.landscape)
        drawLossChart(&grid, layout.lossChart)
        drawPanel(&grid, layout.panel)
        drawStatus(&grid, layout.status)
        switch mode {
        case .help: drawHelp(&grid)
        case .picker(let index): drawPicker(&grid, highlighted: index)
        default: break
        }
        return grid
    }

    /// The glyph marking run `index`'s current point; shapes differ so runs are told apart without colour.
    func runGlyph(_ index: Int) -> Unicode.Scalar {
        let glyphs: [Unicode.Scalar] = options.unicode ? ["●", "■", "▲", "◆", "▼", "✚"] : ["o", "x", "+", "#", "@", "%"]
        return glyphs[index % glyphs.count]
    }

    var separator: String { options.unicode ? " · " : " - " }
    var startGlyph: Unicode.Scalar { options.unicode ? "◎" : "S" }
    var minimumGlyph: Unicode.Scalar { options.unicode ? "★" : "*" }

    private func drawTitle(_ grid: inout Grid, _ r: Rect) {
        grid.fill(x: r.x, y: r.y, width: r.width, height: 1, with: Cell(" ", background: .selection))
        let names = experiment.objective.parameterNames
        let dims = experiment.objective.dimension > 2 ? "  (\(names[axes.x]) \(options.unicode ? "×" : "x") \(names[axes.y]) slice)" : ""
        let text = " Descent\(separator)\(experiment.scenario.name)\(separator)\(experiment.objective.kind)\(dims)"
        grid.put(text, x: r.x, y: r.y, foreground: .accent, background: .selection, bold: true, maxWidth: r.width)
    }

    private func drawDescription(_ grid: inout Grid, _ r: Rect) {
        let text = experiment.scenario.description ?? "Press ? for help."
        let lines = wrap(text, width: r.width - 2, lines: r.height, ellipsis: options.unicode ? "…" : "...")
        for (i, line) in lines.enumerated() { grid.put(line, x: r.x + 1, y: r.y + i, foreground: .dim) }
    }

    private func drawStatus(_ grid: inout Grid, _ r: Rect) {
        grid.fill(x: r.x, y: r.y, width: r.width, height: 1, with: Cell(" ", background: .selection))
        let icon = allDiverged ? "✗" : (playing ? "▶" : "❚❚")
        let head = " \(options.unicode ? icon + " " : "")\(stateName)\(separator)\(speed) step\(speed == 1 ? "" : "s")/frame\(separator)"
        let x = grid.put(head, x: r.x, y: r.y, foreground: allDiverged ? .warning : .accent, background: .selection, bold: true)
        let rest: String
        switch mode {
        case .editing: rest = "type a value for \(selectedField.name)\(separator)enter apply\(separator)esc cancel"
        case .picker: rest = options.unicode ? "↑↓ choose · enter open · esc cancel" : "up/down choose - enter open - esc cancel"
        case .help: rest = "any key closes the help"
        case .normal:
            rest = status ?? (options.unicode
                ? "? help  q quit  space run/pause  n step  r reset  tab run  ↑↓ select  ←→ change  enter type"
                : "? help  q quit  space run/pause  n step  r reset  tab run  arrows select/change  enter type")
        }
        grid.put(rest, x: x, y: r.y, foreground: status != nil && mode == .normal ? .warning : .default,
                     background: .selection, maxWidth: r.width - x)
    }

    // MARK: Landscape

    /// Maps a point of the shown plane to a braille dot of the landscape.
    func dot(_ p: [Double], in r: Rect) -> (Int, Int)? {
        guard p[0].isFinite, p[1].isFinite else { return nil }
        let v = viewport
        let fx = (p[0] - v.xMin) / (v.xMax - v.xMin), fy = (v.yMax - p[1]) / (v.yMax - v.yMin)
        guard abs(fx) < 1e6, abs(fy) < 1e6 else { return nil }
        return (Int((fx * Double(r.width * 2)).rounded(.down)), Int((fy * Double(r.height * 4)).rounded(.down)))
    }

    private func drawLandscape(_ grid: inout Grid, _ r: Rect) {
        guard r.width > 2, r.height > 2 else { return }
        // In colour, each level is a background shade; without colour, contour lines mark where the level changes.
        let contour: Unicode.Scalar = options.unicode ? "·" : ":"
        if let field = landscape, field.key.columns == r.width, field.key.rows == r.height {
            for row in 0..<r.height {
                for column in 0..<r.width {
                    let cell: Cell
                    if let level = field.level(column, row) {
                        if options.color {
                            cell = Cell(" ", background: .level(level))
                        } else {
                            let right = column + 1 < r.width ? field.level(column + 1, row) : level
                            let below = row + 1 < r.height ? field.level(column, row + 1) : level
                            cell = right != level || below != level ? Cell(contour, foreground: .dim) : .blank
                        }
                    } else {
                        cell = Cell(options.unicode ? "╳" : "x", foreground: .warning)
                    }
                    grid[r.x + column, r.y + row] = cell
                }
            }
        }
        // Trajectories: braille dots, one canvas per run so each keeps its colour.
        for (index, history) in histories.enumerated() {
            var canvas = BrailleCanvas(columns: r.width, rows: r.height)
            var previous: (Int, Int)?
            for point in history.points {
                guard let d = dot(project(point), in: r) else { previous = nil; continue }
                if let p = previous { canvas.line(p.0, p.1, d.0, d.1) } else { canvas.set(d.0, d.1) }
                previous = d
            }
            for row in 0..<r.height {
                for column in 0..<r.width where canvas.cell(column, row) != 0 {
                    let glyph = options.unicode ? BrailleCanvas.glyph(canvas.cell(column, row)) : "."
                    var cell = grid[r.x + column, r.y + row]
                    cell.glyph = glyph
                    cell.foreground = options.color ? .run(index) : .default
                    grid[r.x + column, r.y + row] = cell
                }
            }
        }
        func mark(_ point: [Double], _ glyph: Unicode.Scalar, _ color: CellColor, bold: Bool = true) {
            guard let d = dot(project(point), in: r) else { return }
            let column = d.0 / 2, row = d.1 / 4
            guard column >= 0, row >= 0, column < r.width, row < r.height else { return }
            var cell = grid[r.x + column, r.y + row]
            cell.glyph = glyph
            cell.foreground = options.color ? color : .default
            cell.bold = bold
            grid[r.x + column, r.y + row] = cell
        }
        for minimum in experiment.objective.knownMinima { mark(minimum, minimumGlyph, .accent) }
        for run in runs { mark(run.start, startGlyph, .default) }
        for (index, run) in runs.enumerated() { mark(run.parameters, runGlyph(index), .run(index)) }
        // Axis ranges in the corners, so a zoom or pan is readable.
        let names = experiment.objective.parameterNames
        let v = viewport
        let yName = experiment.objective.dimension > 1 ? names[axes.y] : ""
        grid.put("\(yName) \(Hyperparameter.format(v.yMax))", x: r.x, y: r.y, foreground: .dim)
        grid.put("\(yName) \(Hyperparameter.format(v.yMin))", x: r.x, y: r.y + r.height - 1, foreground: .dim)
        let right = "\(names[axes.x]) \(Hyperparameter.format(v.xMin)) \(options.unicode ? "…" : "to") \(Hyperparameter.format(v.xMax))"
        grid.put(right, x: r.x + r.width - right.unicodeScalars.count, y: r.y + r.height - 1, foreground: .dim)
    }

    // MARK: Loss chart

    /// Whether the loss axis is logarithmic: yes, unless a run maximizes or a loss is negative.
    /// A loss of exactly 0 (a minimum reached) is drawn at the bottom of a log axis.
    var lossAxisIsLog: Bool {
        !runs.contains { $0.hyperparameters.maximize } && !histories.contains { $0.losses.contains { $0.isFinite && $0 < 0 } }
    }

    private func drawLossChart(_ grid: inout Grid, _ r: Rect) {
        guard r.width > 20, r.height > 3 else { return }
        let log = lossAxisIsLog
        let title = log ? "loss (log scale) against step" : "objective value against step"
        var legendX = grid.put(title, x: r.x + 1, y: r.y, foreground: .accent, bold: true) + 2
        // The legend: each run's glyph and label in its colour (and in the curve's glyph without colour).
        for (index, run) in runs.enumerated() {
            let entry = "\(runGlyph(index)) \(run.label)"
            guard legendX + entry.count <= r.x + r.width else { break }
            legendX = grid.put(entry, x: legendX, y: r.y, foreground: options.color ? .run(index) : .default) + 2
        }
        let labelWidth = 9
        let plot = Rect(x: r.x + labelWidth, y: r.y + 1, width: r.width - labelWidth - 1, height: r.height - 2)
        guard plot.width > 4, plot.height > 1 else { return }
        let smallestPositive = histories.lazy.flatMap(\.losses).filter { $0 > 0 && $0.isFinite }.min() ?? 1
        func value(_ loss: Double) -> Double? {
            guard loss.isFinite else { return nil }
            return log ? log10(max(loss, smallestPositive)) : loss
        }
        let values = histories.flatMap { $0.losses.compactMap(value) }
        let maxStep = max(1, histories.map { $0.steps.last ?? 0 }.max() ?? 1)
        guard var low = values.min(), var high = values.max() else { return }
        if log {
            low = floor(low); high = ceil(high)
            if high - low < 1 { high = low + 1 }
        } else if high - low < 1e-12 * max(1, abs(high)) {
            low -= 1; high += 1
        }
        var canvas = [BrailleCanvas](repeating: BrailleCanvas(columns: plot.width, rows: plot.height), count: histories.count)
        for (index, history) in histories.enumerated() {
            var previous: (Int, Int)?
            for (step, loss) in zip(history.steps, history.losses) {
                guard let v = value(loss) else { previous = nil; continue }
                let x = Int(Double(step) / Double(maxStep) * Double(plot.width * 2 - 1))
                let y = Int(((high - v) / (high - low) * Double(plot.height * 4 - 1)).rounded())
                if let p = previous { canvas[index].line(p.0, p.1, x, y) } else { canvas[index].set(x, y) }
                previous = (x, y)
            }
        }
        for (index, c) in canvas.enumerated() {
            for row in 0..<plot.height {
                for column in 0..<plot.width where c.cell(column, row) != 0 {
                    let glyph = options.unicode ? BrailleCanvas.glyph(c.cell(column, row)) : (options.color ? "." : runGlyph(index))
                    grid[plot.x + column, plot.y + row] = Cell(glyph, foreground: options.color ? .run(index) : .default)
                }
            }
        }
        // y ticks: on a log axis whole decades (at most four, evenly spread); on a linear one top, middle, bottom.
        var ticks: [Double] = []
        if log {
            let decades = Int(high - low)
            let every = max(1, Int((Double(decades) / 3).rounded(.up)))
            ticks = stride(from: Int(high), through: Int(low), by: -every).map(Double.init)
        } else {
            ticks = [high, (high + low) / 2, low]
        }
        for v in ticks {
            let row = plot.y + Int(((high - v) / (high - low) * Double(plot.height - 1)).rounded())
            let text = log ? "1e\(Int(v))" : String(format: "%.2g", v).replacingOccurrences(of: "e+", with: "e")
            grid.put(text, x: r.x + labelWidth - 2 - text.count, y: row, foreground: .dim)
            grid.put(options.unicode ? "┤" : "|", x: r.x + labelWidth - 1, y: row, foreground: .dim)
        }
        let axisRow = plot.y + plot.height
        grid.put(String(repeating: options.unicode ? "─" : "-", count: plot.width), x: plot.x, y: axisRow, foreground: .dim)
        grid.put("0", x: plot.x, y: axisRow, foreground: .dim)
        let last = "step \(maxStep)"
        grid.put(last, x: plot.x + plot.width - last.count, y: axisRow, foreground: .dim)
    }

    // MARK: Panel

    private func drawPanel(_ grid: inout Grid, _ r: Rect) {
        var y = r.y
        let x = r.x
        grid.put("Runs", x: x, y: y, foreground: .accent, bold: true); y += 1
        let maxListed = max(1, min(runs.count, (r.height - 16) / 1))
        let first = max(0, min(selectedRun - maxListed + 1, runs.count - maxListed))
        for index in first..<min(runs.count, first + maxListed) {
            let run = runs[index]
            let marker = index == selectedRun ? (options.unicode ? "▸" : ">") : " "
            grid.put(marker, x: x, y: y, foreground: .accent, bold: true)
            grid.put(String(runGlyph(index)), x: x + 1, y: y, foreground: options.color ? .run(index) : .default, bold: true)
            let state = run.isDiverged ? run.status.description : "loss \(TrajectoryReport.short(run.loss))"
            let label = String(run.label.prefix(max(1, r.width - 4 - state.count)))
            grid.put(label, x: x + 3, y: y, bold: index == selectedRun, maxWidth: r.width - 3)
            grid.put(state, x: x + r.width - state.count, y: y, foreground: run.isDiverged ? .warning : .dim)
            y += 1
        }
        if runs.count > maxListed {
            grid.put("  … \(runs.count) runs (tab)", x: x, y: y, foreground: .dim); y += 1
        }
        y += 1
        let run = selected
        grid.put("Hyperparameters\(separator)\(run.label)", x: x, y: y, foreground: .accent, bold: true, maxWidth: r.width); y += 1
        for field in Hyperparameter.allCases {
            let isSelected = field == selectedField
            let background: CellColor? = isSelected ? .selection : nil
            if isSelected { grid.fill(x: x, y: y, width: r.width, height: 1, with: Cell(" ", background: .selection)) }
            grid.put(isSelected ? (options.unicode ? "▸" : ">") : " ", x: x, y: y, foreground: .accent, background: background, bold: true)
            grid.put(field.name, x: x + 2, y: y, background: background, bold: isSelected)
            var shown = field.display(run.hyperparameters)
            if isSelected, case .editing(let text) = mode { shown = "[" + text + "_]" }
            grid.put(shown, x: x + 16, y: y, foreground: isSelected ? .accent : .default, background: background, bold: isSelected)
            y += 1
        }
        y += 1
        let names = experiment.objective.parameterNames
        let theta = run.parameters
        let shownTheta = theta.count <= 2 ? theta.map(TrajectoryReport.short).joined(separator: ", ")
            : theta.prefix(4).map { String(format: "%.4g", $0) }.joined(separator: ", ") + (theta.count > 4 ? ", ..." : "")
        let readouts: [(String, String)] = [
            ("step", "\(run.stepCount)" + (run.isDiverged ? "  (\(run.status.description))" : "")),
            ("loss", TrajectoryReport.short(run.loss)),
            ("θ", "[" + shownTheta + "]"),
            ("‖∇f‖", TrajectoryReport.short(run.gradientNorm())),
            ("‖buf‖", TrajectoryReport.short(run.optimizer.state.momentumBufferNorm)),
        ]
        for (name, value) in readouts where y < r.y + r.height {
            let label = options.unicode ? name : ["θ": "theta", "‖∇f‖": "|g|", "‖buf‖": "|buf|"][name] ?? name
            grid.put(label, x: x, y: y, foreground: .dim)
            grid.put(value, x: x + 7, y: y, foreground: name == "step" && run.isDiverged ? .warning : .default, maxWidth: r.width - 7)
            y += 1
        }
        if theta.count > 2, y < r.y + r.height {
            grid.put("\(names.count) parameters: x, y pick the axes", x: x, y: y, foreground: .dim, maxWidth: r.width)
            y += 1
        }
        if y + 1 < r.y + r.height {
            let legend = "\(startGlyph) start  \(minimumGlyph) minimum"
            grid.put(legend, x: x, y: r.y + r.height - 1, foreground: .dim)
        }
    }

    // MARK: Overlays

    static let helpLines: [(String, String)] = [
        ("space", "run / pause"), ("n", "one step (pauses)"), ("r", "reset every run to the start"),
        ("tab / shift-tab", "select run"), ("↑ / ↓", "select a hyperparameter"),
        ("← / →", "change it (lr, weight_decay ×10^±0.1; momentum, dampening ±0.05; toggles)"),
        ("enter", "type an exact value (esc cancels)"), ("a / d", "add a copy of the run / delete it"),
        ("o", "open another objective or scenario"), ("+ / -", "zoom in / out"), ("H J K L", "pan left, down, up, right"),
        ("0", "fit the view"), ("x / y", "change the landscape's axes (more than 2 parameters)"),
        ("f / s", "faster / slower (steps per frame)"), ("w", "write the setup as a new scenario file"),
        ("e", "export the trajectories as CSV"), ("click", "move the start there and reset"), ("?", "this help"), ("q", "quit"),
    ]

    private func drawBox(_ grid: inout Grid, title: String, lines: [String], highlighted: Int? = nil) {
        let innerWidth = min(width - 6, max(title.count + 4, lines.map(\.count).max() ?? 0) + 2)
        let innerHeight = min(height - 4, lines.count)
        let x = (width - innerWidth - 2) / 2, y = max(1, (height - innerHeight - 2) / 2)
        let (h, v, tl, tr, bl, br): (String, String, String, String, String, String) =
            options.unicode ? ("─", "│", "╭", "╮", "╰", "╯") : ("-", "|", "+", "+", "+", "+")
        grid.fill(x: x, y: y, width: innerWidth + 2, height: innerHeight + 2)
        grid.put(tl + String(repeating: h, count: innerWidth) + tr, x: x, y: y, foreground: .accent)
        grid.put(" \(title) ", x: x + 2, y: y, foreground: .accent, bold: true)
        let offset = highlighted.map { max(0, $0 - innerHeight + 1) } ?? 0
        for row in 0..<innerHeight {
            grid.put(v, x: x, y: y + 1 + row, foreground: .accent)
            let index = row + offset
            if index < lines.count {
                let isHighlighted = index == highlighted
                if isHighlighted { grid.fill(x: x + 1, y: y + 1 + row, width: innerWidth, height: 1, with: Cell(" ", background: .selection)) }
                grid.put(" " + lines[index], x: x + 1, y: y + 1 + row, background: isHighlighted ? .selection : nil,
                         bold: isHighlighted, maxWidth: innerWidth)
            }
            grid.put(v, x: x + innerWidth + 1, y: y + 1 + row, foreground: .accent)
        }
        grid.put(bl + String(repeating: h, count: innerWidth) + br, x: x, y: y + innerHeight + 1, foreground: .accent)
    }

    private func drawHelp(_ grid: inout Grid) {
        let lines = Self.helpLines.map { key, what in key.padding(toLength: 16, withPad: " ", startingAt: 0) + what }
        drawBox(&grid, title: "Keys", lines: lines)
    }

    private func drawPicker(_ grid: inout Grid, highlighted: Int) {
        drawBox(&grid, title: "Open", lines: choices.map(\.title), highlighted: highlighted)
    }
}

/// Greedy word wrap to at most `lines` lines, the last ending in … when cut.
func wrap(_ text: String, width: Int, lines: Int, ellipsis: String = "…") -> [String] {
    guard width > 1, lines > 0 else { return [] }
    var result: [String] = []
    var current = ""
    let words = text.split(whereSeparator: \.isWhitespace)
    for word in words {
        let candidate = current.isEmpty ? String(word) : current + " " + word
        if candidate.count <= width {
            current = candidate
            continue
        }
        result.append(current)
        current = String(word.prefix(width))
        if result.count == lines {
            var last = result[lines - 1]
            if last.count + ellipsis.count > width { last = String(last.prefix(width - ellipsis.count)) }
            result[lines - 1] = last + ellipsis
            return result
        }
    }
    if !current.isEmpty { result.append(current) }
    return Array(result.prefix(lines))
}
