import CNcurses
import Foundation

/// Gives the terminal back on every way out.
///
/// A signal that ends a process (interrupt, terminate, hang-up, quit, a broken pipe, the user and timer
/// signals) asks the loop to stop; the loop then restores the terminal and the process dies by that signal
/// (so a shell loop around it stops on ctrl-c), or, for those whose default leaves a core file (QUIT,
/// XCPU), exits with 128 + its number; never with the runtime's backtrace prompt over the screen. A crash
/// (segmentation fault, abort…) restores the terminal in the handler, then dies by the signal.
enum SignalGuard {
    /// The signal that asked to stop, 0 if none: raw memory the handler stores to, so a signal arriving while
    /// the loop reads it never meets Swift's exclusivity checks (a static var would).
    nonisolated(unsafe) static let stopFlag: UnsafeMutablePointer<sig_atomic_t> = {
        let flag = UnsafeMutablePointer<sig_atomic_t>.allocate(capacity: 1)
        flag.initialize(to: 0)
        return flag
    }()
    static var stopSignal: Int32 { Int32(stopFlag.pointee) }
    nonisolated(unsafe) private static var active = false

    static let stopping: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU]
    static let crashing: [Int32] = [SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS]

    static func install() {
        active = true
        _ = stopFlag  // made before any handler can run
        // A parent may have left these blocked; the explorer needs them (SIGWINCH drives resizing).
        var needed = sigset_t()
        sigemptyset(&needed)
        for sig in [SIGWINCH] + stopping + crashing { sigaddset(&needed, sig) }
        sigprocmask(SIG_UNBLOCK, &needed, nil)
        for sig in stopping {
            signal(sig) { sig in if SignalGuard.stopFlag.pointee == 0 { SignalGuard.stopFlag.pointee = sig_atomic_t(sig) } }
        }
        for sig in crashing {
            signal(sig) { sig in
                SignalGuard.restoreTerminal()
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
    }

    /// Leaves curses mode once; later calls do nothing.
    static func restoreTerminal() {
        guard active else { return }
        active = false
        endwin()
    }
}
