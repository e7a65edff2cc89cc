import Foundation

/// Where the commands write what they print: the process's standard output and error, or, for a caller that
/// runs Descent in-process (the tests), two buffers it reads afterwards. Every command writes through
/// `Console.current`, never to the file descriptors itself (`-o -` and the explorer's terminal excepted).
public final class Console: @unchecked Sendable {
    /// The console of the code running now: the process's, unless `capturing` set another.
    @TaskLocal public static var current = Console()

    private let lock = NSLock()
    private let captures: Bool
    private var outBytes = Data(), errBytes = Data()
    /// Text for people as a UTF-8 locale shows it (true), as ASCII (false), or as the locale says (nil).
    let unicode: Bool?

    private init(captures: Bool = false, unicode: Bool? = nil) {
        self.captures = captures
        self.unicode = unicode
    }

    func out(_ data: Data) {
        guard captures else { FileHandle.standardOutput.write(data); return }
        lock.withLock { outBytes.append(data) }
    }

    func err(_ data: Data) {
        guard captures else { FileHandle.standardError.write(data); return }
        lock.withLock { errBytes.append(data) }
    }

    func out(_ text: String) { out(Data(text.utf8)) }

    /// Like Swift's `print`, to this console's output.
    func print(_ text: String, terminator: String = "\n") { out(text + terminator) }

    /// Whether what is written goes to a terminal (never, when captured).
    var standardOutputIsTerminal: Bool { !captures && isatty(STDOUT_FILENO) == 1 }
    var standardErrorIsTerminal: Bool { !captures && isatty(STDERR_FILENO) == 1 }

    /// Runs `body` with a console that keeps what it writes, and returns that with `body`'s result.
    /// `unicode` is the locale the text is written for (a test asks for UTF-8 whatever its own is).
    public static func capturing<T>(unicode: Bool = true, _ body: () throws -> T) rethrows -> (result: T, stdout: String, stderr: String) {
        let console = Console(captures: true, unicode: unicode)
        let result = try $current.withValue(console) { try body() }
        return (result, String(decoding: console.outBytes, as: UTF8.self), String(decoding: console.errBytes, as: UTF8.self))
    }
}
