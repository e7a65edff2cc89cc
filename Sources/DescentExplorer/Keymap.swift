import DescentCore

/// What a key does on the explorer's main screen.
public enum Action: Sendable, Equatable {
    case playPause, step, resetAll, faster, slower
    case nextRun, previousRun, previousField, nextField, decrease, increase, typeValue
    case addRun, deleteRun, rename, showUpdate
    case zoomIn, zoomOut, panLeft, panDown, panUp, panRight, fitView, logStepAxis, nextXAxis, nextYAxis, randomPlane
    case moveStart, open, describe, theory, polyak, map, formula, writeScenario, exportCSV, help, quit
    case goToStep, stepBack, bookmark, nextBeat, previousBeat, hideRun, allUpdates, eigen, answer, restartWithValue, rangeTest, lossGap
}

/// One line of the keymap: the keys, the actions they take, and the help for people.
public struct KeymapEntry: Sendable {
    /// The keys as the help overlay shows them; `unicode|ascii` when the ASCII form differs.
    public let label: String
    /// The keys as README's table writes them.
    public let readmeKeys: String
    /// The help overlay's words: short enough for two columns at 80×24.
    public let help: String
    /// README's words: what the key does, in full.
    public let details: String
    /// Each key with its action (a click has none: it is a mouse message, not a key).
    public let bindings: [(key: Key, action: Action)]
}

/// The one table of the explorer's keys: the main screen's handler, the help overlay (`?`), the status
/// line's hints and README's key table all read it.
public enum Keymap {
    public static let entries: [KeymapEntry] = [
        KeymapEntry(label: "space", readmeKeys: "`space`", help: "run / pause",
                    details: "run / pause (past the scenario's `steps`, it runs on)",
                    bindings: [(.character(" "), .playPause)]),
        KeymapEntry(label: "n", readmeKeys: "`n`", help: "one step (pauses)", details: "one step (pauses)",
                    bindings: [(.character("n"), .step)]),
        KeymapEntry(label: "r", readmeKeys: "`r`", help: "reset every run", details: "reset every run to its start (in a lesson: back to its first beat)",
                    bindings: [(.character("r"), .resetAll)]),
        KeymapEntry(label: "g / b", readmeKeys: "`g` / `b`", help: "go to a step / step back",
                    details: "go to a step (type it, `enter`) / one step back: going back replays the session from its start, so the runs are bit for bit a fresh run's to that step; the changes made later replay as the runs go on, until a change made there drops them",
                    bindings: [(.character("g"), .goToStep), (.character("b"), .stepBack)]),
        KeymapEntry(label: "] / [", readmeKeys: "`]` / `[`", help: "next / previous beat",
                    details: "a lesson's next beat (run on to its step at the chosen pace and pause there) / the previous one; without a lesson, the bookmarks",
                    bindings: [(.character("]"), .nextBeat), (.character("["), .previousBeat)]),
        KeymapEntry(label: "k", readmeKeys: "`k`", help: "bookmark this step",
                    details: "bookmark the current step (again: remove it); `w` writes the bookmarks as a lesson's beats with empty captions",
                    bindings: [(.character("k"), .bookmark)]),
        KeymapEntry(label: "A", readmeKeys: "`A`", help: "answer a beat's question",
                    details: "answer the current beat's question (a number, or a choice by its text or number); the lesson goes on either way",
                    bindings: [(.character("A"), .answer)]),
        KeymapEntry(label: "f / s", readmeKeys: "`f` / `s`", help: "faster / slower (steps/s)",
                    details: "faster / slower: \(ExplorerState.speeds.map { "\($0)" }.joined(separator: ", ")) steps a second (\(ExplorerState.speeds[ExplorerState.defaultSpeedIndex]) to begin with)",
                    bindings: [(.character("f"), .faster), (.character("s"), .slower)]),
        KeymapEntry(label: "tab s-tab", readmeKeys: "`tab` / `shift-tab`", help: "select a run",
                    details: "select the next / previous run", bindings: [(.tab, .nextRun), (.backTab, .previousRun)]),
        KeymapEntry(label: "↑ ↓|up/down", readmeKeys: "`↑` / `↓`", help: "select a hyperparameter",
                    details: "select a hyperparameter (\(HyperparameterField.allCases.map { "`\($0.name)`" }.joined(separator: ", ")))",
                    bindings: [(.up, .previousField), (.down, .nextField)]),
        KeymapEntry(label: "← →|left/right", readmeKeys: "`←` / `→`", help: "change it, on a grid",
                    details: "change it: `lr` and `weight_decay` on the grid 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 in each decade (`weight_decay` 1e-4 ↔ 0 at the bottom), `momentum` and `dampening` by 0.05 in [0, 1], toggles for \(HyperparameterField.allCases.filter { $0.type == .flag }.map { "`\($0.name)`" }.joined(separator: ", ")), the choices in turn for \(HyperparameterField.allCases.filter { if case .choice = $0.type { true } else { false } }.map { "`\($0.name)`" }.joined(separator: " and ")). `←` undoes `→` exactly, from any value: ten of each bring 0.0330579 back to 0.0330579",
                    bindings: [(.left, .decrease), (.right, .increase)]),
        KeymapEntry(label: "enter", readmeKeys: "`enter`", help: "type an exact value", details: "type an exact value (`esc` cancels); after `←` / `→`, keep the change",
                    bindings: [(.enter, .typeValue)]),
        KeymapEntry(label: "!", readmeKeys: "`!` / `esc`", help: "restart it with the value",
                    details: "while a change made with `←` / `→` (or typed) shows its ghost, the run's whole path with that value from its start: `!` restarts the run with it (its path becomes the ghost), `esc` drops the change",
                    bindings: [(.character("!"), .restartWithValue)]),
        KeymapEntry(label: "a / d", readmeKeys: "`a` / `d`", help: "add a copy / delete run",
                    details: "add a copy of the selected run (`heavy ball (2)`), from where it is / delete it",
                    bindings: [(.character("a"), .addRun), (.character("d"), .deleteRun)]),
        KeymapEntry(label: "R", readmeKeys: "`R`", help: "rename the run", details: "rename the selected run",
                    bindings: [(.character("R"), .rename)]),
        KeymapEntry(label: "v", readmeKeys: "`v`", help: "show the update: arrows",
                    details: "show the selected run's next step as arrows (the momentum term, then the gradient term, ending where the step lands; for Nesterov the look-ahead point ◌) and its update in torch's form with the live numbers",
                    bindings: [(.character("v"), .showUpdate)]),
        KeymapEntry(label: "V", readmeKeys: "`V`", help: "arrows of every run",
                    details: "the update arrows of every visible run at once, each in its run's colour, with a key naming the momentum and gradient terms and their lengths",
                    bindings: [(.character("V"), .allUpdates)]),
        KeymapEntry(label: "h", readmeKeys: "`h`", help: "hide / show the run",
                    details: "hide the selected run (its path, marker, loss curve) or show it again; a hidden run still steps",
                    bindings: [(.character("h"), .hideRun)]),
        KeymapEntry(label: "+ / -", readmeKeys: "`+` / `-`", help: "zoom in / out", details: "zoom in / out",
                    bindings: [(.character("+"), .zoomIn), (.character("="), .zoomIn), (.character("-"), .zoomOut), (.character("_"), .zoomOut)]),
        KeymapEntry(label: "H J K L", readmeKeys: "`H` `J` `K` `L`", help: "pan left/down/up/right", details: "pan left, down, up, right",
                    bindings: [(.character("H"), .panLeft), (.character("J"), .panDown), (.character("K"), .panUp), (.character("L"), .panRight)]),
        KeymapEntry(label: "0", readmeKeys: "`0`", help: "fit the view to the paths", details: "fit the view to the starts, minima and paths",
                    bindings: [(.character("0"), .fitView)]),
        KeymapEntry(label: "l", readmeKeys: "`l`", help: "log / linear step axis",
                    details: "the loss chart's step axis on a log scale (and back), so a long run's first steps keep their room",
                    bindings: [(.character("l"), .logStepAxis)]),
        KeymapEntry(label: "G", readmeKeys: "`G`", help: "loss chart: f - f*",
                    details: "the loss chart shows f − f*, the gap above the lowest loss at the known minima, on its log axis (and back), so convergence to a minimum whose loss is not 0 reads as a straight fall",
                    bindings: [(.character("G"), .lossGap)]),
        KeymapEntry(label: "x / y / D", readmeKeys: "`x` / `y` / `D`", help: "axes; D: a random plane",
                    details: "more than two parameters: x and y change the landscape's axes (the parameters across and up); D shows a random plane through the selected run's start instead, two orthonormal directions drawn from a seed, the paths drawn as their shadows on it (D again: the next seed)",
                    bindings: [(.character("x"), .nextXAxis), (.character("y"), .nextYAxis), (.character("D"), .randomPlane)]),
        KeymapEntry(label: "click", readmeKeys: "click", help: "move the start there", details: "move every run's start there and reset",
                    bindings: []),
        KeymapEntry(label: "o", readmeKeys: "`o`", help: "open a scenario/objective",
                    details: "open: the objectives, and the scenario files beside the opened one, in the working folder, in `Scenarios/` and those `w` wrote, with their names and descriptions; or type a path",
                    bindings: [(.character("o"), .open)]),
        KeymapEntry(label: "i", readmeKeys: "`i`", help: "read the description", details: "read the whole description",
                    bindings: [(.character("i"), .describe)]),
        KeymapEntry(label: "t", readmeKeys: "`t`", help: "theory: rates, stable lr",
                    details: "the theory panel for the selected run: the curvatures it sees, each direction's ρ and regime, the predicted rate beside the measured one, the largest stable lr; on a 2-D landscape the Hessian's eigenvectors as dotted axes",
                    bindings: [(.character("t"), .theory)]),
        KeymapEntry(label: "E", readmeKeys: "`E`", help: "error per eigendirection",
                    details: "Distill's decomposition for the selected run, in the loss chart's place: for each eigendirection of the Hessian (at the minimum for a quadratic, else where the run stands) the error |⟨θ_k − θ*, q_i⟩| against step on a log axis, beside the theory's ρ_i^k, each labelled with its curvature",
                    bindings: [(.character("E"), .eigen)]),
        KeymapEntry(label: "z", readmeKeys: "`z`", help: "lr range test",
                    details: "the lr range test of `descent lrfind` for the selected run, from its start, in the loss chart's place: the smoothed loss against lr (log), the suggestion ▲ and the theory's stability edge ┃ (again: the loss chart)",
                    bindings: [(.character("z"), .rangeTest)]),
        KeymapEntry(label: "P", readmeKeys: "`P`", help: "Polyak's lr, momentum",
                    details: "give the selected run Polyak's optimal heavy ball for its spectrum (lr, momentum; dampening 0, Nesterov off)",
                    bindings: [(.character("P"), .polyak)]),
        KeymapEntry(label: "m", readmeKeys: "`m`", help: "map: lr and momentum",
                    details: "the map of lr × momentum for the selected run, filled in as you watch; arrows move, `enter` gives the run that setting",
                    bindings: [(.character("m"), .map)]),
        KeymapEntry(label: "F", readmeKeys: "`F`", help: "type your own f",
                    details: "type your own function: the formula is checked as you type (the mistake marked under its column), `enter` makes it the objective and keeps the runs, their settings and starts",
                    bindings: [(.character("F"), .formula)]),
        KeymapEntry(label: "w", readmeKeys: "`w`", help: "write setup as scenario",
                    details: "write the setup as a new scenario file (each run's glyph and colour with it); changes made while the runs went are written as `events:`, which `descent run` replays bit for bit",
                    bindings: [(.character("w"), .writeScenario)]),
        KeymapEntry(label: "e", readmeKeys: "`e`", help: "export paths as CSV", details: "export the kept paths as CSV",
                    bindings: [(.character("e"), .exportCSV)]),
        KeymapEntry(label: "?", readmeKeys: "`?`", help: "this help", details: "the keys",
                    bindings: [(.character("?"), .help)]),
        KeymapEntry(label: "q", readmeKeys: "`q`", help: "quit", details: "quit (in the help or the description it closes them)",
                    bindings: [(.character("q"), .quit)]),
    ]

    /// The status line's hints on the main screen, most needed first: (keys, what), the keys as `unicode|ascii`
    /// where they differ. The narrow form is the first five.
    public static let hints: [(keys: String, what: String)] = [
        ("?", "help"), ("q", "quit"), ("space", "run/pause"), ("n", "step"), ("f/s", "speed"), ("tab", "run"),
        ("↑↓|arrows", "select|select/change"), ("←→|", "change|"),
    ]

    /// The hint line: every hint, or the first five (with `space run`) when the line is narrower than that.
    public static func hintLine(unicode: Bool, narrow: Bool) -> String {
        func form(_ text: String) -> String {
            let forms = text.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            return unicode || forms.count == 1 ? forms[0] : forms[1]
        }
        if narrow {
            return hints.prefix(5).map { "\($0.keys) \($0.what == "run/pause" ? "run" : $0.what)" }.joined(separator: "  ")
        }
        return hints.compactMap { hint in
            let keys = form(hint.keys), what = form(hint.what)
            return keys.isEmpty ? nil : "\(keys) \(what)"
        }.joined(separator: "  ")
    }

    /// What `key` does on the main screen; nil for a key with no binding.
    public static func action(for key: Key) -> Action? {
        for entry in entries { for binding in entry.bindings where binding.key == key { return binding.action } }
        return nil
    }

    /// The key (as the help shows it) bound to `action`, for hints.
    public static func label(of action: Action) -> String? {
        entries.first { $0.bindings.contains { $0.action == action } }?.label
    }

    /// README's key table, as Markdown: a header and one row per entry.
    public static var readmeTable: String {
        "| key | what it does |\n|---|---|\n" + entries.map { "| \($0.readmeKeys) | \($0.details) |" }.joined(separator: "\n") + "\n"
    }
}
