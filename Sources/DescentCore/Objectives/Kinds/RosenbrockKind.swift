/// `kind: rosenbrock`: the banana valley, in any dimension ≥ 2.
public enum RosenbrockKind: ObjectiveKind {
    public static let name = "rosenbrock"
    public static let summary = "Σ (a − θi)² + b (θi+1 − θi²)², a = 1, b = 100 by default; any dimension ≥ 2."
    public static let keys = [
        ObjectiveKey("a", .number, help: "a (default 1)"),
        ObjectiveKey("b", .number, help: "b (default 100)"),
    ]
    public static let traits = ObjectiveTraits(dimensions: "any ≥ 2", knownMinimum: true)
    public static let example: ObjectiveExample? = ObjectiveExample(
        spec: plainSpec, start: [-1.5, 2], lr: 0.001, momentum: 0.9, signLR: 0.01, steps: 1000)

    public static func build(_ spec: ObjectiveSpec, dimension: Int, baseDirectory: String) throws(InputError) -> any Objective {
        guard dimension >= 2 else { throw InputError(field: "start", message: "rosenbrock needs at least 2 numbers, got \(dimension)") }
        let a = spec.number("a") ?? 1, b = spec.number("b") ?? 100
        try ObjectiveChecks.finite([a], "a"); try ObjectiveChecks.finite([b], "b")
        return Rosenbrock(a: a, b: b, dimension: dimension)
    }
}
