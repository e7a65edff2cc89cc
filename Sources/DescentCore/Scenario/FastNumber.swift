import Yams

/// A number in a scenario file, read by `DecimalParser` when it is a plain decimal, as nearly all are.
///
/// Yams builds a Double by trying YAML 1.1's forms (`1_000`, `1:30`) with string replacements first,
/// which made a 1000 × 1000 matrix take seconds. Anything the fast path does not take goes to Yams,
/// so the values accepted and the messages for bad ones are Yams's own.
struct FastNumber: Decodable {
    let value: Double

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let text = try? c.decode(String.self),
           let parsed = text.utf8.withContiguousStorageIfAvailable(DecimalParser.parse) ?? nil {
            value = parsed
        } else {
            value = try c.decode(Double.self)
        }
    }
}

extension FastNumber {
    /// Where `Scenario` decoding leaves the objective's matrices (by key) read straight from the YAML tree.
    static let matrixKey = CodingUserInfoKey(rawValue: "descent.objective.matrices")!
    /// Where it leaves the scenario's start, read the same way.
    static let startKey = CodingUserInfoKey(rawValue: "descent.start")!
    /// The path of `start: {file: PATH}`, as the file gives it.
    static let startFileKey = CodingUserInfoKey(rawValue: "descent.start.file")!

    /// A list of lists of plain decimal scalars, read without the decoder (whose bookkeeping per
    /// element dominated loading a 1000 × 1000 matrix); nil for anything else, which then goes
    /// through the decoder and its messages.
    static func matrix(_ node: Node) -> [[Double]]? {
        guard let rows = node.sequence else { return nil }
        var matrix: [[Double]] = []
        matrix.reserveCapacity(rows.count)
        for row in rows {
            guard let values = vector(row) else { return nil }
            matrix.append(values)
        }
        return matrix
    }

    /// A list of plain decimal scalars, read the same way; nil for anything else.
    static func vector(_ node: Node) -> [Double]? {
        guard let cells = node.sequence else { return nil }
        var values: [Double] = []
        values.reserveCapacity(cells.count)
        for cell in cells {
            guard let scalar = cell.scalar, scalar.style == .plain,
                  let value = scalar.string.utf8.withContiguousStorageIfAvailable(DecimalParser.parse) ?? nil
            else { return nil }
            values.append(value)
        }
        return values
    }
}
