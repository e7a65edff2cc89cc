import DescentCore
import Foundation

extension ExplorerState {
    /// The selected run's update in torch's form with its live numbers, one statement a line:
    /// `buf ← 0.9·buf + g`, `θ ← θ − 0.03·buf`; a `g ← …` line first when maximize or weight_decay change g.
    public func updateFormula() -> [String] {
        let run = selected
        let h = run.hyperparameters
        let f = NumberFormat.short
        var lines: [String] = []
        var g = h.maximize ? "−∇f" : "∇f"
        if let noise = run.noise { g += " + \(f(noise.sigma))·N(0, 1)" }
        if h.weightDecay != 0 { g += " + \(f(h.weightDecay))·θ" }
        if g != "∇f" { lines.append("g ← \(g)") }
        let sign = h.update == .sign
        func step(_ direction: String) -> String {
            sign ? "θ ← θ − \(f(h.lr))·sign(\(direction))" : "θ ← θ − \(f(h.lr))·\(direction.contains(" ") ? "(\(direction))" : direction)"
        }
        let gradient = g == "∇f" ? "∇f" : "g"
        if h.momentum == 0 {
            lines.append(step(gradient))
        } else if h.convention == .sutskever {
            // Sutskever's form: lr inside the velocity.
            let scaled = "\(f(h.lr))·\(gradient)"
            if run.optimizer.state.momentumBuffer == nil {
                lines.append("v ← \(scaled)  (first step)")
            } else {
                let keep = h.dampening == 0 ? scaled : "\(f(1 - h.dampening))·\(scaled)"
                lines.append("v ← \(f(h.momentum))·v + \(keep)")
            }
            let change = h.nesterov ? "(\(scaled) + \(f(h.momentum))·v)" : "v"
            lines.append(sign ? "θ ← θ − \(f(h.lr))·sign\(change.hasPrefix("(") ? change : "(\(change))")" : "θ ← θ − \(change)")
        } else {
            if run.optimizer.state.momentumBuffer == nil {
                lines.append("buf ← \(gradient)  (first step)")
            } else {
                let keep = h.dampening == 0 ? gradient : "\(f(1 - h.dampening))·\(gradient)"
                lines.append("buf ← \(f(h.momentum))·buf + \(keep)")
            }
            lines.append(step(h.nesterov ? "\(gradient) + \(f(h.momentum))·buf" : "buf"))
        }
        return lines.map(plain)
    }

    func drawPanel(_ grid: inout Grid, _ r: Rect) {
        let x = r.x
        // A statement longer than the panel wraps rather than losing its end.
        let formula = showsUpdate ? updateFormula().flatMap { wrap($0, width: r.width) } : []
        let legendRows = showsUpdate && r.height < 16 + 2 + formula.count + 1 ? 0 : 1
        // Rows: title, runs, gap, title, the fields, gap, 5 readouts, the formula, the legend.
        // Where they do not fit, the gaps go first, then ‖∇f‖, so the formula is never cut.
        let theory = showsTheory ? theoryLines(width: r.width) : []
        var gaps = 2, readoutCount = showsTheory ? theory.count + 1 : 5
        let scheduleRows = selected.schedule == nil ? 0 : 1
        var spare = r.height - (1 + min(runs.count, 3) + 1 + HyperparameterField.allCases.count + scheduleRows + readoutCount + formula.count + legendRows + gaps)
        while spare < 0 && gaps > 0 { gaps -= 1; spare += 1 }
        if spare < 0 && showsUpdate && !showsTheory { readoutCount = 4; spare += 1 }
        let runRows = max(1, min(runs.count, 3) + spare)
        var y = r.y
        grid.put("Runs", x: x, y: y, foreground: .accent, bold: true); y += 1
        let listed = runs.count > runRows ? max(1, runRows - 1) : runs.count
        let first = max(0, min(selectedRun - listed + 1, runs.count - listed))
        for index in first..<min(runs.count, first + listed) {
            let run = runs[index]
            let marker = index == selectedRun ? (glyph(.marker)) : " "
            grid.put(marker, x: x, y: y, foreground: .accent, bold: true)
            grid.put(String(runGlyph(index)), x: x + 1, y: y, foreground: runColor(index), bold: true)
            // A hidden run's numbers are not shown either (a lesson reveals it later).
            let state = lanes[index].hidden ? "hidden (h)" : run.isDiverged ? "diverged at \(run.stepCount)" : "loss \(NumberFormat.readable(run.loss))"
            let label = truncated(run.label, width: max(1, r.width - 4 - state.count), ellipsis: ellipsis)
            grid.put(label, x: x + 3, y: y, foreground: lanes[index].hidden ? .dim : .default, bold: index == selectedRun, maxWidth: r.width - 3)
            grid.put(state, x: x + r.width - state.count, y: y, foreground: run.isDiverged ? .warning : .dim)
            y += 1
        }
        if listed < runs.count {
            grid.put("  \(ellipsis) \(runs.count) runs (tab)", x: x, y: y, foreground: .dim); y += 1
        }
        if gaps > 1 { y += 1 }
        let run = selected
        grid.put("Hyperparameters\(separator)\(run.label)", x: x, y: y, foreground: .accent, bold: true, maxWidth: r.width); y += 1
        for field in HyperparameterField.allCases {
            let isSelected = field == selectedField
            let background: CellColor? = isSelected ? .selection : nil
            if isSelected { grid.fill(x: x, y: y, width: r.width, height: 1, with: Cell(" ", background: .selection)) }
            grid.put(isSelected ? (glyph(.marker)) : " ", x: x, y: y, foreground: .accent, background: background, bold: true)
            grid.put(field.name, x: x + 2, y: y, background: background, bold: isSelected)
            var shown = field.display(run.hyperparameters)
            if isSelected, case .editing(let text, _) = mode { shown = "[" + text + "_]" }
            grid.put(shown, x: x + 16, y: y, foreground: isSelected ? .accent : .default, background: background,
                     bold: isSelected, maxWidth: r.width - 16)
            y += 1
        }
        if scheduleRows > 0 {
            // Under lr (the lr of the next step): the schedule's curve, with the current step marked.
            drawScheduleRow(&grid, x: x, y: y, width: r.width)
            y += 1
        }
        if gaps > 0 { y += 1 }
        let theta = run.parameters
        // Whole numbers only: what does not fit ends in an ellipsis, never in a cut number.
        let numbers = theta.map(NumberFormat.readable)
        var shownTheta = ""
        for (i, number) in numbers.enumerated() {
            let next = shownTheta + (i == 0 ? "" : ", ") + number
            if next.count + 2 > r.width - 7 - (i + 1 < numbers.count ? ellipsis.count + 2 : 0) {
                shownTheta += (i == 0 ? "" : ", ") + ellipsis
                break
            }
            shownTheta = next
        }
        var divergenceCause: String? { if case .diverged(_, let cause?) = run.status { cause } else { nil } }
        var readouts: [(String, String)] = [
            ("step", "\(run.stepCount)" + (run.isDiverged ? "  (diverged)" : "")),
            ("loss", NumberFormat.readable(run.loss) + (divergenceCause.map { ": " + $0 } ?? "")),
            (plain("θ"), "[" + shownTheta + "]"),
            (glyph(.gradientNorm), NumberFormat.readable(run.gradientNorm())),
            (glyph(.bufferNorm), NumberFormat.readable(run.optimizer.state.momentumBufferNorm)),
        ]
        if readoutCount < readouts.count { readouts.remove(at: 3) }
        if showsTheory {
            // The theory takes the readouts' room: the step and loss stay on its title line.
            // A Hessian that changes with θ was taken at a step of its own (a heavy one is not retaken while running).
            let taken = experiment.objective.hasConstantHessian ? run.stepCount : (self.theory?.step ?? run.stepCount)
            let head = "Theory\(separator)at step \(taken)"
            if y < r.y + r.height { grid.put(head, x: x, y: y, foreground: .accent, bold: true, maxWidth: r.width); y += 1 }
            for line in theory where y < r.y + r.height - legendRows {
                grid.put(line.text, x: x, y: y, foreground: options.color ? line.color : .default, maxWidth: r.width)
                y += 1
            }
            readouts = []
        }
        for (name, value) in readouts where y < r.y + r.height {
            grid.put(name, x: x, y: y, foreground: .dim)
            grid.put(value, x: x + 7, y: y, foreground: name == "step" && run.isDiverged ? .warning : .default, maxWidth: r.width - 7)
            y += 1
        }
        for line in formula where y < r.y + r.height && !showsTheory {
            grid.put(line, x: x, y: y, foreground: .accent, maxWidth: r.width)
            y += 1
        }
        if legendRows > 0, y < r.y + r.height {
            let objective = experiment.objective
            var parts = ["\(startGlyph) start"]
            if !objective.knownMinima.isEmpty { parts.append("\(minimumGlyph) minimum") }
            if objective.stationaryPoints.count > objective.knownMinima.count { parts.append("\(stationaryGlyph) stationary") }
            if theta.count > 2 { parts.append("x/y/D: axes") }
            if showsTheory, theta.count == 2, self.theory?.directions != nil { parts.append("\(glyph(.eigenvectors)) eigenvectors") }
            let legend = parts.joined(separator: "  ")
            grid.put(legend, x: x, y: r.y + r.height - 1, foreground: .dim, maxWidth: r.width)
        }
    }
}
