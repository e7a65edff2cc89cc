import DescentCore

/// How the screen is drawn: what the terminal can show.
public struct RenderOptions: Equatable, Sendable {
    /// False when `NO_COLOR` is set: runs are told apart by glyphs and dot patterns.
    public var color: Bool
    /// False in a locale without UTF-8: every glyph on screen is ASCII.
    public var unicode: Bool

    public init(color: Bool = true, unicode: Bool = true) {
        self.color = color
        self.unicode = unicode
    }
}

/// An entry of the `o` picker.
public enum Choice: Equatable, Sendable {
    /// An analytic objective with its default parameters and suggested hyperparameters.
    case objective(String)
    /// A scenario file, with its name and description as read by the driver.
    case scenario(path: String, name: String, description: String?)
    /// A file the driver has listed but not yet read (`Effect.describe` asks for its name and description).
    case file(path: String)

    public var title: String {
        switch self {
        case .objective(let kind): "objective: \(kind)"
        case let .scenario(path, name, _): "\(name)  (\(path))"
        case .file(let path): path
        }
    }

    public var details: String? {
        switch self {
        case .objective(let kind): ObjectiveRegistry.kind(named: kind)?.summary
        case .scenario(_, _, let description): description
        case .file: "(reading…)"
        }
    }
}

/// What the explorer is doing with the keyboard.
public enum Mode: Equatable, Sendable {
    case normal
    /// Typing an exact value for the selected hyperparameter; `fresh` while the shown value is still
    /// untouched (selected, as a text field's is): the first character typed replaces it.
    case editing(String, fresh: Bool)
    /// Typing a new label for the selected run.
    case renaming(String)
    /// The key list; the number is the first line shown when it has to scroll.
    case help(Int)
    /// The whole scenario description; the number is the first line shown.
    case description(Int)
    /// Choosing from `choices` (the index is the highlighted entry) or typing a path.
    case picker(Int, typed: String)
    /// The map of the hyperparameter plane (`mapView`), filled in as ticks come.
    case map
    /// Typing a formula for the objective (`F`).
    case formula(String)
    /// Typing a step to go to (`g`).
    case goTo(String)
    /// Typing the answer to the current beat's question (`A`).
    case answering(String)
}

/// A walk of arrow presses on one hyperparameter of one run.
struct ArrowWalk: Equatable, Sendable {
    var run: Int
    var field: HyperparameterField
    var origin: SGDHyperparameters
    var notches: Int
    /// The value the walk last set, so that any other change (a typed value) ends the walk.
    var reached: SGDHyperparameters
}

/// The whole explorer: a value. `update` changes it, `render` draws it; nothing else is kept anywhere.
public struct ExplorerState: Sendable {
    /// The scenario and its live runs (the same `Run` type that `descent run` steps).
    public internal(set) var experiment: Experiment
    /// Each run's lane (its path, style, rate meter, follow box), at its run's index.
    public internal(set) var lanes: [Lane]
    /// Each run's path, bounded: the first steps whole, the rest evenly thinned.
    public internal(set) var histories: [Trajectory] {
        get { lanes.map(\.history) }
        set { for i in lanes.indices where i < newValue.count { lanes[i].history = newValue[i] } }
    }
    /// Each run's colour, glyph and pattern, kept for the run's life.
    public var styles: [RunStyle] { lanes.map(\.style) }
    public internal(set) var selectedRun = 0
    public internal(set) var selectedField: HyperparameterField = .lr
    public internal(set) var playing = false
    public internal(set) var speedIndex = ExplorerState.defaultSpeedIndex
    /// Steps owed to the runs, in thirtieths of a step: a tick adds `speed`, each whole 30 is a step.
    var stepCredit = 0
    /// Running pauses when the runs reach this step (the scenario's `steps`); nil once the user runs past it.
    public internal(set) var pauseAtStep: Int?
    public internal(set) var viewport: Viewport
    /// True once the user zoomed or panned: the view then stays where they put it.
    public internal(set) var viewIsUsers = false
    /// Points beyond this box count as a run's flight to infinity: the view does not chase them.
    var flightBox: Viewport?
    /// What the view was fitted (and grown) to hold, before matching the plot's aspect: a resize re-fits
    /// it to the new plot without running the preview again.
    var fittedBox: Viewport?
    /// The plane the landscape shows: two parameters across and up, or two random directions (`D`).
    public internal(set) var plane = SlicePlane(x: 0, y: 1)
    public internal(set) var width: Int
    public internal(set) var height: Int
    public internal(set) var mode: Mode = .normal
    /// Arrows for the selected run's next step and its update written out.
    public internal(set) var showsUpdate = false
    /// The loss chart's step axis on a log scale, so the first steps of a long run keep their room.
    public internal(set) var logStepAxis = false
    /// Where a run of arrow presses on one field started, and how many notches it has gone (→ +1, ← −1):
    /// the value shown is the start moved that many notches, so `←` undoes `→` exactly from any value.
    var arrowWalk: ArrowWalk?
    /// A path typed in the picker whose opening has not succeeded (yet): `o` offers it again.
    var typedPath: String?
    /// Ticks since the slice of a landscape with more than two parameters was last re-sampled.
    var ticksSinceSlice = 0
    /// The steps a second each run actually takes when the objective is too heavy for the chosen speed.
    public internal(set) var throttledSpeed: Double?
    /// The next run to step when runs take single steps in turn.
    var nextInTurn = 0
    /// The last message for the user (a refused value, a written file).
    public internal(set) var status: String?
    public let options: RenderOptions
    /// The folder new files are written to (the driver's working folder), for relative data paths.
    public var workingFolder: String?
    /// Entries of the `o` picker.
    public internal(set) var choices: [Choice]
    /// The shaded landscape, recomputed only when what it depends on changes.
    var landscape: LandscapeField?
    /// Bumped whenever the objective is replaced, so an equal-looking landscape key is still recomputed.
    var landscapeGeneration = 0
    /// The theory panel (`t`): the selected run's curvatures, maps, rates and stable lr.
    public internal(set) var showsTheory = false
    /// The selected run's linear theory where it stands, recomputed when what it depends on changes.
    public internal(set) var theory: RunAnalysis?
    /// What `theory` was computed for.
    var theoryKey: TheoryKey?
    /// The map of the hyperparameter plane (`m`), while it is open.
    public internal(set) var mapView: MapView?
    /// The changes made to the runs since the scenario was opened, for `w` to write as events.
    var sessionLog: SessionLog
    /// A session file being replayed in the background, until the driver sends `.replayed`.
    public internal(set) var replaying: Replay?
    /// Replays started so far (their ids).
    var replayCount = 0
    /// The session's changes later than where the runs stand, kept after going back in time (`g`, `b`, `[`)
    /// so that going forward again replays them; a new change made here drops them.
    var future: [RunEvent] = []
    /// Steps marked with `k` (without a lesson, `]` and `[` move between them; `w` writes them as beats).
    public internal(set) var bookmarks: [Int] = []
    /// The beat whose screen (`show`) was last put up, so arriving at a beat puts up its screen once.
    var shownBeat: Int?
    /// The answers given to the lesson's questions, by beat: right or not.
    public internal(set) var answers: [Int: Bool] = [:]
    /// The lesson's theory numbers, worked out when the scenario was opened.
    var lessonTheory: LessonTheory?
    /// Update arrows for every visible run (`V`).
    public internal(set) var showsAllUpdates = false
    /// Runs whose arrows a lesson's beat shows (by label); empty when none is named.
    var arrowRuns: Set<String> = []
    /// The eigendirection panel (`E`) in the loss chart's place.
    public internal(set) var showsEigen = false
    /// The loss chart shows f − f* (`G`).
    public internal(set) var showsLossGap = false
    /// The lr range test (`z`) of the selected run, in the loss chart's place, while it is shown.
    public internal(set) var rangeTest: LRRangeTest?
    /// The what-if of a hyperparameter edit: its ghost path, while the edit lasts.
    public internal(set) var whatIf: WhatIf?
    /// The session as it was when the what-if began, so that `esc` puts it back exactly.
    var whatIfUndo: WhatIfUndo?
    /// Running on to a step (`g`) at full speed, a frame's work at a time.
    var fastForward = false

    /// Steps per second that `f`/`s` move between: from one a second, to count along, up to 30 000.
    public static let speeds = [1, 2, 5, 10, 30, 60, 150, 300, 600, 1500, 3000, 6000, 15_000, 30_000]
    static let defaultSpeedIndex = 5
    /// Frames (ticks) per second the driver sends while running.
    public static let framesPerSecond = 30
    /// Stepping allowed in one frame, in multiply-adds of objective evaluation (about 10 ms here).
    public static let frameWork = 20_000_000
    public static let minimumSize = (width: 80, height: 24)
    public static let historyBound = 4096
    /// Numbers of θ a run's kept path may hold (16 MiB): a path of a million parameters keeps a few rows,
    /// not 4096 of them (32 GB).
    public static let historyBudget = 1 << 21

    /// Rows of path kept for a run of `dimension` parameters: 4096, fewer when that would pass the budget.
    public static func historyBound(dimension: Int) -> Int { max(4, min(historyBound, historyBudget / max(1, dimension))) }

    public init(experiment: Experiment, width: Int = 120, height: Int = 40,
                options: RenderOptions = RenderOptions(), choices: [Choice] = [], pauseAtStep: Int? = nil,
                workingFolder: String? = nil) {
        self.workingFolder = workingFolder
        self.experiment = experiment
        self.lanes = Lane.lanes(of: experiment)
        self.sessionLog = SessionLog(runs: experiment.runs)
        self.width = width
        self.height = height
        self.options = options
        self.choices = choices
        self.viewport = experiment.objective.viewport
        self.pauseAtStep = pauseAtStep ?? experiment.scenario.steps
        plane = .parameters(dimension: experiment.objective.dimension)
        fitView()
        refreshLandscape()
        status = openSession(experiment)
        refreshBeat()
        refreshTheory()
    }

    /// A session being replayed in the background: the file's experiment, and the steps played so far of
    /// about `total`.
    public struct Replay: Sendable {
        public let experiment: Experiment
        public internal(set) var done = 0
        public let total: Int
        /// Which replay this is: a session answers `.replayed` with it, so a replay abandoned for another
        /// file cannot land on it.
        public let id: Int
        /// Space (or `--play`) was pressed while it replayed: the runs go on once it is done.
        var playWhenDone = false

        var status: String {
            let percent = total > 0 ? min(99, done * 100 / total) : 0
            return "replaying the file's \(experiment.scenario.events.count) events to step \(experiment.scenario.steps): \(percent)% (q quits)"
        }
    }

    /// A replayed session, ready to be shown: the runs where the events leave them, their paths, the log.
    public struct ReplayedSession: Sendable {
        let experiment: Experiment
        let histories: [Trajectory]
        let log: SessionLog
        /// The `Replay.id` it answers (set by the driver).
        public var id = 0
    }

    /// What the status line says when a session's events delete every run: its runs are shown from their start.
    static let everyRunDeleted = "the file's events delete every run: its runs are shown from their start, without them"

    /// Replay work (multiply-adds) done while the explorer opens, about a frame's; more goes to the background.
    static let replayAtOnce = frameWork

    /// What recording a replayed step in its path costs beside the step, in multiply-adds (measured: a 2-D
    /// step recorded costs about as much as a hundred).
    static let recordingCost = 100

    /// About how many steps replaying `experiment`'s events takes: every run and copy to its `steps`.
    static func replaySteps(_ experiment: Experiment) -> Int {
        let copies = experiment.scenario.events.filter { if case .copy = $0.action { true } else { false } }.count
        return (experiment.runs.count + copies).multipliedReportingOverflow(by: experiment.scenario.steps).partialValue
    }

    /// About the multiply-adds of replaying `experiment`'s events.
    static func replayWork(_ experiment: Experiment) -> Int {
        let perStep = experiment.objective.costPerEvaluation + experiment.objective.dimension + recordingCost
        let (work, over) = replaySteps(experiment).multipliedReportingOverflow(by: perStep)
        return over ? .max : work
    }

    /// A scenario with `events:` played to its `steps` as `descent run` plays it: the runs (copies in place,
    /// deleted ones gone) where they end, their paths (a reset or a new start begins a new one), and the
    /// events as this session's log, so `w` writes them again with whatever is done next. Nil without events.
    /// `progress` is told the steps played so far, every 4096 of them (from whatever thread plays it).
    public static func replayed(_ experiment: Experiment, progress: ((Int) -> Void)? = nil) -> ReplayedSession? {
        let events = experiment.scenario.events
        guard !events.isEmpty else { return nil }
        let log = SessionLog(runs: experiment.runs, events: events)
        var played: [String: (run: Run, history: Trajectory)] = [:]
        var count = 0
        for program in experiment.programs() where !program.isDeleted {
            var program = program
            var history = Trajectory(startingAt: program.run, bound: historyBound(dimension: program.run.parameters.count))
            program.play(steps: experiment.scenario.steps) { run in
                history.follow(run)
                count += 1
                if count & 4095 == 0 { progress?(count) }
            }
            played[program.run.label] = (program.run, history)
        }
        var session = experiment
        var histories: [Trajectory] = []
        session.runs = []
        for id in log.ids {
            guard let label = log.label(of: id), let entry = played[label] else { continue }
            session.runs.append(entry.run)
            histories.append(entry.history)
        }
        return ReplayedSession(experiment: session, histories: histories, log: log)
    }

    public var runs: [Run] { experiment.runs }
    public var selected: Run { experiment.runs[selectedRun] }
    /// Steps per second while running.
    public var speed: Int { Self.speeds[speedIndex] }
    public var isTooSmall: Bool { width < Self.minimumSize.width || height < Self.minimumSize.height }
    public var allDiverged: Bool { runs.allSatisfy(\.isDiverged) }

    /// Whether every live run has reached the step running pauses at.
    public var reachedPause: Bool {
        guard let pauseAtStep else { return false }
        return runs.allSatisfy { $0.isDiverged || $0.stepCount >= pauseAtStep }
    }

    /// Whether the driver should send ticks: runs are running, or the map is still being filled in.
    public var wantsTicks: Bool { playing || (mode == .map && !(mapView?.isComplete ?? true)) }

    /// running, paused or diverged, as the status line says it.
    public var stateName: String {
        allDiverged ? "diverged" : (playing ? "running" : "paused")
    }

    var layout: Layout { Layout(width: width, height: height, caption: experiment.scenario.lesson != nil) }

    /// Where the session stands: the furthest step a run is at.
    public var currentStep: Int { runs.map(\.stepCount).max() ?? 0 }
}
