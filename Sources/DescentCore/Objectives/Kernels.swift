/// Inner loops shared by the objectives: raw pointers, no bounds checks, a fixed order of operations.
///
/// The order is part of the contract: it is the same on every machine and for every caller (a run,
/// a sweep cell, a replay), so equal inputs give equal bits. Threads split independent rows only.
enum Kernels {
    /// Σ aᵢ·bᵢ over `count` entries, as four interleaved partial sums (entries i ≡ 0, 1, 2, 3 mod 4,
    /// each summed in index order), combined as (s₀ + s₁) + (s₂ + s₃), then the tail in index order.
    ///
    /// Four independent sums let the compiler use SIMD registers; the rounding differs from a single
    /// running sum by at most the usual (count · ε)-relative bound of either.
    @inline(__always)
    static func dot(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> Double {
        var s0 = 0.0, s1 = 0.0, s2 = 0.0, s3 = 0.0
        var i = 0
        while i + 4 <= count {
            s0 += a[i] * b[i]
            s1 += a[i + 1] * b[i + 1]
            s2 += a[i + 2] * b[i + 2]
            s3 += a[i + 3] * b[i + 3]
            i += 4
        }
        var total = (s0 + s1) + (s2 + s3)
        while i < count { total += a[i] * b[i]; i += 1 }
        return total
    }
}
