import Foundation
import Testing
@testable import DescentCore

/// Every kernel path this CPU runs (portable, AVX2, AVX-512: `KernelPath`) gives the general loop's bits for every
/// option combination, on random inputs with NaN, ±inf, ±0 and subnormals among them, and says whether θ stays finite.
@Suite struct SGDKernelTests {
    static func value(_ g: inout SeededGenerator) -> Double {
        switch g.nextIndex(below: 20) {
        case 0: return .nan
        case 1: return .infinity
        case 2: return -.infinity
        case 3: return -0.0
        case 4: return Double.leastNonzeroMagnitude * Double(g.nextIndex(below: 100))
        case 5: return 1e300 * (g.nextUnit() - 0.5)
        default: return (g.nextUnit() - 0.5) * 10
        }
    }

    /// Bit for bit, except that a NaN's sign and payload are not part of the contract: which NaN operand x86
    /// passes on depends on the operand order a compiler picks for a commutative operation, and every output
    /// writes any NaN as `nan`.
    static func same(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }

    @Test(arguments: KernelPath.allCases)
    func everyCombinationMatchesTheGeneralLoopBitForBit(path: KernelPath) {
        guard path.isAvailable else { print("SGDKernelTests: this CPU does not run the \(path.name) kernel"); return }
        var g = SeededGenerator(seed: 22)
        var combinations = 0
        for decay in [0.0, 0.01] {
            for momentum in [0.0, 0.9] {
                for nesterov in momentum == 0 ? [false] : [false, true] {
                    for dampening in nesterov || momentum == 0 ? [0.0] : [0.0, 0.3] {
                        for update in [UpdateRule.sgd, .sign] {
                            for maximize in [false, true] {
                                combinations += 1
                                let h = SGDHyperparameters(lr: 0.01, momentum: momentum, dampening: dampening, weightDecay: decay,
                                                           nesterov: nesterov, maximize: maximize, update: update)
                                for trial in 0..<20 {
                                    // Mostly finite inputs (so the finite flag is seen both ways), some with specials;
                                    // lengths that leave the vector loops remainders.
                                    let n = 3 + g.nextIndex(below: 70)
                                    let special = trial % 2 == 0
                                    func draw() -> Double { special ? Self.value(&g) : (g.nextUnit() - 0.5) * 10 }
                                    var theta = (0..<n).map { _ in draw() }, buffer = (0..<n).map { _ in draw() }
                                    let gradient = (0..<n).map { _ in draw() }
                                    var theta2 = theta, buffer2 = buffer
                                    let fast = theta.withUnsafeMutableBufferPointer { t in
                                        buffer.withUnsafeMutableBufferPointer { b in
                                            gradient.withUnsafeBufferPointer { gr in SGD.apply(h, theta: t, gradient: gr, buffer: b, firstMomentumStep: false, path: path) }
                                        }
                                    }
                                    let slow = theta2.withUnsafeMutableBufferPointer { t in
                                        buffer2.withUnsafeMutableBufferPointer { b in
                                            gradient.withUnsafeBufferPointer { gr in SGD.general(h, theta: t, gradient: gr, buffer: b, firstMomentumStep: false) }
                                        }
                                    }
                                    #expect(Self.same(theta, theta2), "\(h)")
                                    if momentum != 0 { #expect(Self.same(buffer, buffer2), "\(h)") }
                                    #expect(fast == slow && fast == theta.allSatisfy(\.isFinite), "\(h)")
                                }
                            }
                        }
                    }
                }
            }
        }
        #expect(combinations == 32)
    }
}
