extension Scenario {
    /// The scenario as YAML in the style of the hand-written files: one flow mapping per run and check,
    /// numbers in Swift's shortest round-trip form, text double-quoted. `Scenario.decode` reads it back equal.
    public func yamlText() -> String {
        var out = "name: \(Self.quoted(name))\n"
        if let description { out += "description: \(Self.quoted(description))\n" }
        out += "objective: \(Self.flow(objective.writtenFields))\n"
        // An empty start is one left out: the objective's own (a network's seeded initialisation).
        if let startFile {
            out += "start: {file: \(Self.quoted(startFile))}\n"
        } else if !start.isEmpty {
            out += "start: \(Self.list(start))\n"
        }
        out += "steps: \(steps)\n"
        out += "runs:\n"
        for run in runs { out += "  - \(Self.flow(Self.fields(of: run)))\n" }
        if !events.isEmpty {
            out += "events:\n"
            for event in events { out += "  - \(Self.flow(event.fields))\n" }
        }
        if !expect.isEmpty {
            out += "expect:\n"
            for check in expect { out += "  - \(Self.flow(Self.fields(of: check)))\n" }
        }
        if let lesson { out += lesson.yamlText }
        return out
    }

    private static func fields(of run: RunSpec) -> [(String, String)] {
        var fields = [("label", quoted(run.label))] + run.hyperparameters.writtenFields
        if let s = run.start { fields.append(("start", list(s))) }
        if let b = run.batchSize { fields.append(("batch_size", "\(b)")) }
        if let s = run.seed { fields.append(("seed", "\(s)")) }
        if let schedule = run.schedule { fields.append(("schedule", flow(schedule.fields))) }
        if let noise = run.noise { fields.append(("noise", NumberFormat.file(noise))) }
        if let state = run.state { fields.append(("state", flow(state.fields))) }
        if let style = run.style { fields.append(("style", "\(style)")) }
        return fields
    }

    private static func fields(of check: Expectation) -> [(String, String)] {
        switch check {
        case let .finalLossBelow(run, bound): [("run", quoted(run)), ("final_loss_below", NumberFormat.file(bound))]
        case let .finalLossAbove(run, bound): [("run", quoted(run)), ("final_loss_above", NumberFormat.file(bound))]
        case let .diverges(run, value): [("run", quoted(run)), ("diverges", value ? "true" : "false")]
        case let .endsNear(run, point, tolerance): [("run", quoted(run)), ("ends_near", list(point)), ("within", NumberFormat.file(tolerance))]
        case let .faster(run, than, loss): [("faster", quoted(run)), ("than", quoted(than)), ("to_loss", NumberFormat.file(loss))]
        }
    }

    /// One check as the flow mapping `yamlText` writes for it.
    public static func flowText(of check: Expectation) -> String {
        flow(fields(of: check))
    }

    static func flow(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}"
    }

    static func list(_ values: [Double]) -> String {
        "[" + values.map(NumberFormat.file).joined(separator: ", ") + "]"
    }

    /// A YAML double-quoted scalar (JSON's escapes are valid YAML).
    static func quoted(_ text: String) -> String {
        TrajectoryReport.jsonString(text)
    }
}

extension Scenario {
    /// The scenario with every file path it names (its objective's data, its start's file) rewritten by
    /// `transform`: for a scenario written into another folder.
    public func mappingPaths(_ transform: (String) -> String) -> Scenario {
        var copy = self
        copy.objective = objective.mappingPaths(transform)
        copy.startFile = startFile.map(transform)
        return copy
    }
}
