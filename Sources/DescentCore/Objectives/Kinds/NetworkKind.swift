/// `kind: mlp`: a small fully connected network on a data set (`Network`).
public enum NetworkKind: ObjectiveKind {
    public static let name = "mlp"
    public static let summary = "a small fully connected network (nn.Sequential of Linear layers, tanh or relu between) on a data set: data: CSV (header; last column the class 0…k−1, or the target for loss: mse) or moons: N (two interleaved half circles, moons_noise, moons_seed); hidden: [8] layer widths; loss: cross_entropy (softmax) or mse; start: the weights, or left out for torch's default initialisation drawn from init_seed. batch_size and seed for minibatches."
    public static let keys = [
        ObjectiveKey("data", .path, help: "a CSV file (header row; last column the class index 0…k−1, or the target with loss: mse), relative to the scenario"),
        ObjectiveKey("moons", .count, help: "instead of data: two interleaved half circles with this many samples (labels 0 and 1)"),
        ObjectiveKey("moons_noise", .number, help: "the moons' Gaussian noise on each coordinate (default 0.1)"),
        ObjectiveKey("moons_seed", .seed, help: "the seed of the moons' noise (default 0)"),
        ObjectiveKey("hidden", .numbers, help: "the hidden layers' widths (default [8]; [] for none)"),
        ObjectiveKey("activation", .text, help: "tanh (default) or relu, after every hidden layer"),
        ObjectiveKey("loss", .text, help: "cross_entropy (default: softmax over one output per class) or mse (one output)"),
        ObjectiveKey("init_seed", .seed, help: "the seed of the default start: torch's nn.Linear distribution, ±1/√fan_in (default 0)"),
        ObjectiveKey("batch_size", .count, help: "minibatch size (default: all samples)"),
        ObjectiveKey("seed", .seed, help: "seed of the minibatch shuffle (default 0)"),
    ]
    public static let traits = ObjectiveTraits(dimensions: "its weights and biases (start may be left out)", knownMinimum: false, dataDriven: true,
                                               startMayBeOmitted: true)

    /// The most parameters a network may have: its Hessian is formed column by column for the theory, and one
    /// step costs a pass over the data for each sample.
    public static let maximumParameters = 100_000
    /// The most samples × weights: one step is a forward and a backward pass over every sample (about a second
    /// at the limit), so a typo in `moons` or `hidden` is a clear error, not hours of computing.
    public static let maximumWork = 500_000_000

    public static func build(_ spec: ObjectiveSpec, dimension: Int, baseDirectory: String) throws(InputError) -> any Objective {
        typealias C = ObjectiveChecks
        var table: RegressionData
        switch (spec.text("data"), spec.count("moons")) {
        case (let path?, nil):
            if let key = ["moons_noise", "moons_seed"].first(where: { spec[$0] != nil }) { throw C.fail(key, "goes with moons, not data") }
            table = try RegressionData.file(path, baseDirectory: baseDirectory)
        case (nil, let samples?):
            guard (2...1_000_000).contains(samples) else { throw C.fail("moons", "must be from 2 to 1000000 samples, got \(samples)") }
            let noise = spec.number("moons_noise") ?? 0.1
            guard noise.isFinite, noise >= 0 else { throw C.fail("moons_noise", "must be a finite number ≥ 0, got \(noise)") }
            table = RegressionData.twoMoons(samples: samples, noise: noise, seed: spec.seed("moons_seed") ?? 0)
        case (.some, .some): throw C.fail("", "give either data or moons, not both")
        case (nil, nil): throw C.fail("", "a network needs data: FILE.csv or moons: SAMPLES")
        }
        guard let activation = Network.Activation(rawValue: spec.text("activation") ?? "tanh") else {
            throw C.fail("activation", "must be tanh or relu, got '\(spec.text("activation")!)'")
        }
        guard let loss = Network.Loss(rawValue: spec.text("loss") ?? "cross_entropy") else {
            throw C.fail("loss", "must be cross_entropy or mse, got '\(spec.text("loss")!)'")
        }
        let hiddenValues = spec.numbers("hidden") ?? [8]
        var hidden: [Int] = []
        for width in hiddenValues {
            guard width.isFinite, width >= 1, width <= 10_000, width == width.rounded() else {
                throw C.fail("hidden", "widths must be whole numbers from 1 to 10000, got \(NumberFormat.readable(width))")
            }
            hidden.append(Int(width))
        }
        let outputs: Int
        switch loss {
        case .crossEntropy:
            if let bad = table.targets.firstIndex(where: { !($0 >= 0 && $0 == $0.rounded() && $0 < 1000) }) {
                throw C.fail(spec.text("data") != nil ? "data" : "moons",
                             "\(spec.text("data").map { "\($0):\(bad + 2): " } ?? "")cross_entropy needs class indices from 0 to 999 in the last column, got \(NumberFormat.readable(table.targets[bad]))")
            }
            outputs = Int(table.targets.max()!) + 1
            guard outputs >= 2 else {
                throw C.fail("data", "\(spec.text("data").map { "\($0): " } ?? "")cross_entropy needs at least two classes; every label is 0")
            }
        case .mse:
            outputs = 1
        }
        let sizes = [table.featureCount] + hidden + [outputs]
        let parameters = zip(sizes, sizes.dropFirst()).reduce(0) { $0 + $1.1 * $1.0 + $1.1 }
        guard parameters <= maximumParameters else {
            throw C.fail("hidden", "makes \(parameters) parameters; at most \(maximumParameters)")
        }
        guard table.sampleCount * parameters <= maximumWork else {
            throw C.fail(spec.count("moons") != nil ? "moons" : "hidden",
                         "\(table.sampleCount) samples × \(parameters) weights is \(table.sampleCount * parameters) multiply-adds a pass; at most \(maximumWork) (fewer samples or a smaller network)")
        }
        if let batchSize = spec.batchSize, batchSize < 1 { throw C.fail("batch_size", "must be at least 1, got \(batchSize)") }
        let network = Network(sizes: sizes, activation: activation, loss: loss, data: table, initSeed: spec.seed("init_seed") ?? 0)
        // A start left out is the default initialisation (`Experiment` asks `defaultStart`, building with dimension 0).
        if dimension != 0 {
            try C.dimension(dimension, is: parameters, "a network of layers \(sizes.map(String.init).joined(separator: "→"))")
        }
        return network
    }
}
