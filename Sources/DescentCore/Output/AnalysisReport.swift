import Foundation

/// `descent analyze`'s text: a run's linear theory, with the rate its own steps show.
public enum AnalysisReport {
    /// Six significant digits, as the table writes numbers.
    static let f = NumberFormat.readable

    /// The roots of a map, `0.818182 ± 0.1i` or `0.5, -0.2`.
    public static func roots(_ map: ModeMap) -> String {
        if map.roots.count == 2, map.roots[0].im != 0 {
            return "\(f(map.roots[0].re)) ± \(f(abs(map.roots[0].im)))i"
        }
        return map.roots.map { f($0.re) }.joined(separator: ", ")
    }

    /// `[[a, b], [c, d]]`, or `[z]` without momentum.
    public static func matrix(_ map: ModeMap) -> String {
        let m = map.matrix.map(f)
        return m.count == 1 ? "[\(m[0])]" : "[[\(m[0]), \(m[1])], [\(m[2]), \(m[3])]]"
    }

    /// How the stable lr range was found, in the form for these hyperparameters.
    public static func stabilityRule(_ p: SGDHyperparameters) -> String {
        if p.momentum == 0 { return "plain SGD: lr < 2/λmax" }
        if p.nesterov { return "Nesterov: lr < (2 + 2·momentum)/((1 + 2·momentum)·λmax)" }
        return p.dampening == 0 ? "heavy ball: lr < (2 + 2·momentum)/λmax"
            : "heavy ball: lr < (2 + 2·momentum)/((1 − dampening)·λmax)"
    }

    /// Why no lr is stable, when none is.
    public static func noStableLR(_ a: RunAnalysis) -> String {
        let p = a.hyperparameters
        if p.update == .sign { return "the sign update is not linear: no stability limit from theory" }
        if let low = a.curvatures.first, low <= 0 {
            let positive = Stability.positiveEdge(curvatures: a.curvatures, hyperparameters: p)
            return "none: a curvature ≤ 0 (\(f(low))) grows or stays at any lr"
                + (positive.edge.map { "; the positive curvatures are stable below \(f($0)) (the edge the range test draws)" } ?? "")
        }
        if p.dampening >= 1 { return "none: with dampening ≥ 1 the buffer never takes the gradient" }
        return "none: momentum ≥ 1 keeps ρ ≥ 1"
    }

    /// The report; `measured` is the rate fitted over the steps `window` when the run was stepped.
    /// - Parameter status: how the run ended, when it diverged (`diverged at step 12`).
    public static func text(_ a: RunAnalysis, scenario: String, objective: any Objective, at: String,
                            measured: (rate: Double, window: ClosedRange<Int>)?, status: String? = nil) -> String {
        let p = a.hyperparameters
        var out = "\(scenario.escapingControlCharacters) · \(objective.kind) · run '\(a.label.escapingControlCharacters)' at step \(a.step) (\(at)\(status.map { ", \($0)" } ?? ""))\n"
        out += "lr \(f(p.lr))  momentum \(f(p.momentum))  dampening \(f(p.dampening))  weight_decay \(f(p.weightDecay))"
        out += "  nesterov \(p.nesterov)  maximize \(p.maximize)  update \(p.update.rawValue)\n\n"
        let sign = p.maximize ? "−λ" : "λ"
        out += "Curvatures: the Hessian's eigenvalues as the optimizer sees them (\(sign)\(p.weightDecay != 0 ? " + weight_decay" : ""))\n"
        if let steps = a.spectrum.lanczosSteps {
            out += "  (too many parameters to form the Hessian: the Ritz values of \(steps) Lanczos steps of Hessian-vector products, its extremes to a few digits)\n"
        }
        out += "  min \(f(a.curvatures.first ?? 0))  max \(f(a.curvatures.last ?? 0))  condition number "
        out += (a.conditionNumber.map(f) ?? "none (a curvature ≤ 0)") + "\n\n"
        let shown = shownIndices(a.curvatures.count)
        if let maps = a.maps {
            out += "One step on (error, momentum buffer) along each eigenvector\(p.momentum != 0 ? ", after the first step" : "")\n"
            var rows = [["curvature", "direction", "map", "roots", "ρ", "regime"]]
            var previous = -1
            for k in shown {
                if k != previous + 1 { rows.append(["…", "", "", "", "", ""]) }
                previous = k
                let map = maps[k]
                let direction = a.directions.map { "[" + $0[k].map(f).joined(separator: ", ") + "]" } ?? "-"
                rows.append([f(map.curvature), direction, matrix(map), roots(map), f(map.rate), map.regime.rawValue])
            }
            out += aligned(rows)
        } else {
            out += "The sign update is not linear: no map, no predicted rate.\n"
        }
        out += "\nRate per step\n"
        out += "  predicted  " + (a.predictedRate.map { "max ρ = \(f($0))" } ?? "-") + "\n"
        if let measured {
            out += "  measured   \(f(measured.rate))  (fit of log ‖g‖ over steps \(measured.window.lowerBound)–\(measured.window.upperBound), g = \(p.maximize ? "−∇f" : "∇f")\(p.weightDecay != 0 ? " + weight_decay·θ" : ""))\n"
        } else {
            let why = at == "start" ? "none at the start: --at final steps the run"
                : (status.map { "the run \($0) before a rate could be measured" } ?? "no steps with ‖g‖ above rounding level")
            out += "  measured   - (\(why))\n"
        }
        out += "\nLargest stable lr at momentum \(f(p.momentum)): "
        if let range = a.stableLR {
            out += (range.lowerBound > 0 ? "\(f(range.lowerBound)) < lr < " : "") + "\(f(range.upperBound))  (\(stabilityRule(p)))\n"
        } else {
            out += noStableLR(a) + "\n"
        }
        if let polyak = a.polyak {
            out += "Polyak's heavy ball for this spectrum: lr \(f(polyak.lr)), momentum \(f(polyak.momentum)) (rate \(f(polyak.rate)))\n"
        } else {
            out += "Polyak's heavy ball: none (it needs every curvature > 0)\n"
        }
        return out
    }

    /// Every index up to 12; beyond, the 6 smallest and the 6 largest.
    static func shownIndices(_ count: Int) -> [Int] {
        count <= 12 ? Array(0..<count) : Array(0..<6) + Array((count - 6)..<count)
    }

    static func aligned(_ rows: [[String]]) -> String {
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max() ?? 0 }
        return rows.map { row in
            "  " + row.enumerated().map { c, cell in cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingTrailingSpaces()
        }.joined(separator: "\n") + "\n"
    }
}
