/// Functions computed with IEEE-754 +, −, ×, ÷ and √ only, in a fixed order, so they give the same bits on
/// every machine (a C library's `log` may differ in its last bit between platforms).
enum PortableMath {
    /// ln 2 split so that e·ln2Hi is exact for |e| < 2¹¹ (its low 11 bits are zero), and ln2Lo the rest.
    static let ln2Hi = 6.93147180369123816490e-01, ln2Lo = 1.90821492927058770002e-10

    /// ln x for finite x > 0, within about 2 ulp: x = m·2ᵉ with m in [√½, √2), and
    /// ln m = 2·atanh(f), f = (m − 1)/(m + 1), by its series to f²³ (|f| ≤ 0.172, so the next term is
    /// below 1e-19). Not for 0, negatives, infinities or NaN (the noise's uniform draws never are).
    static func log(_ x: Double) -> Double {
        var m = x.significand, e = x.exponent
        if m > 1.4142135623730951 { m = m / 2; e += 1 }
        let f = (m - 1) / (m + 1), f2 = f * f
        var series = 1.0 / 23
        for k in stride(from: 21, through: 3, by: -2) { series = series * f2 + 1.0 / Double(k) }
        series = series * f2 + 1
        let exponent = Double(e)
        return (exponent * ln2Hi + 2 * f * series) + exponent * ln2Lo
    }

    /// sin t for t in [0, π], within a few ulp: by symmetry about π/2 to u in [0, π/2], then the Taylor series
    /// to u²⁵ (the next term is below 1e-21 there), summed from the smallest term.
    static func sin(_ t: Double) -> Double {
        let u = t > Double.pi / 2 ? Double.pi - t : t
        let u2 = u * u
        var term = 1.0, series = 0.0
        var terms: [Double] = []
        for k in stride(from: 1, through: 25, by: 2) {
            terms.append(term)
            term = -term * u2 / Double((k + 1) * (k + 2))
        }
        for value in terms.reversed() { series += value }
        return u * series
    }

    /// cos t for t in [0, π]: sin(π/2 − t), within a few ulp.
    static func cos(_ t: Double) -> Double {
        let u = Double.pi / 2 - t
        return u >= 0 ? sin(u) : -sin(-u)
    }
}

extension SeededGenerator {
    /// Standard normal by Marsaglia's polar method, with `PortableMath.log`: the same numbers on every machine.
    /// Draws pairs of uniforms in (−1, 1) until one falls strictly inside the unit circle, and returns the first
    /// of the two normals that pair gives.
    public mutating func nextPortableGaussian() -> Double {
        while true {
            let u = 2 * nextUnit() - 1, v = 2 * nextUnit() - 1
            let s = u * u + v * v
            if s < 1 && s > 0 { return u * (-2 * PortableMath.log(s) / s).squareRoot() }
        }
    }
}
