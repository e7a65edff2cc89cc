import Foundation
import Testing
@testable import DescentCore

@Suite struct ObjectiveTests {
    static let iris = try! RegressionData.csv(contentsOf: Fixtures.golden + "/data/iris-virginica.csv")
    static let objectives: [any Objective] = [
        Quadratic(eigenvalues: [1, 25], angleDegrees: 30, center: [1, -1]),
        Quadratic(matrix: [[4, 1, 0], [1, 3, 0.5], [0, 0.5, 1]], center: [0.5, -0.5, 2]),
        Rosenbrock(), Rosenbrock(a: 1, b: 100, dimension: 4), Rosenbrock(a: 2, b: 50, dimension: 3), Himmelblau(), Beale(), Rastrigin(amplitude: 10, dimension: 3),
        LinearRegression(data: iris), LogisticRegression(data: iris), Rastrigin(amplitude: 10, dimension: 2), Booth(),
        Network(sizes: [2, 4, 2], activation: .tanh, loss: .crossEntropy, data: RegressionData.twoMoons(samples: 20, noise: 0.1, seed: 1), initSeed: 2),
    ]

    /// Every fused path (f and ∇f together, on arrays and on buffers, the 2-D form, eight lanes at once) gives what
    /// `loss` and `gradient` give, bit for bit, at random points: a run's bulk stepping and a sweep use them.
    @Test(arguments: 0..<objectives.count)
    func fusedPathsAreLossAndGradientBitForBit(index: Int) {
        let f = Self.objectives[index]
        var rng = SeededGenerator(seed: 40 + UInt64(index))
        for _ in 0..<20 {
            let theta = (0..<f.dimension).map { _ in rng.nextUnit() * 8 - 4 }
            var g = Array(repeating: 0.0, count: f.dimension), fused = g, buffered = g
            f.gradient(at: theta, into: &g)
            let loss = f.loss(at: theta)
            #expect(f.lossAndGradient(at: theta, into: &fused).bitPattern == loss.bitPattern && fused == g, "\(f.kind)")
            let bufferLoss = theta.withUnsafeBufferPointer { p in buffered.withUnsafeMutableBufferPointer { f.lossAndGradient(at: p, into: $0) } }
            #expect(bufferLoss.bitPattern == loss.bitPattern && buffered == g, "\(f.kind)")
            if f.dimension == 2, let two = f.lossAndGradient2(theta[0], theta[1]) {
                #expect(two.loss.bitPattern == loss.bitPattern && two.gx == g[0] && two.gy == g[1], "\(f.kind)")
                let lanes = f.lossAndGradient2(lanes: SIMD8(repeating: theta[0]), SIMD8(repeating: theta[1]))
                #expect(lanes.loss[5].bitPattern == loss.bitPattern && lanes.gx[5] == g[0] && lanes.gy[5] == g[1], "\(f.kind)")
            }
        }
    }

    /// The distance to the nearest known minimum, which objectives of any dimension compute without building their
    /// minimum, is the Euclidean distance to the nearest of `knownMinima`, bit for bit (nil exactly when none is known).
    @Test(arguments: 0..<objectives.count)
    func distanceToNearestMinimumIsTheDistanceToKnownMinima(index: Int) {
        let f = Self.objectives[index]
        var rng = SeededGenerator(seed: 90 + UInt64(index))
        for _ in 0..<20 {
            let theta = (0..<f.dimension).map { _ in rng.nextUnit() * 8 - 4 }
            let want = f.knownMinima.map { euclideanDistance($0, theta) }.min()
            #expect(f.distanceToNearestKnownMinimum(from: theta)?.bitPattern == want?.bitPattern, "\(f.kind) \(f.dimension)")
        }
    }

    /// The analytic gradient agrees with central differences to about 1e-6 relative.
    @Test(arguments: 0..<objectives.count)
    func gradientMatchesCentralDifferences(index: Int) {
        let f = Self.objectives[index]
        var rng = SeededGenerator(seed: UInt64(index))
        let theta = (0..<f.dimension).map { _ in rng.nextUnit() * 2 - 1 }
        var g = Array(repeating: 0.0, count: f.dimension)
        f.gradient(at: theta, into: &g)
        for i in 0..<f.dimension {
            let h = 1e-6
            var plus = theta, minus = theta
            plus[i] += h; minus[i] -= h
            let numeric = (f.loss(at: plus) - f.loss(at: minus)) / (2 * h)
            #expect(close(g[i], numeric, rtol: 1e-6, atol: 1e-6), "\(f.kind) ∂\(i): \(g[i]) vs \(numeric)")
        }
    }

    @Test(arguments: 0..<objectives.count)
    func knownMinimaHaveZeroGradient(index: Int) {
        let f = Self.objectives[index]
        for m in f.knownMinima {
            var g = Array(repeating: 0.0, count: f.dimension)
            f.gradient(at: m, into: &g)
            #expect(g.euclideanNorm < 1e-8, "\(f.kind) at \(m): ‖∇f‖ = \(g.euclideanNorm)")
        }
    }

    /// ½(θ−c)ᵀA(θ−c) near the largest Double: ½d is taken first, as torch does, so a loss below DBL_MAX whose
    /// d·(Ad) is above it stays finite, in every path that evaluates it, and the run goes on as torch's does.
    @Test func quadraticLossNearTheLargestDoubleStaysFinite() throws {
        let q = Quadratic(matrix: [[1, 0], [0, 1]])
        let theta = [1.5e154, 0.0]
        #expect(q.loss(at: theta) == (0.5 * 1.5e154) * 1.5e154 && q.loss(at: theta).isFinite)
        var g = [0.0, 0.0]
        #expect(q.lossAndGradient(at: theta, into: &g) == q.loss(at: theta))
        #expect(q.lossAndGradient2(lanes: SIMD8(repeating: 1.5e154), SIMD8(repeating: 0)).loss[3] == q.loss(at: theta))
        var run = try Run(label: "a", objective: q, start: theta, hyperparameters: SGDHyperparameters(lr: 0.1))
        run.advance(by: 1)
        #expect(!run.isDiverged && run.loss == (0.5 * 1.35e154) * 1.35e154)
    }

    @Test func rotatedQuadraticHasTheGivenEigenvalues() {
        let q = Quadratic(eigenvalues: [1, 25], angleDegrees: 30)
        #expect(close(q.eigenvalues[0], 1) && close(q.eigenvalues[1], 25))
        #expect(Quadratic(eigenvalues: [1, -1], angleDegrees: 0).knownMinima.isEmpty)
    }

    /// Q·diag(λ)·Qᵀ for random orthogonal Q (products of Givens rotations) and eigenvalues spread over
    /// twelve decades, both signs: the eigensolver returns λ to 1e-10 of the largest.
    @Test func eigenvaluesOfRandomSymmetricMatrices() {
        var generator = SeededGenerator(seed: 9)
        for n in [3, 8, 20] {
            let lambdas = (0..<n).map { _ in
                (Bool.random(using: &generator) ? 1.0 : -1.0) * pow(10, Double.random(in: -6...6, using: &generator))
            }
            var a = (0..<n).map { i in (0..<n).map { j in i == j ? lambdas[i] : 0.0 } }
            for _ in 0..<(3 * n) {
                let p = Int.random(in: 0..<n, using: &generator), q = (p + Int.random(in: 1..<n, using: &generator)) % n
                let t = Double.random(in: 0..<(2 * .pi), using: &generator), c = cos(t), s = sin(t)
                for k in 0..<n { let x = a[p][k], y = a[q][k]; a[p][k] = c * x - s * y; a[q][k] = s * x + c * y }
                for k in 0..<n { let x = a[k][p], y = a[k][q]; a[k][p] = c * x - s * y; a[k][q] = s * x + c * y }
            }
            for i in 0..<n { for j in 0..<i { let m = (a[i][j] + a[j][i]) / 2; a[i][j] = m; a[j][i] = m } }
            let got = Quadratic(matrix: a).eigenvalues, want = lambdas.sorted()
            let scale = lambdas.map(abs).max()!
            for (g, w) in zip(got, want) { #expect(abs(g - w) <= 1e-10 * scale, "n = \(n): \(g) against \(w)") }
        }
    }

    /// LF or CRLF, spaces and tabs around cells, a trailing blank line: the same table.
    @Test func csvLineEndingsAndBlanks() throws {
        let plain = try RegressionData.csv(text: "a,b,y\n1,2,3\n4.5,-6,7e-1\n", file: "p.csv")
        let messy = try RegressionData.csv(text: "a , b,\ty\r\n 1,\t2 ,3\r\n4.5 ,-6, 7e-1\r\n\r\n", file: "m.csv")
        #expect(plain == messy)
        #expect(plain.features == [[1, 2], [4.5, -6]] && plain.targets == [3, 0.7] && plain.featureNames == ["a", "b"])
        #expect(throws: InputError.self) { try RegressionData.csv(text: "a,y\n1,x\n", file: "bad.csv") }
    }

    @Test func logisticLossDoesNotOverflow() {
        let data = RegressionData(featureNames: ["x"], targetName: "y", features: [[1], [-1]], targets: [1, 0])
        let f = LogisticRegression(data: data)
        #expect(close(f.loss(at: [1000, 0]), 0))  // both samples confidently right
        #expect(close(f.loss(at: [-1000, 0]), 1000))  // both wrong by z = 1000
        var g = [0.0, 0.0]
        f.gradient(at: [-1000, 0], into: &g)
        #expect(g.allSatisfy { $0.isFinite })
    }

    @Test func minibatchGradientOfAllSamplesIsTheFullGradient() {
        let f = LinearRegression(data: Self.iris)
        var full = [0.0, 0.0, 0.0], batch = [0.0, 0.0, 0.0]
        f.gradient(at: [0.3, -0.2, 0.1], into: &full)
        f.gradient(at: [0.3, -0.2, 0.1], samples: Array(0..<f.sampleCount)[...], into: &batch)
        for i in 0..<3 { #expect(close(full[i], batch[i])) }
    }

    @Test func leastSquaresSolutionMatchesNumpy() {
        let petals = try! RegressionData.csv(contentsOf: Fixtures.golden + "/data/iris-petals.csv")
        let m = LinearRegression(data: petals).knownMinima[0]
        // numpy.linalg.lstsq on the same table
        #expect(close(m[0], 0.41575542, rtol: 1e-7) && close(m[1], -0.36307552, rtol: 1e-7))
    }
}

@Suite struct SeededGeneratorTests {
    /// The stream is part of the file format: the same seed must give these numbers on every machine.
    @Test func streamIsFixed() {
        var rng = SeededGenerator(seed: 0)
        #expect(rng.next() == 0xE220_A839_7B1D_CDAF)
        #expect(rng.next() == 0x6E78_9E6A_A1B9_65F4)
    }

    @Test func minibatchesCoverEveryEpochOnce() {
        var schedule = MinibatchSchedule(sampleCount: 23, batchSize: 5, seed: 3)
        for _ in 0..<3 {
            var seen: [Int] = []
            for _ in 0..<5 { seen += schedule.nextBatch() }
            #expect(seen.sorted() == Array(0..<23))
        }
        var again = MinibatchSchedule(sampleCount: 23, batchSize: 5, seed: 3)
        var other = MinibatchSchedule(sampleCount: 23, batchSize: 5, seed: 3)
        #expect(Array(again.nextBatch()) == Array(other.nextBatch()))
    }

    @Test func syntheticDataIsReproducible() {
        let a = RegressionData.synthetic(samples: 5, weights: [2, -1], bias: 0.5, noise: 0.3, seed: 7, logistic: false)
        let b = RegressionData.synthetic(samples: 5, weights: [2, -1], bias: 0.5, noise: 0.3, seed: 7, logistic: false)
        #expect(a == b)
        #expect(a != RegressionData.synthetic(samples: 5, weights: [2, -1], bias: 0.5, noise: 0.3, seed: 8, logistic: false))
    }
}
