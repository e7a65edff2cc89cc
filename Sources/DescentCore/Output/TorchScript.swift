/// `descent export --torch`: a scenario as one self-contained Python script (torch and the standard library
/// only, float64) that prints what `descent run --format csv` prints.
///
/// Every run is a `torch.optim.SGD` on one flat parameter tensor; schedules are `torch.optim.lr_scheduler`s; the
/// scenario's events (and a lesson's sets) are played as Descent's one interpreter plays them (`RunProgram`):
/// `set` as param-group edits at the run's step, `reset` and `start` as a fresh optimizer, `copy` as a new run
/// carrying the optimizer's, scheduler's and streams' state, `delete` as the run's end. AutoRound's sign update
/// and the Sutskever convention are written out where a run uses them. Minibatch order and gradient noise come
/// from Descent's seeded streams (SplitMix64, Fisher–Yates, Marsaglia's polar method with Descent's portable
/// log), written in Python with the same integer and IEEE operations, so they are the same draws.
public enum TorchScript {
    /// The script, or the reason this scenario cannot be exported (naming the field).
    public static func script(_ experiment: Experiment, file: String) throws(InputError) -> String {
        let scenario = experiment.scenario, objective = experiment.objective
        guard let body = objective.torchSource else {
            throw InputError(file: file, field: "objective", message: "kind '\(objective.kind)' is not exported to torch yet")
        }
        // Which labels have a schedule (copies inherit their source's), checked in the interpreter's order.
        var scheduled: [String: Bool] = [:]
        for (index, spec) in scenario.runs.enumerated() {
            if spec.state != nil { throw InputError(file: file, field: "runs[\(index)].state", message: "a saved state is not exported to torch") }
            scheduled[spec.label] = spec.schedule != nil
        }
        for (event, origin) in scenario.timelineWithOrigins {
            switch event.action {
            case .set(let patch):
                if patch[.update] != nil || patch[.convention] != nil {
                    throw InputError(file: file, field: origin, message: "a change of update or convention mid-run is not exported to torch")
                }
                if patch.lr != nil && scheduled[event.run] == true {
                    throw InputError(file: file, field: origin, message: "an lr edit on a scheduled run is not exported to torch")
                }
            case .copy(let label): scheduled[label] = scheduled[event.run] ?? false
            case .reset, .start, .delete: break
            }
        }

        var programLines: [String] = []
        // A scheduler warns when it steps after a step it did not see torch's SGD take: the hand-written ones.
        let handScheduled = experiment.runs.contains { $0.schedule != nil && ($0.hyperparameters.update != .sgd || $0.hyperparameters.convention != .pytorch) }
        var usesStreams = objective.torchSetup.contains("Stream(")
        let programs = experiment.programs()
        for (index, program) in programs.enumerated() {
            let events = program.events.map { "(\($0.step), \(action($0.action)))" }.joined(separator: ", ")
            guard index < experiment.runs.count else {
                programLines.append("    play(made[\(q(program.run.label))], [\(events)])")
                continue
            }
            let run = program.run, h = run.specifiedHyperparameters
            var arguments = [q(run.label), "[\(run.start.map(n).joined(separator: ", "))]",
                             "lr=\(n(h.lr))", "momentum=\(n(h.momentum))", "dampening=\(n(h.dampening))",
                             "weight_decay=\(n(h.weightDecay))", "nesterov=\(py(h.nesterov))", "maximize=\(py(h.maximize))",
                             "update=\(q(h.update.rawValue))", "convention=\(q(h.convention.rawValue))"]
            if let schedule = run.schedule { arguments.append("schedule=\(scheduler(schedule))") }
            if let batches = run.batches { arguments.append("batch_size=\(batches.batchSize), seed=\(batches.seed)"); usesStreams = true }
            if let noise = run.noise { arguments.append("noise=\(n(noise.sigma)), noise_seed=\(noise.seed)"); usesStreams = true }
            programLines.append("    play(Run(\(arguments.joined(separator: ", "))), [\(events)])")
        }
        let imports = ["copy"] + (objective.torchSetup.contains("csv.") ? ["csv"] : []) + ["math"] + (handScheduled ? ["warnings"] : [])
        let header = (0..<objective.dimension).map { "p\($0)" }.joined(separator: ",")
        let name = FilePaths.name(of: file)
        let setup = objective.torchSetup.isEmpty ? "" : "\n" + objective.torchSetup + "\n"
        return """
            #!/usr/bin/env python3
            \"\"\"\(scenario.name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"\"\"", with: "'''")): exported by `descent export \(name) --torch`.

            Every run with torch.optim.SGD in float64 (AutoRound's sign update and the Sutskever convention are written
            out where a run uses them), its events played at its own step counts; prints the CSV of
            `descent run \(name) --format csv`.
            \"\"\"
            \(imports.map { "import " + $0 }.joined(separator: "\n"))

            import torch

            torch.set_default_dtype(torch.float64)\(handScheduled ? "\n# The hand-written step is not optimizer.step(), which the schedulers look for before they step." : "")\(handScheduled ? "\nwarnings.filterwarnings(\"ignore\", message=\"Detected call of `lr_scheduler.step\\\\(\\\\)` before\")" : "")
            STEPS = \(scenario.steps)
            RUNAWAY = 1e10  # a run has diverged once its loss passes RUNAWAY * max(1, |its start loss|), or is not finite
            \(usesStreams ? streams : "")\(setup)

            def f(p, batch=None):
                \"\"\"The objective at p: on all the data, or (a data set's) on the samples `batch`.\"\"\"
            \(body)


            def hand_step(p, group, state, update, convention):
                \"\"\"One step as torch's SGD takes it, with the sign update or the Sutskever convention written out.\"\"\"
                lr, mu, keep, wd = group["lr"], group["momentum"], 1 - group["dampening"], group["weight_decay"]
                d = -p.grad if group["maximize"] else p.grad.clone()
                if wd != 0:
                    d = d + wd * p
                if convention == "sutskever" and mu != 0:
                    scaled = lr * d
                    v = scaled.clone() if "v" not in state else mu * state["v"] + keep * scaled
                    state["v"] = v
                    change = scaled + mu * v if group["nesterov"] else v
                    p -= lr * torch.sign(change) if update == "sign" else change
                    return
                if mu != 0:
                    buf = d.clone() if "buf" not in state else mu * state["buf"] + keep * d
                    state["buf"] = buf
                    d = d + mu * buf if group["nesterov"] else buf
                p -= lr * torch.sign(d) if update == "sign" else lr * d


            class Run:
                \"\"\"One run: its parameters, optimizer, scheduler, minibatch order and gradient noise.\"\"\"

                def __init__(self, label, start, lr, momentum, dampening, weight_decay, nesterov, maximize, update, convention,
                             schedule=None, batch_size=None, seed=0, noise=None, noise_seed=0):
                    self.label, self.start, self.update, self.convention = label, start, update, convention
                    self.settings = dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                                         nesterov=nesterov, maximize=maximize)
                    self.schedule, self.batch_size, self.seed, self.noise, self.noise_seed = schedule, batch_size, seed, noise, noise_seed
                    self.reset()

                def build(self, point):
                    self.p = torch.tensor(point, requires_grad=True)
                    self.opt = torch.optim.SGD([self.p], **self.settings)
                    self.scheduler = self.schedule(self.opt) if self.schedule else None

                def reset(self):
                    \"\"\"Back to the start: a fresh optimizer (its buffer gone), scheduler, shuffle and noise stream.\"\"\"
                    self.build(self.start)
                    self.state, self.steps, self.diverged = {}, 0, False
                    self.batches = Batches(len(Y), self.batch_size, self.seed) if self.batch_size else None
                    self.gaussian = Stream(self.noise_seed ^ NOISE_SALT) if self.noise else None
                    self.loss = f(self.p).item()
                    self.bound = RUNAWAY * max(1.0, abs(self.loss))
                    self.check()

                def twin(self, label):
                    \"\"\"A copy of this run as it stands, under another label.\"\"\"
                    other = copy.copy(self)
                    other.label, other.settings = label, dict(self.settings)
                    other.build(self.p.detach().tolist())
                    other.opt.load_state_dict(copy.deepcopy(self.opt.state_dict()))  # its own buffer, not the source's
                    if self.scheduler:
                        other.scheduler.load_state_dict(copy.deepcopy(self.scheduler.state_dict()))
                    other.state = {key: value.clone() for key, value in self.state.items()}
                    other.batches, other.gaussian = copy.deepcopy(self.batches), copy.deepcopy(self.gaussian)
                    return other

                def assign(self, changes):
                    \"\"\"A `set` event: the param group's values, as assigning to param_groups[0] does.\"\"\"
                    for key, value in changes.items():
                        self.opt.param_groups[0][key] = value
                        self.settings[key] = value

                def check(self):
                    values = [self.loss] + self.p.detach().tolist()
                    self.diverged = not all(math.isfinite(v) for v in values) or abs(self.loss) > self.bound

                def step(self):
                    if self.diverged:
                        return False
                    self.opt.zero_grad()
                    f(self.p, self.batches.next() if self.batches else None).backward()
                    with torch.no_grad():
                        if self.gaussian:
                            self.p.grad += torch.tensor([self.noise * self.gaussian.normal() for _ in range(self.p.numel())])
                        if self.update == "sgd" and self.convention == "pytorch":
                            self.opt.step()
                        else:
                            hand_step(self.p, self.opt.param_groups[0], self.state, self.update, self.convention)
                    if self.scheduler:
                        self.scheduler.step()
                    self.steps += 1
                    self.loss = f(self.p).item()
                    self.check()
                    return True

                def row(self):
                    # RFC 4180, as Descent writes a label: quoted when it holds a comma, a quote, CR or LF.
                    label = '"' + self.label.replace('"', '""') + '"' if any(c in self.label for c in ',"\\r\\n') else self.label
                    print(",".join([label, str(self.steps), repr(self.loss)] + [repr(v) for v in self.p.detach().tolist()]))

                def go_to(self, step):
                    while self.steps < step and self.step():
                        self.row()


            made = {}  # the copies, by label, made as their sources reach them


            def play(run, events):
                \"\"\"A run's rows: from where it stands, through its events (at its own step counts), on to STEPS.\"\"\"
                run.row()
                for step, (action, value) in events:
                    run.go_to(step)
                    if action == "set":
                        run.assign(value)
                    elif action in ("reset", "start"):
                        if action == "start":
                            run.start = value
                        run.reset()
                        run.row()
                    elif action == "copy":
                        made[value] = run.twin(value)
                    elif action == "delete":
                        return
                run.go_to(STEPS)


            if __name__ == "__main__":
                print("run,step,loss,\(header)")
            \(programLines.joined(separator: "\n"))

            """
    }

    /// Descent's seeded streams in Python: the same integers, the same IEEE operations, the same draws.
    static let streams = """

        M64 = (1 << 64) - 1
        NOISE_SALT = 0x6E6F697365210000  # the gradient noise's stream differs from a shuffle from the same seed
        LN2_HI, LN2_LO = 6.93147180369123816490e-01, 1.90821492927058770002e-10


        def portable_log(x):
            \"\"\"Descent's ln for x > 0 (+, -, *, / only, in its order): x = m * 2**e, m in [sqrt(1/2), sqrt(2)).\"\"\"
            m, e = math.frexp(x)
            m, e = m * 2, e - 1
            if m > 1.4142135623730951:
                m, e = m / 2, e + 1
            t = (m - 1) / (m + 1)
            t2 = t * t
            series = 1.0 / 23
            for k in range(21, 2, -2):
                series = series * t2 + 1.0 / k
            series = series * t2 + 1
            return (e * LN2_HI + 2 * t * series) + e * LN2_LO


        class Stream:
            \"\"\"SplitMix64, Descent's seeded generator.\"\"\"

            def __init__(self, seed):
                self.state = seed & M64

            def next(self):
                self.state = (self.state + 0x9E3779B97F4A7C15) & M64
                z = self.state
                z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
                z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
                return z ^ (z >> 31)

            def unit(self):
                return (self.next() >> 11) * 2.0 ** -53

            def below(self, bound):
                limit = M64 - M64 % bound
                while True:
                    r = self.next()
                    if r < limit:
                        return r % bound

            def normal(self):
                \"\"\"Marsaglia's polar method: the first of the pair.\"\"\"
                while True:
                    u, v = 2 * self.unit() - 1, 2 * self.unit() - 1
                    s = u * u + v * v
                    if 0 < s < 1:
                        return u * math.sqrt(-2 * portable_log(s) / s)


        class Batches:
            \"\"\"Each epoch a Fisher-Yates shuffle of the samples from the run's seed, cut into batches in order.\"\"\"

            def __init__(self, samples, size, seed):
                self.samples, self.size, self.stream = samples, max(1, min(size, samples)), Stream(seed)
                self.order, self.position = list(range(samples)), samples

            def next(self):
                if self.position >= self.samples:
                    self.order = list(range(self.samples))
                    for i in range(self.samples - 1, 0, -1):
                        j = self.stream.below(i + 1)
                        self.order[i], self.order[j] = self.order[j], self.order[i]
                    self.position = 0
                end = min(self.position + self.size, self.samples)
                batch, self.position = self.order[self.position:end], end
                return torch.tensor(batch)

        """

    /// A Python string literal (a JSON string is one).
    static func q(_ text: String) -> String { TrajectoryReport.jsonString(text) }

    /// A Python float literal that reads back to the same Double.
    public static func n(_ v: Double) -> String {
        if v.isNaN { return "math.nan" }
        if v.isInfinite { return v > 0 ? "math.inf" : "-math.inf" }
        return NumberFormat.exact(v)
    }

    static func py(_ flag: Bool) -> String { flag ? "True" : "False" }

    static func action(_ action: RunEvent.Action) -> String {
        switch action {
        case .set(let patch):
            let fields = HyperparameterField.allCases.compactMap { field -> String? in
                guard let value = patch[field] else { return nil }
                switch value {
                case .number(let v): return "\(q(field.name)): \(n(v))"
                case .flag(let b): return "\(q(field.name)): \(py(b))"
                case .choice(let c): return "\(q(field.name)): \(q(c))"
                }
            }
            return "(\"set\", {\(fields.joined(separator: ", "))})"
        case .reset: return "(\"reset\", None)"
        case .start(let point): return "(\"start\", [\(point.map(n).joined(separator: ", "))])"
        case .copy(let label): return "(\"copy\", \(q(label)))"
        case .delete: return "(\"delete\", None)"
        }
    }

    static func scheduler(_ kind: LRScheduleKind) -> String {
        switch kind {
        case let .step(stepSize, gamma): "lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=\(stepSize), gamma=\(n(gamma)))"
        case let .multistep(milestones, gamma): "lambda o: torch.optim.lr_scheduler.MultiStepLR(o, milestones=\(milestones), gamma=\(n(gamma)))"
        case let .exponential(gamma): "lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=\(n(gamma)))"
        case let .cosine(tMax, etaMin): "lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=\(tMax), eta_min=\(n(etaMin)))"
        case let .linearWarmup(steps, startFactor, endFactor):
            "lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=\(n(startFactor)), end_factor=\(n(endFactor)), total_iters=\(steps))"
        }
    }
}
