/// `kind: rastrigin`: a bowl covered in local minima, in any dimension.
public enum RastriginKind: ObjectiveKind {
    public static let name = "rastrigin"
    public static let summary = "A·n + Σ (θi² − A cos 2πθi), A = 10 by default; any dimension."
    public static let keys = [ObjectiveKey("A", .number, help: "the amplitude A (default 10)")]
    public static let traits = ObjectiveTraits(dimensions: "any ≥ 1", knownMinimum: true)
    public static let example: ObjectiveExample? = ObjectiveExample(
        spec: plainSpec, start: [2.3, -1.7], lr: 0.002, momentum: 0.9, signLR: 0.01, steps: 300)

    public static func build(_ spec: ObjectiveSpec, dimension: Int, baseDirectory: String) throws(InputError) -> any Objective {
        guard dimension >= 1 else { throw InputError(field: "start", message: "needs at least 1 number") }
        let amplitude = spec.number("A") ?? 10
        try ObjectiveChecks.finite([amplitude], "A")
        return Rastrigin(amplitude: amplitude, dimension: dimension)
    }
}
