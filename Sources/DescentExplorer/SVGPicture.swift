import DescentCore
import Foundation

/// The explorer's picture as one SVG, for slides and notes: the shaded landscape with every run's path, its
/// start, where it is and the known minima, a legend, and the loss curves on a log axis. Drawn from the
/// same state the terminal shows (its view, its paths, its colours), at a finer grain.
extension ExplorerState {
    /// `caption`: text under the picture (a lesson's beat), wrapped; the picture grows to hold it.
    public func svgPicture(width: Int = 1000, height: Int = 500, caption: String? = nil) -> String {
        let W = Double(max(width, 300))
        let captionLines = caption.map { text in
            text.split(separator: "\n", omittingEmptySubsequences: false).flatMap { wrap(String($0), width: max(20, Int(W / 8.4))) }
        } ?? []
        let captionHeight = captionLines.isEmpty ? 0 : 20.0 * Double(captionLines.count) + 16
        let H = Double(max(height, 200)) + captionHeight
        var svg = SVGText(width: W, height: H)
        svg.rect(0, 0, W, H, fill: "#101018")
        let title = "\(experiment.scenario.name) · \(experiment.objective.kind)"
        svg.text(title, x: 16, y: 24, size: 16, fill: CellColor.hex(xterm: CellColor.accent.xterm256!), bold: true)

        // The landscape on the left, the loss curves on the right, a legend under both.
        let legendHeight = 22.0 * Double((runs.count + 1) / 2) + 12
        let top = 52.0, bottom = H - captionHeight - legendHeight - 30
        let plot = (x: 56.0, y: top, w: (W - 56) * 0.55 - 16, h: max(60, bottom - top))
        let chart = (x: plot.x + plot.w + 64, y: top, w: W - (plot.x + plot.w + 64) - 16, h: plot.h)
        drawLandscapeSVG(&svg, plot)
        drawLossChartSVG(&svg, chart)

        // Legend: each run's colour, label and outcome.
        // Hidden runs (a lesson reveals them later) are left out of the legend too.
        for (slot, index) in runs.indices.filter({ !lanes[$0].hidden }).enumerated() {
            let run = runs[index]
            let column = Double(slot % 2), row = Double(slot / 2)
            let x = 16 + column * (W - 32) / 2, y = bottom + 34 + row * 22
            let color = CellColor.hex(xterm: lanes[index].style.color.xterm256!)
            svg.line(x, y - 4, x + 24, y - 4, stroke: color, width: 3)
            let outcome = run.isDiverged ? "diverged at step \(run.stepCount)" : "loss \(NumberFormat.readable(run.loss)) at step \(run.stepCount)"
            svg.text("\(run.label) — \(outcome)", x: x + 32, y: y, size: 13, fill: "#e0e0e0")
        }
        for (i, line) in captionLines.enumerated() {
            svg.text(line, x: 16, y: H - captionHeight + 14 + 20 * Double(i), size: 14, fill: line.hasPrefix("Q: ") ? CellColor.hex(xterm: CellColor.accent.xterm256!) : "#f0f0f0")
        }
        return svg.finish()
    }

    private func drawLandscapeSVG(_ svg: inout SVGText, _ r: (x: Double, y: Double, w: Double, h: Double)) {
        let dimension = experiment.objective.dimension
        let v = viewport
        // Four-pixel cells, sampled like the terminal's landscape (the same levels, finer).
        let columns = max(2, Int(r.w / 4)), rows = max(2, Int(r.h / 4))
        let field = LandscapeField(key: landscapeKey(columns: columns, rows: rows), objective: experiment.objective)
        let cw = r.w / Double(columns), ch = r.h / Double(rows)
        svg.open("<g clip-path=\"url(#plot)\">")
        svg.defs("<clipPath id=\"plot\"><rect x=\"\(f(r.x))\" y=\"\(f(r.y))\" width=\"\(f(r.w))\" height=\"\(f(r.h))\"/></clipPath>")
        for row in 0..<rows {
            // Runs of equal level as one rectangle each.
            var column = 0
            while column < columns {
                let level = field.level(column, row)
                var end = column + 1
                while end < columns && field.level(end, row) == level { end += 1 }
                let fill = level.map { CellColor.hex(xterm: CellColor.level($0).xterm256!) } ?? "#400000"
                svg.rect(r.x + Double(column) * cw, r.y + Double(row) * ch, Double(end - column) * cw + 0.5, ch + 0.5, fill: fill)
                column = end
            }
        }
        func point(_ x: Double, _ y: Double) -> (Double, Double) {
            (r.x + (x - v.xMin) / v.width * r.w, r.y + (v.yMax - y) / v.height * r.h)
        }
        // Paths, thinned to at most 3000 points each, clipped to the plot.
        for (index, history) in histories.enumerated() where !lanes[index].hidden {
            let stride = max(1, history.count / 3000)
            var points: [(Double, Double)] = []
            for row in Swift.stride(from: 0, to: history.count, by: stride) + (history.count > 1 ? [history.count - 1] : []) {
                let (x, y) = plane.coordinates(history, row: row)
                guard x.isFinite, y.isFinite, abs(x) < 1e12, abs(y) < 1e12 else { break }
                points.append(point(x, y))
            }
            let color = CellColor.hex(xterm: lanes[index].style.color.xterm256!)
            svg.polyline(points, stroke: color, width: 1.6)
            if let last = points.last { svg.circle(last.0, last.1, 4, fill: color, stroke: "#101018") }
            if let first = points.first { svg.circle(first.0, first.1, 5, fill: "none", stroke: "#ffffff") }
        }
        // On a slice of more than two parameters a minimum is not where the slice is: only a plane shows one.
        for minimum in experiment.objective.knownMinima where dimension <= 2 {
            let c = plane.coordinates(minimum)
            let (x, y) = point(c.x, c.y)
            svg.text("★", x: x - 6, y: y + 5, size: 14, fill: "#ffffff")
        }
        svg.close("</g>")
        svg.rectOutline(r.x, r.y, r.w, r.h, stroke: "#606070")
        let names = plane.names(experiment.objective.parameterNames)
        func s(_ low: Double, _ high: Double) -> String {
            low.isFinite && high.isFinite ? "\(NumberFormat.readable(low)) … \(NumberFormat.readable(high))" : "(too wide to draw)"
        }
        svg.text("\(names.x)  \(s(v.xMin, v.xMax))", x: r.x, y: r.y + r.h + 18, size: 12, fill: "#b0b0b0")
        if dimension > 1 {
            svg.text("\(names.y)  \(s(v.yMin, v.yMax))", x: r.x + r.w, y: r.y + r.h + 18, size: 12, fill: "#b0b0b0", anchor: "end")
        }
        svg.text("◯ start  ● now  ★ minimum", x: r.x, y: r.y - 6, size: 12, fill: "#b0b0b0")
    }

    private func drawLossChartSVG(_ svg: inout SVGText, _ r: (x: Double, y: Double, w: Double, h: Double)) {
        svg.rectOutline(r.x, r.y, r.w, r.h, stroke: "#606070")
        var low = Double.infinity, high = -Double.infinity, lastStep = 1, startHigh = -Double.infinity
        for history in histories {
            for k in 0..<history.count where history.losses[k].isFinite {
                low = min(low, history.losses[k]); high = max(high, history.losses[k])
            }
            if let first = history.losses.first, first.isFinite { startHigh = max(startHigh, first) }
            lastStep = max(lastStep, history.steps.last ?? 0)
        }
        guard low.isFinite, high.isFinite else {
            svg.text("no finite losses to draw", x: r.x + 8, y: r.y + 20, size: 12, fill: "#b0b0b0")
            return
        }
        // A log axis while every loss is positive (as the explorer's chart); linear otherwise (a saddle, a hill).
        // A run that flies off is cut at the panel's top: the axis stops two decades above the highest start.
        let logarithmic = low > 0
        svg.text(logarithmic ? "loss (log scale)" : "loss", x: r.x, y: r.y - 6, size: 12, fill: "#b0b0b0")
        var top: Double, floor: Double
        if logarithmic {
            top = log10(min(high, startHigh > 0 ? startHigh * 100 : high)).rounded(.up); floor = log10(low).rounded(.down)
            if top <= floor { top = floor + 1 }
        } else {
            top = min(high, startHigh.isFinite ? startHigh + 100 * max(1, abs(startHigh)) : high); floor = low
            if top <= floor { top = floor + 1 }
        }
        func scaled(_ loss: Double) -> Double { logarithmic ? log10(loss) : loss }
        func y(_ loss: Double) -> Double { r.y + (top - scaled(loss)) / (top - floor) * r.h }
        func x(_ step: Int) -> Double { r.x + Double(step) / Double(lastStep) * r.w }
        if logarithmic {
            // Labels at least 16 px apart, so they never overlap however many decades the losses span.
            let decades = Int(top - floor), every = max(1, Int((Double(decades) * 16 / max(r.h, 1)).rounded(.up)), decades / 8)
            for d in Swift.stride(from: Int(floor), through: Int(top), by: every) {
                let yy = y(pow(10, Double(d)))
                svg.line(r.x, yy, r.x + r.w, yy, stroke: "#303040", width: 1)
                svg.text("1e\(d)", x: r.x - 6, y: yy + 4, size: 11, fill: "#b0b0b0", anchor: "end")
            }
        } else {
            for k in 0...4 {
                let value = floor + (top - floor) * Double(k) / 4, yy = y(value)
                svg.line(r.x, yy, r.x + r.w, yy, stroke: "#303040", width: 1)
                svg.text(NumberFormat.readable(value), x: r.x - 6, y: yy + 4, size: 11, fill: "#b0b0b0", anchor: "end")
            }
        }
        // The step axis, outside the clipped curves: round steps, at least 60 px apart, labels never overlapping.
        let every = ExplorerState.niceInterval(Double(lastStep) / max(1, (r.w / 60).rounded(.down)))
        var nextFree = -Double.infinity
        for tick in Swift.stride(from: 0, through: lastStep, by: max(1, every)) {
            let xx = x(tick), label = tick == 0 ? "step 0" : "\(tick)"
            let width = Double(label.count) * 7
            let left = tick == 0 ? xx : xx - width / 2
            guard left >= nextFree, left + width <= r.x + r.w + 4 else { continue }
            svg.line(xx, r.y + r.h, xx, r.y + r.h + 4, stroke: "#606070", width: 1)
            svg.text(label, x: tick == 0 ? xx : xx, y: r.y + r.h + 18, size: 12, fill: "#b0b0b0", anchor: tick == 0 ? "start" : "middle")
            nextFree = left + width + 8
        }
        svg.defs("<clipPath id=\"chart\"><rect x=\"\(f(r.x))\" y=\"\(f(r.y))\" width=\"\(f(r.w))\" height=\"\(f(r.h))\"/></clipPath>")
        svg.open("<g clip-path=\"url(#chart)\">")
        defer { svg.close("</g>") }
        for (index, history) in histories.enumerated() where !lanes[index].hidden {
            let stride = max(1, history.count / 3000)
            var points: [(Double, Double)] = []
            for k in Swift.stride(from: 0, to: history.count, by: stride) {
                let loss = history.losses[k]
                guard loss.isFinite, !logarithmic || loss > 0 else { continue }
                points.append((x(history.steps[k]), y(loss)))
            }
            svg.polyline(points, stroke: CellColor.hex(xterm: lanes[index].style.color.xterm256!), width: 1.6)
        }
    }

    private func f(_ v: Double) -> String { SVGText.number(v) }
}

