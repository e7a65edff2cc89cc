@testable import DescentCore
import Foundation
import Testing

/// `descent lrfind`: Leslie Smith's range test, its suggestion against the theory's edge.
@Suite struct LRFindTests {
    static func run(_ eigenvalues: [Double], momentum: Double = 0) throws -> Run {
        try Experiment(scenario: Scenario(name: "q", objective: QuadraticKind.spec(eigenvalues: eigenvalues, angle: 20), start: [2, 1],
                                          runs: [RunSpec(label: "r", hyperparameters: SGDHyperparameters(lr: 0.01, momentum: momentum))])).runs[0]
    }

    /// On a quadratic the edge is the theory's 2/λmax (within 1%: exactly, here), (2 + 2β)/λmax with heavy ball, and
    /// the suggestion is below it.
    @Test(arguments: [([1.0, 100], 0.0), ([1, 25], 0.0), ([1, 10], 0.5), ([0.5, 40], 0.9)])
    func suggestionIsBelowTheTheorysEdge(eigenvalues: [Double], momentum: Double) throws {
        let test = LRRangeTest(run: try Self.run(eigenvalues, momentum: momentum), from: 1e-7, to: 10, steps: 100, smoothing: 0.98)
        let edge = (2 + 2 * momentum) / eigenvalues.max()!
        let measured = try #require(test.edge)
        #expect(abs(measured - edge) <= 0.01 * edge, "edge \(measured) against \(edge)")
        let suggestion = try #require(test.suggestion)
        #expect(suggestion < edge, "suggestion \(suggestion) at or past the edge \(edge)")
        #expect(test.stoppedEarly != nil, "a range to lr 10 runs into divergence")
    }

    /// At a saddle the edge is that of the positive curvatures (2/4 here, 2·1.5/4 with momentum 0.5), and the
    /// others are counted and said; a network's start (curvatures of both signs) gets an edge too.
    @Test(arguments: [0.0, 0.5])
    func aSaddlesEdgeIsItsPositiveCurvatures(momentum: Double) throws {
        let test = LRRangeTest(run: try Self.run([-1, 4], momentum: momentum), from: 1e-7, to: 10, steps: 100, smoothing: 0.98)
        let edge = try #require(test.edge)
        #expect(abs(edge - (2 + 2 * momentum) / 4) <= 1e-12 && test.curvaturesBelowZero == 1)
        let network = InProcess.run(["lrfind", Binary.projectRoot + "/Scenarios/23-network-momentum.yaml"])
        #expect(network.status == 0 && network.stdout.contains("2/λmax at the start (over its positive curvatures; its "), "\(network.stdout)")
    }

    /// The lr grows geometrically from `from`, and with no smoothing the smoothed loss is the loss.
    @Test func lrIsGeometricAndSmoothingIsAnAverage() throws {
        let test = LRRangeTest(run: try Self.run([1, 4]), from: 1e-4, to: 1e-2, steps: 21, smoothing: 0)
        #expect(test.points.count == 21 && test.stoppedEarly == nil)
        #expect(test.points.first?.lr == 1e-4 && abs(test.points.last!.lr - 1e-2) <= 1e-17)
        for (a, b) in zip(test.points, test.points.dropFirst()) { #expect(abs(b.lr / a.lr - pow(10, 0.1)) < 1e-12) }
        #expect(test.points.allSatisfy { $0.smoothed == $0.loss })
        // With smoothing, the first smoothed value is the first loss (the average is bias-corrected).
        let smoothed = LRRangeTest(run: try Self.run([1, 4]), from: 1e-4, to: 1e-2, steps: 21, smoothing: 0.9)
        #expect(abs(smoothed.points[0].smoothed - smoothed.points[0].loss) <= 1e-12 * smoothed.points[0].loss)
    }

    @Test func commandPrintsChartCSVAndSVG() throws {
        let file = Binary.projectRoot + "/Scenarios/03-learning-rate-edge.yaml"
        let table = InProcess.run(["lrfind", file])
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("theory's stability edge    0.02   2/λmax at the start"), "\(table.stdout)")
        #expect(table.stdout.contains("|") && table.stdout.contains("^") && table.stdout.contains("*"))
        let csv = InProcess.run(["lrfind", file, "--format", "csv", "--steps", "30", "--from", "1e-4", "--to", "1e-2"])
        let rows = csv.stdout.split(separator: "\n")
        #expect(rows.first == "step,lr,loss,smoothed_loss" && rows.count == 31, "\(csv.stdout)")
        let svg = InProcess.run(["lrfind", file, "--format", "svg"])
        #expect(svg.stdout.contains("<svg") && (svg.stdout.contains("theory&apos;s edge 0.02") || svg.stdout.contains("theory's edge 0.02")), "\(svg.stdout.prefix(400))")
        let path = NSTemporaryDirectory() + "descent-lrfind-\(getpid()).svg"
        try svg.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        if let size = try PictureTests().render(path) { #expect(size > 3000) }
    }

    @Test(arguments: [(["--from", "0"], "--from: must be a finite lr > 0"), (["--to", "1e-9"], "--to: must be a finite lr above --from"),
                      (["--steps", "1"], "--steps: must be from 2 to 100000"), (["--smoothing", "1"], "--smoothing: must be in [0, 1)"),
                      (["--run", "nobody"], "--run: names no run 'nobody' (runs: just below, just above)")])
    func badInputSaysWhich(arguments: [String], message: String) {
        let result = InProcess.run(["lrfind", Binary.projectRoot + "/Scenarios/03-learning-rate-edge.yaml"] + arguments)
        #expect(result.status == 2 && result.stderr.contains(message), "\(result.stderr)")
    }
}

/// `descent run --columns lr,grad_norm,loss_gap`: columns added after θ, the rows' numbers otherwise the same.
@Suite struct RunColumnsTests {
    static func rows(_ text: String) -> [[String]] { text.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } }

    /// `--header names`: for every shipped scenario, the CSV names θ's columns as JSON's "parameters" does, and the
    /// rows are the default's; without it the header stays the torch references' p0, p1, …
    @Test func csvAndJSONNameTheParametersAlike() throws {
        let folder = Binary.projectRoot + "/Scenarios"
        for name in try FileManager.default.contentsOfDirectory(atPath: folder).filter({ $0.hasSuffix(".yaml") }).sorted() {
            let file = folder + "/" + name
            let named = InProcess.run(["run", file, "--format", "csv", "--header", "names"])
            let plain = InProcess.run(["run", file, "--format", "csv"])
            let json = InProcess.run(["run", file, "--format", "json"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
            let parameters = try #require(object["parameters"] as? [String])
            let header = ExportTests.rows(named.stdout)[0]
            #expect(Array(header.dropFirst(3)) == parameters, "\(name)")
            #expect(Array(ExportTests.rows(plain.stdout)[0].dropFirst(3)) == parameters.indices.map { "p\($0)" })
            #expect(named.stdout.split(separator: "\n").dropFirst() == plain.stdout.split(separator: "\n").dropFirst())
        }
        #expect(InProcess.run(["run", folder + "/01-ravine-heavy-ball-vs-nesterov.yaml", "--header", "names"]).stderr.contains("--header: goes with --format csv"))
    }

    @Test func columnsAreAddedAndMeanWhatTheySay() throws {
        let file = Binary.projectRoot + "/Scenarios/17-lr-schedules.yaml"
        let plain = Self.rows(InProcess.run(["run", file, "--format", "csv"]).stdout)
        let result = InProcess.run(["run", file, "--format", "csv", "--columns", "lr,grad_norm,loss_gap"])
        #expect(result.status == 0, "\(result.stderr)")
        let with = Self.rows(result.stdout)
        #expect(with[0] == plain[0] + ["lr", "grad_norm", "loss_gap"])
        #expect(with.count == plain.count && zip(with, plain).allSatisfy { Array($0.prefix(5)) == $1 }, "the other columns unchanged")
        // The step schedule halves lr every 50 steps: the row after step k shows the lr step k + 1 uses.
        let step = with.filter { $0[0] == "step" }
        #expect(step.first { $0[1] == "49" }?[5] == "0.038" && step.first { $0[1] == "50" }?[5] == "0.019" && step.first { $0[1] == "100" }?[5] == "0.0095")
        // A quadratic's minimum is 0: the gap is the loss; ‖∇f‖ is A(θ − c)'s norm, positive until the minimum.
        for row in with.dropFirst() { #expect(row[7] == row[2], "\(row)") }
        #expect(with.dropFirst().allSatisfy { (Double($0[6]) ?? -1) >= 0 })
        let json = InProcess.run(["run", file, "--format", "json", "--steps", "1", "--columns", "grad_norm"]).stdout
        #expect(json.contains("\"params\": [3.0, -2.0], \"grad_norm\": "), "\(json)")
    }

    @Test(arguments: [(["--columns", "lr"], "--columns: goes with --format csv or json"),
                      (["--format", "csv", "--columns", "speed"], "--columns: 'speed' is not a column (they are: lr, grad_norm, loss_gap)"),
                      (["--format", "csv", "--columns", "lr,lr"], "--columns: 'lr' is given twice")])
    func badColumns(arguments: [String], message: String) {
        let result = InProcess.run(["run", Binary.projectRoot + "/Scenarios/17-lr-schedules.yaml"] + arguments)
        #expect(result.status == 2 && result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func lossGapNeedsAKnownMinimum() {
        let result = InProcess.run(["run", Binary.projectRoot + "/Scenarios/07-saddle.yaml", "--format", "csv", "--columns", "loss_gap"])
        #expect(result.status == 2 && result.stderr.contains("loss_gap needs the objective's minimum"), "\(result.stderr)")
    }
}

/// Review findings, each held: a range wider than Double's, a subnormal start, a maximizing run, the lr
/// column at an event's step, a missing file in a JUnit report, tiny numbers on an axis.
@Suite struct LRFindEdgeTests {
    @Test func aHugeRangeStaysFinite() throws {
        let test = LRRangeTest(run: try LRFindTests.run([1, 10]), from: 1e-200, to: 1e200, steps: 100, smoothing: 0.98)
        #expect(test.points.count > 10 && test.points.allSatisfy { $0.lr.isFinite && $0.lr > 0 })
        #expect(abs(log10(test.points[1].lr) - (-200 + 400.0 / 99)) < 1e-9)
    }

    @Test func subnormalStartsAndMaximizingRunsAreRefused() {
        let subnormal = InProcess.run(["lrfind", Binary.projectRoot + "/Scenarios/03-learning-rate-edge.yaml", "--from", "5e-324", "--to", "1e-323"])
        #expect(subnormal.status == 2 && subnormal.stderr.contains("--from: must be a finite lr > 0 (a normal number"), "\(subnormal.stderr)")
        let maximize = InProcess.run(["lrfind", Binary.projectRoot + "/Scenarios/08-maximize-hill.yaml"])
        #expect(maximize.status == 2 && maximize.stderr.contains("maximizes: the range test looks for the lr of a descent"), "\(maximize.stderr)")
    }

    /// `lr` is the param group's when the row is recorded: an event's set at that step shows from the next row.
    @Test func lrColumnAtAnEventsStep() throws {
        let dir = try TemporaryDirectory()
        try dir.write("ev.yaml", "name: e\nobjective: {kind: booth}\nstart: [0, 0]\nsteps: 8\nruns:\n  - {label: a, lr: 0.1}\nevents:\n  - {step: 5, run: a, set: {lr: 0.05}}\n")
        let rows = RunColumnsTests.rows(InProcess.run(["run", dir.path + "/ev.yaml", "--format", "csv", "--columns", "lr"]).stdout)
        #expect(rows.first { $0[1] == "5" }?.last == "0.1" && rows.first { $0[1] == "6" }?.last == "0.05", "\(rows)")
    }

    @Test func aMissingFileIsAnErrorInTheReport() throws {
        let result = InProcess.run(["check", "--format", "junit", "no-such-file.yaml"])
        #expect(result.status == 2)
        #expect(result.stdout.contains("<error message=\"no-such-file.yaml: no such file\" type=\"invalid\">"), "\(result.stdout)")
        if let valid = try CheckFormatTests.validates(result.stdout) { #expect(valid) }
    }

    @Test func tinyNumbersFitAnAxisLabel() {
        #expect(NumberFormat.axis(-9.7e-17) == "-1e-16" && NumberFormat.axis(1e-300) == "1e-300")
    }
}
