import Foundation
import Dispatch

/// A table of samples: a feature matrix and a target column.
public struct RegressionData: Sendable, Equatable {
    public var featureNames: [String]
    public var targetName: String
    /// The feature matrix, row-major and flat: feature j of sample i at `i·featureCount + j`.
    public var values: [Double]
    public var targets: [Double]
    /// Where the table came from, when it was loaded for a scenario: what an exported script reads or generates.
    public var source: Source?

    /// A scenario's data: a CSV file (its path absolute), or synthetic data from a seed.
    public enum Source: Sendable, Equatable {
        case file(String)
        case synthetic(SyntheticData, logistic: Bool)
        case moons(samples: Int, noise: Double, seed: UInt64)
    }

    public init(featureNames: [String], targetName: String, values: [Double], targets: [Double]) {
        precondition(values.count == featureNames.count * targets.count, "\(values.count) values for \(targets.count) × \(featureNames.count)")
        self.featureNames = featureNames
        self.targetName = targetName
        self.values = values
        self.targets = targets
    }

    /// From one row of features per sample.
    public init(featureNames: [String], targetName: String, features: [[Double]], targets: [Double]) {
        self.init(featureNames: featureNames, targetName: targetName, values: Array(features.joined()), targets: targets)
    }

    public var sampleCount: Int { targets.count }
    public var featureCount: Int { featureNames.count }

    /// The features as one row per sample.
    public var features: [[Double]] {
        (0..<sampleCount).map { Array(values[($0 * featureCount)..<(($0 + 1) * featureCount)]) }
    }

    /// Reads a CSV table: a header row, then numbers; the last column is the target.
    ///
    /// - Throws: `InputError` naming the line of a ragged or non-numeric row.
    public static func csv(contentsOf path: String) throws(InputError) -> RegressionData {
        let bytes = try RegularFile.bytes(of: path)
        return try csv(bytes: bytes, file: path)
    }

    /// Parses CSV text (see `csv(contentsOf:)`); `file` names the source in errors.
    public static func csv(text: String, file: String) throws(InputError) -> RegressionData {
        try csv(bytes: Array(text.utf8), file: file)
    }

    /// Parses CSV bytes: lines end in LF (a CR before it is dropped), or in CR alone in a file without LF; cells are cut at commas and
    /// trimmed of spaces and tabs, trailing blank lines are ignored.
    ///
    /// Rows are parsed in parallel, in as many contiguous blocks as there are cores; a row's numbers do
    /// not depend on the block it falls in, and the error reported is the first bad row of the file.
    public static func csv(bytes: [UInt8], file: String) throws(InputError) -> RegressionData {
        let parsed = bytes.withUnsafeBufferPointer { b in Result { () throws(InputError) in try csv(buffer: b, file: file) } }
        return try parsed.get()
    }

    static func csv(buffer bytes: UnsafeBufferPointer<UInt8>, file: String) throws(InputError) -> RegressionData {
        var lineStarts: [Int] = [0]
        lineStarts.reserveCapacity(bytes.count / 64)
        // Lines end in LF (CRLF too: the CR is dropped below); a file with no LF but CRs is old Mac text, ending in CR.
        let newline = bytes.contains(UInt8(ascii: "\n")) || !bytes.contains(UInt8(ascii: "\r")) ? UInt8(ascii: "\n") : UInt8(ascii: "\r")
        for i in 0..<bytes.count where bytes[i] == newline { lineStarts.append(i + 1) }
        // Line k spans lineStarts[k] ..< lineStarts[k + 1] − 1 (or to the end of the bytes).
        func lineRange(_ k: Int) -> Range<Int> {
            let start = lineStarts[k]
            var end = k + 1 < lineStarts.count ? lineStarts[k + 1] - 1 : bytes.count
            if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            return start..<end
        }
        func isBlankLine(_ r: Range<Int>) -> Bool { r.allSatisfy { bytes[$0] == 32 || bytes[$0] == 9 || bytes[$0] == 13 } }
        var lineCount = lineStarts.count
        while lineCount > 0, isBlankLine(lineRange(lineCount - 1)) { lineCount -= 1 }
        guard lineCount > 0 else { throw InputError(file: file, message: "empty data file: a header row is needed") }
        let header = String(decoding: UnsafeBufferPointer(rebasing: bytes[lineRange(0)]), as: UTF8.self)
        let names = header.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        guard names.count >= 2 else {
            throw InputError(file: file, line: 1, message: "the header needs at least one feature column and a target column")
        }
        let rows = lineCount - 1
        guard rows > 0 else { throw InputError(file: file, message: "the data file has a header but no rows") }
        let columns = names.count, featureCount = columns - 1
        var values = [Double](repeating: 0, count: rows * featureCount)
        var targets = [Double](repeating: 0, count: rows)
        let blocks = rows < 10_000 ? 1 : ProcessInfo.processInfo.activeProcessorCount
        let firstErrors = ErrorSlots(count: blocks)
        do {
            let b = bytes
            values.withUnsafeMutableBufferPointer { v in
                targets.withUnsafeMutableBufferPointer { t in
                    let input = SendableBytes(b), valuesOut = SendablePointer(v.baseAddress!), targetsOut = SendablePointer(t.baseAddress!)
                    let starts = lineStarts
                    DispatchQueue.concurrentPerform(iterations: blocks) { block in
                        let lo = 1 + rows * block / blocks, hi = 1 + rows * (block + 1) / blocks
                        for line in lo..<hi {
                            var end = line + 1 < starts.count ? starts[line + 1] - 1 : input.bytes.count
                            if end > starts[line], input.bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                            if let error = parseRow(input.bytes, starts[line]..<end, names: names,
                                                    into: valuesOut.pointer + (line - 1) * featureCount,
                                                    target: targetsOut.pointer + (line - 1)) {
                                firstErrors.set(block, InputError(file: file, line: line + 1, message: error))
                                return
                            }
                        }
                    }
                }
            }
        }
        if let error = firstErrors.first { throw error }
        return RegressionData(featureNames: Array(names.dropLast()), targetName: names.last!, values: values, targets: targets)
    }

    /// Parses one row into `features` (all but the last cell) and `target`; returns the error message, if any.
    private static func parseRow(_ b: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, names: [String],
                                 into features: UnsafeMutablePointer<Double>, target: UnsafeMutablePointer<Double>) -> String? {
        var column = 0, cellStart = range.lowerBound
        var position = range.lowerBound
        while true {
            let atEnd = position == range.upperBound
            if atEnd || b[position] == UInt8(ascii: ",") {
                if column >= names.count { column += 1 } else {
                    var start = cellStart, end = position
                    while start < end, b[start] == 32 || b[start] == 9 { start += 1 }
                    while end > start, b[end - 1] == 32 || b[end - 1] == 9 { end -= 1 }
                    let cell = UnsafeBufferPointer(rebasing: b[start..<end])
                    guard let value = DecimalParser.parse(cell), value.isFinite else {
                        // Count the remaining cells first: a ragged row is reported as ragged.
                        let cells = b[range].reduce(1) { $0 + ($1 == UInt8(ascii: ",") ? 1 : 0) }
                        if cells != names.count { return "ragged row: \(cells) columns, the header has \(names.count)" }
                        // The cell and its column's name cut short: a megabyte of garbage is not a line to read.
                        func cut(_ text: String) -> String { text.count > 40 ? text.prefix(40) + "…" : text }
                        return "column '\(cut(names[column]))' is not a finite number: '\(cut(String(decoding: cell, as: UTF8.self)))'"
                    }
                    if column == names.count - 1 { target.pointee = value } else { features[column] = value }
                    column += 1
                }
                if atEnd { break }
                cellStart = position + 1
            }
            position += 1
        }
        if column != names.count { return "ragged row: \(column) columns, the header has \(names.count)" }
        return nil
    }

    /// Synthetic data from a seeded generator: x ~ N(0, 1) per feature, y = xᵀw + bias + noise·N(0, 1).
    ///
    /// For `logistic`, the label is 1 where that y is positive, else 0.
    /// The same seed gives the same table on every machine.
    public static func synthetic(samples: Int, weights: [Double], bias: Double, noise: Double,
                                 seed: UInt64, logistic: Bool) -> RegressionData {
        var rng = SeededGenerator(seed: seed)
        var values: [Double] = [], targets: [Double] = []
        values.reserveCapacity(samples * weights.count)
        targets.reserveCapacity(samples)
        for _ in 0..<samples {
            var y = bias
            for w in weights {
                let x = rng.nextPortableGaussian()
                values.append(x)
                y += x * w
            }
            y += noise * rng.nextPortableGaussian()
            targets.append(logistic ? (y > 0 ? 1 : 0) : y)
        }
        return RegressionData(featureNames: weights.indices.map { "x\($0 + 1)" }, targetName: "y",
                              values: values, targets: targets)
    }
}

/// The first error of each block of a parallel parse.
private final class ErrorSlots: @unchecked Sendable {
    private var slots: [InputError?]
    private let lock = NSLock()
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ error: InputError) { lock.withLock { slots[index] = error } }
    /// The error of the earliest block that has one: blocks are in file order.
    var first: InputError? { lock.withLock { slots.compactMap { $0 }.first } }
}

/// Bytes that threads read at once (and nobody writes meanwhile).
struct SendableBytes: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }
}

/// Numbers that threads write at once, each its own entries.
struct SendablePointer: @unchecked Sendable { let pointer: UnsafeMutablePointer<Double>; init(_ p: UnsafeMutablePointer<Double>) { pointer = p } }

extension RegressionData {
    /// The keys a regression's `objective:` mapping takes: where its data comes from, and its minibatches.
    static let scenarioKeys = [
        ObjectiveKey("data", .path, help: "a CSV file (header row; last column the target), relative to the scenario"),
        ObjectiveKey("synthetic", .synthetic, help: "generated data instead: {samples, weights, bias, noise, seed}",
                     flags: ["--samples", "--weights", "--bias", "--noise", "--data-seed"]),
        ObjectiveKey("batch_size", .count, help: "minibatch size (default: all samples)"),
        ObjectiveKey("seed", .seed, help: "seed of the minibatch shuffle (default 0)"),
    ]

    /// The CSV file a scenario's `objective.data` names (relative to `baseDirectory`), with its source noted.
    ///
    /// - Throws: `InputError` naming `objective.data`, then the file as the scenario names it and its line.
    static func file(_ path: String, baseDirectory: String) throws(InputError) -> RegressionData {
        let resolved = path.hasPrefix("/") ? path : FilePaths.join(baseDirectory, path)
        var table: RegressionData
        do { table = try RegressionData.csv(contentsOf: resolved) } catch {
            throw InputError(field: "objective.data", message: "\(path)\(error.line.map { ":\($0)" } ?? ""): \(error.message)")
        }
        let here = resolved.hasPrefix("/") ? "" : FileManager.default.currentDirectoryPath
        table.source = .file(FilePaths.standardized(here.isEmpty ? resolved : FilePaths.join(here, resolved)))
        return table
    }

    /// Two interleaved half circles (scikit-learn's `make_moons`): `samples / 2` points (rounded down) on the
    /// upper half of the unit circle, labelled 0, then the rest on the lower half circle centred at (1, 0.5),
    /// labelled 1, each evenly spaced in angle from 0 to π, plus `noise`·N(0, 1) on each coordinate from `seed`'s
    /// stream. The same numbers on every machine: sin and cos are `PortableMath`'s.
    public static func twoMoons(samples: Int, noise: Double, seed: UInt64) -> RegressionData {
        var rng = SeededGenerator(seed: seed)
        let outer = samples / 2, inner = samples - outer
        var values: [Double] = [], targets: [Double] = []
        for (count, label) in [(outer, 0.0), (inner, 1.0)] {
            for i in 0..<count {
                let t = count > 1 ? Double.pi * Double(i) / Double(count - 1) : 0
                let (s, c) = (PortableMath.sin(t), PortableMath.cos(t))
                let x = label == 0 ? c : 1 - c, y = label == 0 ? s : 0.5 - s
                values.append(x + noise * rng.nextPortableGaussian())
                values.append(y + noise * rng.nextPortableGaussian())
                targets.append(label)
            }
        }
        var table = RegressionData(featureNames: ["x1", "x2"], targetName: "moon", values: values, targets: targets)
        table.source = .moons(samples: samples, noise: noise, seed: seed)
        return table
    }

    /// A regression's data as `spec` names it (a CSV file or synthetic data), checked.
    static func load(_ spec: ObjectiveSpec, logistic: Bool, dimension: Int, baseDirectory: String) throws(InputError) -> RegressionData {
        typealias C = ObjectiveChecks
        let data = spec.text("data")
        var table: RegressionData
        switch (data, spec.synthetic("synthetic")) {
        case (let path?, nil):
            table = try file(path, baseDirectory: baseDirectory)
        case (nil, let synthetic?):
            guard synthetic.samples >= 1 else { throw C.fail("synthetic.samples", "must be at least 1, got \(synthetic.samples)") }
            guard !synthetic.weights.isEmpty else { throw C.fail("synthetic.weights", "needs at least one weight") }
            let columns = synthetic.weights.count + 1, most = ObjectiveSpec.maximumDataValues
            guard synthetic.samples <= most / columns else {
                throw C.fail("synthetic.samples", "asks for \(synthetic.samples) samples of \(columns) numbers; at most \(most) numbers in all (\(most / columns) samples here)")
            }
            try C.finite(synthetic.weights, "synthetic.weights")
            try C.finite([synthetic.bias], "synthetic.bias")
            try C.finite([synthetic.noise], "synthetic.noise")
            table = RegressionData.synthetic(samples: synthetic.samples, weights: synthetic.weights, bias: synthetic.bias,
                                             noise: synthetic.noise, seed: synthetic.seed, logistic: logistic)
            table.source = .synthetic(synthetic, logistic: logistic)
        case (.some, .some): throw C.fail("", "give either data or synthetic, not both")
        case (nil, nil): throw C.fail("", "a regression needs data: FILE.csv or synthetic: {samples, weights, …}")
        }
        if logistic, let bad = table.targets.firstIndex(where: { $0 != 0 && $0 != 1 }) {
            let row = data.map { "\($0):\(bad + 2): " } ?? ""
            throw InputError(field: data == nil ? "objective.synthetic" : "objective.data",
                             message: row + "logistic regression needs 0/1 labels in the last column, got \(NumberFormat.readable(table.targets[bad]))")
        }
        if let batchSize = spec.batchSize, batchSize < 1 { throw C.fail("batch_size", "must be at least 1, got \(batchSize)") }
        try C.dimension(dimension, is: table.featureCount + 1, "\(table.featureCount) feature weight(s) and a bias")
        return table
    }
}

extension RegressionData {
    /// The table as the top of an exported torch script builds it: `X` (samples in rows) and `Y`, read from the
    /// same CSV file or generated from the same seed with the same draws (`TorchScript.streams`).
    var torchSetup: String {
        switch source {
        case .file(let path)?:
            return """
                DATA = \(TorchScript.q(path))  # the scenario's data: a header row, then numbers; the last column the target
                with open(DATA, newline="") as data_file:
                    table = [row for row in csv.reader(data_file)][1:]
                table = torch.tensor([[float(cell) for cell in row] for row in table if any(cell.strip() for cell in row)])
                X, Y = table[:, :-1], table[:, -1]
                """
        case let .synthetic(s, logistic)?:
            return """


                def synthetic(samples, weights, bias, noise, seed, logistic):
                    \"\"\"Descent's synthetic data: x ~ N(0, 1) per feature, y = x.w + bias + noise * N(0, 1), from one stream.\"\"\"
                    stream, rows, targets = Stream(seed), [], []
                    for _ in range(samples):
                        y, row = bias, []
                        for w in weights:
                            row.append(stream.normal())
                            y += row[-1] * w
                        y += noise * stream.normal()
                        rows.append(row)
                        targets.append((1.0 if y > 0 else 0.0) if logistic else y)
                    return torch.tensor(rows), torch.tensor(targets)


                X, Y = synthetic(\(s.samples), [\(s.weights.map(TorchScript.n).joined(separator: ", "))], \(TorchScript.n(s.bias)), \(TorchScript.n(s.noise)), \(s.seed), \(TorchScript.py(logistic)))
                """
        case let .moons(samples, noise, seed)?:
            return """


                def portable_sin(t):
                    \"\"\"Descent's sin for t in [0, pi]: to [0, pi/2] by symmetry, the Taylor series to u**25 summed from its end.\"\"\"
                    u = math.pi - t if t > math.pi / 2 else t
                    u2, term, terms = u * u, 1.0, []
                    for k in range(1, 26, 2):
                        terms.append(term)
                        term = -term * u2 / ((k + 1) * (k + 2))
                    series = 0.0
                    for value in reversed(terms):
                        series += value
                    return u * series


                def portable_cos(t):
                    u = math.pi / 2 - t
                    return portable_sin(u) if u >= 0 else -portable_sin(-u)


                def moons(samples, noise, seed):
                    \"\"\"Descent's two moons: half the samples on the upper unit half circle (label 0), the rest on the lower one
                    centred at (1, 0.5) (label 1), evenly spaced in angle, plus noise * N(0, 1) per coordinate from one stream.\"\"\"
                    stream, rows, targets, outer = Stream(seed), [], [], samples // 2
                    for count, label in ((outer, 0.0), (samples - outer, 1.0)):
                        for i in range(count):
                            t = math.pi * i / (count - 1) if count > 1 else 0.0
                            s, c = portable_sin(t), portable_cos(t)
                            x, y = (c, s) if label == 0 else (1 - c, 0.5 - s)
                            rows.append([x + noise * stream.normal(), y + noise * stream.normal()])
                            targets.append(label)
                    return torch.tensor(rows), torch.tensor(targets)


                X, Y = moons(\(samples), \(TorchScript.n(noise)), \(seed))
                """
        case nil:
            let rows = features.map { "[" + $0.map(TorchScript.n).joined(separator: ", ") + "]" }
            return "X = torch.tensor([" + rows.joined(separator: ", ") + "])\nY = torch.tensor([" + targets.map(TorchScript.n).joined(separator: ", ") + "])"
        }
    }
}
