import DescentCore
import Foundation

extension ExplorerState {
    /// How far beyond the box of the starts, the landmarks and the paths that settle a path may go before
    /// the view treats it as a flight to infinity, in multiples of that box's larger side.
    static let flightFactor = 6.0
    /// Steps of the preview that `fitView` runs ahead, at most.
    static let previewSteps = 5_000
    /// Work the previews of all runs may take together, in multiply-adds (a few frames' worth): a heavy
    /// objective previews fewer steps, so fitting the view never holds up the keys.
    static let previewWork = 60_000_000

    /// Fits the view to the runs' starts, the objective's minima (and saddles), and the runs' paths:
    /// those recorded so far and a preview of each run up to the step running pauses at.
    ///
    /// A path that settles (ends within `flightFactor` times the box of the starts and landmarks) is shown
    /// whole, however wide it swings on the way, and widens that box. A path that runs away (a descent
    /// down an endless hill) counts only within `flightFactor` times the widened box, and one that diverges
    /// within 1.5 times it, so the view keeps the lesson; beyond, the run gets a border arrow.
    mutating func fitView() {
        let objective = experiment.objective
        // Hidden runs (`h`, a lesson's `hide`) do not count, unless every run is hidden.
        let shown = runs.indices.filter { !lanes[$0].hidden }
        let counted = shown.isEmpty ? Array(runs.indices) : shown
        var anchors = counted.map { project(runs[$0].start) }
        anchors += objective.stationaryPoints.map(project)
        var box = Viewport.bounding(anchors) ?? objective.viewport
        if box.width == 0 && box.height == 0 { box = box.union(objective.viewport) }
        let reach = box.scaled(by: Self.flightFactor)
        var points = anchors
        var runaways: [(path: [[Double]], diverges: Bool)] = []
        var diverging: [Bool] = []
        for index in runs.indices {
            let (path, diverges) = pathPoints(of: index)
            diverging.append(diverges)
            guard counted.contains(index) else { continue }
            if let end = path.last, reach.contains(end), !diverges { points += path } else { runaways.append((path, diverges)) }
        }
        // Update arrows on screen count too: the view holds where each shown run's next step goes.
        for index in arrowsShown where counted.contains(index) {
            if let parts = nextStepParts(run: index) { points += [parts.afterMomentum, parts.next].map(project) }
        }
        let settled = Viewport.bounding(points) ?? box
        let flight = settled.scaled(by: Self.flightFactor)
        flightBox = flight
        // A run that diverges widens the view a little at most: its flight is shown by the border arrow.
        let divergingReach = settled.scaled(by: 1.5)
        for (path, diverges) in runaways { points += path.filter { (diverges ? divergingReach : flight).contains($0) } }
        for i in lanes.indices where i < diverging.count { lanes[i].followBox = diverging[i] ? divergingReach : flight }
        // A regression's axes are fitted each on its own (see `shaped`): a thin side stays thin.
        var fitted = Viewport.fitting(points, independentAxes: unlikeAxes) ?? objective.viewport
        if !points.contains(where: { $0 != points[0] }) { fitted = fitted.union(objective.viewport) }
        fittedBox = fitted
        let plot = layout.plot
        viewport = shaped(fitted, for: plot)
    }

    /// The shown coordinates of a run's recorded path and of a preview up to the pause step, and whether
    /// the run diverges by then.
    private func pathPoints(of index: Int) -> (points: [[Double]], diverges: Bool) {
        let history = lanes[index].history
        var points: [[Double]] = []
        points.reserveCapacity(history.count)
        for row in 0..<history.count {
            let c = plane.coordinates(history, row: row)
            points.append([c.x, c.y])
        }
        var preview = runs[index]
        guard !preview.isDiverged else { return (points.filter { $0[0].isFinite && $0[1].isFinite }, true) }
        let target = max(pauseAtStep ?? 0, experiment.scenario.steps)
        let cost = max(1, experiment.objective.costPerEvaluation + experiment.objective.dimension) * max(1, runs.count)
        let ahead = min(Self.previewSteps, Self.previewWork / cost, max(0, target - preview.stepCount))
        // The preview is thrown away; only where it went is kept.
        preview.advance(by: ahead) { run in points.append(project(run.parameters)) }
        return (points.filter { $0[0].isFinite && $0[1].isFinite }, preview.isDiverged)
    }

    /// While running and until the user zooms or pans, grows the view to hold where the live paths went
    /// (only within the flight box: a run leaving for infinity gets a border arrow instead).
    mutating func grow(toHold reach: Viewport) {
        guard !viewIsUsers, reach.xMin < viewport.xMin || reach.xMax > viewport.xMax
                || reach.yMin < viewport.yMin || reach.yMax > viewport.yMax else { return }
        var grown = viewport.union(reach)
        // Margins as the fit makes them: on each axis its own for a regression, the larger side's otherwise.
        let independent = unlikeAxes
        let marginX = 0.1 * (independent ? grown.width : Swift.max(grown.width, grown.height))
        let marginY = 0.1 * (independent ? grown.height : Swift.max(grown.width, grown.height))
        grown = Viewport(xMin: grown.xMin - marginX, xMax: grown.xMax + marginX, yMin: grown.yMin - marginY, yMax: grown.yMax + marginY)
        fittedBox = grown
        let plot = layout.plot
        viewport = shaped(grown, for: plot)
        refreshLandscape()
    }

    /// Whether the two axes measure unlike things (a regression's weights of unlike features), so each is fitted on
    /// its own; a random plane's directions are both unit vectors of θ, alike.
    var unlikeAxes: Bool { experiment.objective.sampled != nil && plane.directions == nil }

    /// A fitted box made into the view of `plot`: at equal scale on both axes for the analytic objectives,
    /// whose shapes are the lesson (a ravine must look narrow); as fitted for the regressions, whose
    /// parameters are weights of unlike features, so a path along one weight still spreads across the plot.
    func shaped(_ box: Viewport, for plot: Rect) -> Viewport {
        unlikeAxes ? box : box.matchingAspect(columns: plot.width, rows: plot.height)
    }

    mutating func resize(width: Int, height: Int) {
        let oldPlot = layout.plot
        self.width = max(0, width)
        self.height = max(0, height)
        let plot = layout.plot
        if viewIsUsers, oldPlot.width > 0, oldPlot.height > 0 {
            // Keep the centre and the scale (units per column and per row) the user chose.
            let unitsX = viewport.width / Double(oldPlot.width), unitsY = viewport.height / Double(oldPlot.height)
            let cx = viewport.center[0], cy = viewport.center[1]
            let halfWidth = unitsX * Double(plot.width) / 2, halfHeight = unitsY * Double(plot.height) / 2
            viewport = Viewport(xMin: cx - halfWidth, xMax: cx + halfWidth, yMin: cy - halfHeight, yMax: cy + halfHeight)
        } else if let fittedBox {
            viewport = shaped(fittedBox, for: plot)
        } else {
            fitView()
        }
        if case .help = mode { mode = .help(0) }
        // The map is laid out for the screen: opened again at the new size. A screen too small for anything
        // shows only a message, and the map waits for a size it fits.
        if mode == .map, !isTooSmall, let map = mapView, map.columns != mapGridSize.columns || map.rows != mapGridSize.rows {
            reopenMap(keeping: map)
        }
        refreshLandscape()
    }

    /// The two shown coordinates of θ.
    func project(_ point: [Double]) -> [Double] {
        let c = plane.coordinates(point)
        return [c.x, c.y]
    }

    /// Zooms about the selected run's current point when it is in view (it stays where it is on screen),
    /// else about the view's centre.
    mutating func zoom(by factor: Double) {
        let p = project(selected.parameters)
        let anchor = viewport.contains(p) ? p : viewport.center
        let c = [anchor[0] + (viewport.center[0] - anchor[0]) * factor, anchor[1] + (viewport.center[1] - anchor[1]) * factor]
        let hw = viewport.width / 2 * factor, hh = viewport.height / 2 * factor
        // Bounded so the plane stays finite and distinct at every dot: relative to the centre going in.
        let smallest = 1e-13 * Swift.max(1, abs(c[0]), abs(c[1]))
        let tooFar = factor < 1 ? Swift.min(hw, hh) < smallest : Swift.max(hw, hh) > 1e12 * Swift.max(1, abs(c[0]), abs(c[1]))
        guard !tooFar, hw.isFinite, hh.isFinite else {
            status = factor < 1 ? "zoomed in as far as it goes" : "zoomed out as far as it goes"
            return
        }
        viewport = Viewport(xMin: c[0] - hw, xMax: c[0] + hw, yMin: c[1] - hh, yMax: c[1] + hh)
        viewIsUsers = true
        refreshLandscape()
    }

    mutating func pan(dx: Double, dy: Double) {
        let w = viewport.width, h = viewport.height
        let moved = Viewport(xMin: viewport.xMin + dx * w, xMax: viewport.xMax + dx * w,
                             yMin: viewport.yMin + dy * h, yMax: viewport.yMax + dy * h)
        // Refused only when it would carry the centre further out beyond 10³⁰⁰, where the plane stops being finite.
        let outward = abs(moved.center[0]) > abs(viewport.center[0]) || abs(moved.center[1]) > abs(viewport.center[1])
        guard !outward || (abs(moved.center[0]) < 1e300 && abs(moved.center[1]) < 1e300 && moved.width.isFinite && moved.height.isFinite) else {
            status = "panned as far as it goes"; return
        }
        viewport = moved
        viewIsUsers = true
        refreshLandscape()
    }

    mutating func cycleAxis(horizontal: Bool) {
        let n = experiment.objective.dimension
        guard n > 2 else { status = "only \(n) parameters: nothing else to show"; return }
        // From a random plane, x and y go back to the parameters it had.
        if plane.directions != nil {
            plane.directions = nil
        } else if horizontal {
            var next = (plane.x + 1) % n
            if next == plane.y { next = (next + 1) % n }
            plane.x = next
        } else {
            var next = (plane.y + 1) % n
            if next == plane.x { next = (next + 1) % n }
            plane.y = next
        }
        let names = experiment.objective.parameterNames
        status = "landscape: \(names[plane.x]) across, \(names[plane.y]) up, through \(selected.label)'s θ"
        viewIsUsers = false
        fitView()
        refreshLandscape()
    }

    /// The landscape on a random plane through the selected run's start (more than two parameters): the next
    /// seed's plane each time.
    mutating func randomPlane() {
        let n = experiment.objective.dimension
        guard n > 2 else { status = "only \(n) parameters: the landscape shows them all"; return }
        let seed = (plane.directions?.seed ?? 0) + 1
        plane.directions = SlicePlane.Directions(seed: seed, origin: selected.start)
        status = "landscape: a random plane through \(selected.label)'s start (seed \(seed)): u\(seed) across, v\(seed) up; paths are their shadows on it. D: another, x/y: the parameters"
        viewIsUsers = false
        fitView()
        refreshLandscape()
    }

    /// Where the 2-D slice of a higher-dimensional objective passes: the selected run's θ, or its start
    /// once it has diverged or flown out of reach (a slice through θ = 1e135 would show nothing but overflow).
    var slicePoint: [Double] {
        let reach = lanes[selectedRun].followBox ?? flightBox
        let flown = reach.map { !$0.contains(project(selected.parameters)) } ?? false
        return selected.isDiverged || flown ? selected.start : selected.parameters
    }

    /// What a landscape of `columns` × `rows` cells of the view shows: the plane, through the slice point (a random
    /// plane's origin).
    func landscapeKey(columns: Int, rows: Int) -> LandscapeField.Key {
        let dimension = experiment.objective.dimension
        return LandscapeField.Key(viewport: viewport, columns: columns, rows: rows, plane: plane,
                                  slice: plane.directions?.origin ?? (dimension > 2 ? slicePoint : Array(repeating: 0, count: dimension)),
                                  generation: landscapeGeneration,
                                  // Paused, a landscape is drawn once until the view changes: eight times the work, finer.
                                  work: playing ? LandscapeField.workBudget : 8 * LandscapeField.workBudget,
                                  fromTheTop: selected.hyperparameters.maximize)
    }

    /// Recomputes the landscape samples if the view, size, axes or slice changed.
    ///
    /// - Parameter sliceTolerance: while running, a slice through a moving θ is re-sampled only once some
    ///   coordinate has moved by more than this fraction of its size (at least 1), not on every frame.
    mutating func refreshLandscape(sliceTolerance: Double = 0) {
        let area = layout.plot
        guard area.width > 0, area.height > 0, !isTooSmall else { return }
        let key = landscapeKey(columns: area.width, rows: area.height)
        if sliceTolerance > 0, var old = landscape?.key, old.slice.count == key.slice.count,
           zip(old.slice, key.slice).allSatisfy({ abs($0 - $1) <= sliceTolerance * Swift.max(1, abs($0)) }) {
            old.slice = key.slice
            if old == key { return }
        }
        if landscape?.key != key {
            landscape = LandscapeField(key: key, objective: experiment.objective)
        }
    }
}

extension Viewport {
    var width: Double { xMax - xMin }
    var height: Double { yMax - yMin }
    var center: [Double] { [(xMin + xMax) / 2, (yMin + yMax) / 2] }

    func contains(_ p: [Double]) -> Bool {
        p[0] >= xMin && p[0] <= xMax && p[1] >= yMin && p[1] <= yMax
    }

    /// The smallest box holding the finite points, with no margin; nil when there are none.
    static func bounding(_ points: [[Double]]) -> Viewport? {
        let finite = points.filter { $0[0].isFinite && $0[1].isFinite }
        guard let first = finite.first else { return nil }
        var v = Viewport(xMin: first[0], xMax: first[0], yMin: first[1], yMax: first[1])
        for p in finite.dropFirst() { v = v.union(Viewport(xMin: p[0], xMax: p[0], yMin: p[1], yMax: p[1])) }
        return v
    }

    /// This box grown about its centre to `factor` times its larger side in both directions.
    func scaled(by factor: Double) -> Viewport {
        let c = center
        let half = Swift.max(width, height, 1e-9) * factor / 2
        return Viewport(xMin: c[0] - half, xMax: c[0] + half, yMin: c[1] - half, yMax: c[1] + half)
    }

    /// Widens the shorter side so one unit is as long across as up, with braille dots (2×4 a cell) square.
    func matchingAspect(columns: Int, rows: Int) -> Viewport {
        guard columns > 0, rows > 0, width > 0, height > 0, width.isFinite, height.isFinite else { return self }
        let dotAspect = Double(columns * 2) / Double(rows * 4)
        var v = self
        if width / height < dotAspect {
            let nw = height * dotAspect, c = (xMin + xMax) / 2
            v.xMin = c - nw / 2; v.xMax = c + nw / 2
        } else {
            let nh = width / dotAspect, c = (yMin + yMax) / 2
            v.yMin = c - nh / 2; v.yMax = c + nh / 2
        }
        return v
    }
}
