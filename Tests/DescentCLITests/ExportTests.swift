import Foundation
import Testing

/// `descent export --torch`: the script reproduces `descent run --format csv` under real torch at rtol 1e-9
/// (when a Python with torch is found: `DESCENT_PYTHON`, else `python3`; skipped with a message otherwise),
/// and what it does not export is refused with the field and the reason.
@Suite struct ExportTests {
    static let python: String? = {
        let candidate = ProcessInfo.processInfo.environment["DESCENT_PYTHON"] ?? "python3"
        guard let result = try? Binary.shell("'\(candidate)' -c 'import torch' 2>/dev/null"), result.status == 0 else { return nil }
        return candidate
    }()

    static let exported: [String] = {
        let root = Binary.projectRoot
        let shipped = ["Scenarios", "Scenarios/lessons"].flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: root + "/" + folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted().map { root + "/\(folder)/" + $0 }
        }
        let goldens = ["golden", "golden-schedules", "golden-expressions"].flatMap { folder in
            ((try? FileManager.default.contentsOfDirectory(atPath: root + "/../shared/" + folder)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted().map { root + "/../shared/\(folder)/" + $0 }
        }
        return shipped + goldens
    }()

    /// The rows of a CSV, split on commas outside quotes (labels may hold commas).
    static func rows(_ text: String) -> [[String]] {
        text.split(separator: "\n").map { line in
            var fields: [String] = [], field = "", quoted = false
            for c in line {
                if c == "\"" { quoted.toggle(); continue }
                if c == ",", !quoted { fields.append(field); field = ""; continue }
                field.append(c)
            }
            return fields + [field]
        }
    }

    @Test func scriptsReproduceDescentUnderTorch() throws {
        guard let python = Self.python else {
            print("ExportTests: no Python with torch (pip install torch==2.15.0, or set DESCENT_PYTHON): the exported scripts are not run")
            return
        }
        var matched = 0
        for file in Self.exported {
            let export = InProcess.run(["export", file, "--torch"])
            guard export.status == 0 else { continue }
            let script = NSTemporaryDirectory() + "descent-export-\(getpid())-\(matched).py"
            try export.stdout.write(toFile: script, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: script) }
            let torch = try Binary.shell("'\(python)' '\(script)'")
            #expect(torch.status == 0, "\(file): \(torch.stderr)")
            let want = Self.rows(InProcess.run(["run", file, "--format", "csv"]).stdout), got = Self.rows(torch.stdout)
            #expect(got.first == want.first && got.count == want.count, "\(file): \(got.count) rows, want \(want.count)")
            for (g, w) in zip(got.dropFirst(), want.dropFirst()) {
                #expect(Array(g.prefix(2)) == Array(w.prefix(2)), "\(file): \(g.prefix(2)) vs \(w.prefix(2))")
                for (a, b) in zip(g.dropFirst(2), w.dropFirst(2)) {
                    let x = Double(a) ?? .nan, y = Double(b) ?? .nan
                    if x.isNaN && y.isNaN { continue }
                    #expect(abs(x - y) <= 1e-12 + 1e-9 * abs(y), "\(file) \(g.prefix(2)): torch \(a), descent \(b)")
                }
            }
            matched += 1
        }
        #expect(matched >= 38, "scripts run: \(matched)")
    }

    @Test(arguments: [("10-iris-linear-regression.yaml", "objective: kind 'linear-regression' is not exported to torch yet"),
                      ("19-gradient-noise.yaml", "runs[1].noise: gradient noise is not exported to torch"),
                      ("20-session-replay.yaml", "events[0]: only set events are exported to torch")])
    func whatIsNotExportedIsSaid(file: String, message: String) {
        let result = InProcess.run(["export", Binary.projectRoot + "/Scenarios/" + file, "--torch"])
        #expect(result.status == 2 && result.stderr.contains(message), "\(result.stderr)")
    }

    /// The script needs torch and the standard library only, and names what it reproduces.
    @Test func scriptIsSelfContained() {
        let result = InProcess.run(["export", Binary.projectRoot + "/Scenarios/17-lr-schedules.yaml", "--torch"])
        #expect(result.status == 0)
        let imports = result.stdout.split(separator: "\n").filter { $0.hasPrefix("import ") || $0.hasPrefix("from ") }
        #expect(imports == ["import math", "import torch"], "\(imports)")
        #expect(result.stdout.contains("torch.optim.lr_scheduler.StepLR(o, step_size=50, gamma=0.5)"))
        #expect(InProcess.run(["export", Binary.projectRoot + "/Scenarios/17-lr-schedules.yaml"]).stderr.contains("give --torch"))
    }
}
