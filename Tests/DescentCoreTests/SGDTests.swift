import Foundation
import Testing
@testable import DescentCore

/// Relative closeness for values computed in a different but equivalent order.
func close(_ a: Double, _ b: Double, rtol: Double = 1e-12, atol: Double = 1e-15) -> Bool {
    abs(a - b) <= atol + rtol * abs(b)
}

@Suite struct SGDTests {
    /// One step by hand: g = -∇f (maximize), + wd·θ, buffer = g on step 1, θ -= lr·g.
    @Test func firstStepFollowsTorchOrder() {
        var sgd = SGD(hyperparameters: SGDHyperparameters(lr: 0.1, momentum: 0.9, weightDecay: 0.5, maximize: true))
        var theta = [1.0, -2.0]
        let g = [3.0, 4.0]
        sgd.step(parameters: &theta, gradient: g)
        // maximize first: g = [-3, -4]; then decay: [-3 + 0.5, -4 - 1] = [-2.5, -5]
        #expect(sgd.state.momentumBuffer == [-2.5, -5])
        #expect(close(theta[0], 1 + 0.25) && close(theta[1], -2 + 0.5))
        #expect(sgd.state.step == 1)
    }

    @Test func dampeningSkipsFirstStepAndAppliesAfter() {
        var sgd = SGD(hyperparameters: SGDHyperparameters(lr: 1, momentum: 0.5, dampening: 0.25))
        var theta = [0.0]
        var g = [2.0]
        sgd.step(parameters: &theta, gradient: g)
        #expect(sgd.state.momentumBuffer == [2])  // no dampening on step 1
        g = [4.0]
        sgd.step(parameters: &theta, gradient: g)
        #expect(sgd.state.momentumBuffer == [0.5 * 2 + 0.75 * 4])
        #expect(theta == [-2 - 4])
    }

    @Test func nesterovAddsMomentumTimesBuffer() {
        var sgd = SGD(hyperparameters: SGDHyperparameters(lr: 1, momentum: 0.5, nesterov: true))
        var theta = [0.0]
        var g = [2.0]
        sgd.step(parameters: &theta, gradient: g)
        #expect(theta == [-(2 + 0.5 * 2)])
        g = [1.0]
        sgd.step(parameters: &theta, gradient: g)
        let buffer = 0.5 * 2 + 1
        #expect(theta == [-3 - (1 + 0.5 * buffer)])
    }

    @Test func signUpdateMovesByLrPerCoordinate() {
        var sgd = SGD(hyperparameters: SGDHyperparameters(lr: 0.1, update: .sign))
        var theta = [1.0, 1.0, 1.0]
        let g = [1e-9, -300, 0]
        sgd.step(parameters: &theta, gradient: g)
        #expect(theta == [0.9, 1.1, 1.0])
    }

    @Test func changingHyperparametersKeepsTheBuffer() throws {
        var run = try Run(label: "r", objective: Quadratic(eigenvalues: [1, 10], angleDegrees: 0), start: [1, 1],
                          hyperparameters: SGDHyperparameters(lr: 0.01, momentum: 0.9))
        run.advance(by: 3)
        let buffer = run.optimizer.state.momentumBuffer
        var changed = run.hyperparameters
        changed.lr = 0.02
        try run.setHyperparameters(changed)
        #expect(run.optimizer.state.momentumBuffer == buffer)
        #expect(run.hyperparameters.lr == 0.02)
        var refused = changed
        refused.lr = -1
        #expect(throws: HyperparameterError.self) { try run.setHyperparameters(refused) }
        #expect(run.hyperparameters.lr == 0.02)
    }

    @Test(arguments: [
        (SGDHyperparameters(lr: -1), "Invalid learning rate: -1.0"),
        (SGDHyperparameters(lr: 0.1, momentum: -0.5), "Invalid momentum value: -0.5"),
        (SGDHyperparameters(lr: 0.1, weightDecay: -1), "Invalid weight_decay value: -1.0"),
        (SGDHyperparameters(lr: 0.1, nesterov: true), "Nesterov momentum requires a momentum and zero dampening"),
        (SGDHyperparameters(lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true),
         "Nesterov momentum requires a momentum and zero dampening"),
        (SGDHyperparameters(lr: .infinity), "lr must be a finite number, got inf"),
        (SGDHyperparameters(lr: 0.1, momentum: .nan), "momentum must be a finite number, got nan"),
    ])
    func validationUsesTorchWording(h: SGDHyperparameters, message: String) {
        #expect(throws: HyperparameterError.self) { try h.validate() }
        do { try h.validate() } catch { #expect(error.message == message) }
    }

    /// Saving the optimizer state mid-run and resuming gives the same bits as never stopping.
    @Test func stateRoundTripsAndResumesBitForBit() throws {
        let objective = Rosenbrock()
        let h = SGDHyperparameters(lr: 1e-3, momentum: 0.9, nesterov: true)
        var straight = try Run(label: "a", objective: objective, start: [-1.5, 2], hyperparameters: h)
        straight.advance(by: 100)

        var first = SGD(hyperparameters: h)
        var theta = [-1.5, 2.0]
        var g = [0.0, 0.0]
        for _ in 0..<40 { objective.gradient(at: theta, into: &g); first.step(parameters: &theta, gradient: g) }
        let saved = try JSONEncoder().encode(first.state)
        var resumed = SGD(hyperparameters: h, state: try JSONDecoder().decode(SGDState.self, from: saved))
        #expect(resumed.state == first.state)
        for _ in 0..<60 { objective.gradient(at: theta, into: &g); resumed.step(parameters: &theta, gradient: g) }
        #expect(theta == straight.parameters)  // bit-for-bit is the contract here
    }

    @Test func resetForgetsBufferAndStep() throws {
        var run = try Run(label: "a", objective: Himmelblau(), start: [0, 0], hyperparameters: SGDHyperparameters(lr: 0.01, momentum: 0.5))
        run.advance(by: 10)
        run.reset()
        #expect(run.stepCount == 0 && run.optimizer.state.momentumBuffer == nil && run.parameters == [0, 0])
    }

    @Test func divergenceFreezesTheRun() throws {
        var run = try Run(label: "a", objective: Quadratic(eigenvalues: [1, 100], angleDegrees: 0), start: [1, 1],
                          hyperparameters: SGDHyperparameters(lr: 1))
        run.advance(by: 1000)
        guard case .diverged(let step, _) = run.status else { Issue.record("did not diverge"); return }
        #expect(step == run.stepCount && step < 1000)
        let stepped = run.step()
        #expect(!stepped)
    }
}
