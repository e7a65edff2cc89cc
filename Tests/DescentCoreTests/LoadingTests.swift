import Foundation
import Testing
@testable import DescentCore

/// Fast loading must read exactly what the slow, obvious way reads.
@Suite struct LoadingTests {
    /// `DecimalParser` agrees with `Double(_:)` bit for bit on random doubles written every usual way,
    /// and on the numbers where rounding is hardest (ties, the ends of the exact range).
    @Test func decimalParserRoundsLikeTheStandardLibrary() {
        var rng = SeededGenerator(seed: 7)
        var texts = ["0", "-0", "+1", ".5", "5.", "1e0", "1E+3", "-2.5e-3", "9007199254740993", "9007199254740995",
                     "0.1", "0.30000000000000004", "1.7976931348623157e308", "4.9e-324", "2.2250738585072014e-308",
                     "123456789012345678", "1234567890123456789", "12345678901234567890", "0.000000000000000000001",
                     "1e19", "1e-19", "1e20", "18446744073709551615", "9999999999999999999e-19", "nan", "inf", "-inf",
                     "", "-", ".", "e5", "1e", "1.2.3", "1e+", "--1", "1 "]
        for _ in 0..<20_000 {
            let x = Double(bitPattern: rng.next() & 0x7FEF_FFFF_FFFF_FFFF | (rng.next() & 1) << 63)
            let scaled = x.isFinite ? Double(sign: x.sign, exponent: Int(rng.next() % 80) - 40, significand: x.significand) : 1
            texts.append("\(scaled)")
            texts.append(String(format: "%.17g", scaled))
            texts.append(String(format: "%.15g", scaled))
            texts.append(String(format: "%.3f", scaled))
            texts.append(String(format: "%.19e", scaled))
        }
        for text in texts {
            let fast = Array(text.utf8).withUnsafeBufferPointer(DecimalParser.parse)
            let slow = Double(text)
            #expect(fast?.bitPattern == slow?.bitPattern || (fast?.isNaN == true && slow?.isNaN == true),
                    "'\(text)': \(String(describing: fast)) against \(String(describing: slow))")
        }
    }

    /// A table large enough to be parsed in parallel blocks reads as parsing each cell alone, and the
    /// error reported is the first bad row of the file even when a later block has one too.
    /// The numbers a CSV cell may hold are those Python's float and NumPy's loadtxt both read (recorded with
    /// numpy 2 and Python 3.13): `0x10`, which Swift's `Double("0x10")` reads as 16, is not one of them.
    @Test func csvNumbersAreWhatPythonAndNumPyRead() {
        let cases: [(String, Double?)] = [
            ("0x10", nil), ("0X1p3", nil), ("1_000", nil), ("1d5", nil), ("\u{661}\u{662}", nil), ("1e", nil), ("e5", nil), (".", nil),
            ("-.e1", nil), ("--1", nil), ("1e5", 1e5), (".5", 0.5), ("5.", 5), ("+1", 1), ("1E+05", 1e5), ("-0.0", -0.0),
            ("inf", .infinity), ("Infinity", .infinity), ("-INF", -.infinity), ("nan", .nan), ("1.0000000000000000000000001", 1),
            ("123456789012345678901234567890", Double("123456789012345678901234567890")!),
        ]
        for (text, want) in cases {
            let got = Array(text.utf8).withUnsafeBufferPointer(DecimalParser.parse)
            #expect(got.map { $0.isNaN ? "nan" : "\($0.bitPattern)" } == want.map { $0.isNaN ? "nan" : "\($0.bitPattern)" }, "\(text)")
        }
    }

    @Test func parallelCSVReadsLikeRowByRow() throws {
        var rng = SeededGenerator(seed: 3)
        var text = "a,b,y\n", rows: [[Double]] = []
        for _ in 0..<25_000 {
            let row = (0..<3).map { _ in (rng.nextUnit() - 0.5) * pow(10, Double(Int(rng.next() % 12)) - 6) }
            rows.append(row)
            text += row.map { "\($0)" }.joined(separator: ",") + "\n"
        }
        let data = try RegressionData.csv(text: text, file: "t.csv")
        #expect(data.features == rows.map { Array($0.prefix(2)) })
        #expect(data.targets == rows.map { $0[2] })

        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[20_001] = "1,2,oops"
        lines[3_001] = "1,2"
        do {
            _ = try RegressionData.csv(text: lines.joined(separator: "\n"), file: "t.csv")
            Issue.record("a bad row was accepted")
        } catch {
            #expect(error.line == 3_002 && error.message.contains("ragged"), "\(error)")
        }
    }
}

/// The `o` picker's names and descriptions come from each file's head, not a full decode: for every shipped
/// scenario and fixture they are the decoded ones.
@Suite struct ScenarioHeaderTests {
    @Test func headsGiveWhatTheFilesSay() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
        var files = try FileManager.default.contentsOfDirectory(atPath: root + "/Scenarios").filter { $0.hasSuffix(".yaml") }.map { root + "/Scenarios/" + $0 }
        for folder in [Fixtures.golden, Fixtures.goldenSchedules, Fixtures.goldenExpressions, Fixtures.goldenEdges] {
            files += try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.map { folder + "/" + $0 }
        }
        #expect(files.count > 40)
        for file in files {
            let scenario = try Scenario.load(contentsOf: file)
            let header = try #require(ScenarioHeader.read(file), "\(file)")
            #expect(header.name == scenario.name, "\(file)")
            #expect(header.description == scenario.description, "\(file)")
        }
        // Not scenarios: a CSV, a JSON scenario read whole, a file that is not YAML.
        let dir = NSTemporaryDirectory() + "descent-header-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "a,b,y\n1,2,3\n".write(toFile: dir + "/d.yaml", atomically: true, encoding: .utf8)
        try #"{"name": "json one", "objective": {"kind": "beale"}, "start": [1, 1], "runs": [{"label": "a", "lr": 0.1}]}"#.write(toFile: dir + "/j.json", atomically: true, encoding: .utf8)
        #expect(ScenarioHeader.read(dir + "/d.yaml") == nil)
        // YAML as writers write it: escapes, comments after a value, anchors, a name over two lines, folded
        // paragraphs. The head says what the decoder says.
        let body = "objective: {kind: beale}\nstart: [1, 1]\nruns: [{label: a, lr: 0.1}]\n"
        for top in ["name: \"caf\\u00e9 \\\\ x\"\n", "name: \"quoted\" # c\n", "name: 'it''s'   # c\n", "name: &anc anchored\n",
                    "name: a name\n  over two lines\n", "name: n\ndescription: >-\n  one\n\n  two\n", "name: n\ndescription: |\n  a\n  b\n",
                    "name: n\r\ndescription: crlf\r\n"] {
            let yaml = top + body
            try yaml.write(toFile: dir + "/h.yaml", atomically: true, encoding: .utf8)
            let scenario = try Scenario.decode(yaml: yaml)
            let header = ScenarioHeader.read(dir + "/h.yaml")
            #expect(header?.name == scenario.name && header?.description == scenario.description, "\(top.debugDescription): \(String(describing: header))")
        }
        // Not a scenario: a name and runs with no objective.
        try "name: x\nruns: []\n".write(toFile: dir + "/n.yaml", atomically: true, encoding: .utf8)
        #expect(ScenarioHeader.read(dir + "/n.yaml") == nil)
        // A large scenario whose head does not give its name is listed by its file name, not dropped.
        let big = "# " + String(repeating: "x", count: 300_000) + "\nname: big\n" + body
        try big.write(toFile: dir + "/big.yaml", atomically: true, encoding: .utf8)
        #expect(ScenarioHeader.read(dir + "/big.yaml")?.name == "big.yaml")
        #expect(ScenarioHeader.read(dir + "/j.json")?.name == "json one")
        #expect(ScenarioHeader.read(dir + "/missing.yaml") == nil)
    }
}
