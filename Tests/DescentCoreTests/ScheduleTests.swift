import Foundation
import Testing
@testable import DescentCore

/// lr schedules as torch.optim.lr_scheduler computes them, inside the optimizer's step.
@Suite struct ScheduleTests {
    /// torch's chainable forms agree with the closed forms its documentation gives (to 1e-12 relative, as
    /// the reference trajectories' README says), including cosine past t_max, where it turns back up.
    @Test func chainsMatchTheClosedForms() throws {
        let base = 0.05
        let cases: [(LRScheduleKind, (Int) -> Double)] = [
            (.step(stepSize: 7, gamma: 0.5), { base * pow(0.5, Double($0 / 7)) }),
            (.multistep(milestones: [5, 12, 12, 30], gamma: 0.3), { t in base * pow(0.3, Double([5, 12, 12, 30].filter { $0 <= t }.count)) }),
            (.exponential(gamma: 0.97), { base * pow(0.97, Double($0)) }),
            (.cosine(tMax: 40, etaMin: 0.001), { 0.001 + (base - 0.001) * (1 + cos(Double.pi * Double($0) / 40)) / 2 }),
            (.linearWarmup(steps: 25, startFactor: 0.1, endFactor: 1), { base * (0.1 + 0.9 * Double(min(25, $0)) / 25) }),
            (.linearWarmup(steps: 10, startFactor: 1, endFactor: 0.2), { base * (1 - 0.8 * Double(min(10, $0)) / 10) }),
        ]
        for (kind, closed) in cases {
            let curve = LRSchedule(kind: kind, baseLR: base).curve(steps: 130)
            for (t, lr) in curve.enumerated() {
                #expect(abs(lr - closed(t)) <= 1e-12 * max(abs(closed(t)), 1e-3), "\(kind.summary) step \(t): \(lr) vs \(closed(t))")
            }
        }
        // Past t_max the cosine rises again, to the base at 2·t_max.
        let cosine = LRSchedule(kind: .cosine(tMax: 40, etaMin: 0), baseLR: 1).curve(steps: 81)
        #expect(cosine[40] < 1e-12 && abs(cosine[80] - 1) < 1e-9 && cosine[60] > cosine[50])
    }

    /// A sign run with a schedule takes the same steps as one whose lr is set by hand to the schedule's lr
    /// before every step: the schedule is the optimizer's, whatever the update rule.
    @Test func signRunWithScheduleEqualsHandSetLR() throws {
        let kind = LRScheduleKind.cosine(tMax: 60, etaMin: 1e-4)
        let h = SGDHyperparameters(lr: 0.02, momentum: 0.8, update: .sign)
        var scheduled = try Run(label: "s", objective: Rosenbrock(), start: [-1.5, 2], hyperparameters: h, schedule: kind)
        var byHand = try Run(label: "h", objective: Rosenbrock(), start: [-1.5, 2], hyperparameters: h)
        for lr in LRSchedule(kind: kind, baseLR: 0.02).curve(steps: 150) {
            var set = byHand.hyperparameters; set.lr = lr
            try byHand.setHyperparameters(set)
            byHand.step()
            scheduled.step()
            #expect(scheduled.parameters == byHand.parameters)
        }
    }

    /// Changing lr by hand scales the schedule's base: the schedule goes on from the new lr.
    @Test func handEditScalesTheBase() throws {
        var run = try Run(label: "r", objective: Quadratic(eigenvalues: [1, 2], angleDegrees: 0), start: [1, 1],
                          hyperparameters: SGDHyperparameters(lr: 0.1), schedule: .step(stepSize: 10, gamma: 0.5))
        run.advance(by: 12)
        #expect(run.hyperparameters.lr == 0.05)
        var h = run.hyperparameters; h.lr = 0.2
        try run.setHyperparameters(h)
        #expect(run.optimizer.baseLR == 0.4)
        run.advance(by: 8)
        #expect(run.hyperparameters.lr == 0.1, "halved at step 20 as before, from the new lr")
        run.reset()
        #expect(run.hyperparameters.lr == 0.4, "a reset starts the scaled schedule over")
    }

    /// Schedules are read from scenario files, checked with torch's messages, and written back equal.
    /// What torch accepts is read (unsorted milestones among them: golden-edges has their lrs).
    @Test func argumentsTorchAcceptsAreRead() throws {
        for schedule in ["{kind: multistep, milestones: [20, 10, 10, 0, -3]}", "{kind: step, step_size: -4}", "{kind: cosine, t_max: -9}",
                         "{kind: linear-warmup, steps: 0}", "{kind: linear-warmup, steps: -2}", "{kind: exponential, gamma: -1.5}"] {
            let yaml = "name: s\nobjective: {kind: rosenbrock}\nstart: [-1, 1]\nruns:\n  - {label: a, lr: 0.001, schedule: \(schedule)}\n"
            let scenario = try Scenario.decode(yaml: yaml, file: "s.yaml")
            _ = try Experiment(scenario: scenario)
            #expect(try Scenario.decode(yaml: scenario.yamlText(), file: "t.yaml") == scenario, "\(schedule) reads back")
        }
    }

    @Test func scenarioFiles() throws {
        let text = """
            name: s
            objective: {kind: rosenbrock}
            start: [-1, 1]
            runs:
              - {label: a, lr: 0.001, schedule: {kind: multistep, milestones: [10, 20], gamma: 0.5}}
              - {label: b, lr: 0.001, schedule: {kind: linear-warmup, steps: 5}}
              - {label: c, lr: 0.001, schedule: {kind: cosine, t_max: 100}}
            """
        let scenario = try Scenario.decode(yaml: text, file: "s.yaml")
        #expect(scenario.runs[1].schedule == .linearWarmup(steps: 5, startFactor: 1.0 / 3, endFactor: 1))
        #expect(scenario.runs[2].schedule == .cosine(tMax: 100, etaMin: 0))
        #expect(try Scenario.decode(yaml: scenario.yamlText(), file: "t.yaml") == scenario)
        for (bad, field) in [
            ("{kind: step, gamma: 0.5}", "step_size"), ("{kind: cyclic}", "kind"), ("{kind: step, step_size: 5, gama: 0.5}", "gama"),
            ("{kind: step, step_size: 0}", "step_size"), ("{kind: linear-warmup, start_factor: 0}", "start_factor"),
            ("{kind: cosine, t_max: 0}", "t_max"), ("{kind: linear-warmup, end_factor: 1.5}", "end_factor"),
        ] {
            let yaml = "name: s\nobjective: {kind: rosenbrock}\nstart: [-1, 1]\nruns:\n  - {label: a, lr: 0.001, schedule: \(bad)}\n"
            let path = NSTemporaryDirectory() + "descent-schedule-\(getpid()).yaml"
            try yaml.write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            #expect(throws: InputError.self) { try Experiment.load(contentsOf: path) }
            do { _ = try Experiment.load(contentsOf: path) } catch {
                #expect(error.description.contains(path + ":5: runs[0].schedule") && error.description.contains(field), "\(error)")
            }
        }
    }
}
