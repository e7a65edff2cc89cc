/// `descent run`'s CSV and JSON written as the runs step, through one reusable buffer: memory is
/// O(runs × dimension) whatever the number of steps, and the bytes are those of `TrajectoryReport.csv`
/// and `.json` for the same trajectories.
public struct StreamingReport {
    public enum Format: Sendable { case csv, json }

    /// Columns a run's rows can add after θ (`descent run --columns`), each at the row's step:
    /// - `lr`: the lr in the param group when the row is recorded, after that step and its scheduler step (as
    ///   a torch loop logs `param_groups[0]["lr"]` right after `optimizer.step()` and `scheduler.step()`);
    ///   an event's `set` at that step is made after the row, so it shows from the next row on;
    /// - `grad_norm`: ‖∇f(θ)‖ at the row's θ, on all the data;
    /// - `loss_gap`: f(θ) − f*, f* the lowest loss at the objective's known minima.
    public enum Column: String, CaseIterable, Sendable {
        case lr
        case gradNorm = "grad_norm"
        case lossGap = "loss_gap"
    }

    private var buffer = ByteBuffer()
    private var columns: [Column] = []
    /// f* for `loss_gap`.
    private var lowestMinimum = Double.nan
    private let flush: ([UInt8]) -> Void
    /// Bytes gathered before they are handed to `flush`.
    private let chunk = 1 << 16

    /// - Parameter flush: receives the text in pieces, in order (to write them to standard output, say).
    public init(flush: @escaping ([UInt8]) -> Void) {
        self.flush = flush
        buffer.bytes.reserveCapacity(chunk + 4096)
    }

    /// Steps every run of `experiment` for `steps` and writes its rows as they come.
    ///
    /// JSON names each run's status before its rows, so a run is stepped twice there: once to learn how it
    /// ends (keeping nothing), once to write it. Both passes are the same `Run`, so they agree bit for bit.
    ///
    /// `namedColumns`: the CSV header names θ's columns by the objective's parameter names (`x`, `y`; a formula's
    /// variables; `w[feature]` and `b`), as JSON's `parameters` does, instead of `p0`, `p1`, … (the torch
    /// references' form, which the default keeps).
    public mutating func write(_ experiment: Experiment, steps: Int, format: Format, columns: [Column] = [], namedColumns: Bool = false) {
        let dimension = experiment.objective.dimension
        self.columns = columns
        lowestMinimum = experiment.objective.knownMinima.map { experiment.objective.loss(at: $0) }.min() ?? .nan
        switch format {
        case .csv:
            let names = namedColumns ? experiment.objective.parameterNames.map(TrajectoryReport.csvField) : (0..<dimension).map { "p\($0)" }
            append("run,step,loss," + names.joined(separator: ",")
                   + columns.map { "," + $0.rawValue }.joined() + "\n")
            for program in experiment.programs() {
                let label = TrajectoryReport.csvField(program.run.label)
                var program = program
                csvRow(label, program.run)
                program.play(steps: steps) { csvRow(label, $0) }
            }
        case .json:
            let names = experiment.objective.parameterNames
            append("{\n  \"scenario\": \(TrajectoryReport.jsonString(experiment.scenario.name)),\n")
            append("  \"parameters\": [" + names.map(TrajectoryReport.jsonString).joined(separator: ", ") + "],\n")
            append("  \"runs\": [\n")
            let programs = experiment.programs()
            for (index, original) in programs.enumerated() {
                var ending = original
                ending.play(steps: steps)
                append("    {\n      \"label\": \(TrajectoryReport.jsonString(original.run.label)),\n")
                append("      \"status\": \(TrajectoryReport.jsonString(ending.run.status.description)),\n")
                if case .diverged(let step, _) = ending.run.status { append("      \"diverged_at\": \(step),\n") }
                append("      \"trajectory\": [\n")
                var program = original
                var first = true
                func row(_ run: borrowing Run) {
                    if !first { append(",\n") }
                    first = false
                    jsonRow(run)
                }
                row(program.run)
                program.play(steps: steps) { row($0) }
                append("\n      ]\n    }" + (index + 1 < programs.count ? ",\n" : "\n"))
            }
            append("  ]\n}\n")
        }
        if !buffer.bytes.isEmpty { flush(buffer.bytes); buffer.bytes.removeAll(keepingCapacity: true) }
    }

    private mutating func csvRow(_ label: String, _ run: borrowing Run) {
        append(label)
        append(",")
        appendNumber(run.stepCount)
        append(",")
        appendNumber(run.loss)
        run.parameters.withUnsafeBufferPointer { theta in
            for value in theta { buffer.bytes.append(UInt8(ascii: ",")); appendNumber(value) }
        }
        for column in columns { buffer.bytes.append(UInt8(ascii: ",")); appendNumber(value(column, run)) }
        append("\n")
        if buffer.bytes.count >= chunk { flush(buffer.bytes); buffer.bytes.removeAll(keepingCapacity: true) }
    }

    private mutating func jsonRow(_ run: borrowing Run) {
        func number(_ v: Double) { if v.isFinite { appendNumber(v) } else { append("null") } }
        append("        {\"step\": ")
        appendNumber(run.stepCount)
        append(", \"loss\": ")
        number(run.loss)
        append(", \"params\": [")
        run.parameters.withUnsafeBufferPointer { theta in
            for (i, value) in theta.enumerated() {
                if i > 0 { append(", ") }
                number(value)
            }
        }
        append("]")
        for column in columns {
            append(", \"\(column.rawValue)\": ")
            number(value(column, run))
        }
        append("}")
        if buffer.bytes.count >= chunk { flush(buffer.bytes); buffer.bytes.removeAll(keepingCapacity: true) }
    }

    private func value(_ column: Column, _ run: borrowing Run) -> Double {
        switch column {
        case .lr: run.hyperparameters.lr
        case .gradNorm: run.gradientNorm()
        case .lossGap: run.loss - lowestMinimum
        }
    }

    private mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { buffer.bytes.append(contentsOf: $0) }
    }

    /// A step number in decimal, without making a String.
    private mutating func appendNumber(_ n: Int) {
        if n < 0 { buffer.bytes.append(UInt8(ascii: "-")); appendNumber(-n); return }
        if n >= 10 { appendNumber(n / 10) }
        buffer.bytes.append(UInt8(ascii: "0") + UInt8(n % 10))
    }

    /// A Double as `NumberFormat.exact` writes it, without making a String.
    private mutating func appendNumber(_ value: Double) {
        NumberFormat.write(value, to: &buffer)
    }
}

/// The report's bytes, as a text stream that Double writes its digits into directly.
struct ByteBuffer: TextOutputStream {
    var bytes: [UInt8] = []

    mutating func write(_ string: String) {
        var string = string
        string.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// The standard library's hook for ASCII output (Double's digits): without it each number would
    /// first become a String, which for 17 significant digits means an allocation.
    mutating func _writeASCII(_ buffer: UnsafeBufferPointer<UInt8>) {
        bytes.append(contentsOf: buffer)
    }
}
