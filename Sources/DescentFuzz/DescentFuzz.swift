import DescentFuzzing
import Foundation

// Built with `-sanitize=fuzzer -DFUZZING`, this hands its arguments to libFuzzer's driver with the target
// DESCENT_FUZZ_TARGET names. Built plainly, it replays files through a target: `descent-fuzz TARGET FILE…`.

nonisolated(unsafe) private var fuzzTarget: FuzzTarget = .scenario

#if FUZZING
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32
#endif

@main struct DescentFuzz {
    static func main() {
        #if FUZZING
        let name = ProcessInfo.processInfo.environment["DESCENT_FUZZ_TARGET"] ?? "scenario"
        guard let target = FuzzTarget(rawValue: name) else { fail("DESCENT_FUZZ_TARGET must be one of: \(names)") }
        fuzzTarget = target
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        // The commands' output goes nowhere: libFuzzer reports on its own copy of stderr (`-close_fd_mask=2`,
        // which fuzz/run passes for this target), and a closed descriptor would fail a command's write.
        if target == .arguments { dup2(open("/dev/null", O_WRONLY), STDOUT_FILENO) }
        exit(LLVMFuzzerRunDriver(&argc, &argv) { data, size in
            if fuzzTarget == .arguments, fcntl(STDERR_FILENO, F_GETFD) == -1 { dup2(open("/dev/null", O_WRONLY), STDERR_FILENO) }
            fuzzTarget.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
            return 0
        })
        #else
        let arguments = CommandLine.arguments.dropFirst()
        guard let name = arguments.first, let target = FuzzTarget(rawValue: name) else { fail("usage: descent-fuzz \(names) FILE…") }
        for path in arguments.dropFirst() {
            guard let data = FileManager.default.contents(atPath: path) else { fail("descent-fuzz: cannot read \(path)") }
            target.run(Array(data))
        }
        #endif
    }

    static var names: String { FuzzTarget.allCases.map(\.rawValue).joined(separator: "|") }

    static func fail(_ line: String) -> Never {
        FileHandle.standardError.write(Data((line + "\n").utf8))
        exit(2)
    }
}
