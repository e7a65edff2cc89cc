import Foundation
import Testing
@testable import DescentCore

/// The linear theory (Hessians, each direction's map, ρ, the stable lr) against real runs of the optimizer.
@Suite struct TheoryTests {
    /// Every analytic Hessian agrees with central differences of the analytic gradient, about 1e-5 relative.
    @Test(arguments: 0..<ObjectiveTests.objectives.count)
    func hessianMatchesDifferencesOfTheGradient(index: Int) {
        let f = ObjectiveTests.objectives[index]
        var rng = SeededGenerator(seed: UInt64(index) + 90)
        let n = f.dimension
        for _ in 0..<3 {
            let theta = (0..<n).map { _ in rng.nextUnit() * 2 - 1 }
            let h = f.hessian(at: theta)
            #expect(h.count == n * n)
            for j in 0..<n {
                let step = 1e-6 * max(1, abs(theta[j]))
                var plus = theta, minus = theta
                plus[j] += step; minus[j] -= step
                var gp = [Double](repeating: 0, count: n), gm = gp
                f.gradient(at: plus, into: &gp); f.gradient(at: minus, into: &gm)
                for i in 0..<n {
                    let numeric = (gp[i] - gm[i]) / (2 * step)
                    #expect(abs(numeric - h[i * n + j]) <= 1e-5 * max(1, abs(numeric)), "\(f.kind) ∂²f/∂θ\(i)∂θ\(j)")
                }
            }
        }
    }

    /// One step on a 1-D quadratic f = ½λθ² is the map applied to (error, buffer), for heavy ball, Nesterov,
    /// dampening, weight decay and maximize: the matrix is torch's update, not an approximation of it.
    @Test func mapIsOneStepOfTheOptimizer() throws {
        var rng = SeededGenerator(seed: 5)
        for trial in 0..<200 {
            let lambda = rng.nextUnit() * 10 - (trial % 5 == 0 ? 5 : 0)
            var h = SGDHyperparameters(lr: rng.nextUnit() * 0.3, momentum: trial % 4 == 0 ? 0 : rng.nextUnit())
            h.nesterov = trial % 3 == 0 && h.momentum > 0
            if !h.nesterov && trial % 2 == 0 { h.dampening = rng.nextUnit() }
            if trial % 7 == 0 { h.weightDecay = rng.nextUnit() }
            h.maximize = trial % 11 == 0
            var run = try Run(label: "r", objective: Quadratic(matrix: [[lambda]]), start: [1], hyperparameters: h)
            let curvature = effectiveCurvatures([lambda], h)[0]
            let map = try #require(ModeMap(curvature: curvature, hyperparameters: h))
            run.step()
            for _ in 0..<5 {
                let e = run.parameters[0], b = run.optimizer.state.momentumBuffer?[0] ?? 0
                run.step()
                let m = map.matrix
                let predicted = m.count == 1 ? [m[0] * e] : [m[0] * e + m[1] * b, m[2] * e + m[3] * b]
                let actual = m.count == 1 ? [run.parameters[0]] : [run.parameters[0], run.optimizer.state.momentumBuffer![0]]
                for (p, a) in zip(predicted, actual) {
                    #expect(abs(p - a) <= 1e-12 * max(1, abs(e), abs(b)), "trial \(trial): \(h)")
                }
            }
        }
    }

    /// With complex roots the heavy ball's rate is √momentum (det = momentum), measured on a real run; Distill's
    /// footnote's 2√β would be 1.8 here, which would call a converging run divergent.
    @Test func complexRootsContractBySquareRootOfMomentum() throws {
        let h = SGDHyperparameters(lr: 0.5, momentum: 0.81)
        let map = try #require(ModeMap(curvature: 4, hyperparameters: h))
        #expect(map.regime == .ripples)
        #expect(abs(map.rate - 0.9) < 1e-12)
        var run = try Run(label: "r", objective: Quadratic(matrix: [[4]]), start: [1], hyperparameters: h)
        var meter = RateMeter(capacity: 201)
        run.advance(by: 400, measuringLast: 200, into: &meter)
        let measured = try #require(meter.rate())
        #expect(abs(measured - 0.9) < 0.005, "measured \(measured)")
    }

    /// On every quadratic scenario, each sgd run's rate measured over its last steps is the predicted max ρ.
    ///
    /// The run is taken to where ‖g‖ has fallen by about 1e-10 (far above rounding), and the rate fitted over
    /// the last half of that, at most 256 steps: by then the subdominant modes have fallen by (ρ₂/ρ₁)ᵗ, and
    /// the fit's slope is off by at most the log of the spread of ‖g‖ over one rotation of a complex mode
    /// (below 1 for these runs) over the window, so the tolerance is ρ/window, plus 1% for the rest.
    /// Near a double root (Polyak's setting) ‖e‖ ~ t·ρᵗ, whose log-slope is off by 1/t: those get 1/t more.
    @Test func measuredRateMatchesPredictedOnQuadraticScenarios() throws {
        var checked = 0
        for path in StreamingTests.scenarioFiles where path.contains("/Scenarios/") {
            let experiment = try Experiment.load(contentsOf: path)
            guard experiment.objective is Quadratic else { continue }
            // The theory is of a constant lr and exact gradients.
            for original in experiment.runs where original.hyperparameters.update == .sgd && original.schedule == nil && original.noise == nil {
                guard let analysis = RunAnalysis(run: original), let rho = analysis.predictedRate, rho < 0.999, rho > 0.05 else { continue }
                let reach = Int(log(1e-10) / log(rho))
                let window = min(256, reach / 2)
                var run = original
                var meter = RateMeter(capacity: window + 1)
                run.advance(by: reach, measuringLast: window, into: &meter)
                let measured = try #require(meter.rate(), "\(path) \(run.label)")
                let roots = analysis.maps!.max { $0.rate < $1.rate }!.roots
                let nearDouble = roots.count == 2 && roots[1].im == 0 && abs(abs(roots[0].re) - abs(roots[1].re)) < 0.01
                let tolerance = 0.01 * rho + rho / Double(window) + (nearDouble ? rho / Double(reach - window) : 0)
                #expect(abs(measured - rho) <= tolerance, "\(path) '\(run.label)': measured \(measured), predicted \(rho)")
                checked += 1
            }
        }
        #expect(checked >= 8)
    }

    /// The lr at which real runs stop converging, found by bisection, is the predicted stability limit, for
    /// plain SGD, heavy ball, dampening and Nesterov.
    @Test(arguments: [(0.0, 0.0, false), (0.5, 0.0, false), (0.9, 0.0, false), (0.9, 0.5, false), (0.6, 0.0, true), (0.95, 0.0, true)])
    func stabilityLimitMatchesBisectionOnRuns(momentum: Double, dampening: Double, nesterov: Bool) throws {
        let objective = Quadratic(eigenvalues: [1, 100], angleDegrees: 30)
        var h = SGDHyperparameters(lr: 0, momentum: momentum, dampening: dampening, nesterov: nesterov)
        let analysis = RunAnalysis(label: "r", step: 0, hyperparameters: h, spectrum: Spectrum(of: objective, at: [0, 0])!)
        let predicted = try #require(analysis.stableLR).upperBound
        func converges(_ lr: Double) throws -> Bool {
            h.lr = lr
            var run = try Run(label: "r", objective: objective, start: [1, 1], hyperparameters: h)
            run.advance(by: 20_000)
            return !run.isDiverged && run.parameters.euclideanNorm < 2.0.squareRoot()
        }
        var low = predicted / 2, high = predicted * 2
        #expect(try converges(low) && !converges(high))
        for _ in 0..<30 {
            let mid = (low + high) / 2
            if try converges(mid) { low = mid } else { high = mid }
        }
        // 20,000 steps tell ρ = 1 ± 5e-4 apart (a factor e^10 either way); ρ moves about as fast as lr near the edge.
        #expect(abs(low - predicted) <= 2e-3 * predicted, "bisection \(low), predicted \(predicted)")
    }

    /// Polyak's setting for κ = 100: lr 4/121, momentum (9/11)², rate 9/11 in every direction.
    @Test func polyakSetting() throws {
        let polyak = try #require(Stability.polyak(curvatures: [1, 100]))
        #expect(abs(polyak.lr - 4.0 / 121) < 1e-15)
        #expect(abs(polyak.momentum - 81.0 / 121) < 1e-15)
        #expect(abs(polyak.rate - 9.0 / 11) < 1e-15)
        #expect(Stability.polyak(curvatures: [-1, 100]) == nil)
    }

    /// Regimes as Distill names them, by the dominant root.
    @Test func regimes() throws {
        func regime(_ lr: Double, _ momentum: Double, _ curvature: Double = 1) -> Regime? {
            ModeMap(curvature: curvature, hyperparameters: SGDHyperparameters(lr: lr, momentum: momentum))?.regime
        }
        #expect(regime(0.5, 0) == .monotonic)
        #expect(regime(1.5, 0) == .oscillating)
        #expect(regime(2.5, 0) == .divergent)
        #expect(regime(0.1, 0.9) == .ripples)
        #expect(regime(0.01, 0.1) == .monotonic)
        #expect(regime(2.0, 0.1) == .oscillating)
        #expect(regime(0.1, 0.5, -1) == .divergent)
        #expect(ModeMap(curvature: 1, hyperparameters: SGDHyperparameters(lr: 0.1, update: .sign)) == nil)
    }
}
