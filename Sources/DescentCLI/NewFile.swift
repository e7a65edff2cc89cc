import Foundation

/// Files Descent writes for the user (`w`, `e`, `--save-state`, `plot -o`): whole or not at all.
///
/// The bytes go to a hidden temporary file in the target's folder first; only when every byte is written
/// and flushed does it take its name: by a link for a new file (a link, unlike a rename, fails rather than
/// replace a file that appeared meanwhile), by a rename for an output the user named to be replaced. A
/// failure (a read-only folder, a full disk, a file-size limit) removes the temporary and says why.
enum NewFile {
    struct Failure: Error { let message: String }

    /// Writes `contents` to `stem-N.ext` with the first N that does not exist, never over an existing file.
    ///
    /// - Returns: the path written, or a line for the status bar saying why not.
    static func write(_ contents: String, stem: String, fileExtension: String) -> Result<String, Failure> {
        let what = "a new \(stem)-N.\(fileExtension)"
        return withTemporary(contents, beside: stem, what: what) { temporary in
            for n in 1...9999 {
                let path = "\(stem)-\(n).\(fileExtension)"
                switch place(temporary, at: path) {
                case 0: return .success(path)
                case EEXIST: continue
                case let code: return .failure(failure(path, code))
                }
            }
            return .failure(failure("\(stem)-1…9999.\(fileExtension)", EEXIST))
        }
    }

    /// Writes `contents` to `path`, which must not exist yet.
    static func write(_ contents: String, to path: String) -> Result<String, Failure> {
        withTemporary(contents, beside: path, what: path) { temporary in
            switch place(temporary, at: path) {
            case 0: return .success(path)
            case EEXIST: return .failure(Failure(message: "\(path) exists already; give a new file"))
            case let code: return .failure(failure(path, code))
            }
        }
    }

    /// Writes `contents` to `path`, replacing what is there only once the new bytes are whole.
    static func replace(_ contents: String, at path: String) -> Result<String, Failure> {
        var info = stat()
        if stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR { return .failure(failure(path, EISDIR)) }
        return withTemporary(contents, beside: path, what: path) { temporary in
            rename(temporary, path) == 0 ? .success(path) : .failure(failure(path, errno))
        }
    }

    private static func failure(_ what: String, _ code: Int32) -> Failure {
        Failure(message: "could not write \(what): \(String(cString: strerror(code))); nothing was written")
    }

    /// Past a file-size limit a write should fail (EFBIG) and be reported, not kill the process: set once.
    private static let ignoreFileSizeSignal: Void = { signal(SIGXFSZ, SIG_IGN) }()

    /// Writes the bytes to a hidden temporary beside `path`, checks the whole write, and hands its path to
    /// `finish`, which gives it its name; the temporary is removed whatever `finish` does.
    private static func withTemporary(_ contents: String, beside path: String, what: String,
                                      finish: (String) -> Result<String, Failure>) -> Result<String, Failure> {
        _ = ignoreFileSizeSignal
        // A signal that ends the process waits until the temporary is placed or removed: it is never left.
        var ending = sigset_t(), previous = sigset_t()
        sigemptyset(&ending)
        for sig in [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2, SIGALRM] { sigaddset(&ending, sig) }
        sigprocmask(SIG_BLOCK, &ending, &previous)
        defer { sigprocmask(SIG_SETMASK, &previous, nil) }
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = (folder.isEmpty ? "" : folder + "/") + ".descent-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).partial"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { return .failure(failure(what, errno)) }
        defer { unlink(temporary) }
        let data = Array(contents.utf8)
        var offset = 0, problem: Int32 = 0
        while offset < data.count && problem == 0 {
            let n = data.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n > 0 { offset += n } else if n == 0 { problem = ENOSPC } else if errno != EINTR { problem = errno }
        }
        if problem == 0 && fsync(fd) != 0 && errno != EINVAL { problem = errno }
        if Foundation.close(fd) != 0 && problem == 0 { problem = errno }
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
        Foundation.close(claim)
        if rename(temporary, path) == 0 { return 0 }
        let code = errno
        unlink(path)
        return code
    }
}
