import Foundation

/// The one way Descent writes a file for the user (`plot -o`, `sweep -o`, `--save-state`, the explorer's
/// `w` and `e`): whole or not at all, and never in place of something that is not a regular file.
///
/// The contract, for a path the user gives:
/// - `-` is standard output.
/// - A symbolic link keeps being a link: the file it points to is what is written (links are followed
///   to their end, 40 at most, relative targets read from the link's folder).
/// - A FIFO or a character device (`/dev/null`, a terminal) is written in place, never replaced;
///   a socket or a block device is refused.
/// - A folder, or a path whose folder does not exist, is refused with a line naming it.
/// - A regular file is replaced atomically (with `.replace`): the bytes go to a hidden temporary in the
///   same folder, are checked and fsynced, then renamed over it, and the folder is fsynced; any failure
///   removes the temporary and leaves the old file whole. With `.keep`, an existing file is refused.
/// - A new file gets its name by `link(2)`, which fails rather than replace a file that appeared meanwhile.
///
/// A signal that ends the process waits until a temporary is placed or removed: none is left behind
/// (except by SIGKILL).
public enum OutputFile {
    public struct Failure: Error, Equatable, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// What to do when the path names a regular file already.
    public enum Existing: Sendable { case replace, keep }

    /// Where output to a path goes once links are followed.
    enum Destination: Equatable {
        case standardOutput
        /// A FIFO or character device: opened and written as it is.
        case inPlace(String)
        /// A regular file to replace.
        case existingFile(String)
        /// No file yet: created in its (existing) folder.
        case newFile(String)
    }

    /// Writes `contents` to `path` by the contract above.
    ///
    /// - Returns: the path written (the link's target when `path` is a link), or why nothing was written.
    @discardableResult
    public static func write(_ contents: String, to path: String, existing: Existing = .replace) -> Result<String, Failure> {
        write(Array(contents.utf8), to: path, existing: existing)
    }

    @discardableResult
    public static func write(_ bytes: [UInt8], to path: String, existing: Existing = .replace) -> Result<String, Failure> {
        let destination: Destination
        switch resolve(path) {
        case .success(let d): destination = d
        case .failure(let f): return .failure(f)
        }
        switch destination {
        case .standardOutput:
            let problem = writeAll(bytes, to: STDOUT_FILENO)
            return problem == 0 ? .success(path) : .failure(failure("standard output", problem))
        case .inPlace(let target):
            let fd = open(target, O_WRONLY | O_NOCTTY)
            guard fd >= 0 else { return .failure(failure(path, errno)) }
            var problem = writeAll(bytes, to: fd)
            if close(fd) != 0 && problem == 0 { problem = errno }
            return problem == 0 ? .success(target) : .failure(failure(path, problem))
        case .existingFile(let target):
            if existing == .keep { return .failure(Failure(message: "\(path) exists already; give a new file")) }
            return withTemporary(bytes, beside: target, what: path, mode: mode(of: target)) { temporary in
                guard rename(temporary, target) == 0 else { return .failure(failure(path, errno)) }
                syncFolder(of: target)
                return .success(target)
            }
        case .newFile(let target):
            return withTemporary(bytes, beside: target, what: path, mode: 0o644) { temporary in
                switch place(temporary, at: target) {
                case 0: syncFolder(of: target); return .success(target)
                case EEXIST:
                    if existing == .keep { return .failure(Failure(message: "\(path) exists already; give a new file")) }
                    guard rename(temporary, target) == 0 else { return .failure(failure(path, errno)) }
                    syncFolder(of: target)
                    return .success(target)
                case let code: return .failure(failure(path, code))
                }
            }
        }
    }

    /// Writes `contents` to `stem-N.ext` with the first N that does not exist, never over an existing file.
    ///
    /// - Returns: the path written, or a line for the status bar saying why not.
    public static func writeNew(_ contents: String, stem: String, fileExtension: String) -> Result<String, Failure> {
        let what = "a new \(stem)-N.\(fileExtension)"
        let folder = FilePaths.folder(of: stem)
        if let problem = folderProblem(folder.isEmpty ? "." : folder, for: what) { return .failure(problem) }
        return withTemporary(Array(contents.utf8), beside: stem, what: what, mode: 0o644) { temporary in
            for n in 1...9999 {
                let path = "\(stem)-\(n).\(fileExtension)"
                switch place(temporary, at: path) {
                case 0: syncFolder(of: path); return .success(path)
                case EEXIST: continue
                case let code: return .failure(failure(path, code))
                }
            }
            return .failure(failure("\(stem)-1…9999.\(fileExtension)", EEXIST))
        }
    }

    /// Follows `path` through links to what would be written.
    static func resolve(_ path: String) -> Result<Destination, Failure> {
        if path == "-" { return .success(.standardOutput) }
        if path.isEmpty { return .failure(Failure(message: "an empty path names no file")) }
        // A pipe or device is opened by the path given, which the kernel follows: `/dev/fd/63` (a shell's
        // `>(…)`) is a link to `pipe:[…]`, a name no one could open again.
        var followed = stat()
        if stat(path, &followed) == 0, [S_IFIFO, S_IFCHR].contains(followed.st_mode & S_IFMT) { return .success(.inPlace(path)) }
        var current = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(current, &info) == 0 else {
                let code = errno
                guard code == ENOENT else { return .failure(failure(path, code)) }
                let folder = FilePaths.folder(of: current)
                if let problem = folderProblem(folder.isEmpty ? "." : folder, for: path) { return .failure(problem) }
                return .success(.newFile(current))
            }
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
                let n = readlink(current, &buffer, buffer.count - 1)
                guard n >= 0 else { return .failure(failure(path, errno)) }
                let target = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
                current = target.hasPrefix("/") ? target : FilePaths.join(FilePaths.folder(of: current), target)
            case S_IFREG: return .success(.existingFile(current))
            case S_IFDIR: return .failure(Failure(message: "\(path) is a folder; give a file name"))
            case S_IFIFO, S_IFCHR: return .success(.inPlace(current))
            case S_IFSOCK: return .failure(Failure(message: "\(path) is a socket; Descent writes files, pipes and devices only"))
            default: return .failure(Failure(message: "\(path) is a block device; Descent does not write over one"))
            }
        }
        return .failure(failure(path, ELOOP))
    }

    /// Why nothing can be created in `folder`, if something is wrong with it.
    private static func folderProblem(_ folder: String, for what: String) -> Failure? {
        var info = stat()
        guard stat(folder, &info) == 0 else {
            return Failure(message: errno == ENOENT
                ? "cannot write \(what): the folder \(folder) does not exist" : "cannot write \(what): \(folder): \(String(cString: strerror(errno)))")
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { return Failure(message: "cannot write \(what): \(folder) is not a folder") }
        return nil
    }

    private static func failure(_ what: String, _ code: Int32) -> Failure {
        Failure(message: "could not write \(what): \(String(cString: strerror(code))); nothing was written")
    }

    private static func mode(of path: String) -> mode_t {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : 0o644
    }

    /// Past a file-size limit a write should fail (EFBIG) and be reported, not kill the process: set once.
    private static let ignoreFileSizeSignal: Void = { signal(SIGXFSZ, SIG_IGN) }()

    /// Every byte to `fd`; 0, or the errno that stopped it.
    private static func writeAll(_ bytes: [UInt8], to fd: Int32) -> Int32 {
        _ = ignoreFileSizeSignal
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n > 0 { offset += n } else if n == 0 { return ENOSPC } else if errno != EINTR { return errno }
        }
        return 0
    }

    /// Writes the bytes to a hidden temporary beside `path`, checks the whole write, and hands its path to
    /// `finish`, which gives it its name; the temporary is removed whatever `finish` does.
    private static func withTemporary(_ bytes: [UInt8], beside path: String, what: String, mode: mode_t,
                                      finish: (String) -> Result<String, Failure>) -> Result<String, Failure> {
        var ending = sigset_t(), previous = sigset_t()
        sigemptyset(&ending)
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2, SIGALRM] { sigaddset(&ending, sig) }
        sigprocmask(SIG_BLOCK, &ending, &previous)
        defer { sigprocmask(SIG_SETMASK, &previous, nil) }
        let temporary = FilePaths.join(FilePaths.folder(of: path), ".descent-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).partial")
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { return .failure(failure(what, errno)) }
        defer { unlink(temporary) }
        var problem = writeAll(bytes, to: fd)
        if problem == 0 && fchmod(fd, mode) != 0 { problem = errno }
        if problem == 0 && fsync(fd) != 0 && errno != EINVAL { problem = errno }
        if close(fd) != 0 && problem == 0 { problem = errno }
        if problem != 0 { return .failure(failure(what, problem)) }
        return finish(temporary)
    }

    /// Gives the temporary the name `path` if nothing has it: a link, or on a file system without links,
    /// the name claimed empty and the temporary renamed onto it. 0, or the errno of what failed.
    private static func place(_ temporary: String, at path: String) -> Int32 {
        if link(temporary, path) == 0 { return 0 }
        if errno == EEXIST { return EEXIST }
        let claim = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        if claim < 0 { return errno }
        close(claim)
        if rename(temporary, path) == 0 { return 0 }
        let code = errno
        unlink(path)
        return code
    }

    /// A rename is durable once the folder holding it is synced.
    private static func syncFolder(of path: String) {
        let folder = FilePaths.folder(of: path)
        let fd = open(folder.isEmpty ? "." : folder, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
