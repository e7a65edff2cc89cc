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
        guard captures else {
            let problem = Console.writeAll(data, to: STDOUT_FILENO)
            if problem != 0 { Console.standardOutputFailed(problem) }
            return
        }
        lock.withLock { outBytes.append(data) }
    }

    /// Standard error that cannot be written is ignored: there is nowhere left to say so.
    func err(_ data: Data) {
        guard captures else { _ = Console.writeAll(data, to: STDERR_FILENO); return }
        lock.withLock { errBytes.append(data) }
    }

    /// Writes every byte with write(2), retrying when a signal interrupts it; returns 0 or the errno.
    /// (FileHandle.write traps on a closed pipe or a full disk, which would turn `descent … | head` into a crash.)
    private static func writeAll(_ data: Data, to fd: Int32) -> Int32 {
        data.withUnsafeBytes { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return 0 }
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, base + offset, buffer.count - offset)
                if n > 0 { offset += n } else if n == 0 { return ENOSPC } else if errno != EINTR { return errno }
            }
            return 0
        }
    }

    /// A reader that went away (a closed pipe, with SIGPIPE ignored) ends the command quietly, as SIGPIPE
    /// would have; any other failure is said in one line, and the exit status is non-zero either way.
    private static func standardOutputFailed(_ problem: Int32) -> Never {
        if problem != EPIPE {
            _ = writeAll(Data("error: could not write standard output: \(String(cString: strerror(problem)))\n".utf8), to: STDERR_FILENO)
        }
        exit(problem == EPIPE ? 141 : 1)
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
