/// Seeded minibatches: each epoch a fresh shuffle of the samples, cut into batches in order.
///
/// The last batch of an epoch may be smaller (torch's `DataLoader` with `drop_last=False`).
public struct MinibatchSchedule: Sendable, Equatable, Codable {
    public let sampleCount: Int
    public let batchSize: Int
    public let seed: UInt64
    private var generator: SeededGenerator
    private var order: [Int]
    private var position: Int

    public init(sampleCount: Int, batchSize: Int, seed: UInt64) {
        self.sampleCount = sampleCount
        self.batchSize = max(1, min(batchSize, sampleCount))
        self.seed = seed
        generator = SeededGenerator(seed: seed)
        order = Array(0..<sampleCount)
        position = sampleCount  // forces a shuffle before the first batch
    }

    /// The sample indices of the next step.
    public mutating func nextBatch() -> ArraySlice<Int> {
        if position >= sampleCount {
            for i in 0..<sampleCount { order[i] = i }
            generator.shuffle(&order)
            position = 0
        }
        let end = min(position + batchSize, sampleCount)
        defer { position = end }
        return order[position..<end]
    }

    /// Back to the first batch of the first epoch.
    public mutating func reset() {
        self = MinibatchSchedule(sampleCount: sampleCount, batchSize: batchSize, seed: seed)
    }
}
