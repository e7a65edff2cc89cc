import Foundation
import Testing

/// `descent check --format junit|json`: reports a CI reads, with what was measured and the threshold, and the
/// documented exit statuses (0 pass, 1 a check failed, 2 a file invalid).
@Suite struct CheckFormatTests {
    static let schema = Binary.projectRoot + "/Tests/DescentCLITests/Fixtures/junit.xsd"
    static let xmllint = ["/usr/bin/xmllint", "/usr/local/bin/xmllint"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Validates `xml` against the JUnit schema with xmllint; nil (with a message) when xmllint is missing.
    static func validates(_ xml: String) throws -> Bool? {
        guard let xmllint else {
            print("CheckFormatTests: xmllint not installed (apt-get install libxml2-utils); the JUnit report is checked as text only")
            return nil
        }
        let path = NSTemporaryDirectory() + "descent-junit-\(getpid())-\(UUID().uuidString).xml"
        try xml.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        return try Binary.spawn(xmllint, ["--noout", "--schema", schema, path]).status == 0
    }

    static func files() throws -> (dir: TemporaryDirectory, pass: String, fail: String, bad: String) {
        let dir = try TemporaryDirectory()
        try dir.write("pass.yaml", "name: p\nobjective: {kind: booth}\nstart: [0, 0]\nsteps: 300\nruns:\n  - {label: a, lr: 0.05}\nexpect:\n  - {run: a, final_loss_below: 1.0e-6}\n")
        try dir.write("fail.yaml", "name: \"f <&> \\\"q\\\"\"\nobjective: {kind: booth}\nstart: [0, 0]\nsteps: 3\nruns:\n  - {label: \"a<&>\", lr: 0.01}\n"
                      + "expect:\n  - {run: \"a<&>\", final_loss_below: 1.0e-9}\n  - {run: \"a<&>\", diverges: false}\n")
        try dir.write("bad.yaml", "name: b\nobjective: {kind: booth}\nstart: [0, 0]\nruns:\n  - {label: a, lr: -1}\n")
        return (dir, dir.path + "/pass.yaml", dir.path + "/fail.yaml", dir.path + "/bad.yaml")
    }

    @Test func junitIsValidAndSaysWhatFailed() throws {
        let (dir, pass, fail, bad) = try Self.files()
        _ = dir
        let all = InProcess.run(["check", "--format", "junit", pass, fail, bad])
        #expect(all.status == 2, "an invalid file wins: \(all.stderr)")
        if let valid = try Self.validates(all.stdout) { #expect(valid, "\(all.stdout)") }
        #expect(all.stdout.contains("<testsuites name=\"descent check\" tests=\"4\" failures=\"1\" errors=\"1\""), "\(all.stdout)")
        #expect(all.stdout.components(separatedBy: "<testsuite ").count - 1 == 3, "one testsuite per file")
        #expect(all.stdout.contains("<failure message=\"a&lt;&amp;&gt;: wanted a final loss below 1.00000e-9, got 23.6602\" type=\"final_loss_below\">measured: 23.6602\nthreshold: &lt; 1.00000e-9</failure>"), "\(all.stdout)")
        #expect(all.stdout.contains("<error message=\"") && all.stdout.contains("bad.yaml:5: runs[0].lr: Invalid learning rate: -1.0"))
        #expect(all.stdout.contains("value=\"f &lt;&amp;&gt; &quot;q&quot;\""), "the scenario's name escaped")
        #expect(InProcess.run(["check", "--format", "junit", pass, fail]).status == 1)
        let ok = InProcess.run(["check", "--format", "junit", pass])
        #expect(ok.status == 0)
        if let valid = try Self.validates(ok.stdout) { #expect(valid) }
    }

    /// The schema is not vacuous: a report that breaks it (a suite without its test count, a case with two
    /// outcomes) is refused.
    @Test func theSchemaRefusesBrokenReports() throws {
        let broken = ["<testsuites><testsuite name=\"x\"><testcase name=\"a\"/></testsuite></testsuites>",
                      "<testsuites><testsuite name=\"x\" tests=\"1\"><testcase name=\"a\"><failure/><error/></testcase></testsuite></testsuites>",
                      "<testsuites><testsuite name=\"x\" tests=\"1\"><testcase/></testsuite></testsuites>"]
        for xml in broken {
            if let valid = try Self.validates("<?xml version=\"1.0\"?>\n" + xml) { #expect(!valid, "\(xml)") }
        }
    }

    /// JSON: one object per check with its file, kind, runs, outcome, measured value, threshold and time.
    @Test func jsonHasAnObjectPerCheck() throws {
        let (dir, pass, fail, bad) = try Self.files()
        _ = dir
        let result = InProcess.run(["check", "--format", "json", pass, fail, bad])
        #expect(result.status == 2)
        let objects = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]], "\(result.stdout)")
        #expect(objects.count == 4)
        let failed = try #require(objects.first { ($0["passed"] as? Bool) == false && $0["kind"] as? String == "final_loss_below" })
        #expect(failed["measured"] as? String == "23.6602" && failed["threshold"] as? String == "< 1.00000e-9" && failed["runs"] as? [String] == ["a<&>"])
        #expect((failed["seconds"] as? Double ?? -1) >= 0)
        #expect(objects.contains { ($0["error"] as? String)?.contains("Invalid learning rate") == true })
    }

    /// A lesson's beat checks are testcases too, named by their beat.
    @Test func lessonBeatsAreTestcases() throws {
        let lesson = Binary.projectRoot + "/Scenarios/lessons/3-too-large-a-step.yaml"
        let result = InProcess.run(["check", "--format", "junit", lesson])
        #expect(result.status == 0)
        #expect(result.stdout.contains("<testcase name=\"beat 2 (step 20): below the edge: final_loss_below 0.01\""), "\(result.stdout)")
        if let valid = try Self.validates(result.stdout) { #expect(valid) }
    }
}
