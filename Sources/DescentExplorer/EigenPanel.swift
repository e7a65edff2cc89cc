import DescentCore
import Foundation

extension ExplorerState {
    /// The selected run's error along each eigendirection, Distill's decomposition: for each unit eigenvector
    /// q_i of the Hessian (at the minimum for a quadratic, where the run stands otherwise) the error
    /// |⟨θ_k − θ*, q_i⟩| against step k on a log axis, solid, beside the theory's e_i(0)·ρ_i^k, dotted, each
    /// labelled with its curvature λ_i and rate ρ_i. θ* is the known minimum nearest the run.
    struct EigenErrors {
        var curvature: Double
        var rate: Double?
        var steps: [Int]
        var errors: [Double]
    }

    /// The panel's numbers; a reason instead when there are none to show.
    func eigenErrors() -> Result<[EigenErrors], EigenPanelProblem> {
        let run = selected, history = lanes[selectedRun].history
        guard let star = experiment.objective.knownMinima.min(by: { euclideanDistance($0, run.parameters) < euclideanDistance($1, run.parameters) }) else {
            return .failure(EigenPanelProblem(text: "no known minimum to measure the error from"))
        }
        let point = experiment.objective.hasConstantHessian ? star : run.parameters
        guard let spectrum = Spectrum(of: experiment.objective, at: point), spectrum.eigenvectors != nil else {
            return .failure(EigenPanelProblem(text: "the Hessian is too big to decompose here (over \(Spectrum.vectorDimension) parameters)"))
        }
        let analysis = RunAnalysis(label: run.label, step: run.stepCount, hyperparameters: run.hyperparameters, spectrum: spectrum)
        guard let directions = analysis.directions else { return .failure(EigenPanelProblem(text: "no eigenvectors here")) }
        var out: [EigenErrors] = []
        // At most four directions: the flattest and the steepest first, which set the rate.
        var chosen = Array(directions.indices)
        if chosen.count > 4 { chosen = [chosen.first!, chosen.last!] + chosen.dropFirst().dropLast().prefix(2) }
        for i in chosen {
            let q = directions[i]
            var errors: [Double] = []
            for row in 0..<history.count {
                var dot = 0.0
                for j in q.indices { dot += (history.coordinate(row, j) - star[j]) * q[j] }
                errors.append(abs(dot))
            }
            out.append(EigenErrors(curvature: analysis.curvatures[i], rate: analysis.maps?[i].rate, steps: history.steps, errors: errors))
        }
        return .success(out)
    }

    struct EigenPanelProblem: Error { var text: String }

    /// The direction's colour: its place among the shown directions.
    private func directionColor(_ k: Int) -> CellColor {
        guard options.color else { return .default }
        return [CellColor.accent, .warning, .run(2), .run(4)][k % 4]
    }

    func drawEigenPanel(_ grid: inout Grid, _ r: Rect) {
        let titleEnd = grid.put("error per eigendirection (log)", x: r.x + 1, y: r.y, foreground: .accent, bold: true) + 2
        // The key goes beside the title when it fits, else on the row below, over the plot's top.
        let keyRow = r.y + 1
        let directions: [EigenErrors]
        switch eigenErrors() {
        case .failure(let problem):
            grid.put(problem.text, x: r.x + 1, y: r.y + 1, foreground: .dim, maxWidth: r.width - 2)
            return
        case .success(let found): directions = found
        }
        // The key: each direction's curvature and rate, in its colour; dotted lines are the theory.
        let keys = directions.enumerated().map { k, d in
            let rate = d.rate.map { " \(glyph(.rho)) \(NumberFormat.axis($0))" } ?? ""
            // Without colour the curves are told apart by the digit they are drawn in (ASCII) or by order.
            let mark = options.color ? "" : "\(k + 1): "
            return (text: "\(mark)\(options.unicode ? "λ" : "curv") \(NumberFormat.axis(d.curvature))\(rate)", color: directionColor(k))
        }
        let keyWidth = keys.reduce(0) { $0 + $1.text.count + 2 } + 14
        let besideTitle = titleEnd + keyWidth <= r.x + r.width
        var column = besideTitle ? titleEnd : r.x + 1
        let y0 = besideTitle ? r.y : keyRow
        for key in keys where column + key.text.count < r.x + r.width {
            column = grid.put(key.text, x: column, y: y0, foreground: key.color, bold: true) + 2
        }
        if column + 14 < r.x + r.width { grid.put("dotted: theory", x: column, y: y0, foreground: .dim) }
        let labelWidth = 9
        let top = besideTitle ? r.y + 1 : r.y + 2
        let plot = Rect(x: r.x + labelWidth, y: top, width: r.width - labelWidth - 1, height: r.y + r.height - 1 - top)
        guard plot.width > 4, plot.height > 1 else { return }
        let all = directions.flatMap(\.errors).filter { $0 > 0 && $0.isFinite }
        guard let top = all.max() else {
            grid.put("the run is at the minimum", x: plot.x, y: plot.y, foreground: .dim)
            return
        }
        // A log axis of whole decades from the largest error down to 10⁻¹² of it at most.
        let high = log10(top).rounded(.up)
        let low = max(log10(all.min()!).rounded(.down), high - 12)
        let span = max(1, high - low)
        let steps = StepScale(steps: max(1, lossAxisSteps), log: logStepAxis)
        let dotsAcross = plot.width * 2 - 1, dotsDown = plot.height * 4 - 1
        func x(_ step: Int) -> Int { (steps.fraction(step) * Double(dotsAcross)).rounded().clampedInt(0...dotsAcross) }
        func y(_ value: Double) -> Int? {
            guard value.isFinite else { return nil }
            let v = value > 0 ? max(log10(value), low) : low
            return ((high - v) / span * Double(dotsDown)).rounded().clampedInt(0...dotsDown)
        }
        for (k, d) in directions.enumerated() {
            for theory in [true, false] {
                var canvas = BrailleCanvas(columns: plot.width, rows: plot.height)
                var previous: (Int, Int)?
                var phase = 0
                let start = d.errors.first ?? 0
                for row in d.steps.indices {
                    let step = d.steps[row]
                    let value: Double
                    if theory {
                        guard let rate = d.rate else { break }
                        value = start * pow(rate, Double(step - (d.steps.first ?? 0)))
                    } else {
                        value = d.errors[row]
                    }
                    guard let dotY = y(value) else { previous = nil; continue }
                    let point = (x(step), dotY)
                    if let p = previous { phase = canvas.line(p.0, p.1, point.0, point.1, pattern: theory ? 0x11 : 0xFF, phase: phase) } else { canvas.set(point.0, point.1) }
                    previous = point
                }
                copy(canvas, to: &grid, at: plot, color: directionColor(k), bold: !theory, asciiDot: theory ? ":" : (options.color ? "." : ["1", "2", "3", "4"][k % 4]))
            }
        }
        drawLossTicks(&grid, r: r, plot: plot, labelWidth: labelWidth, low: low, high: high, log: true, steps: steps)
    }
}
