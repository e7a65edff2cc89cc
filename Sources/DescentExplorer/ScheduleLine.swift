import DescentCore

extension ExplorerState {
    /// The selected run's lr schedule as a one-line curve over the scenario's steps (or further, once the run
    /// is past them): a bar per column, and the column of the current step.
    func scheduleCurve(width: Int) -> (bars: [Unicode.Scalar], current: Int)? {
        guard let schedule = selected.optimizer.schedule, width > 0 else { return nil }
        let steps = max(experiment.scenario.steps, selected.stepCount + 1, width)
        let lrs = schedule.curve(steps: steps)
        // A schedule can take lr to inf or NaN (ExponentialLR with gamma 1.5 over 2000 steps), as torch's
        // does: the bars scale to the finite lrs and a column past them is drawn full.
        let finite = lrs.filter(\.isFinite)
        let low = finite.min() ?? 0, high = finite.max() ?? 0
        let ramp: [Unicode.Scalar] = options.unicode ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] : ["_", ".", "-", "=", "^"]
        let bars = (0..<width).map { column -> Unicode.Scalar in
            let lr = lrs[min(steps - 1, column * steps / width)]
            let t = !lr.isFinite ? 1 : high > low ? (lr - low) / (high - low) : 1
            return ramp[(t * Double(ramp.count)).clampedInt(0...(ramp.count - 1))]
        }
        return (bars, min(width - 1, selected.stepCount * width / steps))
    }

    /// Draws the schedule row of the panel at `y`: its curve, with the current step picked out.
    func drawScheduleRow(_ grid: inout Grid, x: Int, y: Int, width: Int) {
        guard selected.schedule != nil, let curve = scheduleCurve(width: max(1, width - 16)) else { return }
        grid.put("  schedule", x: x, y: y, foreground: .dim, maxWidth: 15)
        for (i, bar) in curve.bars.enumerated() {
            let now = i == curve.current
            // The current step: in colour a bright bar; without colour a mark of its own.
            let glyph: Unicode.Scalar = now && !options.color ? glyphScalar(.scheduleNow) : bar
            grid[x + 16 + i, y] = Cell(glyph, foreground: now ? .warning : (options.color ? .accent : .default), bold: now)
        }
    }
}
