import DescentCommands
import Foundation

// The commands live in DescentCommands, so the fuzzer can run argument vectors through them in-process.
exit(runDescent(Array(CommandLine.arguments.dropFirst())))
