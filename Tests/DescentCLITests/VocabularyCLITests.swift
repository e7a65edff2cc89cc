import DescentCore
import Foundation
import Testing

/// The command line's face of the one vocabulary (commands called in-process: `InProcess.run`): flags from the hyperparameter table, inversions that turn
/// a file's setting off, `--convention`, and a kind added in one file showing in every command.
@Suite struct VocabularyCLITests {
    static let ravine = Binary.projectRoot + "/Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml"

    /// Every field of the table is a flag of every command that runs a scenario, with the table's help.
    @Test func everyFieldIsAFlag() throws {
        for command in ["run", "explore", "snapshot", "plot", "analyze", "sweep"] {
            let help = InProcess.run([command, "--help"]).stdout
            for field in HyperparameterField.allCases {
                #expect(help.contains(field.flag), "`descent \(command)` has no \(field.flag)")
            }
            #expect(help.contains("--no-nesterov") && help.contains("--no-maximize"), "\(command)")
        }
    }

    /// `--no-nesterov` turns the file's Nesterov run into heavy ball (the two runs then agree to the bit),
    /// `--nesterov` turns both on; left out, the file's settings stand.
    @Test func booleanFlagsOverrideTheFileEitherWay() throws {
        func finalRows(_ extra: [String]) throws -> [String: String] {
            let csv = InProcess.run(["run", Self.ravine, "--format", "csv", "--steps", "40"] + extra).stdout
            var last: [String: String] = [:]
            for line in csv.split(separator: "\n").dropFirst() {
                let fields = line.split(separator: ",", maxSplits: 2).map(String.init)
                last[fields[0]] = fields[2]
            }
            return last
        }
        let file = try finalRows([]), off = try finalRows(["--no-nesterov"]), on = try finalRows(["--nesterov"])
        #expect(file["heavy ball"] != file["nesterov"])
        #expect(off["nesterov"] == off["heavy ball"] && off["heavy ball"] == file["heavy ball"])
        #expect(on["heavy ball"] == on["nesterov"] && on["nesterov"] == file["nesterov"])
    }

    /// `--convention sutskever` over a file with schedules is the file with `convention: sutskever` on every run.
    @Test func conventionFlagEqualsTheFileKey() throws {
        let path = Binary.projectRoot + "/Scenarios/17-lr-schedules.yaml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("descent-convention-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        // The schedules' runs with momentum, where the conventions part as the lr changes.
        var scenario = try Scenario.decode(yaml: text)
        for i in scenario.runs.indices { scenario.runs[i].hyperparameters.momentum = 0.9 }
        let withMomentum = dir.appendingPathComponent("m.yaml").path
        try scenario.yamlText().write(toFile: withMomentum, atomically: true, encoding: .utf8)
        for i in scenario.runs.indices { scenario.runs[i].hyperparameters.convention = .sutskever }
        let edited = dir.appendingPathComponent("s.yaml").path
        try scenario.yamlText().write(toFile: edited, atomically: true, encoding: .utf8)
        let flag = InProcess.run(["run", withMomentum, "--format", "csv", "--convention", "sutskever"])
        let file = InProcess.run(["run", edited, "--format", "csv"])
        let torch = InProcess.run(["run", withMomentum, "--format", "csv"])
        #expect(flag.status == 0 && flag.stdout == file.stdout)
        #expect(flag.stdout != torch.stdout, "the conventions part under a schedule")
        let bad = InProcess.run(["run", path, "--convention", "keras"])
        #expect(bad.status == 2 && bad.stderr.contains("--convention") && bad.stderr.split(separator: "\n").count == 1)
    }

    /// Booth's function, added as one file and one registry line, is in every face: the list, a file, a run
    /// from flags (with its example's start), the theory, a sweep and a picture.
    @Test func boothIsEverywhere() throws {
        #expect(InProcess.run(["objectives"]).stdout.contains("booth\n    (x + 2y − 7)² + (2x + y − 5)²"))
        let fromFlags = InProcess.run(["run", "--objective", "booth", "--lr", "0.02", "--momentum", "0.8", "--steps", "300"])
        #expect(fromFlags.status == 0 && fromFlags.stdout.contains("[-3, -1]") == false && fromFlags.stdout.contains("[1, 3]"), "\(fromFlags.stdout)")
        let file = Binary.projectRoot + "/Tests/DescentCoreTests/Fixtures/golden-edges/booth-momentum.yaml"
        let analyze = InProcess.run(["analyze", file, "--at", "start"])
        #expect(analyze.status == 0 && analyze.stdout.contains("booth") && analyze.stdout.contains("18"), "\(analyze.stdout)")
        let sweep = InProcess.run(["sweep", file, "--x", "lr=0.001:0.1:log:6", "--y", "momentum=0:0.9:3", "--format", "csv"])
        #expect(sweep.status == 0 && sweep.stdout.split(separator: "\n").count == 19)
        // The picker lists the working folder's files: a process of its own, in the project.
        let snapshot = try Binary.run(["snapshot", "--size", "120x40", "--keys", "o"])
        #expect(snapshot.stdout.contains("objective: booth"))
        let bad = InProcess.run(["run", "--objective", "booth", "--lr", "0.1", "--a", "2"])
        #expect(bad.status == 2 && bad.stderr.contains("--a: is not a parameter of booth, which has none"), "\(bad.stderr)")
    }
}
