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
