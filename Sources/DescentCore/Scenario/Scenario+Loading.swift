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
        let bytes = try RegularFile.bytes(of: path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw InputError(file: path, message: "cannot read the file as UTF-8 text")
        }
        return try decodeWithTree(yaml: text, file: path)
    }

    /// Decodes scenario text; `file` names it in errors.
    public static func decode(yaml: String, file: String? = nil) throws(InputError) -> Scenario {
        try decodeWithTree(yaml: yaml, file: file).scenario
    }

    static func decodeWithTree(yaml: String, file: String?) throws(InputError) -> (scenario: Scenario, tree: Node) {
        if let (line, count) = Self.longStartList(in: yaml) {
            throw InputError(file: file, field: "start", line: line, message:
                "has about \(count) numbers written in YAML; a start this long belongs in a file of its own: start: {file: theta.npy} (NumPy's np.save, or a text file of numbers)")
        }
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
            throw InputError(file: file, line: error.line, message: Self.yamlMessage(error, in: yaml))
        } catch {
            throw InputError(file: file, message: "not valid YAML: \(error)")
        }
        guard node.mapping != nil else {
            throw InputError(file: file, line: node.mark?.line,
                             message: "a scenario must be a mapping with name, objective, start and runs")
        }
        if let (path, key) = Self.firstNonTextKey(in: node) {
            let what = key.sequence != nil ? "a list" : "a mapping"
            throw InputError(file: file, field: path.isEmpty ? nil : path.fieldPath, line: key.mark?.line,
                             message: "a key must be plain text, got \(what)")
        }
        do {
            var userInfo: [CodingUserInfoKey: Any] = [:]
            var matrices: [String: [[Double]]] = [:]
            for (key, value) in node["objective"]?.mapping ?? [:] { if let name = key.string, let m = FastNumber.matrix(value) { matrices[name] = m } }
            if !matrices.isEmpty { userInfo[FastNumber.matrixKey] = matrices }
            if let start = node["start"].flatMap(FastNumber.vector) { userInfo[FastNumber.startKey] = start }
            if let given = node["start"]?.mapping {
                let line = node["start"]?.mark?.line
                guard given.count == 1, let path = given["file"]?.string, !path.isEmpty else {
                    throw InputError(file: file, field: "start", line: line, message: "is a list of numbers or {file: PATH} (a .npy or a text file of numbers)")
                }
                let folder = file.map(FilePaths.folder(of:)) ?? ""
                let resolved = path.hasPrefix("/") || folder.isEmpty ? path : FilePaths.join(folder, path)
                do { userInfo[FastNumber.startKey] = try VectorFile.read(resolved) } catch {
                    throw InputError(file: file, field: "start.file", line: line, message: "\(path)\(error.line.map { ":\($0)" } ?? ""): \(error.message)")
                }
                if (userInfo[FastNumber.startKey] as? [Double])?.isEmpty == true {
                    throw InputError(file: file, field: "start.file", line: line, message: "\(path): holds no numbers; a start needs at least one")
                }
                userInfo[FastNumber.startFileKey] = path
            }
            return (try YAMLDecoder().decode(Scenario.self, from: node, userInfo: userInfo), node)
        } catch let error as InputError {
            throw error
        } catch let error as DecodingError {
            throw InputError(decoding: error, in: node, file: file)
        } catch {
            throw InputError(file: file, message: "\(error)")
        }
    }
}

extension Scenario {
    /// The most numbers a start may have written in YAML: parsing YAML costs about a microsecond and a hundred
    /// bytes a number, so past this a file (`start: {file: …}`) is asked for instead.
    public static let maximumYAMLStart = 1_000_000

    /// The line of a `start:` and about how many numbers its list holds, when that is past `maximumYAMLStart`:
    /// counted before the YAML is parsed, so ten million numbers are refused in a moment rather than parsed for
    /// seconds. Every `start:` that begins a line is looked at (the commas of a flow list, the `-` items of a block
    /// one), and every `"start":`, `'start':`, `{start:` or `, start:` elsewhere (one-line JSON or a flow mapping:
    /// the commas of the flat list that follows). A guess that misses one makes a huge file slow, never wrong.
    static func longStartList(in text: String) -> (line: Int, count: Int)? {
        var text = text
        return text.withUTF8 { b -> (line: Int, count: Int)? in
            let n = b.count
            let key: [UInt8] = Array("start".utf8)
            var line = 1, lineStart = 0, i = 0
            while i < n {
                if b[i] == 10 { line += 1; lineStart = i + 1; i += 1; continue }
                guard b[i] == key[0], i + 6 <= n, (1..<5).allSatisfy({ b[i + $0] == key[$0] }) else { i += 1; continue }
                var colon = i + 5
                if colon < n, b[colon] == UInt8(ascii: "\"") || b[colon] == UInt8(ascii: "'") { colon += 1 }
                guard colon < n, b[colon] == UInt8(ascii: ":") else { i += 1; continue }
                var before = i - 1
                let quoted = colon > i + 5
                if quoted { before -= 1 }  // the key's opening quote
                if quoted && (before + 1 < lineStart || b[before + 1] != b[colon - 1]) { i += 1; continue }
                while before >= lineStart, b[before] == 32 || b[before] == 9 { before -= 1 }
                let count: Int?
                if !quoted && i == lineStart {
                    count = blockOrFlowCount(b, from: colon + 1)
                } else if quoted || (before >= lineStart && (b[before] == UInt8(ascii: "{") || b[before] == UInt8(ascii: ","))) {
                    count = flatListCount(b, from: colon + 1)
                } else {
                    count = nil
                }
                if let count, count > maximumYAMLStart { return (line, count) }
                i = colon + 1
            }
            return nil
        }
    }

    /// The items of the list after a `start:` that begins a line: its `-` items, or the commas of a flow list.
    private static func blockOrFlowCount(_ b: UnsafeBufferPointer<UInt8>, from: Int) -> Int {
        var commas = 0, items = 0, atLineStart = false
        for byte in b[from...] {
            if atLineStart, byte != 32, byte != 9, byte != 10, byte != 13, byte != UInt8(ascii: "-") { break }  // the next key
            if byte == UInt8(ascii: ",") { commas += 1 }
            if byte == UInt8(ascii: "-") && atLineStart { items += 1 }
            if byte == 10 { atLineStart = true } else if byte != 32 && byte != 9 { atLineStart = false }
        }
        return items > 0 ? items : commas + 1
    }

    /// The numbers of a flat `[…]` list after a key (its commas, up to its `]`); nil when no such list follows.
    private static func flatListCount(_ b: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        var i = from
        while i < b.count, b[i] == 32 || b[i] == 9 { i += 1 }
        guard i < b.count, b[i] == UInt8(ascii: "[") else { return nil }
        var commas = 0
        i += 1
        while i < b.count {
            switch b[i] {
            case UInt8(ascii: ","): commas += 1
            case UInt8(ascii: "]"): return commas + 1
            case UInt8(ascii: "["), UInt8(ascii: "{"): return nil  // not a flat list of numbers
            default: break
            }
            i += 1
        }
        return commas + 1
    }

    /// The first mapping key that is a list or a mapping (`? [a, b]`), with the path of its mapping: the
    /// decoder would pass over it silently, and no scenario key is one.
    static func firstNonTextKey(in root: Node) -> ([FieldPathComponent], Node)? {
        var stack: [(Node, [FieldPathComponent])] = [(root, [])]
        while let (node, path) = stack.popLast() {
            if let mapping = node.mapping {
                for (key, value) in mapping {
                    guard key.scalar != nil else { return (path, key) }
                    stack.append((value, path + [.key(key.string ?? "")]))
                }
            } else if let sequence = node.sequence {
                for (i, item) in sequence.enumerated() { stack.append((item, path + [.index(i)])) }
            }
        }
        return nil
    }

    /// libyaml's complaint in a scenario writer's words where it has a usual cause: a tab in the indentation
    /// (YAML indents with spaces), nesting past libyaml's limit.
    static func yamlMessage(_ error: YamlError, in text: String) -> String {
        let problem = error.problem
        if problem.contains("Maximum nesting level") {
            return "lists and mappings are nested more than 1000 deep here (libyaml's limit); a scenario needs a few levels"
        }
        if let line = error.line, line >= 1 {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            if line <= lines.count, lines[line - 1].prefix(while: { $0 == " " || $0 == "\t" }).contains("\t") {
                return "a tab indents this line; YAML indents with spaces only"
            }
        }
        return "not valid YAML: \(problem)"
    }
}

extension YamlError {
    /// The 1-based line of the problem, when libyaml gave one.
    var line: Int? {
        switch self {
        case let .scanner(_, _, mark, _), let .parser(_, _, mark, _), let .composer(_, _, mark, _): mark.line
        case let .duplicatedKeysInMapping(_, context): context.mark.line
        case let .reader(_, offset?, _, yaml): Self.lineAndColumn(ofByte: offset, in: yaml).line
        default: nil
        }
    }

    /// The 1-based line and column of a byte offset into the text (libyaml's reader counts bytes).
    static func lineAndColumn(ofByte offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for byte in text.utf8.prefix(max(0, offset)) {
            if byte == UInt8(ascii: "\n") { line += 1; column = 1 } else if byte & 0xC0 != 0x80 { column += 1 }
        }
        return (line, column)
    }

    /// libyaml's problem, on one line.
    var problem: String {
        switch self {
        case let .scanner(context, problem, _, _), let .parser(context, problem, _, _), let .composer(context, problem, _, _):
            [context?.text, problem].compactMap { $0 }.joined(separator: " ")
        case let .duplicatedKeysInMapping(duplicates, _): "duplicated key \(duplicates.joined(separator: ", "))"
        case let .reader(problem, offset, value, yaml):
            // libyaml gives the offending character (−1 when it has none to give) and its byte offset.
            (value >= 0 ? "\(problem) (U+\(String(format: "%04X", value)))" : problem)
                + (offset.map { " at column \(Self.lineAndColumn(ofByte: $0, in: yaml).column)" } ?? "")
        case .dataCouldNotBeDecoded: "the file is not UTF-8 text"
        default:
            // Yams' own text puts the position first and may end on a colon; the line is reported in front.
            ("\(self)".split(separator: "\n").first.map(String.init) ?? "\(self)").trimmingCharacters(in: CharacterSet(charactersIn: ": "))
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

    /// The node at this path, if present.
    func node(in root: Node) -> Node? {
        var node = root
        for component in self {
            switch component {
            case .key(let key):
                guard let pair = node.mapping?.first(where: { $0.key.string == key }) else { return nil }
                node = pair.value
            case .index(let i):
                guard let sequence = node.sequence, sequence.indices.contains(i) else { return nil }
                node = sequence[i]
            }
        }
        return node
    }

    /// What a scenario wants at this path, in words, when the decoder can only say which kind of node it
    /// expected (a single value, a list): `start[0]` wants a number, `runs[0].label` text, `A[1]` a list.
    func expected(_ nodeKind: String) -> String? {
        let last = self.last, parent = dropLast().last
        // The scenario's own keys; a hyperparameter's or an objective's value is as its table says.
        let text: Set<String> = ["name", "description", "label", "kind", "run", "faster", "than", "say", "question", "hide", "reveal", "choices", "arrows"]
        let flags: Set<String> = ["diverges"]
        let whole: Set<String> = ["steps", "seed", "batch_size", "samples", "step_size", "t_max", "step", "milestones", "at"]
        let objectiveKeys = ObjectiveRegistry.kinds.flatMap { $0.keys }
        let listsOfLists = Set(objectiveKeys.filter { $0.type == .matrix || $0.type == .points }.map(\.name))
        let scalarTypes: Set<ObjectiveValue.Kind> = [.number, .text, .path, .count, .seed]
        func named(_ key: String?) -> String? {
            guard let key else { return nil }
            if let field = HyperparameterField(rawValue: key) {
                switch field.type {
                case .number: return "a number"
                case .flag: return "true or false"
                case .choice(let names): return names.joined(separator: " or ")
                }
            }
            if let objectiveKey = objectiveKeys.first(where: { $0.name == key && scalarTypes.contains($0.type) }) {
                return objectiveKey.type.expected
            }
            // An entry of a list of names (`variables[1]`) is text.
            if objectiveKeys.contains(where: { $0.name == key && $0.type == .names }) { return "text" }
            if text.contains(key) { return "text" }
            if flags.contains(key) { return "true or false" }
            if whole.contains(key) { return "a whole number" }
            return "a number"
        }
        switch (nodeKind, last) {
        case ("Scalar", .key(let key)?): return named(key)
        case ("Scalar", .index?):
            if case .key(let key)? = parent { return named(key) }
            return "a number"  // an entry of A or minima
        case ("Sequence", .key(let key)?):
            switch key {
            case _ where listsOfLists.contains(key): return "a list of lists of numbers"
            case "runs": return "a list of runs"
            case "expect": return "a list of checks"
            case "events": return "a list of events"
            case "lesson": return "a list of beats"
            case "hide", "reveal", "arrows": return "a list of run labels"
            case "choices": return "a list of choices (text)"
            case _ where objectiveKeys.contains { $0.name == key && $0.type == .names }: return "a list of names"
            case "milestones": return "a list of whole numbers"
            default: return "a list of numbers"
            }
        case ("Sequence", .index?): return "a list of numbers"
        default: return nil
        }
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
            // Yams names the kind of node it wanted (Scalar, Sequence); the path says what the scenario wants there.
            let wanted = path.expected("\(type)") ?? describe(type)
            let found: String = switch path.node(in: root) {
            case .sequence?: "a list"
            case .mapping?: "a mapping"
            case .scalar(let scalar)?: "'\(scalar.string)'"
            default: ""
            }
            message = "expected \(wanted)" + (found.isEmpty ? "" : ", found \(found)")
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

extension Scenario {
    /// The 1-based line of `field` (`lesson[2].say`) in the scenario file at `path`, read again: for an error
    /// found after loading, while playing the file.
    public static func line(of field: String, inFile path: String) -> Int? {
        guard let bytes = try? RegularFile.bytes(of: path), let text = String(validating: bytes, as: UTF8.self),
              let node = try? Yams.compose(yaml: text) else { return nil }
        return [FieldPathComponent](fieldPath: field).line(in: node)
    }
}
