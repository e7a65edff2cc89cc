import Foundation
import Testing
@testable import DescentCore

/// torch's momentum and Sutskever's: the same path while lr is constant, apart once it changes.
@Suite struct ConventionTests {
    func run(_ convention: MomentumConvention, nesterov: Bool = false, dampening: Double = 0, sign: Bool = false,
             schedule: LRScheduleKind? = nil) throws -> Run {
        let h = SGDHyperparameters(lr: 1e-3, momentum: 0.9, dampening: dampening, weightDecay: 0.01, nesterov: nesterov,
                                   update: sign ? .sign : .sgd, convention: convention)
        return try Run(label: convention.rawValue, objective: Rosenbrock(), start: [-1.5, 2], hyperparameters: h, schedule: schedule)
    }

    /// With a constant lr, v = lr·buf up to rounding: the trajectories agree to rtol 1e-9, for heavy ball,
    /// Nesterov, dampening and the sign update.
    @Test(arguments: [(false, 0.0, false), (true, 0.0, false), (false, 0.3, false), (false, 0.0, true)])
    func sameTrajectoryWithConstantLR(nesterov: Bool, dampening: Double, sign: Bool) throws {
        var a = try run(.pytorch, nesterov: nesterov, dampening: dampening, sign: sign)
        var b = try run(.sutskever, nesterov: nesterov, dampening: dampening, sign: sign)
        for step in 1...500 {
            a.step(); b.step()
            for (x, y) in zip(a.parameters, b.parameters) {
                #expect(abs(x - y) <= 1e-12 + 1e-9 * abs(x), "step \(step): \(a.parameters) vs \(b.parameters)")
            }
            if abs(a.parameters[0] - b.parameters[0]) > 1e-12 + 1e-9 * abs(a.parameters[0]) { return }
        }
    }

    /// When lr changes mid-run the two part: torch's buffer carries the old gradients at the new lr,
    /// Sutskever's velocity keeps them at the lr they were taken with.
    @Test func theyPartWhenLRChanges() throws {
        var a = try run(.pytorch, schedule: .step(stepSize: 50, gamma: 0.1))
        var b = try run(.sutskever, schedule: .step(stepSize: 50, gamma: 0.1))
        a.advance(by: 50); b.advance(by: 50)
        #expect(abs(a.parameters[0] - b.parameters[0]) <= 1e-9 * abs(a.parameters[0]))
        a.step(); b.step()
        #expect(abs(a.parameters[0] - b.parameters[0]) > 1e-6 * abs(a.parameters[0]), "the step after the drop differs")
    }

    /// Read from a file and written back.
    @Test func scenarioKey() throws {
        let text = "name: s\nobjective: {kind: rosenbrock}\nstart: [-1, 1]\nruns:\n  - {label: a, lr: 0.001, momentum: 0.9, convention: sutskever}\n"
        let scenario = try Scenario.decode(yaml: text, file: "s.yaml")
        #expect(scenario.runs[0].hyperparameters.convention == .sutskever)
        #expect(try Scenario.decode(yaml: scenario.yamlText(), file: "t.yaml") == scenario)
        #expect(throws: InputError.self) { try Scenario.decode(yaml: text.replacingOccurrences(of: "sutskever", with: "keras"), file: "s.yaml") }
    }
}
