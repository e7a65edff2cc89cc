import Foundation
import Testing

/// The real binary in a real terminal: tmux runs it, sends keys and reads the pane.
@Suite(.serialized) struct ExplorerEndToEndTests {
    static let tmux = ["/usr/bin/tmux", "/usr/local/bin/tmux", "/opt/homebrew/bin/tmux"]
        .first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: tmux != nil, "tmux is not installed: the end-to-end explorer test is skipped"))
    func explorerInTmux() throws {
        let session = try TmuxSession(tmux: Self.tmux!)
        defer { session.close() }
        let dir = try TemporaryDirectory()
        let before = dir.path + "/stty-before.txt", after = dir.path + "/stty-after.txt"
        try session.type("stty -a > \(before); cd '\(Binary.projectRoot)' && '\(Binary.path)'")

        var screen = try session.waitFor { $0.contains("Hyperparameters") }
        for name in ["lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize"] {
            #expect(screen.contains(" \(name) "), "\(name) not on screen:\n\(screen)")
        }
        #expect(screen.contains("step   0"))

        try session.keys("Space")
        screen = try session.waitFor { Self.step(in: $0) ?? 0 > 10 }
        try session.keys("Space")
        let first = try #require(Self.step(in: screen))
        #expect(first > 10)

        try session.keys("Right")
        screen = try session.waitFor { $0.contains("lr            0.04") }

        // One step a second: after a second and a half of running, one or two steps more, not sixty.
        try session.keys("s", "s", "s", "s", "s")
        screen = try session.waitFor { $0.contains("1 step/s") }
        let stepBefore = try #require(Self.step(in: screen))
        try session.keys("Space")
        Thread.sleep(forTimeInterval: 1.5)
        try session.keys("Space")
        screen = try session.waitFor { $0.contains("paused") }
        let stepAfter = try #require(Self.step(in: screen))
        #expect((stepBefore + 1)...(stepBefore + 2) ~= stepAfter, "1 step/s ran from step \(stepBefore) to \(stepAfter) in 1.5 s")

        // The update of the selected run, with its live numbers.
        try session.keys("v")
        screen = try session.waitFor { $0.contains("buf ← 0.9·buf + ∇f") && $0.contains("θ ← θ − 0.04·buf") }
        try session.keys("v")
        screen = try session.waitFor { !$0.contains("θ ← θ − 0.04·buf") }

        try session.keys("?")
        screen = try session.waitFor { $0.contains("Keys") && $0.contains("select a hyperparameter") }
        try session.keys("Escape")
        screen = try session.waitFor { !$0.contains("select a hyperparameter") }

        try session.resize(width: 60, height: 20)
        screen = try session.waitFor { $0.contains("terminal too small: need 80x24, have 60x20") }
        try session.resize(width: 120, height: 40)
        screen = try session.waitFor { $0.contains("Hyperparameters") && $0.contains("lr            0.04") }

        try session.keys("q")
        try session.type("stty -a > \(after); echo explorer-exited-$?")
        screen = try session.waitFor { $0.contains("explorer-exited-0") }
        let sttyBefore = try String(contentsOfFile: before, encoding: .utf8)
        let sttyAfter = try String(contentsOfFile: after, encoding: .utf8)
        #expect(sttyBefore == sttyAfter, "terminal settings were not restored")
    }

    /// The number after `step` in the control panel.
    static func step(in screen: String) -> Int? {
        guard let range = screen.range(of: #"step\s+(\d+)"#, options: .regularExpression) else { return nil }
        return Int(screen[range].split(whereSeparator: \.isWhitespace).last ?? "")
    }
}

/// A tmux server of its own (its own socket), so the test never touches the user's sessions.
final class TmuxSession {
    let tmux: String
    let socket = "descent-test-\(UUID().uuidString.prefix(8))"

    init(tmux: String) throws {
        self.tmux = tmux
        try run(["new-session", "-d", "-s", "main", "-x", "120", "-y", "40", "env", "-i", "TERM=xterm-256color",
                 "LANG=C.UTF-8", "PATH=/usr/bin:/bin", "HOME=/tmp", "bash", "--norc", "--noprofile"])
    }

    /// Runs a tmux command with posix_spawn and waitpid, its output through a file: the first command forks
    /// the tmux server, which would hold a pipe open forever and which Foundation's Process does not always reap.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let output = NSTemporaryDirectory() + "\(socket)-\(UUID().uuidString).out"
        defer { unlink(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([tmux, "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        // The test runner's threads block some signals; the tmux server (and the explorer under it) must not inherit that.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t(), all = sigset_t()
        sigemptyset(&empty)
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        guard posix_spawn(&pid, tmux, &actions, &attributes, argv, environ) == 0 else {
            throw CocoaError(.executableLoad)
        }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
    }

    func type(_ line: String) throws {
        try run(["send-keys", "-t", "main", "-l", line])
        try run(["send-keys", "-t", "main", "Enter"])
    }

    func keys(_ names: String...) throws { try run(["send-keys", "-t", "main"] + names) }

    func resize(width: Int, height: Int) throws {
        try run(["resize-window", "-t", "main", "-x", "\(width)", "-y", "\(height)"])
    }

    func capture() throws -> String { try run(["capture-pane", "-p", "-t", "main"]) }

    /// Polls the pane until `condition` holds (10 s at most).
    func waitFor(_ condition: (String) -> Bool, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        var screen = ""
        for _ in 0..<200 {
            screen = try capture()
            if condition(screen) { return screen }
            Thread.sleep(forTimeInterval: 0.05)
        }
        Issue.record("the screen never showed what was expected:\n\(screen)", sourceLocation: sourceLocation)
        return screen
    }

    func close() { _ = try? run(["kill-server"]) }
}
