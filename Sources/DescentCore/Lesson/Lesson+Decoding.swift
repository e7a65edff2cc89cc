extension Lesson: Decodable {
    public init(from decoder: any Decoder) throws {
        beats = try [Beat](from: decoder)
    }
}

extension Beat: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case at, say, set, show, ask, expect }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Keys.self)
        let c = try decoder.container(keyedBy: Keys.self)
        at = try c.decode(Int.self, forKey: .at)
        say = try c.decodeIfPresent(String.self, forKey: .say) ?? ""
        if c.contains(.set) {
            let runs = try c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: .set)
            set = try runs.allKeys.map { key in (key.stringValue, try runs.decode(HyperparameterPatch.self, forKey: key)) }
        } else {
            set = []
        }
        show = try c.decodeIfPresent(BeatShow.self, forKey: .show) ?? BeatShow()
        ask = try c.decodeIfPresent(Question.self, forKey: .ask)
        expect = try c.decodeIfPresent([Expectation].self, forKey: .expect) ?? []
    }
}

extension BeatShow: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case theory, arrows, map, eigen, hide, reveal, view }
    enum ViewKeys: String, CodingKey, CaseIterable { case center, width }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Keys.self)
        let c = try decoder.container(keyedBy: Keys.self)
        theory = try c.decodeIfPresent(Bool.self, forKey: .theory)
        map = try c.decodeIfPresent(Bool.self, forKey: .map)
        eigen = try c.decodeIfPresent(Bool.self, forKey: .eigen)
        hide = try c.decodeIfPresent([String].self, forKey: .hide) ?? []
        reveal = try c.decodeIfPresent([String].self, forKey: .reveal) ?? []
        if c.contains(.arrows) {
            if let word = try? c.decode(String.self, forKey: .arrows) {
                switch word {
                case "all": arrows = .all
                case "none": arrows = BeatShow.Arrows.none
                default: throw DecodingError.dataCorruptedError(forKey: .arrows, in: c, debugDescription: "must be all, none or a list of run labels, got '\(word)'")
                }
            } else {
                arrows = .runs(try c.decode([String].self, forKey: .arrows))
            }
        }
        if c.contains(.view) {
            if let word = try? c.decode(String.self, forKey: .view) {
                guard word == "fit" else {
                    throw DecodingError.dataCorruptedError(forKey: .view, in: c, debugDescription: "must be fit or {center: [x, y], width: w}, got '\(word)'")
                }
                view = .fit
            } else {
                let v = try c.nestedContainer(keyedBy: ViewKeys.self, forKey: .view)
                try c.superDecoder(forKey: .view).rejectUnknownKeys(ViewKeys.self)
                let center = try v.decode([Double].self, forKey: .center)
                let width = try v.decode(Double.self, forKey: .width)
                guard center.count == 2, center.allSatisfy(\.isFinite) else {
                    throw DecodingError.dataCorruptedError(forKey: .center, in: v, debugDescription: "must be two finite numbers (the shown axes' x and y)")
                }
                guard width > 0, width.isFinite else {
                    throw DecodingError.dataCorruptedError(forKey: .width, in: v, debugDescription: "must be a finite number > 0")
                }
                view = .zoom(center: center, width: width)
            }
        }
    }
}

extension Question: Decodable {
    enum Keys: String, CodingKey, CaseIterable { case question, answer, tolerance, choices }

    /// Without a `tolerance`, a number is right within 1% of the answer (of 1 when the answer is 0).
    public static func defaultTolerance(of answer: Double) -> Double { 0.01 * max(abs(answer), answer == 0 ? 1 : 0) }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(Keys.self)
        let c = try decoder.container(keyedBy: Keys.self)
        text = try c.decode(String.self, forKey: .question)
        if c.contains(.choices) {
            let choices = try c.decode([String].self, forKey: .choices)
            guard choices.count >= 2 else {
                throw DecodingError.dataCorruptedError(forKey: .choices, in: c, debugDescription: "needs at least two choices")
            }
            if c.contains(.tolerance) {
                throw DecodingError.dataCorruptedError(forKey: .tolerance, in: c, debugDescription: "goes with a number answer, not with choices")
            }
            let correct = try c.decode(String.self, forKey: .answer)
            guard choices.contains(correct) else {
                throw DecodingError.dataCorruptedError(forKey: .answer, in: c, debugDescription: "'\(correct)' is not one of the choices (\(choices.joined(separator: ", ")))")
            }
            answer = .choice(choices, correct: correct)
        } else {
            let value = try c.decode(Double.self, forKey: .answer)
            guard value.isFinite else { throw DecodingError.dataCorruptedError(forKey: .answer, in: c, debugDescription: "must be a finite number") }
            let tolerance = try c.decodeIfPresent(Double.self, forKey: .tolerance) ?? Self.defaultTolerance(of: value)
            guard tolerance >= 0, tolerance.isFinite else {
                throw DecodingError.dataCorruptedError(forKey: .tolerance, in: c, debugDescription: "must be a finite number ≥ 0")
            }
            answer = .number(value, tolerance: tolerance)
        }
    }
}

extension Lesson {
    /// The lesson as `yamlText` writes it: one block per beat, its parts as flow mappings.
    var yamlText: String {
        var out = "lesson:\n"
        for beat in beats {
            out += "  - at: \(beat.at)\n"
            out += "    say: \(Scenario.quoted(beat.say))\n"
            if !beat.set.isEmpty {
                out += "    set: {" + beat.set.map { "\(Scenario.quoted($0.run)): " + Scenario.flow($0.patch.fields) }.joined(separator: ", ") + "}\n"
            }
            let show = beat.show.fields
            if !show.isEmpty { out += "    show: \(Scenario.flow(show))\n" }
            if let ask = beat.ask { out += "    ask: \(Scenario.flow(ask.fields))\n" }
            if !beat.expect.isEmpty {
                out += "    expect:\n"
                for check in beat.expect { out += "      - \(Scenario.flowText(of: check))\n" }
            }
        }
        return out
    }
}

extension BeatShow {
    var fields: [(String, String)] {
        func names(_ labels: [String]) -> String { "[" + labels.map(Scenario.quoted).joined(separator: ", ") + "]" }
        var out: [(String, String)] = []
        if let theory { out.append(("theory", "\(theory)")) }
        switch arrows {
        case .none?: out.append(("arrows", "none"))
        case .all?: out.append(("arrows", "all"))
        case .runs(let labels)?: out.append(("arrows", names(labels)))
        case nil: break
        }
        if let map { out.append(("map", "\(map)")) }
        if let eigen { out.append(("eigen", "\(eigen)")) }
        if !hide.isEmpty { out.append(("hide", names(hide))) }
        if !reveal.isEmpty { out.append(("reveal", names(reveal))) }
        switch view {
        case .fit?: out.append(("view", "fit"))
        case let .zoom(center, width)?: out.append(("view", Scenario.flow([("center", Scenario.list(center)), ("width", NumberFormat.file(width))])))
        case nil: break
        }
        return out
    }
}

extension Question {
    var fields: [(String, String)] {
        switch answer {
        case let .number(value, tolerance):
            [("question", Scenario.quoted(text)), ("answer", NumberFormat.file(value)), ("tolerance", NumberFormat.file(tolerance))]
        case let .choice(choices, correct):
            [("question", Scenario.quoted(text)), ("choices", "[" + choices.map(Scenario.quoted).joined(separator: ", ") + "]"),
             ("answer", Scenario.quoted(correct))]
        }
    }
}
