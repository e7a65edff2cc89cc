import DescentCore

extension ExplorerState {
    /// Help lines laid out in as many columns as fit (at most two).
    private var helpColumns: (lines: [String], innerWidth: Int) {
        let entries = Keymap.entries.map { entry in
            let forms = entry.label.split(separator: "|").map(String.init)
            let key = options.unicode ? forms[0] : plain(forms.last!)
            return key.padding(toLength: 11, withPad: " ", startingAt: 0) + plain(entry.help)
        }
        let columnWidth = (entries.map(\.count).max() ?? 0) + 1
        let columns = width - 6 >= 2 * columnWidth ? 2 : 1
        let rows = (entries.count + columns - 1) / columns
        let lines = (0..<rows).map { row in
            (0..<columns).compactMap { c in
                let i = c * rows + row
                return i < entries.count ? entries[i].padding(toLength: columnWidth, withPad: " ", startingAt: 0) : nil
            }.joined()
        }
        return (lines, columns * columnWidth)
    }

    /// How many help lines do not fit at once (0 when all do).
    var helpOverflow: Int { max(0, helpColumns.lines.count - boxInnerHeight) }

    private var boxInnerHeight: Int { max(1, height - 4) }

    func drawHelp(_ grid: inout Grid, top: Int) {
        let (lines, innerWidth) = helpColumns
        var title = "Keys"
        if lines.count > boxInnerHeight { title += " (\(glyph(.upDown)) scroll)" }
        drawBox(&grid, title: title, lines: Array(lines.dropFirst(min(top, helpOverflow))), minimumWidth: innerWidth)
    }

    private var descriptionLines: (lines: [String], innerWidth: Int) {
        let text = experiment.scenario.description ?? "This scenario has no description."
        let innerWidth = min(width - 8, 76)
        var lines = wrap(plain(experiment.scenario.name), width: innerWidth - 2) + [""]
        // In a lesson, the current beat's caption whole comes first (the panel shows what fits).
        if let beat = beatName {
            lines += ["\(beat), step \(currentStep):"] + captionLines(width: innerWidth - 2) + [""]
        }
        lines += wrap(plain(text), width: innerWidth - 2)
        if let file = experiment.file { lines += ["", "file: \(file)"] }
        return (lines, innerWidth)
    }

    /// How many description lines do not fit at once (0 when all do).
    var descriptionOverflow: Int { max(0, descriptionLines.lines.count - boxInnerHeight) }

    func drawFullDescription(_ grid: inout Grid, top: Int) {
        let (lines, innerWidth) = descriptionLines
        drawBox(&grid, title: "About this scenario", lines: Array(lines.dropFirst(min(top, descriptionOverflow))),
                minimumWidth: innerWidth)
    }

    func drawPicker(_ grid: inout Grid, highlighted: Int, typed: String) {
        let innerWidth = min(width - 8, 120)
        var details: [String] = []
        if choices.indices.contains(highlighted), let text = choices[highlighted].details {
            details = Array(wrap(plain(text), width: innerWidth - 2).prefix(3))
        }
        let listRows = max(1, boxInnerHeight - details.count - 3)
        let first = max(0, min(highlighted - listRows + 1, choices.count - listRows))
        var lines: [String] = []
        var highlightedLine: Int?
        for index in first..<min(choices.count, first + listRows) {
            if index == highlighted && typed.isEmpty { highlightedLine = lines.count }
            lines.append(pickerLine(choices[index], width: innerWidth - 2))
        }
        if choices.isEmpty { lines.append("(no scenario files here: type a path)") }
        lines.append(String(repeating: glyph(.ruleH), count: innerWidth - 2))
        lines += details
        lines.append("path: " + scrolledField(typed, width: innerWidth - 2 - 6, ellipsis: ellipsis).line)
        drawBox(&grid, title: "Open", lines: lines, highlighted: highlightedLine, minimumWidth: innerWidth)
    }

    /// A picker entry in `width` columns: a scenario's path is kept whole, its name shortened first,
    /// so files with the same name (those `w` wrote) stay told apart.
    private func pickerLine(_ choice: Choice, width: Int) -> String {
        guard case let .scenario(path, name, _) = choice else { return truncated(choice.title, width: width, ellipsis: ellipsis) }
        let suffix = "  (\(path))"
        guard suffix.terminalColumns + 8 <= width else { return truncated(path, width: width, ellipsis: ellipsis) }
        return truncated(plain(name), width: width - suffix.terminalColumns, ellipsis: ellipsis) + suffix
    }

    private func drawBox(_ grid: inout Grid, title: String, lines: [String], highlighted: Int? = nil, minimumWidth: Int = 0) {
        let innerWidth = min(width - 6, max(minimumWidth, title.terminalColumns + 4, (lines.map(\.terminalColumns).max() ?? 0) + 2))
        let innerHeight = min(boxInnerHeight, lines.count)
        let x = (width - innerWidth - 2) / 2, y = max(1, (height - innerHeight - 2) / 2)
        let (h, v, tl, tr, bl, br): (String, String, String, String, String, String) =
            (glyph(.ruleH), glyph(.ruleV), glyph(.cornerTL), glyph(.cornerTR), glyph(.cornerBL), glyph(.cornerBR))
        grid.fill(x: x, y: y, width: innerWidth + 2, height: innerHeight + 2)
        grid.put(tl + String(repeating: h, count: innerWidth) + tr, x: x, y: y, foreground: .accent)
        grid.put(" \(title) ", x: x + 2, y: y, foreground: .accent, bold: true)
        for row in 0..<innerHeight {
            grid.put(v, x: x, y: y + 1 + row, foreground: .accent)
            if row < lines.count {
                let isHighlighted = row == highlighted
                if isHighlighted { grid.fill(x: x + 1, y: y + 1 + row, width: innerWidth, height: 1, with: Cell(" ", background: .selection)) }
                grid.put(" " + lines[row], x: x + 1, y: y + 1 + row, background: isHighlighted ? .selection : nil,
                         bold: isHighlighted, maxWidth: innerWidth)
            }
            grid.put(v, x: x + innerWidth + 1, y: y + 1 + row, foreground: .accent)
        }
        grid.put(bl + String(repeating: h, count: innerWidth) + br, x: x, y: y + innerHeight + 1, foreground: .accent)
    }
}
