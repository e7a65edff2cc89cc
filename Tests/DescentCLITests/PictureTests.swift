import DescentCore
import Foundation
import Testing

/// `descent plot` and `sweep --format svg` write SVG that a real renderer draws (rsvg-convert, Debian's
/// librsvg2-bin, which `.ci/run` installs).
@Suite struct PictureTests {
    static let renderer = ["/usr/bin/rsvg-convert", "/usr/local/bin/rsvg-convert"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Renders `svg` to PNG; the PNG's size, or nil (with a message) when no renderer is installed.
    func render(_ svgPath: String) throws -> Int? {
        guard let renderer = Self.renderer else {
            print("PictureTests: rsvg-convert not installed (apt-get install librsvg2-bin); the SVG is checked as text only")
            return nil
        }
        let png = svgPath + ".png"
        let process = Process()
        process.executableURL = URL(fileURLWithPath: renderer)
        process.arguments = [svgPath, "-o", png]
        let err = Pipe()
        process.standardError = err
        try process.run()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "rsvg-convert: \(message)")
        let data = try Data(contentsOf: URL(fileURLWithPath: png))
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
        try? FileManager.default.removeItem(atPath: png)
        return data.count
    }

    @Test func plotIsDrawnByARealRenderer() throws {
        let folder = NSTemporaryDirectory() + "descent-plot-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        // A label with characters XML reserves, and every built-in scenario.
        let hostile = folder + "/hostile.yaml"
        try "name: \"a <b> & 'c'\"\nobjective: {kind: rosenbrock}\nstart: [-1.5, 2]\nsteps: 50\nruns:\n  - {label: \"x<&>\\\"y\", lr: 0.001}\n"
            .write(toFile: hostile, atomically: true, encoding: .utf8)
        let scenarios = try FileManager.default.contentsOfDirectory(atPath: Binary.projectRoot + "/Scenarios").filter { $0.hasSuffix(".yaml") }
        for file in [hostile] + scenarios.prefix(4).map({ Binary.projectRoot + "/Scenarios/" + $0 }) {
            let out = folder + "/" + (file as NSString).lastPathComponent + ".svg"
            let result = try Binary.run(["plot", file, "-o", out, "--size", "800x400"])
            #expect(result.status == 0, "\(file): \(result.stderr)")
            let text = try String(contentsOfFile: out, encoding: .utf8)
            #expect(text.hasPrefix("<?xml") && text.contains("<polyline") && text.hasSuffix("</svg>\n"))
            // The loss chart's step axis is drawn, not clipped away with the curves.
            let clip = try #require(text.range(of: "<g clip-path=\"url(#chart)\">"), "\(file)")
            #expect(text[..<clip.lowerBound].contains(">step 0</text>"), "\(file): the step axis")
            if let size = try render(out) { #expect(size > 5000, "\(file): a picture, not an empty page") }
        }
    }

    @Test func sweepMapIsDrawnByARealRenderer() throws {
        let result = try Binary.run(["sweep", "Scenarios/16-stability-edge-momenta.yaml", "--x", "lr=1e-3:0.1:log:40", "--y",
                                     "momentum=0:0.99:20", "--steps", "200", "--format", "svg"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.components(separatedBy: "<rect").count > 100, "rectangles of cells")
        let path = NSTemporaryDirectory() + "descent-sweep-\(getpid()).svg"
        try result.stdout.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        if let size = try render(path) { #expect(size > 5000) }
    }

    /// `snapshot --steps N` on a session file shows the session replayed to step N (it once took N more steps).
    @Test func snapshotOfASessionHonoursSteps() throws {
        let dir = try TemporaryDirectory()
        try dir.write("s.yaml", "name: s\nobjective: {kind: rosenbrock}\nstart: [-1.5, 2]\nsteps: 100\nruns:\n  - {label: a, lr: 0.001, momentum: 0.9}\n"
                      + "events:\n  - {step: 40, run: a, set: {momentum: 0.5}}\n")
        for (steps, shown) in [(nil, 100), (40, 40), (300, 300)] as [(Int?, Int)] {
            let result = try Binary.run(["snapshot", "s.yaml", "--size", "100x30"] + (steps.map { ["--steps", "\($0)"] } ?? []), in: dir.path)
            let pattern = try Regex("step +\(shown)\\b")
            #expect(result.status == 0 && result.stdout.contains(pattern), "\(result.stdout)")
        }
    }

    /// A session's picture is its replay, as `descent run` plays it: every run (the copy too) with the final loss
    /// the table gives, at the step --steps names (not twice that), for the shipped session and a lesson.
    @Test func plotOfASessionIsItsReplay() throws {
        let dir = try TemporaryDirectory()
        for (file, steps) in [("20-session-replay.yaml", nil), ("20-session-replay.yaml", 120)] as [(String, Int?)] {
            let path = Binary.projectRoot + "/Scenarios/" + file
            let extra = steps.map { ["--steps", "\($0)"] } ?? []
            let plot = InProcess.run(["plot", path, "-o", dir.path + "/p.svg"] + extra)
            #expect(plot.status == 0, "\(plot.stderr)")
            let svg = try String(contentsOfFile: dir.path + "/p.svg", encoding: .utf8)
            let summaries = try Experiment.load(contentsOf: path) { scenario in var s = scenario; if let steps { s.steps = steps }; return s }.summaries()
            #expect(summaries.count == 3)
            for summary in summaries {
                let legend = "\(summary.label) — loss \(NumberFormat.readable(summary.finalLoss)) at step \(summary.lastStep)"
                #expect(svg.contains(legend), "\(file): \(legend)")
            }
        }
    }

    @Test func badPlotArguments() throws {
        for args in [["plot", "Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml", "-o", "/nonexistent/dir/x.svg"],
                     ["plot", "Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml", "-o", "/tmp/x.svg", "--size", "10x10"]] {
            let result = try Binary.run(args)
            #expect(result.status == 2 && result.stderr.split(separator: "\n").count == 1, "\(args): \(result.stderr)")
        }
    }
}
