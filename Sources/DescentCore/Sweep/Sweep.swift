import CKernels
import Dispatch
import Foundation

/// One cell of a sweep: its place in the grid, its setting and the metric.
public struct SweepCell: Sendable, Equatable {
    /// y-major: `cell = yIndex·xCount + xIndex`.
    public let index: Int
    public let x: Double, y: Double
    /// The metric; nil when there is none (never reached, did not diverge, or the setting is invalid).
    public let value: Double?
    /// torch's refusal of the cell's setting (e.g. Nesterov at momentum 0); nil when it ran.
    public let invalid: String?
    /// The cell's run diverged (Descent's one rule, `RunStatus.runawayFactor`), whatever its metric says.
    public var diverged: Bool = false
}

/// A grid of settings of one run, each run for `steps` from the run's start: a map of the hyperparameter plane.
///
/// Every cell is the chosen run with two hyperparameters replaced, stepped by the same operations as
/// `Run.step` (bit for bit: a cell equals `descent run` with that setting). 2-D full-batch objectives step
/// eight cells at once in SIMD lanes (`SweepKernel`); others step a `Run` per cell. Either way the cells are
/// spread over every core, and each cell's numbers do not depend on which cells share its lanes or thread.
public struct Sweep: Sendable {
    public let base: Run
    public let x: SweepAxis, y: SweepAxis
    public let steps: Int
    public let metric: SweepMetric

    /// The most cells a sweep may have (a 10⁴ × 10⁴ map).
    public static let maximumCells = 100_000_000
    /// The most cell-steps one process takes (about an hour of Rosenbrock on two cores): more is a typo,
    /// or work for `--shard`.
    public static let maximumCellSteps = 100_000_000_000

    /// Bytes a cell holds while a sweep runs and is written: its index, its value, refusal and divergence as
    /// computed, its `SweepCell`, and its share of the output (a CSV row, a map's colour), about 64 bytes.
    public static let bytesPerCell = MemoryLayout<Int>.stride + MemoryLayout<Double?>.stride + MemoryLayout<String?>.stride
        + MemoryLayout<Bool>.stride + MemoryLayout<SweepCell>.stride + 64

    /// Checks, before anything is allocated, that `cells` cells fit in `limit` bytes.
    ///
    /// - Throws: `InputError` on `--x`, with the estimate and the limit (and what the limit is: `limitName`).
    public static func checkMemory(cells: Int, limit: UInt64, limitName: String) throws(InputError) {
        let (needed, overflow) = cells.multipliedReportingOverflow(by: bytesPerCell)
        guard overflow || UInt64(needed) > limit else { return }
        func size(_ bytes: Double) -> String {
            bytes >= 1e9 ? String(format: "%.1f GB", bytes / 1e9) : String(format: "%.0f MB", bytes / 1e6)
        }
        throw InputError(field: "--x", message: "\(cells) cells need about \(overflow ? "more than 9e18 bytes" : size(Double(needed))) of memory; "
                         + "\(limitName) allows \(size(Double(limit))): take fewer cells, or split the sweep with --shard K/N")
    }

    /// Checks that `cells` cells of `steps` steps stay within `maximumCellSteps`.
    public func checkWork(cells: Int) throws(InputError) {
        let (work, overflow) = cells.multipliedReportingOverflow(by: max(1, steps))
        guard overflow || work > Self.maximumCellSteps else { return }
        throw InputError(field: "--steps", message: "\(cells) cells × \(steps) steps is more than \(Self.maximumCellSteps) cell-steps for one process; take fewer steps or cells, or split it with --shard K/N")
    }

    public init(base: Run, x: SweepAxis, y: SweepAxis, steps: Int, metric: SweepMetric) throws(InputError) {
        guard x.field != y.field else {
            throw InputError(field: "--y", message: "varies \(y.field.rawValue), as --x does; the axes must be two different hyperparameters")
        }
        let (cells, overflow) = x.count.multipliedReportingOverflow(by: y.count)
        guard !overflow, cells <= Self.maximumCells else {
            throw InputError(field: "--x", message: "\(x.count) × \(y.count) cells; at most \(Self.maximumCells)")
        }
        var start = base
        start.reset()
        self.base = start
        self.x = x; self.y = y; self.steps = steps; self.metric = metric
    }

    public var cellCount: Int { x.count * y.count }

    /// The hyperparameters of cell `index`.
    /// A cell's settings as its file would carry them: `lr` is the run's base lr (what `descent run FILE --lr`
    /// sets), whatever schedule the run has.
    public func hyperparameters(cell index: Int) -> SGDHyperparameters {
        let h = x.field.setting(x.values[index % x.count], in: base.specifiedHyperparameters)
        return y.field.setting(y.values[index / x.count], in: h)
    }

    /// The cells of `shard` (all when nil), in index order.
    public func cells(in shard: Shard?) -> [Int] {
        guard let shard else { return Array(0..<cellCount) }
        return Array(stride(from: shard.index - 1, to: cellCount, by: shard.count))
    }

    /// Whether the eight-lane kernel steps this sweep: two parameters, full batch, constant lr, torch's momentum.
    public var usesLanes: Bool {
        base.objective.dimension == 2 && base.batches == nil && base.noise == nil && base.schedule == nil
            && base.hyperparameters.convention == .pytorch
    }

    /// Runs `cells` on every core; `progress` is called on the calling thread with the number done so far.
    public func run(cells: [Int], progress: ((Int) -> Void)? = nil) -> [SweepCell] {
        var values = [Double?](repeating: nil, count: cells.count)
        var invalid = [String?](repeating: nil, count: cells.count)
        var diverged = [Bool](repeating: false, count: cells.count)
        // 16 cells a task in lanes (`DESCENT_SWEEP_LANES`); a cell a task otherwise. Tasks go out in chunks so
        // progress can be told.
        let perTask = usesLanes ? Int(DESCENT_SWEEP_LANES) : 1
        let tasks = (cells.count + perTask - 1) / perTask
        let chunk = max(1, min(tasks, 256))
        var done = 0
        values.withUnsafeMutableBufferPointer { valuesOut in
          invalid.withUnsafeMutableBufferPointer { invalidOut in
            diverged.withUnsafeMutableBufferPointer { divergedOut in
                let v = UnsafeSendable(valuesOut), iv = UnsafeSendable(invalidOut), dv = UnsafeSendable(divergedOut)
                var task = 0
                while task < tasks {
                    let upper = min(tasks, task + chunk), first = task
                    DispatchQueue.concurrentPerform(iterations: upper - first) { offset in
                        let lo = (first + offset) * perTask, hi = min(cells.count, lo + perTask)
                        if usesLanes {
                            runLanes(cells: cells, range: lo..<hi, values: v.pointer, invalid: iv.pointer, diverged: dv.pointer)
                        } else {
                            let (value, why, fell) = runOne(cell: cells[lo])
                            v.pointer[lo] = value; iv.pointer[lo] = why; dv.pointer[lo] = fell
                        }
                    }
                    task = upper
                    done = min(cells.count, task * perTask)
                    progress?(done)
                }
            }
          }
        }
        return cells.indices.map { k in
            SweepCell(index: cells[k], x: x.values[cells[k] % x.count], y: y.values[cells[k] / x.count],
                      value: values[k], invalid: invalid[k], diverged: diverged[k])
        }
    }

    /// One cell as a `Run`: what the lanes must equal; `diverged` whether the run diverged by then.
    public func runOne(cell: Int) -> (value: Double?, invalid: String?, diverged: Bool) {
        var run = base
        do { try run.setSpecifiedHyperparameters(hyperparameters(cell: cell)) } catch { return (nil, error.message, false) }
        switch metric {
        case .finalLoss:
            run.advance(by: steps)
            return (run.loss, nil, run.isDiverged)
        case .diverged:
            run.advance(by: steps)
            if case .diverged(let step, _) = run.status { return (Double(step), nil, true) }
            return (nil, nil, false)
        case .stepsTo(let target):
            // A maximizing run reaches the target from below.
            let up = run.hyperparameters.maximize
            if up ? run.loss >= target : run.loss <= target {
                run.advance(by: steps)
                return (0, nil, run.isDiverged)
            }
            var reached: Int?
            run.advance(by: steps) { r in if reached == nil && (up ? r.loss >= target : r.loss <= target) { reached = r.stepCount } }
            return (reached.map(Double.init), nil, run.isDiverged)
        case .rate:
            let half = steps / 2
            guard steps - half >= 1 else { run.advance(by: steps); return (nil, nil, run.isDiverged) }
            run.advance(by: half)
            let first = run.effectiveGradientNorm()
            run.advance(by: steps - half)
            guard !run.isDiverged else { return (.infinity, nil, true) }
            return (Self.rate(first, run.effectiveGradientNorm(), steps: steps - half), nil, false)
        }
    }

    /// (last/first)^(1/steps); 0 when the first is already 0, inf when the last norm overflowed.
    static func rate(_ first: Double, _ last: Double, steps: Int) -> Double? {
        guard first.isFinite else { return nil }
        guard last.isFinite else { return .infinity }
        if first == 0 { return 0 }
        return pow(last / first, 1 / Double(steps))
    }
}

struct UnsafeSendable<T>: @unchecked Sendable {
    let pointer: UnsafeMutableBufferPointer<T>
    init(_ pointer: UnsafeMutableBufferPointer<T>) { self.pointer = pointer }
}
