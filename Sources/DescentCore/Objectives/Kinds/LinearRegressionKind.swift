/// `kind: linear-regression`: least squares on a data set, full batch or in minibatches.
public enum LinearRegressionKind: ObjectiveKind {
    public static let name = "linear-regression"
    public static let summary = "mean (xᵀw + b − y)² over the samples; parameters [w1…wd, b]. data: CSV (header; last column the target) or synthetic: {samples, weights, bias, noise, seed}. batch_size (default all) and seed (0) for minibatches."
    public static let keys = RegressionData.scenarioKeys
    public static let traits = ObjectiveTraits(dimensions: "one weight per feature and a bias", knownMinimum: false, dataDriven: true)

    public static func build(_ spec: ObjectiveSpec, dimension: Int, baseDirectory: String) throws(InputError) -> any Objective {
        LinearRegression(data: try RegressionData.load(spec, logistic: false, dimension: dimension, baseDirectory: baseDirectory))
    }
}
