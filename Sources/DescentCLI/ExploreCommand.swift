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
        let terminal = Terminal(wantColor: !noColor)
        defer { terminal.close() }
        var driver = ExplorerDriver(
            state: ExplorerState(experiment: experiment, width: terminal.size.width, height: terminal.size.height,
                                 options: RenderOptions(color: terminal.color, unicode: terminal.unicode),
                                 choices: Choices.here(besides: scenario.file), pauseAtStep: scenario.steps,
                                 workingFolder: FileManager.default.currentDirectoryPath),
            terminal: terminal)
        if play { driver.state.update(.key(.character(" "))) }
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
            let wait = state.wantsTicks ? max(0, (nextFrame - clock.now).milliseconds) : 250
            if let message = terminal.read(timeout: wait) {
                if !perform(state.update(message)) { return }
                dirty = true
                continue
            }
            if state.wantsTicks && clock.now >= nextFrame {
                state.update(.tick)
                dirty = true
                nextFrame = max(nextFrame + frame, clock.now)
            } else if !state.wantsTicks {
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
            case .open(let typed):
                let path = (typed as NSString).expandingTildeInPath
                do { state.update(.loaded(try Experiment.load(contentsOf: path))) } catch {
                    state.update(.report(error.description))
                }
            case let .writeNewFile(stem, fileExtension, contents, what):
                switch NewFile.write(contents, stem: stem, fileExtension: fileExtension) {
                case .success(let path): state.update(.wrote(path: path, what: what))
                case .failure(let error): state.update(.report(error.message))
                }
            }
        }
        return true
    }
}

extension Duration {
    var milliseconds: Int { Int(components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000) }
}

enum NewFile {
    struct Failure: Error { let message: String }

    /// Writes to `stem-N.ext` in the working folder with the first N that does not exist; never overwrites.
    ///
    /// - Returns: the path written, or a line for the status bar saying why not.
    static func write(_ contents: String, stem: String, fileExtension: String) -> Result<String, Failure> {
        for n in 1...9999 {
            let path = "\(stem)-\(n).\(fileExtension)"
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
            if fd < 0 {
                if errno == EEXIST { continue }
                return .failure(Failure(message: "could not write \(path): \(String(cString: strerror(errno)))"))
            }
            let data = Array(contents.utf8)
            let written = data.withUnsafeBytes { Foundation.write(fd, $0.baseAddress, $0.count) }
            Foundation.close(fd)
            return written == data.count ? .success(path) : .failure(Failure(message: "could not write all of \(path)"))
        }
        return .failure(Failure(message: "could not find a free file name for \(stem)"))
    }
}
