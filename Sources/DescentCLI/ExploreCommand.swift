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
            Press ? in the explorer for its keys.
            """)

    @OptionGroup var scenario: ScenarioOptions

    func run() throws {
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            throw InputError(message: "the explorer needs a terminal (stdin and stdout are not both a TTY); for scripts use `descent run FILE`")
        }
        let experiment = try scenario.experiment() ?? Experiment(scenario: .builtInDefault)
        let noColor = ProcessInfo.processInfo.environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        let terminal = Terminal(wantColor: !noColor)
        defer { terminal.close() }
        var driver = ExplorerDriver(
            state: ExplorerState(experiment: experiment, width: terminal.size.width, height: terminal.size.height,
                                 options: RenderOptions(color: terminal.color, unicode: terminal.unicode),
                                 choices: Choices.here(besides: scenario.file)),
            terminal: terminal)
        driver.run()
    }
}

/// The explorer's loop: messages in, effects out, a frame drawn only when something changed.
struct ExplorerDriver {
    var state: ExplorerState
    let terminal: Terminal
    /// About 30 frames a second while running.
    let frame: Duration = .milliseconds(33)

    mutating func run() {
        let clock = ContinuousClock()
        var nextFrame = clock.now
        var dirty = true
        while !terminal.stopRequested {
            if dirty {
                terminal.draw(state.render())
                dirty = false
            }
            // Paused, the loop sleeps in the read; the quarter-second wake-up only checks for signals.
            let wait = state.playing ? max(0, (nextFrame - clock.now).milliseconds) : 250
            if let message = terminal.read(timeout: wait) {
                if !perform(state.update(message)) { return }
                dirty = true
                continue
            }
            if state.playing && clock.now >= nextFrame {
                state.update(.tick)
                dirty = true
                nextFrame = max(nextFrame + frame, clock.now)
            } else if !state.playing {
                nextFrame = clock.now
            }
        }
    }

    /// Carries out effects; false when the explorer should quit.
    private mutating func perform(_ effects: [Effect]) -> Bool {
        for effect in effects {
            switch effect {
            case .quit:
                return false
            case .open(let path):
                do { state.update(.loaded(try Experiment.load(contentsOf: path))) } catch {
                    state.update(.report(error.description))
                }
            case let .writeNewFile(stem, fileExtension, contents, what):
                state.update(.report(NewFile.write(contents, stem: stem, fileExtension: fileExtension, what: what)))
            }
        }
        return true
    }
}

extension Duration {
    var milliseconds: Int { Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000) }
}

enum NewFile {
    /// Writes to `stem-N.ext` in the working folder with the first N that does not exist; never overwrites.
    ///
    /// - Returns: a line for the status bar naming the path, or the error.
    static func write(_ contents: String, stem: String, fileExtension: String, what: String) -> String {
        for n in 1...9999 {
            let path = "\(stem)-\(n).\(fileExtension)"
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if fd < 0 {
                if errno == EEXIST { continue }
                return "could not write \(path): \(String(cString: strerror(errno)))"
            }
            let data = Array(contents.utf8)
            let written = data.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            Foundation.close(fd)
            return written == data.count ? "wrote \(what) to \(path)" : "could not write all of \(path)"
        }
        return "could not find a free file name for \(stem)"
    }
}
