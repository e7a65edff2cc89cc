import Foundation

/// A learning-rate schedule, in `torch.optim.lr_scheduler`'s terms.
public enum LRScheduleKind: Equatable, Hashable, Sendable {
    /// StepLR: lr × gamma every `stepSize` steps.
    case step(stepSize: Int, gamma: Double)
    /// MultiStepLR: lr × gamma at each milestone (a milestone listed twice multiplies by gamma²).
    case multistep(milestones: [Int], gamma: Double)
    /// ExponentialLR: lr × gamma every step.
    case exponential(gamma: Double)
    /// CosineAnnealingLR: from lr down to `etaMin` over `tMax` steps, and back up after, by torch's recursive form.
    case cosine(tMax: Int, etaMin: Double)
    /// LinearLR: the factor goes from `startFactor` to `endFactor` over `steps` steps, then stays.
    case linearWarmup(steps: Int, startFactor: Double, endFactor: Double)

    /// The scenario's name for it.
    public var name: String {
        switch self {
        case .step: "step"
        case .multistep: "multistep"
        case .exponential: "exponential"
        case .cosine: "cosine"
        case .linearWarmup: "linear-warmup"
        }
    }

    /// Refuses what torch refuses, in torch's words: its constructors' checks, and the sizes its `step()` divides
    /// by (StepLR's `step_size`, CosineAnnealingLR's `T_max`: 0 raises ZeroDivisionError at the first step).
    /// Whatever torch accepts is accepted and stepped as torch steps it: unsorted, repeated, zero or negative
    /// milestones, negative sizes, LinearLR's `total_iters` 0, gammas and `eta_min` that are NaN or infinite.
    /// - Returns: the offending key and why, or nil.
    public func problem() -> (key: String, message: String)? {
        let byZero = "torch's scheduler divides by it: 0 raises ZeroDivisionError (integer modulo by zero) at the first step"
        switch self {
        case let .step(stepSize, _) where stepSize == 0: return ("step_size", byZero)
        case let .cosine(tMax, _) where tMax == 0: return ("t_max", byZero)
        case let .linearWarmup(_, start, end):
            // torch's own tests, which a NaN factor passes.
            if start > 1 || start <= 0 { return ("start_factor", "Starting multiplicative factor expected to be greater than 0 and less or equal to 1.") }
            if end > 1 || end < 0 { return ("end_factor", "Ending multiplicative factor expected to be between 0 and 1.") }
            return nil
        default: return nil
        }
    }
}

/// A schedule attached to an optimizer: its kind, torch's `base_lrs[0]` and `last_epoch`.
///
/// The lr a step uses is the optimizer's `lr` (torch's `param_groups[0]["lr"]`); after each step the
/// schedule sets the next one from it, as `scheduler.step()` after `optimizer.step()` does. Each rule is
/// torch's chainable `get_lr`, with its operations in its order (`math.cos` is the C library's `cos`
/// here as there), so a schedule's lrs are torch's to the last bit or two.
public struct LRSchedule: Equatable, Hashable, Sendable {
    public var kind: LRScheduleKind
    /// torch's `base_lrs[0]`: the lr the schedule was built with (its `initial_lr`).
    public var baseLR: Double
    /// torch's `last_epoch`: 0 after construction, then one more per step.
    public private(set) var lastEpoch = 0

    public init(kind: LRScheduleKind, baseLR: Double) {
        self.kind = kind
        self.baseLR = baseLR
    }

    /// The lr after the scheduler's construction (its initial step, at `last_epoch` 0): `base × start_factor`
    /// for LinearLR, `base × gamma^n` for MultiStepLR with milestone 0 listed n times, the base otherwise.
    public var initialLR: Double {
        switch kind {
        case let .linearWarmup(_, start, _): return baseLR * start
        case let .multistep(milestones, gamma):
            let count = milestones.reduce(0) { $0 + ($1 == 0 ? 1 : 0) }
            return count == 0 ? baseLR : baseLR * pow(gamma, Double(count))
        default: return baseLR
        }
    }

    /// Back to construction: `last_epoch` 0.
    public mutating func reset() { lastEpoch = 0 }

    /// The schedule after `steps` steps from construction, and the lr it gives then (its chain replayed).
    public mutating func fastForward(to steps: Int) -> Double {
        reset()
        var lr = initialLR
        for _ in 0..<steps { lr = next(after: lr) }
        return lr
    }

    /// `scheduler.step()`: `last_epoch` goes up by one and the next lr is computed from `lr`, the current one.
    public mutating func next(after lr: Double) -> Double {
        lastEpoch += 1
        let e = lastEpoch
        switch kind {
        case let .step(stepSize, gamma):
            return e % stepSize != 0 ? lr : lr * gamma
        case let .multistep(milestones, gamma):
            let count = milestones.reduce(0) { $0 + ($1 == e ? 1 : 0) }
            return count == 0 ? lr : lr * pow(gamma, Double(count))
        case let .exponential(gamma):
            return lr * gamma
        case let .cosine(tMax, etaMin):
            // Torch tests (e − 1 − T_max) % (2·T_max) == 0 with Python's unbounded ints: whether 2·T_max divides
            // e − 1 − T_max. Where either overflows here (|T_max| past Int.max / 2), e − 1 − T_max lies strictly
            // between −2·|T_max| and 2·|T_max|, so only 0 is a multiple.
            let (period, beyond) = tMax.multipliedReportingOverflow(by: 2)
            let (sinceRestart, past) = (e - 1).subtractingReportingOverflow(tMax)
            if past ? false : beyond ? sinceRestart == 0 : sinceRestart % period == 0 {
                return lr + (baseLR - etaMin) * (1 - cos(Double.pi / Double(tMax))) / 2
            }
            return (1 + cos(Double.pi * Double(e) / Double(tMax))) / (1 + cos(Double.pi * Double(e - 1) / Double(tMax)))
                * (lr - etaMin) + etaMin
        case let .linearWarmup(steps, start, end):
            if e > steps { return lr }
            return lr * (1.0 + (end - start) / (Double(steps) * start + Double(e - 1) * (end - start)))
        }
    }

    /// The lrs of steps 1…`count` (what the explorer draws), from the start.
    public func curve(steps count: Int) -> [Double] {
        var schedule = self
        schedule.reset()
        var lr = schedule.initialLR
        var out: [Double] = []
        out.reserveCapacity(count)
        for _ in 0..<count {
            out.append(lr)
            lr = schedule.next(after: lr)
        }
        return out
    }
}
