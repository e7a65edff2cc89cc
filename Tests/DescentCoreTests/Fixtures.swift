import Foundation

enum Fixtures {
    /// `Tests/DescentCoreTests/Fixtures`, found from this file so no bundle is needed.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures").path
    /// Copies of ../shared/golden: scenarios with trajectories from real torch.optim.SGD.
    static let golden = root + "/golden"
    /// Copies of ../shared/golden-schedules: the same with torch.optim.lr_scheduler.
    static let goldenSchedules = root + "/golden-schedules"
    /// Copies of ../shared/golden-expressions: typed formulas differentiated by autograd.
    static let goldenExpressions = root + "/golden-expressions"
    /// Edges recorded here from real torch by `golden-edges/record.py`: scheduler arguments torch accepts,
    /// events under a negative lr, the sign of a NaN gradient, and autograd's gradients where it multiplies
    /// zero adjoints (`gradients.csv`).
    static let goldenEdges = root + "/golden-edges"
    /// Networks (`kind: mlp`) recorded here from real torch's `nn.Sequential` by `golden-mlp/record.py`.
    static let goldenMLP = root + "/golden-mlp"
}
