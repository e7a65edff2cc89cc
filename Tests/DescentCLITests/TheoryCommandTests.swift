import Foundation
import Testing

/// `descent analyze`, `descent sweep` and `descent merge` as a user runs them.
@Suite struct TheoryCommandTests {
    /// Shards written by separate processes and merged are byte for byte the whole sweep's CSV, whatever
    /// order the parts come in; a missing part is one clear line.
    @Test func mergedShardsAreTheWholeSweep() throws {
        let args = ["sweep", "Scenarios/02-rosenbrock-valley.yaml", "--x", "lr=1e-4:1:log:37", "--y", "momentum=0:0.99:11",
                    "--steps", "300", "--format", "csv"]
        let whole = try Binary.run(args)
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(whole.stdout.split(separator: "\n").count == 1 + 37 * 11)
        let folder = NSTemporaryDirectory() + "descent-shards-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var paths: [String] = []
        for k in [3, 1, 4, 2] {
            let part = try Binary.run(args + ["--shard", "\(k)/4"])
            #expect(part.status == 0)
            let path = "\(folder)/part-\(k).csv"
            try part.stdout.write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        let merged = try Binary.run(["merge"] + paths)
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == whole.stdout)
        let missing = try Binary.run(["merge"] + paths.dropLast())
        #expect(missing.status == 2 && missing.stderr.split(separator: "\n").count == 1 && missing.stderr.contains("missing"))
    }

    /// A cell of `descent sweep` is `descent run` with that setting: the final loss printed in the CSVs is the same.
    @Test func sweepCellIsDescentRun() throws {
        let sweep = try Binary.run(["sweep", "Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml", "--run", "nesterov", "--x", "lr=0.001:0.1:log:5",
                                    "--y", "momentum=0.5:0.95:3", "--format", "csv"])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        for row in sweep.stdout.split(separator: "\n").dropFirst() {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let run = try Binary.run(["run", "Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml", "--lr", fields[1], "--momentum", fields[2], "--format", "csv"])
            // The scenario's runs all take the flags; the chosen run's last row holds the final loss.
            let last = run.stdout.split(separator: "\n").last { $0.hasPrefix("nesterov,") }!
            #expect(last.split(separator: ",")[2] == Substring(fields[3]), "cell \(fields[0])")
        }
    }

    /// `analyze` prints the predicted and the measured rate, and they agree on a quadratic scenario.
    @Test func analyzePrintsTheoryBesideTheMeasuredRate() throws {
        let result = try Binary.run(["analyze", "Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml", "--run", "heavy ball"])
        #expect(result.status == 0, "\(result.stderr)")
        let text = result.stdout
        for expected in ["condition number 25", "ripples", "Largest stable lr at momentum 0.9: 0.152", "Polyak's heavy ball"] {
            #expect(text.contains(expected), "\(expected)")
        }
        func number(after label: String) -> Double? {
            guard let line = text.split(separator: "\n").first(where: { $0.contains(label) }) else { return nil }
            return line.split(separator: " ").compactMap { Double($0) }.first
        }
        let predicted = try #require(number(after: "predicted  max ρ ="))
        let measured = try #require(number(after: "measured"))
        #expect(abs(predicted - 0.948683) < 1e-6)
        #expect(abs(measured - predicted) < 0.01 * predicted)
    }

    /// Bad axes, metrics, shards and run labels: one line naming the flag, exit 2.
    @Test func badSweepInputIsOneLine() throws {
        let file = "Scenarios/02-rosenbrock-valley.yaml"
        for (args, mentions) in [
            (["sweep", file, "--x", "lr=1e-4:1:log", "--y", "momentum=0:0.9:3"], "--x"),
            (["sweep", file, "--x", "lr=1e-4:1:log:5", "--y", "lr=0:0.9:3"], "--y"),
            (["sweep", file, "--x", "lr=1e-4:1:log:5", "--y", "momentum=0:0.9:3", "--metric", "loss"], "--metric"),
            (["sweep", file, "--x", "lr=1e-4:1:log:5", "--y", "momentum=0:0.9:3", "--shard", "5/4"], "--shard"),
            (["sweep", file, "--x", "lr=1e-4:1:log:5", "--y", "momentum=0:0.9:3", "--run", "nobody"], "--run"),
            (["analyze", file, "--run", "nobody"], "--run"),
        ] {
            let result = try Binary.run(args)
            #expect(result.status == 2, "\(args)")
            #expect(result.stderr.split(separator: "\n").count == 1 && result.stderr.contains(mentions), "\(args): \(result.stderr)")
        }
    }
}

/// A scripted explorer session written by `descent snapshot --keys "…w"` and its paths exported with `e`,
/// then replayed by `descent run`: each run's last exported row is a row of the replay, byte for byte.
@Suite struct SessionReplayTests {
    @Test func snapshotSessionReplaysHeadless() throws {
        let folder = NSTemporaryDirectory() + "descent-session-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let keys = "nnnnn<right>nnnnannn<down><right>nnnnrnnn<tab>dnnnnn<space>" + String(repeating: "<tick>", count: 20) + "<space>we"
        let snapshot = try Binary.run(["snapshot", Binary.projectRoot + "/Scenarios/17-lr-schedules.yaml", "--steps", "0", "--keys", keys], in: folder)
        #expect(snapshot.status == 0, "\(snapshot.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder)
        let scenario = try #require(files.first { $0.hasSuffix(".yaml") }, "\(files) \(snapshot.stderr)")
        let export = try #require(files.first { $0.hasSuffix(".csv") })
        #expect(try String(contentsOfFile: folder + "/" + scenario, encoding: .utf8).contains("events:"))
        let replay = try Binary.run(["run", scenario, "--format", "csv"], in: folder)
        #expect(replay.status == 0, "\(replay.stderr)")
        let replayRows = Set(replay.stdout.split(separator: "\n"))
        let exported = try String(contentsOfFile: folder + "/" + export, encoding: .utf8).split(separator: "\n").dropFirst()
        var lastRow: [Substring: Substring] = [:]
        for row in exported { lastRow[row.split(separator: ",", maxSplits: 1)[0]] = row }
        #expect(lastRow.count >= 3)
        for (label, row) in lastRow { #expect(replayRows.contains(row), "run \(label): \(row) is not in the replay") }
    }
}

/// A formula from flags: `descent run --objective 'f=…'`, and its mistakes as one line naming the flag.
@Suite struct FormulaFlagTests {
    @Test func formulaFromFlags() throws {
        let typed = try Binary.run(["run", "--objective", "f=(1 - x)^2 + 100*(y - x^2)^2", "--start=-1.5,2", "--lr", "5e-4", "--momentum", "0.9",
                                    "--steps", "300", "--format", "csv"])
        let builtIn = try Binary.run(["run", "--objective", "rosenbrock", "--start=-1.5,2", "--lr", "5e-4", "--momentum", "0.9",
                                      "--steps", "300", "--format", "csv"])
        #expect(typed.status == 0 && builtIn.status == 0, "\(typed.stderr) \(builtIn.stderr)")
        let a = typed.stdout.split(separator: "\n").last!.split(separator: ",").dropFirst(2).compactMap { Double($0) }
        let b = builtIn.stdout.split(separator: "\n").last!.split(separator: ",").dropFirst(2).compactMap { Double($0) }
        for (x, y) in zip(a, b) { #expect(abs(x - y) <= 1e-10 * max(1, abs(y))) }
        let bad = try Binary.run(["run", "--objective", "f=(1-x)^2 + sn(y)", "--lr", "5e-4"])
        #expect(bad.status == 2 && bad.stderr == "error: --objective: column 11: unknown function 'sn' (did you mean sin?)\n", "\(bad.stderr)")
    }
}

/// HyperparameterField flags over a file apply to every run (through the same patch a session's `set:` uses).
@Suite struct FlagsOverFileTests {
    @Test func nesterovFlagMakesEveryRunNesterov() throws {
        let result = try Binary.run(["run", "Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml", "--nesterov", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let rows = result.stdout.split(separator: "\n").dropFirst()
        func path(_ label: String) -> [Substring] { rows.filter { $0.hasPrefix(label + ",") }.map { $0.dropFirst(label.count) } }
        #expect(!path("heavy ball").isEmpty && path("heavy ball") == path("nesterov"))
    }
}
