import DescentCore
import Foundation

extension ExplorerState {
    /// The range test's size: `descent lrfind`'s defaults.
    static let rangeTestSteps = 100

    /// `z`: the lr range test of the selected run from its start (as `descent lrfind` runs it), or the loss
    /// chart again. A test heavier than a few frames' work is not run: the status line says to use the command.
    mutating func toggleRangeTest() {
        if rangeTest != nil { rangeTest = nil; status = "the loss chart again"; return }
        guard !selected.hyperparameters.maximize else {
            status = "'\(selected.label)' maximizes: the range test looks for the lr of a descent"
            return
        }
        // The steps, and the Hessian at the start for the theory's edge.
        let cost = Self.rangeTestSteps * max(1, experiment.objective.costPerEvaluation + experiment.objective.dimension)
            + (Spectrum.work(of: experiment.objective) ?? 0)
        guard cost <= 5 * Self.frameWork else {
            status = "the range test is too heavy for a frame here: descent lrfind FILE --run '\(selected.label)'"
            return
        }
        var start = selected
        start.reset()
        let test = LRRangeTest(run: start, from: 1e-7, to: 10, steps: Self.rangeTestSteps, smoothing: 0.98)
        rangeTest = test
        let f = NumberFormat.short
        status = "lr range test of '\(selected.label)': suggested lr \(test.suggestion.map(f) ?? "-")"
            + (test.edge.map { ", theory's edge \(f($0))" } ?? "") + " (z: the loss chart)"
    }

    /// The range test in the loss chart's place: the smoothed loss against lr, both log, with the theory's
    /// edge and the suggestion marked, and a key with their numbers.
    func drawRangeTest(_ grid: inout Grid, _ r: Rect, _ test: LRRangeTest) {
        let f = NumberFormat.axis
        var x = grid.put("lr range test", x: r.x + 1, y: r.y, foreground: .accent, bold: true) + 2
        let keys = [(test.suggestion.map { "\(glyphScalar(.up)) lr \(f($0))" }, CellColor.run(2)),
                    (test.edge.map { "\(glyphScalar(.stableEdge)) edge \(f($0))" }, CellColor.warning)]
        for case let (text?, color) in keys where x + text.count < r.x + r.width {
            x = grid.put(text, x: x, y: r.y, foreground: options.color ? color : .default, bold: true) + 2
        }
        let labelWidth = 9
        let plot = Rect(x: r.x + labelWidth, y: r.y + 1, width: r.width - labelWidth - 1, height: r.height - 2)
        let points = test.points.filter { $0.smoothed > 0 && $0.smoothed.isFinite }
        guard plot.width > 4, plot.height > 1, let first = test.points.first, let last = test.points.last, !points.isEmpty else { return }
        let x0 = log10(first.lr), x1 = max(log10(last.lr), x0 + 1e-6)
        let logs = points.map { log10($0.smoothed) }
        let high = max(logs.max()!.rounded(.up), logs.min()!.rounded(.down) + 1), low = logs.min()!.rounded(.down)
        let dotsAcross = plot.width * 2 - 1, dotsDown = plot.height * 4 - 1
        func dx(_ lr: Double) -> Int { ((log10(lr) - x0) / (x1 - x0) * Double(dotsAcross)).rounded().clampedInt(0...dotsAcross) }
        func dy(_ loss: Double) -> Int { ((high - log10(loss)) / (high - low) * Double(dotsDown)).rounded().clampedInt(0...dotsDown) }
        var canvas = BrailleCanvas(columns: plot.width, rows: plot.height)
        var previous: (Int, Int)?
        for p in points {
            let point = (dx(p.lr), dy(p.smoothed))
            if let q = previous { canvas.line(q.0, q.1, point.0, point.1) } else { canvas.set(point.0, point.1) }
            previous = point
        }
        copy(canvas, to: &grid, at: plot, color: options.color ? .accent : .default, bold: false)
        func mark(_ lr: Double?, _ glyph: Unicode.Scalar, _ color: CellColor, fullHeight: Bool) {
            guard let lr, lr >= first.lr, lr <= last.lr else { return }
            let column = plot.x + dx(lr) / 2
            for row in (fullHeight ? plot.y : plot.y + plot.height - 1)..<(plot.y + plot.height) {
                grid[column, row] = Cell(glyph, foreground: options.color ? color : .default, bold: true)
            }
        }
        mark(test.edge, glyphScalar(.stableEdge), .warning, fullHeight: true)
        mark(test.suggestion, glyphScalar(.up), .run(2), fullHeight: false)
        for (value, row) in [(high, plot.y), (low, plot.y + plot.height - 1)] {
            let text = "1e\(Int(value))"
            grid.put(text, x: max(r.x, r.x + labelWidth - 2 - text.count), y: row, foreground: .dim)
            grid.put(glyph(.tick), x: r.x + labelWidth - 1, y: row, foreground: .dim)
        }
        let axisRow = plot.y + plot.height
        grid.put(String(repeating: glyph(.ruleH), count: plot.width), x: plot.x, y: axisRow, foreground: .dim)
        grid.put("lr", x: r.x + labelWidth - 3, y: axisRow, foreground: .dim)
        grid.put(f(first.lr), x: plot.x, y: axisRow, foreground: .dim)
        let end = f(last.lr)
        grid.put(end, x: plot.x + plot.width - end.count, y: axisRow, foreground: .dim)
    }
}
