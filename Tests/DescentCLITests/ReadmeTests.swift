import DescentExplorer
import Foundation
import Testing

/// README is the user's manual: every command it shows with its output (`$ descent …` in a code block)
/// prints exactly that today, and its key table is the keymap's. `DESCENT_RECORD_README=1 swift test`
/// rewrites README from the commands and the keymap, and fails, so a re-recording is looked at.
@Suite struct ReadmeTests {
    static let path = Binary.projectRoot + "/README.md"
    static var recording: Bool { ProcessInfo.processInfo.environment["DESCENT_RECORD_README"].map { !$0.isEmpty } ?? false }

    /// A command in README and the lines shown under it, as line indices into README.
    struct Shown {
        var command: String
        var output: Range<Int>
    }

    /// The `$ descent …` commands in code blocks whose output can be checked here: their files exist, they
    /// write nothing (no `-o`, no redirection) and they are not timings.
    static func shownCommands(_ lines: [String]) -> [Shown] {
        var shown: [Shown] = []
        var inBlock = false, current: (command: String, start: Int)?
        func close(at end: Int) {
            if let c = current { shown.append(Shown(command: c.command, output: c.start..<end)) }
            current = nil
        }
        for (i, line) in lines.enumerated() {
            if line.hasPrefix("```") {
                if inBlock { close(at: i) }
                inBlock.toggle()
                continue
            }
            guard inBlock, line.hasPrefix("$ ") else { continue }
            close(at: i)
            current = (String(line.dropFirst(2)), i + 1)
        }
        return shown.filter { s in
            let words = s.command.split(separator: " ").map(String.init)
            guard let at = words.firstIndex(of: "descent"), at + 1 < words.count else { return false }
            if ["bench", "plot"].contains(words[at + 1]) || s.command.range(of: #"(^|\s)\d?>"#, options: .regularExpression) != nil || s.command.contains(" -o ") || s.command.contains(" --out ") { return false }
            // A file the command names must be in the project (README's bad-input examples name files it shows elsewhere).
            return words.filter { $0.hasSuffix(".yaml") }.allSatisfy { FileManager.default.fileExists(atPath: Binary.projectRoot + "/" + $0) }
        }
    }

    static func normalized(_ lines: some Sequence<some StringProtocol>) -> [String] {
        var out = lines.map { String($0).replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
        while out.last?.isEmpty == true { out.removeLast() }
        return out
    }

    @Test func everyShownCommandPrintsWhatREADMEShows() throws {
        var lines = try String(contentsOfFile: Self.path, encoding: .utf8).components(separatedBy: "\n")
        let shown = Self.shownCommands(lines)
        #expect(shown.count >= 15, "README's commands were not found")
        var replacements: [(Range<Int>, [String])] = []
        for s in shown {
            let script = s.command.replacingOccurrences(of: "descent ", with: "'\(Binary.path)' ", options: .anchored)
                .replacingOccurrences(of: "LANG=C descent ", with: "LANG=C LC_ALL=C '\(Binary.path)' ")
            let result = try Binary.shell(script + " 2>&1")
            let got = Self.normalized(result.stdout.split(separator: "\n", omittingEmptySubsequences: false))
            let want = Self.normalized(lines[s.output])
            if got != want {
                if Self.recording { replacements.append((s.output, got)) } else {
                    let first = (0..<min(got.count, want.count)).first { got[$0] != want[$0] } ?? min(got.count, want.count)
                    Issue.record("README's `\(s.command)` differs at its line \(first + 1):\n  printed: \(first < got.count ? got[first] : "(nothing)")\n  README:  \(first < want.count ? want[first] : "(nothing)")\n(DESCENT_RECORD_README=1 re-records)")
                }
            }
        }
        let table = try #require(Self.keyTable(lines), "README has no key table between <!-- keymap --> and <!-- /keymap -->")
        let keymap = Keymap.readmeTable.split(separator: "\n").map(String.init)
        if Array(lines[table]) != keymap {
            if Self.recording { replacements.append((table, keymap)) } else {
                Issue.record("README's key table is not the keymap's (DESCENT_RECORD_README=1 re-records)")
            }
        }
        if Self.recording && !replacements.isEmpty {
            for (range, new) in replacements.sorted(by: { $0.0.lowerBound > $1.0.lowerBound }) { lines.replaceSubrange(range, with: new) }
            try lines.joined(separator: "\n").write(toFile: Self.path, atomically: true, encoding: .utf8)
            Issue.record("re-recorded \(replacements.count) parts of README; read them, then run again without DESCENT_RECORD_README")
        }
    }

    /// The lines between the keymap markers.
    static func keyTable(_ lines: [String]) -> Range<Int>? {
        guard let start = lines.firstIndex(of: "<!-- keymap -->"), let end = lines.firstIndex(of: "<!-- /keymap -->"), start < end else { return nil }
        return (start + 1)..<end
    }

    /// README shows the help screen, as the issue that made the keymap asked.
    @Test func readmeShowsTheHelpScreen() throws {
        let lines = try String(contentsOfFile: Self.path, encoding: .utf8).components(separatedBy: "\n")
        #expect(Self.shownCommands(lines).contains { $0.command == "descent snapshot --size 80x24 --keys \"?\"" })
    }
}
