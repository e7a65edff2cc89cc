import DescentCore

/// How one run is drawn for its whole life: its colour, its glyph, and (without colour) its dot pattern.
///
/// A run gets the lowest style no live run uses when it is made, and keeps it when others come and go.
public struct RunStyle: Equatable, Hashable, Sendable {
    public let index: Int

    public init(_ index: Int) { self.index = index }

    /// Eight runs are told apart by colour, by glyph and by the dot pattern of their paths.
    public static let distinct = 8

    /// The lowest style not in `used`.
    static func first(notIn used: [RunStyle]) -> RunStyle {
        var index = 0
        while used.contains(RunStyle(index)) { index += 1 }
        return RunStyle(index)
    }

    public var color: CellColor { .run(index % Self.distinct) }

    public func glyph(unicode: Bool) -> Unicode.Scalar {
        let glyphs: [Unicode.Scalar] = unicode ? ["●", "■", "▲", "◆", "▼", "✚", "✖", "◀"] : ["o", "x", "+", "#", "@", "%", "&", "$"]
        return glyphs[index % glyphs.count]
    }

    /// Which dots of a line to draw, cycled along it: bit k set draws the k-th dot of every eight.
    /// Solid, dotted, dashed, sparse, long dashes, dash-dot, …; used when there is no colour.
    public var pattern: UInt8 {
        let patterns: [UInt8] = [0xFF, 0x55, 0x77, 0x11, 0x3F, 0x5F, 0x33, 0x1F]
        return patterns[index % patterns.count]
    }
}

extension RunStyle {
    /// The styles of `labels` as `scenario` gives them (`Scenario.styles(of:)`).
    static func styles(of labels: [String], in scenario: Scenario) -> [RunStyle] {
        scenario.styles(of: labels).map(RunStyle.init)
    }
}
