import Foundation
import Testing

/// The benchmark runs, quickly: every workload reports a finite positive figure. No timing is asserted.
@Suite struct BenchSmokeTests {
    static let workloads = ["trajectory-2d", "trajectory-typed", "csv-stream", "sgd-step-1e7", "triad-1e7", "sgd-bandwidth-vs-triad",
                            "quadratic-1000", "regression-1e5x16", "frame-200x60",
                            "goto-back", "goto-forward", "ghost-1e3", "frame-mlp-80x24"]

    @Test func quickBenchReportsEveryWorkload() throws {
        let result = try Binary.run(["bench", "--quick", "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let entries = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(entries.compactMap { $0["name"] as? String } == Self.workloads)
        for entry in entries {
            let value = entry["value"] as? Double ?? .nan
            #expect(value.isFinite && value > 0, "\(entry)")
        }
    }

    /// --only measures the workloads named, and only those; a name that is not one is one line naming them all.
    @Test func onlyMeasuresTheNamedWorkloads() throws {
        let result = try Binary.run(["bench", "--quick", "--format", "json", "--only", "ghost-1e3,triad-1e7"])
        #expect(result.status == 0, "\(result.stderr)")
        let entries = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(entries.compactMap { $0["name"] as? String } == ["triad-1e7", "ghost-1e3"])
        let bad = try Binary.run(["bench", "--quick", "--only", "triad-1e7,quadratic"])
        #expect(bad.status != 0 && bad.stderr.contains("no workload 'quadratic'") && bad.stderr.contains("quadratic-1000"), "\(bad.stderr)")
    }

    /// bench/compare.py with --quick, when python3 (with NumPy) and cc are here: its table has every row.
    @Test func compareScriptRuns() throws {
        let python = ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
        let hasCC = ["/usr/bin/cc", "/usr/local/bin/cc"].contains { FileManager.default.isExecutableFile(atPath: $0) }
        guard let python, hasCC else { return }
        let result = try Binary.spawn(python, ["bench/compare.py", "--quick", "--bin", Binary.path])
        let text = result.stdout
        #expect(result.status == 0)
        for row in ["2-D step", "-step CSV", "SGD step", "quadratic", "sweep", "start from a .npy", "startup", "load average"] {
            #expect(text.contains(row), "no '\(row)' row in:\n\(text)")
        }
    }
}
