import ArgumentParser
import DescentCore
import Foundation

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a scenario as a self-contained torch script that prints what `descent run --format csv` prints.",
        discussion: """
            The script uses torch and the standard library only, in float64: torch.optim.SGD for every run, \
            torch.optim.lr_scheduler for schedules, the scenario's `set` events (and a lesson's sets) as \
            param-group edits at their steps; AutoRound's sign update and the Sutskever convention are written out \
            where a run uses them. The built-in analytic objectives and typed formulas are exported; regressions, \
            gradient noise, events that copy, delete, reset or move a run, and lr edits on a scheduled run are \
            refused, with the reason.
            Example: descent export Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml --torch > ravine.py && python3 ravine.py
            """)

    @Argument(help: "A scenario file.", completion: .file(extensions: ["yaml", "yml", "json"]))
    var file: String
    @Flag(help: "A torch script (the one export there is).") var torch = false

    func run() throws {
        guard torch else { throw InputError(message: "give --torch (the one export there is)") }
        let experiment = try Experiment.load(contentsOf: file)
        Console.current.out(try Self.script(experiment, file: file))
    }

    /// The script, or the reason this scenario cannot be exported (naming the field).
    static func script(_ experiment: Experiment, file: String) throws(InputError) -> String {
        let scenario = experiment.scenario
        guard let body = experiment.objective.torchSource else {
            throw InputError(file: file, field: "objective", message: "kind '\(experiment.objective.kind)' is not exported to torch yet (the built-in analytic objectives and typed formulas are)")
        }
        func q(_ text: String) -> String { TrajectoryReport.jsonString(text) }  // a JSON string is a Python string literal
        func n(_ v: Double) -> String {
            if v.isNaN { return "math.nan" }
            if v.isInfinite { return v > 0 ? "math.inf" : "-math.inf" }
            return NumberFormat.exact(v)
        }
        let timeline = scenario.timelineWithOrigins
        var runLines: [String] = []
        for (index, spec) in scenario.runs.enumerated() {
            let run = experiment.runs[index]
            let h = run.hyperparameters
            if run.noise != nil { throw InputError(file: file, field: "runs[\(index)].noise", message: "gradient noise is not exported to torch") }
            if run.batches != nil { throw InputError(file: file, field: "runs[\(index)]", message: "minibatches are not exported to torch") }
            if spec.state != nil { throw InputError(file: file, field: "runs[\(index)].state", message: "a saved state is not exported to torch") }
            var events: [String] = []
            for (event, origin) in timeline where event.run == spec.label {
                guard case .set(let patch) = event.action else {
                    throw InputError(file: file, field: origin, message: "only set events are exported to torch (not reset, start, copy or delete)")
                }
                if patch[.update] != nil || patch[.convention] != nil {
                    throw InputError(file: file, field: origin, message: "a change of update or convention mid-run is not exported to torch")
                }
                if patch.lr != nil && spec.schedule != nil {
                    throw InputError(file: file, field: origin, message: "an lr edit on a scheduled run is not exported to torch")
                }
                let fields = HyperparameterField.allCases.compactMap { field -> String? in
                    guard let value = patch[field] else { return nil }
                    switch value {
                    case .number(let v): return "\(q(field.name)): \(n(v))"
                    case .flag(let b): return "\(q(field.name)): \(b ? "True" : "False")"
                    case .choice(let c): return "\(q(field.name)): \(q(c))"
                    }
                }
                events.append("(\(event.step), {\(fields.joined(separator: ", "))})")
            }
            var schedule = "None"
            switch spec.schedule {
            case let .step(stepSize, gamma)?: schedule = "lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=\(stepSize), gamma=\(n(gamma)))"
            case let .multistep(milestones, gamma)?: schedule = "lambda o: torch.optim.lr_scheduler.MultiStepLR(o, milestones=\(milestones), gamma=\(n(gamma)))"
            case let .exponential(gamma)?: schedule = "lambda o: torch.optim.lr_scheduler.ExponentialLR(o, gamma=\(n(gamma)))"
            case let .cosine(tMax, etaMin)?: schedule = "lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=\(tMax), eta_min=\(n(etaMin)))"
            case let .linearWarmup(steps, startFactor, endFactor)?:
                schedule = "lambda o: torch.optim.lr_scheduler.LinearLR(o, start_factor=\(n(startFactor)), end_factor=\(n(endFactor)), total_iters=\(steps))"
            case nil: break
            }
            runLines.append("    run(\(q(spec.label)), [\(run.start.map(n).joined(separator: ", "))], lr=\(n(spec.hyperparameters.lr)), momentum=\(n(h.momentum)), "
                + "dampening=\(n(h.dampening)), weight_decay=\(n(h.weightDecay)), nesterov=\(h.nesterov ? "True" : "False"), "
                + "maximize=\(h.maximize ? "True" : "False"), update=\(q(h.update.rawValue)), convention=\(q(h.convention.rawValue)), "
                + "schedule=\(schedule), events=[\(events.joined(separator: ", "))])")
        }
        let header = (0..<experiment.objective.dimension).map { "p\($0)" }.joined(separator: ",")
        return """
            #!/usr/bin/env python3
            \"\"\"\(scenario.name): exported by `descent export \(FilePaths.name(of: file)) --torch`.

            Every run with torch.optim.SGD in float64 (AutoRound's sign update and the Sutskever convention are written
            out where a run uses them); prints the CSV of `descent run \(FilePaths.name(of: file)) --format csv`.
            \"\"\"
            import math

            import torch

            torch.set_default_dtype(torch.float64)
            STEPS = \(scenario.steps)
            RUNAWAY = 1e10  # a run has diverged once its loss passes RUNAWAY * max(1, |its start loss|), or is not finite


            def f(p):
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


            def run(label, start, lr, momentum, dampening, weight_decay, nesterov, maximize, update, convention, schedule, events):
                p = torch.tensor(start, requires_grad=True)
                opt = torch.optim.SGD([p], lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                                      nesterov=nesterov, maximize=maximize)
                scheduler = schedule(opt) if schedule else None
                group, state = opt.param_groups[0], {}
                changes = dict(events)

                def row(step, loss):
                    print(",".join([label if "," not in label and '"' not in label else '"' + label.replace('"', '""') + '"',
                                    str(step), repr(loss)] + [repr(v) for v in p.detach().tolist()]))

                loss = f(p).item()
                bound = RUNAWAY * max(1.0, abs(loss))
                row(0, loss)
                for step in range(1, STEPS + 1):
                    for key, value in changes.get(step - 1, {}).items():
                        group[key] = value
                    opt.zero_grad()
                    f(p).backward()
                    with torch.no_grad():
                        if update == "sgd" and convention == "pytorch":
                            opt.step()
                        else:
                            hand_step(p, group, state, update, convention)
                    if scheduler:
                        scheduler.step()
                    loss = f(p).item()
                    row(step, loss)
                    if not math.isfinite(loss) or abs(loss) > bound or not all(math.isfinite(v) for v in p.detach().tolist()):
                        break


            if __name__ == "__main__":
                print("run,step,loss,\(header)")
            \(runLines.joined(separator: "\n"))

            """
    }
}
