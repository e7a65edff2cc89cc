import DescentCore
import Foundation

extension ExplorerState {
    /// Applies one message; returns the effects the driver must carry out.
    ///
    /// The only place the explorer changes. Every step goes through `Run.step`, the same as `descent run`.
    @discardableResult
    public mutating func update(_ message: Message) -> [Effect] {
        switch message {
        case .tick:
            if playing { advanceSteps(speed) }
            if allDiverged { playing = false }
        case let .resize(width, height):
            self.width = max(0, width)
            self.height = max(0, height)
            fitView()
            refreshLandscape()
        case let .click(x, y):
            guard mode == .normal, !isTooSmall else { return [] }
            click(x: x, y: y)
        case .report(let text):
            status = text
        case .loaded(let experiment):
            load(experiment)
        case .key(let key):
            return handle(key)
        }
        return []
    }

    private mutating func handle(_ key: Key) -> [Effect] {
        switch mode {
        case .help:
            mode = .normal
            if key == .character("q") { return [.quit] }
            return []
        case .editing(let text):
            editKey(key, text: text)
            return []
        case .picker(let index):
            return pickerKey(key, index: index)
        case .normal:
            break
        }
        if isTooSmall, key != .character("q") { return [] }
        status = nil
        switch key {
        case .character(" "): playing.toggle()
        case .character("n"):
            playing = false
            advanceSteps(1)
        case .character("r"): resetAll()
        case .tab: selectedRun = (selectedRun + 1) % runs.count; refreshLandscape()
        case .backTab: selectedRun = (selectedRun + runs.count - 1) % runs.count; refreshLandscape()
        case .up: selectedField = Hyperparameter.allCases[(fieldIndex + 6) % 7]
        case .down: selectedField = Hyperparameter.allCases[(fieldIndex + 1) % 7]
        case .left: apply(selectedField.adjusted(selected.hyperparameters, direction: -1))
        case .right: apply(selectedField.adjusted(selected.hyperparameters, direction: 1))
        case .enter: mode = .editing(selectedField.display(selected.hyperparameters))
        case .character("a"): addRun()
        case .character("d"): deleteRun()
        case .character("o"):
            if choices.isEmpty { status = "nothing to open: no Scenarios/ folder here" } else { mode = .picker(0) }
        case .character("+"), .character("="): zoom(by: 0.8)
        case .character("-"), .character("_"): zoom(by: 1.25)
        case .character("H"): pan(dx: -0.1, dy: 0)
        case .character("L"): pan(dx: 0.1, dy: 0)
        case .character("K"): pan(dx: 0, dy: 0.1)
        case .character("J"): pan(dx: 0, dy: -0.1)
        case .character("0"): fitView(); refreshLandscape()
        case .character("x"): cycleAxis(horizontal: true)
        case .character("y"): cycleAxis(horizontal: false)
        case .character("f"): speedIndex = min(Self.speeds.count - 1, speedIndex + 1)
        case .character("s"): speedIndex = max(0, speedIndex - 1)
        case .character("w"):
            return [.writeNewFile(stem: fileStem, fileExtension: "yaml", contents: scenarioText(), what: "scenario")]
        case .character("e"):
            return [.writeNewFile(stem: fileStem, fileExtension: "csv", contents: trajectoryCSV(), what: "trajectories")]
        case .character("?"): mode = .help
        case .character("q"): return [.quit]
        case .escape: break
        default: break
        }
        return []
    }

    private var fieldIndex: Int { Hyperparameter.allCases.firstIndex(of: selectedField)! }

    // MARK: Runs

    /// Takes `count` steps of every run that has not diverged, recording them in the histories.
    public mutating func advanceSteps(_ count: Int) {
        for index in experiment.runs.indices {
            // Swapped out rather than copied, so recording never duplicates the history's storage.
            var history = RunHistory(capacity: 16)
            swap(&history, &histories[index])
            experiment.runs[index].advance(by: count) { history.record($0) }
            swap(&history, &histories[index])
        }
        if experiment.objective.dimension > 2 { refreshLandscape() }
    }

    mutating func resetAll() {
        for index in experiment.runs.indices {
            experiment.runs[index].reset()
            histories[index] = RunHistory(run: experiment.runs[index], capacity: Self.historyCapacity)
        }
        refreshLandscape()
    }

    /// Gives the selected run new hyperparameters, or says why the optimizer refused them.
    mutating func apply(_ new: SGDHyperparameters) {
        do {
            try experiment.runs[selectedRun].setHyperparameters(new)
        } catch {
            status = error.message
        }
    }

    private mutating func addRun() {
        var copy = selected
        let labels = Set(runs.map(\.label))
        var n = 2
        while labels.contains("\(selected.label) \(n)") { n += 1 }
        copy.label = "\(selected.label) \(n)"
        experiment.runs.insert(copy, at: selectedRun + 1)
        histories.insert(histories[selectedRun], at: selectedRun + 1)
        selectedRun += 1
        status = "added run '\(copy.label)': a copy of the selected run, from where it is"
    }

    private mutating func deleteRun() {
        guard runs.count > 1 else { status = "the last run cannot be deleted"; return }
        let label = selected.label
        experiment.runs.remove(at: selectedRun)
        histories.remove(at: selectedRun)
        selectedRun = min(selectedRun, runs.count - 1)
        status = "deleted run '\(label)'"
    }

    // MARK: Editing

    private mutating func editKey(_ key: Key, text: String) {
        switch key {
        case .escape:
            mode = .normal
        case .enter:
            mode = .normal
            if let new = selectedField.parsed(text, into: selected.hyperparameters) {
                apply(new)
            } else {
                status = "'\(text)' is not a value for \(selectedField.name)"
            }
        case .backspace:
            mode = .editing(String(text.dropLast()))
        case .character(let c) where text.count < 24:
            mode = .editing(text + String(c))
        default:
            break
        }
    }

    // MARK: Picker

    private mutating func pickerKey(_ key: Key, index: Int) -> [Effect] {
        switch key {
        case .up: mode = .picker((index + choices.count - 1) % choices.count)
        case .down, .tab: mode = .picker((index + 1) % choices.count)
        case .escape, .character("q"), .character("o"): mode = .normal
        case .enter:
            mode = .normal
            switch choices[index] {
            case .file(let path): return [.open(path: path)]
            case .objective(let kind): switchObjective(kind)
            }
        default: break
        }
        return []
    }

    /// Replaces the scenario, keeping the speed and the play state.
    mutating func load(_ new: Experiment) {
        experiment = new
        histories = new.runs.map { RunHistory(run: $0, capacity: Self.historyCapacity) }
        selectedRun = 0
        axes = new.objective.dimension >= 2 ? (0, 1) : (0, 0)
        viewport = new.objective.viewport
        landscapeGeneration += 1
        fitView()
        refreshLandscape()
        status = "opened \(new.file ?? new.scenario.name)"
    }

    /// Opens an analytic objective with its defaults, keeping the current runs' labels and hyperparameters.
    private mutating func switchObjective(_ kind: String) {
        guard let defaults = ObjectiveSpec.analyticDefaults.first(where: { $0.spec.kind == kind }) else { return }
        var scenario = experiment.scenario
        scenario.name = "\(kind) explorer"
        scenario.description = ObjectiveSpec.catalogue.first { $0.kind == kind }?.summary
        scenario.objective = defaults.spec
        scenario.start = defaults.start
        scenario.expect = []
        scenario.runs = runs.map { RunSpec(label: $0.label, hyperparameters: $0.hyperparameters) }
        do {
            load(try Experiment(scenario: scenario))
        } catch {
            status = error.description
        }
    }

    // MARK: View

    /// Fits the view to every run's start and the known minima, at equal scale on both axes.
    mutating func fitView() {
        let objective = experiment.objective
        var points = runs.map { project($0.start) }
        points += objective.knownMinima.map(project)
        points += runs.map { project($0.parameters) }.filter { p in p.allSatisfy { abs($0) < 1e6 } }
        var fitted = Viewport.fitting(points) ?? objective.viewport
        let spread = points.contains { $0 != points[0] }
        if !spread { fitted = fitted.union(objective.viewport) }
        viewport = fitted.matchingAspect(columns: layout.landscape.width, rows: layout.landscape.height)
    }

    /// The two shown coordinates of θ.
    func project(_ point: [Double]) -> [Double] {
        [point[axes.x], point.count > 1 ? point[axes.y] : 0]
    }

    private mutating func zoom(by factor: Double) {
        let cx = (viewport.xMin + viewport.xMax) / 2, cy = (viewport.yMin + viewport.yMax) / 2
        let hw = (viewport.xMax - viewport.xMin) / 2 * factor, hh = (viewport.yMax - viewport.yMin) / 2 * factor
        guard hw > 1e-12, hh > 1e-12, hw < 1e12 else { return }
        viewport = Viewport(xMin: cx - hw, xMax: cx + hw, yMin: cy - hh, yMax: cy + hh)
        refreshLandscape()
    }

    private mutating func pan(dx: Double, dy: Double) {
        let w = viewport.xMax - viewport.xMin, h = viewport.yMax - viewport.yMin
        viewport = Viewport(xMin: viewport.xMin + dx * w, xMax: viewport.xMax + dx * w,
                            yMin: viewport.yMin + dy * h, yMax: viewport.yMax + dy * h)
        refreshLandscape()
    }

    private mutating func cycleAxis(horizontal: Bool) {
        let n = experiment.objective.dimension
        guard n > 2 else { status = "only \(n) parameters: nothing else to show"; return }
        if horizontal {
            var next = (axes.x + 1) % n
            if next == axes.y { next = (next + 1) % n }
            axes.x = next
        } else {
            var next = (axes.y + 1) % n
            if next == axes.x { next = (next + 1) % n }
            axes.y = next
        }
        let names = experiment.objective.parameterNames
        status = "landscape: \(names[axes.x]) across, \(names[axes.y]) up, through \(selected.label)'s θ"
        fitView()
        refreshLandscape()
    }

    /// Moves every run's start to the clicked point of the landscape and resets.
    private mutating func click(x: Int, y: Int) {
        let area = layout.landscape
        guard area.contains(x, y), area.width > 0, area.height > 0 else { return }
        let px = viewport.xMin + (Double(x - area.x) + 0.5) / Double(area.width) * (viewport.xMax - viewport.xMin)
        let py = viewport.yMax - (Double(y - area.y) + 0.5) / Double(area.height) * (viewport.yMax - viewport.yMin)
        for index in experiment.runs.indices {
            var start = experiment.runs[index].start
            start[axes.x] = px
            if start.count > 1 { start[axes.y] = py }
            experiment.runs[index].moveStart(to: start)
            histories[index] = RunHistory(run: experiment.runs[index], capacity: Self.historyCapacity)
        }
        status = "start moved to (\(Hyperparameter.format(px)), \(Hyperparameter.format(py)))"
        refreshLandscape()
    }

    /// Where the 2-D slice of a higher-dimensional objective passes: the selected run's θ,
    /// or its start once it has diverged (a slice through θ = 1e150 would show nothing but overflow).
    var slicePoint: [Double] {
        selected.isDiverged ? selected.start : selected.parameters
    }

    /// Recomputes the landscape samples if the view, size, axes or slice changed.
    mutating func refreshLandscape() {
        let area = layout.landscape
        guard area.width > 0, area.height > 0, !isTooSmall else { return }
        let dimension = experiment.objective.dimension
        let key = LandscapeField.Key(
            viewport: viewport, columns: area.width, rows: area.height,
            axes: dimension >= 2 ? [axes.x, axes.y] : [0],
            slice: dimension > 2 ? slicePoint : Array(repeating: 0, count: dimension),
            generation: landscapeGeneration)
        if landscape?.key != key {
            landscape = LandscapeField(key: key, objective: experiment.objective)
        }
    }

    /// A file name stem from the scenario name: `descent-heavy-ball-vs-nesterov-in-a-ravine`.
    var fileStem: String {
        let slug = experiment.scenario.name.lowercased().map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
            .split(separator: "-").joined(separator: "-")
        return "descent-" + String(slug.prefix(40))
    }
}

extension Viewport {
    /// Widens the shorter side so one unit is as long across as up, with braille dots (2×4 a cell) square.
    func matchingAspect(columns: Int, rows: Int) -> Viewport {
        guard columns > 0, rows > 0 else { return self }
        let dotAspect = Double(columns * 2) / Double(rows * 4)
        var v = self
        let w = xMax - xMin, h = yMax - yMin
        if w / h < dotAspect {
            let nw = h * dotAspect, c = (xMin + xMax) / 2
            v.xMin = c - nw / 2; v.xMax = c + nw / 2
        } else {
            let nh = w / dotAspect, c = (yMin + yMax) / 2
            v.yMin = c - nh / 2; v.yMax = c + nh / 2
        }
        return v
    }
}
