import ArgumentParser
import DescentCore
import Foundation

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Evaluate the `expect` checks of scenario files (default: every file in Scenarios/ and Scenarios/lessons/).",
        discussion: """
            --format text (the default) prints one line per check; junit writes JUnit XML (one testsuite per \
            file, one testcase per check, a failure with what was measured and the threshold; GitHub Actions, \
            GitLab and Jenkins read it); json writes one object per check. Exit status: 0 every check passed, \
            1 a check failed, 2 a file is invalid (its error is a testcase error in JUnit, an object with \
            "error" in JSON).
            Example: descent check --format junit > check.xml
            """)

    @Argument(help: "Scenario files or folders.", completion: .file(extensions: ["yaml", "yml", "json"]))
    var files: [String] = []
    @Option(help: "Output: text, junit or json.") var format: CheckFormat = .text

    enum CheckFormat: String, ExpressibleByArgument, CaseIterable { case text, junit, json }

    /// One check of one file, as it came out.
    struct Outcome {
        var check: Expectation
        var result: CheckResult
        /// The lesson's beat it belongs to (its number from 1, and its step), nil for the scenario's `expect`.
        var beat: (number: Int, step: Int)?
        var seconds: Double
    }

    /// One file: its checks, or the error that made it invalid; how long evaluating it took.
    struct FileReport {
        var path: String
        var name: String?
        var outcomes: [Outcome] = []
        var error: InputError?
        var seconds = 0.0
    }

    func run() throws {
        // By default the shipped scenarios and their lessons.
        let defaults = ["Scenarios"] + (FileManager.default.fileExists(atPath: "Scenarios/lessons") ? ["Scenarios/lessons"] : [])
        // A path that is not there is an invalid file like any other (a JUnit or JSON report says so too).
        var reports: [FileReport] = []
        for argument in files.isEmpty ? defaults : files {
            do {
                reports += try ScenarioFiles.expand([argument]).map(Self.evaluate)
            } catch {
                reports.append(FileReport(path: argument, error: error))
            }
        }
        switch format {
        case .text: printText(reports)
        case .junit: Console.current.out(Self.junit(reports, timestamp: Date()))
        case .json: Console.current.out(Self.json(reports))
        }
        if reports.contains(where: { $0.error != nil }) { throw ExitCode(2) }
        if reports.contains(where: { $0.outcomes.contains { !$0.result.passed } }) { throw ExitCode(1) }
    }

    /// Loads and evaluates one file: its checks at the scenario's end, a lesson's at each beat's step, every
    /// caption filled in where its beat stands.
    static func evaluate(_ path: String) -> FileReport {
        let start = DispatchTime.now().uptimeNanoseconds
        func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        var report = FileReport(path: path)
        let experiment: Experiment
        do { experiment = try Experiment.load(contentsOf: path) } catch {
            report.error = error
            report.seconds = elapsed()
            return report
        }
        report.name = experiment.scenario.name
        let summaries = experiment.summaries(targets: Expectation.targets(of: experiment.scenario.expect))
        let perCheck = elapsed() / Double(max(1, experiment.scenario.expect.count))
        for check in experiment.scenario.expect {
            report.outcomes.append(Outcome(check: check, result: check.evaluate(summaries), beat: nil, seconds: perCheck))
        }
        let lessonStart = elapsed()
        let beats = experiment.playLesson()
        let lessonChecks = beats.reduce(0) { $0 + $1.checks.count }
        let perBeatCheck = (elapsed() - lessonStart) / Double(max(1, lessonChecks))
        for outcome in beats {
            if case .failure(let problem) = outcome.caption, report.error == nil {
                let field = "lesson[\(outcome.index)].say"
                report.error = InputError(file: path, field: field, line: Scenario.line(of: field, inFile: path), message: problem.message)
            }
            for (check, result) in outcome.checks {
                report.outcomes.append(Outcome(check: check, result: result, beat: (outcome.index + 1, outcome.beat.at), seconds: perBeatCheck))
            }
        }
        report.seconds = elapsed()
        return report
    }

    private func printText(_ reports: [FileReport]) {
        var passed = 0, failed = 0, invalid = 0
        for report in reports {
            if let error = report.error {
                printError("error: \(error)")
                invalid += 1
                // A file whose caption cannot be filled was still evaluated: its checks are shown.
                if report.outcomes.isEmpty { continue }
            }
            if report.outcomes.isEmpty { Console.current.print(TerminalTraits.readable("----  \(report.path): no checks".escapingControlCharacters)) }
            for outcome in report.outcomes {
                let beat = outcome.beat.map { "beat \($0.number) (step \($0.step)): " } ?? ""
                Console.current.print(TerminalTraits.readable("\(outcome.result.passed ? "pass" : "FAIL")  \(report.path): \(beat)\(outcome.result.summary)".escapingControlCharacters))
                if outcome.result.passed { passed += 1 } else { failed += 1 }
            }
        }
        Console.current.print("\(counted(reports.count, "scenario")), \(counted(passed + failed, "check")): \(passed) passed, \(failed) failed"
              + (invalid > 0 ? ", \(counted(invalid, "invalid file"))" : ""))
    }

    /// A check's name in reports: its run, its kind and its bound (`nesterov: final_loss_below 1e-06`), and
    /// for a lesson its beat.
    static func name(of outcome: Outcome) -> String {
        let beat = outcome.beat.map { "beat \($0.number) (step \($0.step)): " } ?? ""
        let f = NumberFormat.readable
        let what: String = switch outcome.check {
        case let .finalLossBelow(run, bound): "\(run): final_loss_below \(f(bound))"
        case let .finalLossAbove(run, bound): "\(run): final_loss_above \(f(bound))"
        case let .diverges(run, diverges): "\(run): diverges \(diverges)"
        case let .endsNear(run, point, within): "\(run): ends_near [\(point.map(f).joined(separator: ", "))] within \(f(within))"
        case let .faster(run, than, loss): "\(run) faster than \(than) to_loss \(f(loss))"
        }
        return beat + what
    }

    static func kind(of check: Expectation) -> String {
        switch check {
        case .finalLossBelow: "final_loss_below"
        case .finalLossAbove: "final_loss_above"
        case .diverges: "diverges"
        case .endsNear: "ends_near"
        case .faster: "faster"
        }
    }

    /// JUnit XML as CI systems read it: `<testsuites>` with one `<testsuite>` per file (its checks as
    /// `<testcase>`s, a failed one holding a `<failure>` with the measured value and the threshold; an
    /// invalid file one `<testcase>` holding an `<error>`). Times in seconds.
    static func junit(_ reports: [FileReport], timestamp: Date) -> String {
        func x(_ text: String) -> String { SVGText.escaped(text) }
        func t(_ seconds: Double) -> String { String(format: "%.6f", seconds) }
        let stamp = ISO8601DateFormatter().string(from: timestamp).replacingOccurrences(of: "Z", with: "")
        let tests = reports.reduce(0) { $0 + max($1.outcomes.count + ($1.error != nil ? 1 : 0), 0) }
        let failures = reports.reduce(0) { $0 + $1.outcomes.filter { !$0.result.passed }.count }
        let errors = reports.filter { $0.error != nil }.count
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        out += "<testsuites name=\"descent check\" tests=\"\(tests)\" failures=\"\(failures)\" errors=\"\(errors)\" time=\"\(t(reports.reduce(0) { $0 + $1.seconds }))\">\n"
        for report in reports {
            let classname = FilePaths.name(of: report.path).replacingOccurrences(of: ".yaml", with: "")
            let suiteTests = report.outcomes.count + (report.error != nil ? 1 : 0)
            out += "  <testsuite name=\"\(x(report.path))\" tests=\"\(suiteTests)\" failures=\"\(report.outcomes.filter { !$0.result.passed }.count)\""
                + " errors=\"\(report.error != nil ? 1 : 0)\" skipped=\"0\" time=\"\(t(report.seconds))\" timestamp=\"\(stamp)\" file=\"\(x(report.path))\">\n"
            if let name = report.name { out += "    <properties><property name=\"scenario\" value=\"\(x(name))\"/></properties>\n" }
            if let error = report.error {
                out += "    <testcase name=\"the file is valid\" classname=\"\(x(classname))\" time=\"0\" file=\"\(x(report.path))\">\n"
                out += "      <error message=\"\(x(error.description))\" type=\"invalid\">\(x(error.description))</error>\n"
                out += "    </testcase>\n"
            }
            for outcome in report.outcomes {
                out += "    <testcase name=\"\(x(name(of: outcome)))\" classname=\"\(x(classname))\" time=\"\(t(outcome.seconds))\" file=\"\(x(report.path))\""
                if outcome.result.passed { out += "/>\n"; continue }
                out += ">\n      <failure message=\"\(x(outcome.result.summary))\" type=\"\(kind(of: outcome.check))\">"
                    + x("measured: \(outcome.result.measured)\nthreshold: \(outcome.result.threshold)") + "</failure>\n    </testcase>\n"
            }
            out += "  </testsuite>\n"
        }
        return out + "</testsuites>\n"
    }

    /// One JSON object per check (and per invalid file), in an array.
    static func json(_ reports: [FileReport]) -> String {
        func s(_ text: String) -> String { TrajectoryReport.jsonString(text) }
        var objects: [String] = []
        for report in reports {
            if let error = report.error {
                objects.append("{\"file\": \(s(report.path)), \"passed\": false, \"error\": \(s(error.description))}")
            }
            for outcome in report.outcomes {
                var fields = ["\"file\": \(s(report.path))", "\"scenario\": \(s(report.name ?? ""))", "\"check\": \(s(name(of: outcome)))",
                              "\"kind\": \(s(kind(of: outcome.check)))", "\"runs\": [\(outcome.check.runLabels.map(s).joined(separator: ", "))]",
                              "\"passed\": \(outcome.result.passed)", "\"measured\": \(s(outcome.result.measured))",
                              "\"threshold\": \(s(outcome.result.threshold))", "\"summary\": \(s(outcome.result.summary))",
                              "\"seconds\": \(String(format: "%.6f", outcome.seconds))"]
                if let beat = outcome.beat { fields += ["\"beat\": \(beat.number)", "\"step\": \(beat.step)"] }
                objects.append("{" + fields.joined(separator: ", ") + "}")
            }
        }
        return "[\n" + objects.map { "  " + $0 }.joined(separator: ",\n") + (objects.isEmpty ? "" : "\n") + "]\n"
    }
}

/// `1 check`, `2 checks`.
func counted(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
