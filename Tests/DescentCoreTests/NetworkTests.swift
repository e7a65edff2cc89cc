import Foundation
import Testing
@testable import DescentCore

/// `kind: mlp`: the network's gradient and Hessian are exact, its default start is torch's distribution from a
/// seed, its data (a CSV or two moons) is the same on every machine, a scenario may leave its start out, and bad
/// settings are one line naming the field. (Its trajectories against torch's nn.Sequential: ParityTests, golden-mlp.)
@Suite struct NetworkTests {
    static func network(_ activation: Network.Activation = .tanh, _ loss: Network.Loss = .crossEntropy, hidden: [Int] = [5]) -> Network {
        let data = RegressionData.twoMoons(samples: 40, noise: 0.2, seed: 3)
        return Network(sizes: [2] + hidden + [loss == .crossEntropy ? 2 : 1], activation: activation, loss: loss, data: data, initSeed: 7)
    }

    /// The reverse-mode gradient against central differences of the loss, every parameter, at rtol 1e-6.
    @Test(arguments: [(Network.Activation.tanh, Network.Loss.crossEntropy), (.relu, .crossEntropy), (.tanh, .mse)])
    func gradientIsTheLossSlope(activation: Network.Activation, loss: Network.Loss) {
        let f = Self.network(activation, loss, hidden: [4, 3])
        let theta = f.initialization
        var g = [Double](repeating: 0, count: f.dimension)
        let value = f.lossAndGradient(at: theta, into: &g)
        #expect(value == f.loss(at: theta))
        for i in 0..<f.dimension {
            var up = theta, down = theta
            let h = 1e-6
            up[i] += h; down[i] -= h
            let slope = (f.loss(at: up) - f.loss(at: down)) / (2 * h)
            #expect(abs(slope - g[i]) <= 1e-6 * max(1, abs(g[i])), "∂f/∂\(f.parameterNames[i]): \(g[i]) against \(slope)")
        }
    }

    /// The Hessian (a column per Hessian-vector product) against central differences of the exact gradient, and
    /// symmetric; a product along a random v equals H·v.
    @Test func hessianIsTheGradientSlope() throws {
        let f = Self.network(.tanh, .crossEntropy, hidden: [4])
        let theta = f.initialization, n = f.dimension
        let h = f.hessian(at: theta)
        for j in 0..<n {
            var up = theta, down = theta, gUp = [Double](repeating: 0, count: n), gDown = gUp
            up[j] += 1e-5; down[j] -= 1e-5
            f.gradient(at: up, into: &gUp); f.gradient(at: down, into: &gDown)
            for i in 0..<n {
                let slope = (gUp[i] - gDown[i]) / 2e-5
                #expect(abs(slope - h[i * n + j]) <= 1e-5 * max(1, abs(slope)), "H[\(i),\(j)]: \(h[i * n + j]) against \(slope)")
            }
        }
        // The products themselves are symmetric to rounding (before `hessian` averages H and Hᵀ).
        let columns = try (0..<n).map { j in try #require(f.hessianVectorProduct(at: theta, along: (0..<n).map { $0 == j ? 1 : 0 })) }
        for i in 0..<n { for j in 0..<n { #expect(abs(columns[j][i] - columns[i][j]) <= 1e-12 * max(1, abs(columns[j][i]))) } }
        var rng = SeededGenerator(seed: 5)
        let v = (0..<n).map { _ in rng.nextUnit() - 0.5 }
        let hv = try #require(f.hessianVectorProduct(at: theta, along: v))
        for i in 0..<n {
            let want = (0..<n).reduce(0.0) { $0 + h[i * n + $1] * v[$1] }
            #expect(abs(hv[i] - want) <= 1e-12 * max(1, abs(want)))
        }
    }

    /// Where the Hessian is too big to form, the theory takes Lanczos's Ritz values from Hessian-vector products:
    /// on a network small enough to check, their extremes are the dense Hessian's to 1e-8 of its norm; past
    /// `Spectrum.maximumDimension` the spectrum is those values, and says so.
    @Test func lanczosFindsTheExtremes() throws {
        let f = Self.network(.tanh, .crossEntropy, hidden: [12, 6])
        let theta = f.initialization
        let dense = SymmetricEigen.eigenvalues(dimension: f.dimension, entries: f.hessian(at: theta))
        let ritz = try #require(Spectrum.lanczos(f, at: theta))
        let scale = max(abs(dense.first!), abs(dense.last!))
        #expect(ritz.count == Spectrum.lanczosSteps && f.dimension > Spectrum.lanczosSteps)
        #expect(abs(ritz.last! - dense.last!) <= 1e-8 * scale, "λmax \(ritz.last!) against \(dense.last!)")
        #expect(abs(ritz.first! - dense.first!) <= 1e-8 * scale, "λmin \(ritz.first!) against \(dense.first!)")
        let big = Network(sizes: [2, 40, 30, 2], activation: .tanh, loss: .crossEntropy, data: f.data, initSeed: 1)
        #expect(big.dimension > Spectrum.maximumDimension)
        let spectrum = try #require(Spectrum(of: big, at: big.initialization))
        #expect(spectrum.lanczosSteps == Spectrum.lanczosSteps && spectrum.eigenvalues.count == Spectrum.lanczosSteps)
        #expect(Spectrum(of: f, at: theta)?.lanczosSteps == nil)
    }

    /// A minibatch's gradient is the full gradient of the network on those samples alone.
    @Test func batchGradientIsTheGradientOnTheBatch() {
        let f = Self.network()
        let batch: ArraySlice<Int> = [3, 17, 5, 30]
        var g = [Double](repeating: 0, count: f.dimension)
        f.gradient(at: f.initialization, samples: batch, into: &g)
        let rows = batch.map { Array(f.data.values[($0 * 2)..<($0 * 2 + 2)]) }
        let alone = Network(sizes: f.sizes, activation: f.activation, loss: f.lossKind,
                            data: RegressionData(featureNames: ["x1", "x2"], targetName: "moon", features: rows, targets: batch.map { f.data.targets[$0] }), initSeed: 7)
        var want = [Double](repeating: 0, count: f.dimension)
        alone.gradient(at: f.initialization, into: &want)
        #expect(g == want)
    }

    /// torch's nn.Linear distribution: every weight and bias of a layer within ±1/√fan_in, filling it; the same
    /// numbers from the same seed, others from another.
    @Test func defaultStartIsTorchsDistribution() {
        let sizes = [4, 16, 3]
        let a = Network.defaultInitialization(sizes: sizes, seed: 11)
        #expect(a == Network.defaultInitialization(sizes: sizes, seed: 11))
        #expect(a != Network.defaultInitialization(sizes: sizes, seed: 12))
        #expect(a.count == 16 * 4 + 16 + 3 * 16 + 3)
        let first = a[0..<80], second = a[80...]
        #expect(first.allSatisfy { abs($0) <= 0.5 } && first.map(abs).max()! > 0.45)
        #expect(second.allSatisfy { abs($0) <= 0.25 } && second.map(abs).max()! > 0.2)
    }

    /// Two moons: half the samples on each moon, on the circles before noise, and the same bits from the same seed.
    @Test func moonsAreTwoHalfCircles() {
        let clean = RegressionData.twoMoons(samples: 101, noise: 0, seed: 0)
        #expect(clean.sampleCount == 101 && clean.targets.filter { $0 == 0 }.count == 50)
        for (i, label) in clean.targets.enumerated() {
            let x = clean.values[2 * i], y = clean.values[2 * i + 1]
            let (cx, cy) = label == 0 ? (0.0, 0.0) : (1.0, 0.5)
            #expect(abs((x - cx) * (x - cx) + (y - cy) * (y - cy) - 1) < 1e-15)
        }
        #expect(abs(clean.values[0] - 1) < 4e-16 && abs(clean.values[98] + 1) < 4e-16)
        #expect(RegressionData.twoMoons(samples: 50, noise: 0.1, seed: 4) == RegressionData.twoMoons(samples: 50, noise: 0.1, seed: 4))
        #expect(RegressionData.twoMoons(samples: 50, noise: 0.1, seed: 4).values != RegressionData.twoMoons(samples: 50, noise: 0.1, seed: 5).values)
    }

    /// Portable sin and cos agree with the C library's to a few ulp over [0, π].
    @Test func portableSinCos() {
        for i in 0...1000 {
            let t = Double.pi * Double(i) / 1000
            #expect(abs(PortableMath.sin(t) - sin(t)) <= 4e-16)
            #expect(abs(PortableMath.cos(t) - cos(t)) <= 4e-16)
        }
    }

    /// A scenario may leave `start` out for a network: its runs start at the seeded initialisation, and what
    /// `--save-state` writes reads back to the same runs.
    @Test func startLeftOutIsTheInitialisation() throws {
        let text = """
            name: moons
            objective: {kind: mlp, moons: 60, hidden: [6], activation: relu, init_seed: 9}
            steps: 30
            runs: [{label: a, lr: 0.1, momentum: 0.9}]
            """
        let experiment = try Experiment(scenario: try Scenario.decode(yaml: text))
        let network = try #require(experiment.objective as? Network)
        #expect(experiment.scenario.start == network.initialization && network.dimension == 2 * 6 + 6 + 6 * 2 + 2)
        let saved = experiment.savedAfter(steps: 30)
        let again = try Experiment(scenario: try Scenario.decode(yaml: saved.yamlText()))
        var original = experiment.programs()[0]
        original.play(steps: 30)
        #expect(again.runs[0].parameters == original.run.parameters)
        // Without a start and without a default one: the start is what is missing.
        #expect(throws: InputError.self) { try Experiment(scenario: try Scenario.decode(yaml: "name: r\nobjective: {kind: rosenbrock}\nruns: [{label: a, lr: 0.1}]")) }
        do {
            _ = try Experiment(scenario: try Scenario.decode(yaml: "name: r\nobjective: {kind: rosenbrock}\nruns: [{label: a, lr: 0.1}]"))
        } catch {
            #expect(error.field == "start" && error.message == "needs at least one number")
        }
    }

    @Test(arguments: [
        ("{kind: mlp}", "objective: a network needs data: FILE.csv or moons: SAMPLES"),
        ("{kind: mlp, moons: 20, data: x.csv}", "objective: give either data or moons, not both"),
        ("{kind: mlp, moons: 1}", "objective.moons: must be from 2 to 1000000 samples, got 1"),
        ("{kind: mlp, moons: 20, moons_noise: -1}", "objective.moons_noise: must be a finite number ≥ 0, got -1.0"),
        ("{kind: mlp, moons: 20, activation: sigmoid}", "objective.activation: must be tanh or relu, got 'sigmoid'"),
        ("{kind: mlp, moons: 20, loss: hinge}", "objective.loss: must be cross_entropy or mse, got 'hinge'"),
        ("{kind: mlp, moons: 20, hidden: [2.5]}", "objective.hidden: widths must be whole numbers from 1 to 10000, got 2.5"),
        ("{kind: mlp, moons: 20, hidden: [10000, 10000]}", "objective.hidden: makes 100060002 parameters; at most 100000"),
        ("{kind: mlp, moons: 20, batch_size: 0}", "objective.batch_size: must be at least 1, got 0"),
    ])
    func badNetworksNameTheField(objective: String, message: String) {
        do {
            _ = try Experiment(scenario: try Scenario.decode(yaml: "name: n\nobjective: \(objective)\nruns: [{label: a, lr: 0.1}]"))
            Issue.record("accepted \(objective)")
        } catch {
            #expect("\(error.field.map { $0 + ": " } ?? "")\(error.message)" == message)
        }
    }

    /// Labels that are not class indices, and a start of the wrong length, are refused with the line.
    @Test func badDataAndStartsAreRefused() throws {
        let folder = NSTemporaryDirectory() + "descent-network-\(getpid())"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try "a,b,y\n1,2,0\n3,4,1.5\n".write(toFile: folder + "/d.csv", atomically: true, encoding: .utf8)
        try "name: n\nobjective: {kind: mlp, data: d.csv}\nruns: [{label: a, lr: 0.1}]\n".write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        do { _ = try Experiment.load(contentsOf: folder + "/s.yaml"); Issue.record("accepted 1.5 as a class") } catch {
            #expect(error.field == "objective.data" && error.message.contains("d.csv:3: cross_entropy needs class indices"), "\(error)")
        }
        try "name: n\nobjective: {kind: mlp, moons: 10, hidden: [2]}\nstart: [1, 2]\nruns: [{label: a, lr: 0.1}]\n".write(toFile: folder + "/s.yaml", atomically: true, encoding: .utf8)
        do { _ = try Experiment.load(contentsOf: folder + "/s.yaml"); Issue.record("accepted a short start") } catch {
            #expect(error.field == "start" && error.message == "has 2 numbers; a network of layers 2→2→2 needs 12", "\(error)")
        }
    }
}
