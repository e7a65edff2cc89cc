import ArgumentParser
import DescentCore
import DescentExplorer
import Foundation

/// Descent's side of the benchmark: each workload run in this process through the same `Run`,
/// `StreamingReport` and `ExplorerState` the other commands use. `bench/compare.py` runs the peers
/// (a C loop, NumPy, torch, Python) on the same workloads and prints the table README keeps.
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Time Descent's engine on the benchmark workloads (see bench/compare.py for the peers).",
        discussion: """
            Each figure is the best of several repetitions. --quick shrinks every workload (a smoke test, \
            not a measurement).
            Example: descent bench --quick
            """)

    @Flag(help: "Small sizes: checks that every workload runs, in a second or two.") var quick = false
    @Option(help: "Output: table or json.") var format: BenchFormat = .table
    @Option(help: ArgumentHelp("Only these workloads (comma-separated names, as the first column shows).", valueName: "names"))
    var only: String?

    enum BenchFormat: String, ExpressibleByArgument { case table, json }

    struct Result: Encodable {
        var name: String
        var value: Double
        var unit: String
        var detail: String
    }

    func run() throws {
        let chosen = only.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }
        if let chosen, let unknown = chosen.subtracting(Self.workloads).sorted().first ?? (chosen.isEmpty ? "" : nil) {
            throw ValidationError("--only: no workload '\(unknown)' (workloads: \(Self.workloads.joined(separator: ", ")))")
        }
        /// Whether any of `names` is to be measured (a workload measured with others reports only those asked for).
        func wants(_ names: String...) -> Bool { chosen.map { !$0.isDisjoint(with: names) } ?? true }
        var results: [Result] = []
        func add(_ name: String, _ value: Double, _ unit: String, _ detail: String) {
            if wants(name) { results.append(Result(name: name, value: value, unit: unit, detail: detail)) }
        }
        let repeats = quick ? 1 : 3

        if wants("trajectory-2d") {
            // 2-D trajectory: Rosenbrock with heavy ball, the explorer's and the headless runner's inner loop.
            let trajectorySteps = quick ? 100_000 : 10_000_000
            let rosenbrock = try Run(label: "hb", objective: Rosenbrock(), start: [-1.5, 2],
                                     hyperparameters: SGDHyperparameters(lr: 5e-4, momentum: 0.9))
            let trajectory = Self.best(repeats) { var run = rosenbrock; run.advance(by: trajectorySteps); return run.loss }
            add("trajectory-2d", trajectory.seconds / Double(trajectorySteps) * 1e9, "ns/step",
                "Rosenbrock, momentum 0.9, \(trajectorySteps) steps, final loss \(trajectory.value)")

        }

        if wants("trajectory-typed") {
            // The same run on the Rosenbrock typed as a formula: the compiled instruction list and reverse mode.
            let typedSteps = quick ? 100_000 : 2_000_000
            let typedSpec = ExpressionKind.spec(formula: "(1 - x)^2 + 100*(y - x^2)^2")
            let typedObjective = try typedSpec.makeObjective(dimension: 2, baseDirectory: "")
            let typedRun = try Run(label: "hb", objective: typedObjective, start: [-1.5, 2],
                                   hyperparameters: SGDHyperparameters(lr: 5e-4, momentum: 0.9))
            let typed = Self.best(repeats) { var run = typedRun; run.advance(by: typedSteps); return run.loss }
            add("trajectory-typed", typed.seconds / Double(typedSteps) * 1e9, "ns/step",
                "the same Rosenbrock typed as f = (1 - x)^2 + 100*(y - x^2)^2, \(typedSteps) steps, final loss \(typed.value)")

        }

        if wants("csv-stream") {
            // The same run written as CSV through the streaming writer, to a sink that drops the bytes.
            let csvSteps = quick ? 100_000 : 10_000_000
            let csvExperiment = try Experiment(scenario: Scenario(
                name: "bench", objective: RosenbrockKind.plainSpec, start: [-1.5, 2], steps: csvSteps,
                runs: [RunSpec(label: "hb", hyperparameters: SGDHyperparameters(lr: 5e-4, momentum: 0.9))]))
            let csv = Self.best(repeats) { () -> Double in
                var bytes = 0
                var report = StreamingReport { bytes += $0.count }
                report.write(csvExperiment, steps: csvSteps, format: .csv)
                return Double(bytes)
            }
            add("csv-stream", csv.seconds, "s", "\(csvSteps) steps as CSV, \(Int(csv.value) / 1_000_000) MB, written to a discarding sink")

        }

        if wants("sgd-step-1e7", "triad-1e7", "sgd-bandwidth-vs-triad") {
            // One optimizer step on 10⁷ parameters against a STREAM triad on arrays of the same length.
            let n = quick ? 100_000 : 10_000_000
            var theta = (0..<n).map { Double($0 % 1000) * 1e-3 }
            let gradient = theta.map { 1 - $0 }
            var sgd = SGD(hyperparameters: SGDHyperparameters(lr: 1e-3, momentum: 0.9))
            sgd.step(parameters: &theta, gradient: gradient)  // creates the momentum buffer
            let sgdStep = Self.best(quick ? 2 : 10) { sgd.step(parameters: &theta, gradient: gradient); return theta[0] }
            // Bytes the memory moves. Momentum SGD reads θ, the gradient and the buffer and writes θ and the buffer
            // back over lines it has read: 40 an entry. The triad reads b and c and writes a, whose lines the cache
            // reads first (write-allocate): 32 an entry, where STREAM's own report counts 24.
            let sgdBandwidth = Double(5 * 8 * n) / sgdStep.seconds / 1e9
            var a = [Double](repeating: 0, count: n)
            let b = gradient, c = theta
            let triad = Self.best(quick ? 2 : 10) { () -> Double in
                KernelPath.current.triad(&a, b, c, scale: 3)
                return a[n - 1]
            }
            let triadBandwidth = Double(4 * 8 * n) / triad.seconds / 1e9
            add("sgd-step-1e7", sgdStep.seconds * 1e3, "ms", "momentum SGD on \(n) parameters, \(KernelPath.current.name) kernel: \(String(format: "%.1f", sgdBandwidth)) GB/s (40 bytes an entry)")
            add("triad-1e7", triad.seconds * 1e3, "ms", "STREAM triad on \(n) doubles, \(KernelPath.current.name) kernel: \(String(format: "%.1f", triadBandwidth)) GB/s (32 bytes an entry)")
            add("sgd-bandwidth-vs-triad", sgdBandwidth / triadBandwidth, "ratio", "bytes per second of the SGD step over the triad's")
        }

        if wants("quadratic-1000") {
            // Dense 1000-D quadratic: A = MMᵀ/n + I from a seeded generator.
            let dimension = quick ? 100 : 1000
            var rng = SeededGenerator(seed: 1)
            let m = (0..<(dimension * dimension)).map { _ in rng.nextGaussian() }
            var entries = [Double](repeating: 0, count: dimension * dimension)
            for i in 0..<dimension {
                for j in 0...i {
                    var sum = 0.0
                    for k in 0..<dimension { sum += m[i * dimension + k] * m[j * dimension + k] }
                    let value = sum / Double(dimension) + (i == j ? 1 : 0)
                    entries[i * dimension + j] = value; entries[j * dimension + i] = value
                }
            }
            let loadStart = DispatchTime.now().uptimeNanoseconds
            let quadratic = Quadratic(dimension: dimension, entries: entries)
            let eigenSeconds = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e9
            let quadraticRun = try Run(label: "q", objective: quadratic, start: Array(repeating: 1, count: dimension),
                                       hyperparameters: SGDHyperparameters(lr: 0.1, momentum: 0.9))
            let quadraticSteps = quick ? 10 : 200
            let quadraticTime = Self.best(repeats) { var run = quadraticRun; run.advance(by: quadraticSteps); return run.loss }
            add("quadratic-1000", quadraticTime.seconds / Double(quadraticSteps) * 1e3, "ms/step",
                "dense \(dimension)-D quadratic, momentum 0.9 (its eigenvalues, once, by dsyevd: \(String(format: "%.0f", eigenSeconds * 1e3)) ms)")

        }

        if wants("regression-1e5x16") {
            // Linear regression on 10⁵ × 16 synthetic samples.
            let samples = quick ? 1000 : 100_000
            let data = RegressionData.synthetic(samples: samples, weights: (1...16).map { Double($0) / 8 }, bias: 0.5,
                                                noise: 0.1, seed: 2, logistic: false)
            let regressionRun = try Run(label: "r", objective: LinearRegression(data: data), start: Array(repeating: 0, count: 17),
                                        hyperparameters: SGDHyperparameters(lr: 0.01, momentum: 0.9))
            let regressionSteps = quick ? 10 : 100
            let regression = Self.best(repeats) { var run = regressionRun; run.advance(by: regressionSteps); return run.loss }
            add("regression-1e5x16", regression.seconds / Double(regressionSteps) * 1e3, "ms/step",
                "linear regression, \(samples) samples × 16 features, full batch")

        }

        if wants("frame-200x60") {
            // A 200 × 60 frame of the explorer with 4 runs that have taken 10⁶ steps each.
            let frameSteps = quick ? 1000 : 1_000_000
            let runs = [(0.0, false), (0.5, false), (0.9, false), (0.9, true)].enumerated().map { index, setting in
                RunSpec(label: "run \(index)", hyperparameters: SGDHyperparameters(lr: 5e-4, momentum: setting.0, nesterov: setting.1))
            }
            let frameExperiment = try Experiment(scenario: Scenario(
                name: "bench", objective: RosenbrockKind.plainSpec, start: [-1.5, 2], steps: frameSteps, runs: runs))
            var state = ExplorerState(experiment: frameExperiment, width: 200, height: 60, options: RenderOptions(color: true, unicode: true))
            state.advanceSteps(frameSteps)
            let frame = Self.best(quick ? 3 : 50) { Double(state.render().width) }
            add("frame-200x60", frame.seconds * 1e3, "ms", "render of the explorer at 200 × 60, 4 runs of \(frameSteps) steps")

        }

        if wants("goto-back", "goto-forward", "ghost-1e3") {
            // Time control: a 2-D session of 10⁴ steps (three runs, a change made mid-way) taken back to its
            // last step but one (a replay of the whole session) and, from its start, forward to its end.
            let sessionSteps = quick ? 1000 : 10_000
            let sessionExperiment = try Experiment(scenario: Scenario(
                name: "bench", objective: QuadraticKind.spec(eigenvalues: [1, 25], angle: 30),
                start: [-3, 2], steps: sessionSteps,
                runs: [RunSpec(label: "gd", hyperparameters: SGDHyperparameters(lr: 0.03)),
                       RunSpec(label: "hb", hyperparameters: SGDHyperparameters(lr: 0.03, momentum: 0.9)),
                       RunSpec(label: "nesterov", hyperparameters: SGDHyperparameters(lr: 0.03, momentum: 0.9, nesterov: true))]))
            var session = ExplorerState(experiment: sessionExperiment, width: 200, height: 60, options: RenderOptions(color: true, unicode: true))
            session.advanceSteps(sessionSteps / 2)
            for message in try KeyScript.parse("<right>0") { session.update(message) }
            session.advanceSteps(sessionSteps / 2)
            let there = session
            let back = Self.best(repeats) { () -> Double in
                var state = there
                for message in try! KeyScript.parse("g\(sessionSteps - 1)<enter>") { state.update(message) }
                return Double(state.currentStep)
            }
            let forward = Self.best(repeats) { () -> Double in
                var state = there
                for message in try! KeyScript.parse("g0<enter>g\(sessionSteps)<enter>") { state.update(message) }
                return Double(state.currentStep)
            }
            add("goto-back", back.seconds * 1e3, "ms", "a 2-D session of 3 runs × \(sessionSteps) steps taken back one step: a replay from its start (goal: < 100 ms)")
            add("goto-forward", forward.seconds * 1e3, "ms", "the same session taken to step 0, then forward to step \(sessionSteps) (goal: < 100 ms)")

            // The what-if: a 2-D run's ghost over 10³ steps, worked out and drawn in one frame at 200 × 60.
            let ghostSteps = 1000
            var ghostScenario = sessionExperiment.scenario
            ghostScenario.steps = ghostSteps
            let ghostState = ExplorerState(experiment: try Experiment(scenario: ghostScenario, reusing: sessionExperiment), width: 200, height: 60,
                                           options: RenderOptions(color: true, unicode: true))
            let ghost = Self.best(quick ? 3 : 20) { () -> Double in
                var state = ghostState
                state.update(.key(.right))
                return Double(state.render().width)
            }
            add("ghost-1e3", ghost.seconds * 1e3, "ms", "an lr edit's ghost: a 2-D run of \(ghostSteps) steps worked out and the frame drawn at 200 × 60 (goal: < 16 ms)")

        }

        if wants("frame-mlp-80x24") {
            // A tiny network (two moons, one hidden layer of 12, 62 weights) playing at full speed in the explorer at
            // 80 × 24 with the theory panel open (its Hessian, over a quarter of a frame's work, is held while the runs play).
            var network = ExplorerState(experiment: try Experiment(scenario: Scenario(
                name: "bench", objective: ObjectiveSpec(kind: NetworkKind.name, ["moons": .count(150), "hidden": .numbers([12])]),
                start: [], steps: 100_000,
                runs: [RunSpec(label: "plain", hyperparameters: SGDHyperparameters(lr: 0.1)),
                       RunSpec(label: "heavy ball", hyperparameters: SGDHyperparameters(lr: 0.1, momentum: 0.9))])),
                width: 80, height: 24, options: RenderOptions(color: true, unicode: true))
            for message in try KeyScript.parse("fffft<space>") { network.update(message) }
            precondition(network.playing && network.showsTheory, "the bench network is not playing with its theory shown")
            // The slowest of the frames (a blocked frame is the slowest one), after the first.
            _ = network.render()
            var slowest = 0.0
            let frames = quick ? 3 : 60
            for _ in 0..<frames {
                let frame = Self.best(1) { () -> Double in
                    network.update(.tick)
                    return Double(network.render().width)
                }
                slowest = max(slowest, frame.seconds)
            }
            add("frame-mlp-80x24", slowest * 1e3, "ms", "the slowest of \(frames) frames of a 62-weight network playing at full speed, theory panel open, at 80 × 24 (goal: < 16 ms)")

        }

        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            Console.current.print(String(decoding: try encoder.encode(results), as: UTF8.self))
        case .table:
            let width = results.map(\.name.count).max() ?? 0
            for r in results {
                Console.current.print(r.name.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                      + String(format: "%10.3f", r.value) + " " + r.unit.padding(toLength: 8, withPad: " ", startingAt: 0) + "  " + r.detail)
            }
        }
    }

    /// Every workload's name, in the order they run.
    static let workloads = ["trajectory-2d", "trajectory-typed", "csv-stream", "sgd-step-1e7", "triad-1e7", "sgd-bandwidth-vs-triad",
                            "quadratic-1000", "regression-1e5x16", "frame-200x60", "goto-back", "goto-forward", "ghost-1e3", "frame-mlp-80x24"]

    /// The fastest of `repeats` timings of `body`, and the value it returned (kept so nothing is optimized away).
    static func best(_ repeats: Int, _ body: () -> Double) -> (seconds: Double, value: Double) {
        var best = Double.infinity, value = 0.0
        for _ in 0..<max(1, repeats) {
            let start = DispatchTime.now().uptimeNanoseconds
            value = body()
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return (best, value)
    }
}
