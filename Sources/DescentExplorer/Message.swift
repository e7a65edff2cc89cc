import DescentCore

/// A key the explorer understands, decoded by the sink from whatever the terminal sent.
public enum Key: Equatable, Sendable {
    case character(Character)
    case up, down, left, right
    case tab, backTab, enter, escape, backspace
}

/// Everything that can happen to the explorer.
public enum Message: Sendable {
    case key(Key)
    /// One frame of time: running runs take `speed` steps each.
    case tick
    case resize(width: Int, height: Int)
    /// A mouse click at a cell.
    case click(x: Int, y: Int)
    /// The outcome of an effect, shown in the status line (an error, say).
    case report(String)
    /// The driver wrote a `writeNewFile` effect's contents to `path`.
    case wrote(path: String, what: String)
    /// A scenario the driver loaded after an `.open` effect.
    case loaded(Experiment)
    /// The background replay of a session (`Effect.replay`) has played this many steps.
    case replayProgress(steps: Int)
    /// The background replay is done.
    case replayed(ExplorerState.ReplayedSession)
    /// The driver read a listed file `Effect.describe` named: its scenario's name and description, or a nil
    /// name when it is not a scenario.
    case described(path: String, name: String?, description: String?)
}

/// Work the explorer asks its driver to do: the only impure things it needs.
public enum Effect: Equatable, Sendable {
    case quit
    /// Load this scenario file; answer with `.loaded`, or `.report` with the error.
    case open(path: String)
    /// Write `contents` to a new file `stem-N.ext` (never over an existing file); answer with `.wrote`, or `.report` with the error.
    case writeNewFile(stem: String, fileExtension: String, contents: String, what: String)
    /// Replay `ExplorerState.replaying`'s session away from the frames (`ExplorerState.replayed`), telling
    /// `.replayProgress` as it goes and `.replayed` at the end.
    case replay
    /// Read the name and description of these listed files (their heads only); answer with `.described`.
    case describe(paths: [String])
}
