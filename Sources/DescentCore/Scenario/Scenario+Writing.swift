extension Scenario {
    /// The scenario as YAML in the style of the hand-written files: one flow mapping per run and check,
    /// numbers in Swift's shortest round-trip form, text double-quoted. `Scenario.decode` reads it back equal.
    public func yamlText() -> String {
        var out = "name: \(Self.quoted(name))\n"
        if let description { out += "description: \(Self.quoted(description))\n" }
        out += "objective: \(Self.flow(objectiveFields))\n"
        out += "start: \(Self.list(start))\n"
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
        return out
    }

    private var objectiveFields: [(String, String)] {
        let o = objective
        var fields = [("kind", o.kind)]
        if let m = o.matrix { fields.append(("A", "[" + m.map(Self.list).joined(separator: ", ") + "]")) }
        if let a = o.amplitude { fields.append(("A", Self.number(a))) }
        if let e = o.eigenvalues { fields.append(("eigenvalues", Self.list(e))) }
        if let a = o.angle { fields.append(("angle", Self.number(a))) }
        if let c = o.center { fields.append(("center", Self.list(c))) }
        if let a = o.a { fields.append(("a", Self.number(a))) }
        if let b = o.b { fields.append(("b", Self.number(b))) }
        if let d = o.data { fields.append(("data", Self.quoted(d))) }
        if let s = o.synthetic {
            fields.append(("synthetic", Self.flow([
                ("samples", "\(s.samples)"), ("weights", Self.list(s.weights)), ("bias", Self.number(s.bias)),
                ("noise", Self.number(s.noise)), ("seed", "\(s.seed)"),
            ])))
        }
        if let b = o.batchSize { fields.append(("batch_size", "\(b)")) }
        if let s = o.seed { fields.append(("seed", "\(s)")) }
        if let f = o.f { fields.append(("f", Self.quoted(f))) }
        if let v = o.variables { fields.append(("variables", "[" + v.map(Self.quoted).joined(separator: ", ") + "]")) }
        if let m = o.minima { fields.append(("minima", "[" + m.map(Self.list).joined(separator: ", ") + "]")) }
        if let v = o.view { fields.append(("view", Self.list(v))) }
        return fields
    }

    private static func fields(of run: RunSpec) -> [(String, String)] {
        let h = run.hyperparameters
        var fields = [("label", quoted(run.label)), ("lr", number(h.lr))]
        if h.momentum != 0 { fields.append(("momentum", number(h.momentum))) }
        if h.dampening != 0 { fields.append(("dampening", number(h.dampening))) }
        if h.weightDecay != 0 { fields.append(("weight_decay", number(h.weightDecay))) }
        if h.nesterov { fields.append(("nesterov", "true")) }
        if h.maximize { fields.append(("maximize", "true")) }
        if h.update != .sgd { fields.append(("update", h.update.rawValue)) }
        if h.convention != .pytorch { fields.append(("convention", h.convention.rawValue)) }
        if let s = run.start { fields.append(("start", list(s))) }
        if let b = run.batchSize { fields.append(("batch_size", "\(b)")) }
        if let s = run.seed { fields.append(("seed", "\(s)")) }
        if let schedule = run.schedule { fields.append(("schedule", flow(schedule.fields))) }
        if let noise = run.noise { fields.append(("noise", number(noise))) }
        if let state = run.state { fields.append(("state", flow(state.fields))) }
        return fields
    }

    private static func fields(of check: Expectation) -> [(String, String)] {
        switch check {
        case let .finalLossBelow(run, bound): [("run", quoted(run)), ("final_loss_below", number(bound))]
        case let .finalLossAbove(run, bound): [("run", quoted(run)), ("final_loss_above", number(bound))]
        case let .diverges(run, value): [("run", quoted(run)), ("diverges", value ? "true" : "false")]
        case let .endsNear(run, point, tolerance): [("run", quoted(run)), ("ends_near", list(point)), ("within", number(tolerance))]
        case let .faster(run, than, loss): [("faster", quoted(run)), ("than", quoted(than)), ("to_loss", number(loss))]
        }
    }

    /// One check as the flow mapping `yamlText` writes for it.
    public static func flowText(of check: Expectation) -> String {
        flow(fields(of: check))
    }

    private static func flow(_ fields: [(String, String)]) -> String {
        "{" + fields.map { "\($0.0): \($0.1)" }.joined(separator: ", ") + "}"
    }

    private static func list(_ values: [Double]) -> String {
        "[" + values.map(number).joined(separator: ", ") + "]"
    }

    /// Whole numbers without `.0`; otherwise the shortest form that reads back to the same Double.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    /// A YAML double-quoted scalar (JSON's escapes are valid YAML).
    static func quoted(_ text: String) -> String {
        TrajectoryReport.jsonString(text)
    }
}
