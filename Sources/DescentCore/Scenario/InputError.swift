/// Bad input from the user: one line naming the file and the field or line.
public struct InputError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String?
    /// A field path in the scenario, like `runs[1].lr`.
    public var field: String?
    /// A 1-based line in the file.
    public var line: Int?
    public var message: String

    public init(file: String? = nil, field: String? = nil, line: Int? = nil, message: String) {
        self.file = file; self.field = field; self.line = line; self.message = message
    }

    /// `FILE:LINE: field: message`, leaving out what is unknown.
    public var description: String {
        var head = file ?? ""
        if let line { head += head.isEmpty ? "line \(line)" : ":\(line)" }
        var parts: [String] = head.isEmpty ? [] : [head]
        if let field, !field.isEmpty { parts.append(field) }
        parts.append(message)
        // User text (a label, a key, a path) is quoted in messages; whatever it holds, the error stays one line.
        return parts.joined(separator: ": ").escapingControlCharacters
    }

    /// The same error reported as coming from `file` (when it has none yet).
    func inFile(_ file: String?) -> InputError {
        var copy = self
        if copy.file == nil { copy.file = file }
        return copy
    }
}
