extension Scenario {
    /// The style (colour, glyph, dot pattern) each of `labels` is drawn in, as this scenario gives them: a
    /// run's `style`, or a copy event's, else the run's place in `runs`; a label with none of these (a copy
    /// made by an event without a style) gets the lowest style no earlier label in `labels` has.
    ///
    /// The explorer draws a file's runs this way, and `--save-state` writes a style wherever reading the
    /// saved file back would not give the same one, so both agree on every run's look.
    public func styles(of labels: [String]) -> [Int] {
        var given: [String: Int] = [:]
        for (index, spec) in runs.enumerated() { given[spec.label] = spec.style ?? index }
        for event in events {
            if case .copy(let label) = event.action, let style = event.style { given[label] = style }
        }
        var styles: [Int?] = labels.map { given[$0] }
        for i in styles.indices where styles[i] == nil {
            let used = Set(styles.compactMap { $0 })
            var lowest = 0
            while used.contains(lowest) { lowest += 1 }
            styles[i] = lowest
        }
        return styles.map { $0! }
    }

    /// The runs' labels once the events are played, in the order the explorer lists them: each copy right
    /// after its source, deleted runs gone.
    public var labelsAfterEvents: [String] {
        var labels = runs.map(\.label)
        for event in events {
            guard let at = labels.firstIndex(of: event.run) else { continue }
            switch event.action {
            case .copy(let label): labels.insert(label, at: at + 1)
            case .delete: labels.remove(at: at)
            default: break
            }
        }
        return labels
    }
}
