import DescentCore
import Foundation

extension ExplorerState {
    /// What the chart subtracts from every loss: f*, the lowest loss at the objective's known minima, while
    /// the chart shows f − f* (`G`), so convergence to a minimum whose loss is not 0 reads on the log axis.
    var lossOffset: Double {
        guard showsLossGap else { return 0 }
        return experiment.objective.knownMinima.map { experiment.objective.loss(at: $0) }.min() ?? 0
    }

    /// How far below 0 f − f* may read from rounding alone (f and f* each carry it): such a gap is 0.
    var gapRounding: Double { showsLossGap ? 1e-12 * max(1, abs(lossOffset)) : 0 }

    /// Whether the loss axis is logarithmic: yes, unless a run maximizes or a loss is negative.
    /// A loss of exactly 0 (a minimum reached) is drawn on the bottom row of a log axis.
    var lossAxisIsLog: Bool {
        !runs.contains { $0.hyperparameters.maximize } && !histories.contains { $0.lowestLoss - lossOffset < -gapRounding }
    }

    /// The range of the loss axis that teaches: every run's values except those that run away
    /// (above 10⁶ times the largest starting loss on a log axis, beyond 100 times it in size on a linear one).
    /// - Returns: (low, high) in axis units (log10 of the loss on a log axis), and the cap on |loss|.
    func lossAxisRange(log: Bool) -> (low: Double, high: Double, cap: Double)? {
        // Hidden runs' curves are not drawn, so they do not stretch the axis (unless every run is hidden).
        let shown = lanes.filter { !$0.hidden }.map(\.history)
        let histories = shown.isEmpty ? self.histories : shown
        let offset = lossOffset
        let startScale = histories.compactMap { $0.losses.first.map { $0 - offset } }.filter(\.isFinite).map(abs).max() ?? 1
        let cap = log ? (startScale > 0 ? startScale * 1e6 : .infinity) : 100 * max(startScale, 1e-9)
        var low = Double.infinity, high = -Double.infinity
        for history in histories {
            for row in 0..<history.count {
                let range = (low: history.lossRange(row).low - offset, high: history.lossRange(row).high - offset)
                func take(_ loss: Double) {
                    guard loss.isFinite, abs(loss) <= cap, !log || loss > 0 else { return }
                    let v = log ? log10(loss) : loss
                    low = min(low, v); high = max(high, v)
                }
                take(range.low)
                if range.high != range.low { take(range.high) }
            }
        }
        if log && high == -.infinity {
            // Every loss is 0 (or runs away): one decade around the start.
            high = startScale > 0 && startScale.isFinite ? log10(startScale).rounded(.up) : 0
            low = high - 1
        }
        guard low.isFinite, high.isFinite else { return nil }
        if log {
            low = low.rounded(.down); high = high.rounded(.up)
            if high - low < 1 { high = low + 1 }
        } else if high - low < 1e-12 * max(1, abs(high)) {
            low -= max(1, abs(low) * 0.1); high += max(1, abs(high) * 0.1)
        }
        return (low, high, cap)
    }

    /// The last step of the step axis: the furthest run, or the step running pauses at if that is further.
    var lossAxisSteps: Int {
        max(1, histories.map { $0.steps.last ?? 0 }.max() ?? 0, pauseAtStep ?? 0)
    }

    func drawLossChart(_ grid: inout Grid, _ r: Rect) {
        guard r.width > 20, r.height > 3 else { return }
        if let rangeTest { return drawRangeTest(&grid, r, rangeTest) }
        if showsEigen { return drawEigenPanel(&grid, r) }
        let log = lossAxisIsLog
        let title = showsLossGap ? (log ? "f - f* (log)" : "f - f*") : (log ? "loss (log)" : "objective")
        let legendX = grid.put(title, x: r.x + 1, y: r.y, foreground: .accent, bold: true) + 2
        drawLegend(&grid, x: legendX, y: r.y, width: r.x + r.width - legendX)
        let labelWidth = 9
        let plot = Rect(x: r.x + labelWidth, y: r.y + 1, width: r.width - labelWidth - 1, height: r.height - 2)
        guard plot.width > 4, plot.height > 1, let (low, high, cap) = lossAxisRange(log: log) else { return }
        let steps = max(lossAxisSteps, whatIf?.path.steps.last ?? 0)
        let dotsAcross = plot.width * 2 - 1, dotsDown = plot.height * 4 - 1
        let stepScale = StepScale(steps: steps, log: logStepAxis)
        func x(_ step: Int) -> Int { (stepScale.fraction(step) * Double(dotsAcross)).rounded().clampedInt(0...dotsAcross) }
        let offset = lossOffset
        /// The dot row of a loss (less f* while the chart shows f − f*), nil off the axis (above the cap, or not finite).
        let rounding = gapRounding
        func y(_ raw: Double) -> Int? {
            var loss = raw - offset
            if loss < 0 && loss >= -rounding { loss = 0 }
            guard loss.isFinite, abs(loss) <= cap else { return nil }
            let v = log ? (loss > 0 ? log10(loss) : low) : loss
            return ((high - v) / (high - low) * Double(dotsDown)).rounded().clampedInt(0...dotsDown)
        }
        // The what-if's ghost first, dimmed and dotted, under the runs' curves.
        if let ghost = whatIf?.path {
            var canvas = BrailleCanvas(columns: plot.width, rows: plot.height)
            var previous: (Int, Int)?
            var phase = 0
            for row in 0..<ghost.count {
                guard let dotY = y(ghost.losses[row]) else { previous = nil; continue }
                let point = (x(ghost.steps[row]), dotY)
                if let p = previous { phase = canvas.line(p.0, p.1, point.0, point.1, pattern: 0x55, phase: phase) } else { canvas.set(point.0, point.1) }
                previous = point
            }
            for row in 0..<plot.height {
                for column in 0..<plot.width where canvas.cell(column, row) != 0 {
                    grid[plot.x + column, plot.y + row] = Cell(options.unicode ? BrailleCanvas.glyph(canvas.cell(column, row)) : ":", foreground: .dim)
                }
            }
        }
        let order = (runs.indices.filter { $0 != selectedRun } + [selectedRun]).filter { !lanes[$0].hidden }
        for index in order {
            let history = lanes[index].history
            var canvas = BrailleCanvas(columns: plot.width, rows: plot.height)
            var previous: (Int, Int)?
            var phase = 0
            let pattern = options.color ? 0xFF : lanes[index].style.pattern
            for row in 0..<history.count {
                let step = history.steps[row]
                guard let dotY = y(history.losses[row]) else { previous = nil; continue }
                let point = (x(step), dotY)
                if let p = previous { phase = canvas.line(p.0, p.1, point.0, point.1, pattern: pattern, phase: phase) } else { canvas.set(point.0, point.1) }
                // A row of a thinned history stands for several steps: the band their losses fill.
                let range = history.lossRange(row)
                if range.low != range.high, let top = y(range.high) ?? y(history.losses[row]), let bottom = y(range.low) ?? y(history.losses[row]) {
                    canvas.line(point.0, top, point.0, bottom, pattern: pattern)
                }
                previous = point
            }
            for row in 0..<plot.height {
                for column in 0..<plot.width where canvas.cell(column, row) != 0 {
                    let glyph = options.unicode ? BrailleCanvas.glyph(canvas.cell(column, row)) : (options.color ? "." : runGlyph(index))
                    grid[plot.x + column, plot.y + row] = Cell(glyph, foreground: runColor(index), bold: index == selectedRun)
                }
            }
            // The run's glyph at its latest point ties the curve to the legend, with or without colour.
            if let last = history.losses.last, let dotY = y(last) {
                let column = x(history.steps.last ?? 0) / 2, row = dotY / 4
                grid[plot.x + min(column, plot.width - 1), plot.y + min(row, plot.height - 1)] =
                    Cell(runGlyph(index), foreground: runColor(index), bold: true)
            }
            // A run whose loss has left the axis: an arrow at the edge, over its latest step.
            if let last = history.losses.last.map({ $0 - offset }), !last.isFinite || abs(last) > cap {
                // A diverged run's loss is +∞, −∞ (a maximizing run climbing, or a descent down a hill) or NaN.
                let up = last.isNaN || last > 0
                let column = x(history.steps.last ?? 0) / 2
                grid.put(glyph(up ? .up : .down), x: plot.x + column,
                         y: up ? plot.y : plot.y + plot.height - 1, foreground: runColor(index), bold: true)
            }
        }
        drawLossTicks(&grid, r: r, plot: plot, labelWidth: labelWidth, low: low, high: high, log: log, steps: stepScale)
    }

    /// Each run's glyph and label in its colour; labels are shortened evenly to fit, and runs that still
    /// do not fit are counted (`+2`).
    private func drawLegend(_ grid: inout Grid, x: Int, y: Int, width: Int) {
        let shownRuns = runs.indices.filter { !lanes[$0].hidden }
        let n = shownRuns.count
        guard width > 6, n > 0 else { return }
        let longest = shownRuns.map { runs[$0].label.terminalColumns }.max() ?? 0
        var labelWidth = longest
        var shown = n
        while shown > 0 {
            let room = width - (shown < n ? 4 : 0)
            labelWidth = min(longest, room / shown - 4)
            if labelWidth >= 4 || labelWidth >= longest { break }
            shown -= 1
        }
        var column = x
        for index in shownRuns.prefix(shown) {
            let label = truncated(runs[index].label, width: max(1, labelWidth), ellipsis: ellipsis)
            column = grid.put("\(runGlyph(index)) \(label)", x: column, y: y, foreground: runColor(index), bold: index == selectedRun) + 2
        }
        if shown < n { grid.put("+\(n - shown)", x: column, y: y, foreground: .dim) }
    }

    func drawLossTicks(_ grid: inout Grid, r: Rect, plot: Rect, labelWidth: Int,
                               low: Double, high: Double, log: Bool, steps: StepScale) {
        // y: on a log axis whole decades (at most four, evenly spread); on a linear one top, middle, bottom.
        var ticks: [Double] = []
        if log {
            let decades = Int(high - low)
            let every = max(1, Int((Double(decades) / 3).rounded(.up)))
            ticks = stride(from: Int(high), through: Int(low), by: -every).map(Double.init)
        } else {
            ticks = [high, (high + low) / 2, low]
        }
        for v in ticks {
            let row = plot.y + ((high - v) / (high - low) * Double(plot.height - 1)).rounded().clampedInt(0...(plot.height - 1))
            let text = log ? "1e\(Int(v))" : NumberFormat.axis(v)
            grid.put(text, x: max(r.x, r.x + labelWidth - 2 - text.count), y: row, foreground: .dim, maxWidth: labelWidth - 1)
            grid.put(glyph(.tick), x: r.x + labelWidth - 1, y: row, foreground: .dim)
        }
        // x: the axis line, with step numbers at round intervals.
        let axisRow = plot.y + plot.height
        grid.put(String(repeating: glyph(.ruleH), count: plot.width), x: plot.x, y: axisRow, foreground: .dim)
        grid.put("step", x: r.x + labelWidth - 5, y: axisRow, foreground: .dim)
        var nextFree = plot.x
        for tick in steps.ticks(count: max(1, plot.width / 10)) {
            let column = plot.x + (steps.fraction(tick) * Double(plot.width * 2 - 1) / 2).rounded(.down).clampedInt(0...(plot.width - 1))
            let text = Self.shortCount(tick)
            let start = min(column, plot.x + plot.width - text.count)
            if start >= nextFree {
                nextFree = grid.put(text, x: start, y: axisRow, foreground: .dim) + 2
            }
        }
    }

    /// The loss chart's step axis: 0…steps, linear, or logarithmic in (step + 1).
    struct StepScale {
        let steps: Int
        let log: Bool

        /// Where `step` falls on the axis, 0…1.
        func fraction(_ step: Int) -> Double {
            log ? Foundation.log10(Double(step) + 1) / Foundation.log10(Double(steps) + 1) : Double(step) / Double(steps)
        }

        /// Round steps to label: multiples of 1, 2 or 5 × 10ᵏ, or on a log axis 0, 1, 10, 100, ….
        func ticks(count: Int) -> [Int] {
            if log {
                var ticks = [0]
                var power = 1
                while power <= steps { ticks.append(power); if power > Int.max / 10 { break }; power *= 10 }
                return ticks
            }
            let every = ExplorerState.niceInterval(Double(steps) / Double(count))
            return Array(stride(from: 0, through: steps, by: every))
        }
    }

    /// 1, 2 or 5 times a power of ten, at least `rough` (and at least 1).
    static func niceInterval(_ rough: Double) -> Int {
        guard rough.isFinite, rough > 1 else { return 1 }
        let power = pow(10, log10(rough).rounded(.down))
        for m in [1.0, 2, 5, 10] where m * power >= rough { return (m * power).clampedInt(1...Int.max / 4) }
        return (10 * power).clampedInt(1...Int.max / 4)
    }

    /// `950`, `12k`, `1.5M`: a step count in at most five characters.
    static func shortCount(_ n: Int) -> String {
        if n < 10_000 { return "\(n)" }
        if n < 1_000_000 { return n % 1000 == 0 ? "\(n / 1000)k" : String(format: "%.1fk", Double(n) / 1000) }
        return n % 1_000_000 == 0 ? "\(n / 1_000_000)M" : String(format: "%.1fM", Double(n) / 1_000_000)
    }
}
