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
        if experiment.scenario.lesson != nil { drawCaption(&grid, layout.description) } else { drawDescription(&grid, layout.description) }
        drawLandscape(&grid, plot: layout.plot, axis: layout.plotAxis)
        drawLossChart(&grid, layout.lossChart)
        drawPanel(&grid, layout.panel)
        drawStatus(&grid, layout.status)
        switch mode {
        case .help(let top): drawHelp(&grid, top: top)
        case .description(let top): drawFullDescription(&grid, top: top)
        case let .picker(index, typed): drawPicker(&grid, highlighted: index, typed: typed)
        case .map: drawMap(&grid)
        case .formula(let text): drawFormulaEditor(&grid, text: text)
        default: break
        }
        if !options.unicode { grid.foldToASCII() }
        return grid
    }

    func runGlyph(_ index: Int) -> Unicode.Scalar { lanes[index].style.glyph(unicode: options.unicode) }
    func runColor(_ index: Int) -> CellColor { options.color ? lanes[index].style.color : .default }

    /// A glyph in the screen's form (Unicode, or ASCII where the locale is not UTF-8).
    func glyph(_ g: Glyph) -> String { g.text(unicode: options.unicode) }
    func glyphScalar(_ g: Glyph) -> Unicode.Scalar { g.scalar(unicode: options.unicode) }

    var separator: String { glyph(.separator) }
    var startGlyph: Unicode.Scalar { glyphScalar(.start) }
    var minimumGlyph: Unicode.Scalar { glyphScalar(.minimum) }
    var stationaryGlyph: Unicode.Scalar { glyphScalar(.stationary) }
    var ellipsis: String { glyph(.ellipsis) }

    private func drawTitle(_ grid: inout Grid, _ r: Rect) {
        grid.fill(x: r.x, y: r.y, width: r.width, height: 1, with: Cell(" ", background: .selection))
        let names = experiment.objective.parameterNames
        let shown = plane.names(names)
        let dims = experiment.objective.dimension > 2 ? "  (\(shown.x) \(glyph(.times)) \(shown.y) slice)" : ""
        let text = " Descent\(separator)\(plain(experiment.scenario.name))\(separator)\(experiment.objective.kind)\(dims)"
        grid.put(truncated(text, width: r.width, ellipsis: ellipsis), x: r.x, y: r.y, foreground: .accent, background: .selection,
                 bold: true, maxWidth: r.width)
    }

    private func drawDescription(_ grid: inout Grid, _ r: Rect) {
        let text = plain(experiment.scenario.description ?? "Press ? for the keys, i for this text in full.")
        let all = wrap(text, width: r.width - 2)
        var lines = Array(all.prefix(r.height))
        if all.count > r.height, var last = lines.popLast() {
            let more = "\(ellipsis) (i: read all)"
            if last.count + more.count > r.width - 2 { last = String(last.prefix(max(0, r.width - 2 - more.count))) }
            lines.append(last + more)
        }
        for (i, line) in lines.enumerated() { grid.put(line, x: r.x + 1, y: r.y + i, foreground: .dim) }
    }

    private func drawStatus(_ grid: inout Grid, _ r: Rect) {
        grid.fill(x: r.x, y: r.y, width: r.width, height: 1, with: Cell(" ", background: .selection))
        let icon = allDiverged ? "✗" : (playing ? "▶" : "❚❚")
        var pace = "\(speed) step\(speed == 1 ? "" : "s")/s"
        // A heavy objective steps more slowly than asked: say how fast it really goes while running.
        if playing, let throttledSpeed {
            let real = throttledSpeed >= 10 ? String(Int(throttledSpeed)) : String(format: "%.1f", throttledSpeed)
            pace = "\(real) of \(speed) steps/s (objective-bound)"
        }
        let beat = beatName.map { "\($0)\(separator)step \(currentStep)\(separator)" } ?? ""
        var head = " \(options.unicode ? icon + " " : "")\(stateName)\(separator)\(beat)\(pace)\(separator)"
        // A message that would be cut gets the speed's room.
        if mode == .normal, let status, head.count + status.count > r.width {
            head = " \(options.unicode ? icon + " " : "")\(stateName)\(separator)\(beat)"
        }
        let x = grid.put(head, x: r.x, y: r.y, foreground: allDiverged ? .warning : .accent, background: .selection, bold: true)
        let rest: String
        switch mode {
        case .editing: rest = "type a value for \(selectedField.name)\(separator)enter apply\(separator)esc cancel"
        case .renaming(let text):
            let hint = "\(separator)enter apply\(separator)esc cancel", prompt = "new label for '\(truncated(selected.label, width: 16, ellipsis: ellipsis))': "
            rest = prompt + scrolledField(text, width: max(8, width - 30 - prompt.terminalColumns - hint.terminalColumns), ellipsis: ellipsis).line + hint
        case .picker: rest = "\(glyph(.upDown)) choose\(separator)or type a path\(separator)enter open\(separator)esc cancel"
        case .help, .description: rest = "\(glyph(.upDown)) scroll\(separator)any other key closes"
        case .formula: rest = "type f\(separator)enter use it\(separator)esc cancel"
        case .map: rest = "\(glyph(.allArrows)) move\(separator)enter apply to the run\(separator)any other key closes"
        case .goTo(let text): rest = "go to step: \(text)_\(separator)enter go\(separator)esc cancel"
        case .answering(let text): rest = "your answer: \(text)_\(separator)enter answer\(separator)esc cancel"
        case .normal:
            let hints = Keymap.hintLine(unicode: options.unicode, narrow: false)
            let short = Keymap.hintLine(unicode: options.unicode, narrow: true)
            // While a value is tried, what it would do is the news.
            rest = whatIf.map { $0.note(field: selectedField, separator: separator) } ?? status
                ?? (showsUpdate ? updateArrowsNote : (hints.count <= r.width - x ? hints : short))
        }
        grid.put(truncated(plain(rest), width: max(0, r.width - x), ellipsis: ellipsis), x: x, y: r.y,
                 foreground: status != nil && mode == .normal ? .warning : .default, background: .selection, maxWidth: r.width - x)
    }
}
