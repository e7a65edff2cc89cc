import Foundation
import Testing
@testable import DescentCore

/// `start: {file: …}`: NumPy's .npy and text files of numbers read exactly, bad files refused in one line naming
/// `start.file`, and the file written back as the file, not its numbers.
@Suite struct VectorFileTests {
    /// A .npy as NumPy writes it: magic, version, header length, a padded dict, the data.
    static func npy(_ values: [Double], descr: String = "<f8", shape: String? = nil, version: UInt8 = 1, float32: Bool = false) -> [UInt8] {
        var header = "{'descr': \(descr.hasPrefix("[") ? descr : "'\(descr)'"), 'fortran_order': False, 'shape': \(shape ?? "(\(values.count),)"), }"
        let prefix = version == 1 ? 10 : 12
        while (prefix + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        let length = header.utf8.count
        bytes += version == 1 ? [UInt8(length & 0xFF), UInt8(length >> 8)] : [UInt8(length & 0xFF), UInt8(length >> 8 & 0xFF), 0, 0]
        bytes += Array(header.utf8)
        for v in values {
            if float32 { withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { bytes += $0 } }
            else { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
        }
        return bytes
    }

    static func write(_ bytes: [UInt8], _ path: String) throws { try Data(bytes).write(to: URL(fileURLWithPath: path)) }

    @Test func npyAndTextAreReadExactly() throws {
        let dir = NSTemporaryDirectory() + "descent-vector-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var g = SeededGenerator(seed: 9)
        let values = (0..<1000).map { _ in (g.nextUnit() - 0.5) * pow(10, Double(g.nextIndex(below: 40)) - 20) } + [-0.0, .leastNonzeroMagnitude]
        for (name, bytes) in [("a.npy", Self.npy(values)), ("b.npy", Self.npy(values, shape: "(\(values.count), 1)", version: 2))] {
            try Self.write(bytes, dir + "/" + name)
            #expect(try VectorFile.read(dir + "/" + name).map(\.bitPattern) == values.map(\.bitPattern))
        }
        try Self.write(Self.npy([0.1, 2.5], descr: "<f4", float32: true), dir + "/f.npy")
        #expect(try VectorFile.read(dir + "/f.npy") == [Double(Float(0.1)), 2.5])
        try ("theta\n" + values.map { NumberFormat.exact($0) }.joined(separator: ",\n")).write(toFile: dir + "/t.csv", atomically: true, encoding: .utf8)
        #expect(try VectorFile.read(dir + "/t.csv").map(\.bitPattern) == values.map(\.bitPattern))
        try "1 2\t3\r\n4,5\n".write(toFile: dir + "/s.txt", atomically: true, encoding: .utf8)
        #expect(try VectorFile.read(dir + "/s.txt") == [1, 2, 3, 4, 5])
        // A byte-order mark is dropped; a first cell that is a typo, not a word, is an error, not a header.
        try Self.write([0xEF, 0xBB, 0xBF] + Array("0.25\n0.5\n".utf8), dir + "/bom.txt")
        #expect(try VectorFile.read(dir + "/bom.txt") == [0.25, 0.5])
        try "0.25x\n0.5\n".write(toFile: dir + "/typo.txt", atomically: true, encoding: .utf8)
        #expect(throws: InputError.self) { try VectorFile.read(dir + "/typo.txt") }
        // Comments (NumPy's savetxt writes its header as one), a header in any script, a comment after numbers.
        try "# theta\n1\n2 # the second\n".write(toFile: dir + "/c.txt", atomically: true, encoding: .utf8)
        #expect(try VectorFile.read(dir + "/c.txt") == [1, 2])
        try "θ\n0.5\n".write(toFile: dir + "/u.txt", atomically: true, encoding: .utf8)
        #expect(try VectorFile.read(dir + "/u.txt") == [0.5])
        // A .npy is read as far as its header says: what follows (here a terabyte of holes) is not read.
        try Self.write(Self.npy([1.5, -2]), dir + "/sparse.npy")
        #expect(truncate(dir + "/sparse.npy", 1 << 40) == 0)
        #expect(try VectorFile.read(dir + "/sparse.npy") == [1.5, -2])
        // More numbers than a run may have, or a text of more than a gibibyte, are refused before they are read.
        let big = Self.npy([], shape: "(10000001,)")
        try Self.write(big, dir + "/big.npy")
        #expect(truncate(dir + "/big.npy", off_t(big.count + 8 * 10_000_001)) == 0)
        #expect(throws: InputError.self) { try VectorFile.read(dir + "/big.npy") }
        do { _ = try VectorFile.read(dir + "/big.npy") } catch { #expect(error.message == "holds 10000001 numbers; a start has at most 10000000") }
        try "0\n".write(toFile: dir + "/sparse.txt", atomically: true, encoding: .utf8)
        #expect(truncate(dir + "/sparse.txt", 1 << 40) == 0)
        do { _ = try VectorFile.read(dir + "/sparse.txt"); Issue.record("a terabyte of text was read") } catch {
            #expect(error.message == "the file is 1099511627776 bytes; at most 1073741824 are read")
        }
        // A line past the longest (64 MiB; here 64 KiB, with a hole of NULs after line 1) is refused with its line,
        // not held to its end.
        try "0\n".write(toFile: dir + "/long.txt", atomically: true, encoding: .utf8)
        #expect(truncate(dir + "/long.txt", 1 << 20) == 0)
        do { _ = try VectorFile.text(path: dir + "/long.txt", piece: 4096, maximumLine: 1 << 16); Issue.record("a long line was read") } catch {
            #expect(error.line == 2 && error.message == "the line is longer than 65536 bytes; write one number a line, or save a .npy", "\(error)")
        }
        // A shape with a zero holds no numbers.
        try Self.write(Self.npy([1, 2], shape: "(0, 1)"), dir + "/zero.npy")
        #expect(try VectorFile.read(dir + "/zero.npy") == [])
    }

    /// A text file read a piece at a time (pieces of 1, 7, 64 and 4096 bytes and the usual 8 MiB, split in halves
    /// parsed side by side) gives what one pass over the whole file gives: the same numbers bit for bit, or the
    /// same error on the same line; over random files with headers, byte-order marks, every separator, CRLF,
    /// words that are numbers (inf, nan), −0, long lines, files without a last line end, and typos.
    @Test func piecesEqualOnePass() throws {
        let dir = NSTemporaryDirectory() + "descent-vector-pieces-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var g = SeededGenerator(seed: 11)
        for trial in 0..<40 {
            let count = trial % 10 == 0 ? 6000 + g.nextIndex(below: 4000) : g.nextIndex(below: 60)
            var text = ""
            if g.nextIndex(below: 3) == 0 { text += ["theta\n", "x, y\n", "\"a\",b\n", "inf, x\n", "_w\t1\n", "nan\n"][g.nextIndex(below: 6)] }
            for k in 0..<count {
                let v = (g.nextUnit() - 0.5) * pow(10, Double(g.nextIndex(below: 40)) - 20)
                text += [NumberFormat.exact(v), "-0", "inf", "-nan", ".5", "1e5", String(format: "%.18e", v)][g.nextIndex(below: 7)]
                if k + 1 < count || g.nextIndex(below: 2) == 0 { text += [",", ", ", "\t", " ", "\n", "\r\n", ",\n", "\n\n"][g.nextIndex(below: 8)] }
            }
            if count > 0 && g.nextIndex(below: 3) == 0 {
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
                let at = g.nextIndex(below: 2) == 0 ? 0 : g.nextIndex(below: lines.count)
                text = lines.enumerated().map { $0.offset == at ? $0.element + ",0x1f" : $0.element }.joined(separator: "\n")
            }
            let bom = g.nextIndex(below: 6) == 0
            let bytes = (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8)
            let path = dir + "/t\(trial).txt"
            try Self.write(bytes, path)
            let body = Array(bytes.dropFirst(bom ? 3 : 0))
            let whole = body.withUnsafeBufferPointer { VectorFile.cells($0, headerAllowed: true) }
            let want = whole.failure.map { "line \(1 + $0.line): \($0.message)" } ?? "\(whole.values.count) numbers"
            for piece in [1, 7, 64, 4096, 8 << 20] {
                var got: String
                do {
                    let values = try VectorFile.text(path: path, piece: piece)
                    got = "\(values.count) numbers"
                    if let k = zip(values, whole.values).enumerated().first(where: { $0.element.0.bitPattern != $0.element.1.bitPattern })?.offset { got += ", number \(k) differs" }
                } catch {
                    got = "line \(error.line ?? -1): \(error.message)"
                }
                #expect(got == want, "trial \(trial), pieces of \(piece)")
            }
        }
    }

    @Test(arguments: [
        (npy([1, 2], descr: "<i8"), "not a .npy of float64 numbers: its numbers are '<i8', not little-endian float64 or float32"),
        (npy([1, 2, 3, 4, 5, 6], shape: "(2, 3)"), "not a .npy of float64 numbers: its shape is (2, 3); a vector is (n,), (n, 1) or (1, n)"),
        (Array(npy([1, 2, 3]).dropLast(4)), "not a .npy of float64 numbers: it holds fewer numbers than its shape says (3)"),
        (npy([], shape: "(9223372036854775807,)"), "not a .npy of float64 numbers: it holds fewer numbers than its shape says (9223372036854775807)"),
        (npy([], shape: "(-5,)"), "not a .npy of float64 numbers: its shape is (-5); a vector is (n,), (n, 1) or (1, n)"),
        (npy([1], descr: ">f8"), "not a .npy of float64 numbers: its numbers are '>f8', not little-endian float64 or float32"),
        (Array("1, 2\n3, x\n".utf8), "line 2: 'x' is not a number"),
        (Array("1, 2\n3,,4\n".utf8), "line 2: two commas with nothing between leave an empty cell: numbers only"),
        (Array(",0\n0,1.5\n".utf8), "line 1: a comma first on the line leaves an empty cell (an index column?): numbers only"),
        ([0x93] + Array("NUMPY".utf8) + [2, 0, 5, 0, 0], "not a .npy of float64 numbers: the header is cut short"),
        (npy([1], descr: "[('a', '<f8')]"), "not a .npy of float64 numbers: its numbers are records (a structured dtype), not float64 or float32"),
    ] as [([UInt8], String)])
    func badFilesAreOneLine(bytes: [UInt8], message: String) throws {
        let dir = NSTemporaryDirectory() + "descent-vector-bad-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.write(bytes, dir + "/v.npy")
        try "name: v\nobjective: {kind: rastrigin}\nstart: {file: v.npy}\nruns: [{label: a, lr: 0.01}]\n".write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
        do {
            _ = try Experiment.load(contentsOf: dir + "/s.yaml")
            Issue.record("accepted a bad file")
        } catch {
            let want = message.hasPrefix("line ") ? "v.npy:" + message.dropFirst("line ".count) : "v.npy: " + message
            #expect(error.field == "start.file" && error.line == 3 && error.message == want, "\(error)")
        }
    }

    /// What is wrong with a start read from a file names the file and the field `start.file`, on the line of `file:`.
    @Test(arguments: [
        ("himmelblau", "one.txt", "0.5\n", "one.txt: has 1 numbers; himmelblau needs 2"),
        ("rastrigin", "inf.txt", "1\n1e400\n", "inf.txt: number 2 is inf; a start must be finite"),
        ("rastrigin", "empty.txt", "# nothing\n\n", "empty.txt: holds no numbers; a start needs at least one"),
        ("rastrigin", "a\\u0000b.txt", "1\n", "a\u{0}b.txt: the path holds a NUL character"),
    ])
    func startFileErrorsNameTheFile(kind: String, file: String, text: String, message: String) throws {
        let dir = NSTemporaryDirectory() + "descent-vector-named-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        if !file.contains("\\") { try text.write(toFile: dir + "/" + file, atomically: true, encoding: .utf8) }
        try "name: v\nobjective: {kind: \(kind)}\nstart: {file: \"\(file)\"}\nruns: [{label: a, lr: 0.01}]\n".write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
        do {
            _ = try Experiment.load(contentsOf: dir + "/s.yaml")
            Issue.record("accepted \(file)")
        } catch {
            #expect(error.field == "start.file" && error.line == 3 && error.message == message, "\(error)")
        }
    }

    /// Ten million numbers written in YAML are refused at once, with the way to a file; a long list under the
    /// limit, and `start:` words elsewhere, are not counted against it.
    @Test func aHugeYAMLStartAsksForAFile() throws {
        let limit = Scenario.maximumYAMLStart
        let flow = "name: big\nobjective: {kind: rastrigin}\nstart: [" + String(repeating: "0.5, ", count: limit) + "0.5]\nruns: [{label: a, lr: 0.1}]\n"
        do {
            _ = try Scenario.decode(yaml: flow, file: "big.yaml")
            Issue.record("parsed \(limit + 1) numbers of YAML")
        } catch {
            #expect(error.field == "start" && error.line == 3 && error.message.contains("start: {file: theta.npy}"), "\(error)")
        }
        let block = "name: big\nstart:\n" + String(repeating: "  - 0.5\n", count: limit + 1) + "runs: []\n"
        #expect(Scenario.longStartList(in: block)?.count == limit + 1)
        let under = "name: b\ndescription: >\n  start: [1, 2, 3]\nstart:\n" + String(repeating: "  - 0.5\n", count: 1000) + "steps: 3\nruns: [{a: 1, b: 2}]\n"
        #expect(Scenario.longStartList(in: under) == nil)
        // One-line JSON, a flow mapping, and a quoted description that holds a `start:` line before the real one.
        let numbers = "[" + String(repeating: "0.5, ", count: limit) + "0.5]"
        let json = "{\"name\": \"big\", \"objective\": {\"kind\": \"rastrigin\"}, \"start\": \(numbers), \"runs\": [{\"label\": \"a\", \"lr\": 0.1}]}\n"
        #expect(Scenario.longStartList(in: json)?.count == limit + 1)
        #expect(Scenario.longStartList(in: "{name: big, start: \(numbers)}\n")?.count == limit + 1)
        let described = "name: big\ndescription: \"a list:\nstart: [1, 2]\n\"\nstart: \(numbers)\n"
        #expect(Scenario.longStartList(in: described)?.line == 5)
        // What only looks like one: `restart:`, an A matrix, a start of a few numbers in JSON.
        #expect(Scenario.longStartList(in: "{\"restart\": \(numbers)}\n") == nil)
        #expect(Scenario.longStartList(in: "{\"A\": [\(numbers)], \"start\": [1, 2]}\n") == nil)
    }

    /// A scenario's start from a file relative to it: the runs start there, and what Descent writes names the
    /// file again (and reads back the same).
    @Test func aStartFileIsWrittenAsTheFile() throws {
        let dir = NSTemporaryDirectory() + "descent-vector-s-\(getpid())"
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.write(Self.npy([0.5, -1, 2]), dir + "/data/theta.npy")
        try "name: v\nobjective: {kind: rastrigin}\nstart: {file: data/theta.npy}\nruns: [{label: a, lr: 0.01}]\n".write(toFile: dir + "/s.yaml", atomically: true, encoding: .utf8)
        let experiment = try Experiment.load(contentsOf: dir + "/s.yaml")
        #expect(experiment.runs[0].start == [0.5, -1, 2] && experiment.scenario.startFile == "data/theta.npy")
        // A start changed is no longer the file's; the same start assigned again still is.
        var moved = experiment.scenario
        moved.start = [0.5, -1, 2]
        #expect(moved.startFile == "data/theta.npy")
        moved.start = [0, 0, 0]
        #expect(moved.startFile == nil && moved.yamlText().contains("start: [0, 0, 0]"))
        let written = experiment.scenario.yamlText()
        #expect(written.contains("start: {file: \"data/theta.npy\"}"))
        try written.write(toFile: dir + "/w.yaml", atomically: true, encoding: .utf8)
        #expect(try Scenario.load(contentsOf: dir + "/w.yaml") == experiment.scenario)
        do {
            _ = try Scenario.decode(yaml: "name: v\nobjective: {kind: rastrigin}\nstart: {path: x}\nruns: [{label: a, lr: 0.01}]\n", file: dir + "/x.yaml")
            Issue.record("accepted start: {path: x}")
        } catch {
            #expect(error.field == "start" && error.message.contains("{file: PATH}"))
        }
    }
}
