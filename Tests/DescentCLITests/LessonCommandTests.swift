import Foundation
import Testing

/// `descent lesson` and `descent check` on the shipped lessons, as a teacher runs them.
@Suite struct LessonCommandTests {
    static let lessons = Binary.projectRoot + "/Scenarios/lessons"
    static var files: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: lessons)) ?? []).filter { $0.hasSuffix(".yaml") }.sorted().map { lessons + "/" + $0 }
    }

    @Test func atLeastFourLessonsShip() {
        #expect(Self.files.count >= 4)
    }

    /// Every shipped lesson passes its checks: each caption's claims hold, every placeholder fills in.
    @Test func shippedLessonsPassTheirChecks() {
        let result = InProcess.run(["check"] + Self.files)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains(": beat 2 (step"), "the beats' checks are run")
        #expect(!result.stdout.contains("FAIL"))
    }

    /// The handout of every lesson: index.md with each beat's caption, picture and question, the answers at
    /// the end, and pictures a real renderer draws.
    @Test(arguments: files) func handoutsAreWrittenAndRender(file: String) throws {
        let folder = NSTemporaryDirectory() + "descent-handout-\(getpid())-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let result = InProcess.run(["lesson", file, "--out", folder])
        #expect(result.status == 0, "\(result.stderr)")
        let index = try String(contentsOfFile: folder + "/index.md", encoding: .utf8)
        let beats = index.components(separatedBy: "\n## Beat ").count - 1
        #expect(beats >= 4, "\(index)")
        #expect(!index.contains("{"), "every placeholder filled in")
        for n in 1...beats {
            let svg = folder + String(format: "/beat-%02d.svg", n)
            #expect(index.contains(String(format: "(beat-%02d.svg)", n)))
            #expect(try String(contentsOfFile: svg, encoding: .utf8).contains("<svg"))
            _ = try PictureTests().render(svg)
        }
        if index.contains("**Question.**") { #expect(index.contains("## Answers")) }
    }

    /// --text prints one screen a beat, each with its caption and `beat k/n`.
    @Test func textScreensForEveryBeat() throws {
        let file = Self.files[0]
        let result = InProcess.run(["lesson", file, "--text", "--size", "80x24"])
        #expect(result.status == 0, "\(result.stderr)")
        let screens = result.stdout.components(separatedBy: "── beat ").dropFirst()
        #expect(screens.count >= 4)
        for (k, screen) in screens.enumerated() {
            #expect(screen.contains("beat \(k + 1)/\(screens.count) · step"), "\(screen)")
            var lines = screen.components(separatedBy: "\n")
            while lines.last?.isEmpty == true { lines.removeLast() }
            #expect(lines.count == 25, "a heading and 24 rows: \(screen)")
        }
        #expect(result.stdout.contains("condition number kappa = 100"))
    }

    @Test func badUsesSayWhatIsWrong() throws {
        let plain = InProcess.run(["lesson", Binary.projectRoot + "/Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml", "--text"])
        #expect(plain.status == 2 && plain.stderr.contains("lesson: this scenario has no lesson"), "\(plain.stderr)")
        let neither = InProcess.run(["lesson", Self.files[0]])
        #expect(neither.status == 2 && neither.stderr.contains("give --out DIR, --text, or both"))
        let file = NSTemporaryDirectory() + "descent-notafolder-\(getpid())"
        FileManager.default.createFile(atPath: file, contents: Data("x".utf8))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let onFile = InProcess.run(["lesson", Self.files[0], "--out", file])
        #expect(onFile.status == 2 && onFile.stderr.contains("exists and is not a folder"), "\(onFile.stderr)")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "x", "the file is left as it was")
    }

    /// A placeholder naming a run that an event deleted before the beat cannot be filled there: `check` says
    /// where (file:line:field) and counts the file invalid.
    @Test func anUnfillablePlaceholderIsAnInvalidFile() throws {
        let folder = NSTemporaryDirectory() + "descent-lesson-\(getpid())-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let path = folder + "/gone.yaml"
        try """
            name: gone
            objective: {kind: booth}
            start: [0, 0]
            steps: 20
            runs:
              - {label: a, lr: 0.01}
              - {label: b, lr: 0.02}
            events:
              - {step: 5, run: b, delete: true}
            lesson:
              - at: 0
                say: "b's loss {loss:b}"
              - at: 10
                say: "b's loss {loss:b}"
            """.write(toFile: path, atomically: true, encoding: .utf8)
        let result = InProcess.run(["check", path])
        #expect(result.status == 2, "\(result.stdout)\(result.stderr)")
        #expect(result.stderr.contains("gone.yaml:14: lesson[1].say: {loss:b} names no run 'b' here (runs: a)"), "\(result.stderr)")
    }
}

/// `--steps` shorter than a lesson leaves its later beats out (they are never reached), as a run of fewer steps.
@Suite struct LessonStepsFlagTests {
    @Test func fewerStepsThanTheLesson() {
        let file = LessonCommandTests.files[0]
        let short = InProcess.run(["run", file, "--steps", "50", "--format", "csv"])
        #expect(short.status == 0, "\(short.stderr)")
        let full = InProcess.run(["run", file, "--format", "csv"])
        let firstRows = { (text: String) in text.split(separator: "\n").filter { $0.hasPrefix("gd,") }.prefix(51) }
        #expect(Array(firstRows(short.stdout)) == Array(firstRows(full.stdout)), "the same first 50 steps")
    }
}
