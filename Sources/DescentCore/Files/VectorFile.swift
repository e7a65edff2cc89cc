import Foundation

/// A long vector of numbers in a file of its own: what `start: {file: theta.npy}` names, so ten million numbers
/// need not be YAML.
///
/// - `.npy` (NumPy's format, versions 1 to 3): little-endian float64 (`<f8`) or float32 (`<f4`, widened exactly),
///   C order, of shape (n,), (n, 1) or (1, n). Read whole with read(2) into the array returned (float64: 8n bytes and
///   the header, no second buffer).
/// - anything else, as text: numbers separated by commas, spaces, tabs or line ends (a CSV column or row, one
///   number a line), each read by `DecimalParser` (correctly rounded); a first line that begins with a word is
///   a header and skipped, and a byte-order mark is dropped. Read 8 MiB of whole lines at a time (never whole).
public enum VectorFile {
    /// The numbers of the file at `path`; errors say what is wrong with the file in a few words.
    public static func read(_ path: String) throws(InputError) -> [Double] {
        let (head, wholeSize) = try RegularFile.prefix(of: path, bytes: npyHeaderLimit)
        if head.starts(with: [0x93] + Array("NUMPY".utf8)) {
            // The header says how many numbers follow; as many bytes as they take are read (what follows them
            // is not), straight into the array that is returned, and moved down over the header in place: 10⁷
            // numbers take one buffer of 8·10⁷ bytes, not a file's and a copy's.
            let layout = try npyLayout(head, byteCount: wholeSize)
            var (words, size) = try RegularFile.contents(of: path, as: Double.self, upTo: layout.dataStart + layout.count * layout.width)
            return try npy(&words, byteCount: size, layout)
        }
        return try text(path: path)
    }

    /// The most numbers a file may hold: a run's most parameters.
    static let maximumCount = Experiment.maximumDimension
    /// The longest .npy header read (NumPy writes about a hundred bytes).
    static let npyHeaderLimit = 1 << 20
    /// A text file's longest line (a row of 10⁷ numbers as NumPy writes them is about 250 MB: a column, or a .npy).
    static let maximumLine = 64 << 20
    /// A text file's most bytes: 10⁷ numbers at a hundred bytes each.
    static let maximumTextBytes = 1 << 30

    /// Where a .npy's numbers are, from its first bytes `head` (the file being `byteCount` long).
    static func npyLayout(_ bytes: [UInt8], byteCount: Int) throws(InputError) -> (dataStart: Int, width: Int, count: Int) {
        func fail(_ message: String) -> InputError { InputError(message: "not a .npy of float64 numbers: \(message)") }
        guard bytes.count >= 10 else { throw fail("the header is cut short") }
        let major = bytes[6]
        guard (1...3).contains(major) else { throw fail("version \(major) is not one Descent reads (1 to 3)") }
        let lengthSize = major == 1 ? 2 : 4
        guard bytes.count >= 8 + lengthSize else { throw fail("the header is cut short") }
        let headerLength = bytes[8..<(8 + lengthSize)].reversed().reduce(0) { $0 << 8 | Int($1) }
        let dataStart = 8 + lengthSize + headerLength
        guard dataStart <= byteCount else { throw fail("the header is cut short") }
        guard dataStart <= bytes.count else { throw fail("its header is \(headerLength) bytes; Descent reads headers of up to a mebibyte") }
        let header = String(decoding: bytes[(8 + lengthSize)..<dataStart], as: UTF8.self)
        func value(_ key: String) -> String? {
            guard let range = header.range(of: "'\(key)':") else { return nil }
            return header[range.upperBound...].trimmingCharacters(in: .whitespaces)
        }
        guard let descr = value("descr") else { throw fail("its header has no 'descr'") }
        let width: Int
        if descr.hasPrefix("'<f8'") || descr.hasPrefix("'=f8'") || descr.hasPrefix("'f8'") { width = 8 }
        else if descr.hasPrefix("'<f4'") || descr.hasPrefix("'=f4'") || descr.hasPrefix("'f4'") { width = 4 }
        else if descr.hasPrefix("[") { throw fail("its numbers are records (a structured dtype), not float64 or float32") }
        else { throw fail("its numbers are \(descr.prefix(while: { $0 != "," && $0 != "}" }).prefix(24)), not little-endian float64 or float32") }
        // 'fortran_order' does not matter: a vector (the only shape taken) is laid out the same either way.
        guard let shapeText = value("shape"), shapeText.first == "(", let open = shapeText.firstIndex(of: "("), let close = shapeText.firstIndex(of: ")") else {
            throw fail("its header has no 'shape'")
        }
        guard close > open else { throw fail("its header's shape is not (n,)") }
        let parts = shapeText[shapeText.index(after: open)..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let dims = parts.compactMap { Int($0) }
        guard dims.count == parts.count, !dims.isEmpty, dims.count <= 2, dims.allSatisfy({ $0 >= 0 }), dims.count == 1 || dims.contains(1) else {
            throw fail("its shape is (\(parts.joined(separator: ", "))); a vector is (n,), (n, 1) or (1, n)")
        }
        let count = dims.count == 1 ? dims[0] : dims[0] * dims[1]  // one of two is 1: no overflow
        // Compared by division: a shape of 2⁶³ − 1 must not overflow.
        guard count <= (byteCount - dataStart) / width else { throw fail("it holds fewer numbers than its shape says (\(count))") }
        guard count <= maximumCount else { throw InputError(message: "holds \(count) numbers; a start has at most \(maximumCount)") }
        return (dataStart, width, count)
    }

    /// The numbers of a .npy whose first `byteCount` bytes (through its last number) `words` holds.
    /// `words` is taken over (no copy of it is made): its numbers move down over the header in place.
    static func npy(_ words: inout [Double], byteCount: Int, _ layout: (dataStart: Int, width: Int, count: Int)) throws(InputError) -> [Double] {
        let (dataStart, width, count) = layout
        guard byteCount >= dataStart + count * width else {
            throw InputError(message: "not a .npy of float64 numbers: it holds fewer numbers than its shape says (\(count))")
        }
        if width == 8 {
            words.withUnsafeMutableBytes { raw in
                if count > 0 { raw.baseAddress!.copyMemory(from: raw.baseAddress! + dataStart, byteCount: 8 * count) }  // memmove
            }
            words.removeSubrange(count...)
            #if _endian(big)
            for i in words.indices { words[i] = Double(bitPattern: UInt64(littleEndian: words[i].bitPattern)) }
            #endif
            return words
        }
        return words.withUnsafeBytes { raw in
            let data = UnsafeRawBufferPointer(rebasing: raw[dataStart...])
            return (0..<count).map { i in Double(Float(bitPattern: UInt32(littleEndian: data.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))) }
        }
    }

    /// The numbers of a text file, read a piece at a time (`piece` bytes; 8 MiB unless a test asks for less)
    /// and each piece's numbers parsed on two threads: the file is never held whole, so 10⁷ numbers take
    /// their 80 MB and a piece.
    static func text(path: String, piece: Int = 8 << 20, maximumLine: Int = maximumLine) throws(InputError) -> [Double] {
        var out: [Double] = []
        var line = 1  // the line the next piece starts on
        var first = true
        var failure: InputError?
        let longest = maximumLine >> 20 > 0 ? "\(maximumLine >> 20) MiB" : "\(maximumLine) bytes"
        try RegularFile.lines(of: path, size: piece, maximumLine: maximumLine, limit: maximumTextBytes,
                              lineTooLong: { InputError(line: line, message: "the line is longer than \(longest); write one number a line, or save a .npy") }) {
            (bytes: UnsafeBufferPointer<UInt8>, wholeSize: Int) throws(InputError) -> Bool in
            var b = bytes
            if first {
                first = false
                // A UTF-8 byte-order mark (as spreadsheets write) is not part of the first number.
                if b.starts(with: [0xEF, 0xBB, 0xBF]) { b = UnsafeBufferPointer(rebasing: b[3...]) }
                // About as many numbers as the file's size holds at this piece's density: one buffer, no regrowth.
                let separators = b.reduce(0) { $0 + (isSeparator($1) ? 1 : 0) }
                if wholeSize > b.count, separators > 0 {
                    out.reserveCapacity(min(maximumCount + 1, Int(Double(wholeSize) / Double(b.count) * Double(separators) * 1.02) + 16))
                }
                // Line 1 alone, with the header rule (only line 1 may be one).
                let firstLineEnd = b.firstIndex(of: 10).map { $0 + 1 } ?? b.count
                let cells = cells(UnsafeBufferPointer(rebasing: b[..<firstLineEnd]), headerAllowed: true)
                out.append(contentsOf: cells.values)
                if let (at, message) = cells.failure { failure = InputError(line: line + at, message: message); return false }
                line += cells.newlines
                b = UnsafeBufferPointer(rebasing: b[firstLineEnd...])
            }
            // Two halves, split at a line end near the middle, parsed side by side.
            var halves = [SendableBytes(b)]
            if b.count >= 1 << 16, let split = b[(b.count / 2)...].firstIndex(of: 10) {
                halves = [SendableBytes(UnsafeBufferPointer(rebasing: b[...split])), SendableBytes(UnsafeBufferPointer(rebasing: b[(split + 1)...]))]
            }
            let parts = halves
            var results = [Cells](repeating: Cells(), count: parts.count)
            results.withUnsafeMutableBufferPointer { results in
                let sendable = UnsafeSendable(results)
                DispatchQueue.concurrentPerform(iterations: parts.count) { k in
                    sendable.pointer[k] = cells(parts[k].bytes, headerAllowed: false)
                }
            }
            for result in results {
                out.append(contentsOf: result.values)
                if let (at, message) = result.failure { failure = InputError(line: line + at, message: message); return false }
                line += result.newlines
            }
            if out.count > maximumCount {
                failure = InputError(message: "holds more than \(maximumCount) numbers; a start has at most \(maximumCount)")
                return false
            }
            return true
        }
        if let failure { throw failure }
        return out
    }

    static func isSeparator(_ b: UInt8) -> Bool { b == UInt8(ascii: ",") || b == 32 || b == 9 || b == 10 || b == 13 }

    /// Whether `b` ends a cell: a separator or `#`. Every such byte is at most `,` (44), so the digits that make up
    /// most of a file take one comparison.
    @inline(__always)
    static func endsCell(_ b: UInt8) -> Bool { b <= 44 && (isSeparator(b) || b == UInt8(ascii: "#")) }

    /// What `cells` found: the numbers, the line ends passed, and the first cell that is not a number (its line
    /// counted from 0 within the text given) with what to say of it.
    struct Cells {
        var values: [Double] = []
        var newlines = 0
        var failure: (line: Int, message: String)?
    }

    /// The numbers of `b`, separated by commas, spaces, tabs and line ends; `#` starts a comment to the end of its
    /// line (as NumPy's `loadtxt` and `savetxt(header=…)` have it). A cell left empty between two commas, or by a
    /// comma first on its line (an unnamed index column), is an error, not skipped. With `headerAllowed`, a text
    /// that begins with a word (a letter, any non-ASCII character, `_` or a quote; not a digit or a sign) has a
    /// header: from the first of its first line's cells that is not a number, the rest of that line is skipped.
    static func cells(_ b: UnsafeBufferPointer<UInt8>, headerAllowed: Bool) -> Cells {
        let first = b.first { $0 != 32 && $0 != 9 }
        let header = headerAllowed && (first.map { ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") || $0 >= 0x80
            || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "\"") } ?? false)
        var out = Cells()
        out.values.reserveCapacity(b.count / 16)
        var start = 0, i = 0
        // Whether a comma has come since this line's last cell, or this line has had no cell yet.
        var commaOpen = false, lineEmpty = true
        while i <= b.count {
            if i == b.count || endsCell(b[i]) {
                if i > start {
                    let cell = UnsafeBufferPointer(rebasing: b[start..<i])
                    if let value = DecimalParser.parse(cell) {
                        out.values.append(value)
                        commaOpen = false; lineEmpty = false
                    } else if header && out.newlines == 0 {
                        // A header: the rest of line 1 is skipped too.
                        while i < b.count && b[i] != 10 { i += 1 }
                        start = i
                        commaOpen = false; lineEmpty = false
                    } else {
                        out.failure = (out.newlines, "'\(String(decoding: cell.prefix(40), as: UTF8.self))' is not a number")
                        return out
                    }
                }
                if i < b.count && b[i] == UInt8(ascii: ",") {
                    if commaOpen || lineEmpty {
                        out.failure = (out.newlines, lineEmpty ? "a comma first on the line leaves an empty cell (an index column?): numbers only"
                                                               : "two commas with nothing between leave an empty cell: numbers only")
                        return out
                    }
                    commaOpen = true
                }
                if i < b.count && b[i] == UInt8(ascii: "#") {
                    while i < b.count && b[i] != 10 { i += 1 }
                }
                if i < b.count && b[i] == 10 { out.newlines += 1; commaOpen = false; lineEmpty = true }
                start = i + 1
            }
            i += 1
        }
        return out
    }
}
