import Foundation

/// Runs the built `descent` binary as a user would and captures what it prints.
enum Binary {
    /// The project folder, found from this file.
    static let projectRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// The `descent` executable beside the test bundle (SwiftPM builds it for this test target).
    static let path: String = {
        let candidates = [Bundle.main.bundleURL.deletingLastPathComponent(), Bundle.main.bundleURL,
                          URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
            .map { $0.appendingPathComponent("descent").path }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }()

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func run(_ arguments: [String], in directory: String = projectRoot, stdin: FileHandle? = nil,
                    environment: [String: String] = [:]) throws -> Result {
        try spawn(path, arguments, in: directory, stdin: stdin, environment: environment)
    }

    /// `script` run by bash (for what only a shell does: `ulimit`, process substitution).
    static func shell(_ script: String, in directory: String = projectRoot) throws -> Result {
        try spawn("/bin/bash", ["-c", script], in: directory)
    }

    /// Runs `executable` with `arguments` and collects its output.
    static func spawn(_ executable: String, _ arguments: [String], in directory: String = projectRoot, stdin: FileHandle? = nil,
                      environment: [String: String] = [:]) throws -> Result {
        let process = Process()
        // A UTF-8 locale unless a test asks for another: text for people is folded to ASCII without one.
        let locale = ["LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
        process.environment = ProcessInfo.processInfo.environment.merging(locale) { $1 }.merging(environment) { $1 }
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        if let stdin { process.standardInput = stdin }
        try process.run()
        // Read before waiting so a large output cannot fill the pipe and stall the child.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

import DescentCommands

/// Runs Descent's command line in this process (`runDescent`), with what it prints captured: for tests of a
/// command's output and messages. The binary is spawned (`Binary.run`) only where the process itself is what
/// is tested: its exit, signals, the terminal, the working folder, a fresh clone. Paths given here should be
/// absolute, since the tests share one working folder.
enum InProcess {
    static func run(_ arguments: [String]) -> Binary.Result {
        let (status, out, err) = Console.capturing { runDescent(arguments) }
        return Binary.Result(status: status, stdout: out, stderr: err)
    }
}
