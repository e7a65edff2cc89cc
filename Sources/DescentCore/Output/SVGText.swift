import Foundation

/// SVG text written element by element, with text escaped for XML.
public struct SVGText {
    private var body = ""
    private var definitions = ""
    public let width: Double, height: Double

    public init(width: Double, height: Double) { self.width = width; self.height = height }

    /// A coordinate or size as written: one decimal, within ±`farthest`. A point far off the picture is
    /// drawn at the edge of that range, still outside every clip; NaN and infinity are never written (an
    /// element with one is left out, see `drawable`).
    public static func number(_ v: Double) -> String {
        String(format: "%.1f", v.isNaN ? 0 : min(max(v, -farthest), farthest))
    }

    /// Far beyond any picture's edge (pixels), and small enough for every SVG reader.
    public static let farthest = 1e7

    /// Whether every value is finite: an element at NaN or infinity has nowhere to be drawn.
    static func drawable(_ values: Double...) -> Bool { values.allSatisfy(\.isFinite) }

    /// `&`, `<`, `>`, quotes, and control characters (not allowed in XML 1.0) as spaces.
    public static func escaped(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let v = scalar.value
                out += (v < 0x20 && v != 0x9 && v != 0xA && v != 0xD) || (0x7F...0x9F).contains(v) || v == 0xFFFE || v == 0xFFFF
                    ? " " : String(scalar)
            }
        }
        return out
    }

    public mutating func open(_ tag: String) { body += tag + "\n" }
    public mutating func close(_ tag: String) { body += tag + "\n" }
    public mutating func defs(_ text: String) { definitions += text + "\n" }

    public mutating func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, fill: String) {
        guard Self.drawable(x, y, w, h) else { return }
        body += "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(w))\" height=\"\(Self.number(h))\" fill=\"\(fill)\"/>\n"
    }

    public mutating func rectOutline(_ x: Double, _ y: Double, _ w: Double, _ h: Double, stroke: String) {
        guard Self.drawable(x, y, w, h) else { return }
        body += "<rect x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" width=\"\(Self.number(w))\" height=\"\(Self.number(h))\" fill=\"none\" stroke=\"\(stroke)\"/>\n"
    }

    public mutating func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String, width: Double) {
        guard Self.drawable(x1, y1, x2, y2, width) else { return }
        body += "<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\"/>\n"
    }

    public mutating func circle(_ x: Double, _ y: Double, _ radius: Double, fill: String, stroke: String) {
        guard Self.drawable(x, y, radius) else { return }
        body += "<circle cx=\"\(Self.number(x))\" cy=\"\(Self.number(y))\" r=\"\(Self.number(radius))\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"1.5\"/>\n"
    }

    public mutating func polyline(_ points: [(Double, Double)], stroke: String, width: Double) {
        // A path stops at its first point that cannot be drawn.
        let points = points.prefix { Self.drawable($0.0, $0.1) }
        guard points.count > 1, Self.drawable(width) else { return }
        let list = points.map { "\(Self.number($0.0)),\(Self.number($0.1))" }.joined(separator: " ")
        body += "<polyline points=\"\(list)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\" stroke-linejoin=\"round\"/>\n"
    }

    public mutating func text(_ text: String, x: Double, y: Double, size: Double, fill: String, bold: Bool = false, anchor: String = "start") {
        guard Self.drawable(x, y, size) else { return }
        body += "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\" font-size=\"\(Self.number(size))\" fill=\"\(fill)\"\(bold ? " font-weight=\"bold\"" : "") text-anchor=\"\(anchor)\">\(Self.escaped(text))</text>\n"
    }

    public func finish() -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" viewBox=\"0 0 \(Int(width)) \(Int(height))\">\n"
            + (definitions.isEmpty ? "" : "<defs>\n\(definitions)</defs>\n") + body + "</svg>\n"
    }
}
