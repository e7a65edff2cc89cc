import CNcurses
import Foundation

/// Gives the terminal back on every way out: a stop signal asks the loop to end; a crash restores, then re-raises.
enum SignalGuard {
    nonisolated(unsafe) static var stopRequested = false
    nonisolated(unsafe) private static var active = false

    static func install() {
        active = true
        // A parent may have left these blocked; the explorer needs them (SIGWINCH drives resizing).
        var needed = sigset_t()
        sigemptyset(&needed)
        for sig in [SIGWINCH, SIGINT, SIGTERM, SIGHUP] { sigaddset(&needed, sig) }
        sigprocmask(SIG_UNBLOCK, &needed, nil)
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { _ in SignalGuard.stopRequested = true }
        }
        for sig in [SIGSEGV, SIGABRT, SIGBUS, SIGFPE, SIGILL, SIGTRAP] {
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
