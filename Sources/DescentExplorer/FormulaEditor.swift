import DescentCore

/// `F`: type your own objective. The line is checked at every key, the mistake shown under its column;
/// `enter` puts the formula in place of the objective, keeping the runs, their settings and starts.
extension ExplorerState {
    /// The variables a typed formula may use here: the current formula's, or x, y (x1…xn) for the dimension.
    var formulaVariables: [String] {
        if experiment.objective.formula != nil { return experiment.objective.parameterNames }
        let n = experiment.objective.dimension
        return n == 1 ? ["x"] : (n == 2 ? ["x", "y"] : (1...n).map { "x\($0)" })
    }

    /// The mistake in `text` (its column and message), or nil when it reads.
    func formulaProblem(_ text: String) -> ExpressionError? {
        ExpressionObjective.problem(in: text, variables: formulaVariables)
    }

    mutating func openFormulaEditor() {
        mode = .formula(experiment.objective.formula ?? "")
    }

    mutating func formulaKey(_ key: Key, text: String) {
        switch key {
        case .escape: mode = .normal
        case .backspace: mode = .formula(String(text.dropLast()))
        // As long as a formula may be (the parser says so past it, at its column).
        case .character(let c) where !c.isNewline && text.count <= ExpressionObjective.maximumLength: mode = .formula(text + String(c))
        case .enter:
            guard formulaProblem(text) == nil else { return }  // the mistake stays on screen
            mode = .normal
            useFormula(text)
        default: break
        }
    }

    /// The typed formula as the objective: the runs keep their labels, settings and starts; the view is refitted.
    private mutating func useFormula(_ text: String) {
        var scenario = experiment.scenario
        scenario.objective = ExpressionKind.spec(formula: text, variables: formulaVariables)
        scenario.name = "f = \(text)"
        scenario.description = "Typed in the explorer (F): \(text)"
        scenario.start = runs[0].start
        scenario.expect = []
        scenario.events = []
        // A formula has no data: the runs keep everything but their minibatches.
        scenario.runs = runs.map { run in
            var spec = run.spec(commonStart: runs[0].start, objective: scenario.objective)
            spec.batchSize = nil
            if run.noise == nil { spec.seed = nil }
            return spec
        }
        do {
            load(try Experiment(scenario: scenario))
            status = "objective: f = \(text); the runs keep their settings and starts (w writes it)"
        } catch {
            status = error.description
        }
    }

    func drawFormulaEditor(_ grid: inout Grid, text: String) {
        let innerWidth = max(20, min(width - 8, 96))
        let x = (width - innerWidth - 2) / 2, y = max(1, height / 2 - 3)
        let names = formulaVariables.joined(separator: ", ")
        // A formula longer than the box scrolls: its end, where it is typed, stays in view.
        let field = scrolledField(text, width: innerWidth - 2, ellipsis: ellipsis)
        var lines = ["f(\(names)) =", " " + field.line, ""]
        if text.isEmpty {
            lines.append("e.g. (1 - x)^2 + 100*(y - x^2)^2 \(separator) sin cos exp log sqrt abs min max \(ellipsis) pi e")
        } else if let problem = formulaProblem(text) {
            // The mark goes under the problem's column as shown (after what scrolled out, and the ellipsis).
            let shown = problem.column - field.hidden + (field.hidden > 0 ? ellipsis.count : 0)
            if shown >= 1 { lines[2] = String(repeating: " ", count: min(innerWidth - 2, shown)) + (glyph(.up)) }
            lines.append("column \(problem.column): \(problem.message)")
        } else {
            lines.append("enter: use it (the runs keep their settings) \(separator) esc: cancel")
        }
        let (h, v, tl, tr, bl, br): (String, String, String, String, String, String) =
            (glyph(.ruleH), glyph(.ruleV), glyph(.cornerTL), glyph(.cornerTR), glyph(.cornerBL), glyph(.cornerBR))
        grid.fill(x: x, y: y, width: innerWidth + 2, height: lines.count + 2)
        grid.put(tl + String(repeating: h, count: innerWidth) + tr, x: x, y: y, foreground: .accent)
        grid.put(" Your own function ", x: x + 2, y: y, foreground: .accent, bold: true)
        for (row, line) in lines.enumerated() {
            grid.put(v, x: x, y: y + 1 + row, foreground: .accent)
            let problemLine = row >= 2 && !text.isEmpty && formulaProblem(text) != nil
            grid.put(plain(line), x: x + 1, y: y + 1 + row, foreground: problemLine ? .warning : (row == 1 ? .default : .dim),
                     bold: row == 1, maxWidth: innerWidth)
            grid.put(v, x: x + innerWidth + 1, y: y + 1 + row, foreground: .accent)
        }
        grid.put(bl + String(repeating: h, count: innerWidth) + br, x: x, y: y + lines.count + 1, foreground: .accent)
    }
}
