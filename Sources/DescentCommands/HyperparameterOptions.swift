import ArgumentParser
import DescentCore

extension UpdateRule: ExpressibleByArgument {}
extension MomentumConvention: ExpressibleByArgument {}

/// The hyperparameter flags, one per field of `HyperparameterField` with its help, set over every run of a
/// file (or the one run built from flags). Booleans come in pairs (`--nesterov/--no-nesterov`) so a flag can
/// turn a file's setting off as well as on; left out, the file's value stands.
struct HyperparameterOptions: ParsableArguments {
    @Option(parsing: .unconditional, help: ArgumentHelp(HyperparameterField.lr.help)) var lr: Double?
    @Option(parsing: .unconditional, help: ArgumentHelp(HyperparameterField.momentum.help)) var momentum: Double?
    @Option(parsing: .unconditional, help: ArgumentHelp(HyperparameterField.dampening.help)) var dampening: Double?
    @Option(name: .customLong("weight-decay"), parsing: .unconditional, help: ArgumentHelp(HyperparameterField.weightDecay.help))
    var weightDecay: Double?
    @Flag(inversion: .prefixedNo, help: ArgumentHelp(HyperparameterField.nesterov.help)) var nesterov: Bool?
    @Flag(inversion: .prefixedNo, help: ArgumentHelp(HyperparameterField.maximize.help)) var maximize: Bool?
    @Option(help: ArgumentHelp(HyperparameterField.update.help)) var update: UpdateRule?
    @Option(help: ArgumentHelp(HyperparameterField.convention.help)) var convention: MomentumConvention?

    /// The value each flag gives, by field: every field of the table has its flag here (a test checks that
    /// `--help` lists each `HyperparameterField.flag`).
    var given: HyperparameterPatch {
        var patch = HyperparameterPatch()
        patch[.lr] = lr.map(HyperparameterField.Value.number)
        patch[.momentum] = momentum.map(HyperparameterField.Value.number)
        patch[.dampening] = dampening.map(HyperparameterField.Value.number)
        patch[.weightDecay] = weightDecay.map(HyperparameterField.Value.number)
        patch[.nesterov] = nesterov.map(HyperparameterField.Value.flag)
        patch[.maximize] = maximize.map(HyperparameterField.Value.flag)
        patch[.update] = update.map { .choice($0.rawValue) }
        patch[.convention] = convention.map { .choice($0.rawValue) }
        return patch
    }
}
