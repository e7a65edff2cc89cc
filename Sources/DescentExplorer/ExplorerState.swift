import DescentCore

/// How the screen is drawn: what the terminal can show.
public struct RenderOptions: Equatable, Sendable {
    /// False when `NO_COLOR` is set: runs are told apart by glyphs only.
    public var color: Bool
    /// False in a locale without UTF-8: ASCII shading and dots instead of braille.
    public var unicode: Bool

    public init(color: Bool = true, unicode: Bool = true) {
        self.color = color
        self.unicode = unicode
    }
}

/// An entry of the `o` picker.
public enum Choice: Equatable, Sendable {
    /// An analytic objective with its default parameters, keeping the current runs' settings.
    case objective(String)
    /// A scenario file.
    case file(String)

    public var title: String {
        switch self {
        case .objective(let kind): "objective: \(kind)"
        case .file(let path): path
        }
    }
}

/// What the explorer is doing with the keyboard.
public enum Mode: Equatable, Sendable {
    case normal
    /// Typing an exact value for the selected hyperparameter.
    case editing(String)
    case help
    /// Choosing from `choices`; the index is the highlighted entry.
    case picker(Int)
}

/// The whole explorer: a value. `update` changes it, `render` draws it; nothing else is kept anywhere.
public struct ExplorerState: Sendable {
    /// The scenario and its live runs (the same `Run` type that `descent run` steps).
    public internal(set) var experiment: Experiment
    public internal(set) var histories: [RunHistory]
    public internal(set) var selectedRun = 0
    public internal(set) var selectedField: Hyperparameter = .lr
    public internal(set) var playing = false
    public internal(set) var speedIndex = 1
    public internal(set) var viewport: Viewport
    /// The two parameters shown on the landscape's x and y axes.
    public internal(set) var axes: (x: Int, y: Int) = (0, 1)
    public internal(set) var width: Int
    public internal(set) var height: Int
    public internal(set) var mode: Mode = .normal
    /// The last message for the user (a refused value, a written file).
    public internal(set) var status: String?
    public let options: RenderOptions
    /// Entries of the `o` picker.
    public let choices: [Choice]
    /// The shaded landscape, recomputed only when what it depends on changes.
    var landscape: LandscapeField?
    /// Bumped whenever the objective is replaced, so an equal-looking landscape key is still recomputed.
    var landscapeGeneration = 0

    /// Steps per frame that `f`/`s` move between.
    public static let speeds = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000]
    public static let minimumSize = (width: 80, height: 24)
    public static let historyCapacity = 4096

    public init(experiment: Experiment, width: Int = 120, height: Int = 40,
                options: RenderOptions = RenderOptions(), choices: [Choice] = []) {
        self.experiment = experiment
        self.histories = experiment.runs.map { RunHistory(run: $0, capacity: Self.historyCapacity) }
        self.width = width
        self.height = height
        self.options = options
        self.choices = choices
        self.viewport = experiment.objective.viewport
        if experiment.objective.dimension < 2 { axes = (0, 0) }
        fitView()
        refreshLandscape()
    }

    public var runs: [Run] { experiment.runs }
    public var selected: Run { experiment.runs[selectedRun] }
    public var speed: Int { Self.speeds[speedIndex] }
    public var isTooSmall: Bool { width < Self.minimumSize.width || height < Self.minimumSize.height }
    public var allDiverged: Bool { runs.allSatisfy(\.isDiverged) }

    /// running, paused or diverged, as the status line says it.
    public var stateName: String {
        allDiverged ? "diverged" : (playing ? "running" : "paused")
    }

    var layout: Layout { Layout(width: width, height: height) }
}
