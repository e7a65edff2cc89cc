extension Scenario {
    /// The scenario the explorer opens with no file: heavy ball against Nesterov in a ravine.
    ///
    /// The same as `Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml`, built in so no file is needed.
    public static let builtInDefault = Scenario(
        name: "Heavy ball vs Nesterov in a ravine",
        description: """
            A long, narrow, rotated valley (curvatures 1 and 25, condition number 25). Both runs use lr 0.03 and \
            momentum 0.9. Heavy ball applies the velocity it had; Nesterov looks ahead and corrects the velocity with \
            the gradient where it is about to land. Watch heavy ball swing across the ravine walls while Nesterov's \
            zig-zag dies out sooner.
            """,
        objective: QuadraticKind.spec(eigenvalues: [1, 25], angle: 30, center: [1, -1]),
        start: [-3, 2],
        steps: 150,
        runs: [
            RunSpec(label: "heavy ball", hyperparameters: SGDHyperparameters(lr: 0.03, momentum: 0.9)),
            RunSpec(label: "nesterov", hyperparameters: SGDHyperparameters(lr: 0.03, momentum: 0.9, nesterov: true)),
        ],
        expect: [
            .finalLossBelow(run: "nesterov", bound: 1e-6),
            .faster(run: "nesterov", than: "heavy ball", toLoss: 1e-4),
            .diverges(run: "heavy ball", diverges: false),
        ])
}
