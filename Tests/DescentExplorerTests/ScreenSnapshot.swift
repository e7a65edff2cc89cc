import Foundation
import Testing

/// Compares a rendered screen (its `styledText`: text, styles and their legend) with `Screens/NAME.txt`.
///
/// Set `DESCENT_RECORD_SCREENS=1` to re-record: the file is rewritten and the test fails,
/// so a recording is never silently accepted.
func assertScreen(_ text: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Screens")
    let file = directory.appendingPathComponent(name + ".txt")
    let recording = ProcessInfo.processInfo.environment["DESCENT_RECORD_SCREENS"].map { !$0.isEmpty } ?? false
    let existing = try? String(contentsOf: file, encoding: .utf8)
    if recording || existing == nil {
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try? text.write(to: file, atomically: true, encoding: .utf8)
        Issue.record("recorded \(file.path); check it by eye and run again without DESCENT_RECORD_SCREENS",
                     sourceLocation: sourceLocation)
        return
    }
    if existing != text {
        let got = text.split(separator: "\n", omittingEmptySubsequences: false)
        let want = existing!.split(separator: "\n", omittingEmptySubsequences: false)
        let firstDifference = zip(got, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(got.count, want.count)
        Issue.record("""
            screen \(name) differs from \(file.lastPathComponent) at line \(firstDifference + 1):
            got:  \(firstDifference < got.count ? String(got[firstDifference]) : "<none>")
            want: \(firstDifference < want.count ? String(want[firstDifference]) : "<none>")
            (DESCENT_RECORD_SCREENS=1 re-records)
            """, sourceLocation: sourceLocation)
    }
}
