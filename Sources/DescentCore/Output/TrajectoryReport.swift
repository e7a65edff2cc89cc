/// Text renderings of a scenario's trajectories for `descent run`.
public enum TrajectoryReport {
    /// RFC 4180 quoting: a field with a comma, quote, CR or LF is quoted and its quotes doubled.
    public static func csvField(_ text: String) -> String {
        // By scalar: "\r\n" is one Character, equal to neither "\r" nor "\n".
        guard text.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// The whole trajectory of every run: header `run,step,loss,p0,…`, one row per run per record.
    public static func csv(_ trajectories: [Trajectory]) -> String {
        let dimension = trajectories.first?.dimension ?? 0
        var out = "run,step,loss," + (0..<dimension).map { "p\($0)" }.joined(separator: ",") + "\n"
        for t in trajectories {
            let label = csvField(t.label)
            for row in 0..<t.count {
                out += label + "," + String(t.steps[row]) + "," + NumberFormat.exact(t.losses[row])
                for value in t.point(row) { out += "," + NumberFormat.exact(value) }
                out += "\n"
            }
        }
        return out
    }

    /// The same data as JSON, plus the scenario name, parameter names and each run's status.
    ///
    /// Non-finite numbers are written as `null` (JSON has no NaN).
    public static func json(_ trajectories: [Trajectory], scenario: String, parameterNames: [String]) -> String {
        func num(_ v: Double) -> String { v.isFinite ? NumberFormat.exact(v) : "null" }
        var out = "{\n  \"scenario\": \(jsonString(scenario)),\n"
        out += "  \"parameters\": [" + parameterNames.map(jsonString).joined(separator: ", ") + "],\n"
        out += "  \"runs\": [\n"
        for (index, t) in trajectories.enumerated() {
            out += "    {\n      \"label\": \(jsonString(t.label)),\n      \"status\": \(jsonString(t.status.description)),\n"
            if case .diverged(let step, _) = t.status { out += "      \"diverged_at\": \(step),\n" }
            out += "      \"trajectory\": [\n"
            for row in 0..<t.count {
                out += "        {\"step\": \(t.steps[row]), \"loss\": \(num(t.losses[row])), \"params\": ["
                out += t.point(row).map(num).joined(separator: ", ") + "]}"
                out += row + 1 < t.count ? ",\n" : "\n"
            }
            out += "      ]\n    }" + (index + 1 < trajectories.count ? ",\n" : "\n")
        }
        return out + "  ]\n}\n"
    }

    public static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // Beyond JSON's must: what YAML may not hold raw (DEL, C1, U+FEFF, U+FFFE/F) and what some readers take
            // for line breaks (U+2028/9), so a written scenario always reads back.
            case _ where scalar.isControlCharacter || scalar.value == 0xFEFF || scalar.value == 0xFFFE || scalar.value == 0xFFFF:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// A readable summary: one row per run with final loss, final θ, distance to the nearest known minimum, status.
    ///
    /// - Parameter ascii: every cell in ASCII (`String.asciiFolded`) before the columns are measured, for a
    ///   locale that is not UTF-8.
    public static func table(_ trajectories: [some RunOutcome], objective: any Objective, scenario: String, ascii: Bool = false) -> String {
        let distances = trajectories.map { objective.distanceToNearestKnownMinimum(from: $0.finalPoint) }
        let hasMinima = distances.contains { $0 != nil }
        var header = ["run", "steps", "final loss", "final θ"]
        if hasMinima { header.append("to nearest minimum") }
        header.append("status")
        var rows: [[String]] = []
        for (t, distance) in zip(trajectories, distances) {
            let point = t.finalPoint
            var row = [t.label.escapingControlCharacters, String(t.lastStep), NumberFormat.readable(t.finalLoss), shortPoint(point)]
            if hasMinima {
                row.append(distance.map(NumberFormat.readable) ?? "-")
            }
            row.append(t.status.description)
            rows.append(row)
        }
        if ascii {
            header = header.map(\.asciiFolded)
            rows = rows.map { $0.map(\.asciiFolded) }
        }
        let widths = header.indices.map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { c, cell in cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingTrailingSpaces()
        }
        let title = scenario.escapingControlCharacters
        var out = (ascii ? title.asciiFolded : title) + "\n\n" + line(header) + "\n" + line(widths.map { String(repeating: "-", count: $0) }) + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }

    /// Up to six entries in full; a longer point as its first four, its last, its count and its norm
    /// (the CSV and JSON have every entry).
    static func shortPoint(_ point: [Double]) -> String {
        guard point.count > 6 else { return "[" + point.map(NumberFormat.readable).joined(separator: ", ") + "]" }
        return "[" + point.prefix(4).map(NumberFormat.readable).joined(separator: ", ") + ", …, " + NumberFormat.readable(point.last!)
            + "] (\(point.count) entries, ‖θ‖ = \(NumberFormat.readable(point.euclideanNorm)))"
    }

}

import Foundation

extension String {
    func trimmingTrailingSpaces() -> String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
