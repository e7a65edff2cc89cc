import Foundation

/// A scenario's `lesson:`: beats in step order, each a caption over what is on screen at its step.
///
/// ```yaml
/// lesson:
///   - at: 0
///     say: "Plain SGD on a ravine of condition number {kappa}: its largest stable lr is {lr_max}."
///     show: {theory: true, arrows: [gd]}
///   - at: 40
///     say: "Heavy ball at Polyak's setting (lr {lr_opt}, momentum {beta_opt}): loss {loss:heavy}."
///     set: {heavy: {momentum: 0.9}}
///     ask: {question: "Which run is ahead?", choices: [gd, heavy], answer: heavy}
///     expect:
///       - {run: heavy, final_loss_below: 1e-6}
/// ```
public struct Lesson: Equatable, Sendable {
    public var beats: [Beat]

    public init(beats: [Beat]) { self.beats = beats }

    /// The beat that is on at `step`: the last one beginning at or before it (the first before any begins).
    public func beatIndex(at step: Int) -> Int {
        beats.lastIndex { $0.at <= step } ?? 0
    }

    /// What is on screen during beat `index`: every beat's `show` up to it, in order (a later beat's word wins).
    public func screen(at index: Int) -> BeatShow {
        var screen = BeatShow()
        for beat in beats.prefix(index + 1) { screen.merge(beat.show) }
        return screen
    }

    /// The beats' `set`s as events, in the beats' order: what the event interpreter plays.
    public var events: [RunEvent] {
        beats.flatMap { beat in beat.set.map { RunEvent(step: beat.at, run: $0.run, action: .set($0.patch)) } }
    }
}

/// One beat of a lesson.
public struct Beat: Equatable, Sendable {
    /// The step at which it begins.
    public var at: Int
    /// The caption, with `{placeholders}` (see `Caption`).
    public var say: String
    /// Hyperparameter changes made at `at`, run by run, through the same interpreter as `events:`.
    public var set: [(run: String, patch: HyperparameterPatch)]
    public var show: BeatShow
    public var ask: Question?
    /// Checks on the runs as they stand at `at`.
    public var expect: [Expectation]

    public init(at: Int, say: String = "", set: [(run: String, patch: HyperparameterPatch)] = [], show: BeatShow = BeatShow(),
                ask: Question? = nil, expect: [Expectation] = []) {
        self.at = at; self.say = say; self.set = set; self.show = show; self.ask = ask; self.expect = expect
    }

    public static func == (l: Beat, r: Beat) -> Bool {
        l.at == r.at && l.say == r.say && l.set.map(\.run) == r.set.map(\.run) && l.set.map(\.patch) == r.set.map(\.patch)
            && l.show == r.show && l.ask == r.ask && l.expect == r.expect
    }
}

/// What a beat puts on screen; nil leaves it as the beat before had it.
public struct BeatShow: Equatable, Sendable {
    /// Which runs' update arrows are drawn.
    public enum Arrows: Equatable, Sendable {
        case none, all
        case runs([String])
    }

    /// How the landscape is framed.
    public enum View: Equatable, Sendable {
        /// Every path and marker in view (the explorer's `0`).
        case fit
        /// `width` across, centred on `center` (the parameters on the shown axes).
        case zoom(center: [Double], width: Double)
    }

    public var theory: Bool?
    public var arrows: Arrows?
    public var map: Bool?
    public var eigen: Bool?
    /// Runs hidden from this beat on.
    public var hide: [String] = []
    /// Runs shown again from this beat on.
    public var reveal: [String] = []
    public var view: View?

    public init() {}

    /// The labels this show names.
    public var runLabels: [String] {
        var labels = hide + reveal
        if case .runs(let named)? = arrows { labels += named }
        return labels
    }

    /// The runs hidden once `hide` and `reveal` are applied over the show before.
    public private(set) var hidden: Set<String> = []

    mutating func merge(_ later: BeatShow) {
        if let theory = later.theory { self.theory = theory }
        if let arrows = later.arrows { self.arrows = arrows }
        if let map = later.map { self.map = map }
        if let eigen = later.eigen { self.eigen = eigen }
        if let view = later.view { self.view = view }
        hidden.formUnion(later.hide)
        hidden.subtract(later.reveal)
        hide = later.hide
        reveal = later.reveal
    }

    public static func == (l: BeatShow, r: BeatShow) -> Bool {
        l.theory == r.theory && l.arrows == r.arrows && l.map == r.map && l.eigen == r.eigen && l.hide == r.hide
            && l.reveal == r.reveal && l.view == r.view
    }
}

/// A question a beat asks the learner; the lesson goes on whatever the answer.
public struct Question: Equatable, Sendable {
    public enum Answer: Equatable, Sendable {
        /// A number, right within `tolerance` (absolute).
        case number(Double, tolerance: Double)
        /// One of `choices`, right when it is `correct`.
        case choice([String], correct: String)
    }

    public var text: String
    public var answer: Answer

    public init(text: String, answer: Answer) { self.text = text; self.answer = answer }

    /// Whether `typed` is the answer: a number within the tolerance, or the right choice (its text, any case,
    /// or its place in the list counted from 1).
    public func accepts(_ typed: String) -> Bool {
        let typed = typed.trimmingCharacters(in: .whitespaces)
        switch answer {
        case let .number(value, tolerance):
            guard let number = Double(typed) else { return false }
            return abs(number - value) <= tolerance
        case let .choice(choices, correct):
            // A choice's own text first (choices may be numbers), then its place in the list.
            if let choice = choices.first(where: { $0.lowercased() == typed.lowercased() }) { return choice == correct }
            if let n = Int(typed), choices.indices.contains(n - 1) { return choices[n - 1] == correct }
            return false
        }
    }

    /// The answer in words, for feedback and the handout's answers.
    public var answerText: String {
        switch answer {
        case let .number(value, tolerance): tolerance > 0 ? "\(NumberFormat.short(value)) (± \(NumberFormat.short(tolerance)))" : NumberFormat.short(value)
        case let .choice(_, correct): correct
        }
    }
}
