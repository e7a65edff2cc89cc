import ArgumentParser
import DescentCore
import Foundation

enum SweepFormat: String, ExpressibleByArgument, CaseIterable {
    case table, csv, svg
}

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Map the hyperparameter plane: run every cell of a grid of two hyperparameters and report a metric.",
        discussion: """
            Each cell is the chosen run (its start, its other hyperparameters) with the two axes' values, \
            stepped as `descent run` steps it: a cell's numbers equal `descent run` with that setting, bit for bit. \
            Axes: NAME=FROM:TO[:log]:COUNT, NAME one of \(HyperparameterField.numeric.map(\.name).joined(separator: ", ")). \
            Metrics: final-loss, steps-to=LOSS (first step at or below LOSS), rate (mean factor per step of \
            ‖∇f + weight_decay·θ‖ over the second half), diverged (the step it diverged at).

            --shard K/N computes the cells whose index is K−1 modulo N: run N of them anywhere (a Slurm array, \
            GNU parallel) and `descent merge` the CSV parts into the whole sweep.

            Examples:
              descent sweep Scenarios/02-rosenbrock-valley.yaml --x lr=1e-4:1e-2:log:60 --y momentum=0:0.99:20
              descent sweep Scenarios/04-polyak-optimal.yaml --x lr=1e-3:0.1:log:200 --y momentum=0:0.99:100 --metric rate --format csv
              descent sweep FILE --x lr=1e-4:1:log:200 --y momentum=0:0.99:100 --format csv --shard 3/8 > part-3.csv
              descent sweep Scenarios/16-stability-edge-momenta.yaml --x lr=1e-3:0.1:log:120 --y momentum=0:0.99:60 --format svg > map.svg
            """)

    @OptionGroup var scenario: ScenarioOptions
    @Option(name: .customLong("x"), help: "The horizontal axis, NAME=FROM:TO[:log]:COUNT (e.g. lr=1e-4:1:log:200).") var xAxis: String
    @Option(name: .customLong("y"), help: "The vertical axis (e.g. momentum=0:0.99:100).") var yAxis: String
    @Option(name: .customLong("run"), help: "The run whose other settings and start the cells take (default: the first).") var runLabel: String?
    @Option(help: "final-loss, steps-to=LOSS, rate or diverged.") var metric: String = "final-loss"
    @Option(help: "table (a heatmap), csv (one row per cell) or svg (the heatmap as a picture).") var format: SweepFormat = .table
    @Option(help: "Compute only the K-th of N interleaved parts, K/N.") var shard: String?

    func run() throws {
        let x = try SweepAxis(parsing: xAxis, flag: "--x")
        let y = try SweepAxis(parsing: yAxis, flag: "--y")
        let metric = try SweepMetric(parsing: metric)
        let shard = try shard.map { text throws(InputError) in try Shard(parsing: text) }
        guard let experiment = try scenario.experiment() else {
            throw InputError(message: "give a scenario FILE or --objective KIND (see `descent sweep --help`)")
        }
        let program = try AnalyzeCommand.pickProgram(runLabel, in: experiment)
        let base = program.run
        if !program.events.isEmpty {
            // A sweep varies the run's settings from its start: the session's changes to it would fight that.
            printError("note: run '\(base.label)' has events in this file; the sweep runs it from its start without them")
        }
        let sweep = try Sweep(base: base, x: x, y: y, steps: experiment.scenario.steps, metric: metric)
        // Counted before the cells are listed: a sweep too big for memory is one line, not a failed allocation.
        let count = shard.map { (sweep.cellCount - $0.index + $0.count) / $0.count } ?? sweep.cellCount
        let (limit, limitName) = Self.memoryLimit()
        try Sweep.checkMemory(cells: count, limit: limit, limitName: limitName)
        try sweep.checkWork(cells: count)
        let cells = sweep.cells(in: shard)
        let progress = ProgressBar(total: cells.count, enabled: TerminalTraits.standardErrorIsTerminal)
        let results = sweep.run(cells: cells) { progress.show($0) }
        progress.finish()
        switch format {
        case .csv:
            Console.current.out(Data(SweepReport.csv(sweep, results)))
        case .table:
            let map = SweepMap(sweep: sweep, cells: results, scenario: experiment.scenario.name, traits: .ofStandardOutput())
            Console.current.out(Data(TerminalTraits.readable(map.text()).utf8))
        case .svg:
            let map = SweepMap(sweep: sweep, cells: results, scenario: experiment.scenario.name, traits: .ofStandardOutput())
            Console.current.out(Data(map.svg().utf8))
        }
    }
}

extension SweepCommand {
    /// The memory a sweep may take: half the machine's, or the address-space limit (`ulimit -v`) when lower.
    static func memoryLimit() -> (bytes: UInt64, name: String) {
        var limit = rlimit()
        let half = ProcessInfo.processInfo.physicalMemory / 2
        if getrlimit(__rlimit_resource_t(RLIMIT_AS.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max, UInt64(limit.rlim_cur) / 2 < half {
            return (UInt64(limit.rlim_cur) / 2, "half the address-space limit (ulimit -v)")
        }
        return (half, "half this machine's memory")
    }
}

/// A one-line bar on stderr, redrawn at most ten times a second; nothing when stderr is not a terminal.
final class ProgressBar {
    let total: Int
    let enabled: Bool
    private var lastDrawn = ContinuousClock.now
    private var drawn = false

    init(total: Int, enabled: Bool) { self.total = total; self.enabled = enabled }

    func show(_ done: Int) {
        guard enabled, ContinuousClock.now - lastDrawn > .milliseconds(100) || !drawn else { return }
        lastDrawn = .now
        drawn = true
        let width = 30, filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        Console.current.err(Data("\r[\(bar)] \(done)/\(total) cells".utf8))
    }

    func finish() {
        if enabled && drawn { Console.current.err(Data("\r\u{1B}[K".utf8)) }
    }
}

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "Join the CSV parts of a sharded sweep (--shard K/N) into the whole sweep's CSV.",
        discussion: """
            The parts may come in any order; the output is byte for byte what the sweep without --shard writes.
            Example:
              descent merge part-*.csv > sweep.csv
            """)

    @Argument(help: "The parts, each written by `descent sweep … --format csv --shard K/N`.") var parts: [String]

    func run() throws {
        guard !parts.isEmpty else { throw InputError(message: "give the CSV parts to merge") }
        var header: String?
        var rows: [(cell: Int, line: Substring, path: String, number: Int)] = []
        var texts: [String] = []
        for path in parts {
            try RegularFile.check(path)
            guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
                throw InputError(file: path, message: "cannot be read")
            }
            texts.append(text)
        }
        for (path, text) in zip(parts, texts) {
            // CRLF parts (a part saved on Windows) read as LF ones: "\r\n" is one Character, a newline.
            let lines = text.split(whereSeparator: \.isNewline)
            guard let first = lines.first, first.hasPrefix("cell,") else {
                throw InputError(file: path, line: 1, message: "is not a sweep CSV (its header does not start with 'cell,')")
            }
            if let header, header != first {
                throw InputError(file: path, line: 1, message: "has the header '\(first)', another part has '\(header)': parts of different sweeps")
            }
            header = String(first)
            for (number, line) in lines.enumerated().dropFirst() {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false)
                guard fields.count == 4, let cell = Int(fields[0]), cell >= 0 else {
                    throw InputError(file: path, line: number + 1, message: "is not a row of a sweep CSV (cell,X,Y,METRIC)")
                }
                guard !line.contains("\u{0}"), fields[1...2].allSatisfy({ Double($0) != nil }), fields[3].isEmpty || Double(fields[3]) != nil else {
                    throw InputError(file: path, line: number + 1, message: "has a field that is not a number")
                }
                rows.append((cell, line, path, number + 1))
            }
        }
        rows.sort { $0.cell < $1.cell }
        for (k, row) in rows.enumerated() where row.cell != k {
            if row.cell < k {
                let first = rows[k - 1]
                throw InputError(file: row.path, line: row.number,
                                 message: "cell \(row.cell) is also in \(first.path):\(first.number): a part given twice, or parts of different sweeps")
            }
            throw InputError(message: "cell \(k) is in none of the \(parts.count) parts (\(row.path) goes on from cell \(row.cell)): a part is missing")
        }
        var out = header! + "\n"
        for row in rows { out += row.line + "\n" }
        Console.current.out(Data(out.utf8))
    }
}
