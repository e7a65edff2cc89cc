import CKernels
import Foundation
import Testing
@testable import DescentCore

/// A sweep's cells are runs: the same numbers as `descent run` with that setting, however they are stepped.
@Suite struct SweepTests {
    static func scenario(_ objective: ObjectiveSpec, start: [Double], steps: Int, _ h: SGDHyperparameters) -> Scenario {
        Scenario(name: "sweep", objective: objective, start: start, steps: steps, runs: [RunSpec(label: "r", hyperparameters: h)])
    }

    /// Random sweeps on every 2-D objective (eight cells a lane block) and on objectives stepped a Run a cell:
    /// each cell equals an `Experiment` built from the scenario with that setting and run headless, bit for bit,
    /// for every metric, with maximize, Nesterov, the sign update, weight decay and dampening among the settings.
    @Test(arguments: 0..<6)
    func cellsEqualRunsBitForBit(seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(seed) + 300)
        let objectives: [(ObjectiveSpec, [Double])] = [
            (ObjectiveSpec(kind: "rosenbrock"), [-1.5, 2]), (QuadraticKind.spec(eigenvalues: [1, 50], angle: 25), [2, -1]),
            (ObjectiveSpec(kind: "himmelblau"), [0.5, -0.3]), (ObjectiveSpec(kind: "beale"), [1, 1]),
            (ObjectiveSpec(kind: "rastrigin"), [1.2, -0.7, 0.4]), (ObjectiveSpec(kind: "rosenbrock"), [-1, 1, 0.5]),
        ]
        let (spec, start) = objectives[seed]
        var base = SGDHyperparameters(lr: 1e-3, momentum: 0.5)
        base.maximize = seed == 2
        base.update = seed == 3 ? .sign : .sgd
        base.nesterov = seed == 0 || seed == 4
        let fields: [(HyperparameterField, HyperparameterField)] = [(.lr, .momentum), (.lr, .weightDecay), (.momentum, .dampening), (.lr, .momentum), (.weightDecay, .lr), (.lr, .dampening)]
        let (xf, yf) = fields[seed]
        func axis(_ field: HyperparameterField, _ count: Int) -> SweepAxis {
            switch field {
            case .lr: SweepAxis(field: .lr, from: 1e-5, to: 0.05, count: count, logarithmic: true)
            case .momentum: SweepAxis(field: .momentum, from: 0, to: 0.99, count: count, logarithmic: false)
            case .dampening: SweepAxis(field: .dampening, from: 0, to: 0.9, count: count, logarithmic: false)
            case .weightDecay: SweepAxis(field: .weightDecay, from: 0, to: 0.5, count: count, logarithmic: false)
            default: preconditionFailure("\(field) is not numeric")
            }
        }
        let steps = 50 + rng.nextIndex(below: 150)
        let experiment = try Experiment(scenario: Self.scenario(spec, start: start, steps: steps, base))
        let metrics: [SweepMetric] = [.finalLoss, .stepsTo(experiment.runs[0].loss / 10), .rate, .diverged]
        for metric in metrics {
            let sweep = try Sweep(base: experiment.runs[0], x: axis(xf, 11), y: axis(yf, 5), steps: steps, metric: metric)
            let cells = sweep.run(cells: sweep.cells(in: nil))
            #expect(cells.count == 55)
            for cell in cells {
                var h = base
                h = xf.setting(cell.x, in: h); h = yf.setting(cell.y, in: h)
                var scenario = Self.scenario(spec, start: start, steps: steps, h)
                scenario.runs[0].hyperparameters = h
                guard (try? h.validate()) != nil else {
                    #expect(cell.invalid != nil && cell.value == nil)
                    continue
                }
                // What `descent run` does with that setting: the scenario built and stepped headless.
                let run = try Experiment(scenario: scenario).runs[0]
                let expected: Double? = {
                    var r = run
                    switch metric {
                    case .finalLoss:
                        return RunSummary.summarize([run], steps: steps)[0].finalLoss
                    case .stepsTo(let target) where !h.maximize:
                        return RunSummary.summarize([run], steps: steps, targets: [target])[0].firstStep(reachingLoss: target).map(Double.init)
                    case .stepsTo(let target):
                        // A maximizing run reaches the target from below.
                        if r.loss >= target { return 0 }
                        var reached: Int?
                        r.advance(by: steps) { if reached == nil && $0.loss >= target { reached = $0.stepCount } }
                        return reached.map(Double.init)
                    case .diverged:
                        if case .diverged(let s, _) = RunSummary.summarize([run], steps: steps)[0].status { return Double(s) }
                        return nil
                    case .rate:
                        r.advance(by: steps / 2)
                        let first = r.effectiveGradientNorm()
                        r.advance(by: steps - steps / 2)
                        return r.isDiverged ? .infinity : Sweep.rate(first, r.effectiveGradientNorm(), steps: steps - steps / 2)
                    }
                }()
                #expect(cell.value?.bitPattern == expected?.bitPattern, "\(spec.kind) \(metric) cell \(cell.index): \(String(describing: cell.value)) vs \(String(describing: expected))")
            }
        }
    }

    /// The C sweep kernel (16 lanes, on every path this CPU has, the portable one included) gives what the Swift
    /// lanes give, bit for bit, value, validity and divergence: random sweeps of Rosenbrock and quadratics (saddles
    /// among them) over every option, every metric, starts at −0 and cells that diverge, reach a target or are invalid.
    @Test(arguments: 0..<8)
    func kernelLanesEqualSwiftLanes(seed: Int) throws {
        var rng = SeededGenerator(seed: UInt64(seed) + 700)
        func pick<T>(_ options: [T]) -> T { options[rng.nextIndex(below: options.count)] }
        let start = [pick([-1.5, -0.0, 0.3, 2]), pick([2.0, -0.0, -1, 0.7])]
        let spec = seed % 2 == 0 ? ObjectiveSpec(kind: "rosenbrock")
            : QuadraticKind.spec(eigenvalues: [pick([1.0, -0.5, 3]), pick([25.0, 80, -2])], angle: pick([0.0, 30, 71]))
        var base = SGDHyperparameters(lr: 1e-3, momentum: pick([0.0, 0.5, 0.9]))
        base.maximize = rng.nextIndex(below: 3) == 0
        base.update = rng.nextIndex(below: 4) == 0 ? .sign : .sgd
        base.nesterov = rng.nextIndex(below: 3) == 0
        base.dampening = pick([0.0, 0.0, 0.3])
        base.weightDecay = pick([0.0, 0.0, 0.05])
        let axes: [(SweepAxis, SweepAxis)] = [
            (SweepAxis(field: .lr, from: 1e-5, to: 1, count: 13, logarithmic: true), SweepAxis(field: .momentum, from: 0, to: 0.99, count: 7, logarithmic: false)),
            (SweepAxis(field: .lr, from: 1e-4, to: 0.5, count: 11, logarithmic: true), SweepAxis(field: .weightDecay, from: 0, to: 0.5, count: 6, logarithmic: false)),
            (SweepAxis(field: .momentum, from: 0, to: 0.99, count: 9, logarithmic: false), SweepAxis(field: .dampening, from: 0, to: 0.9, count: 5, logarithmic: false)),
        ]
        let (x, y) = pick(axes)
        let steps = 1 + rng.nextIndex(below: 300)
        let experiment = try Experiment(scenario: Self.scenario(spec, start: start, steps: steps, base))
        let target = experiment.runs[0].loss * (base.maximize ? 10 : 0.1)
        for metric in [SweepMetric.finalLoss, .stepsTo(target), .rate, .diverged] {
            let sweep = try Sweep(base: experiment.runs[0], x: x, y: y, steps: steps, metric: metric)
            #expect(sweep.usesLanes && Sweep.kernelSetup(sweep.base.objective) != nil)
            let cells = sweep.cells(in: nil)
            func results(_ path: KernelPath?) -> [String] {
                var values = [Double?](repeating: nil, count: cells.count), invalid = [String?](repeating: nil, count: cells.count)
                var diverged = [Bool](repeating: false, count: cells.count)
                values.withUnsafeMutableBufferPointer { v in invalid.withUnsafeMutableBufferPointer { iv in diverged.withUnsafeMutableBufferPointer { dv in
                    for lo in stride(from: 0, to: cells.count, by: Int(DESCENT_SWEEP_LANES)) {
                        sweep.runLanes(cells: cells, range: lo..<min(cells.count, lo + Int(DESCENT_SWEEP_LANES)), values: v, invalid: iv, diverged: dv, path: path)
                    }
                } } }
                return cells.indices.map { "\(values[$0].map { String($0.bitPattern, radix: 16) } ?? "nil") \(invalid[$0] ?? "") \(diverged[$0])" }
            }
            let swift = results(nil)
            for path in KernelPath.allCases where path.isAvailable {
                let c = results(path)
                let bad = cells.indices.first { c[$0] != swift[$0] }
                #expect(bad == nil, "\(path.name) \(spec.kind) \(metric) steps \(steps): cell \(bad ?? -1): \(bad.map { c[$0] } ?? "") vs \(bad.map { swift[$0] } ?? "")")
            }
        }
    }

    /// A cell's lr is the run's base lr, as its file would carry it, for every scheduler: the cell equals the
    /// scenario run with that `lr:` in its file (LinearLR's cells once had base lr / start_factor).
    @Test func lrCellsAreBaseLRsUnderEverySchedule() throws {
        let schedules: [LRScheduleKind] = [.linearWarmup(steps: 20, startFactor: 0.25, endFactor: 1), .step(stepSize: 7, gamma: 0.5),
                                           .multistep(milestones: [5, 0, 12], gamma: 0.7), .exponential(gamma: 0.97),
                                           .cosine(tMax: 15, etaMin: 1e-5)]
        for schedule in schedules {
            var spec = RunSpec(label: "r", hyperparameters: SGDHyperparameters(lr: 1e-3, momentum: 0.6))
            spec.schedule = schedule
            let scenario = Scenario(name: "s", objective: ObjectiveSpec(kind: "rosenbrock"), start: [-1.5, 2], steps: 60, runs: [spec])
            let experiment = try Experiment(scenario: scenario)
            let sweep = try Sweep(base: experiment.runs[0], x: SweepAxis(field: .lr, from: 1e-4, to: 3e-3, count: 6, logarithmic: true),
                                  y: SweepAxis(field: .momentum, from: 0, to: 0.9, count: 3, logarithmic: false), steps: 60, metric: .finalLoss)
            for cell in sweep.run(cells: sweep.cells(in: nil)) {
                var file = scenario
                file.runs[0].hyperparameters.lr = cell.x
                file.runs[0].hyperparameters.momentum = cell.y
                let run = RunSummary.summarize([try Experiment(scenario: file).runs[0]], steps: 60)[0]
                #expect(cell.value?.bitPattern == run.finalLoss.bitPattern, "\(schedule) lr \(cell.x): \(String(describing: cell.value)) vs \(run.finalLoss)")
            }
        }
    }

    /// The estimate is what the cells hold; a limit above it lets the sweep run.
    @Test func theEstimateIsPerCell() throws {
        #expect(throws: Never.self) { try Sweep.checkMemory(cells: 1000, limit: UInt64(1000 * Sweep.bytesPerCell), limitName: "x") }
        #expect(throws: InputError.self) { try Sweep.checkMemory(cells: 1001, limit: UInt64(1000 * Sweep.bytesPerCell), limitName: "x") }
        #expect(throws: InputError.self) { try Sweep.checkMemory(cells: .max, limit: .max, limitName: "x") }
    }

    /// Cells that diverge at different steps share lane blocks with cells that do not: each still gets its own step and loss.
    @Test func divergingLanesKeepTheirOwnNumbers() throws {
        let experiment = try Experiment(scenario: Self.scenario(ObjectiveSpec(kind: "rosenbrock"), start: [-1.5, 2], steps: 400,
                                                                SGDHyperparameters(lr: 1e-3, momentum: 0.9)))
        let sweep = try Sweep(base: experiment.runs[0], x: SweepAxis(field: .lr, from: 1e-4, to: 1e-2, count: 37, logarithmic: true),
                              y: SweepAxis(field: .momentum, from: 0, to: 0.99, count: 7, logarithmic: false), steps: 400, metric: .diverged)
        let cells = sweep.run(cells: sweep.cells(in: nil))
        #expect(sweep.usesLanes)
        #expect(Set(cells.compactMap(\.value)).count > 5, "divergence at many different steps")
        #expect(cells.contains { $0.value == nil })
        for cell in cells { #expect(cell.value == sweep.runOne(cell: cell.index).value) }
    }

    /// The K-th of N shards are the cells ≡ K − 1 (mod N); together, every cell once, with the whole sweep's numbers.
    @Test func shardsMakeTheWholeSweep() throws {
        let experiment = try Experiment(scenario: Self.scenario(ObjectiveSpec(kind: "rosenbrock"), start: [-1.5, 2], steps: 100,
                                                                SGDHyperparameters(lr: 1e-3)))
        let sweep = try Sweep(base: experiment.runs[0], x: SweepAxis(field: .lr, from: 1e-4, to: 1, count: 23, logarithmic: true),
                              y: SweepAxis(field: .momentum, from: 0, to: 0.99, count: 9, logarithmic: false), steps: 100, metric: .finalLoss)
        let whole = sweep.run(cells: sweep.cells(in: nil))
        var rng = SeededGenerator(seed: 8)
        for _ in 0..<5 {
            let n = 1 + rng.nextIndex(below: 12)
            let parts = (1...n).map { k in sweep.run(cells: sweep.cells(in: Shard(index: k, count: n))) }
            #expect(parts.joined().sorted { $0.index < $1.index } == whole)
            for (k, part) in parts.enumerated() { #expect(part.allSatisfy { $0.index % n == k }) }
        }
    }

    /// Axes and metrics parse as documented, and bad ones name the flag.
    @Test func parsing() throws {
        let lr = try SweepAxis(parsing: "lr=1e-4:1:log:200", flag: "--x")
        #expect(lr.field == .lr && lr.count == 200 && lr.logarithmic && lr.values.first == 1e-4 && lr.values.last == 1)
        #expect(abs(lr.values[100] / pow(10, -4 + 4 * 100.0 / 199) - 1) < 1e-11)
        let momentum = try SweepAxis(parsing: "momentum=0:0.99:100", flag: "--y")
        #expect(momentum.values[50] == 0.5)
        #expect(try SweepAxis(parsing: "weight_decay=0:0.1:11", flag: "--y").values[3] == 0.03, "rounded to 12 digits, not 0.030000000000000002")
        #expect(try SweepAxis(parsing: "lr=1e-3:1:LOG:4", flag: "--x").logarithmic)
        #expect(try SweepAxis(parsing: momentum.text, flag: "--y") == momentum)
        for bad in ["lr", "foo=1:2:3", "lr=0:1:log:5", "lr=1:2", "lr=1:2:0", "lr=a:2:3"] {
            #expect(throws: InputError.self) { try SweepAxis(parsing: bad, flag: "--x") }
        }
        #expect(try SweepMetric(parsing: "steps-to=1e-6") == .stepsTo(1e-6))
        #expect(throws: InputError.self) { try SweepMetric(parsing: "loss") }
        #expect(try Shard(parsing: "3/8") == Shard(index: 3, count: 8))
        for bad in ["0/8", "9/8", "3", "a/b"] { #expect(throws: InputError.self) { try Shard(parsing: bad) } }
    }
}
