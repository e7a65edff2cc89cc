import Foundation
import Testing

/// Every bad input gives exactly one line on stderr naming the file and the field or line, and exit 2.
@Suite struct BadInputTests {
    static let valid = """
        name: ok
        objective: {kind: quadratic, eigenvalues: [1, 10]}
        start: [1, 2]
        runs:
          - {label: a, lr: 0.1}

        """

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var yaml: String?
        var csv: String? = nil
        var arguments: [String]? = nil
        /// Fragments the single error line must contain.
        var expected: [String]
        var testDescription: String { name }
    }

    static func scenario(runs: String, kind: String = "beale", expect: String = "") -> String {
        "name: x\nobjective: {kind: \(kind)}\nstart: [1, 1]\nruns:\n\(runs)" + (expect.isEmpty ? "" : "expect:\n\(expect)")
    }

    static let cases: [Case] = [
        // User text holding newlines, escapes and DEL is quoted with escapes: the message stays one line.
        Case(name: "duplicate labels with a newline", yaml: scenario(runs: "  - {label: \"a\\nb\", lr: 0.1}\n  - {label: \"a\\nb\", lr: 0.2}\n"),
             expected: ["s.yaml:6", "runs[1].label", "'a\\nb' is used by an earlier run"]),
        Case(name: "unknown key with a newline", yaml: scenario(runs: "  - {label: a, lr: 0.1, \"mo\\nmentum\": 1}\n"),
             expected: ["s.yaml:5", "unknown key 'mo\\nmentum'"]),
        Case(name: "unknown kind with a newline", yaml: scenario(runs: "  - {label: a, lr: 0.1}\n", kind: "\"bea\\nle\""),
             expected: ["s.yaml:2", "objective.kind", "unknown objective 'bea\\nle'"]),
        Case(name: "check naming no run, with a newline and escapes",
             yaml: scenario(runs: "  - {label: \"a\\x7f\\e[2J\", lr: 0.1}\n", expect: "  - {run: \"no\\nsuch\", diverges: false}\n"),
             expected: ["s.yaml:7", "names no run 'no\\nsuch' (runs: a\\u{7F}\\e[2J)"]),
        Case(name: "update flag with a newline", yaml: nil, arguments: ["run", "--objective", "beale", "--lr", "0.1", "--update", "si\ngn"],
             expected: ["--update", "'si\\ngn' is invalid", "'sgd' and 'sign'"]),
        Case(name: "file path with a newline", yaml: nil, arguments: ["run", "no\nfile.yaml"], expected: ["no\\nfile.yaml: no such file"]),
        // Found by trying it as an attacker would.
        Case(name: "a formula nested 2000 deep, from flags", yaml: nil,
             arguments: ["run", "--objective", "f=" + String(repeating: "(", count: 2000) + "x", "--lr", "0.1"],
             expected: ["--objective: column 101: nested more than 100 deep"]),
        Case(name: "a formula nested 2000 deep, in a file",
             yaml: "name: x\nobjective: {kind: expression, f: \"" + String(repeating: "(", count: 2000) + "x\"}\nstart: [1, 1]\nruns: [{label: a, lr: 0.1}]\n",
             expected: ["s.yaml:2: objective.f: column 101: nested more than 100 deep"]),
        Case(name: "a formula of 10000 terms", yaml: nil,
             arguments: ["run", "--objective", "f=" + Array(repeating: "x", count: 10000).joined(separator: "+"), "--lr", "0.1"],
             expected: ["--objective: column 4097: the formula is longer than 4096 characters"]),
        Case(name: "a NUL inside a data cell", yaml: "name: x\nobjective: {kind: linear-regression, data: d.csv}\nstart: [0, 0]\nruns: [{label: a, lr: 0.1}]\n",
             csv: "x,y\n1\u{0}zzz,2\n3,4\n", expected: ["s.yaml:2: objective.data: d.csv:2: column 'x' is not a finite number: '1\\u{0}zzz'"]),
        Case(name: "a megabyte cell is cut short in the message", yaml: "name: x\nobjective: {kind: linear-regression, data: d.csv}\nstart: [0, 0]\nruns: [{label: a, lr: 0.1}]\n",
             csv: "x,y\n" + String(repeating: "z", count: 1_000_000) + ",2\n", expected: ["is not a finite number: '" + String(repeating: "z", count: 40) + "…'"]),
        Case(name: "a check racing a run against itself", yaml: scenario(runs: "  - {label: a, lr: 0.1}\n", expect: "  - {faster: a, than: a, to_loss: 1}\n"),
             expected: ["s.yaml:7: expect[0].than: names the same run as faster ('a')"]),
        Case(name: "a negative distance in a check", yaml: scenario(runs: "  - {label: a, lr: 0.1}\n", expect: "  - {run: a, ends_near: [3, 0.5], within: -1}\n"),
             expected: ["s.yaml:7: expect[0].within: must be a finite distance ≥ 0, got -1.0"]),
        Case(name: "a NaN bound in a check", yaml: scenario(runs: "  - {label: a, lr: 0.1}\n", expect: "  - {run: a, final_loss_below: .nan}\n"),
             expected: ["s.yaml:7: expect[0].final_loss_below: must be a number, got nan"]),
        Case(name: "NaN synthetic noise from flags", yaml: nil,
             arguments: ["run", "--objective", "linear-regression", "--samples", "10", "--weights", "1,2", "--noise", "nan", "--lr", "0.1", "--start", "0,0,0"],
             expected: ["--noise: must be finite, got nan"]),
        Case(name: "plot into a folder", yaml: nil, arguments: ["plot", Binary.projectRoot + "/Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml", "-o", "/tmp"],
             expected: ["-o: /tmp is a folder; give a file name"]),
        Case(name: "plot to no name", yaml: nil, arguments: ["plot", Binary.projectRoot + "/Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml", "-o", ""],
             expected: ["-o: needs a file name"]),
        Case(name: "an angle past all use", yaml: nil, arguments: ["run", "--objective", "quadratic", "--eigenvalues", "1,10", "--angle", "1e308", "--lr", "0.1"],
             expected: ["--angle: must be between -3600 and 3600 degrees, got 1e+308"]),
        Case(name: "the Hessian of a formula of 200 variables is not worked out",
             yaml: "name: x\nobjective: {kind: expression, f: \"" + (1...200).map { "x\($0)" }.joined(separator: "+") + "\"}\nstart: ["
                + Array(repeating: "1", count: 200).joined(separator: ", ") + "]\nruns: [{label: a, lr: 0.001}]\nsteps: 1\n",
             arguments: ["analyze", "s.yaml"], expected: ["s.yaml: the Hessian of 200 parameters is too big to decompose (at most 128)"]),
        Case(name: "a flag the objective has no use for", yaml: nil, arguments: ["run", "--objective", "himmelblau", "--a", "3", "--lr", "0.1"],
             expected: ["--a: is not a parameter of himmelblau, which has none"]),
        Case(name: "a start left empty swallows the next flag", yaml: nil, arguments: ["run", "--start=", "--lr", "1e-3"],
             expected: ["--start: needs a value, got the flag '--lr'"]),
        // Messages that named the wrong thing or too little.
        Case(name: "unknown objective from flags", yaml: nil, arguments: ["run", "--objective", "foo", "--lr", "0.1"],
             expected: ["--objective: unknown objective 'foo' (known: quadratic"]),
        Case(name: "unknown objective from flags, with a start", yaml: nil, arguments: ["run", "--objective", "foo", "--lr", "0.1", "--start", "1,2"],
             expected: ["--objective: unknown objective 'foo'"]),
        Case(name: "negative steps flag", yaml: nil, arguments: ["run", "--objective", "beale", "--lr", "0.1", "--steps=-1"],
             expected: ["--steps: must be between 0 and 10000000, got -1"]),
        Case(name: "a list inside start", yaml: "name: x\nobjective: {kind: beale}\nstart: [[1, 2]]\nruns: [{label: a, lr: 0.1}]\n",
             expected: ["s.yaml:3: start[0]: expected a number, found a list"]),
        Case(name: "a list for lr", yaml: scenario(runs: "  - {label: a, lr: [0.01]}\n"), expected: ["s.yaml:5: runs[0].lr: expected a number, found a list"]),
        Case(name: "a number for start", yaml: "name: x\nobjective: {kind: beale}\nstart: 5\nruns: [{label: a, lr: 0.1}]\n",
             expected: ["s.yaml:3: start: expected a list of numbers, found '5'"]),
        Case(name: "YAML that does not parse", yaml: "name: x\nobjective: {kind: beale\nstart: [1, 2]\nruns: [{label: a, lr: 0.1}]\n",
             expected: ["s.yaml:3: not valid YAML: "]),
        Case(name: "a raw DEL in YAML", yaml: scenario(runs: "  - {label: \"a\u{7F}b\", lr: 0.1}\n"),
             expected: ["s.yaml:5: not valid YAML: control characters are not allowed (U+007F) at column 15"]),
        Case(name: "a label that is not 0/1 in logistic data", yaml: "name: x\nobjective: {kind: logistic-regression, data: d.csv}\nstart: [0, 0, 0]\nruns: [{label: a, lr: 0.1}]\n",
             csv: "a,b,y\n1,2,0\n4,5,2\n", expected: ["s.yaml:2: objective.data: d.csv:3: logistic regression needs 0/1 labels in the last column, got 2"]),
        Case(name: "missing file", yaml: nil, arguments: ["run", "nowhere.yaml"], expected: ["nowhere.yaml", "no such file"]),
        Case(name: "synthetic data too large to make",
             yaml: "name: big\nobjective: {kind: linear-regression, synthetic: {samples: 1000000000000, weights: [1, 2]}}\nstart: [0, 0, 0]\nruns: [{label: a, lr: 0.1}]\n",
             expected: ["s.yaml:2", "objective.synthetic.samples", "at most 50000000 numbers"]),
        // 300 bytes standing for 10⁸ nodes; as a mapping key, composing it took minutes.
        Case(name: "YAML alias bomb as a mapping key", yaml: "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]\n? *h\n: 1\n",
             expected: ["s.yaml:5", "alias *d", "100000 nodes"]),
        Case(name: "YAML alias bomb before a valid scenario", yaml: valid + "description: x\n" + "a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g,*g]\n",
             expected: ["s.yaml:11", "alias *d"]),
        Case(name: "recorded output too large", yaml: valid.replacingOccurrences(of: "start: [1, 2]", with: "start: [1, 2]\nsteps: 10000000") + (0..<120).map { "  - {label: r\($0), lr: 0.1}\n" }.joined(),
             arguments: ["run", "s.yaml", "--format", "csv"], expected: ["s.yaml", "steps", "--format csv would write", "at most 1000000000 numbers"]),
        Case(name: "YAML that does not parse", yaml: "name: x\nobjective: {kind: beale\nstart: [1, 2]\n",
             expected: ["s.yaml:3", "not valid YAML"]),
        Case(name: "wrong type", yaml: valid.replacingOccurrences(of: "lr: 0.1", with: "lr: fast"),
             expected: ["s.yaml:5", "runs[0].lr", "expected a number"]),
        Case(name: "unknown key", yaml: valid.replacingOccurrences(of: "lr: 0.1", with: "lr: 0.1, momentun: 0.9"),
             expected: ["s.yaml:5", "runs[0].momentun", "unknown key"]),
        Case(name: "unknown objective", yaml: valid.replacingOccurrences(of: "kind: quadratic", with: "kind: rosenbrok"),
             expected: ["s.yaml:2", "objective.kind", "unknown objective 'rosenbrok'"]),
        Case(name: "start of the wrong length", yaml: valid.replacingOccurrences(of: "[1, 2]", with: "[1, 2, 3]"),
             expected: ["s.yaml:3", "start", "has 3 numbers"]),
        Case(name: "negative lr", yaml: valid + "  - {label: b, lr: -1}\n",
             expected: ["s.yaml:6", "runs[1].lr", "Invalid learning rate: -1"]),
        Case(name: "nesterov with dampening",
             yaml: valid.replacingOccurrences(of: "lr: 0.1", with: "lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true"),
             expected: ["runs[0].nesterov", "Nesterov momentum requires a momentum and zero dampening"]),
        Case(name: "negative weight decay", yaml: valid.replacingOccurrences(of: "lr: 0.1", with: "lr: 0.1, weight_decay: -0.1"),
             expected: ["runs[0].weight_decay", "Invalid weight_decay value: -0.1"]),
        Case(name: "duplicate labels", yaml: valid + "  - {label: a, lr: 0.2}\n", expected: ["runs[1].label", "unique"]),
        Case(name: "ragged CSV row",
             yaml: "name: x\nobjective: {kind: linear-regression, data: d.csv}\nstart: [0, 0, 0]\nruns: [{label: a, lr: 0.1}]\n",
             csv: "a,b,y\n1,2,3\n4,5\n", expected: ["d.csv:3", "ragged row"]),
        Case(name: "non-numeric CSV row",
             yaml: "name: x\nobjective: {kind: linear-regression, data: d.csv}\nstart: [0, 0, 0]\nruns: [{label: a, lr: 0.1}]\n",
             csv: "a,b,y\n1,2,3\n4,five,6\n", expected: ["d.csv:3", "column 'b'"]),
        Case(name: "missing data file",
             yaml: "name: x\nobjective: {kind: linear-regression, data: gone.csv}\nstart: [0, 0]\nruns: [{label: a, lr: 0.1}]\n",
             expected: ["s.yaml", "objective.data", "gone.csv: no such file"]),
        Case(name: "invalid flag value", yaml: nil,
             arguments: ["run", "--objective", "beale", "--lr=-1"], expected: ["lr", "Invalid learning rate: -1"]),
        Case(name: "unknown flag", yaml: nil, arguments: ["run", "--objective", "beale", "--lr", "1", "--momentun", "1"],
             expected: ["--momentun"]),
        // Issue 18: each message names the flag or field, what was expected and what came.
        Case(name: "a negative seed", yaml: nil, arguments: ["run", "--objective", "rosenbrock", "--lr", "0.1", "--seed", "-1"],
             expected: ["'-1' is invalid for '--seed <seed>'", "expected a whole number from 0 to 18446744073709551615"]),
        Case(name: "a batch size flag over a file", yaml: valid, arguments: ["run", "s.yaml", "--batch-size", "0"],
             expected: ["--batch-size: sets the objective, which the scenario file s.yaml gives"]),
        Case(name: "a state lr without a schedule",
             yaml: valid.replacingOccurrences(of: "lr: 0.1}", with: "lr: 0.1, state: {step: 3, parameters: [1, 1], lr: 0.05}}"),
             expected: ["s.yaml:5", "runs[0].state.lr", "this run has no schedule"]),
        Case(name: "a state past the steps",
             yaml: valid.replacingOccurrences(of: "lr: 0.1}", with: "lr: 0.1, state: {step: 300, parameters: [1, 1]}}") + "steps: 200\n",
             expected: ["runs[0].state.step", "is 300, past the scenario's steps (200)"]),
        Case(name: "saving a state when every run is deleted",
             yaml: valid + "events:\n  - {step: 2, run: a, delete: true}\n", arguments: ["run", "s.yaml", "--save-state", "new.yaml"],
             expected: ["--save-state: every run is deleted by the scenario's events"]),
        Case(name: "a list as a key", yaml: valid + "? [a, b]\n: 3\n", expected: ["s.yaml:6", "a key must be plain text, got a list"]),
        Case(name: "a mapping as a key in a run", yaml: valid.replacingOccurrences(of: "lr: 0.1}", with: "lr: 0.1, {x: 1}: 2}"),
             expected: ["s.yaml:5", "runs[0]", "a key must be plain text, got a mapping"]),
        Case(name: "a tab in the indentation", yaml: "name: x\nobjective: {kind: beale}\nstart: [1, 1]\nruns:\n\t- {label: a, lr: 0.1}\n",
             expected: ["s.yaml:5", "a tab indents this line; YAML indents with spaces only"]),
        Case(name: "nesting past libyaml's limit",
             yaml: "name: x\nobjective: {kind: beale}\nstart: " + String(repeating: "[", count: 1500) + String(repeating: "]", count: 1500) + "\nruns: [{label: a, lr: 0.1}]\n",
             expected: ["s.yaml:3", "nested more than 1000 deep"]),
        Case(name: "a 4000-digit number is cut", yaml: valid + "steps: " + String(repeating: "9", count: 4000) + "\n",
             expected: ["steps: expected a whole number", "…(4000 characters)…99999999'"]),
        Case(name: "invisible characters are escaped",
             yaml: "name: x\nobjective: {kind: beale}\nstart: [1, 1]\nruns: [{label: \"a\\u200Bb\\uFEFF\", lr: 0.1}, {label: \"a\\u200Bb\\uFEFF\", lr: 0.1}]\n",
             expected: ["'a\\u{200B}b\\u{FEFF}' is used by an earlier run"]),
        Case(name: "labels that look the same", yaml: valid + "  - {label: \"a \", lr: 0.2}\n",
             expected: ["runs[1].label", "'a ' looks the same as an earlier run's 'a'"]),
        Case(name: "a hexadecimal CSV cell",
             yaml: "name: x\nobjective: {kind: linear-regression, data: d.csv}\nstart: [0, 0, 0]\nruns: [{label: a, lr: 0.1}]\n",
             csv: "a,b,y\n1,2,3\n4,0x10,6\n", expected: ["d.csv:3", "column 'b' is not a finite number: '0x10'"]),
        Case(name: "a session snapshot before its last event",
             yaml: valid + "steps: 100\nevents:\n  - {step: 40, run: a, set: {momentum: 0.5}}\n", arguments: ["snapshot", "s.yaml", "--steps", "5"],
             expected: ["--steps: is 5, before the session's last event (at step 40)"]),
        Case(name: "a check with two conditions", yaml: valid + "expect:\n  - {run: a, final_loss_below: 100, diverges: true}\n",
             expected: ["s.yaml:7", "expect[0].diverges: one check per entry"]),
    ]

    /// A FIFO as a data file or a scenario is refused at once: opening it to read would wait for a writer forever.
    @Test func pipesAreRefusedNotWaitedOn() throws {
        let dir = try TemporaryDirectory()
        #expect(mkfifo(dir.path + "/d.csv", 0o600) == 0 && mkfifo(dir.path + "/p.yaml", 0o600) == 0)
        try dir.write("s.yaml", "name: x\nobjective: {kind: linear-regression, data: d.csv}\nstart: [0, 0]\nruns: [{label: a, lr: 0.1}]\n")
        for (arguments, expected) in [(["run", "s.yaml"], "s.yaml:2: objective.data: d.csv: is a pipe (FIFO), not a file"),
                                      (["run", "p.yaml"], "p.yaml: is a pipe (FIFO), not a file")] {
            let result = try Binary.run(arguments, in: dir.path)
            #expect(result.status == 2 && result.stderr.contains(expected), "\(result.stderr)")
        }
    }

    /// `merge` reads a part saved with CRLF line endings as its rows (it used to pass one as a single header
    /// line), and refuses a NUL inside a row.
    @Test func mergeReadsCRLFPartsAndRefusesNUL() throws {
        let dir = try TemporaryDirectory()
        try dir.write("a.csv", "cell,lr,momentum,final_loss\r\n0,0.1,0,1.5\r\n1,0.2,0,2.5\r\n")
        let merged = try Binary.run(["merge", "a.csv"], in: dir.path)
        #expect(merged.status == 0 && merged.stdout == "cell,lr,momentum,final_loss\n0,0.1,0,1.5\n1,0.2,0,2.5\n", "\(merged.stdout.debugDescription) \(merged.stderr)")
        try dir.write("b.csv", "cell,lr,momentum,final_loss\r\nfoo,bar\r\n")
        #expect(try Binary.run(["merge", "b.csv"], in: dir.path).stderr.contains("b.csv:2: is not a row of a sweep CSV"))
        try dir.write("c.csv", "cell,lr,momentum,final_loss\n0,1,2,3\u{0}junk\n")
        #expect(try Binary.run(["merge", "c.csv"], in: dir.path).stderr.contains("c.csv:2: has a field that is not a number"))
    }

    @Test(arguments: cases)
    func oneClearLineAndExitTwo(_ testCase: Case) throws {
        let dir = try TemporaryDirectory()
        if let yaml = testCase.yaml { try dir.write("s.yaml", yaml) }
        if let csv = testCase.csv { try dir.write("d.csv", csv) }
        let result = try Binary.run(testCase.arguments ?? ["run", "s.yaml"], in: dir.path)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)")
        for fragment in testCase.expected {
            #expect(result.stderr.contains(fragment), "'\(fragment)' not in: \(result.stderr)")
        }
        #expect(!result.stderr.contains("Fatal error"))
        #expect(!result.stderr.hasSuffix(":\n"), "the message ends on a colon: \(result.stderr)")
        #expect(!result.stderr.dropLast().unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) },
                "control characters reach the terminal: \(result.stderr.debugDescription)")
    }
}

/// A sweep too big for the memory it may take is refused before anything is allocated, with the estimate
/// and the limit (it once allocated until it failed, with a backtrace).
@Suite struct SweepMemoryTests {
    @Test func aSweepPastTheMemoryLimitIsOneLine() throws {
        let result = try Binary.shell("ulimit -v 1000000; exec '\(Binary.path)' sweep Scenarios/02-rosenbrock-valley.yaml --x lr=1e-4:1e-2:log:4000 --y momentum=0:0.99:4000 --steps 1")
        #expect(result.status == 2)
        #expect(result.stderr == "error: --x: 16000000 cells need about 2.7 GB of memory; half the address-space limit (ulimit -v) allows 512 MB: take fewer cells, or split the sweep with --shard K/N\n", "\(result.stderr)")
    }
}
