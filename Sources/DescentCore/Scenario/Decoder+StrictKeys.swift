/// A coding key for any string, used to list the keys a mapping really has.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { self.stringValue = "\(intValue)"; self.intValue = intValue }
}

extension Decoder {
    /// Throws for the first key not in `allowed`, so a typo is never silently ignored.
    func rejectUnknownKeys(_ allowed: [String]) throws {
        let container = try self.container(keyedBy: AnyCodingKey.self)
        for key in container.allKeys where !allowed.contains(key.stringValue) {
            let list = allowed.joined(separator: ", ")
            throw DecodingError.dataCorrupted(.init(
                codingPath: codingPath + [key],
                debugDescription: "unknown key '\(key.stringValue)' (expected one of: \(list))"))
        }
    }

    func rejectUnknownKeys<K: CodingKey & CaseIterable>(_ keys: K.Type) throws {
        try rejectUnknownKeys(keys.allCases.map(\.stringValue))
    }
}
