import Yams

/// A scenario file's `name` and `description`, read from its first bytes only: what a list of files
/// shows without decoding each one (a 1000 × 1000 matrix, or 53 files, once held the explorer's first frame
/// for seconds).
///
/// The head is scanned line by line for the top-level keys as scenario files write them: a plain or
/// quoted scalar on the key's line, or a folded (`>`) or literal (`|`) block under it. A file whose head
/// names no scenario (JSON, a key order the scan does not find) is decoded whole when it is small.
public struct ScenarioHeader: Equatable, Sendable {
    public var name: String
    public var description: String?

    /// Bytes read from each file's start.
    public static let headBytes = 16 * 1024
    /// A file whose head does not give its name is decoded whole only below this size.
    public static let wholeFileBytes = 256 * 1024

    /// The header of the file at `path`, or nil when it is not a scenario (or cannot be read). A large file
    /// whose head does not say is listed by its file name, to be read when opened.
    public static func read(_ path: String) -> ScenarioHeader? {
        guard let head = try? RegularFile.prefix(of: path, bytes: headBytes) else { return nil }
        let whole = head.wholeSize <= head.bytes.count
        if let header = scan(String(decoding: head.bytes, as: UTF8.self), whole: whole) { return header }
        if head.wholeSize > wholeFileBytes {
            return ScenarioHeader(name: FilePaths.name(of: path), description: "A large file (\(head.wholeSize / 1_000_000) MB), read when opened.")
        }
        guard let scenario = try? Scenario.load(contentsOf: path) else { return nil }
        return ScenarioHeader(name: scenario.name, description: scenario.description)
    }

    /// The name and description of YAML text from its top-level `name:` and `description:` entries (each
    /// with the lines indented under it), decoded by the YAML reader itself, so quotes, escapes, comments,
    /// anchors and folded blocks read as in the file. Nil when the head is not a scenario's: no `objective:`,
    /// or, for a whole file, no `start:` or `runs:` either.
    static func scan(_ text: String, whole: Bool) -> ScenarioHeader? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        func has(_ key: String) -> Bool { lines.contains { $0.hasPrefix(key + ":") } }
        guard has("name"), has("objective"), !whole || (has("start") && has("runs")) else { return nil }
        func entry(_ key: String) -> String? {
            guard let at = lines.firstIndex(where: { $0.hasPrefix(key + ":") }) else { return nil }
            let rest = lines[(at + 1)...].prefix { $0.isEmpty || $0.first == " " || $0.first == "\t" }
            // A block cut by the head's end is not its whole: the file is read when opened.
            if !whole && at + 1 + rest.count >= lines.count { return nil }
            return ([lines[at]] + rest).joined(separator: "\n")
        }
        guard let nameEntry = entry("name") else { return nil }
        let snippet = nameEntry + "\n" + (entry("description") ?? "") + "\n"
        guard let mapping = (try? Yams.load(yaml: snippet)) as? [String: Any], let name = mapping["name"].map({ "\($0)" }) else { return nil }
        return ScenarioHeader(name: name, description: mapping["description"].map { "\($0)" })
    }
}
