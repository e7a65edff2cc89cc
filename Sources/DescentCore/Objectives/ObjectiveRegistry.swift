/// Every objective kind Descent knows, in the order `descent objectives`, README and the `o` picker list them.
///
/// To add an objective: write its kind (an `ObjectiveKind` with its `Objective`) in one file under
/// `Objectives/Kinds/`, and add it to this list.
public enum ObjectiveRegistry {
    public static let kinds: [any ObjectiveKind.Type] = [
        QuadraticKind.self,
        RosenbrockKind.self,
        HimmelblauKind.self,
        BealeKind.self,
        RastriginKind.self,
        LinearRegressionKind.self,
        ExpressionKind.self,
        LogisticRegressionKind.self,
        BoothKind.self,
        NetworkKind.self,
    ]

    public static var names: [String] { kinds.map { $0.name } }

    public static func kind(named name: String) -> (any ObjectiveKind.Type)? {
        kinds.first { $0.name == name }
    }

    /// The kind of a formula the user types (`--objective 'f=…'`, the explorer's F editor).
    public static var typedFormula: (any ObjectiveKind.Type)? { kinds.first { $0.traits.typedFormula } }

    /// The kinds that need no data or formula, each with its example: what the `o` picker offers.
    public static var examples: [(kind: any ObjectiveKind.Type, example: ObjectiveExample)] {
        kinds.compactMap { kind in kind.example.map { (kind, $0) } }
    }
}
