import DescentCore
import DescentFuzzing
import Foundation
import Testing

/// Every input that ever crashed or hung a fuzz target, replayed; and seeded mutations of the project's own
/// files through the same targets (no sanitizer needed: a crash here is a crash of the test run).
@Suite struct FuzzReplayTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let crashes = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Crashes")

    static func files(_ folder: URL, _ suffixes: [String]) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { name in suffixes.isEmpty ? !name.hasPrefix(".") : suffixes.contains(where: name.hasSuffix) }.sorted()
            .map { folder.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everyInputThatEverFailedRunsClean(target: FuzzTarget) throws {
        let inputs = Self.files(Self.crashes.appendingPathComponent(target.rawValue), [])
        // Each target keeps the reproducers of what was found against it (issue 18's at least): an empty
        // folder would make this test pass while replaying nothing.
        #expect(!inputs.isEmpty, "no inputs to replay for \(target.rawValue)")
        for file in inputs {
            target.run(Array(try Data(contentsOf: file)))
        }
    }

    /// The seeds: the scenarios and fixtures, their data files, their formulas.
    static var scenarioSeeds: [[UInt8]] {
        let folders = ["Scenarios", "Scenarios/lessons", "Tests/DescentCoreTests/Fixtures/golden", "Tests/DescentCoreTests/Fixtures/golden-schedules",
                       "Tests/DescentCoreTests/Fixtures/golden-expressions"].map { root.appendingPathComponent($0) }
        return folders.flatMap { files($0, [".yaml"]) }.compactMap { try? Array(Data(contentsOf: $0)) }
    }

    static var csvSeeds: [[UInt8]] {
        files(root.appendingPathComponent("Scenarios/data"), [".csv"]).compactMap { try? Array(Data(contentsOf: $0).prefix(4000)) }
    }

    static var formulaSeeds: [[UInt8]] {
        let shipped: [String] = scenarioSeeds.compactMap { bytes in
            try? Scenario.decode(yaml: String(decoding: bytes, as: UTF8.self)).objective.text("f")
        }
        let typed = ["sin(x)*cos(y) + 0.1*(x^2 + y^2)", "-x^2 + 2^3^2", "max(x, min(y, 1)) / abs(x - y)", "log1p(exp(-x)) + sqrt(x^2 + 1e-9)"]
        return (shipped + typed).map { [1] + Array($0.utf8) }
    }

    /// Byte-level mutations as libFuzzer makes them: flip, replace, insert, delete, duplicate a span, splice
    /// another seed in.
    static func mutate(_ seed: [UInt8], _ others: [[UInt8]], _ g: inout SeededGenerator) -> [UInt8] {
        var bytes = seed
        for _ in 0..<Int.random(in: 1...6, using: &g) {
            let at = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &g)
            switch Int.random(in: 0..<7, using: &g) {
            case 0 where !bytes.isEmpty: bytes[at] ^= UInt8(1) << UInt8.random(in: 0...7, using: &g)
            case 1 where !bytes.isEmpty: bytes[at] = Array("0123456789-.e:[]{},\n\" #&*!|>'\t\\".utf8).randomElement(using: &g)!
            case 2: bytes.insert(UInt8.random(in: 0...255, using: &g), at: at)
            case 3 where !bytes.isEmpty: bytes.removeSubrange(at..<min(bytes.count, at + Int.random(in: 1...8, using: &g)))
            case 4 where !bytes.isEmpty:
                let span = bytes[at..<min(bytes.count, at + Int.random(in: 1...40, using: &g))]
                bytes.insert(contentsOf: span, at: Int.random(in: 0...bytes.count, using: &g))
            case 5:
                let other = others.randomElement(using: &g) ?? []
                guard !other.isEmpty else { continue }
                let from = Int.random(in: 0..<other.count, using: &g)
                bytes.insert(contentsOf: other[from..<min(other.count, from + Int.random(in: 1...60, using: &g))], at: at)
            default:
                // A number made extreme: where digits start, write one of the values that break things.
                let extreme = ["1e308", "-1e308", "1e-320", "0", "-0", "nan", ".inf", "9999999999999999999", "1e400"].randomElement(using: &g)!
                bytes.insert(contentsOf: Array(extreme.utf8), at: at)
            }
        }
        return bytes
    }

    static func mutations(of seeds: [[UInt8]], count: Int, seed: UInt64) -> [[UInt8]] {
        var g = SeededGenerator(seed: seed)
        return (0..<count).map { _ in mutate(seeds.randomElement(using: &g)!, seeds, &g) }
    }

    @Test func mutatedScenariosNeverCrash() {
        let seeds = Self.scenarioSeeds
        #expect(seeds.count >= 30)
        for input in Self.mutations(of: seeds, count: 2000, seed: 1) { FuzzTarget.scenario.run(input) }
    }

    /// The shipped lessons (and mutations of them) opened in the explorer and driven by random keys, ticks
    /// and resizes: the lesson keys (`] [ g b k A h V E !`) among them.
    @Test func lessonsInTheExplorerNeverCrash() {
        let lessons = Self.files(Self.root.appendingPathComponent("Scenarios/lessons"), [".yaml"]).compactMap { try? Array(Data(contentsOf: $0)) }
        #expect(lessons.count >= 4)
        var g = SeededGenerator(seed: 20)
        let keys = Array("]][gbkAhVE!0123456789tm".utf8)
        for round in 0..<48 {
            var file = lessons[round % lessons.count]
            if round % 3 == 2 { file = Self.mutations(of: [file], count: 1, seed: UInt64(round))[0].filter { $0 != 0 } }
            var input: [UInt8] = [UInt8.random(in: 60...200, using: &g), UInt8.random(in: 20...60, using: &g), UInt8.random(in: 0...7, using: &g), 2]
            input += file + [0]
            for _ in 0..<40 {
                switch Int.random(in: 0..<10, using: &g) {
                case 0..<6: input += [0, keys.randomElement(using: &g)! - 32]   // a character key (32 + b % 95)
                case 6, 7: input += [4, UInt8.random(in: 0...255, using: &g)]   // a named key (arrows, enter, esc, …)
                case 8: input += [5]                                            // a tick
                default: input += [6, UInt8.random(in: 0...255, using: &g), UInt8.random(in: 0...255, using: &g)]
                }
            }
            FuzzTarget.explorer.run(input)
        }
    }

    @Test func mutatedDataNeverCrashes() {
        let seeds = Self.csvSeeds
        #expect(seeds.count >= 2)
        for input in Self.mutations(of: seeds, count: 1000, seed: 2) { FuzzTarget.csv.run(input) }
    }

    @Test func mutatedFormulasNeverCrash() {
        let seeds = Self.formulaSeeds
        #expect(seeds.count >= 8)
        for input in Self.mutations(of: seeds, count: 2000, seed: 3) { FuzzTarget.formula.run(input) }
    }

    /// Files that change while they are read: shrunk, grown, replaced at random points.
    @Test func changingFilesNeverCrash() {
        let seeds = Self.csvSeeds.map { [0, 16] + $0 } + Self.scenarioSeeds.prefix(6).map { [1, 16] + $0 }
        for input in Self.mutations(of: seeds, count: 600, seed: 5) { FuzzTarget.changingFile.run(input) }
    }

    /// Paths and numbers, in a folder with a file of every kind.
    @Test func pathsAndNumbersNeverCrash() {
        let seeds = ["s.yaml", "d.csv", "dir", "fifo", "link", "dangling", "null", "missing/x.svg", "s", "dir/", "1e-4:1e-2:log:60", "3/8", "0x10"]
            .map { Array($0.utf8) }
        for input in Self.mutations(of: seeds, count: 1500, seed: 6) { FuzzTarget.pathsAndNumbers.run(input) }
    }

    /// Random sessions: keys, ticks, resizes (down to 1×1) and clicks, with a render after each message.
    @Test func randomSessionsNeverCrash() {
        var g = SeededGenerator(seed: 4)
        for _ in 0..<150 {
            FuzzTarget.explorer.run((0..<Int.random(in: 4...300, using: &g)).map { _ in UInt8.random(in: 0...255, using: &g) })
        }
    }
}
