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

    /// The header of the file at `path`, or nil when it is not a scenario (or cannot be read).
    public static func read(_ path: String) -> ScenarioHeader? {
        guard let head = try? RegularFile.prefix(of: path, bytes: headBytes) else { return nil }
        if let header = scan(String(decoding: head.bytes, as: UTF8.self)) { return header }
        guard head.wholeSize <= wholeFileBytes, let scenario = try? Scenario.load(contentsOf: path) else { return nil }
        return ScenarioHeader(name: scenario.name, description: scenario.description)
    }

    /// The name and description of YAML text, from its top-level `name:` and `description:` lines.
    static func scan(_ text: String) -> ScenarioHeader? {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        func value(of key: String) -> String? {
            guard let at = lines.firstIndex(where: { $0.hasPrefix(key + ":") }) else { return nil }
            let rest = lines[at].dropFirst(key.count + 1).trimmingCharacters(in: .whitespaces)
            if rest.hasPrefix(">") || rest.hasPrefix("|") {
                let block = lines[(at + 1)...].prefix { $0.isEmpty || $0.first == " " }
                let parts = block.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                return parts.joined(separator: rest.hasPrefix(">") ? " " : "\n")
            }
            if rest.count >= 2, let quote = rest.first, quote == "\"" || quote == "'", rest.last == quote {
                let inner = String(rest.dropFirst().dropLast())
                return quote == "'" ? inner.replacingOccurrences(of: "''", with: "'") : inner.replacingOccurrences(of: "\\\"", with: "\"")
            }
            // A comment after a plain scalar is not part of it.
            if let hash = rest.range(of: " #") { return String(rest[..<hash.lowerBound]) }
            return rest.isEmpty ? nil : rest
        }
        guard let name = value(of: "name"), lines.contains(where: { $0.hasPrefix("objective:") || $0.hasPrefix("runs:") }) else { return nil }
        return ScenarioHeader(name: name, description: value(of: "description"))
    }
}
