import Foundation
import Testing

@Suite struct HeadlessTests {
    /// `descent check` passes on every scenario shipped in Scenarios/ and its lessons.
    @Test func everyScenarioPassesItsChecks() throws {
        let result = try Binary.run(["check"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        let scenarios = try ["/Scenarios", "/Scenarios/lessons"].flatMap { try FileManager.default.contentsOfDirectory(atPath: Binary.projectRoot + $0) }
            .filter { $0.hasSuffix(".yaml") }
        #expect(scenarios.count >= 12)
        #expect(result.stdout.contains("\(scenarios.count) scenarios"))
        #expect(!result.stdout.contains("FAIL"))
    }

    @Test func checkExitsOneWhenACheckFails() throws {
        let dir = try TemporaryDirectory()
        try dir.write("fails.yaml", """
            name: fails
            objective: {kind: quadratic, eigenvalues: [1, 10]}
            start: [1, 1]
            steps: 5
            runs: [{label: a, lr: 0.01}]
            expect: [{run: a, final_loss_below: 1.0e-9}]
            """)
        let result = try Binary.run(["check", "fails.yaml"], in: dir.path)
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAIL  fails.yaml: a: wanted a final loss below 1.00000e-9, got "))
        #expect(result.stdout.contains("1 scenario, 1 check: 0 passed, 1 failed"))
    }

    @Test func csvHasOneRowPerRunPerStep() throws {
        let result = try Binary.run(["run", "Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml", "--format", "csv", "--steps", "3"])
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first == "run,step,loss,p0,p1")
        #expect(lines.count == 1 + 2 * 4)
        #expect(lines[1].hasPrefix("heavy ball,0,266.20765814495917,-3.0,2.0"))
        #expect(lines[5].hasPrefix("nesterov,0,"))
    }

    /// The CSV ends at the step the run diverged: here its loss ran away (past 1e10 times its start) at step
    /// 64, long before torch's numbers overflow to inf (step 1936).
    @Test func divergedRunEndsAtTheStepItDiverged() throws {
        let result = try Binary.run(["run", "Scenarios/03-learning-rate-edge.yaml", "--format", "csv"])
        let above = result.stdout.split(separator: "\n").filter { $0.hasPrefix("just above,") }
        let start = above.first.flatMap { Double($0.split(separator: ",")[2]) } ?? .nan
        let last = above.last.flatMap { Double($0.split(separator: ",")[2]) } ?? .nan
        #expect(above.last?.hasPrefix("just above,64,") == true && last.isFinite && last > 1e10 * max(1, start))
        let before = Double(above[above.count - 2].split(separator: ",")[2]) ?? .nan
        #expect(before <= 1e10 * max(1, start))
        let table = try Binary.run(["run", "Scenarios/03-learning-rate-edge.yaml"])
        #expect(table.stdout.contains("diverged at step 64: the loss ran away"))
    }

    @Test func labelsAreQuotedPerRFC4180() throws {
        let dir = try TemporaryDirectory()
        try dir.write("q.yaml", """
            name: quoting
            objective: {kind: beale}
            start: [1, 1]
            steps: 1
            runs: [{label: 'a, "b"', lr: 0.001}]
            """)
        let result = try Binary.run(["run", "q.yaml", "--format", "csv"], in: dir.path)
        #expect(result.stdout.split(separator: "\n")[1].hasPrefix("\"a, \"\"b\"\"\",0,"))
    }

    /// Labels holding ESC, DEL and a lone CSI reach the table and check output as escapes, never as bytes the
    /// terminal would act on; CSV and JSON keep the exact text.
    @Test func controlCharactersInLabelsAreEscapedForPeople() throws {
        let dir = try TemporaryDirectory()
        let label = "a\u{7F}\u{9B}31mb\u{1B}[2J"
        try dir.write("s.yaml", "name: \"x\\e[31mred\"\nobjective: {kind: beale}\nstart: [1, 1]\nruns:\n  - {label: \"a\\x7f\\u009b31mb\\e[2J\", lr: 0.01}\n"
                      + "expect:\n  - {run: \"a\\x7f\\u009b31mb\\e[2J\", diverges: false}\n")
        func hasControls(_ text: String) -> Bool { text.unicodeScalars.contains { $0 != "\n" && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) } }
        let table = try Binary.run(["run", "s.yaml"], in: dir.path)
        #expect(table.status == 0 && !hasControls(table.stdout), "\(table.stdout.debugDescription)")
        #expect(table.stdout.contains("a\\u{7F}\\u{9B}31mb\\e[2J") && table.stdout.hasPrefix("x\\e[31mred\n"))
        let check = try Binary.run(["check", "s.yaml"], in: dir.path)
        #expect(check.status == 0 && !hasControls(check.stdout), "\(check.stdout.debugDescription)")
        #expect(check.stdout.contains("a\\u{7F}\\u{9B}31mb\\e[2J: does not diverge"))
        let csv = try Binary.run(["run", "s.yaml", "--format", "csv", "--steps", "1"], in: dir.path)
        let rows = csv.stdout.split(separator: "\n").dropFirst()
        #expect(rows.count == 2 && rows.allSatisfy { $0.hasPrefix(label + ",") })
        let json = try Binary.run(["run", "s.yaml", "--format", "json", "--steps", "1"], in: dir.path)
        let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect((decoded?["runs"] as? [[String: Any]])?.first?["label"] as? String == label)
    }

    /// Under LANG=C every command's text for people is ASCII (θ as theta, ρ as rho, · as *), the table's
    /// columns still line up; under a UTF-8 locale it keeps its symbols. CSV stays exact either way.
    @Test func textForPeopleIsASCIIWithoutAUTF8Locale() throws {
        let c = ["LANG": "C", "LC_ALL": "C"], utf8 = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
        let commands: [[String]] = [["run", "Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml"], ["analyze", "Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml"],
                                    ["objectives"], ["run", "--help"], ["check", "Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml"],
                                    ["sweep", "Scenarios/02-rosenbrock-valley.yaml", "--x", "lr=1e-4:1e-2:log:8", "--y", "momentum=0:0.9:3", "--steps", "10"]]
        for command in commands {
            let ascii = try Binary.run(command, environment: c)
            #expect(ascii.status == 0 && !ascii.stdout.isEmpty, "\(command): \(ascii.stderr)")
            #expect(ascii.stdout.unicodeScalars.allSatisfy { $0.isASCII }, "\(command) under LANG=C: \(ascii.stdout)")
        }
        let table = try Binary.run(commands[0], environment: c).stdout.split(separator: "\n")
        // Each column starts where its run of dashes starts, in the header and in the row.
        let dashes = Array(table[2]), starts = dashes.indices.filter { dashes[$0] == "-" && ($0 == 0 || dashes[$0 - 1] == " ") }
        #expect(table[1].contains("final theta") && starts.count == 6)
        for line in [Array(table[1]), Array(table[3])] {
            #expect(starts.allSatisfy { $0 < line.count && line[$0] != " " && ($0 == 0 || line[$0 - 1] == " ") }, "\(String(line))")
        }
        #expect(try Binary.run(commands[0], environment: utf8).stdout.contains("final θ"))
        let error = try Binary.run(["run", "--objective", "beale", "--lr", "-1"], environment: c)
        #expect(error.stderr.unicodeScalars.allSatisfy { $0.isASCII })
    }

    /// Old Mac text: a CSV whose lines end in CR alone reads as its rows.
    @Test func csvWithCarriageReturnsAlone() throws {
        let dir = try TemporaryDirectory()
        try dir.write("d.csv", "a,b,y\r1,2,3\r4,5,6\r")
        try dir.write("s.yaml", "name: x\nobjective: {kind: linear-regression, data: d.csv}\nstart: [0, 0, 0]\nruns: [{label: a, lr: 0.01}]\nsteps: 0\n")
        let result = try Binary.run(["run", "s.yaml", "--format", "csv"], in: dir.path)
        #expect(result.status == 0, "\(result.stderr)")
        // f at the start (w = 0, b = 0) is the mean of y²: (9 + 36) / 2.
        #expect(result.stdout.contains("a,0,22.5,0.0,0.0,0.0"))
    }

    @Test func jsonCarriesParameterNamesAndStatus() throws {
        let result = try Binary.run(["run", "Scenarios/10-iris-linear-regression.yaml", "--format", "json", "--steps", "2"])
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(object?["parameters"] as? [String] == ["w[petal_length_cm]", "b"])
        let runs = object?["runs"] as? [[String: Any]]
        #expect(runs?.count == 2)
        #expect((runs?.first?["trajectory"] as? [Any])?.count == 3)
        #expect(runs?.first?["status"] as? String == "ok")
    }

    @Test func flagsRunWithoutAFile() throws {
        let result = try Binary.run(["run", "--objective", "rosenbrock", "--start=-1.5,2", "--lr", "1e-3",
                                     "--momentum", "0.9", "--nesterov", "--steps", "500", "--format", "csv"])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 502)
        #expect(lines[1] == "nesterov,0,\(Double(2.5 * 2.5 + 100 * (2 - 2.25) * (2 - 2.25))),-1.5,2.0")
    }

    @Test func objectivesListsEveryKind() throws {
        let result = try Binary.run(["objectives"])
        for kind in ["quadratic", "rosenbrock", "himmelblau", "beale", "rastrigin", "linear-regression", "logistic-regression"] {
            #expect(result.stdout.contains("\n\(kind)") || result.stdout.hasPrefix(kind))
        }
    }
}

/// A fresh folder under the system's temporary directory, removed when the value goes away.
final class TemporaryDirectory {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "descent-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func write(_ name: String, _ text: String) throws {
        try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// `descent run` holds O(runs × dimension) memory whatever the steps. Run under a 64 MiB data limit
/// (`ulimit -d`, which covers malloc's mappings), two million steps in every format must finish; recording
/// every step, the table alone aborted there ("failed to allocate"). A size, not a time.
@Suite struct StreamingMemoryTests {
    @Test(arguments: ["table", "csv", "json"])
    func twoMillionStepsInSixtyFourMiB(format: String) throws {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = ["/bin/sh", "-c", "ulimit -d 65536 && exec \"$0\" \"$@\"", Binary.path, "run", "--objective", "rosenbrock",
                         "--start=-1.5,2", "--lr", "1e-3", "--momentum", "0.9", "--steps", "2000000", "--format", format]
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        #expect(posix_spawn(&pid, "/bin/sh", &actions, nil, argv, environ) == 0)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        #expect(status == 0, "\(format) did not finish within 64 MiB (wait status \(status))")
    }
}

/// Standard output that cannot be written ends a command cleanly: never a crash (FileHandle.write traps).
@Suite struct StandardOutputFaultTests {
    /// A reader gone away, with SIGPIPE ignored (as Python and some shells leave it): a quiet end, 141.
    @Test func closedPipeEndsQuietly() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        close(ends[0])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = ["-c", "trap '' PIPE; exec \"$0\" objectives", Binary.path]
        process.standardOutput = FileHandle(fileDescriptor: ends[1], closeOnDealloc: true)
        let err = Pipe()
        process.standardError = err
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit && process.terminationStatus == 141, "\(process.terminationStatus)")
        #expect(stderr.isEmpty, "\(stderr)")
    }

    /// A full disk or a closed descriptor: one line saying so, and a failing status.
    @Test(arguments: ["> /dev/full", ">&-"]) func unwritableOutputIsSaid(redirect: String) throws {
        let result = try Binary.shell("\"\(Binary.path)\" objectives \(redirect)")
        #expect(result.status == 1, "\(result.status) \(result.stderr)")
        #expect(result.stderr.hasPrefix("error: could not write standard output: ") && result.stderr.split(separator: "\n").count == 1,
                "\(result.stderr)")
    }
}
