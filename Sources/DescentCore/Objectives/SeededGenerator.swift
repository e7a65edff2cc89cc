import Foundation

/// SplitMix64: a tiny seeded generator that gives the same stream on every machine.
///
/// Descent never uses the system generator, so a scenario file always produces the same numbers.
public struct SeededGenerator: RandomNumberGenerator, Codable, Equatable, Sendable {
    public private(set) var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Uniform integer in 0..<bound, without modulo bias (rejection sampling).
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0)
        let b = UInt64(bound)
        let limit = UInt64.max - UInt64.max % b
        while true {
            let r = next()
            if r < limit { return Int(r % b) }
        }
    }

    /// Standard normal by the Box–Muller transform (one value per two uniforms).
    public mutating func nextGaussian() -> Double {
        let u1 = 1 - nextUnit()  // (0, 1], so the log is finite
        let u2 = nextUnit()
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// Fisher–Yates shuffle of `indices` in place.
    public mutating func shuffle(_ indices: inout [Int]) {
        guard indices.count > 1 else { return }
        for i in stride(from: indices.count - 1, to: 0, by: -1) {
            indices.swapAt(i, nextIndex(below: i + 1))
        }
    }
}
