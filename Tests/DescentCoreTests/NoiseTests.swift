import Foundation
import Testing
@testable import DescentCore

/// Seeded gradient noise: the same numbers on every machine.
@Suite struct NoiseTests {
    /// The portable log is within 2 ulp of the C library's, from subnormal-free tiny values to huge ones.
    @Test func portableLogIsAccurate() {
        var rng = SeededGenerator(seed: 3)
        for _ in 0..<100_000 {
            let x = pow(10, rng.nextUnit() * 600 - 300)
            let ours = PortableMath.log(x), libm = Foundation.log(x)
            #expect(abs(ours - libm) <= 2 * libm.ulp, "log(\(x)): \(ours) vs \(libm)")
        }
        #expect(PortableMath.log(1) == 0)
    }

    /// Pinned: the first normals of seed 42, bit for bit. They are made only of +, −, ×, ÷ and √ (IEEE-754,
    /// correctly rounded everywhere), so any machine must give these bits; a change here changes every
    /// noisy scenario and synthetic data set.
    @Test func pinnedValues() {
        var rng = SeededGenerator(seed: 42)
        let values = (0..<4).map { _ in rng.nextPortableGaussian() }
        #expect(values.map(\.bitPattern) == Self.pinned, "\(values) \(values.map { String($0.bitPattern, radix: 16) })")
    }
    static let pinned: [UInt64] = [4602551829477310604, 13831820315493957524, 13826968491302822724, 13832997031019406925]

    /// A noisy run is its seed: the same seed gives the same path, bit for bit (also after a reset), another seed another.
    @Test func noisyRunsAreReproducible() throws {
        func run(_ seed: UInt64) throws -> Run {
            try Run(label: "n", objective: Rosenbrock(), start: [-1.5, 2], hyperparameters: SGDHyperparameters(lr: 1e-3, momentum: 0.9),
                    seed: seed, noise: 2)
        }
        var a = try run(5), b = try run(5), c = try run(6)
        a.advance(by: 300); b.advance(by: 300); c.advance(by: 300)
        #expect(a.parameters == b.parameters)
        #expect(a.parameters != c.parameters)
        let end = a.parameters
        a.reset(); a.advance(by: 300)
        #expect(a.parameters == end)
        var exact = try Run(label: "e", objective: Rosenbrock(), start: [-1.5, 2], hyperparameters: SGDHyperparameters(lr: 1e-3, momentum: 0.9))
        exact.advance(by: 300)
        #expect(exact.parameters != end, "the noise is really added")
    }

    /// From a file: `noise` with its run's `seed`; refused when negative; written back equal.
    @Test func scenarioKeys() throws {
        let text = "name: s\nobjective: {kind: rosenbrock}\nstart: [-1, 1]\nruns:\n  - {label: a, lr: 0.001, noise: 0.5, seed: 9}\n"
        let scenario = try Scenario.decode(yaml: text, file: "s.yaml")
        #expect(scenario.runs[0].noise == 0.5 && scenario.runs[0].seed == 9)
        #expect(try Scenario.decode(yaml: scenario.yamlText(), file: "t.yaml") == scenario)
        let experiment = try Experiment(scenario: scenario)
        #expect(experiment.runs[0].noise == GradientNoise(sigma: 0.5, seed: 9))
        var bad = scenario
        bad.runs[0].noise = -1
        #expect(throws: InputError.self) { try Experiment(scenario: bad) }
        bad.runs[0].noise = nil
        #expect(throws: InputError.self) { try Experiment(scenario: bad) }
    }
}
