import ArgumentParser
import DescentCore
import Foundation

struct LRFindCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lrfind",
        abstract: "Leslie Smith's learning-rate range test on a scenario's run, with the theory's stability edge.",
        discussion: """
            From the run's start, step k takes lr from·(to/from)^(k/(steps−1)) with the run's other \
            hyperparameters, and the smoothed loss is recorded; the test stops once the run diverges or the \
            smoothed loss passes 4× its lowest. Descent suggests a tenth of the lr of the lowest smoothed loss; the \
            steepest-slope rule of torch-lr-finder and Lightning is shown beside it, and, where the objective has \
            a Hessian, the theory's largest stable lr (2/λmax, or (2 + 2·momentum)/λmax with momentum).
            Example: descent lrfind Scenarios/03-learning-rate-edge.yaml --run "just below"
            """)

    @Argument(help: "A scenario file.", completion: .file(extensions: ["yaml", "yml", "json"]))
    var file: String
    @Option(name: .customLong("run"), help: "The run to test (default: the first).") var runLabel: String?
    @Option(help: "The first lr.") var from = 1e-7
    @Option(help: "The last lr.") var to = 10.0
    @Option(help: "Steps (one lr each).", transform: ScenarioOptions.whole) var steps: Int = 100
    @Option(help: "Smoothing of the loss: the weight of the past in its running average, in [0, 1).") var smoothing = 0.98
    @Option(help: "Output: table (with a chart), csv or svg.") var format: LRFindFormat = .table

    enum LRFindFormat: String, ExpressibleByArgument, CaseIterable { case table, csv, svg }

    func run() throws {
        guard from.isNormal, from > 0 else { throw InputError(field: "--from", message: "must be a finite lr > 0 (a normal number, not below 2.2e-308), got \(NumberFormat.exact(from))") }
        guard to > from, to.isFinite else { throw InputError(field: "--to", message: "must be a finite lr above --from (\(NumberFormat.exact(from))), got \(NumberFormat.exact(to))") }
        guard (2...100_000).contains(steps) else { throw InputError(field: "--steps", message: "must be from 2 to 100000, got \(steps)") }
        guard smoothing >= 0, smoothing < 1 else { throw InputError(field: "--smoothing", message: "must be in [0, 1), got \(NumberFormat.exact(smoothing))") }
        let experiment = try Experiment.load(contentsOf: file)
        let base: Run
        if let label = runLabel {
            guard let found = experiment.runs.first(where: { $0.label == label }) else {
                throw InputError(file: file, field: "--run", message: "names no run '\(label)' (runs: \(experiment.runs.map(\.label).joined(separator: ", ")))")
            }
            base = found
        } else {
            base = experiment.runs[0]
        }
        guard !base.hyperparameters.maximize else {
            throw InputError(file: file, field: runLabel == nil ? "runs[0]" : "--run", message: "'\(base.label)' maximizes: the range test looks for the lr of a descent (pick a run that minimizes)")
        }
        let test = LRRangeTest(run: base, from: from, to: to, steps: steps, smoothing: smoothing)
        switch format {
        case .csv:
            var out = "step,lr,loss,smoothed_loss\n"
            for (k, p) in test.points.enumerated() { out += "\(k + 1),\(NumberFormat.exact(p.lr)),\(NumberFormat.exact(p.loss)),\(NumberFormat.exact(p.smoothed))\n" }
            Console.current.out(out)
        case .svg:
            Console.current.out(Self.svg(test, scenario: experiment.scenario.name))
        case .table:
            Console.current.print(TerminalTraits.readable(Self.report(test, scenario: experiment.scenario.name, momentum: base.hyperparameters.momentum,
                                                                      sign: base.hyperparameters.update == .sign)))
        }
    }

    static func report(_ test: LRRangeTest, scenario: String, momentum: Double, sign: Bool = false) -> String {
        let f = NumberFormat.short
        var lines = ["\(scenario) · run '\(test.label)' · lr \(f(test.points.first?.lr ?? 0)) … \(f(test.points.last?.lr ?? 0)) over \(test.points.count) steps"
                     + (test.stoppedEarly.map { " (stopped: \($0))" } ?? ""), ""]
        lines += chart(test)
        lines.append("")
        if let low = test.lowest { lines.append("lowest smoothed loss       \(f(low.smoothed)) at lr \(f(low.lr))") }
        lines.append("suggested lr (Descent)     \(test.suggestion.map(f) ?? "-")   a tenth of the lr of the lowest smoothed loss")
        lines.append("steepest slope (peers)     \(test.steepest.map(f) ?? "-")   where the smoothed loss falls fastest per decade")
        if let edge = test.edge {
            let form = momentum == 0 ? "2/λmax" : "the largest stable lr at momentum \(f(momentum))"
            lines.append("theory's stability edge    \(f(edge))   \(form) at the start"
                         + (test.curvaturesBelowZero > 0 ? " (over its positive curvatures; its \(test.curvaturesBelowZero) ≤ 0 grow or stay at any lr)" : ""))
        } else {
            lines.append("theory's stability edge    -   " + (sign ? "(the sign update's step length is lr: it has no stability edge)"
                                                                : "(no Hessian with positive curvatures at the start)"))
        }
        return lines.joined(separator: "\n")
    }

    /// The smoothed loss against lr (both log), 64 × 14 cells: `*` the curve, `|` the theory's edge, `^` the
    /// suggestion, on the axis row.
    static func chart(_ test: LRRangeTest, width: Int = 64, height: Int = 14) -> [String] {
        let points = test.points.filter { $0.smoothed > 0 && $0.smoothed.isFinite }
        guard let first = test.points.first, let last = test.points.last, !points.isEmpty else { return ["(no positive smoothed loss: a log axis cannot show this one)"] }
        let x0 = log10(first.lr), x1 = max(log10(last.lr), x0 + 1e-6)
        let lows = points.map { log10($0.smoothed) }
        let y0 = lows.min()!.rounded(.down), y1 = max(lows.max()!.rounded(.up), y0 + 1)
        var grid = Array(repeating: Array(repeating: Character(" "), count: width), count: height)
        func column(_ lr: Double) -> Int? {
            let c = Int(((log10(lr) - x0) / (x1 - x0) * Double(width - 1)).rounded())
            return (0..<width).contains(c) ? c : nil
        }
        if let edge = test.edge, let c = column(edge) { for r in 0..<height { grid[r][c] = "|" } }
        for p in points {
            guard let c = column(p.lr) else { continue }
            let r = Int(((y1 - log10(p.smoothed)) / (y1 - y0) * Double(height - 1)).rounded())
            grid[min(max(r, 0), height - 1)][c] = "*"
        }
        let label = 9
        var out = grid.enumerated().map { r, row -> String in
            let tick = r == 0 ? "1e\(Int(y1))" : r == height - 1 ? "1e\(Int(y0))" : ""
            return String(repeating: " ", count: max(0, label - 1 - tick.count)) + tick + " " + String(row)
        }
        var axis = Array(repeating: Character("-"), count: width)
        if let s = test.suggestion, let c = column(s) { axis[c] = "^" }
        out.append(String(repeating: " ", count: label) + String(axis))
        let left = "lr \(NumberFormat.axis(first.lr))", right = NumberFormat.axis(last.lr)
        out.append(String(repeating: " ", count: label) + left + String(repeating: " ", count: max(1, width - left.count - right.count)) + right)
        out.append(String(repeating: " ", count: label) + "* smoothed loss (log)   | theory's edge   ^ suggested lr")
        return out
    }

    static func svg(_ test: LRRangeTest, scenario: String) -> String {
        let W = 800.0, H = 420.0
        var svg = SVGText(width: W, height: H)
        svg.rect(0, 0, W, H, fill: "#101018")
        svg.text("lr range test · \(scenario) · run '\(test.label)'", x: 16, y: 24, size: 15, fill: "#ffd7af", bold: true)
        let plot = (x: 70.0, y: 44.0, w: W - 100, h: H - 110)
        svg.rectOutline(plot.x, plot.y, plot.w, plot.h, stroke: "#606070")
        let points = test.points.filter { $0.smoothed > 0 && $0.smoothed.isFinite }
        guard let first = test.points.first, let last = test.points.last, !points.isEmpty else { return svg.finish() }
        let x0 = log10(first.lr), x1 = max(log10(last.lr), x0 + 1e-6)
        let logs = points.map { log10($0.smoothed) } + test.points.filter { $0.loss > 0 && $0.loss.isFinite }.map { log10($0.loss) }
        let y0 = logs.min()!.rounded(.down), y1 = max(logs.max()!.rounded(.up), y0 + 1)
        func x(_ lr: Double) -> Double { plot.x + (log10(lr) - x0) / (x1 - x0) * plot.w }
        func y(_ loss: Double) -> Double { plot.y + (y1 - log10(loss)) / (y1 - y0) * plot.h }
        let decadesY = Int(y1 - y0), everyY = max(1, Int((Double(decadesY) * 16 / plot.h).rounded(.up)))
        for d in Swift.stride(from: Int(y0), through: Int(y1), by: everyY) {
            svg.line(plot.x, y(pow(10, Double(d))), plot.x + plot.w, y(pow(10, Double(d))), stroke: "#303040", width: 1)
            svg.text("1e\(d)", x: plot.x - 6, y: y(pow(10, Double(d))) + 4, size: 11, fill: "#b0b0b0", anchor: "end")
        }
        let decadesX = Int(x1.rounded(.down) - x0.rounded(.up)), everyX = max(1, Int((Double(decadesX) * 40 / plot.w).rounded(.up)))
        for d in Swift.stride(from: Int(x0.rounded(.up)), through: Int(x1.rounded(.down)), by: everyX) {
            let xx = x(pow(10, Double(d)))
            svg.line(xx, plot.y + plot.h, xx, plot.y + plot.h + 4, stroke: "#606070", width: 1)
            svg.text("1e\(d)", x: xx, y: plot.y + plot.h + 18, size: 11, fill: "#b0b0b0", anchor: "middle")
        }
        svg.text("lr (log scale)", x: plot.x + plot.w / 2, y: plot.y + plot.h + 36, size: 12, fill: "#e0e0e0", anchor: "middle")
        svg.polyline(test.points.filter { $0.loss > 0 && $0.loss.isFinite }.map { (x($0.lr), y($0.loss)) }, stroke: "#5f5f87", width: 1)
        svg.polyline(points.map { (x($0.lr), y($0.smoothed)) }, stroke: "#87d7ff", width: 2)
        var legend = [("#87d7ff", "smoothed loss"), ("#5f5f87", "loss")]
        if let edge = test.edge, edge >= first.lr, edge <= last.lr {
            svg.line(x(edge), plot.y, x(edge), plot.y + plot.h, stroke: "#ff5f5f", width: 1.5)
            legend.append(("#ff5f5f", "theory's edge \(NumberFormat.short(edge))"))
        }
        if let s = test.suggestion {
            svg.line(x(s), plot.y, x(s), plot.y + plot.h, stroke: "#87ff87", width: 1.5)
            legend.append(("#87ff87", "suggested \(NumberFormat.short(s))"))
        }
        if let s = test.steepest {
            svg.line(x(s), plot.y, x(s), plot.y + plot.h, stroke: "#d7af5f", width: 1)
            legend.append(("#d7af5f", "steepest slope \(NumberFormat.short(s))"))
        }
        var lx = 16.0
        for (color, text) in legend {
            svg.line(lx, H - 16, lx + 20, H - 16, stroke: color, width: 3)
            svg.text(text, x: lx + 26, y: H - 12, size: 12, fill: "#e0e0e0")
            lx += 34 + Double(text.count) * 7
        }
        return svg.finish()
    }
}
