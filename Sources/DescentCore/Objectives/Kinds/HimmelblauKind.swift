/// `kind: himmelblau`: four minima of value 0, in 2-D.
public enum HimmelblauKind: ObjectiveKind {
    public static let name = "himmelblau"
    public static let summary = "(x² + y − 11)² + (x + y² − 7)²: four minima. 2-D."
    public static let keys: [ObjectiveKey] = []
    public static let traits = ObjectiveTraits(dimensions: "2", knownMinimum: true)
    public static let example: ObjectiveExample? = ObjectiveExample(
        spec: plainSpec, start: [0, 0], lr: 0.01, momentum: 0.5, signLR: 0.05, steps: 200)

    public static func build(_ spec: ObjectiveSpec, dimension: Int, baseDirectory: String) throws(InputError) -> any Objective {
        try ObjectiveChecks.dimension(dimension, is: 2, name)
        return Himmelblau()
    }
}
