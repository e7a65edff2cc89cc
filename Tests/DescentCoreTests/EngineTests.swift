import Foundation
import Synchronization
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

/// The matrix–vector kernel sums every row exactly as `referenceDot` does, on every available path and for any number
/// of threads sharing the rows, also while other products hold the thread pool.
@Suite struct KernelTests {
    static func sameBits(_ a: Double, _ b: Double) -> Bool { a.bitPattern == b.bitPattern || (a.isNaN && b.isNaN) }

    /// The order `descent_matvec_rows` promises for a row, written plainly: four partial sums (entries i ≡ 0, 1, 2,
    /// 3 mod 4, each in index order), combined as (s₀ + s₁) + (s₂ + s₃), then the tail in index order.
    static func referenceDot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= count {
            s0 += a[i] * b[i]; s1 += a[i + 1] * b[i + 1]; s2 += a[i + 2] * b[i + 2]; s3 += a[i + 3] * b[i + 3]
            i += 4
        }
        var total = (s0 + s1) + (s2 + s3)
        while i < count { total += a[i] * b[i]; i += 1 }
        return total
    }

    @Test(arguments: KernelPath.allCases.filter(\.isAvailable))
    func everyPathAndThreadCountSumsRowsAsDot(path: KernelPath) {
        var rng = SeededGenerator(seed: 9)
        let specials = [Double.nan, .infinity, -.infinity, -0.0, 0, .leastNonzeroMagnitude, -.leastNormalMagnitude, 1e308]
        for n in [1, 3, 4, 5, 7, 8, 13, 31, 32, 33, 64, 257, 300] {
            for trial in 0..<2 {
                var a = (0..<(n * n)).map { _ in rng.nextGaussian() * 1e3 }, d = (0..<n).map { _ in rng.nextGaussian() }
                if trial == 1 {
                    for _ in 0..<max(1, n / 3) { a[Int(rng.next() % UInt64(n * n))] = specials[Int(rng.next() % 8)] }
                    d[Int(rng.next() % UInt64(n))] = specials[Int(rng.next() % 8)]
                }
                let want = (0..<n).map { i in a.withUnsafeBufferPointer { a in d.withUnsafeBufferPointer { Self.referenceDot(a.baseAddress! + i * n, $0.baseAddress!, count: n) } } }
                for threads in [1, 2, 3, 8] {
                    var out = [Double](repeating: 7, count: n)
                    a.withUnsafeBufferPointer { a in d.withUnsafeBufferPointer { d in out.withUnsafeMutableBufferPointer { out in
                        Quadratic.product(of: a.baseAddress!, n: n, times: d.baseAddress!, into: out.baseAddress!, path: path, threads: threads)
                    } } }
                    let bad = (0..<n).first { !Self.sameBits(out[$0], want[$0]) }
                    #expect(bad == nil, "\(path.name), n = \(n), trial \(trial), \(threads) threads: row \(bad ?? -1)")
                }
            }
        }
    }

    /// Products started at once from several threads: one holds the pool, the others compute alone, and every
    /// one is right.
    @Test func concurrentProductsAreEachRight() {
        let n = 300
        var rng = SeededGenerator(seed: 10)
        let a = (0..<(n * n)).map { _ in rng.nextGaussian() }
        let ds = (0..<4).map { _ in (0..<n).map { _ in rng.nextGaussian() } }
        let want = ds.map { d in (0..<n).map { i in a.withUnsafeBufferPointer { a in d.withUnsafeBufferPointer { Self.referenceDot(a.baseAddress! + i * n, $0.baseAddress!, count: n) } } } }
        let wrong = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 4) { k in
            for _ in 0..<50 {
                var out = [Double](repeating: 0, count: n)
                a.withUnsafeBufferPointer { a in ds[k].withUnsafeBufferPointer { d in out.withUnsafeMutableBufferPointer { out in
                    Quadratic.product(of: a.baseAddress!, n: n, times: d.baseAddress!, into: out.baseAddress!, threads: 2)
                } } }
                if out.map(\.bitPattern) != want[k].map(\.bitPattern) { wrong.withLock { $0 += 1 } }
            }
        }
        #expect(wrong.withLock { $0 } == 0)
    }
}
