import Foundation
import Testing

/// The explorer gives the terminal back however it is ended: each signal that ends a process, a crash, a
/// storm of resizes, and a terminal that goes away under it.
@Suite(.serialized) struct TerminalFaultTests {
    static let tmux = ExplorerEndToEndTests.tmux

    /// The explorer's pid: the child of the pane's shell.
    static func explorerPID(_ session: TmuxSession) throws -> pid_t? {
        let shell = try session.run(["display-message", "-p", "-t", "main", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = (try? String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").first.flatMap { pid_t($0) }
    }

    /// Sends `number` to the pane's explorer, waits for it to end, and asks the shell for its status and the
    /// terminal settings after: the screen, once it shows the status, and whether the settings are `before`'s.
    static func signalAndAsk(_ session: TmuxSession, _ number: Int32, name: String, before: String, after: String,
                             sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let pid = try #require(try explorerPID(session), sourceLocation: sourceLocation)
        kill(pid, number)
        // A death by SIGINT aborts the rest of a shell's command line (as it should): ask afterwards.
        var ended = false
        for _ in 0..<100 where !ended { ended = kill(pid, 0) != 0; Thread.sleep(forTimeInterval: 0.05) }
        #expect(ended, "SIG\(name) did not end the explorer", sourceLocation: sourceLocation)
        try session.type("echo \"end\"\"ed-$?\"; stty -a > \(after)")
        let screen = try session.waitFor({ $0.contains("ended-") }, sourceLocation: sourceLocation)
        #expect(screen.contains("ended-\(128 + number)"), "SIG\(name): \(screen)", sourceLocation: sourceLocation)
        _ = try session.waitFor({ _ in FileManager.default.fileExists(atPath: after) }, sourceLocation: sourceLocation)
        // `stty -a` may still be writing: wait (with a deadline) for what it writes to be the settings before.
        let wanted = try String(contentsOfFile: before, encoding: .utf8)
        let deadline = Date().addingTimeInterval(5)
        var written = ""
        repeat {
            written = (try? String(contentsOfFile: after, encoding: .utf8)) ?? ""
            if written != wanted { Thread.sleep(forTimeInterval: 0.02) }
        } while written != wanted && Date() < deadline
        #expect(written == wanted, "SIG\(name): terminal settings were not restored", sourceLocation: sourceLocation)
        return screen
    }

    /// Each signal, sent to a running explorer, leaves the terminal settings and the cursor as they were,
    /// prints no backtrace over the screen, and ends the process with the status a shell gives a death by
    /// that signal, 128 + its number (by dying of it, or for QUIT by exiting so, with no core file).
    @Test(.enabled(if: tmux != nil, "tmux is not installed"),
          arguments: [("TERM", SIGTERM), ("HUP", SIGHUP), ("INT", SIGINT), ("QUIT", SIGQUIT), ("SEGV", SIGSEGV),
                      ("PIPE", SIGPIPE), ("USR1", SIGUSR1), ("ALRM", SIGALRM)])
    func signalLeavesTheTerminalAsItWas(name: String, number: Int32) throws {
        let session = try TmuxSession(tmux: Self.tmux!)
        defer { session.close() }
        let dir = try TemporaryDirectory()
        let before = dir.path + "/before.txt", after = dir.path + "/after.txt"
        let cursorBefore = try session.run(["display-message", "-p", "-t", "main", "#{cursor_flag}"])
        try session.type("stty -a > \(before); cd '\(Binary.projectRoot)' && '\(Binary.path)' --play")
        _ = try session.waitFor { $0.contains("Hyperparameters") }
        let screen = try Self.signalAndAsk(session, number, name: name, before: before, after: after)
        for crashText in ["Press space", "backtrace", "Crash", "Thread 0"] {
            #expect(!screen.contains(crashText), "SIG\(name) left '\(crashText)' on the screen:\n\(screen)")
        }
        #expect(try session.run(["display-message", "-p", "-t", "main", "#{cursor_flag}"]) == cursorBefore, "SIG\(name): cursor hidden")
    }

    /// A session file whose events replay nine million steps: the first frame comes at once and says it is
    /// replaying, and each ending signal, sent mid-replay, gives the terminal back with 128 + its number.
    @Test(.enabled(if: tmux != nil, "tmux is not installed"), arguments: [("INT", SIGINT), ("TERM", SIGTERM), ("HUP", SIGHUP)])
    func heavySessionOpensAtOnceAndEndsOnSignals(name: String, number: Int32) throws {
        let session = try TmuxSession(tmux: Self.tmux!)
        defer { session.close() }
        let dir = try TemporaryDirectory()
        try dir.write("heavy.yaml", """
            name: heavy session
            objective: {kind: rosenbrock}
            start: [-1.5, 2]
            steps: 9000000
            runs:
              - {label: a, lr: 0.0001, momentum: 0.9}
              - {label: b, lr: 0.0002}
            events:
              - {step: 10, run: a, set: {momentum: 0.5}}
              - {step: 20, run: b, copy: c}
            """)
        let before = dir.path + "/before.txt", after = dir.path + "/after.txt"
        try session.type("cd '\(dir.path)' && stty -a > before.txt; '\(Binary.path)' heavy.yaml")
        _ = try session.waitFor { $0.contains("replaying the file's 2 events") }
        try session.keys("x")
        _ = try session.waitFor { $0.contains("(q quits)") }
        _ = try Self.signalAndAsk(session, number, name: name, before: before, after: after)
    }

    /// 50,000 characters pasted into the formula editor are taken before the next frame, not a frame each:
    /// the editor holds its longest formula and the explorer answers the next key.
    @Test(.enabled(if: tmux != nil, "tmux is not installed"))
    func aLongPasteIsTakenAtOnce() throws {
        let session = try TmuxSession(tmux: Self.tmux!)
        defer { session.close() }
        try session.type("cd '\(Binary.projectRoot)' && '\(Binary.path)'")
        _ = try session.waitFor { $0.contains("Hyperparameters") }
        try session.keys("F")
        _ = try session.waitFor { $0.contains("f(x, y) =") }
        // Within the 10 s the screen is waited on: a frame a key took 48 s for this paste.
        let dir = try TemporaryDirectory()
        try dir.write("paste.txt", String(repeating: "x+", count: 25_000))
        try session.run(["load-buffer", dir.path + "/paste.txt"])
        try session.run(["paste-buffer", "-t", "main"])
        _ = try session.waitFor { $0.contains("x+x+x+x+") }
        try session.keys("Escape")
        _ = try session.waitFor { $0.contains("Hyperparameters") && !$0.contains("x+x+x+") }
        try session.keys("q")
        try session.type("echo end\"\"ed-$?")
        _ = try session.waitFor { $0.contains("ended-0") }
    }

    /// A terminal type with no terminfo entry: one error line and exit 2, not ncurses' own message and exit 1.
    @Test(.enabled(if: tmux != nil, "tmux is not installed"))
    func unknownTerminalTypeIsOneLine() throws {
        let session = try TmuxSession(tmux: Self.tmux!)
        defer { session.close() }
        try session.type("TERM=no-such-terminal '\(Binary.path)'; echo \"end\"\"ed-$?\"")
        let screen = try session.waitFor { $0.contains("ended-") }
        #expect(screen.contains("error: TERM: the terminal type 'no-such-terminal' is not known here") && screen.contains("ended-2"), "\(screen)")
    }

    /// A terminal that cannot move its cursor (TERM=dumb): one line saying what it lacks, exit 2, not a
    /// status line drawn over and over.
    @Test(.enabled(if: tmux != nil, "tmux is not installed"))
    func dumbTerminalIsOneLine() throws {
        let session = try TmuxSession(tmux: Self.tmux!)
        defer { session.close() }
        // The error goes to a file of its own (never into the checkout): the screen is the terminal's.
        let err = NSTemporaryDirectory() + "descent-dumb-\(getpid()).txt"
        defer { try? FileManager.default.removeItem(atPath: err) }
        try session.type("TERM=dumb '\(Binary.path)' 2>'\(err)'; echo \"end\"\"ed-$?\"; cat '\(err)'")
        let screen = try session.waitFor { $0.contains("ended-") && $0.contains("error:") }
        #expect(screen.contains("ended-2") && screen.contains("error: TERM: the terminal type 'dumb' has no cursor addressing (cup)"), "\(screen)")
    }

    /// Twenty resizes in a second, down to 10×5 and back: the explorer keeps drawing at the final size and
    /// answers keys.
    @Test(.enabled(if: tmux != nil, "tmux is not installed"))
    func resizeStormLeavesItResponsive() throws {
        let session = try TmuxSession(tmux: Self.tmux!)
        defer { session.close() }
        try session.type("cd '\(Binary.projectRoot)' && '\(Binary.path)' --play")
        _ = try session.waitFor { $0.contains("Hyperparameters") }
        let sizes = [(10, 5), (200, 60), (80, 24), (11, 6), (150, 45), (40, 12)]
        for k in 0..<20 {
            let (w, h) = sizes[k % sizes.count]
            try session.resize(width: w, height: h)
            Thread.sleep(forTimeInterval: 0.03)
        }
        try session.resize(width: 100, height: 30)
        _ = try session.waitFor { $0.contains("Hyperparameters") && $0.split(separator: "\n").count <= 30 }
        try session.keys("Space", "Right")
        var screen = try session.waitFor { $0.contains("lr            0.04") }
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.allSatisfy { $0.count <= 100 })
        try session.keys("q")
        try session.type("echo end\"\"ed-$?")
        screen = try session.waitFor { $0.contains("ended-0") }
    }

    /// The pty closed under a running explorer, with no hang-up signal (it is not the explorer's controlling
    /// terminal): reads fail at once, and the explorer ends instead of spinning on them.
    @Test func closedTerminalEndsIt() throws {
        var master: Int32 = 0, slave: Int32 = 0
        var size = winsize(ws_row: 24, ws_col: 80, ws_xpixel: 0, ws_ypixel: 0)
        try #require(openpty(&master, &slave, nil, nil, &size) == 0)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for fd in Int32(0)...2 { posix_spawn_file_actions_adddup2(&actions, slave, fd) }
        posix_spawn_file_actions_addclose(&actions, master)
        let arguments: [String] = [Binary.path, "--play"], environment: [String] = ["TERM=xterm-256color", "LANG=C.UTF-8", "PATH=/usr/bin:/bin"]
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        let env = environment.map { strdup($0) } + [nil]
        defer { env.forEach { free($0) } }
        var pid: pid_t = 0
        try #require(posix_spawn(&pid, Binary.path, &actions, nil, argv, env) == 0)
        close(slave)
        // Let it draw its first frame, reading what it writes so it is not blocked on a full pty.
        let start = Date()
        var buffer = [UInt8](repeating: 0, count: 65536)
        _ = fcntl(master, F_SETFL, O_NONBLOCK)
        var drawn = 0
        while Date().timeIntervalSince(start) < 1.5 {
            let n = read(master, &buffer, buffer.count)
            if n > 0 { drawn += n }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(drawn > 1000, "the explorer drew nothing")
        close(master)
        var status: Int32 = 0
        var ended = false
        for _ in 0..<100 {
            if waitpid(pid, &status, WNOHANG) == pid { ended = true; break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        if !ended { kill(pid, SIGKILL); waitpid(pid, &status, 0) }
        #expect(ended, "the explorer kept running on a closed terminal")
        // Ended as a hang-up would have ended it, not by a crash.
        let exited = status & 0x7F == 0, code = (status >> 8) & 0xFF
        #expect(exited && code == 128 + SIGHUP, "status \(status)")
    }
}
