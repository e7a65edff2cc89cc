import DescentCore
import DescentExplorer
import Foundation

/// `descent sweep --format table`: the map as text, a heatmap with labelled axes and a colour key.
///
/// In colour each character is one column of cells and, with UTF-8, two rows (an upper half block: its
/// foreground the upper cell, its background the lower); without colour each level is a character of
/// `.:-=+*#%@` (low to high). A map larger than the room is sampled at evenly spaced cells.
struct SweepMap {
    let sweep: Sweep
    let cells: [SweepCell]
    let scenario: String
    let traits: TerminalTraits

    /// Colours from dark (low) to bright (high): a viridis-like ramp of the xterm 256-colour cube.
    static let ramp: [Int] = [53, 54, 55, 61, 67, 68, 31, 37, 36, 35, 71, 107, 149, 185, 220, 226]
    static let asciiRamp = Array(".:-=+*#%@")
    static let divergedColor = 124, noneColor = 238, invalidColor = 0

    func text() -> String {
        let scale = SweepScale(metric: sweep.metric, values: cells.map(\.value), startLoss: sweep.base.loss, maximize: sweep.base.hyperparameters.maximize)
        let byIndex = Dictionary(uniqueKeysWithValues: cells.map { ($0.index, $0) })
        let f = NumberFormat.readable
        let yLabels = sweep.y.values.map(f)
        let labelWidth = max(yLabels.map(\.count).max() ?? 0, sweep.y.field.rawValue.count) + 1
        let columns = max(1, min(sweep.x.count, traits.width - labelWidth - 2))
        let halfBlocks = traits.color && traits.unicode
        let maxRows = max(4, min(traits.height - 10, 40))
        let rows = max(1, min(halfBlocks ? (sweep.y.count + 1) / 2 : sweep.y.count, maxRows))
        let cellRows = halfBlocks ? rows * 2 : rows
        func xCell(_ column: Int) -> Int { columns == 1 ? 0 : column * (sweep.x.count - 1) / (columns - 1) }
        // Row 0 is the top: the highest y.
        func yCell(_ row: Int) -> Int { cellRows == 1 ? 0 : (sweep.y.count - 1) - row * (sweep.y.count - 1) / (cellRows - 1) }
        func shade(_ column: Int, _ row: Int) -> SweepScale.Shade {
            let index = yCell(row) * sweep.x.count + xCell(column)
            guard let cell = byIndex[index] else { return .none }
            return scale.shade(cell.value, invalid: cell.invalid != nil, diverged: cell.diverged)
        }
        let marker = markerPosition(columns: columns, cellRows: cellRows)
        var out = "\(scenario.escapingControlCharacters) · run '\(sweep.base.label.escapingControlCharacters)' · \(sweep.metric.text) after \(sweep.steps) steps · "
            + "\(sweep.x.count) × \(sweep.y.count) cells\(cells.count < sweep.cellCount ? " (\(cells.count) in this shard)" : "")\n"
        out += String(repeating: " ", count: labelWidth) + " " + sweep.y.field.rawValue + " " + Glyph.up.text(unicode: traits.unicode) + "\n"
        for row in 0..<rows {
            let topRow = halfBlocks ? row * 2 : row
            let middle = rows / 2
            let label = row == 0 ? yLabels[yCell(topRow)] : (row == rows - 1 ? yLabels[yCell(halfBlocks ? min(cellRows - 1, topRow + 1) : topRow)]
                : (row == middle ? yLabels[yCell(topRow)] : ""))
            out += String(repeating: " ", count: max(0, labelWidth - label.count)) + label + " │".ascii(traits)
            for column in 0..<columns {
                let isMarker = marker.map { $0.column == column && ($0.row == topRow || (halfBlocks && $0.row == topRow + 1)) } ?? false
                if halfBlocks {
                    let top = shade(column, topRow), bottom = topRow + 1 < cellRows ? shade(column, topRow + 1) : .none
                    out += "\u{1B}[38;5;\(color(top));48;5;\(color(bottom))m" + (isMarker ? "◆" : "▀")
                } else if traits.color {
                    out += "\u{1B}[48;5;\(color(shade(column, topRow)))m" + (isMarker ? "+" : " ")
                } else {
                    out += isMarker ? "O" : String(glyph(shade(column, topRow)))
                }
            }
            out += (traits.color ? "\u{1B}[0m" : "") + "\n"
        }
        // The x axis: its ends and middle, under the columns they belong to.
        out += String(repeating: " ", count: labelWidth) + " └".ascii(traits) + String(repeating: Glyph.ruleH.text(unicode: traits.unicode), count: columns) + "\n"
        var axis = Array(repeating: Character(" "), count: labelWidth + 2 + columns + 12)
        for column in Set([0, columns / 2, columns - 1]).sorted() {
            let text = Array(f(sweep.x.values[xCell(column)]))
            let at = min(max(labelWidth + 2, labelWidth + 2 + column - text.count / 2), axis.count - text.count)
            if axis[max(0, at - 1)..<min(axis.count, at + text.count + 1)].allSatisfy({ $0 == " " }) {
                for (i, c) in text.enumerated() { axis[at + i] = c }
            }
        }
        out += String(axis).trimmingTrailing() + "\n"
        out += String(repeating: " ", count: labelWidth + 2) + sweep.x.field.rawValue + " " + Glyph.right.text(unicode: traits.unicode)
            + (sweep.x.logarithmic ? " (log scale)" : "") + "\n\n"
        out += key(scale) + "\n"
        return out
    }

    /// The whole map as an SVG picture: a cell a rectangle, in the table's colours, with labelled axes, the run's
    /// own setting and a colour key.
    func svg() -> String {
        let scale = SweepScale(metric: sweep.metric, values: cells.map(\.value), startLoss: sweep.base.loss,
                               maximize: sweep.base.hyperparameters.maximize)
        let W = 900.0, H = 620.0
        let plot = (x: 90.0, y: 50.0, w: 780.0, h: 440.0)
        var svg = SVGText(width: W, height: H)
        svg.rect(0, 0, W, H, fill: "#101018")
        let f = NumberFormat.readable
        // About 9 px a character at this size: a long scenario name is cut rather than run off the picture.
        var title = "\(scenario) · run '\(sweep.base.label)' · \(sweep.metric.text) after \(sweep.steps) steps · \(sweep.x.count) × \(sweep.y.count) cells"
        if title.count > 95 { title = String(title.prefix(94)) + "…" }
        svg.text(title, x: 16, y: 24, size: 15, fill: "#ffd7af", bold: true)
        let cw = plot.w / Double(sweep.x.count), ch = plot.h / Double(sweep.y.count)
        // A rectangle per run of equal colour along a row (a shard's missing cells are left dark).
        var colors = [Int?](repeating: nil, count: sweep.cellCount)
        for cell in cells { colors[cell.index] = color(scale.shade(cell.value, invalid: cell.invalid != nil, diverged: cell.diverged)) }
        for row in 0..<sweep.y.count {
            var column = 0
            while column < sweep.x.count {
                let c = colors[row * sweep.x.count + column]
                var end = column + 1
                while end < sweep.x.count && colors[row * sweep.x.count + end] == c { end += 1 }
                if let c {
                    svg.rect(plot.x + Double(column) * cw, plot.y + plot.h - Double(row + 1) * ch, Double(end - column) * cw + 0.3, ch + 0.3,
                             fill: CellColor.hex(xterm: c))
                }
                column = end
            }
        }
        svg.rectOutline(plot.x, plot.y, plot.w, plot.h, stroke: "#606070")
        if let marker = markerPosition(columns: sweep.x.count, cellRows: sweep.y.count) {
            svg.circle(plot.x + (Double(marker.column) + 0.5) * cw, plot.y + (Double(marker.row) + 0.5) * ch, 6, fill: "none", stroke: "#ffffff")
        }
        for column in Set([0, sweep.x.count / 2, sweep.x.count - 1]).sorted() {
            svg.text(f(sweep.x.values[column]), x: plot.x + (Double(column) + 0.5) * cw, y: plot.y + plot.h + 18, size: 12, fill: "#b0b0b0", anchor: "middle")
        }
        for row in Set([0, sweep.y.count / 2, sweep.y.count - 1]).sorted() {
            svg.text(f(sweep.y.values[row]), x: plot.x - 8, y: plot.y + plot.h - (Double(row) + 0.5) * ch + 4, size: 12, fill: "#b0b0b0", anchor: "end")
        }
        svg.text("\(sweep.x.field.rawValue)\(sweep.x.logarithmic ? " (log scale)" : "") →", x: plot.x + plot.w / 2, y: plot.y + plot.h + 38, size: 13, fill: "#e0e0e0", anchor: "middle")
        svg.text("↑ \(sweep.y.field.rawValue)", x: 16, y: plot.y - 6, size: 13, fill: "#e0e0e0")
        // The key: the ramp from low to high, then the categories.
        let keyY = H - 70
        svg.text("\(scale.title):  \(f(scale.ends.low))", x: 16, y: keyY + 14, size: 12, fill: "#e0e0e0")
        let rampX = 330.0
        for (i, color) in Self.ramp.enumerated() {
            svg.rect(rampX + Double(i) * 18, keyY, 18, 20, fill: CellColor.hex(xterm: color))
        }
        svg.text(f(scale.ends.high), x: rampX + Double(Self.ramp.count) * 18 + 8, y: keyY + 14, size: 12, fill: "#e0e0e0")
        // The categories on a line of their own.
        let second = keyY + 28
        svg.rect(16, second, 18, 16, fill: CellColor.hex(xterm: Self.divergedColor))
        svg.text("diverged", x: 40, y: second + 12, size: 12, fill: "#e0e0e0")
        svg.rect(120, second, 18, 16, fill: CellColor.hex(xterm: Self.noneColor))
        svg.text("no value", x: 144, y: second + 12, size: 12, fill: "#e0e0e0")
        svg.circle(240, second + 8, 6, fill: "none", stroke: "#ffffff")
        svg.text("the run's own setting", x: 252, y: second + 12, size: 12, fill: "#e0e0e0")
        return svg.finish()
    }

    /// The chosen run's own setting, when it lies on the map.
    private func markerPosition(columns: Int, cellRows: Int) -> (column: Int, row: Int)? {
        func place(_ value: Double, _ axis: SweepAxis, _ slots: Int) -> Int? {
            guard let lo = axis.values.first, let hi = axis.values.last, value >= min(lo, hi), value <= max(lo, hi) else { return nil }
            let t = axis.logarithmic ? (log10(value) - log10(lo)) / (log10(hi) - log10(lo)) : (hi == lo ? 0 : (value - lo) / (hi - lo))
            return min(slots - 1, max(0, Int((t * Double(slots - 1)).rounded())))
        }
        let h = sweep.base.specifiedHyperparameters
        guard let column = place(sweep.x.field.number(in: h)!, sweep.x, columns),
              let fromBottom = place(sweep.y.field.number(in: h)!, sweep.y, cellRows) else { return nil }
        return (column, cellRows - 1 - fromBottom)
    }

    private func color(_ shade: SweepScale.Shade) -> Int {
        switch shade {
        case .level(let t): Self.ramp[min(Self.ramp.count - 1, Int(t * Double(Self.ramp.count)))]
        case .diverged: Self.divergedColor
        case .none: Self.noneColor
        case .invalid: Self.invalidColor
        }
    }

    private func glyph(_ shade: SweepScale.Shade) -> Character {
        switch shade {
        case .level(let t): Self.asciiRamp[min(Self.asciiRamp.count - 1, Int(t * Double(Self.asciiRamp.count)))]
        case .diverged: "x"
        case .none: " "
        case .invalid: "/"
        }
    }

    private func key(_ scale: SweepScale) -> String {
        let f = NumberFormat.readable
        var out = "key: \(scale.title)  \(f(scale.ends.low)) "
        if traits.color {
            out += Self.ramp.map { "\u{1B}[48;5;\($0)m " }.joined() + "\u{1B}[0m"
        } else {
            out += String(Self.asciiRamp)
        }
        out += " \(f(scale.ends.high))\(sweep.metric == .finalLoss && scale.ends.high == sweep.base.loss ? " (the start's loss, or worse)" : "")"
        var extras: [String] = []
        let marker = traits.color ? Glyph.sweepSetting.text(unicode: traits.unicode) : Glyph.currentSetting.forms.ascii
        extras.append("\(marker) the run's own setting")
        if cells.contains(where: { scale.shade($0.value, invalid: $0.invalid != nil, diverged: $0.diverged) == .diverged }) {
            extras.append(traits.color ? "\u{1B}[48;5;\(Self.divergedColor)m \u{1B}[0m diverged" : "x diverged")
        }
        if cells.contains(where: { scale.shade($0.value, invalid: $0.invalid != nil, diverged: $0.diverged) == .none }) {
            extras.append(traits.color ? "\u{1B}[48;5;\(Self.noneColor)m \u{1B}[0m none" : "(blank) none")
        }
        if let why = cells.first(where: { $0.invalid != nil })?.invalid {
            extras.append((traits.color ? "\u{1B}[48;5;\(Self.invalidColor)m \u{1B}[0m" : "/") + " refused by torch: \(why)")
        }
        return out + "\n     " + extras.joined(separator: "   ")
    }
}

extension String {
    /// Box-drawing characters as ASCII when the terminal is not UTF-8.
    func ascii(_ traits: TerminalTraits) -> String {
        traits.unicode ? self : replacingOccurrences(of: "│", with: "|").replacingOccurrences(of: "└", with: "+")
    }

    func trimmingTrailing() -> String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
