extension Double {
    /// This value rounded down and clamped to `range`; NaN goes to the bottom of the range.
    ///
    /// Every Double→Int of rendering goes through here: a NaN or a huge coordinate must never trap.
    func clampedInt(_ range: ClosedRange<Int>) -> Int {
        guard !isNaN else { return range.lowerBound }
        let floored = rounded(.down)
        if floored <= Double(range.lowerBound) { return range.lowerBound }
        if floored >= Double(range.upperBound) { return range.upperBound }
        return Int(floored)
    }
}
