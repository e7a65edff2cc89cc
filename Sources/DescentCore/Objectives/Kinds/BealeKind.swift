/// `kind: beale`: flat plateaus and sharp ridges around one minimum, in 2-D.
public enum BealeKind: ObjectiveKind {
    public static let name = "beale"
    public static let summary = "(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²: minimum at (3, 0.5). 2-D."
    public static let keys: [ObjectiveKey] = []
    public static let traits = ObjectiveTraits(dimensions: "2", knownMinimum: true)
    public static let example: ObjectiveExample? = ObjectiveExample(
        spec: plainSpec, start: [1, 1.5], lr: 0.001, momentum: 0.9, signLR: 0.01, steps: 1000)

    public static func build(_ spec: ObjectiveSpec, dimension: Int, baseDirectory: String) throws(InputError) -> any Objective {
        try ObjectiveChecks.dimension(dimension, is: 2, name)
        return Beale()
    }
}
