import Foundation
import Testing

/// `w` and `e` never write over a file, never leave half a file, and say why when they cannot write.
@Suite struct SavingTests {
    static let scenario = Binary.projectRoot + "/Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml"

    /// Runs `descent snapshot` under `sh` (for `ulimit`), in `directory`.
    func snapshot(keys: String, in directory: String, limit: String = "") throws -> Binary.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(limit) exec '\(Binary.path)' snapshot '\(Self.scenario)' --keys '\(keys)'"]
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile(), errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Binary.Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                             stderr: String(decoding: errData, as: UTF8.self))
    }

    func files(_ dir: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
    }

    @Test func aWriteNeverReplacesAFile() throws {
        let dir = try TemporaryDirectory()
        var result = try snapshot(keys: "w", in: dir.path)
        #expect(result.status == 0, "\(result.stderr)")
        let first = try #require(try files(dir).first)
        #expect(first.hasSuffix("-1.yaml"))
        try dir.write(first, "mine\n")
        result = try snapshot(keys: "w", in: dir.path)
        #expect(result.status == 0)
        #expect(try files(dir) == [first, first.replacingOccurrences(of: "-1.yaml", with: "-2.yaml")])
        #expect(try String(contentsOfFile: dir.path + "/" + first, encoding: .utf8) == "mine\n")
    }

    /// A file-size limit (a full disk, as far as the writer can tell): the write fails, says so, and leaves
    /// no file behind: neither a truncated export nor the temporary.
    @Test func aFailedWriteLeavesNothingAndSaysWhy() throws {
        let dir = try TemporaryDirectory()
        let result = try snapshot(keys: String(repeating: "n", count: 200) + "e", in: dir.path, limit: "ulimit -f 1;")
        #expect(result.status == 2)
        #expect(result.stderr.contains("could not write a new ") && result.stderr.contains("File too large; nothing was written"),
                "\(result.stderr)")
        #expect(try files(dir) == [])
    }

    /// `--save-state` and `plot -o` under a file-size limit: an error, and no empty or partial file left.
    @Test func savedStatesAndPicturesAreWholeOrAbsent() throws {
        let dir = try TemporaryDirectory()
        for command in ["run '\(Self.scenario)' --steps 10 --save-state saved.yaml", "plot '\(Self.scenario)' -o picture.svg"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -f 1; exec '\(Binary.path)' \(command) > /dev/null"]
            process.currentDirectoryURL = URL(fileURLWithPath: dir.path)
            let err = Pipe()
            process.standardError = err
            try process.run()
            let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 2 && message.contains("File too large; nothing was written"), "\(command): \(message)")
        }
        #expect(try files(dir) == [])
    }

    /// A folder nobody may write in (even root may not write in /proc).
    @Test func aReadOnlyFolderIsReported() throws {
        let result = try snapshot(keys: "w", in: "/proc")
        #expect(result.status == 2)
        #expect(result.stderr.contains("could not write a new ") && result.stderr.contains("nothing was written"), "\(result.stderr)")
    }
}

/// Paths of one character (`s`, `a`, `c`) used to trap inside Foundation's path methods (SIGILL);
/// every command that takes a path reads and writes them.
@Suite struct ShortPathTests {
    @Test func oneCharacterPathsWork() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.copyItem(atPath: Binary.projectRoot + "/Scenarios/02-rosenbrock-valley.yaml", toPath: dir.path + "/s")
        let run = try Binary.run(["run", "s", "--save-state", "a"], in: dir.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Binary.run(["run", "a"], in: dir.path).status == 0)
        let plot = try Binary.run(["plot", "s", "-o", "c"], in: dir.path)
        #expect(plot.status == 0, "\(plot.stderr)")
        #expect(try String(contentsOfFile: dir.path + "/c", encoding: .utf8).hasPrefix("<?xml"))
        // Writing to /dev/null leaves it a device (as root it was replaced by a regular file).
        #expect(try Binary.run(["plot", "s", "-o", "/dev/null"], in: dir.path).status == 0)
        var info = stat()
        lstat("/dev/null", &info)
        #expect(info.st_mode & S_IFMT == S_IFCHR)
        let folder = try Binary.run(["plot", "s", "-o", "no/such/x.svg"], in: dir.path)
        #expect(folder.status == 2 && folder.stderr.contains("the folder no/such does not exist"), "\(folder.stderr)")
    }
}

/// A shell's process substitution (`-o >(gzip > x.gz)`) is a link to a pipe the kernel names `pipe:[…]`:
/// it is written through the path given, not through that name.
@Suite struct ProcessSubstitutionTests {
    @Test func plotWritesIntoAProcessSubstitution() throws {
        let dir = try TemporaryDirectory()
        let result = try Binary.shell("'\(Binary.path)' plot Scenarios/01-ravine-heavy-ball-vs-nesterov.yaml -o >(cat > '\(dir.path)/out.svg'); status=$?; wait; exit $status")
        #expect(result.status == 0, "\(result.stderr)")
        var text = ""
        for _ in 0..<100 {
            text = (try? String(contentsOfFile: dir.path + "/out.svg", encoding: .utf8)) ?? ""
            if text.hasSuffix("</svg>\n") { break }
            Thread.sleep(forTimeInterval: 0.05)
        }
        #expect(text.hasPrefix("<?xml") && text.hasSuffix("</svg>\n"))
    }
}
