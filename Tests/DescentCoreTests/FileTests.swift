import Foundation
import Testing
@testable import DescentCore

/// Paths split as POSIX text, files read whole or refused, and the one output routine's contract.
@Suite struct FileTests {
    /// The cases Foundation's `NSString` path methods trapped on (one-character paths) and the edges.
    @Test func pathsSplitAndJoinAsText() {
        let folders: [(String, String)] = [("s", ""), ("a/b", "a"), ("a/b/", "a"), ("/s", "/"), ("/", "/"), ("", ""),
                                          ("./s", "."), ("a//b", "a"), ("//x", "/"), ("x/", ""), ("../a", "..")]
        for (path, folder) in folders { #expect(FilePaths.folder(of: path) == folder, "folder of \(path)") }
        let names: [(String, String)] = [("s", "s"), ("a/b", "b"), ("a/b/", "b"), ("/", "/"), ("", ""), ("/s", "s")]
        for (path, name) in names { #expect(FilePaths.name(of: path) == name, "name of \(path)") }
        #expect(FilePaths.join("", "s") == "s")
        #expect(FilePaths.join("a", "s") == "a/s")
        #expect(FilePaths.join("a/", "s") == "a/s")
        #expect(FilePaths.join("a", "/abs") == "/abs")
        #expect(FilePaths.standardized("a/./b//../c") == "a/c")
        #expect(FilePaths.standardized("/../x") == "/x")
        #expect(FilePaths.standardized("../x/..") == "..")
        #expect(FilePaths.standardized("") == ".")
        #expect(FilePaths.expandingTilde("~/s.yaml", home: "/home/t") == "/home/t/s.yaml")
        #expect(FilePaths.expandingTilde("~x", home: "/home/t") == "~x")
    }

    /// Splitting then joining gives the path back, for random paths of short components.
    @Test func folderJoinedWithNameIsThePath() {
        var rng = SeededGenerator(seed: 18)
        let pieces = ["a", "s", ".", "..", "bc", "é", " "]
        for _ in 0..<2000 {
            let count = Int(rng.next() % 4) + 1
            var path = (0..<count).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined(separator: "/")
            if rng.next() % 3 == 0 { path = "/" + path }
            #expect(FilePaths.join(FilePaths.folder(of: path), FilePaths.name(of: path)) == path, "\(path)")
        }
    }

    /// A file truncated by another program after it was opened is an error line, not a SIGBUS
    /// (the reader used to map the file, and a page past the new end faulted).
    /// The kernel's pseudo-files say a size they do not have: sysfs reports 4096 for `0-1\n`, /proc 0 for a
    /// page of text. They are read whole, not called empty or shrunk.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/sys/devices/system/cpu/online")))
    func pseudoFilesAreReadWhole() throws {
        let online = try RegularFile.bytes(of: "/sys/devices/system/cpu/online")
        #expect(!online.isEmpty && online.last == UInt8(ascii: "\n"))
        let status = try RegularFile.bytes(of: "/proc/self/status")
        #expect(String(decoding: status, as: UTF8.self).hasPrefix("Name:"))
    }

    @Test func aFileThatShrinksWhileReadIsRefused() throws {
        let dir = try TemporaryFolder()
        let path = dir.path + "/d.csv"
        try String(repeating: "x,y\n1,2\n", count: 100_000).write(toFile: path, atomically: false, encoding: .utf8)
        #expect(throws: InputError.self) {
            _ = try RegularFile.bytes(of: path, limit: .max) { truncate(path, 4096) }
        }
        do { _ = try RegularFile.bytes(of: path, limit: .max) { truncate(path, 10) } } catch {
            #expect(error.description.contains("shrank"), "\(error)")
        }
        // The kernel's files report size 0 and are read to their end.
        #expect(try RegularFile.bytes(of: "/proc/self/status").count > 100)
    }

    /// `lines` hands every byte once, in order, in pieces of whole lines (a line longer than a piece makes a longer
    /// piece; the last may lack its line end), reads the kernel's size-0 files to their end, and refuses a file
    /// that shrinks while it is read.
    @Test func linesComeInWholePiecesAndAShrinkIsRefused() throws {
        let dir = try TemporaryFolder()
        let path = dir.path + "/l.txt"
        let text = (0..<2000).map { "line \($0) " + String(repeating: "x", count: $0 % 300) }.joined(separator: "\n")
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        for size in [1, 50, 4096, 1 << 20] {
            var got: [UInt8] = []
            try RegularFile.lines(of: path, size: size) { piece, whole in
                #expect(whole == text.utf8.count)
                #expect(piece.last == 10 || got.count + piece.count == text.utf8.count, "a piece of size \(size) ends inside a line")
                got += piece
                return true
            }
            #expect(got == Array(text.utf8), "pieces of \(size)")
        }
        if FileManager.default.fileExists(atPath: "/proc/cpuinfo") {
            var cpuinfo: [UInt8] = []
            try RegularFile.lines(of: "/proc/cpuinfo", size: 64) { piece, _ in cpuinfo += piece; return true }
            #expect(cpuinfo == (try RegularFile.bytes(of: "/proc/cpuinfo")))
        }
        var first = true
        do {
            try RegularFile.lines(of: path, size: 4096) { _, _ in
                if first { truncate(path, 5000); first = false }
                return true
            }
            Issue.record("a file that shrank was read as if whole")
        } catch {
            #expect(error.message.contains("shrank"), "\(error)")
        }
    }

    enum Kind: CaseIterable { case missing, regular, fifo, device, linkToRegular, linkToMissing, linkToFifo, folder, missingFolder }

    /// Makes a path of the given kind in `dir`; what must be true of it after a write.
    func make(_ kind: Kind, in dir: String, _ n: Int) throws -> (path: String, check: (Bool) -> Void) {
        let path = "\(dir)/out\(n)"
        func isKind(_ p: String, _ mode: mode_t, link: Bool = false) -> Bool {
            var info = stat()
            return (link ? lstat(p, &info) : stat(p, &info)) == 0 && info.st_mode & S_IFMT == mode
        }
        switch kind {
        case .missing:
            return (path, { wrote in #expect(wrote && (try? String(contentsOfFile: path, encoding: .utf8)) == "new") })
        case .regular:
            try "old".write(toFile: path, atomically: false, encoding: .utf8)
            chmod(path, 0o640)
            return (path, { wrote in
                #expect(wrote && (try? String(contentsOfFile: path, encoding: .utf8)) == "new")
                var info = stat(); stat(path, &info)
                #expect(info.st_mode & 0o777 == 0o640, "a replaced file keeps its permissions")
            })
        case .fifo:
            mkfifo(path, 0o644)
            // A reader on the other end, so the write can open it.
            let reader = Thread { drain(path) }
            reader.start()
            return (path, { wrote in #expect(wrote && isKind(path, S_IFIFO), "a FIFO stays a FIFO") })
        case .device:
            return ("/dev/null", { wrote in #expect(wrote && isKind("/dev/null", S_IFCHR, link: true), "/dev/null stays a device") })
        case .linkToRegular:
            try "old".write(toFile: path + ".target", atomically: false, encoding: .utf8)
            symlink("out\(n).target", path)
            return (path, { wrote in
                #expect(wrote && isKind(path, S_IFLNK, link: true), "the link stays a link")
                #expect((try? String(contentsOfFile: path + ".target", encoding: .utf8)) == "new")
            })
        case .linkToMissing:
            symlink(path + ".target", path)
            return (path, { wrote in
                #expect(wrote && isKind(path, S_IFLNK, link: true))
                #expect((try? String(contentsOfFile: path + ".target", encoding: .utf8)) == "new")
            })
        case .linkToFifo:
            mkfifo(path + ".fifo", 0o644)
            let reader = Thread { drain(path + ".fifo") }
            reader.start()
            symlink(path + ".fifo", path)
            return (path, { wrote in #expect(wrote && isKind(path, S_IFLNK, link: true) && isKind(path + ".fifo", S_IFIFO, link: true)) })
        case .folder:
            mkdir(path, 0o755)
            return (path, { wrote in #expect(!wrote && isKind(path, S_IFDIR)) })
        case .missingFolder:
            return (path + "/no/such", { wrote in #expect(!wrote && !isKind(path, S_IFDIR)) })
        }
    }

    /// The law: no write ever replaces something that is not a regular file, and writes what it says it
    /// wrote. Random kinds, in random order, in one folder; nothing temporary is left.
    @Test func noWriterReplacesWhatIsNotARegularFile() throws {
        let dir = try TemporaryFolder()
        var rng = SeededGenerator(seed: 1818)
        for n in 0..<60 {
            let kind = Kind.allCases[Int(rng.next() % UInt64(Kind.allCases.count))]
            let (path, check) = try make(kind, in: dir.path, n)
            let result = OutputFile.write("new", to: path)
            if case .failure(let f) = result { #expect(!f.message.contains("\n") && f.message.contains(path)) }
            if case .success = result {} else { check(false); continue }
            check(true)
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".partial") }
        #expect(left.isEmpty)
    }

    /// `.keep` refuses a regular file but still writes a device; a failed write leaves the old file whole.
    @Test func keepingAndFailingLeaveTheOldFile() throws {
        let dir = try TemporaryFolder()
        let path = dir.path + "/s.yaml"
        try "old".write(toFile: path, atomically: false, encoding: .utf8)
        guard case .failure(let f) = OutputFile.write("new", to: path, existing: .keep) else { Issue.record("kept"); return }
        #expect(f.message.contains("exists already"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        if case .failure = OutputFile.write("new", to: "/dev/null", existing: .keep) { Issue.record("/dev/null refused") }
        // Past a file-size limit the temporary cannot be written whole: reported, and the old file stays.
        var old = rlimit(), small = rlimit(rlim_cur: 1024, rlim_max: 0)
        getrlimit(Int32(RLIMIT_FSIZE.rawValue), &old)
        small.rlim_max = old.rlim_max
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &small)
        let result = OutputFile.write(String(repeating: "n", count: 10_000), to: path)
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &old)
        guard case .failure(let big) = result else { Issue.record("wrote past the limit"); return }
        #expect(big.message.contains("nothing was written"))
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["s.yaml"])
    }
}

/// A fresh folder under the system's temporary folder, removed at the end.
final class TemporaryFolder {
    let path: String
    init() throws {
        var template = Array((NSTemporaryDirectory() + "/descent-test-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw InputError(message: "mkdtemp failed") }
        path = String(cString: made)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Reads a FIFO to its end with plain reads (Foundation may stop at a size of 0 and close early).
func drain(_ path: String) {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { return }
    var buffer = [UInt8](repeating: 0, count: 4096)
    while read(fd, &buffer, buffer.count) > 0 {}
    close(fd)
}
