import Foundation
import Testing
@testable import DescentCore

/// The fast paths are the slow paths, bit for bit.
@Suite struct EngineTests {
    /// Above 256 parameters a quadratic splits its rows across threads.
    static let largeQuadratic: Quadratic = {
        var rows: [[Double]] = []
        for i in 0..<300 {
            var row: [Double] = []
            for j in 0..<300 { row.append(i == j ? 2 + Double(i % 7) : 1 / Double(1 + i + j)) }
            rows.append(row)
        }
        return Quadratic(matrix: rows)
    }()
    static let objectives: [any Objective] = ObjectiveTests.objectives + [largeQuadratic]

    /// `lossAndGradient` (arrays and raw buffers) equals `loss` and `gradient` evaluated apart.
    @Test(arguments: 0..<objectives.count)
    func lossAndGradientEqualsTheSeparateEvaluations(index: Int) {
        let f = Self.objectives[index]
        var rng = SeededGenerator(seed: UInt64(index) + 11)
        for _ in 0..<20 {
            let theta = (0..<f.dimension).map { _ in (rng.nextUnit() * 2 - 1) * 3 }
            var separate = [Double](repeating: 0, count: f.dimension), together = separate, raw = separate
            f.gradient(at: theta, into: &separate)
            let loss = f.loss(at: theta)
            let togetherLoss = f.lossAndGradient(at: theta, into: &together)
            let rawLoss = theta.withUnsafeBufferPointer { p in raw.withUnsafeMutableBufferPointer { f.lossAndGradient(at: p, into: $0) } }
            #expect(loss.bitPattern == togetherLoss.bitPattern && loss.bitPattern == rawLoss.bitPattern, "\(f.kind)")
            #expect(separate.map(\.bitPattern) == together.map(\.bitPattern) && separate.map(\.bitPattern) == raw.map(\.bitPattern), "\(f.kind)")
        }
    }

    /// `advance(by:)` (pinned buffers, a loop per objective type) takes the same steps as `step()`
    /// called one at a time, for random hyperparameters, minibatches and runs that diverge.
    @Test(arguments: 0..<objectives.count)
    func bulkAdvanceEqualsSingleSteps(index: Int) throws {
        let f = Self.objectives[index]
        var rng = SeededGenerator(seed: UInt64(index) + 101)
        for trial in 0..<12 {
            let momentum = trial % 3 == 0 ? 0 : rng.nextUnit() * 0.95
            let h = SGDHyperparameters(
                lr: pow10(-4 + 4 * rng.nextUnit()), momentum: momentum,
                dampening: trial % 4 == 1 ? rng.nextUnit() * 0.5 : 0, weightDecay: trial % 5 == 2 ? rng.nextUnit() * 0.1 : 0,
                nesterov: momentum > 0 && trial % 2 == 0, maximize: trial == 7, update: trial % 6 == 5 ? .sign : .sgd)
            let start = (0..<f.dimension).map { _ in rng.nextUnit() * 2 - 1 }
            let batch: Int? = (f is any SampledObjective) && trial % 2 == 1 ? 16 : nil
            var one = try Run(label: "a", objective: f, start: start, hyperparameters: h, batchSize: batch, seed: 5)
            var bulk = one
            let steps = 1 + Int(rng.next() % 300)
            for _ in 0..<steps { one.step() }
            bulk.advance(by: steps)
            #expect(one.parameters.map(\.bitPattern) == bulk.parameters.map(\.bitPattern), "\(f.kind) trial \(trial)")
            #expect(one.loss.bitPattern == bulk.loss.bitPattern && one.status == bulk.status && one.stepCount == bulk.stepCount)
            #expect(one.optimizer == bulk.optimizer)
            #expect(one.gradientNorm().bitPattern == bulk.gradientNorm().bitPattern)
        }
    }

    private func pow10(_ x: Double) -> Double { pow(10, x) }
}

/// Four rows at a time sum each row exactly as one row at a time does.
@Suite struct KernelTests {
    @Test func fourRowsAtATimeEqualOneRowAtATime() {
        var rng = SeededGenerator(seed: 9)
        for n in [1, 3, 4, 5, 7, 8, 13, 64, 257] {
            let a = (0..<(n * n)).map { _ in rng.nextGaussian() * 1e3 }, d = (0..<n).map { _ in rng.nextGaussian() }
            var fast = [Double](repeating: 0, count: n)
            a.withUnsafeBufferPointer { a in d.withUnsafeBufferPointer { d in fast.withUnsafeMutableBufferPointer { out in
                Quadratic.product(rows: 0..<n, of: a.baseAddress!, n: n, times: d.baseAddress!, into: out.baseAddress!)
                for i in 0..<n {
                    let one = Kernels.dot(a.baseAddress! + i * n, d.baseAddress!, count: n)
                    #expect(one.bitPattern == out[i].bitPattern, "n = \(n), row \(i)")
                }
            } } }
        }
    }
}
