/// Every glyph Descent draws or writes, each with its Unicode form and the ASCII form used where the locale
/// is not UTF-8 (or `--ascii`), named by what it means on screen. Widgets ask `Glyph.x.text(unicode:)`
/// rather than spelling either form, so a meaning has one pair of forms everywhere.
public enum Glyph: CaseIterable, Sendable {
    /// Between parts of a title or a hint line.
    case separator
    /// The selected row of a list.
    case marker
    /// Text cut short.
    case ellipsis
    /// Between the two ends of a range (`x -5 … 8`).
    case rangeTo
    /// A run's start, a known minimum, another stationary point.
    case start, minimum, stationary
    /// Where a run's next step would land (the update arrows).
    case lookAhead
    /// Where a what-if's ghost path ends.
    case ghostEnd
    /// A landscape cell whose value is not finite.
    case nonFinite
    /// A contour dot of the landscape without braille.
    case contour
    /// A map cell not yet computed.
    case pending
    /// The run's own setting on the lr × momentum map, in the explorer and in `descent sweep`'s table.
    case currentSetting, sweepSetting
    /// The stable-lr edge on the map.
    case stableEdge
    /// The current step on a schedule's sparkline.
    case scheduleNow
    /// The eigenvector lines in the legend.
    case eigenvectors
    /// The loss axis's tick.
    case tick
    /// Box drawing: the rules and the four corners.
    case ruleH, ruleV, cornerTL, cornerTR, cornerBL, cornerBR
    /// Arrows, one way and the pairs the hints name.
    case up, down, left, right, upDown, allArrows
    /// `×` between two names (a slice), `≥`.
    case times, atLeast
    /// Readout names: the gradient's and the buffer's norms, the theory's symbols.
    case gradientNorm, bufferNorm, rho, kappa, lambda

    /// The Unicode form and the ASCII form.
    public var forms: (unicode: String, ascii: String) {
        switch self {
        case .separator: (" · ", " - ")
        case .marker: ("▸", ">")
        case .ellipsis: ("…", "~")
        case .rangeTo: (" … ", " to ")
        case .start: ("◎", "S")
        case .minimum: ("★", "*")
        case .stationary: ("◇", "=")
        case .lookAhead: ("◌", "o")
        case .ghostEnd: ("◍", "?")
        case .nonFinite: ("╳", "x")
        case .contour: ("·", ":")
        case .pending: ("·", " ")
        case .currentSetting: ("◆", "O")
        case .sweepSetting: ("◆", "+")
        case .stableEdge: ("┃", "|")
        case .scheduleNow: ("◆", "|")
        case .eigenvectors: ("⠒", "~")
        case .tick: ("┤", "|")
        case .ruleH: ("─", "-")
        case .ruleV: ("│", "|")
        case .cornerTL: ("╭", "+")
        case .cornerTR: ("╮", "+")
        case .cornerBL: ("╰", "+")
        case .cornerBR: ("╯", "+")
        case .up: ("↑", "^")
        case .down: ("↓", "v")
        case .left: ("←", "<-")
        case .right: ("→", "->")
        case .upDown: ("↑↓", "up/down")
        case .allArrows: ("←↑↓→", "arrows")
        case .times: ("×", "x")
        case .atLeast: ("≥", ">=")
        case .gradientNorm: ("‖∇f‖", "|g|")
        case .bufferNorm: ("‖buf‖", "|buf|")
        case .rho: ("ρ", "rate")
        case .kappa: ("κ", "cond")
        case .lambda: ("λ", "l")
        }
    }

    public func text(unicode: Bool) -> String { unicode ? forms.unicode : forms.ascii }

    /// The glyph as one grid cell; only for the one-character glyphs.
    public func scalar(unicode: Bool) -> Unicode.Scalar { text(unicode: unicode).unicodeScalars.first! }
}
