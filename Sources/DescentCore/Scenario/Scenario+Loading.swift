import Foundation
import Yams

extension Scenario {
    /// Reads and decodes a scenario file (YAML; JSON is YAML too).
    ///
    /// - Throws: `InputError` with the file, the line where known, and the field path (`runs[1].lr`).
    public static func load(contentsOf path: String) throws(InputError) -> Scenario {
        try loadWithTree(contentsOf: path).scenario
    }

    /// Reads a scenario and keeps its YAML tree, so later errors can name a line.
    static func loadWithTree(contentsOf path: String) throws(InputError) -> (scenario: Scenario, tree: Node) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw InputError(file: path, message: "no such file")
        }
        guard !isDirectory.boolValue else { throw InputError(file: path, message: "is a directory, not a scenario file") }
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw InputError(file: path, message: "cannot read the file as UTF-8 text")
        }
        return try decodeWithTree(yaml: text, file: path)
    }

    /// Decodes scenario text; `file` names it in errors.
    public static func decode(yaml: String, file: String? = nil) throws(InputError) -> Scenario {
        try decodeWithTree(yaml: yaml, file: file).scenario
    }

    static func decodeWithTree(yaml: String, file: String?) throws(InputError) -> (scenario: Scenario, tree: Node) {
        if let (line, alias) = AliasGuard.excessiveAlias(in: yaml) {
            throw InputError(file: file, line: line, message: "the alias *\(alias) brings the aliases' expansion past \(AliasGuard.maximumAliasedNodes) nodes; a scenario may not ask for that much (a YAML alias bomb?)")
        }
        let node: Node
        do {
            guard let composed = try Yams.compose(yaml: yaml) else {
                throw InputError(file: file, message: "the file is empty; a scenario needs name, objective, start and runs")
            }
            node = composed
        } catch let error as InputError {
            throw error
        } catch let error as YamlError {
            throw InputError(file: file, line: error.line, message: "not valid YAML: \(error.problem)")
        } catch {
            throw InputError(file: file, message: "not valid YAML: \(error)")
        }
        guard node.mapping != nil else {
            throw InputError(file: file, line: node.mark?.line,
                             message: "a scenario must be a mapping with name, objective, start and runs")
        }
        do {
            var userInfo: [CodingUserInfoKey: Any] = [:]
            if let matrix = node["objective"]?["A"].flatMap(FastNumber.matrix) { userInfo[FastNumber.matrixKey] = matrix }
            if let start = node["start"].flatMap(FastNumber.vector) { userInfo[FastNumber.startKey] = start }
            return (try YAMLDecoder().decode(Scenario.self, from: node, userInfo: userInfo), node)
        } catch let error as DecodingError {
            throw InputError(decoding: error, in: node, file: file)
        } catch {
            throw InputError(file: file, message: "\(error)")
        }
    }
}

extension YamlError {
    /// The 1-based line of the problem, when libyaml gave one.
    var line: Int? {
        switch self {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _): mark.line
        case let .duplicatedKeysInMapping(_, context): context.mark.line
        default: nil
        }
    }

    /// libyaml's problem, on one line.
    var problem: String {
        switch self {
        case let .scanner(context, problem, _, _), let .parser(context, problem, _, _), let .composer(context, problem, _, _):
            [context?.text, problem].compactMap { $0 }.joined(separator: " ")
        case let .duplicatedKeysInMapping(duplicates, _): "duplicated key \(duplicates.joined(separator: ", "))"
        default: "\(self)".split(separator: "\n").first.map(String.init) ?? "\(self)"
        }
    }
}

/// A step into a scenario's tree: a mapping key or a list index.
public enum FieldPathComponent: Equatable, Sendable {
    case key(String)
    case index(Int)
}

extension Array where Element == FieldPathComponent {
    /// `runs[1].lr`.
    public var fieldPath: String {
        var text = ""
        for component in self {
            switch component {
            case .key(let key): text += text.isEmpty ? key : ".\(key)"
            case .index(let i): text += "[\(i)]"
            }
        }
        return text
    }

    /// Parses `runs[1].lr` back into its components.
    init(fieldPath: String) {
        self = []
        for part in fieldPath.split(separator: ".") {
            var rest = Substring(part)
            if let bracket = rest.firstIndex(of: "[") {
                if bracket > rest.startIndex { append(.key(String(rest[..<bracket]))) }
                rest = rest[bracket...]
                while rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                    if let index = Int(rest[rest.index(after: rest.startIndex)..<close]) { append(.index(index)) }
                    rest = rest[rest.index(after: close)...]
                }
            } else {
                append(.key(String(rest)))
            }
        }
    }

    init(codingPath: [any CodingKey]) {
        self = codingPath.map { key in key.intValue.map(FieldPathComponent.index) ?? .key(key.stringValue) }
    }

    /// The 1-based line of the node at this path (of the key itself when it is a mapping key), if present.
    func line(in root: Node) -> Int? {
        var node = root
        var line = root.mark?.line
        for component in self {
            switch component {
            case .key(let key):
                guard let pair = node.mapping?.first(where: { $0.key.string == key }) else { return line }
                node = pair.value
                line = pair.key.mark?.line ?? line
            case .index(let i):
                guard let sequence = node.sequence, sequence.indices.contains(i) else { return line }
                node = sequence[i]
                line = node.mark?.line ?? line
            }
        }
        return line
    }
}

extension InputError {
    /// Turns a Codable error into one line naming the field and its line.
    init(decoding error: DecodingError, in root: Node, file: String?) {
        func describe(_ type: Any.Type) -> String {
            switch type {
            case is Double.Type: "a number"
            case is Int.Type, is UInt64.Type: "a whole number"
            case is String.Type: "text"
            case is Bool.Type: "true or false"
            case is UpdateRule.Type: "sgd or sign"
            default:
                "\(type)".contains("Sequence") || "\(type)".hasPrefix("Array") ? "a list"
                    : "\(type)".contains("Mapping") || "\(type)".contains("Dictionary") ? "a mapping" : "a value of another type"
            }
        }
        let path: [FieldPathComponent]
        let message: String
        switch error {
        case let .keyNotFound(key, context):
            path = .init(codingPath: context.codingPath + [key])
            message = "is required but missing"
        case let .typeMismatch(type, context):
            path = .init(codingPath: context.codingPath)
            message = "expected \(describe(type))"
        case let .valueNotFound(type, context):
            path = .init(codingPath: context.codingPath)
            message = "expected \(describe(type)), found nothing"
        case let .dataCorrupted(context):
            path = .init(codingPath: context.codingPath)
            let text = context.debugDescription
            message = text.contains("UpdateRule") ? "must be sgd or sign"
                : text.contains("MomentumConvention") ? "must be pytorch or sutskever"
                : text.hasPrefix("Cannot initialize") ? "has an invalid value" : text
        @unknown default:
            path = []
            message = "\(error)"
        }
        self.init(file: file, field: path.fieldPath, line: path.line(in: root), message: message)
    }
}
