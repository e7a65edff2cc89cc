/// A beat's caption: text with `{placeholders}` filled with live values, `{{` and `}}` for braces.
///
/// - `{step}`: the step the runs stand at;
/// - `{loss:LABEL}`, `{lr:LABEL}`, `{momentum:LABEL}`: that run's loss and current lr (after schedules and
///   sets) and momentum;
/// - where the objective has a Hessian (`LessonTheory`): `{kappa}` (λmax/λmin), `{lr_max}` (plain SGD's
///   largest stable lr, 2/λmax), `{lr_max:LABEL}` (the largest stable lr at that run's momentum, dampening
///   and Nesterov), `{beta_opt}` and `{lr_opt}` (Polyak's heavy ball), `{rho:LABEL}` (the rate per step the
///   theory predicts for that run's hyperparameters).
///
/// Numbers are written with six significant digits (`NumberFormat.short`).
public enum Caption {
    public enum Placeholder: Equatable, Sendable {
        case step
        case loss(String), lr(String), momentum(String), rho(String)
        case kappa, lrMax(String?), betaOpt, lrOpt

        /// The run it names, if any.
        public var run: String? {
            switch self {
            case .loss(let r), .lr(let r), .momentum(let r), .rho(let r): r
            case .lrMax(let r): r
            default: nil
            }
        }

        /// Whether it needs the theory (a Hessian with positive curvatures).
        public var needsTheory: Bool {
            switch self {
            case .kappa, .lrMax, .betaOpt, .lrOpt, .rho: true
            default: false
            }
        }
    }

    /// A piece of a caption: text as it is, or a placeholder.
    enum Piece: Equatable { case text(String), placeholder(Placeholder) }

    public static let names = "step, loss:LABEL, lr:LABEL, momentum:LABEL, kappa, lr_max, lr_max:LABEL, beta_opt, lr_opt, rho:LABEL"

    /// The caption's pieces; throws a message for an unknown or unclosed placeholder.
    static func pieces(of text: String) throws(CaptionError) -> [Piece] {
        var pieces: [Piece] = []
        var literal = ""
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            let next = text.index(after: i)
            if c == "{", next < text.endIndex, text[next] == "{" { literal.append("{"); i = text.index(after: next); continue }
            if c == "}", next < text.endIndex, text[next] == "}" { literal.append("}"); i = text.index(after: next); continue }
            if c == "}" { throw CaptionError(message: "a lone '}' (write }} for a brace)") }
            guard c == "{" else { literal.append(c); i = next; continue }
            guard let close = text[next...].firstIndex(of: "}"), !text[next..<close].contains("{") else {
                throw CaptionError(message: "'{' is not closed (write {{ for a brace)")
            }
            let inside = String(text[next..<close])
            if !literal.isEmpty { pieces.append(.text(literal)); literal = "" }
            pieces.append(.placeholder(try placeholder(named: inside)))
            i = text.index(after: close)
        }
        if !literal.isEmpty { pieces.append(.text(literal)) }
        return pieces
    }

    static func placeholder(named inside: String) throws(CaptionError) -> Placeholder {
        let parts = inside.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let name = parts[0].trimmingCharacters(in: .whitespaces)
        let label = parts.count > 1 ? parts[1] : nil
        func needs(_ label: String?) throws(CaptionError) -> String {
            guard let label, !label.isEmpty else { throw CaptionError(message: "{\(name)} names a run: {\(name):LABEL}") }
            return label
        }
        func none() throws(CaptionError) {
            if label != nil { throw CaptionError(message: "{\(name)} takes no run (it is the objective's)") }
        }
        switch name {
        case "step": try none(); return .step
        case "loss": return .loss(try needs(label))
        case "lr": return .lr(try needs(label))
        case "momentum": return .momentum(try needs(label))
        case "rho": return .rho(try needs(label))
        case "kappa": try none(); return .kappa
        case "lr_max":
            if label?.isEmpty == true { throw CaptionError(message: "{lr_max:} names no run: {lr_max:LABEL} for a run's edge, {lr_max} for plain SGD's") }
            return .lrMax(label)
        case "beta_opt": try none(); return .betaOpt
        case "lr_opt": try none(); return .lrOpt
        default: throw CaptionError(message: "{\(inside)} is not a placeholder (they are: \(names))")
        }
    }

    /// The placeholders `text` uses, in order.
    public static func placeholders(in text: String) throws(CaptionError) -> [Placeholder] {
        try pieces(of: text).compactMap { if case .placeholder(let p) = $0 { p } else { nil } }
    }

    /// `text` with its placeholders filled from `runs` (as they stand at `step`) and `theory`.
    /// Throws when one cannot be filled: a run not there, the theory missing.
    public static func fill(_ text: String, step: Int, runs: [Run], theory: LessonTheory?) throws(CaptionError) -> String {
        var out = ""
        for piece in try pieces(of: text) {
            switch piece {
            case .text(let t): out += t
            case .placeholder(let p): out += NumberFormat.short(try value(of: p, step: step, runs: runs, theory: theory))
            }
        }
        return out
    }

    static func value(of p: Placeholder, step: Int, runs: [Run], theory: LessonTheory?) throws(CaptionError) -> Double {
        func run(_ label: String) throws(CaptionError) -> Run {
            guard let run = runs.first(where: { $0.label == label }) else {
                throw CaptionError(message: "{\(p.spelled)} names no run '\(label)' here (runs: \(runs.map(\.label).joined(separator: ", ")))")
            }
            return run
        }
        func theoryNeeded() throws(CaptionError) -> LessonTheory {
            guard let theory else { throw CaptionError(message: "{\(p.spelled)} needs the theory: a Hessian with positive curvatures at the minimum, which this objective does not have") }
            return theory
        }
        switch p {
        case .step: return Double(step)
        case .loss(let label): return try run(label).loss
        case .lr(let label): return try run(label).hyperparameters.lr
        case .momentum(let label): return try run(label).hyperparameters.momentum
        case .kappa: return try theoryNeeded().kappa
        case .lrMax(nil): return try theoryNeeded().lrMax
        case .lrMax(let label?):
            let theory = try theoryNeeded(), h = try run(label).hyperparameters
            guard let edge = theory.stableLR(for: h)?.upperBound else {
                throw CaptionError(message: "{\(p.spelled)}: no lr is stable at '\(label)''s momentum, dampening and update")
            }
            return edge
        case .betaOpt: return try theoryNeeded().polyak.momentum
        case .lrOpt: return try theoryNeeded().polyak.lr
        case .rho(let label):
            let theory = try theoryNeeded(), h = try run(label).hyperparameters
            guard let rate = theory.rate(for: h) else {
                throw CaptionError(message: "{\(p.spelled)}: the theory has no rate for '\(label)' (the sign update is not linear)")
            }
            return rate
        }
    }
}

extension Caption.Placeholder {
    /// As written in a caption.
    var spelled: String {
        switch self {
        case .step: "step"
        case .loss(let r): "loss:\(r)"
        case .lr(let r): "lr:\(r)"
        case .momentum(let r): "momentum:\(r)"
        case .rho(let r): "rho:\(r)"
        case .kappa: "kappa"
        case .lrMax(let r): r.map { "lr_max:\($0)" } ?? "lr_max"
        case .betaOpt: "beta_opt"
        case .lrOpt: "lr_opt"
        }
    }
}

public struct CaptionError: Error, Equatable, Sendable {
    public var message: String
}

/// The theory a lesson's captions quote, worked out once: the Hessian's spectrum at the objective's first
/// known minimum (a quadratic's is the same everywhere), or at the start when no minimum is known.
public struct LessonTheory: Sendable {
    public let spectrum: Spectrum
    public let kappa: Double
    public let lrMax: Double
    public let polyak: (lr: Double, momentum: Double, rate: Double)

    /// Nil when the spectrum cannot be had or some curvature there is not positive.
    public init?(objective: any Objective, start: [Double]) {
        guard let spectrum = Spectrum(of: objective, at: objective.knownMinima.first ?? start),
              let low = spectrum.eigenvalues.first, let high = spectrum.eigenvalues.last, low > 0, high.isFinite,
              let polyak = Stability.polyak(curvatures: spectrum.eigenvalues) else { return nil }
        self.spectrum = spectrum
        kappa = high / low
        lrMax = 2 / high
        self.polyak = polyak
    }

    /// The lr range stable at `h`'s momentum, dampening, Nesterov and weight decay.
    public func stableLR(for h: SGDHyperparameters) -> ClosedRange<Double>? {
        Stability.stableLR(curvatures: effectiveCurvatures(spectrum.eigenvalues, h), hyperparameters: h)
    }

    /// The predicted rate per step (max ρ over the directions) for `h`.
    public func rate(for h: SGDHyperparameters) -> Double? {
        RunAnalysis(label: "", step: 0, hyperparameters: h, spectrum: spectrum).predictedRate
    }
}
