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

    /// `dot` of four rows with the same vector, each row summed exactly as `dot` sums it: reading the
    /// vector once for four rows halves the loads that bound a dense matrix–vector product.
    @inline(__always)
    static func dot4(_ r0: UnsafePointer<Double>, _ r1: UnsafePointer<Double>, _ r2: UnsafePointer<Double>,
                     _ r3: UnsafePointer<Double>, _ b: UnsafePointer<Double>, count: Int) -> (Double, Double, Double, Double) {
        var a0 = SIMD4<Double>(), a1 = SIMD4<Double>(), a2 = SIMD4<Double>(), a3 = SIMD4<Double>()
        var i = 0
        while i + 4 <= count {
            let v = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD4<Double>.self)
            a0 += UnsafeRawPointer(r0 + i).loadUnaligned(as: SIMD4<Double>.self) * v
            a1 += UnsafeRawPointer(r1 + i).loadUnaligned(as: SIMD4<Double>.self) * v
            a2 += UnsafeRawPointer(r2 + i).loadUnaligned(as: SIMD4<Double>.self) * v
            a3 += UnsafeRawPointer(r3 + i).loadUnaligned(as: SIMD4<Double>.self) * v
            i += 4
        }
        // Lanes 0…3 are dot's s₀…s₃; combined and finished as dot does.
        var t0 = (a0[0] + a0[1]) + (a0[2] + a0[3]), t1 = (a1[0] + a1[1]) + (a1[2] + a1[3])
        var t2 = (a2[0] + a2[1]) + (a2[2] + a2[3]), t3 = (a3[0] + a3[1]) + (a3[2] + a3[3])
        while i < count {
            t0 += r0[i] * b[i]; t1 += r1[i] * b[i]; t2 += r2[i] * b[i]; t3 += r3[i] * b[i]
            i += 1
        }
        return (t0, t1, t2, t3)
    }
}
