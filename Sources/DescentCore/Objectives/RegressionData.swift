import Foundation

/// A table of samples: a feature matrix and a target column.
public struct RegressionData: Sendable, Equatable {
    public var featureNames: [String]
    public var targetName: String
    /// One row per sample.
    public var features: [[Double]]
    public var targets: [Double]

    public init(featureNames: [String], targetName: String, features: [[Double]], targets: [Double]) {
        self.featureNames = featureNames
        self.targetName = targetName
        self.features = features
        self.targets = targets
    }

    public var sampleCount: Int { targets.count }
    public var featureCount: Int { featureNames.count }

    /// Reads a CSV table: a header row, then numbers; the last column is the target.
    ///
    /// - Throws: `InputError` naming the line of a ragged or non-numeric row.
    public static func csv(contentsOf path: String) throws(InputError) -> RegressionData {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw InputError(file: path, message: FileManager.default.fileExists(atPath: path)
                ? "cannot read the file as UTF-8 text" : "no such file")
        }
        return try csv(text: text, file: path)
    }

    /// Parses CSV text (see `csv(contentsOf:)`); `file` names the source in errors.
    public static func csv(text: String, file: String) throws(InputError) -> RegressionData {
        // Lines cut on the bytes (LF, with a CR before it dropped), which is much faster than by Character.
        var lines = text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            Substring(line.last == UInt8(ascii: "\r") ? line.dropLast() : line)
        }
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        guard let header = lines.first else { throw InputError(file: file, message: "empty data file: a header row is needed") }
        let names = header.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        guard names.count >= 2 else {
            throw InputError(file: file, line: 1, message: "the header needs at least one feature column and a target column")
        }
        var features: [[Double]] = [], targets: [Double] = []
        features.reserveCapacity(lines.count)
        targets.reserveCapacity(lines.count)
        for (index, line) in lines.enumerated().dropFirst() {
            // Cells are cut and trimmed on the UTF-8 bytes: splitting and trimming by Character (and
            // Foundation's trimming) were most of the time spent reading a large file.
            let cells = line.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false)
            guard cells.count == names.count else {
                throw InputError(file: file, line: index + 1,
                                 message: "ragged row: \(cells.count) columns, the header has \(names.count)")
            }
            var row: [Double] = []
            row.reserveCapacity(cells.count)
            for (column, cell) in cells.enumerated() {
                func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
                var start = cell.startIndex, end = cell.endIndex
                while start < end, isBlank(cell[start]) { start = cell.index(after: start) }
                while end > start, isBlank(cell[cell.index(before: end)]) { end = cell.index(before: end) }
                let text = Substring(cell[start..<end])
                guard let value = Double(text), value.isFinite else {
                    throw InputError(file: file, line: index + 1,
                                     message: "column '\(names[column])' is not a finite number: '\(text)'")
                }
                row.append(value)
            }
            targets.append(row.removeLast())
            features.append(row)
        }
        guard !targets.isEmpty else { throw InputError(file: file, message: "the data file has a header but no rows") }
        return RegressionData(featureNames: Array(names.dropLast()), targetName: names.last!,
                              features: features, targets: targets)
    }

    /// Synthetic data from a seeded generator: x ~ N(0, 1) per feature, y = xᵀw + bias + noise·N(0, 1).
    ///
    /// For `logistic`, the label is 1 where that y is positive, else 0.
    /// The same seed gives the same table on every machine.
    public static func synthetic(samples: Int, weights: [Double], bias: Double, noise: Double,
                                 seed: UInt64, logistic: Bool) -> RegressionData {
        var rng = SeededGenerator(seed: seed)
        var features: [[Double]] = [], targets: [Double] = []
        features.reserveCapacity(samples)
        for _ in 0..<samples {
            let x = weights.map { _ in rng.nextGaussian() }
            var y = bias
            for (xi, wi) in zip(x, weights) { y += xi * wi }
            y += noise * rng.nextGaussian()
            features.append(x)
            targets.append(logistic ? (y > 0 ? 1 : 0) : y)
        }
        return RegressionData(featureNames: weights.indices.map { "x\($0 + 1)" }, targetName: "y",
                              features: features, targets: targets)
    }
}
