/// `kind: logistic-regression`: the mean log loss of a linear classifier on 0/1 labels.
public enum LogisticRegressionKind: ObjectiveKind {
    public static let name = "logistic-regression"
    public static let summary = "mean of log(1 + e^z) − y·z with z = xᵀw + b, labels 0/1; parameters [w1…wd, b]. Data as for linear-regression."
    public static let keys = RegressionData.scenarioKeys
    public static let traits = ObjectiveTraits(dimensions: "one weight per feature and a bias", knownMinimum: false, dataDriven: true)

    public static func build(_ spec: ObjectiveSpec, dimension: Int, baseDirectory: String) throws(InputError) -> any Objective {
        LogisticRegression(data: try RegressionData.load(spec, logistic: true, dimension: dimension, baseDirectory: baseDirectory))
    }
}
