// libyaml, as Yams builds it (its C target); used here only to walk a file's events before Yams composes it.
import CYaml

/// Refuses a YAML text whose aliases expand to a huge tree (a "billion laughs" bomb): 300 bytes of
/// nested aliases can stand for 10⁸ nodes, and composing or hashing them (an alias as a mapping key)
/// takes minutes. Scenario files use anchors, if at all, for a few shared values.
enum AliasGuard {
    /// Nodes that aliases may add to the document, counting each alias as the whole tree it stands for.
    static let maximumAliasedNodes = 100_000

    /// The line and alias at which the expansion passes the limit, or nil for a text within it (or one
    /// libyaml cannot parse: Yams reports that with its own message).
    static func excessiveAlias(in text: String) -> (line: Int, alias: String)? {
        guard text.utf8.contains(UInt8(ascii: "*")) else { return nil }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBufferPointer { buffer -> (line: Int, alias: String)? in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            // Size of each anchored node's tree, aliases inside it expanded.
            var anchored: [String: Int] = [:]
            // Open collections: their anchor and the nodes counted in them so far.
            var open: [(anchor: String?, size: Int)] = []
            var aliased = 0
            func close(_ size: Int, anchor: String?) {
                if let anchor { anchored[anchor] = size }
                if !open.isEmpty { open[open.count - 1].size += size }
            }
            func name(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
                pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
            }
            while true {
                var event = yaml_event_t()
                guard yaml_parser_parse(&parser, &event) == 1 else { return nil }
                defer { yaml_event_delete(&event) }
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    close(1, anchor: name(event.data.scalar.anchor))
                case YAML_SEQUENCE_START_EVENT:
                    open.append((name(event.data.sequence_start.anchor), 1))
                case YAML_MAPPING_START_EVENT:
                    open.append((name(event.data.mapping_start.anchor), 1))
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    if let done = open.popLast() { close(done.size, anchor: done.anchor) }
                case YAML_ALIAS_EVENT:
                    let alias = name(event.data.alias.anchor) ?? ""
                    let size = anchored[alias] ?? 1
                    aliased += size
                    if aliased > maximumAliasedNodes { return (Int(event.start_mark.line) + 1, alias) }
                    close(size, anchor: nil)
                default:
                    break
                }
            }
        }
    }
}
