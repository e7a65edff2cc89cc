import DescentCore
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
        let f = TrajectoryReport.short
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
            return scale.shade(cell.value, invalid: cell.invalid != nil)
        }
        let marker = markerPosition(columns: columns, cellRows: cellRows)
        var out = "\(scenario) · run '\(sweep.base.label)' · \(sweep.metric.text) after \(sweep.steps) steps · "
            + "\(sweep.x.count) × \(sweep.y.count) cells\(cells.count < sweep.cellCount ? " (\(cells.count) in this shard)" : "")\n"
        out += String(repeating: " ", count: labelWidth) + " " + sweep.y.field.rawValue + (traits.unicode ? " ↑" : " ^") + "\n"
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
        out += String(repeating: " ", count: labelWidth) + " └".ascii(traits) + String(repeating: traits.unicode ? "─" : "-", count: columns) + "\n"
        var axis = Array(repeating: Character(" "), count: labelWidth + 2 + columns + 12)
        for column in Set([0, columns / 2, columns - 1]).sorted() {
            let text = Array(f(sweep.x.values[xCell(column)]))
            let at = min(max(labelWidth + 2, labelWidth + 2 + column - text.count / 2), axis.count - text.count)
            if axis[max(0, at - 1)..<min(axis.count, at + text.count + 1)].allSatisfy({ $0 == " " }) {
                for (i, c) in text.enumerated() { axis[at + i] = c }
            }
        }
        out += String(axis).trimmingTrailing() + "\n"
        out += String(repeating: " ", count: labelWidth + 2) + sweep.x.field.rawValue + (traits.unicode ? " →" : " ->")
            + (sweep.x.logarithmic ? " (log scale)" : "") + "\n\n"
        out += key(scale) + "\n"
        return out
    }

    /// The chosen run's own setting, when it lies on the map.
    private func markerPosition(columns: Int, cellRows: Int) -> (column: Int, row: Int)? {
        func place(_ value: Double, _ axis: SweepAxis, _ slots: Int) -> Int? {
            guard let lo = axis.values.first, let hi = axis.values.last, value >= min(lo, hi), value <= max(lo, hi) else { return nil }
            let t = axis.logarithmic ? (log10(value) - log10(lo)) / (log10(hi) - log10(lo)) : (hi == lo ? 0 : (value - lo) / (hi - lo))
            return min(slots - 1, max(0, Int((t * Double(slots - 1)).rounded())))
        }
        let h = sweep.base.hyperparameters
        guard let column = place(sweep.x.field.value(in: h), sweep.x, columns),
              let fromBottom = place(sweep.y.field.value(in: h), sweep.y, cellRows) else { return nil }
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
        let f = TrajectoryReport.short
        var out = "key: \(scale.title)  \(f(scale.ends.low)) "
        if traits.color {
            out += Self.ramp.map { "\u{1B}[48;5;\($0)m " }.joined() + "\u{1B}[0m"
        } else {
            out += String(Self.asciiRamp)
        }
        out += " \(f(scale.ends.high))\(sweep.metric == .finalLoss && scale.ends.high == sweep.base.loss ? " (the start's loss, or worse)" : "")"
        var extras: [String] = []
        let marker = traits.color ? (traits.unicode ? "◆" : "+") : "O"
        extras.append("\(marker) the run's own setting")
        if cells.contains(where: { scale.shade($0.value, invalid: $0.invalid != nil) == .diverged }) {
            extras.append(traits.color ? "\u{1B}[48;5;\(Self.divergedColor)m \u{1B}[0m diverged" : "x diverged")
        }
        if cells.contains(where: { scale.shade($0.value, invalid: $0.invalid != nil) == .none }) {
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
