import CNcurses
import Foundation

/// Gives the terminal back on every way out.
///
/// A signal that ends a process (interrupt, terminate, hang-up, quit, a broken pipe, the user and timer
/// signals) asks the loop to stop; the loop then restores the terminal and the process exits with 128 + the
/// signal's number, as a shell reports a death by signal, without a core file or the runtime's backtrace
/// prompt. A crash (segmentation fault, abort…) restores the terminal in the handler, then dies by the
/// signal.
enum SignalGuard {
    /// The signal that asked to stop, 0 if none.
    nonisolated(unsafe) static var stopSignal: Int32 = 0
    nonisolated(unsafe) private static var active = false

    static let stopping: [Int32] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU]
    static let crashing: [Int32] = [SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGTRAP, SIGSYS]

    static func install() {
        active = true
        // A parent may have left these blocked; the explorer needs them (SIGWINCH drives resizing).
        var needed = sigset_t()
        sigemptyset(&needed)
        for sig in [SIGWINCH] + stopping + crashing { sigaddset(&needed, sig) }
        sigprocmask(SIG_UNBLOCK, &needed, nil)
        for sig in stopping {
            signal(sig) { sig in if SignalGuard.stopSignal == 0 { SignalGuard.stopSignal = sig } }
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
