import ArgumentParser
import DescentCore
import DescentExplorer
import Foundation
import NcursesTerminal

struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Open the full-screen explorer (the default): watch SGD run and change it live.",
        discussion: """
            descent                      the built-in scenario: heavy ball against Nesterov in a ravine
            descent FILE.yaml            a scenario file
            descent --objective rosenbrock --lr 1e-3 --momentum 0.9
            descent FILE.yaml --play --steps 50   start running; pause at step 50
            Running pauses at the scenario's steps (or --steps); space runs on. Press ? for the keys.
            """)

    @OptionGroup var scenario: ScenarioOptions
    @Flag(help: "Start running at once (space pauses).") var play = false

    func run() throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw InputError(message: "the explorer needs a terminal (stdin and stdout are not both a TTY); for scripts use `descent run FILE`")
        }
        let experiment = try scenario.experiment(orBuiltIn: true) ?? Experiment(scenario: .builtInDefault)
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let terminal: Terminal
        do { terminal = try Terminal(wantColor: !noColor) } catch {
            if let missing = error.missing {
                throw InputError(field: "TERM", message: "the terminal type '\(error.terminalType)' has no \(missing), which the full-screen explorer needs; use a terminal that has (TERM=xterm-256color), or `descent run` and `descent snapshot`")
            }
            throw InputError(field: "TERM", message: "the terminal type '\(error.terminalType)' is not known here (no terminfo entry); try TERM=xterm-256color")
        }
        defer { terminal.close() }
        var driver = ExplorerDriver(
            state: ExplorerState(experiment: experiment, width: terminal.size.width, height: terminal.size.height,
                                 options: RenderOptions(color: terminal.color, unicode: terminal.unicode),
                                 choices: Choices.here(besides: scenario.file), pauseAtStep: scenario.steps,
                                 workingFolder: FileManager.default.currentDirectoryPath),
            terminal: terminal)
        if driver.state.replaying != nil { _ = driver.perform([.replay]) }
        if play { driver.state.update(.key(.character(" "))) }
        driver.run()
        terminal.close()
        // Ended by a signal, once the terminal is back: die by it (a shell loop around us then stops too),
        // except where that would leave a core file; the shell sees 128 + its number either way.
        if let sig = terminal.stopSignal {
            if sig != SIGQUIT && sig != SIGXCPU { signal(sig, SIG_DFL); raise(sig) }
            throw ExitCode(128 + sig)
        }
        // The terminal went away under us: what a hang-up would have given.
        if terminal.terminalLost { throw ExitCode(128 + SIGHUP) }
    }
}

/// The explorer's loop: messages in, effects out, a frame drawn only when something changed.
struct ExplorerDriver {
    var state: ExplorerState
    let terminal: Terminal
    /// About 30 frames a second while running.
    let frame: Duration = .milliseconds(33)

    /// Where `DESCENT_FRAME_LOG` asks for frame times (the soak test in README reads them); nil otherwise.
    var frameLog: FrameLog? = ProcessInfo.processInfo.environment["DESCENT_FRAME_LOG"].flatMap(FrameLog.init)

    /// A session replaying on another thread (`Effect.replay`), while frames go on being drawn.
    var replay: ReplayJob?

    mutating func run() {
        let clock = ContinuousClock()
        var nextFrame = clock.now
        var dirty = true
        while !terminal.stopRequested {
            if let job = replay {
                if let session = job.result() {
                    replay = nil
                    state.update(.replayed(session))
                    dirty = true
                } else if job.steps != state.replaying?.done {
                    state.update(.replayProgress(steps: job.steps))
                    dirty = true
                }
            }
            if dirty {
                let started = clock.now
                terminal.draw(state.render())
                dirty = false
                frameLog?.record(clock.now - started)
            }
            // Paused, the loop sleeps in the read; the quarter-second wake-up only checks for signals (a tenth
            // of a second while a replay's progress is shown).
            let wait = state.wantsTicks ? max(0, (nextFrame - clock.now).milliseconds) : (replay != nil ? 100 : 250)
            if let message = terminal.read(timeout: wait) {
                if !perform(state.update(message)) { return }
                // Keys already waiting (a paste) are all taken before the next frame is drawn: one frame for
                // the lot, not one each. A signal still ends the loop between them.
                while !terminal.stopRequested, let more = terminal.read(timeout: 0) {
                    if !perform(state.update(more)) { return }
                }
                dirty = true
                continue
            }
            if state.wantsTicks && clock.now >= nextFrame {
                let started = clock.now
                state.update(.tick)
                frameLog?.record(clock.now - started)
                dirty = true
                nextFrame = max(nextFrame + frame, clock.now)
            } else if !state.wantsTicks {
                nextFrame = clock.now
            }
        }
    }

    /// Carries out effects; false when the explorer should quit.
    mutating func perform(_ effects: [Effect]) -> Bool {
        for effect in effects {
            switch effect {
            case .quit:
                return false
            case .describe(let paths):
                for answer in Choices.described(paths) { state.update(answer) }
            case .replay:
                // A replay started before is abandoned: its thread runs out on its own, its result unread.
                replay = state.replaying.map { ReplayJob(experiment: $0.experiment, id: $0.id) }
            case .open(let typed):
                let path = FilePaths.expandingTilde(typed, home: ProcessInfo.processInfo.environment["HOME"])
                do {
                    // A long session answers with `.replay`: carried out like any other effect.
                    if !perform(state.update(.loaded(try Experiment.load(contentsOf: path)))) { return false }
                } catch {
                    state.update(.report(error.description))
                }
            case let .writeNewFile(stem, fileExtension, contents, what):
                switch OutputFile.writeNew(contents, stem: stem, fileExtension: fileExtension) {
                case .success(let path): state.update(.wrote(path: path, what: what))
                case .failure(let error): state.update(.report(error.message))
                }
            }
        }
        return true
    }
}

/// A session replayed on a thread of its own, so the explorer draws and answers keys and signals meanwhile.
final class ReplayJob: @unchecked Sendable {
    private let lock = NSLock()
    private var played = 0
    private var session: ExplorerState.ReplayedSession?

    init(experiment: Experiment, id: Int) {
        let thread = Thread { [self] in
            var done = ExplorerState.replayed(experiment) { steps in self.lock.withLock { self.played = steps } }
            done?.id = id
            lock.withLock { session = done }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Steps played so far.
    var steps: Int { lock.withLock { played } }

    /// The replayed session, once it is done.
    func result() -> ExplorerState.ReplayedSession? { lock.withLock { session } }
}

/// Every ten seconds, one line: seconds since the start, frames drawn, mean and longest time of a tick or a
/// draw in the last ten seconds (ms), and the resident memory (KiB): what the long-session test reads.
struct FrameLog {
    let handle: FileHandle
    let start = ContinuousClock.now
    var windowStart = ContinuousClock.now
    var count = 0, total = Duration.zero, longest = Duration.zero

    init?(path: String) {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else { return nil }
        self.handle = handle
        handle.write(Data("seconds frames mean_ms max_ms rss_kib\n".utf8))
    }

    mutating func record(_ duration: Duration) {
        count += 1; total += duration; longest = max(longest, duration)
        let now = ContinuousClock.now
        guard now - windowStart >= .seconds(10) else { return }
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let rss = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") }?.split(separator: " ").dropFirst().first ?? "?"
        func ms(_ d: Duration) -> String { String(format: "%.3f", Double(d.components.attoseconds) / 1e15 + Double(d.components.seconds) * 1e3) }
        handle.write(Data("\((now - start).components.seconds) \(count) \(ms(total / count)) \(ms(longest)) \(rss)\n".utf8))
        windowStart = now; count = 0; total = .zero; longest = .zero
    }
}

extension Duration {
    var milliseconds: Int { Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000) }
}
