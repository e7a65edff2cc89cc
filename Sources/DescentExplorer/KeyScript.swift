/// Keys written as text, for `descent snapshot --keys` and tests: characters stand for themselves,
/// and `<space> <tab> <backtab> <up> <down> <left> <right> <enter> <esc> <bs> <tick> <lt>` for the rest.
public enum KeyScript {
    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    static let named: [String: Message] = [
        "space": .key(.character(" ")), "tab": .key(.tab), "backtab": .key(.backTab), "s-tab": .key(.backTab),
        "up": .key(.up), "down": .key(.down), "left": .key(.left), "right": .key(.right),
        "enter": .key(.enter), "esc": .key(.escape), "bs": .key(.backspace), "tick": .tick, "lt": .key(.character("<")),
    ]

    public static func parse(_ script: String) throws(ParseError) -> [Message] {
        var messages: [Message] = []
        var rest = Substring(script)
        while let c = rest.first {
            if c == "<", let close = rest.firstIndex(of: ">") {
                let name = String(rest[rest.index(after: rest.startIndex)..<close]).lowercased()
                guard let message = named[name] else {
                    throw ParseError(description: "unknown key <\(name)> (known: \(named.keys.sorted().map { "<\($0)>" }.joined(separator: " ")))")
                }
                messages.append(message)
                rest = rest[rest.index(after: close)...]
            } else {
                messages.append(.key(c == "\n" ? .enter : .character(c)))
                rest = rest.dropFirst()
            }
        }
        return messages
    }
}
