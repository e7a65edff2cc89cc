import CKernels
import Foundation

/// Which compiled loops the kernels run (the SGD step, `SGD.apply`; a dense quadratic's A·d): the widest this CPU and its operating system run,
/// or the one `DESCENT_KERNEL` names (`portable`, `avx2`, `avx512`) when it is available.
public enum KernelPath: Int32, CaseIterable, Sendable {
    case portable = 0, avx2 = 1, avx512 = 2

    public var name: String { String(cString: descent_path_name(rawValue)) }
    public var isAvailable: Bool { descent_path_available(rawValue) == 1 }

    /// The path every step takes, chosen once.
    public static let current: KernelPath = {
        if let asked = ProcessInfo.processInfo.environment["DESCENT_KERNEL"], let path = allCases.first(where: { $0.name == asked }), path.isAvailable {
            return path
        }
        return KernelPath(rawValue: descent_best_path()) ?? .portable
    }()
}

extension KernelPath {
    /// STREAM's triad a[i] = b[i] + scale·c[i] over the common length, compiled as the SGD step is: what the
    /// benchmark measures the step's bandwidth against.
    public func triad(_ a: inout [Double], _ b: [Double], _ c: [Double], scale: Double) {
        let n = min(a.count, b.count, c.count)
        a.withUnsafeMutableBufferPointer { a in
            b.withUnsafeBufferPointer { b in c.withUnsafeBufferPointer { c in descent_triad(rawValue, n, a.baseAddress, b.baseAddress, c.baseAddress, scale) } }
        }
    }
}
