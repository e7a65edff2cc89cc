import DescentCore

/// Every change made to the runs while a session goes, with the step of the run it happened to: what `w`
/// writes as `events:` so that `descent run` replays the session bit for bit.
///
/// Runs are known by an id that outlives renames; the labels written are the runs' last ones.
struct SessionLog: Sendable, Equatable {
    struct Entry: Sendable, Equatable {
        var run: Int
        var step: Int
        var action: RunEvent.Action
    }

    /// Each live run's id, aligned with the explorer's runs.
    private(set) var ids: [Int]
    private(set) var entries: [Entry] = []
    private var nextID: Int
    /// The last label of every run ever in the session.
    private var labels: [Int: String]

    init(runs: [Run]) {
        ids = Array(runs.indices)
        nextID = runs.count
        labels = Dictionary(uniqueKeysWithValues: runs.enumerated().map { ($0.offset, $0.element.label) })
    }

    var isEmpty: Bool { entries.isEmpty }

    /// The log of a scenario's own `events:`, as if they had been made in this session.
    init(runs: [Run], events: [RunEvent]) {
        self.init(runs: runs)
        for event in events {
            guard let index = ids.firstIndex(where: { labels[$0] == event.run }) else { continue }
            switch event.action {
            case .copy(let label): copy(source: index, step: event.step, insertedAt: index + 1, label: label)
            case .delete: delete(index, step: event.step)
            default: record(run: index, step: event.step, event.action)
            }
        }
    }

    /// The current label of the live run with id `id`.
    func label(of id: Int) -> String? { labels[id] }

    mutating func record(run index: Int, step: Int, _ action: RunEvent.Action) {
        entries.append(Entry(run: ids[index], step: step, action: action))
    }

    /// A copy of run `source` inserted at `index` (the explorer's `a`).
    mutating func copy(source: Int, step: Int, insertedAt index: Int, label: String) {
        let id = nextID
        nextID += 1
        entries.append(Entry(run: ids[source], step: step, action: .copy(label: "\u{0}\(id)")))
        ids.insert(id, at: index)
        labels[id] = label
    }

    mutating func delete(_ index: Int, step: Int) {
        record(run: index, step: step, .delete)
        ids.remove(at: index)
    }

    mutating func renamed(_ index: Int, to label: String) { labels[ids[index]] = label }

    /// The events with every run named by its last label.
    var events: [RunEvent] {
        entries.map { entry in
            var action = entry.action
            // A copy's label is filled in now, so a later rename is the one written.
            if case .copy(let placeholder) = action, let id = Int(placeholder.dropFirst()) { action = .copy(label: labels[id] ?? placeholder) }
            return RunEvent(step: entry.step, run: labels[entry.run] ?? "?", action: action)
        }
    }

    /// Every label a run of this session has had, live or deleted: a new label must avoid them all, so that
    /// the events written name each run unambiguously.
    var allLabels: Set<String> { Set(labels.values) }

    /// The last label of the scenario's own run `index`.
    func originalLabel(_ index: Int) -> String? { labels[index] }
}
