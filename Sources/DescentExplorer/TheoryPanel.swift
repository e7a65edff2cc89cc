import DescentCore
import Foundation

/// What the selected run's theory depends on: a quadratic's is the same at every step.
struct TheoryKey: Equatable, Sendable {
    var run: Int
    var label: String
    var step: Int?
    var hyperparameters: SGDHyperparameters
    var generation: Int
}

extension ExplorerState {
    /// The most work the theory panel does at once (about a third of a second): a heavier spectrum is left to
    /// `descent analyze`.
    static let theoryWork = 20 * frameWork

    /// Recomputes `theory` when the selected run, its hyperparameters or (for a Hessian that changes with
    /// θ) its step changed. A big Hessian that changes with θ is refreshed at most every 15 frames while running.
    mutating func refreshTheory() {
        guard showsTheory else { return }
        let objective = experiment.objective
        let run = selected
        let key = TheoryKey(run: selectedRun, label: run.label, step: objective.hasConstantHessian ? nil : run.stepCount,
                            hyperparameters: run.hyperparameters, generation: landscapeGeneration)
        guard key != theoryKey else { return }
        // New settings for the same run: the rate measured so far was the old settings'.
        if let old = theoryKey, old.run == key.run, old.label == key.label, old.hyperparameters != key.hyperparameters {
            lanes[selectedRun].rateMeter = RateMeter()
        }
        // A Hessian that costs more than a quarter of a frame to build is not rebuilt for every step while
        // running: the panel keeps the step it was taken at (its title says which) until the runs pause.
        let work = Spectrum.work(of: objective)
        let heavy = !objective.hasConstantHessian && (work ?? 0) > Self.frameWork / 4
        if heavy, playing, let old = theoryKey, old.run == key.run, old.label == key.label,
           old.hyperparameters == key.hyperparameters, old.generation == key.generation {
            return
        }
        theoryKey = key
        // A spectrum worth many frames is not worked out here: the keys would wait for it.
        guard (work ?? 0) <= Self.theoryWork else { theory = nil; return }
        // A quadratic's spectrum is the same everywhere; the rest are read at the run's point.
        theory = RunAnalysis(run: run)
    }

    /// Feeds the selected run's ‖g‖ to its rate meter (after a frame's steps), while the theory panel is
    /// shown: one more gradient a frame, for the run the panel is about.
    mutating func recordRates() {
        guard showsTheory, !selected.isDiverged else { return }
        lanes[selectedRun].rateMeter.record(step: selected.stepCount, norm: selected.effectiveGradientNorm())
    }

    /// `P`: the selected run takes Polyak's heavy ball for the curvatures it sees, and the status says so.
    mutating func applyPolyak() {
        let analysis = theory ?? RunAnalysis(run: selected)
        guard let analysis else {
            status = "Polyak's setting needs the Hessian, which is too big here (\(experiment.objective.dimension) parameters)"
            return
        }
        guard let polyak = analysis.polyak else {
            status = "Polyak's setting needs every curvature > 0; the smallest here is \(NumberFormat.short(analysis.curvatures.first ?? 0))"
            return
        }
        var h = selected.hyperparameters
        h.lr = polyak.lr; h.momentum = polyak.momentum; h.dampening = 0; h.nesterov = false; h.update = .sgd
        let f = NumberFormat.short
        if apply(h) {
            // Off a quadratic the curvatures are the Hessian's at this point only: the setting is local theory.
            let local = experiment.objective.hasConstantHessian ? "" : " for the curvature at step \(analysis.step) only: the valley may bend"
            status = "Polyak's heavy ball for curvatures \(f(analysis.curvatures.first!))…\(f(analysis.curvatures.last!)): lr \(f(polyak.lr)), momentum \(f(polyak.momentum)), rate \(f(polyak.rate)) a step\(local) (r reruns)"
        }
    }

    /// The theory panel's lines for the selected run, each at most `width` columns.
    func theoryLines(width: Int) -> [(text: String, color: CellColor)] {
        let f = NumberFormat.short
        let lambda = glyph(.lambda), rho = glyph(.rho)
        var lines: [(String, CellColor)] = []
        guard let a = theory else {
            let n = experiment.objective.dimension
            let work = Spectrum.work(of: experiment.objective)
            lines.append((work == nil ? "Hessian of \(n) parameters: too big"
                            : work! > Self.theoryWork ? "too heavy here: descent analyze" : "Hessian not finite here", .warning))
            return lines
        }
        let curvatures = a.curvatures
        let kappa = a.conditionNumber.map { "  \(glyph(.kappa)) \(f($0))" } ?? "  (curvature ≤ 0)"
        lines.append(("\(lambda) \(f(curvatures.first ?? 0))…\(f(curvatures.last ?? 0))\(kappa)", .default))
        if let maps = a.maps {
            // The smallest and largest curvature: between them lie the rest.
            let shown = maps.count <= 2 ? Array(maps.indices) : [0, maps.count - 1]
            for k in shown {
                let map = maps[k]
                lines.append(("\(lambda)=\(f(map.curvature)): \(rho) \(f(map.rate)) \(map.regime.rawValue)",
                              map.regime == .divergent ? .warning : .default))
            }
            lines.append(("predicted \(rho) \(a.predictedRate.map(f) ?? "-")", .accent))
            var measured = "measured  \(rho) " + (selectedRunMeasuredRate.map(f) ?? "- (run to measure)")
            if selectedRunMeasuredRate != nil {
                let span = " (\(lanes[selectedRun].rateMeter.span) steps)"
                if measured.count + span.count <= width { measured += span }
            }
            lines.append((measured, .accent))
        } else {
            lines.append(("sign update: not linear", .dim))
        }
        if let range = a.stableLR {
            lines.append(("stable: lr < \(f(range.upperBound))\(range.lowerBound > 0 ? " (> \(f(range.lowerBound)))" : "")", .default))
        } else if a.maps != nil {
            let positive = a.curvatures.first.map { $0 <= 0 } == true ? Stability.positiveEdge(curvatures: a.curvatures, hyperparameters: a.hyperparameters).edge : nil
            lines.append(("stable lr: none" + (positive.map { " (λ>0: lr < \(f($0)))" } ?? ""), .warning))
        }
        if let polyak = a.polyak {
            lines.append(("P: lr \(f(polyak.lr)) mom \(f(polyak.momentum))", .dim))
        }
        return lines.map { (plain(truncated($0.0, width: width, ellipsis: ellipsis)), $0.1) }
    }

    /// The selected run's measured rate, once its window spans a few steps.
    var selectedRunMeasuredRate: Double? {
        lanes[selectedRun].rateMeter.rate()
    }

    /// The Hessian's eigenvectors as two dotted lines through where it was taken (a quadratic's centre),
    /// on a 2-D landscape with the theory panel shown.
    func drawEigenAxes(_ grid: inout Grid, _ r: Rect) {
        guard showsTheory, experiment.objective.dimension == 2, let directions = theory?.directions, directions.count == 2 else { return }
        let objective = experiment.objective
        let through = objective.hasConstantHessian ? (objective.stationaryPoints.first ?? selected.parameters) : selected.parameters
        let map = mapping
        let reach = max(viewport.width, viewport.height)
        for (k, v) in directions.enumerated() {
            let a = [through[0] - reach * v[0], through[1] - reach * v[1]], b = [through[0] + reach * v[0], through[1] + reach * v[1]]
            guard let p = map.dotPosition(a[0], a[1]), let q = map.dotPosition(b[0], b[1]), let (s, e) = map.clip(p, q) else { continue }
            var canvas = BrailleCanvas(columns: r.width, rows: r.height)
            canvas.line(s.0, s.1, e.0, e.1, pattern: k == 0 ? 0x11 : 0x05)
            copy(canvas, to: &grid, at: r, color: options.color ? .dim : .default, bold: false, asciiDot: ":")
        }
    }
}
